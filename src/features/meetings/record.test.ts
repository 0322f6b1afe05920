import { describe, expect, it } from 'vitest';
import { actionForm, maySeeRecord, NoteForm, outcomeForm, summaryEmail, summaryText, summaryVersion, type RecordFacts, type SummaryAction, type SummaryMeeting } from './record.ts';

const none: Omit<RecordFacts, 'roles'> = { onMeeting: false, ownsAction: false, seesPupil: false, hasSafeguardingNote: false, referredToThem: false };

describe('who may open a meeting’s record', () => {
  it('lets in the head and senior leaders always, and governors never', () => {
    expect(maySeeRecord({ roles: ['head'], ...none })).toBe(true);
    expect(maySeeRecord({ roles: ['senior_leader'], ...none })).toBe(true);
    expect(maySeeRecord({ roles: ['governor'], ...none, onMeeting: true, seesPupil: true, referredToThem: true })).toBe(false);
  });

  it('lets in staff on the meeting, owning an action, seeing the pupil, or referred to', () => {
    expect(maySeeRecord({ roles: ['teacher'], ...none })).toBe(false);
    expect(maySeeRecord({ roles: ['teacher'], ...none, onMeeting: true })).toBe(true);
    expect(maySeeRecord({ roles: ['teacher'], ...none, ownsAction: true })).toBe(true);
    expect(maySeeRecord({ roles: ['office'], ...none, seesPupil: true })).toBe(true);
    expect(maySeeRecord({ roles: ['teacher'], ...none, referredToThem: true })).toBe(true);
  });

  it('lets the DSL and deputies open any meeting with a safeguarding note, and nobody else because of it', () => {
    expect(maySeeRecord({ roles: ['dsl'], ...none, hasSafeguardingNote: true })).toBe(true);
    expect(maySeeRecord({ roles: ['deputy_dsl'], ...none, hasSafeguardingNote: true })).toBe(true);
    expect(maySeeRecord({ roles: ['dsl'], ...none })).toBe(false);
    expect(maySeeRecord({ roles: ['senco'], ...none, hasSafeguardingNote: true })).toBe(false);
  });
});

describe('the record’s forms', () => {
  it('reads dates as typed, and refuses dates that do not exist, saying what to write', () => {
    const form = outcomeForm('2026-11-23', null);
    for (const typed of ['14/12/2026', '14 Dec 2026', '2026-12-14', ' 14.12.2026 ']) expect(form.parse({ outcome: 'Agreed', follow_up_on: typed }).follow_up_on).toBe('2026-12-14');
    expect(form.safeParse({ outcome: 'Agreed', follow_up_on: '31/02/2027' }).error?.issues[0]?.message).toBe('There is no 31 February 2027: write a real date, like 9/12/2026 or 9 December 2026');
    expect(form.safeParse({ outcome: 'Agreed', follow_up_on: 'next Friday' }).error?.issues[0]?.message).toBe('Include the year, like 9/12/2026 or 9 December 2026');
  });

  it('needs an owner, words and a due date that is real and not past for an action', () => {
    const form = actionForm('2026-11-23');
    const empty = form.safeParse({});
    expect(empty.success).toBe(false);
    const messages = Object.fromEntries(empty.error!.issues.map((i) => [String(i.path[0]), i.message]));
    expect(messages).toEqual({ owner: 'Choose who will do it', what: 'Enter what will be done', due_on: 'Enter the date it will be done by' });
    expect(form.safeParse({ owner: 'nobody', what: 'Read', due_on: '2026-12-01' }).error?.issues[0]?.message).toBe('Choose who will do it');
    expect(form.safeParse({ owner: 'staff:s1', what: 'Read', due_on: '2026-11-20' }).error?.issues[0]?.message).toBe('The date it will be done by must be today or later');
    expect(form.safeParse({ owner: 'staff:s1', what: 'Read', due_on: '30/02/2027' }).error?.issues[0]?.message).toMatch(/^There is no 30 February 2027/);
    expect(form.parse({ owner: 'carer:c1', what: ' Read three evenings a week ', due_on: '11/12/2026' })).toEqual({
      owner: { kind: 'carer', carerId: 'c1' },
      what: 'Read three evenings a week',
      due_on: '2026-12-11',
    });
  });

  it('needs the outcome; a follow-up date is optional, must be real, and new ones not past', () => {
    const form = outcomeForm('2026-11-23', '2026-11-10');
    expect(form.safeParse({ outcome: '' }).error?.issues[0]?.message).toBe('Enter what was agreed, in plain words');
    expect(form.parse({ outcome: 'A reading plan', follow_up_on: '' })).toEqual({ outcome: 'A reading plan', follow_up_on: null, safeguarding: 0 });
    expect(form.safeParse({ outcome: 'x', follow_up_on: '32/12/2026' }).error?.issues[0]?.message).toBe('There is no 32 December 2026: write a real date, like 9/12/2026 or 9 December 2026');
    expect(form.safeParse({ outcome: 'x', follow_up_on: '2026-11-11' }).error?.issues[0]?.message).toBe('The follow-up date must be today or later');
    expect(form.parse({ outcome: 'x', follow_up_on: '2026-11-10' }).follow_up_on).toBe('2026-11-10'); // the date it already had
  });

  it('reads the safeguarding box as a flag', () => {
    expect(NoteForm.parse({ body: 'Said something worrying', safeguarding: 'yes' })).toEqual({ body: 'Said something worrying', safeguarding: 1 });
    expect(NoteForm.parse({ body: 'Fine' }).safeguarding).toBe(0);
  });
});

describe('the thank-you and summary', () => {
  const meeting: SummaryMeeting = {
    id: 'm1',
    topic: 'Reading at home',
    heldOn: '24 November 2026',
    pupilName: 'Jakub Nowak',
    outcome: 'We agreed a reading plan.',
    followUpOn: '2026-12-14',
    leadName: 'Mr Okafor',
  };
  const actions: SummaryAction[] = [
    { ownerKind: 'school', carerId: null, ownerName: 'Mr Okafor', what: 'Set up a reading plan', dueOn: '2026-11-27', done: false },
    { ownerKind: 'carer', carerId: 'marta', ownerName: 'Marta Nowak', what: 'Read with Kuba three evenings a week', dueOn: '2026-12-11', done: false },
    { ownerKind: 'carer', carerId: 'tomasz', ownerName: 'Tomasz Nowak', what: 'Read at weekends', dueOn: '2026-12-11', done: false },
  ];

  it('thanks them, gives the outcome, who does what by when, the follow-up, and says come back any time', () => {
    const text = summaryText(meeting, actions, { id: 'marta', name: 'Marta Nowak' }, 'Brookfield Primary School', 'http://x/my-meetings/m1');
    expect(text).toContain('Dear Marta Nowak,');
    expect(text).toContain('Thank you for meeting us on 24 November 2026 about Jakub Nowak (Reading at home).');
    expect(text).toContain('What we agreed:\nWe agreed a reading plan.');
    expect(text).toContain('What the school will do:\n- Set up a reading plan, by Friday 27 November 2026 (Mr Okafor)');
    expect(text).toContain('What you will do:\n- Read with Kuba three evenings a week, by Friday 11 December 2026');
    expect(text).toContain('What Tomasz Nowak will do:\n- Read at weekends');
    expect(text).toContain('We will follow this up on Monday 14 December 2026.');
    expect(text).toContain('You can come back to us at any time');
    expect(text).toContain('http://x/my-meetings/m1');
    expect(text.trim().endsWith('Mr Okafor, Brookfield Primary School')).toBe(true);
  });

  it('has a version that changes with what it says, not with the order actions were listed in', () => {
    const v = summaryVersion(meeting, actions);
    expect(summaryVersion(meeting, [...actions].reverse())).toBe(v);
    expect(summaryVersion({ ...meeting, outcome: 'Something else' }, actions)).not.toBe(v);
    expect(summaryVersion(meeting, [{ ...actions[0]!, done: true }, actions[1]!, actions[2]!])).not.toBe(v);
    expect(summaryVersion({ ...meeting, followUpOn: null }, actions)).not.toBe(v);
  });

  it('puts a machine translation first, marked as such, with the English below; else a help line', () => {
    const translated = summaryEmail('Dear Marta', { language: 'Polish', text: 'Droga Marto' }, null);
    expect(translated.indexOf('Droga Marto')).toBeLessThan(translated.indexOf('Dear Marta'));
    expect(translated).toContain('Machine translated into Polish: the school has not checked this translation');
    expect(summaryEmail('Dear Marta', null, 'Pomoc po polsku')).toBe('Pomoc po polsku\n\nDear Marta');
    expect(summaryEmail('Dear Tomasz', null, null)).toBe('Dear Tomasz');
  });
});

import { describe, expect, it } from 'vitest';
import { caseRole, type CaseFacts as Team } from './case-team.ts';
import { panelGaps, refusals, type Candidate, type CaseFacts } from './independence.ts';
import { textIn } from '../../../platform/i18n/catalog.ts';
import { outcomeLetter, outcomeLetterIn } from './letter.ts';
import { readReport, unanswered, type Report } from './report.ts';
import { settingsOf, SettingsForm } from './settings.ts';

const facts: CaseFacts = {
  named: ['named'],
  classTeachers: ['okafor'],
  involvement: [
    { staffId: 'green', what: 'meeting', on: '2026-10-01' },
    { staffId: 'old', what: 'concern', on: '2025-06-01' }, // more than a year ago
    { staffId: 'plan', what: 'safety plan', on: '2026-11-01' },
  ],
  aboutHead: false,
  today: '2026-11-26',
};
const person = (id: string, roles: Candidate['roles'], declaredInterest: string | null = null): Candidate => ({ id, name: id, roles, declaredInterest });

describe('independence: who may investigate or sit on the panel', () => {
  it('refuses, with the reason, anyone named, the class teacher, anyone involved with the child in the last year, and anyone declaring an interest', () => {
    expect(refusals(person('named', ['governor']), facts, 'officer')).toEqual(['named is named in the complaint']);
    expect(refusals(person('okafor', ['teacher']), facts, 'officer')).toEqual(['okafor is not a senior leader, governor or trustee', 'okafor teaches the child’s class']);
    expect(refusals(person('green', ['senior_leader']), facts, 'officer')).toEqual(['green took part in a meeting about the child (1 October 2026)']);
    expect(refusals(person('plan', ['senior_leader']), facts, 'officer')[0]).toContain('made a safety plan');
    expect(refusals(person('shah', ['governor'], 'Her son is in Year 3'), facts, 'officer')).toEqual(['shah declared an interest: Her son is in Year 3']);
  });
  it('lets in someone unconnected, and someone whose involvement was more than a year ago', () => {
    expect(refusals(person('shah', ['governor']), facts, 'officer')).toEqual([]);
    expect(refusals(person('old', ['senior_leader']), facts, 'officer')).toEqual([]);
  });
  it('the panel is governors and trustees only; the head never judges a complaint about the head', () => {
    expect(refusals(person('green2', ['senior_leader']), facts, 'panel')).toEqual(['green2 is not a governor or trustee']);
    expect(refusals(person('patel', ['head']), { ...facts, aboutHead: true }, 'officer')).toEqual(['The complaint is about the head: patel cannot judge it']);
    expect(refusals(person('patel', ['head']), facts, 'officer')).toEqual([]);
  });
  it('a panel needs three people, and for an academy one independent of management', () => {
    expect(panelGaps([{ id: 'a', independent: false }], 'maintained')).toEqual(['The panel needs at least 3 people (it has 1)']);
    const three = ['a', 'b', 'c'].map((id) => ({ id, independent: false }));
    expect(panelGaps(three, 'maintained')).toEqual([]);
    expect(panelGaps(three, 'academy')).toEqual(['An academy’s panel needs one member independent of the school’s management']);
    expect(panelGaps([...three.slice(1), { id: 'a', independent: true }], 'academy')).toEqual([]);
  });
});

describe('the case team', () => {
  const team: Team = { about: 'matter', officerId: 'shah', panel: ['p1'], named: ['okafor'], clerkId: 'clerk', headComplaintsTo: 'chair', governorComplaintsTo: 'clerk' };
  it('is the head, the officer, the panel and the clerk — nobody else, and nobody named', () => {
    expect(caseRole({ id: 'patel', roles: ['head'] }, team)).toBe('lead');
    expect(caseRole({ id: 'shah', roles: ['governor'] }, team)).toBe('officer');
    expect(caseRole({ id: 'p1', roles: ['governor'] }, team)).toBe('panel');
    expect(caseRole({ id: 'clerk', roles: ['office'] }, team)).toBe('clerk');
    expect(caseRole({ id: 'green', roles: ['senior_leader'] }, team)).toBeNull();
    expect(caseRole({ id: 'dsl', roles: ['dsl'] }, team)).toBeNull();
    expect(caseRole({ id: 'okafor', roles: ['teacher'] }, team)).toBeNull();
  });
  it('a complaint about the head is led by the chair, and the head does not see it', () => {
    expect(caseRole({ id: 'patel', roles: ['head'] }, { ...team, about: 'head' })).toBeNull();
    expect(caseRole({ id: 'chair', roles: ['governor'] }, { ...team, about: 'head' })).toBe('lead');
  });
});

describe('the report on its checklist, and the letter', () => {
  const full: Report = {
    ...readReport(null),
    independence: 'a',
    what_happened: 'b',
    how_handled: 'c',
    resolved: 'd',
    fair: 'e',
    full: 'f',
    proportionate: 'g',
    timely: 'h',
    confidential: 'i',
    barriers: 'j',
    outcome: 'upheld',
  };
  it('cannot be issued with a point unanswered', () => {
    expect(unanswered(full)).toEqual({});
    expect(unanswered({ ...full, barriers: ' ', outcome: '' })).toEqual({ barriers: expect.stringContaining('Were there any barriers'), outcome: expect.stringContaining('Choose the outcome') });
  });
  it('the letter gives the outcome, reasons, actions and the way on (panel after stage 1; the DfE, and Ofsted for the early years, at the end)', () => {
    const base = {
      carerName: 'Marta Nowak',
      childName: 'Kuba',
      schoolName: 'Brookfield',
      receivedOn: '2026-11-26',
      outcome: 'partly' as const,
      report: full,
      officerName: 'Dr Shah',
      schoolType: 'maintained' as const,
      earlyYears: false,
      panelStageLabel: 'the governors’ panel',
      escalateWithinDays: 10,
    };
    const one = outcomeLetter({ ...base, stage: 'stage_1' });
    expect(one).toContain('Outcome: Partly upheld.');
    expect(one).toContain('the next stage (the governors’ panel)');
    const two = outcomeLetter({ ...base, stage: 'stage_2', earlyYears: true });
    expect(two).toContain('www.gov.uk/complain-to-dfe');
    expect(two).toContain('Ofsted');
  });
  it('goes to the carer with its fixed parts in their language and what the school wrote or changed in its own words (issue 13)', () => {
    const facts = {
      carerName: 'Marta Nowak',
      childName: 'Kuba',
      schoolName: 'Brookfield',
      receivedOn: '2026-11-26',
      outcome: 'upheld' as const,
      report: full,
      officerName: 'Dr Shah',
      schoolType: 'academy' as const,
      earlyYears: false,
      panelStageLabel: null,
      escalateWithinDays: 10,
      stage: 'stage_2' as const,
    };
    // The head rewords the end-of-procedure line; the rest is as generated.
    const edited = outcomeLetter(facts).replace('This is the end of the school’s complaints procedure.', 'This ends our procedure.');
    const letter = outcomeLetterIn(facts, edited, 'Brookfield')(textIn('ar'));
    expect(letter.subject).toBe('قرار لجنة مجلس الأمناء بشأن شكواك');
    expect(letter.lines).toContain('النتيجة: الشكوى مقبولة.');
    expect(letter.lines).toContain('ما توصّلنا إليه');
    expect(letter.lines).toContainEqual({ schoolWrote: full.what_happened });
    expect(letter.lines).toContainEqual({ schoolWrote: 'This ends our procedure.' });
    expect(letter.lines.some((l) => typeof l === 'string' && l.includes('www.gov.uk/complain-to-dfe') && l.startsWith('إذا'))).toBe(true);
    expect(letter.lines.some((l) => typeof l === 'string' && /Dear|Yours sincerely/.test(l))).toBe(false);
    expect(letter.sms).toBe('Brookfield: قرار لجنة مجلس الأمناء بشأن شكواك. التفاصيل على Gatepost.');
  });
});

describe('settings', () => {
  it('default to the DfE shape and limits; the form refuses nonsense beside the field', () => {
    expect(settingsOf(undefined).limits).toEqual({ acknowledge: 5, respond: 15, panelWithin: 20, papersBefore: 5, decisionAfter: 5 });
    const bad = SettingsForm.safeParse({ school_type: 'academy', stage_names: 'Only one', acknowledge: '0', respond: '15', panel_within: '20', papers_before: '5', decision_after: '5' });
    expect(bad.success).toBe(false);
    expect(bad.error!.issues.map((i) => i.path[0]).sort()).toEqual(['acknowledge', 'stage_names']);
  });
});

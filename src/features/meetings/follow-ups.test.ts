import { describe, expect, it } from 'vitest';
import type { SchoolCalendar } from '../../platform/calendar/school-days.ts';
import { daysOverdue, dueWindowEnd, familyActionState, familyOrder, followUpState, toChase, type FamilyActionFacts } from './follow-ups.ts';

const calendar: SchoolCalendar = {
  terms: [
    { starts_on: '2026-09-02', ends_on: '2026-12-18' },
    { starts_on: '2027-01-05', ends_on: '2027-03-26' },
  ],
  closures: [{ starts_on: '2026-11-27', ends_on: '2026-11-27' }], // an INSET day (a Friday)
};

describe('follow-ups: due within 7 school days, overdue once passed', () => {
  it('counts 7 school days, skipping weekends and closures', () => {
    // Monday 23 November: Tue–Thu (3), Fri is INSET, Mon–Thu (4) → Thursday 3 December.
    expect(dueWindowEnd(calendar, '2026-11-23')).toBe('2026-12-03');
  });

  it('skips the Christmas holidays', () => {
    // Tuesday 15 December: Wed–Fri (3), then term starts Tuesday 5 January: Tue–Fri (4) → 8 January.
    expect(dueWindowEnd(calendar, '2026-12-15')).toBe('2027-01-08');
  });

  it('counts weekdays past the last term the school has entered, rather than failing', () => {
    // Thursday 25 March 2027: Fri 26 (1, last day of term), then weekdays Mon 29 March – Fri 2 April (5), Mon 5 April (7th).
    expect(dueWindowEnd(calendar, '2027-03-25')).toBe('2027-04-05');
  });

  it('says where a follow-up stands', () => {
    const end = dueWindowEnd(calendar, '2026-11-23');
    expect(followUpState('2026-11-20', null, '2026-11-23', end)).toBe('overdue');
    expect(followUpState('2026-11-23', null, '2026-11-23', end)).toBe('due'); // today is due, not overdue
    expect(followUpState('2026-12-03', null, '2026-11-23', end)).toBe('due');
    expect(followUpState('2026-12-04', null, '2026-11-23', end)).toBe('later');
    expect(followUpState('2026-11-20', '2026-11-21T10:00:00.000Z', '2026-11-23', end)).toBe('kept');
  });

  it('counts days overdue, and never a negative number', () => {
    expect(daysOverdue('2026-11-20', '2026-11-23')).toBe(3);
    expect(daysOverdue('2026-11-25', '2026-11-23')).toBe(0);
  });

  it('lists overdue first (oldest first), then due soon (soonest first), leaving out kept and later ones', () => {
    const items = [
      { id: 'later', dueOn: '2026-12-20', state: 'later' as const },
      { id: 'due-2', dueOn: '2026-12-01', state: 'due' as const },
      { id: 'overdue-2', dueOn: '2026-11-20', state: 'overdue' as const },
      { id: 'kept', dueOn: '2026-11-01', state: 'kept' as const },
      { id: 'due-1', dueOn: '2026-11-24', state: 'due' as const },
      { id: 'overdue-1', dueOn: '2026-11-02', state: 'overdue' as const },
    ];
    expect(toChase(items).map((i) => i.id)).toEqual(['overdue-1', 'overdue-2', 'due-1', 'due-2']);
  });
});

describe("a family's action on its lead's follow-ups", () => {
  const today = '2026-11-23';
  const end = dueWindowEnd(calendar, today); // 3 December
  const open: FamilyActionFacts = { dueOn: '2026-12-18', doneAt: null, doneByFamily: false, noteAt: null, followUpOpen: false };

  it('is overdue once its date has passed, open when due within 7 school days, and off the list when later with no news', () => {
    expect(familyActionState({ ...open, dueOn: '2026-11-20' }, today, end)).toBe('overdue');
    expect(familyActionState({ ...open, dueOn: '2026-12-03' }, today, end)).toBe('open');
    expect(familyActionState(open, today, end)).toBeNull();
  });

  it('is open when the family wrote how it is going: while the follow-up is to keep, or for 14 days', () => {
    expect(familyActionState({ ...open, noteAt: '2026-11-10T19:00:00.000Z' }, today, end)).toBe('open'); // 13 days ago
    expect(familyActionState({ ...open, noteAt: '2026-11-08T19:00:00.000Z' }, today, end)).toBeNull(); // 15 days ago
    expect(familyActionState({ ...open, noteAt: '2026-10-01T19:00:00.000Z', followUpOpen: true }, today, end)).toBe('open');
  });

  it('is done when the family ticked it, for as long as the news lasts; a tick by staff is no news', () => {
    const ticked = { ...open, doneAt: '2026-11-20T18:00:00.000Z', doneByFamily: true };
    expect(familyActionState(ticked, today, end)).toBe('done');
    expect(familyActionState({ ...ticked, doneAt: '2026-11-01T18:00:00.000Z' }, today, end)).toBeNull();
    expect(familyActionState({ ...ticked, doneAt: '2026-11-01T18:00:00.000Z', followUpOpen: true }, today, end)).toBe('done');
    expect(familyActionState({ ...ticked, doneByFamily: false, followUpOpen: true }, today, end)).toBeNull();
    // Done beats overdue: a tick after the date is done, not late.
    expect(familyActionState({ ...ticked, dueOn: '2026-11-10' }, today, end)).toBe('done');
  });

  it('lists overdue (oldest first), then open (soonest first), then done (latest tick first)', () => {
    const items = [
      { id: 'done-old', state: 'done' as const, dueOn: '2026-12-01', doneAt: '2026-11-18T10:00:00.000Z' },
      { id: 'open-2', state: 'open' as const, dueOn: '2026-12-02', doneAt: null },
      { id: 'overdue-2', state: 'overdue' as const, dueOn: '2026-11-20', doneAt: null },
      { id: 'done-new', state: 'done' as const, dueOn: '2026-11-01', doneAt: '2026-11-22T10:00:00.000Z' },
      { id: 'open-1', state: 'open' as const, dueOn: '2026-11-25', doneAt: null },
      { id: 'overdue-1', state: 'overdue' as const, dueOn: '2026-10-23', doneAt: null },
    ];
    expect(familyOrder(items).map((i) => i.id)).toEqual(['overdue-1', 'overdue-2', 'open-1', 'open-2', 'done-new', 'done-old']);
  });
});

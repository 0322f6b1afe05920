import { describe, expect, it } from 'vitest';
import type { SchoolCalendar } from '../../platform/calendar/school-days.ts';
import { daysOverdue, dueWindowEnd, followUpState, toChase } from './follow-ups.ts';

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

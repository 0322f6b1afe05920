import { describe, expect, it } from 'vitest';
import type { SchoolCalendar } from '../../platform/calendar/school-days.ts';
import { calendarMonthsFrom, dueDate, dueTag, extendedDueDate } from './due-dates.ts';

const calendar: SchoolCalendar = {
  terms: [
    { starts_on: '2026-09-02', ends_on: '2026-12-18' },
    { starts_on: '2027-01-05', ends_on: '2027-03-26' },
  ],
  closures: [{ starts_on: '2026-11-30', ends_on: '2026-12-01' }],
};

describe('subject access: one calendar month from receipt (the ICO rule)', () => {
  it('is the same day of the next month', () => {
    expect(dueDate('subject_access', '2026-10-03', calendar)).toEqual({ ok: true, dueOn: '2026-11-03' });
    expect(dueDate('subject_access', '2026-12-15', calendar)).toEqual({ ok: true, dueOn: '2027-01-15' }); // across the new year, holidays or not
  });

  it('is the last day of the next month when it has no such day', () => {
    expect(calendarMonthsFrom('2027-01-31', 1)).toBe('2027-02-28');
    expect(calendarMonthsFrom('2026-08-31', 1)).toBe('2026-09-30');
    expect(calendarMonthsFrom('2027-03-31', 1)).toBe('2027-04-30');
    expect(calendarMonthsFrom('2027-01-30', 1)).toBe('2027-02-28');
  });

  it('knows leap years: 29 February exists in 2028, not in 2027', () => {
    expect(calendarMonthsFrom('2028-01-31', 1)).toBe('2028-02-29');
    expect(calendarMonthsFrom('2028-01-29', 1)).toBe('2028-02-29');
    expect(calendarMonthsFrom('2028-02-29', 1)).toBe('2028-03-29');
    expect(calendarMonthsFrom('2027-01-29', 1)).toBe('2027-02-28');
  });

  it('needs no term dates at all', () => {
    expect(dueDate('subject_access', '2030-05-10', { terms: [], closures: [] })).toEqual({ ok: true, dueOn: '2030-06-10' });
  });

  it('extended as complex: three calendar months from receipt, not two months after a shortened first one', () => {
    expect(calendarMonthsFrom('2026-11-30', 3)).toBe('2027-02-28');
    expect(extendedDueDate('2027-01-31')).toBe('2027-04-30'); // a Friday
    expect(extendedDueDate('2027-11-30')).toBe('2028-02-29'); // a Tuesday
  });
});

describe('subject access: a due date on a weekend or a bank holiday moves to the next working day (the ICO)', () => {
  it('a Saturday or a Sunday moves to the Monday', () => {
    expect(dueDate('subject_access', '2026-10-10', calendar)).toEqual({ ok: true, dueOn: '2026-11-10' }); // a Tuesday: unchanged
    expect(dueDate('subject_access', '2026-11-12', calendar)).toEqual({ ok: true, dueOn: '2026-12-14' }); // Saturday 12 December
    expect(dueDate('subject_access', '2027-01-28', calendar)).toEqual({ ok: true, dueOn: '2027-03-01' }); // Sunday 28 February
  });

  it('Easter Monday, and Good Friday with it, move to the Tuesday after Easter', () => {
    expect(dueDate('subject_access', '2027-02-28', calendar)).toEqual({ ok: true, dueOn: '2027-03-30' }); // Sunday 28 March, then Easter Monday
    expect(dueDate('subject_access', '2027-02-26', calendar)).toEqual({ ok: true, dueOn: '2027-03-30' }); // Good Friday 26 March
    expect(dueDate('subject_access', '2026-03-06', calendar)).toEqual({ ok: true, dueOn: '2026-04-07' }); // Easter Monday 6 April 2026
  });

  it('Christmas Day and Boxing Day (and their substitute days) move past them', () => {
    expect(dueDate('subject_access', '2025-11-25', calendar)).toEqual({ ok: true, dueOn: '2025-12-29' }); // Thursday 25 December 2025
    expect(dueDate('subject_access', '2025-11-26', calendar)).toEqual({ ok: true, dueOn: '2025-12-29' }); // Boxing Day, then the weekend
    expect(dueDate('subject_access', '2026-11-28', calendar)).toEqual({ ok: true, dueOn: '2026-12-29' }); // Monday 28 December: the substitute for Boxing Day
    expect(dueDate('subject_access', '2026-11-25', calendar)).toEqual({ ok: true, dueOn: '2026-12-29' }); // Christmas Day 2026, a Friday
  });

  it('a school closure does not move it: the ICO counts working days, not school days', () => {
    // 30 November and 1 December 2026 are closed in this calendar; 26 October is half term.
    expect(dueDate('subject_access', '2026-10-30', calendar)).toEqual({ ok: true, dueOn: '2026-11-30' });
    expect(dueDate('subject_access', '2026-09-26', calendar)).toEqual({ ok: true, dueOn: '2026-10-26' });
  });

  it('extended: three months from receipt, then to the next working day', () => {
    expect(extendedDueDate('2026-11-30')).toBe('2027-03-01'); // Sunday 28 February → Monday 1 March
    expect(extendedDueDate('2026-10-03')).toBe('2027-01-04'); // Sunday 3 January
    expect(extendedDueDate('2027-09-25')).toBe('2027-12-29'); // Saturday 25 December, then the two substitute days
    expect(extendedDueDate('2028-01-17')).toBe('2028-04-18'); // Easter Monday 17 April 2028
  });
});

describe('education record: 15 school days from receipt on the school’s term dates', () => {
  it('counts school days, skipping weekends and a closure', () => {
    // Monday 9 November: 15 weekdays would be 30 November, but 30 November and 1 December are closed.
    expect(dueDate('education_record', '2026-11-09', { ...calendar, closures: [] })).toEqual({ ok: true, dueOn: '2026-11-30' });
    expect(dueDate('education_record', '2026-11-09', calendar)).toEqual({ ok: true, dueOn: '2026-12-02' });
  });

  it('skips the Christmas holidays', () => {
    // Thursday 10 December: 11, 14–18 December are six school days; nine more from 5 January is 15 January.
    expect(dueDate('education_record', '2026-12-10', calendar)).toEqual({ ok: true, dueOn: '2027-01-15' });
  });

  it('received in the holidays, counts from the first school day', () => {
    expect(dueDate('education_record', '2026-12-24', calendar)).toEqual({ ok: true, dueOn: '2027-01-25' });
  });

  it('says so when the term dates do not reach far enough', () => {
    expect(dueDate('education_record', '2027-03-22', calendar)).toEqual({ ok: false, problem: 'terms_run_out', lastTermEndsOn: '2027-03-26' });
    expect(dueDate('education_record', '2027-04-12', calendar)).toEqual({ ok: false, problem: 'terms_run_out', lastTermEndsOn: '2027-03-26' });
    expect(dueDate('education_record', '2027-04-12', { terms: [], closures: [] })).toEqual({ ok: false, problem: 'terms_run_out', lastTermEndsOn: null });
  });
});

describe('the tag beside an open request', () => {
  it('says overdue, due today or due in N days', () => {
    expect(dueTag('2026-12-07', '2026-12-04')).toEqual({ text: 'Overdue', overdue: true, soon: true });
    expect(dueTag('2026-12-07', '2026-12-07')).toEqual({ text: 'Due today', overdue: false, soon: true });
    expect(dueTag('2026-12-07', '2026-12-08')).toEqual({ text: 'Due in 1 day', overdue: false, soon: true });
    expect(dueTag('2026-12-07', '2026-12-13')).toEqual({ text: 'Due in 6 days', overdue: false, soon: true });
    expect(dueTag('2026-12-07', '2026-12-14')).toEqual({ text: 'Due in 7 days', overdue: false, soon: false });
    expect(dueTag('2026-03-27', '2026-03-30')).toEqual({ text: 'Due in 3 days', overdue: false, soon: true }); // across the clocks going forward
  });
});

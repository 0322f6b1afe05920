import { describe, expect, it } from 'vitest';
import { addSchoolDays, firstSchoolDayFrom, isSchoolDay, schoolDaysBefore, type SchoolCalendar } from './school-days.ts';
import { formatInstant, localDate } from './time.ts';

const calendar: SchoolCalendar = {
  terms: [
    { starts_on: '2026-09-02', ends_on: '2026-12-18' },
    { starts_on: '2027-01-05', ends_on: '2027-03-26' },
  ],
  closures: [
    { starts_on: '2026-10-26', ends_on: '2026-10-30' }, // half term
    { starts_on: '2026-11-27', ends_on: '2026-11-27' }, // INSET day
  ],
};

describe('school days', () => {
  it('counts back over weekends, closures and holidays, and weekdays outside the known terms', () => {
    expect(schoolDaysBefore(calendar, '2026-11-26', 3)).toBe('2026-11-23'); // Thursday → Monday
    expect(schoolDaysBefore(calendar, '2026-11-30', 3)).toBe('2026-11-24'); // over the weekend and the INSET day
    expect(schoolDaysBefore(calendar, '2027-01-06', 3)).toBe('2026-12-17'); // over Christmas
    expect(schoolDaysBefore(calendar, '2027-04-14', 3)).toBe('2027-04-09'); // after the last term: weekdays
    expect(schoolDaysBefore({ terms: [], closures: [] }, '2026-12-07', 3)).toBe('2026-12-02'); // no calendar yet
  });

  it('skips weekends, half term and closures', () => {
    expect(isSchoolDay(calendar, '2026-11-23')).toBe(true); // Monday
    expect(isSchoolDay(calendar, '2026-11-28')).toBe(false); // Saturday
    expect(isSchoolDay(calendar, '2026-10-27')).toBe(false); // half term
    expect(isSchoolDay(calendar, '2026-11-27')).toBe(false); // INSET
  });

  it('counts a 5-school-day deadline across an INSET day and a weekend', () => {
    // Mon 23 Nov + 5 school days: Tue, Wed, Thu, (Fri INSET), Mon 30, Tue 1 Dec.
    expect(addSchoolDays(calendar, '2026-11-23', 5)).toBe('2026-12-01');
  });

  it('counts across the Christmas holiday into the next term', () => {
    expect(addSchoolDays(calendar, '2026-12-17', 2)).toBe('2027-01-05');
  });

  it('starts the count from the first school day after something received in the holidays', () => {
    expect(firstSchoolDayFrom(calendar, '2026-12-25')).toBe('2027-01-05');
    expect(firstSchoolDayFrom(calendar, '2026-11-23')).toBe('2026-11-23');
  });

  it('refuses to count past the last term it knows', () => {
    expect(() => addSchoolDays(calendar, '2027-03-25', 5)).toThrow(/no terms after 2027-03-26/);
  });
});

describe('school-local time across the clock changes', () => {
  it('shows the right wall-clock time on the Sunday the clocks go back (25 October 2026)', () => {
    // 00:30 UTC is 01:30 BST; 01:30 UTC is 01:30 GMT: the same wall time, an hour apart.
    expect(formatInstant('2026-10-25T00:30:00.000Z', 'Europe/London')).toBe('25 October 2026 at 1:30am');
    expect(formatInstant('2026-10-25T01:30:00.000Z', 'Europe/London')).toBe('25 October 2026 at 1:30am');
    expect(formatInstant('2026-10-25T17:00:00.000Z', 'Europe/London')).toBe('25 October 2026 at 5:00pm');
  });

  it('shows the right time on the Sunday the clocks go forward (28 March 2027)', () => {
    expect(formatInstant('2027-03-28T00:30:00.000Z', 'Europe/London')).toBe('28 March 2027 at 12:30am');
    expect(formatInstant('2027-03-28T01:30:00.000Z', 'Europe/London')).toBe('28 March 2027 at 2:30am');
  });

  it('says midday and midnight rather than 12:00pm and 12:00am, as GOV.UK writes them', () => {
    expect(formatInstant('2026-11-15T12:00:00.000Z', 'Europe/London')).toBe('15 November 2026 at midday');
    expect(formatInstant('2026-11-15T00:00:00.000Z', 'Europe/London')).toBe('15 November 2026 at midnight');
    expect(formatInstant('2026-11-15T12:05:00.000Z', 'Europe/London')).toBe('15 November 2026 at 12:05pm');
    expect(formatInstant('2026-11-15T00:30:00.000Z', 'Europe/London')).toBe('15 November 2026 at 12:30am');
    expect(formatInstant('2026-07-15T11:00:00.000Z', 'Europe/London')).toBe('15 July 2026 at midday');
  });

  it('takes the school-local date, not the UTC date', () => {
    expect(localDate(new Date('2026-06-30T23:30:00Z'), 'Europe/London')).toBe('2026-07-01');
    expect(localDate(new Date('2026-12-31T23:30:00Z'), 'Europe/London')).toBe('2026-12-31');
    // Either side of midnight on the Sunday the clocks go back, and far from London.
    expect(localDate(new Date('2026-10-24T23:30:00Z'), 'Europe/London')).toBe('2026-10-25');
    expect(localDate(new Date('2026-10-25T23:30:00Z'), 'Europe/London')).toBe('2026-10-25');
    expect(localDate(new Date('2026-11-23T12:00:00Z'), 'Pacific/Auckland')).toBe('2026-11-24');
    expect(localDate(new Date('0999-06-01T12:00:00Z'), 'UTC')).toBe('0999-06-01');
  });
});

import { schoolLocalInstant } from './time.ts';
describe('a school-local time as an instant', () => {
  it('converts an ordinary time in summer and in winter', () => {
    expect(schoolLocalInstant('2026-07-01', '18:00', 'Europe/London')).toEqual({ ok: true, instant: '2026-07-01T17:00:00.000Z' });
    expect(schoolLocalInstant('2026-10-25', '18:00', 'Europe/London')).toEqual({ ok: true, instant: '2026-10-25T18:00:00.000Z' });
  });
  it('refuses the hour the clocks skip in March and the hour that happens twice in October', () => {
    expect(schoolLocalInstant('2027-03-28', '01:30', 'Europe/London')).toEqual({ ok: false, reason: 'skipped' });
    expect(schoolLocalInstant('2026-10-25', '01:30', 'Europe/London')).toEqual({ ok: false, reason: 'twice' });
    expect(schoolLocalInstant('2026-02-30', '09:00', 'Europe/London')).toEqual({ ok: false, reason: 'invalid' });
  });
});

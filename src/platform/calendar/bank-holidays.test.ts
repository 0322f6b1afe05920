import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { BANK_HOLIDAY_YEARS, ENGLAND_AND_WALES_BANK_HOLIDAYS, isWorkingDay, workingDayOnOrAfter } from './bank-holidays.ts';

/** Easter Sunday by the anonymous Gregorian algorithm (Meeus/Jones/Butcher): a check on the table, not a source. */
function easterSunday(y: number): string {
  const a = y % 19;
  const b = Math.floor(y / 100);
  const c = y % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return DateTime.local(y, month, day).toISODate()!;
}

describe('England and Wales bank holidays (gov.uk/bank-holidays)', () => {
  it('has eight for each year, each a weekday of that year, in order', () => {
    for (const year of BANK_HOLIDAY_YEARS) {
      const days = ENGLAND_AND_WALES_BANK_HOLIDAYS[year]!;
      expect(days).toHaveLength(8);
      expect([...days].sort()).toEqual(days);
      for (const day of days) {
        expect(day.startsWith(`${year}-`)).toBe(true);
        expect(DateTime.fromISO(day).weekday).toBeLessThanOrEqual(5);
      }
    }
  });

  it('has Good Friday and Easter Monday where Easter falls', () => {
    for (const year of BANK_HOLIDAY_YEARS) {
      const easter = DateTime.fromISO(easterSunday(year));
      expect(ENGLAND_AND_WALES_BANK_HOLIDAYS[year]).toContain(easter.minus({ days: 2 }).toISODate());
      expect(ENGLAND_AND_WALES_BANK_HOLIDAYS[year]).toContain(easter.plus({ days: 1 }).toISODate());
    }
  });

  it('covers the year after this one (when this fails, add the next year from gov.uk/bank-holidays)', () => {
    expect(Math.max(...BANK_HOLIDAY_YEARS)).toBeGreaterThan(new Date().getUTCFullYear());
  });

  it('moves a weekend or a bank holiday to the next working day, and leaves a working day alone', () => {
    expect(workingDayOnOrAfter('2026-12-08')).toBe('2026-12-08'); // a Tuesday
    expect(workingDayOnOrAfter('2026-12-12')).toBe('2026-12-14'); // Saturday → Monday
    expect(workingDayOnOrAfter('2027-03-26')).toBe('2027-03-30'); // Good Friday, the weekend and Easter Monday → Tuesday
    expect(workingDayOnOrAfter('2026-12-25')).toBe('2026-12-29'); // Christmas Day, the weekend and the substitute Boxing Day
    expect(workingDayOnOrAfter('2027-12-25')).toBe('2027-12-29');
    expect(workingDayOnOrAfter('2028-01-01')).toBe('2028-01-04'); // New Year's Day on a Saturday: Monday 3 January is its substitute
    expect(isWorkingDay('2026-05-25')).toBe(false); // the late May bank holiday
    expect(isWorkingDay('2026-10-26')).toBe(true); // half term is a working day
  });
});

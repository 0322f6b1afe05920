import { DateTime } from 'luxon';
import type { LocalDate } from '../../db/schema.ts';

/**
 * Bank holidays in England and Wales, 2025–2028: the days the law's "working day" leaves out, beside
 * Saturdays and Sundays. Not the school's own closures (those are school days off, counted in
 * school-days.ts); this is the ICO's working day, which a school closure does not change.
 *
 * Source: gov.uk/bank-holidays (England and Wales), read December 2026. 2028 follows the same rules
 * (substitute days when a holiday falls at a weekend) and should be checked against gov.uk once it is
 * published there, as should any one-off bank holiday announced later. A small table in one place rather
 * than a package: date-holidays works offline but brings the whole world's rules and four dependencies
 * for eight dates a year, and a feed such as uk-bank-holidays downloads at run time.
 * bank-holidays.test.ts fails in the last year the table covers, so it is extended in time.
 */
export const ENGLAND_AND_WALES_BANK_HOLIDAYS: Readonly<Record<number, readonly LocalDate[]>> = {
  2025: ['2025-01-01', '2025-04-18', '2025-04-21', '2025-05-05', '2025-05-26', '2025-08-25', '2025-12-25', '2025-12-26'],
  // Boxing Day is a Saturday: the substitute day is Monday 28 December.
  2026: ['2026-01-01', '2026-04-03', '2026-04-06', '2026-05-04', '2026-05-25', '2026-08-31', '2026-12-25', '2026-12-28'],
  // Christmas Day and Boxing Day fall at the weekend: Monday 27 and Tuesday 28 December instead.
  2027: ['2027-01-01', '2027-03-26', '2027-03-29', '2027-05-03', '2027-05-31', '2027-08-30', '2027-12-27', '2027-12-28'],
  // New Year's Day is a Saturday: the substitute day is Monday 3 January.
  2028: ['2028-01-03', '2028-04-14', '2028-04-17', '2028-05-01', '2028-05-29', '2028-08-28', '2028-12-25', '2028-12-26'],
};

const ALL = new Set(Object.values(ENGLAND_AND_WALES_BANK_HOLIDAYS).flat());

/** The years the table covers: outside them only weekends are known, and a due date may need checking by hand. */
export const BANK_HOLIDAY_YEARS = Object.keys(ENGLAND_AND_WALES_BANK_HOLIDAYS).map(Number);

export function isBankHoliday(date: LocalDate): boolean {
  return ALL.has(date);
}

/** A working day: Monday to Friday, not a bank holiday in England and Wales. School closures do not count here. */
export function isWorkingDay(date: LocalDate): boolean {
  return DateTime.fromISO(date).weekday <= 5 && !isBankHoliday(date);
}

/** The date itself when it is a working day, or else the next working day after it. */
export function workingDayOnOrAfter(date: LocalDate): LocalDate {
  let d = DateTime.fromISO(date);
  while (!isWorkingDay(d.toISODate()!)) d = d.plus({ days: 1 });
  return d.toISODate()!;
}

import { DateTime } from 'luxon';
import type { AccessRequestKind, LocalDate } from '../../db/schema.ts';
import { workingDayOnOrAfter } from '../../platform/calendar/bank-holidays.ts';
import { addSchoolDays, type SchoolCalendar } from '../../platform/calendar/school-days.ts';

/**
 * When a subject access or education record request must be answered, as plain rules.
 *
 * - Subject access (UK GDPR, the ICO's guidance): one calendar month from the day it is received, to
 *   the same day of the next month; when that month has no such day (received on 31 January), the
 *   last day of that month (28 or 29 February). When that date is a Saturday, a Sunday or a bank
 *   holiday in England and Wales, the ICO allows until the next working day, and so does Gatepost. The
 *   school's own closures (INSET days, snow days, holidays) do not move it: the ICO counts working days,
 *   not school days.
 * - A complex subject access request may be extended by two further months: three calendar months
 *   from receipt, counted the same way (31 January → 30 April, not 28 February + 2 months), and moved
 *   to the next working day the same way.
 * - Education record (the Education (Pupil Information) (England) Regulations 2005, maintained
 *   schools): 15 school days from receipt, counted on the school's own term dates and closures.
 */
export const EDUCATION_RECORD_SCHOOL_DAYS = 15;
export const SUBJECT_ACCESS_MONTHS = 1;
export const EXTENDED_MONTHS = SUBJECT_ACCESS_MONTHS + 2;

/** The same day `months` calendar months later, or the last day of that month when it has no such day. */
export function calendarMonthsFrom(received: LocalDate, months: number): LocalDate {
  // Luxon keeps the day of the month and, when the month is shorter, stops at its last day.
  return DateTime.fromISO(received).plus({ months }).toISODate()!;
}

export type DueDate = { ok: true; dueOn: LocalDate } | { ok: false; problem: 'terms_run_out'; lastTermEndsOn: LocalDate | null };

/** The date a new request is due. An education record needs term dates that reach 15 school days past receipt. */
export function dueDate(kind: AccessRequestKind, received: LocalDate, calendar: SchoolCalendar): DueDate {
  if (kind === 'subject_access') return { ok: true, dueOn: workingDayOnOrAfter(calendarMonthsFrom(received, SUBJECT_ACCESS_MONTHS)) };
  const lastTermEndsOn = calendar.terms.reduce<LocalDate | null>((max, t) => (max === null || t.ends_on > max ? t.ends_on : max), null);
  if (lastTermEndsOn === null || lastTermEndsOn <= received) return { ok: false, problem: 'terms_run_out', lastTermEndsOn };
  try {
    return { ok: true, dueOn: addSchoolDays(calendar, received, EDUCATION_RECORD_SCHOOL_DAYS) };
  } catch {
    // addSchoolDays stops at the last term the school has entered: the count needs the next term's dates.
    return { ok: false, problem: 'terms_run_out', lastTermEndsOn };
  }
}

/** The date a complex subject access request is due once extended: three calendar months from receipt, on a working day. */
export function extendedDueDate(received: LocalDate): LocalDate {
  return workingDayOnOrAfter(calendarMonthsFrom(received, EXTENDED_MONTHS));
}

/** Calendar days from today to the due date: negative when overdue. */
export function daysUntil(today: LocalDate, dueOn: LocalDate): number {
  return Math.round(DateTime.fromISO(dueOn).diff(DateTime.fromISO(today), 'days').days);
}

/** The tag beside an open request: "Overdue", "Due today", "Due in 1 day", "Due in 12 days". */
export function dueTag(today: LocalDate, dueOn: LocalDate): { text: string; overdue: boolean; soon: boolean } {
  const days = daysUntil(today, dueOn);
  if (days < 0) return { text: 'Overdue', overdue: true, soon: true };
  if (days === 0) return { text: 'Due today', overdue: false, soon: true };
  return { text: `Due in ${days} ${days === 1 ? 'day' : 'days'}`, overdue: false, soon: days < DUE_THIS_WEEK_DAYS };
}

/** "Due this week" on the home page: due today or in the next six days (a full week ahead, whatever the weekday). */
export const DUE_THIS_WEEK_DAYS = 7;

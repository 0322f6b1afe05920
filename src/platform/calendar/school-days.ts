import { DateTime } from 'luxon';
import type { LocalDate } from '../../db/schema.ts';

/** A school's calendar: its terms and its closures (INSET days, snow days, bank holidays in term). */
export type SchoolCalendar = {
  terms: { starts_on: LocalDate; ends_on: LocalDate }[];
  closures: { starts_on: LocalDate; ends_on: LocalDate }[];
};

/** A school day is a weekday inside a term and outside every closure. */
export function isSchoolDay(calendar: SchoolCalendar, date: LocalDate): boolean {
  const weekday = DateTime.fromISO(date).weekday; // 1 = Monday … 7 = Sunday
  if (weekday > 5) return false;
  const inTerm = calendar.terms.some((t) => t.starts_on <= date && date <= t.ends_on);
  if (!inTerm) return false;
  return !calendar.closures.some((c) => c.starts_on <= date && date <= c.ends_on);
}

/**
 * The date that falls `days` school days after `from` (not counting `from` itself).
 * Used for deadlines such as "acknowledge a complaint within 5 school days".
 */
export function addSchoolDays(calendar: SchoolCalendar, from: LocalDate, days: number): LocalDate {
  if (days < 0) throw new Error('addSchoolDays counts forwards only');
  const lastTermEnd = calendar.terms.reduce((max, t) => (t.ends_on > max ? t.ends_on : max), '');
  let d = DateTime.fromISO(from);
  let counted = 0;
  while (counted < days) {
    d = d.plus({ days: 1 });
    const iso = d.toISODate()!;
    if (iso > lastTermEnd) throw new Error(`The school calendar has no terms after ${lastTermEnd}`);
    if (isSchoolDay(calendar, iso)) counted += 1;
  }
  return d.toISODate()!;
}

/** The first school day on or after a date (a complaint received in the holidays counts from here). */
export function firstSchoolDayFrom(calendar: SchoolCalendar, from: LocalDate): LocalDate {
  if (isSchoolDay(calendar, from)) return from;
  return addSchoolDays(calendar, from, 1);
}

/**
 * The date `days` school days before `from` (not counting `from`). Outside the terms the calendar
 * knows (before the first, after the last), weekdays count as school days, so the answer is never
 * stuck on a calendar nobody has filled in yet.
 */
export function schoolDaysBefore(calendar: SchoolCalendar, from: LocalDate, days: number): LocalDate {
  const starts = calendar.terms.map((t) => t.starts_on).sort();
  const ends = calendar.terms.map((t) => t.ends_on).sort();
  const [first, last] = [starts[0] ?? '', ends[ends.length - 1] ?? ''];
  let d = DateTime.fromISO(from);
  let counted = 0;
  while (counted < days) {
    d = d.minus({ days: 1 });
    const iso = d.toISODate()!;
    const known = first !== '' && first <= iso && iso <= last;
    if (known ? isSchoolDay(calendar, iso) : d.weekday <= 5) counted += 1;
  }
  return d.toISODate()!;
}

/**
 * The date `days` school days after the day a thing counts from. Raised in the holidays or at a
 * weekend, it counts from the next school day. Past the last term the school has entered, weekdays
 * count, so the answer never fails for want of next year's dates. (A concern's dates: features/concerns.)
 */
export function dueInSchoolDays(calendar: SchoolCalendar, from: LocalDate, days: number): LocalDate {
  const lastTermEnd = calendar.terms.reduce((max, t) => (t.ends_on > max ? t.ends_on : max), '');
  const counts = (d: DateTime) => {
    const iso = d.toISODate()!;
    return iso > lastTermEnd ? d.weekday <= 5 : isSchoolDay(calendar, iso);
  };
  let d = DateTime.fromISO(from);
  while (!counts(d)) d = d.plus({ days: 1 });
  for (let counted = 0; counted < days;) {
    d = d.plus({ days: 1 });
    if (counts(d)) counted += 1;
  }
  return d.toISODate()!;
}

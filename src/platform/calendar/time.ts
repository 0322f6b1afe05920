import { DateTime } from 'luxon';
import type { Instant, LocalDate } from '../../db/schema.ts';

/** One wrapper for dates and times: instants in UTC, school-local dates in the school's IANA zone. */

/** A clock the app reads; tests pass a fixed one. */
export type Clock = () => Date;
export const systemClock: Clock = () => new Date();

export function instant(d: Date): Instant {
  return d.toISOString();
}

export function addMinutes(d: Date, minutes: number): Date {
  return new Date(d.getTime() + minutes * 60_000);
}

/** The school-local date of an instant, e.g. today in Europe/London. */
export function localDate(d: Date, timeZone: string): LocalDate {
  return DateTime.fromJSDate(d, { zone: timeZone }).toISODate() as LocalDate;
}

export function isValidLocalDate(s: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(s) && DateTime.fromISO(s).isValid;
}

/** "23 November 2026" */
export function formatDate(date: LocalDate | null | undefined): string {
  if (!date) return '';
  const d = DateTime.fromISO(date);
  return d.isValid ? d.setLocale('en-GB').toFormat('d MMMM yyyy') : date;
}

/** "23 November 2026 at 4:20pm" in the school's zone. */
export function formatInstant(at: Instant | null | undefined, timeZone: string): string {
  if (!at) return '';
  const d = DateTime.fromISO(at, { zone: 'utc' }).setZone(timeZone).setLocale('en-GB');
  return `${d.toFormat('d MMMM yyyy')} at ${d.toFormat('h:mma').toLowerCase()}`;
}

/** Whole years between a date of birth and a date (age on that day). */
export function ageOn(dateOfBirth: LocalDate, on: LocalDate): number {
  return Math.floor(DateTime.fromISO(on).diff(DateTime.fromISO(dateOfBirth), 'years').years);
}

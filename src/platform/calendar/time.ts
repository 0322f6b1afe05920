import { DateTime } from 'luxon';
import { remembered } from '../remembered.ts';
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

/**
 * The school-local date of an instant, e.g. today in Europe/London. Every request asks (for "today"),
 * so through one cached Intl formatter per zone ("en-CA" writes dates as 2026-11-23), not a Luxon date.
 */
const dayFormatters = new Map<string, Intl.DateTimeFormat>();
/** The last answer per zone, for its second: requests arriving in the same second share it. */
const lastDay = new Map<string, { second: number; date: LocalDate }>();
export function localDate(d: Date, timeZone: string): LocalDate {
  const second = Math.floor(d.getTime() / 1000);
  const last = lastDay.get(timeZone);
  if (last?.second === second) return last.date;
  const date = formatLocalDate(d, timeZone);
  lastDay.set(timeZone, { second, date });
  return date;
}

function formatLocalDate(d: Date, timeZone: string): LocalDate {
  let f = dayFormatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    dayFormatters.set(timeZone, f);
  }
  const date = f.format(d);
  // Intl leaves years before 1000 unpadded: Luxon for those.
  return (/^\d{4}-\d{2}-\d{2}$/.test(date) ? date : DateTime.fromJSDate(d, { zone: timeZone }).toISODate()) as LocalDate;
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

/**
 * One Intl formatter per zone: pages and lists format many instants, and Intl with a cached formatter
 * is about ten times quicker than building a Luxon date for each.
 */
const formatters = new Map<string, Intl.DateTimeFormat>();
/**
 * The parts of instants already formatted: a booking page shows the same few hundred slot times to
 * every carer, and formatting them was a tenth of the booking rush's CPU. Bounded, cleared when full.
 */
const formatted = remembered<Readonly<Record<string, string>>>(20_000);
function partsOf(at: Instant, timeZone: string): Readonly<Record<string, string>> {
  return formatted(`${timeZone}|${at}`, () => formatParts(at, timeZone));
}

function formatParts(at: Instant, timeZone: string): Readonly<Record<string, string>> {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', { timeZone, day: 'numeric', month: 'long', year: 'numeric', hour: 'numeric', minute: '2-digit', hour12: true });
    formatters.set(timeZone, f);
  }
  const parts: Record<string, string> = {};
  for (const p of f.formatToParts(new Date(at))) parts[p.type] = p.value;
  return Object.freeze(parts);
}

/** "23 November 2026", the school-local date of an instant. */
export function formatInstantDate(at: Instant, timeZone: string): string {
  const p = partsOf(at, timeZone);
  return `${p.day} ${p.month} ${p.year}`;
}

/** "23 November 2026 at 4:20pm" in the school's zone; "at midday" and "at midnight" (GOV.UK style). */
export function formatInstant(at: Instant | null | undefined, timeZone: string): string {
  if (!at) return '';
  const p = partsOf(at, timeZone);
  return `${p.day} ${p.month} ${p.year} at ${clockWords(Number(p.hour) % 12, p.minute!, (p.dayPeriod ?? '').toLowerCase().replace(/[^a-z]/g, ''))}`;
}

/** "4:20pm" in the school's zone ("midday", "midnight"): the time of day alone, as formatInstant says it. */
export function formatTime(at: Instant, timeZone: string): string {
  return formatInstant(at, timeZone).split(' at ')[1] ?? '';
}

/** "4:20pm", "9:05am"; "midday" and "midnight" for 12:00 (hour on the 12-hour clock, 0 for 12). */
export function clockWords(hour: number, minute: string, period: string): string {
  if (hour === 0 && minute === '00') return period === 'pm' ? 'midday' : 'midnight';
  return `${hour === 0 ? 12 : hour}:${minute}${period}`;
}

/** Whole years between a date of birth and a date (age on that day). */
export function ageOn(dateOfBirth: LocalDate, on: LocalDate): number {
  return Math.floor(DateTime.fromISO(on).diff(DateTime.fromISO(dateOfBirth), 'years').years);
}

/**
 * A wall-clock time in the school's zone as an instant. Refuses times the clocks skip (the hour
 * after 01:00 on the last Sunday of March) and times that happen twice (the hour after 01:00 on
 * the last Sunday of October), because a person cannot tell which one they meant.
 */
export function schoolLocalInstant(date: LocalDate, time: string, timeZone: string): { ok: true; instant: Instant } | { ok: false; reason: 'invalid' | 'skipped' | 'twice' } {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || !/^\d{2}:\d{2}$/.test(time)) return { ok: false, reason: 'invalid' };
  const wanted = `${date}T${time}`;
  const d = DateTime.fromISO(wanted, { zone: timeZone });
  if (!d.isValid) return { ok: false, reason: 'invalid' };
  if (d.toFormat("yyyy-MM-dd'T'HH:mm") !== wanted) return { ok: false, reason: 'skipped' };
  if (d.getPossibleOffsets().length > 1) return { ok: false, reason: 'twice' };
  return { ok: true, instant: d.toUTC().toISO()! };
}

/** The instant a school-local day starts (midnight in the school's zone): "closed before 7 December" as an instant. */
export function startOfSchoolDay(date: LocalDate, timeZone: string): Instant {
  return DateTime.fromISO(date, { zone: timeZone }).startOf('day').toUTC().toJSDate().toISOString();
}

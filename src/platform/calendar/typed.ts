import { DateTime } from 'luxon';
import { z } from 'zod';
import type { LocalDate } from '../../db/schema.ts';

/**
 * Dates and times as people in UK offices and homes type them, read once at the edge.
 * Dates: 9/12/2026, 09/12/2026, 9.12.2026, 9-12-2026, 9 Dec 2026, 9 December 2026, Wed 9 Dec 2026,
 * 2026-12-09 (day before month, always). Times: 16:00, 16.00, 4pm, 4.00pm, 4:00 pm, 4 PM, midday.
 * Anything else gets a sentence saying what to write instead; nothing is guessed.
 */
export type Typed<T extends string, V> = ({ ok: true } & Record<T, V>) | { ok: false; problem: string };

const DATE_EXAMPLE = 'like 9/12/2026 or 9 December 2026';
const TIME_EXAMPLE = 'like 16:00 or 4pm';
/** Both spellings of English month abbreviations (Luxon reads "Sept" in en-GB and "Sep" in en-US). */
const LOCALES = ['en-GB', 'en-US'];
const NAMED = ['d MMM yyyy', 'd MMMM yyyy', 'd MMM, yyyy', 'd MMMM, yyyy'];

function named(text: string): DateTime | null {
  // "Wednesday 9th December 2026" → "9 December 2026"
  const s = text
    .replace(/^[a-z]+,?\s+(?=\d)/i, '')
    .replace(/(\d)(st|nd|rd|th)\b/i, '$1')
    .replace(/\s+/g, ' ');
  for (const format of NAMED) {
    for (const locale of LOCALES) {
      const d = DateTime.fromFormat(s, format, { locale });
      if (d.isValid) return d;
    }
  }
  return null;
}

function fromParts(year: number, month: number, day: number): Typed<'date', LocalDate> {
  if (month > 12 && day <= 12) return { ok: false, problem: `Write the day before the month, ${DATE_EXAMPLE}` };
  if (month < 1 || month > 12) return { ok: false, problem: `There is no month ${month}: write a real date, ${DATE_EXAMPLE}` };
  const d = DateTime.fromObject({ year, month, day });
  if (!d.isValid) {
    const monthName = DateTime.fromObject({ year, month, day: 1 }).setLocale('en-GB').toFormat('MMMM');
    return { ok: false, problem: `There is no ${day} ${monthName} ${year}: write a real date, ${DATE_EXAMPLE}` };
  }
  return { ok: true, date: d.toISODate()! };
}

/** A date typed in any of the ways above; `problem` says what to write instead. */
export function readDate(text: string): Typed<'date', LocalDate> {
  const s = text.trim();
  if (!s) return { ok: false, problem: `Enter a date, ${DATE_EXAMPLE}` };
  const iso = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(s);
  if (iso) return fromParts(Number(iso[1]), Number(iso[2]), Number(iso[3]));
  const numeric = /^(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{2,4})$/.exec(s);
  if (numeric) {
    if (numeric[3]!.length !== 4) return { ok: false, problem: `Write the year in full, ${DATE_EXAMPLE}` };
    return fromParts(Number(numeric[3]), Number(numeric[2]), Number(numeric[1]));
  }
  const d = named(s);
  if (d) return { ok: true, date: d.toISODate()! };
  if (/^\d{1,2}\s*[/.-]\s*\d{1,2}$/.test(s) || (/[a-z]/i.test(s) && !/\d{4}/.test(s))) return { ok: false, problem: `Include the year, ${DATE_EXAMPLE}` };
  return { ok: false, problem: `Enter a real date, ${DATE_EXAMPLE}` };
}

const TIMES_12 = ['h:mma', 'h:mm a', 'h.mma', 'h.mm a', 'ha', 'h a'];

/** A time of day typed in any of the ways above, as 'HH:mm'. A bare "4" is refused: am or pm? */
export function readTime(text: string): Typed<'time', string> {
  const s = text
    .trim()
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .replace(/\b([ap])\.?m\.?$/, '$1m');
  if (!s) return { ok: false, problem: `Enter a time, ${TIME_EXAMPLE}` };
  if (s === 'midday' || s === 'noon' || s === '12 noon') return { ok: true, time: '12:00' };
  if (s === 'midnight') return { ok: true, time: '00:00' };
  const clock24 = /^(\d{1,2})[:.](\d{2})$/.exec(s);
  if (clock24) {
    const [h, m] = [Number(clock24[1]), Number(clock24[2])];
    if (h > 23 || m > 59) return { ok: false, problem: `Enter a real time, ${TIME_EXAMPLE}` };
    return { ok: true, time: `${String(h).padStart(2, '0')}:${clock24[2]}` };
  }
  if (/[ap]m$/.test(s)) {
    const hour = Number(/^\d{1,2}/.exec(s)?.[0]);
    if (!(hour >= 1 && hour <= 12)) return { ok: false, problem: `Enter a real time, ${TIME_EXAMPLE}` };
    for (const format of TIMES_12) {
      const d = DateTime.fromFormat(s, format, { locale: 'en-GB' });
      if (d.isValid) return { ok: true, time: d.toFormat('HH:mm') };
    }
    return { ok: false, problem: `Enter a real time, ${TIME_EXAMPLE}` };
  }
  if (/^\d{1,2}$/.test(s)) {
    const h = Number(s);
    if (h >= 13 && h <= 23) return { ok: true, time: `${h}:00` };
    if (h >= 1 && h <= 12) return { ok: false, problem: `Say whether ${h} is in the morning or afternoon, like ${h}am or ${h}pm` };
  }
  return { ok: false, problem: `Enter a real time, ${TIME_EXAMPLE}` };
}

/**
 * The GOV.UK date input: three boxes, `<name>-day`, `<name>-month` and `<name>-year`. parseForm
 * (platform/web/forms.ts) folds them into one DateParts value under `<name>`; a single text value
 * under `<name>` (old links, tests, imports) is still read by readDate.
 */
export type DateParts = { day?: unknown; month?: unknown; year?: unknown };
export type DateBox = 'day' | 'month' | 'year';
export const DATE_BOXES: readonly DateBox[] = ['day', 'month', 'year'];
/**
 * Which of GOV.UK's date messages applies, so a page in another language can word it through the
 * catalogues (dateErrorIn in platform/web/date-words.ts): nothing typed, boxes left empty, a year
 * not of 4 numbers, or not a real date.
 */
export type DateWhy = { why: 'enter' } | { why: 'include'; missing: DateBox[] } | { why: 'year' } | { why: 'real' };
/** A date from the boxes, or what is wrong in words that follow `label` and which boxes to highlight. */
export type TypedParts = { ok: true; date: LocalDate } | ({ ok: false; problem: (label: string) => string; boxes: DateBox[] } & DateWhy);

const MONTH_NAMES = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

function box(value: unknown): string {
  return typeof value === 'string' ? value.trim() : typeof value === 'number' ? String(value) : '';
}

/** A month box may hold 12, 012 or a name ("Dec", "December", "sept"), as GOV.UK's pattern allows. */
function monthNumber(text: string): number {
  if (/^\d{1,2}$/.test(text)) return Number(text);
  const name = text.toLowerCase().replace(/\.$/, '');
  const i = MONTH_NAMES.indexOf(name.slice(0, 3));
  const full = DateTime.fromObject({ month: i + 1, day: 1 })
    .setLocale('en-GB')
    .toFormat('MMMM')
    .toLowerCase();
  return i >= 0 && (name.length === 3 || name === 'sept' || name === full) ? i + 1 : NaN;
}

/** Reads the three boxes with GOV.UK's error messages: "Enter …", "… must include a month", "… must be a real date". */
export function readDateParts(parts: DateParts): TypedParts {
  const text = { day: box(parts.day), month: box(parts.month), year: box(parts.year) };
  const empty = DATE_BOXES.filter((b) => !text[b]);
  if (empty.length === 3) return { ok: false, problem: (label) => `Enter ${label}`, boxes: [...DATE_BOXES], why: 'enter' };
  if (empty.length > 0) return { ok: false, problem: (label) => `${capitalise(label)} must include a ${empty.join(' and ')}`, boxes: empty, why: 'include', missing: empty };
  const day = /^\d{1,2}$/.test(text.day) ? Number(text.day) : NaN;
  const month = monthNumber(text.month);
  const wrong = [...(day >= 1 && day <= 31 ? [] : ['day' as const]), ...(month >= 1 && month <= 12 ? [] : ['month' as const])];
  if (!/^\d{4}$/.test(text.year)) return { ok: false, problem: () => 'Year must include 4 numbers', boxes: ['year'], why: 'year' };
  if (wrong.length) return { ok: false, problem: (label) => `${capitalise(label)} must be a real date`, boxes: wrong, why: 'real' };
  const d = DateTime.fromObject({ year: Number(text.year), month, day });
  if (!d.isValid) return { ok: false, problem: (label) => `${capitalise(label)} must be a real date`, boxes: ['day'], why: 'real' };
  return { ok: true, date: d.toISODate()! };
}

/** The boxes of a posted value: DateParts as they are, a single text spread over the boxes when readDate reads it. */
export function dateBoxes(value: unknown): Record<DateBox, string> {
  if (value && typeof value === 'object') {
    const parts = value as DateParts;
    return { day: box(parts.day), month: box(parts.month), year: box(parts.year) };
  }
  const text = typeof value === 'string' ? value.trim() : '';
  const typed = text ? readDate(text) : null;
  if (!typed?.ok) {
    // Not a date, but typed as one (31/11/2026): kept in the boxes so the person can put it right.
    const numeric = /^(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{2,4})$/.exec(text);
    const iso = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(text);
    if (numeric) return { day: numeric[1]!, month: numeric[2]!, year: numeric[3]! };
    if (iso) return { day: iso[3]!, month: iso[2]!, year: iso[1]! };
    return { day: '', month: '', year: '' };
  }
  const [year, month, day] = typed.date.split('-');
  return { day: String(Number(day)), month: String(Number(month)), year: year! };
}

/**
 * A date field's value (three boxes or one text) read into a date, or the sentence to show beside it,
 * the boxes at fault and which message it is (`why`, for the reader's language).
 */
export function readDateField(value: unknown, label: string): { ok: true; date: LocalDate } | ({ ok: false; problem: string; boxes: DateBox[] } & DateWhy) {
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    const typed = readDateParts(value as DateParts);
    return typed.ok ? typed : { ...typed, problem: typed.problem(label) };
  }
  const text = typeof value === 'string' ? value.trim() : '';
  if (!text) return { ok: false, problem: `Enter ${label}`, boxes: [...DATE_BOXES], why: 'enter' };
  const typed = readDate(text);
  return typed.ok ? typed : { ok: false, problem: typed.problem, boxes: [...DATE_BOXES], why: 'real' };
}

/** The boxes to highlight when a date field has an error: those at fault, or all three for a single text. */
export function dateBoxesInError(value: unknown): DateBox[] {
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    const typed = readDateParts(value as DateParts);
    if (!typed.ok) return typed.boxes;
  }
  return [...DATE_BOXES];
}

/** True when nothing was typed in the boxes or the text. */
export function isEmptyDate(value: unknown): boolean {
  if (value === undefined || value === null) return true;
  if (typeof value === 'string') return value.trim() === '';
  if (typeof value === 'object') return DATE_BOXES.every((b) => !box((value as DateParts)[b]));
  return false;
}

/**
 * The Zod helper for a date field: the three boxes or one text, read into 'YYYY-MM-DD'. `label` is
 * the field in words after "Enter" ("the date of the meeting"). With `optional`, nothing typed is null.
 */
export function dateField(label: string): z.ZodType<LocalDate, unknown>;
export function dateField(label: string, options: { optional: true }): z.ZodType<LocalDate | null, unknown>;
export function dateField(label: string, options: { optional?: boolean } = {}): z.ZodType<LocalDate | null, unknown> {
  return z
    .unknown()
    .optional() // a missing field is read (and refused or null) below, not refused by Zod
    .transform((value, ctx): LocalDate | null => {
      if (options.optional && isEmptyDate(value)) return null;
      const typed = readDateField(value, label);
      if (typed.ok) return typed.date;
      ctx.addIssue({ code: 'custom', message: typed.problem });
      return z.NEVER;
    });
}

/** A required date field whose missing message is given whole ("Enter the date it was done"). */
export function requiredDate(missing: string) {
  return dateField(missing.replace(/^Enter /, ''));
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

import type { Instant, LocalDate } from '../../db/schema.ts';
import { formatDate, formatInstant, formatInstantDate } from '../calendar/time.ts';
import { ENGLISH } from './languages.ts';

/**
 * Dates and times in the reader's language, always on the school's clock (Europe/London unless the
 * school says otherwise). English keeps the GOV.UK style ("9 December 2026 at 4:20pm"); other
 * languages take their own CLDR patterns through Intl.
 */
const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(code: string, timeZone: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const id = `${code}|${timeZone}|${JSON.stringify(options)}`;
  let f = formatters.get(id);
  if (!f) {
    f = new Intl.DateTimeFormat(code, { ...options, timeZone });
    formatters.set(id, f);
  }
  return f;
}

const DAY: Intl.DateTimeFormatOptions = { day: 'numeric', month: 'long', year: 'numeric' };
const DAY_TIME: Intl.DateTimeFormatOptions = { ...DAY, hour: 'numeric', minute: '2-digit' };
const TIME: Intl.DateTimeFormatOptions = { hour: 'numeric', minute: '2-digit' };
const WEEKDAY_TIME: Intl.DateTimeFormatOptions = { weekday: 'long', ...DAY_TIME };

/** "9 December 2026", "9 grudnia 2026": a school-local date. */
export function dateIn(code: string, date: LocalDate | null | undefined): string {
  if (!date) return '';
  if (code === ENGLISH) return formatDate(date);
  // A plain date is the same day everywhere: read and write it at noon UTC.
  return formatter(code, 'UTC', DAY).format(new Date(`${date}T12:00:00Z`));
}

/** An instant's date and time in the school's zone. */
export function instantIn(code: string, at: Instant | null | undefined, timeZone: string): string {
  if (!at) return '';
  if (code === ENGLISH) return formatInstant(at, timeZone);
  return formatter(code, timeZone, DAY_TIME).format(new Date(at));
}

/**
 * An instant with its day of the week, for a date a family has to plan around (an event's sessions):
 * "Thursday 19 November 2026 at 6:00pm", "czwartek, 19 listopada 2026 18:00".
 */
export function weekdayInstantIn(code: string, at: Instant | null | undefined, timeZone: string): string {
  if (!at) return '';
  if (code === ENGLISH) return `${formatter('en-GB', timeZone, { weekday: 'long' }).format(new Date(at))} ${formatInstant(at, timeZone)}`;
  return formatter(code, timeZone, WEEKDAY_TIME).format(new Date(at));
}

/** An instant's date with its day of the week ("Tuesday 23 March 2027", "wtorek, 23 marca 2027"), for the same. */
export function weekdayInstantDateIn(code: string, at: Instant, timeZone: string): string {
  if (code === ENGLISH) return `${formatter('en-GB', timeZone, { weekday: 'long' }).format(new Date(at))} ${formatInstantDate(at, timeZone)}`;
  return formatter(code, timeZone, { weekday: 'long', ...DAY }).format(new Date(at));
}

/** An instant's date in the school's zone. */
export function instantDateIn(code: string, at: Instant, timeZone: string): string {
  if (code === ENGLISH) return formatInstantDate(at, timeZone);
  return formatter(code, timeZone, DAY).format(new Date(at));
}

/** An instant's time of day in the school's zone ("16:20" in Polish; English pages keep their own wording). */
export function timeIn(code: string, at: Instant, timeZone: string): string {
  if (code === ENGLISH) return formatInstant(at, timeZone).split(' at ').pop()!;
  return formatter(code, timeZone, TIME).format(new Date(at));
}

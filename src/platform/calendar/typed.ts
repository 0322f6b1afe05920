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

/** A form field that must hold a date, read as readDate reads it: `missing` when empty, readDate's sentence when unreadable. */
export function requiredDate(missing: string) {
  return z
    .string({ error: missing })
    .trim()
    .min(1, missing)
    .transform((v, ctx): LocalDate => {
      const typed = readDate(v);
      if (!typed.ok) {
        ctx.addIssue({ code: 'custom', message: typed.problem });
        return z.NEVER;
      }
      return typed.date;
    });
}

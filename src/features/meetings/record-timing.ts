import { DateTime } from 'luxon';
import type { Instant, LocalDate } from '../../db/schema.ts';
import { formatInstant, localDate } from '../../platform/calendar/time.ts';
import { isSchoolDay, type SchoolCalendar } from '../../platform/calendar/school-days.ts';

/**
 * When things in a meeting's record may happen, as plain rules:
 * - nothing is recorded as held, and no thank-you or summary sent, before the meeting starts (a
 *   meeting with no time set cannot be checked, and is allowed);
 * - a follow-up date before the meeting, or on a day the school is shut (a weekend, the holidays, a
 *   closure), is probably a slip: it gets a warning beside the field, and saves once confirmed.
 */
export function notStartedYet(startsAt: Instant | null, now: Date, timeZone: string, what: 'outcome' | 'summary'): string | null {
  if (!startsAt || Date.parse(startsAt) <= now.getTime()) return null;
  const when = formatInstant(startsAt, timeZone);
  return what === 'outcome'
    ? `This meeting has not started yet (it starts on ${when}). Record what was agreed once it has started`
    : `This meeting has not started yet (it starts on ${when}). Send the thank-you and summary after it`;
}

const longDate = (d: LocalDate) => DateTime.fromISO(d).setLocale('en-GB').toFormat('cccc d MMMM yyyy');

/** Why this follow-up date looks wrong, or null when it looks right. */
export function followUpWarning(followUp: LocalDate, meetingStartsAt: Instant | null, timeZone: string, calendar: SchoolCalendar): string | null {
  const day = longDate(followUp);
  const meetingDay = meetingStartsAt ? localDate(new Date(meetingStartsAt), timeZone) : null;
  if (meetingDay && followUp < meetingDay) return `${day} is before the meeting (${longDate(meetingDay)}). Check the date, or confirm it is right`;
  if (isSchoolDay(calendar, followUp)) return null;
  if (DateTime.fromISO(followUp).weekday > 5) return `${day} is a weekend. Check the date, or confirm it is right`;
  if (calendar.closures.some((c) => c.starts_on <= followUp && followUp <= c.ends_on)) return `The school is closed on ${day}. Check the date, or confirm it is right`;
  // In the holidays: between the first term the school has entered and the last (after the last one, nobody knows yet).
  const starts = calendar.terms.map((t) => t.starts_on).sort();
  const ends = calendar.terms.map((t) => t.ends_on).sort();
  if (starts.length > 0 && starts[0]! <= followUp && followUp <= ends[ends.length - 1]!) return `${day} is in the school holidays. Check the date, or confirm it is right`;
  return null;
}

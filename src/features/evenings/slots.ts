import { DateTime } from 'luxon';
import type { Instant, LocalDate } from '../../db/schema.ts';

/**
 * Parents' evening sessions and their appointment slots, as plain data. A session is a school-local
 * date and wall-clock times ("Thursday 15:30–18:30, 10-minute slots, a break 17:00–17:15"); its
 * slots are instants, so an evening on the day the clocks change still has every slot at the right
 * time. (Issue 4 builds booking on this; the rules here are the ones its "bad input" list names.)
 */
export type Session = {
  date: LocalDate;
  starts: string; // 'HH:mm' school time
  ends: string;
  slotMinutes: number;
  breaks: { starts: string; ends: string }[];
};
export type Slot = { starts: Instant; ends: Instant; label: string };

const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;
const minutesOf = (t: string) => Number(t.slice(0, 2)) * 60 + Number(t.slice(3, 5));

/** What is wrong with a session, in words for the person setting it up; null when it is fine. */
export function sessionProblem(s: Session): string | null {
  if (!DateTime.fromISO(s.date).isValid) return 'Enter a real date for the session';
  if (!TIME.test(s.starts) || !TIME.test(s.ends)) return 'Enter start and end times like 15:30';
  const start = minutesOf(s.starts);
  const end = minutesOf(s.ends);
  if (end <= start) return 'The session must end after it starts';
  if (!Number.isInteger(s.slotMinutes) || s.slotMinutes < 5 || s.slotMinutes > 60) return 'Slots must be between 5 and 60 minutes';
  const free = end - start - s.breaks.reduce((sum, b) => sum + Math.max(0, minutesOf(b.ends) - minutesOf(b.starts)), 0);
  for (const b of s.breaks) {
    if (!TIME.test(b.starts) || !TIME.test(b.ends) || minutesOf(b.ends) <= minutesOf(b.starts)) return 'Each break needs a start and a later end, like 17:00 to 17:15';
    if (minutesOf(b.starts) < start || minutesOf(b.ends) > end) return 'Breaks must fall inside the session';
  }
  if (free % s.slotMinutes !== 0) return `${s.slotMinutes}-minute slots do not fit the ${free} minutes of the session: change the times or the slot length`;
  return null;
}

/** Sessions on the same day must not overlap. Returns the first clash in words, or null. */
export function overlappingSessions(sessions: Session[]): string | null {
  const sorted = [...sessions].sort((a, b) => (a.date + a.starts).localeCompare(b.date + b.starts));
  for (let i = 1; i < sorted.length; i++) {
    const a = sorted[i - 1]!;
    const b = sorted[i]!;
    if (a.date === b.date && minutesOf(b.starts) < minutesOf(a.ends)) return `The sessions on ${a.date} overlap (${a.starts}–${a.ends} and ${b.starts}–${b.ends})`;
  }
  return null;
}

/** The session's slots, in order, skipping breaks; each slot's instants are in UTC. */
export function slotsOf(s: Session, timeZone: string): Slot[] {
  const problem = sessionProblem(s);
  if (problem) throw new Error(problem);
  // A slot that would run into a break starts again when the break ends.
  const clash = (m: number) => s.breaks.filter((b) => m < minutesOf(b.ends) && m + s.slotMinutes > minutesOf(b.starts));
  const slots: Slot[] = [];
  for (let m = minutesOf(s.starts); m + s.slotMinutes <= minutesOf(s.ends);) {
    const breaks = clash(m);
    if (breaks.length > 0) {
      m = Math.max(...breaks.map((b) => minutesOf(b.ends)));
      continue;
    }
    const at = DateTime.fromISO(s.date, { zone: timeZone }).set({ hour: Math.floor(m / 60), minute: m % 60 });
    const label = at.toFormat('HH:mm');
    slots.push({ starts: at.toUTC().toISO()!, ends: at.plus({ minutes: s.slotMinutes }).toUTC().toISO()!, label });
    m += s.slotMinutes;
  }
  return slots;
}

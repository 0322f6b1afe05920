import { DateTime } from 'luxon';
import type { Instant, MeetingMode } from '../../db/schema.ts';
import { formatInstantDate } from '../../platform/calendar/time.ts';
import type { CalendarEvent } from '../../platform/calendar/ics.ts';
import { MODE_LABELS } from './setup.ts';
import { needsLines, type Needs } from './needs.ts';

/**
 * A teacher's schedule for an evening, as plain data: each slot in school time with who is coming,
 * how they meet and where; and the same appointments as calendar events.
 */

export type ScheduleSlot = {
  slotId: string;
  startsAt: Instant;
  endsAt: Instant;
  unavailable: boolean;
  booking: null | {
    id: string;
    status: 'held' | 'booked';
    holdExpiresAt: Instant | null;
    mode: MeetingMode;
    /** Times moved to another time: the calendar file's SEQUENCE. */
    moves: number;
    pupilName: string;
    /** The carer who booked first, then anyone who joined; with what each asked for to help them take part (needs.ts). */
    carers: { id?: string; name: string; mobile: string | null; needs?: Needs | null; bannedFromPremises?: boolean }[];
  };
};

export type Place = { room: string | null; videoLink: string | null };

export type ScheduleRow = {
  slotId: string;
  time: string;
  state: 'free' | 'unavailable' | 'booked' | 'held';
  bookingId: string | null;
  child: string;
  carers: string;
  /** The same names one by one, for a page that isolates each (a right-to-left name beside a comma). */
  carerNames: string[];
  mode: string;
  /** Where: the room, the video link, or the number to ring. */
  where: string;
  link: string | null;
  /** "Interpreter needed: Polish" and access notes, each carer's (named when two come to one appointment). */
  needs: { carer: string | null; lines: string[] }[];
  /** An appointment in person with a carer banned from the premises that day (booked before the ban): the names, to change it. */
  banned: string[];
};

/** What each carer coming asked for; a carer is named only when more than one comes (a joined appointment). */
export function needsOfCarers(carers: { name: string; needs?: Needs | null }[]): { carer: string | null; lines: string[] }[] {
  return carers.map((c) => ({ carer: carers.length > 1 ? c.name : null, lines: needsLines(c.needs) })).filter((n) => n.lines.length > 0);
}

/** The same as one line of words (the calendar file, the spreadsheet). */
export function needsWords(needs: { carer: string | null; lines: string[] }[]): string {
  return needs.map((n) => (n.carer ? `${n.carer}: ${n.lines.join('. ')}` : n.lines.join('. '))).join('. ');
}

/** "5:00pm" in the school's zone. */
export function timeOfDay(at: Instant, timeZone: string): string {
  return DateTime.fromISO(at, { zone: 'utc' }).setZone(timeZone).toFormat('h:mma').toLowerCase();
}

function whereFor(mode: MeetingMode, place: Place, carers: { mobile: string | null }[]): { where: string; link: string | null } {
  if (mode === 'video') return place.videoLink ? { where: place.videoLink, link: place.videoLink } : { where: 'No video link yet', link: null };
  if (mode === 'phone') {
    const numbers = carers.map((c) => c.mobile).filter((m): m is string => !!m);
    return { where: numbers.length ? `Ring ${numbers.join(' or ')}` : 'No phone number: ask the office', link: null };
  }
  return { where: place.room ?? 'No room yet', link: null };
}

/** The schedule, one row per slot, grouped by the date in school time. */
export function scheduleRows(slots: ScheduleSlot[], place: Place, timeZone: string, now: Date): { date: string; rows: ScheduleRow[] }[] {
  const days: { date: string; rows: ScheduleRow[] }[] = [];
  const at = now.toISOString();
  for (const s of slots) {
    const date = formatInstantDate(s.startsAt, timeZone);
    let day = days.at(-1);
    if (!day || day.date !== date) days.push((day = { date, rows: [] }));
    const base = {
      slotId: s.slotId,
      time: `${timeOfDay(s.startsAt, timeZone)} to ${timeOfDay(s.endsAt, timeZone)}`,
      bookingId: null,
      child: '',
      carers: '',
      carerNames: [],
      mode: '',
      where: '',
      link: null,
      needs: [],
      banned: [],
    };
    const b = s.booking;
    const live = b && (b.status === 'booked' || (b.holdExpiresAt !== null && b.holdExpiresAt > at));
    if (b && live && b.status === 'booked') {
      day.rows.push({
        ...base,
        state: 'booked',
        bookingId: b.id,
        child: b.pupilName,
        carers: b.carers.map((c) => c.name).join(', '),
        carerNames: b.carers.map((c) => c.name),
        mode: MODE_LABELS[b.mode],
        ...whereFor(b.mode, place, b.carers),
        needs: needsOfCarers(b.carers),
        banned: b.mode === 'in_person' ? b.carers.filter((c) => c.bannedFromPremises).map((c) => c.name) : [],
      });
    } else if (b && live) {
      day.rows.push({ ...base, state: 'held', child: 'Being booked now' });
    } else {
      day.rows.push({ ...base, state: s.unavailable ? 'unavailable' : 'free' });
    }
  }
  return days;
}

/** The booked appointments as calendar events (a stable uid per booking, so a calendar updates rather than duplicates). */
export type CancelledAppointment = { id: string; startsAt: string; endsAt: string; moves: number; pupilName: string };

/** The teacher's calendar file: each booked appointment, and each cancelled one marked cancelled (one version on from its last). */
export function scheduleEvents(eveningName: string, slots: ScheduleSlot[], place: Place, cancelled: CancelledAppointment[] = []): CalendarEvent[] {
  return [
    ...bookedEvents(eveningName, slots, place),
    ...cancelled.map((c) => ({
      uid: `evening-booking-${c.id}`,
      title: `${eveningName}: ${c.pupilName}`,
      description: `Cancelled: ${c.pupilName}.`,
      starts: c.startsAt,
      ends: c.endsAt,
      cancelled: true,
      sequence: c.moves + 1,
    })),
  ];
}

function bookedEvents(eveningName: string, slots: ScheduleSlot[], place: Place): CalendarEvent[] {
  return slots.flatMap((s) => {
    const b = s.booking;
    if (!b || b.status !== 'booked') return [];
    const where = whereFor(b.mode, place, b.carers);
    const needs = needsWords(needsOfCarers(b.carers));
    return [
      {
        uid: `evening-booking-${b.id}`,
        title: `${eveningName}: ${b.pupilName}`,
        description: `${b.pupilName} with ${b.carers.map((c) => c.name).join(' and ')}. ${MODE_LABELS[b.mode]}: ${where.where}.${needs ? `\n${needs}.` : ''}`,
        location: b.mode === 'in_person' ? place.room : b.mode === 'video' ? place.videoLink : null,
        starts: s.startsAt,
        ends: s.endsAt,
        sequence: b.moves,
      },
    ];
  });
}

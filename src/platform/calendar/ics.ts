import { DateTime } from 'luxon';
import { createEvents, type EventAttributes } from 'ics';

/** One appointment in a calendar file. Instants are UTC ISO text; calendars show them in local time. */
export type CalendarEvent = {
  /** Stable across downloads (e.g. the booking or meeting id), so a calendar updates instead of duplicating. */
  uid: string;
  title: string;
  description: string;
  location?: string | null;
  starts: string;
  ends: string;
  /** A cancelled appointment: calendars that already have it remove or strike it out. */
  cancelled?: boolean;
  /**
   * How many times it has changed since first made (RFC 5545 SEQUENCE): a calendar that already has
   * this uid takes the new time only from a file with a higher number. Leave it out for 0.
   */
  sequence?: number;
};

/** An iCalendar (.ics) file for one or more appointments, with a reminder an hour before; `stamp` is when it was made (DTSTAMP). */
export function calendarFile(events: CalendarEvent[], stamp: Date = new Date()): string {
  const attributes: EventAttributes[] = events.map((e) => ({
    uid: `${e.uid}@gatepost`,
    title: e.title,
    description: e.description,
    ...(e.location ? { location: e.location } : {}),
    start: Date.parse(e.starts),
    end: Date.parse(e.ends),
    startInputType: 'utc',
    startOutputType: 'utc',
    endInputType: 'utc',
    endOutputType: 'utc',
    status: e.cancelled ? 'CANCELLED' : 'CONFIRMED',
    ...(e.sequence ? { sequence: e.sequence } : {}),
    timestamp: stamp.getTime(),
    productId: 'gatepost/ics',
    alarms: e.cancelled ? [] : [{ action: 'display', description: e.title, trigger: { hours: 1, before: true } }],
  }));
  const { error, value } = createEvents(attributes);
  if (error || !value) throw error ?? new Error('Could not make the calendar file');
  return value;
}

/** A day or days with no times (a term, an INSET day): `lastDay` is the last day it covers. */
export type AllDayEvent = { uid: string; title: string; firstDay: string; lastDay: string };

/** An iCalendar file of all-day events (no reminder): calendars show them across the days, in any time zone. */
export function allDayCalendarFile(events: AllDayEvent[], stamp: Date = new Date()): string {
  const ymd = (d: string): [number, number, number] => {
    const [y, m, day] = d.split('-').map(Number);
    return [y!, m!, day!];
  };
  // RFC 5545: an all-day event ends on the day after its last day.
  const next = (d: string) => DateTime.fromISO(d).plus({ days: 1 }).toISODate()!;
  const attributes: EventAttributes[] = events.map((e) => ({
    uid: `${e.uid}@gatepost`,
    title: e.title,
    start: ymd(e.firstDay),
    end: ymd(next(e.lastDay)),
    timestamp: stamp.getTime(),
    productId: 'gatepost/ics',
  }));
  const { error, value } = createEvents(attributes);
  if (error || !value) throw error ?? new Error('Could not make the calendar file');
  return value;
}

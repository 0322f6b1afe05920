import type { Db } from '../../db/database.ts';
import type { MeetingMode } from '../../db/schema.ts';
import { newId } from '../../platform/ids.ts';
import type { Fixture } from '../../../test/support/fixture.ts';
import { slotsOf, type Session } from './slots.ts';
import type { ReceivedEmail, SmtpSink } from '../../platform/channels/smtp-sink.ts';

/**
 * Test data for booking: a published parents' evening written straight into the tables (evening,
 * sessions, classes, teachers with rooms, every slot), so booking tests do not depend on set-up.
 * Defaults: Thursday 26 November 2026, 15:30–17:30, 10-minute slots, a 5-minute travel gap, Years 3
 * and 4 and Reception with their teachers; booking open from 2 to 25 November.
 */
export type TestEvening = {
  id: string;
  /** The slot id for a teacher at a school-local time on the session's date, e.g. slot(okafor, '16:00'). */
  slot(staffId: string, hhmm: string, date?: string): string;
  slotIds(staffId: string): string[];
};

export type EveningOptions = {
  name?: string;
  sessions?: Session[];
  classIds?: string[];
  teacherIds?: string[];
  modes?: MeetingMode[];
  travelGapMinutes?: number;
  separatedCarers?: 'own' | 'join' | 'either';
  opensAt?: string;
  closesAt?: string;
  published?: boolean;
  schoolId?: string;
};

export async function makeBookingEvening(db: Db, fx: Fixture, o: EveningOptions = {}): Promise<TestEvening> {
  const id = newId();
  const schoolId = o.schoolId ?? fx.school.id;
  const at = '2026-10-01T09:00:00.000Z';
  const sessions = o.sessions ?? [{ date: '2026-11-26', starts: '15:30', ends: '17:30', slotMinutes: 10, breaks: [] }];
  const classIds = o.classIds ?? [fx.classes.y3, fx.classes.y4, fx.classes.reception];
  const teacherIds = o.teacherIds ?? [fx.staff.teacher, fx.staff.teacher2, fx.staff.teacher3];
  await db
    .insertInto('evenings')
    .values({
      id,
      school_id: schoolId,
      name: o.name ?? "Autumn parents' evening",
      modes: (o.modes ?? ['in_person', 'video']).join(','),
      travel_gap_minutes: o.travelGapMinutes ?? 5,
      separated_carers: o.separatedCarers ?? 'own',
      booking_opens_at: o.opensAt ?? '2026-11-02T18:00:00.000Z',
      booking_closes_at: o.closesAt ?? '2026-11-25T12:00:00.000Z',
      published_at: o.published === false ? null : at,
      created_by: schoolId === fx.school.id ? fx.staff.head : fx.staff.otherHead,
      created_at: at,
      updated_at: at,
    })
    .execute();
  if (classIds.length > 0)
    await db
      .insertInto('evening_classes')
      .values(classIds.map((class_id) => ({ evening_id: id, class_id, school_id: schoolId })))
      .execute();
  if (teacherIds.length > 0) {
    await db
      .insertInto('evening_teachers')
      .values(teacherIds.map((staff_id, i) => ({ evening_id: id, staff_id, school_id: schoolId, room: `Room ${i + 3}`, video_link: `https://meet.example.org/room-${i + 3}` })))
      .execute();
  }
  const byKey = new Map<string, string>();
  const byTeacher = new Map<string, string[]>();
  for (const s of sessions) {
    const sessionId = newId();
    await db
      .insertInto('evening_sessions')
      .values({ id: sessionId, school_id: schoolId, evening_id: id, date: s.date, starts: s.starts, ends: s.ends, slot_minutes: s.slotMinutes, breaks_json: JSON.stringify(s.breaks) })
      .execute();
    const rows = teacherIds.flatMap((staffId) =>
      slotsOf(s, 'Europe/London').map((slot) => {
        const slotId = newId();
        byKey.set(`${staffId}|${s.date}|${slot.label}`, slotId);
        byTeacher.set(staffId, [...(byTeacher.get(staffId) ?? []), slotId]);
        return { id: slotId, school_id: schoolId, evening_id: id, session_id: sessionId, staff_id: staffId, starts_at: slot.starts, ends_at: slot.ends, unavailable: 0 as const };
      }),
    );
    if (rows.length > 0) await db.insertInto('evening_slots').values(rows).execute();
  }
  const firstDate = sessions[0]!.date;
  return {
    id,
    slot(staffId, hhmm, date = firstDate) {
      const slotId = byKey.get(`${staffId}|${date}|${hhmm}`);
      if (!slotId) throw new Error(`No slot for ${staffId} at ${date} ${hhmm}`);
      return slotId;
    },
    slotIds: (staffId) => byTeacher.get(staffId) ?? [],
  };
}

/** Count the live bookings on a slot, and a carer's live attendee rows: what the concurrency tests check. */
export async function liveBookingsOnSlot(db: Db, slotId: string): Promise<number> {
  const rows = await db.selectFrom('evening_bookings').select('id').where('slot_id', '=', slotId).where('cancelled_at', 'is', null).execute();
  return rows.length;
}

/** The evening's live bookings (a carer's, when given), in time order. */
export function liveBookings(db: Db, eveningId: string, carerId?: string) {
  let q = db.selectFrom('evening_bookings').selectAll().where('evening_id', '=', eveningId).where('cancelled_at', 'is', null);
  if (carerId) q = q.where('carer_id', '=', carerId);
  return q.orderBy('starts_at').execute();
}

/** Before each test: nobody booked (a carer's appointments are one per time across evenings, so earlier tests' would clash). */
export async function cancelEveryBooking(db: Db, at: Date): Promise<void> {
  await db.updateTable('evening_attendees').set({ cancelled_at: at.toISOString() }).where('cancelled_at', 'is', null).execute();
  await db.updateTable('evening_bookings').set({ cancelled_at: at.toISOString() }).where('cancelled_at', 'is', null).execute();
}

/** The first email to `to` whose subject has `subject` and whose text has `containing`, waiting for it to arrive (an earlier test's email may still be on its way). */
export async function emailAbout(sink: SmtpSink, to: string, subject: string, containing = ''): Promise<ReceivedEmail> {
  const mine = () => sink.messages.filter((m) => m.to.includes(to));
  for (let i = 0; i < 100; i++) {
    const found = mine().find((m) => m.subject.includes(subject) && m.text.includes(containing));
    if (found) return found;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(
    `No email to ${to} about ${subject}: got ${mine()
      .map((m) => m.subject)
      .join('; ')}`,
  );
}

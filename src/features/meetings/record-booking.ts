import type { Db } from '../../db/database.ts';
import { isUniqueViolation } from '../../db/database.ts';
import type { Instant, StaffRole } from '../../db/schema.ts';
import { audit, type Actor } from '../../platform/audit/audit.ts';
import { newId } from '../../platform/ids.ts';
import { actorOf, type RecordBy } from './record-commands.ts';
import { LEADERS } from './record.ts';

/** Who may start the record of a parents' evening appointment (the schedule shows the button to them only). */
export { BOOKING_RECORD_ROLES } from '../../platform/access/roles.ts';

/**
 * A parents' evening appointment gets a record too: the first time its teacher (or the head, or a
 * senior leader) opens it, a meeting is made for the booking (held once its time has come), with the booking's
 * teacher as lead and its live attendees as the carers. meetings.evening_booking_id is unique, so a
 * double click makes one meeting: the loser of the race finds the winner's.
 */
export type BookingRecord = { ok: true; meetingId: string; created: boolean } | { ok: false };

export async function recordForBooking(db: Db, by: RecordBy & { roles: readonly StaffRole[] }, bookingId: string, now: Date): Promise<BookingRecord> {
  const booking = await db
    .selectFrom('evening_bookings')
    .innerJoin('evenings', 'evenings.id', 'evening_bookings.evening_id')
    .select([
      'evening_bookings.id',
      'evening_bookings.staff_id',
      'evening_bookings.pupil_id',
      'evening_bookings.carer_id',
      'evening_bookings.starts_at',
      'evening_bookings.ends_at',
      'evening_bookings.mode',
      'evening_bookings.status',
      'evening_bookings.cancelled_at',
      'evenings.name as evening_name',
    ])
    .where('evening_bookings.id', '=', bookingId)
    .where('evening_bookings.school_id', '=', by.schoolId)
    .executeTakeFirst();
  if (!booking || booking.status !== 'booked' || booking.cancelled_at) return { ok: false };
  if (booking.staff_id !== by.staffId && !by.roles.some((r) => LEADERS.includes(r))) return { ok: false };

  const existing = await meetingOfBooking(db, by.schoolId, bookingId);
  if (existing) return { ok: true, meetingId: existing, created: false };

  const attendees = await db.selectFrom('evening_attendees').select('carer_id').where('booking_id', '=', bookingId).where('school_id', '=', by.schoolId).where('cancelled_at', 'is', null).execute();
  // Those still coming: a parent who booked and then left a shared appointment is not on its record.
  const carerIds = attendees.length > 0 ? [...new Set(attendees.map((a) => a.carer_id))] : [booking.carer_id];
  const id = newId();
  const at = now.toISOString();
  try {
    await db.transaction().execute(async (trx) => {
      await trx
        .insertInto('meetings')
        .values({
          id,
          school_id: by.schoolId,
          kind: 'parents_evening',
          // Held once its time has come; opened beforehand (to prepare), it is scheduled until then.
          status: Date.parse(booking.starts_at) <= now.getTime() ? 'held' : 'scheduled',
          topic: booking.evening_name,
          outline: null,
          pupil_id: booking.pupil_id,
          urgent: 0,
          preferred_times: null,
          mode: booking.mode,
          interpreter_language: null,
          starts_at: booking.starts_at,
          ends_at: booking.ends_at,
          place: null,
          video_link: null,
          evening_booking_id: bookingId,
          requested_by_carer_id: null,
          possibly_difficult: 0,
          outcome: null,
          follow_up_on: null,
          follow_up_done_at: null,
          summary_sent_at: null,
          summary_version: null,
          referred_to: null,
          referred_at: null,
          referral_note: null,
          created_by_kind: 'staff',
          created_by_id: by.staffId,
          created_at: at,
          updated_at: at,
        })
        .execute();
      await trx.insertInto('meeting_staff').values({ meeting_id: id, staff_id: booking.staff_id, school_id: by.schoolId, role: 'lead' }).execute();
      await trx
        .insertInto('meeting_carers')
        .values(carerIds.map((carerId) => ({ meeting_id: id, carer_id: carerId, school_id: by.schoolId, prep_help_staff_id: null, prep_help_asked_at: null })))
        .execute();
      await audit(
        trx,
        actorOf(by),
        { schoolId: by.schoolId, action: 'meeting.created_from_booking', entity: 'meeting', entityId: id, after: { evening_booking_id: bookingId, pupil_id: booking.pupil_id, carers: carerIds } },
        now,
      );
    });
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    const winner = await meetingOfBooking(db, by.schoolId, bookingId);
    if (!winner) throw error;
    return { ok: true, meetingId: winner, created: false };
  }
  return { ok: true, meetingId: id, created: true };
}

async function meetingOfBooking(db: Db, schoolId: string, bookingId: string): Promise<string | undefined> {
  const row = await db.selectFrom('meetings').select('id').where('evening_booking_id', '=', bookingId).where('school_id', '=', schoolId).executeTakeFirst();
  return row?.id;
}

/**
 * A parents' evening appointment moved to a new time ("Change time"): its record, if its teacher
 * opened it early to prepare (still scheduled), moves with it, in the caller's transaction, with an
 * audit entry. A record already held is not touched (the move is refused before that: it happened).
 */
export async function bookingRecordMoved(db: Db, actor: Actor, q: { schoolId: string; bookingId: string; starts: Instant; ends: Instant }, now: Date): Promise<void> {
  const rows = await db
    .updateTable('meetings')
    .set({ starts_at: q.starts, ends_at: q.ends, updated_at: now.toISOString() })
    .where('school_id', '=', q.schoolId)
    .where('evening_booking_id', '=', q.bookingId)
    .where('status', '=', 'scheduled')
    .returning(['id'])
    .execute();
  for (const r of rows)
    await audit(
      db,
      actor,
      { schoolId: q.schoolId, action: 'meeting.rescheduled', entity: 'meeting', entityId: r.id, after: { starts_at: q.starts, ends_at: q.ends, evening_booking_id: q.bookingId } },
      now,
    );
}

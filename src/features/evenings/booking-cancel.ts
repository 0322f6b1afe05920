import type { Db } from '../../db/database.ts';
import { audit, type Actor } from '../../platform/audit/audit.ts';
import { hasAnyRole, type StaffUser } from '../../platform/access/roles.ts';
import { enqueue } from '../../platform/outbox/outbox.ts';
import { cancelledEmail } from './booking-emails.ts';
import { textForCarer, textForSchool } from '../../platform/i18n/plugin.ts';
import { eveningOf, writtenUp } from './booking-queries.ts';
import { tellWaitingList } from './waiting.ts';

/**
 * Cancelling parents' evening appointments. A carer leaves their own appointment (when nobody else
 * is coming to it, the appointment is cancelled and its slot freed); staff cancel any appointment
 * in their reach with a reason, and everyone coming is told by email. A freed slot is offered to
 * the first carer on the teacher's waiting list. Every change is a compare-and-set on cancelled_at.
 */
type Ctx = { schoolId: string; eveningId: string; now: Date; timeZone: string; baseUrl: string };

/** Leaders and the office cancel any appointment; a teacher cancels their own. */
export const CANCEL_ANY = ['head', 'senior_leader', 'office'] as const;

async function freeSlot(trx: Db, ctx: Ctx, staffId: string) {
  const evening = await eveningOf(trx, ctx.schoolId, ctx.eveningId);
  if (evening) await tellWaitingList(trx, { ...ctx, evening, staffId });
}

export async function cancelByCarer(db: Db, ctx: Ctx & { carerId: string; actor: Actor }, bookingId: string): Promise<'cancelled' | 'left' | 'already' | 'started' | 'held' | 'missing'> {
  return db.transaction().execute(async (trx) => {
    const rows = await trx
      .selectFrom('evening_attendees as a')
      .innerJoin('evening_bookings as b', 'b.id', 'a.booking_id')
      .select(['a.id as attendee_id', 'a.cancelled_at as left_at', 'b.id', 'b.staff_id', 'b.starts_at', 'b.status', 'b.cancelled_at'])
      .where('a.booking_id', '=', bookingId)
      .where('a.carer_id', '=', ctx.carerId)
      .where('a.school_id', '=', ctx.schoolId)
      .where('b.evening_id', '=', ctx.eveningId)
      .where('b.status', '=', 'booked')
      .execute();
    const row = rows.find((r) => r.left_at === null) ?? rows[0];
    if (!row) return 'missing';
    if (row.left_at || row.cancelled_at) return 'already';
    if (Date.parse(row.starts_at) <= ctx.now.getTime()) return 'started';
    // The teacher may meet the family early and write it up: then it has happened.
    if ((await writtenUp(trx, ctx.schoolId, [bookingId])).length > 0) return 'held';
    const at = ctx.now.toISOString();
    const left = await trx.updateTable('evening_attendees').set({ cancelled_at: at }).where('id', '=', row.attendee_id).where('cancelled_at', 'is', null).executeTakeFirst();
    if (Number(left.numUpdatedRows) === 0) return 'already';
    const others = await trx.selectFrom('evening_attendees').select('id').where('booking_id', '=', bookingId).where('cancelled_at', 'is', null).execute();
    if (others.length > 0) {
      await audit(trx, ctx.actor, { schoolId: ctx.schoolId, action: 'evening_booking.left', entity: 'evening_booking', entityId: bookingId, after: { carer_id: ctx.carerId } }, ctx.now);
      return 'left';
    }
    const done = await trx
      .updateTable('evening_bookings')
      .set({ cancelled_at: at, cancelled_by_kind: ctx.actor.kind === 'staff' ? 'staff' : 'carer', cancelled_by_id: ctx.actor.kind === 'system' ? ctx.carerId : ctx.actor.id })
      .where('id', '=', bookingId)
      .where('cancelled_at', 'is', null)
      .executeTakeFirst();
    if (Number(done.numUpdatedRows) === 0) return 'already';
    await audit(
      trx,
      ctx.actor,
      {
        schoolId: ctx.schoolId,
        action: 'evening_booking.cancelled',
        entity: 'evening_booking',
        entityId: bookingId,
        before: { starts_at: row.starts_at, staff_id: row.staff_id },
        after: { cancelled_at: at },
      },
      ctx.now,
    );
    await freeSlot(trx, ctx, row.staff_id);
    return 'cancelled';
  });
}

/** The appointment a member of staff may cancel (live, booked, in their reach), with what the confirm page shows. */
export async function appointmentForStaff(db: Db, q: { schoolId: string; eveningId: string; bookingId: string; user: StaffUser }) {
  const row = await db
    .selectFrom('evening_bookings as b')
    .innerJoin('pupils as p', 'p.id', 'b.pupil_id')
    .innerJoin('staff as s', 's.id', 'b.staff_id')
    .innerJoin('evenings as e', 'e.id', 'b.evening_id')
    .leftJoin('evening_teachers as et', (j) => j.onRef('et.evening_id', '=', 'b.evening_id').onRef('et.staff_id', '=', 'b.staff_id'))
    .select([
      'b.id',
      'b.staff_id',
      'b.starts_at',
      'b.ends_at',
      'b.mode',
      'b.cancelled_at',
      'b.cancel_reason',
      'e.name as evening_name',
      'p.given_name',
      'p.preferred_name',
      'p.family_name',
      's.title',
      's.family_name as staff_family_name',
      'et.room',
      'et.video_link',
    ])
    .where('b.id', '=', q.bookingId)
    .where('b.evening_id', '=', q.eveningId)
    .where('b.school_id', '=', q.schoolId)
    .where('b.status', '=', 'booked')
    .executeTakeFirst();
  if (!row) return null;
  if (!hasAnyRole(q.user, CANCEL_ANY) && row.staff_id !== q.user.id) return null;
  const carers = await db
    .selectFrom('evening_attendees as a')
    .innerJoin('carers as c', 'c.id', 'a.carer_id')
    .select(['c.id', 'c.given_name', 'c.family_name', 'c.email', 'c.preferred_language', 'a.cancelled_at'])
    .where('a.booking_id', '=', row.id)
    .orderBy('a.joined')
    .execute();
  return {
    ...row,
    pupilName: `${row.preferred_name ?? row.given_name} ${row.family_name}`,
    teacherName: `${row.title} ${row.staff_family_name}`,
    carers: carers
      .filter((c) => row.cancelled_at !== null || c.cancelled_at === null)
      .map((c) => ({ id: c.id, name: `${c.given_name} ${c.family_name}`, email: c.email, language: c.preferred_language })),
  };
}
export type StaffAppointment = NonNullable<Awaited<ReturnType<typeof appointmentForStaff>>>;

export async function cancelByStaff(db: Db, ctx: Ctx & { actor: Actor }, appointment: StaffAppointment, reason: string): Promise<'cancelled' | 'already'> {
  return db.transaction().execute(async (trx) => {
    const at = ctx.now.toISOString();
    const done = await trx
      .updateTable('evening_bookings')
      .set({ cancelled_at: at, cancelled_by_kind: 'staff', cancelled_by_id: ctx.actor.kind === 'system' ? null : ctx.actor.id, cancel_reason: reason })
      .where('id', '=', appointment.id)
      .where('school_id', '=', ctx.schoolId)
      .where('cancelled_at', 'is', null)
      .executeTakeFirst();
    if (Number(done.numUpdatedRows) === 0) return 'already';
    const told = await trx.updateTable('evening_attendees').set({ cancelled_at: at }).where('booking_id', '=', appointment.id).where('cancelled_at', 'is', null).returning('carer_id').execute();
    await audit(
      trx,
      ctx.actor,
      {
        schoolId: ctx.schoolId,
        action: 'evening_booking.cancelled',
        entity: 'evening_booking',
        entityId: appointment.id,
        before: { starts_at: appointment.starts_at, staff_id: appointment.staff_id },
        after: { cancelled_at: at, cancel_reason: reason },
      },
      ctx.now,
    );
    const line = {
      pupilName: appointment.preferred_name ?? appointment.given_name,
      teacherName: appointment.teacherName,
      starts: appointment.starts_at,
      ends: appointment.ends_at,
      mode: appointment.mode,
      room: appointment.room,
      videoLink: appointment.video_link,
    };
    const toTell = appointment.carers.filter((c) => c.email && told.some((t) => t.carer_id === c.id));
    const inEnglish = await textForSchool(trx, ctx.schoolId, 'en', ctx.now);
    const words = await Promise.all(toTell.map((c) => textForCarer(trx, ctx.schoolId, c.language, ctx.now)));
    await enqueue(
      trx,
      toTell.map((c, i) => ({
        channel: 'email' as const,
        schoolId: ctx.schoolId,
        key: `evening-cancelled:${appointment.id}:${c.id}`,
        ref: appointment.id,
        payload: {
          to: c.email!,
          ...cancelledEmail({
            carerName: c.name,
            eveningName: appointment.evening_name,
            eveningId: ctx.eveningId,
            timeZone: ctx.timeZone,
            baseUrl: ctx.baseUrl,
            appointment: line,
            reason,
            mail: { own: words[i]!, english: inEnglish },
          }),
        },
      })),
      ctx.now,
    );
    if (Date.parse(appointment.starts_at) > ctx.now.getTime()) await freeSlot(trx, ctx, appointment.staff_id);
    return 'cancelled';
  });
}

import { mayJoin } from './booking.ts';
import type { Db } from '../../db/database.ts';
import { isUniqueViolation } from '../../db/database.ts';
import { audit } from '../../platform/audit/audit.ts';
import { newId } from '../../platform/ids.ts';
import { bookableChildren, clashProblem, firstClash, windowProblem } from './booking.ts';
import { appointmentsAround, lockCarer, wordsOf, type BookingContext } from './booking-context.ts';
import { eveningOf, familyRows, myAppointments } from './booking-queries.ts';
import { releaseExpiredHolds } from './holds-release.ts';
import { namedHtml, type Html } from '../../platform/web/nunjucks.ts';

/**
 * Separated carers at an evening where the school keeps one appointment per child ('join'): the
 * second carer joins the appointment the first one booked. The attendee index stops the joined
 * appointment clashing with another of theirs; the travel gap is checked under the carer's lock.
 */
export type JoinResult = { ok: true } | { ok: false; status: 404 } | { ok: false; status: 400 | 409; error: string | Html };

export async function joinAppointment(db: Db, ctx: BookingContext, bookingId: string): Promise<JoinResult> {
  const evening = await eveningOf(db, ctx.schoolId, ctx.eveningId);
  if (!evening?.published_at) return { ok: false, status: 404 };
  const family = bookableChildren(await familyRows(db, ctx));
  const booking = await db
    .selectFrom('evening_bookings')
    .select(['id', 'pupil_id', 'staff_id', 'starts_at', 'ends_at'])
    .where('id', '=', bookingId)
    .where('school_id', '=', ctx.schoolId)
    .where('evening_id', '=', ctx.eveningId)
    .where('status', '=', 'booked')
    .where('cancelled_at', 'is', null)
    .executeTakeFirst();
  const child = family.find((c) => c.pupilId === booking?.pupil_id);
  const teacher = child?.teachers.find((t) => t.staffId === booking?.staff_id);
  if (!booking || !child || !teacher) return { ok: false, status: 404 };
  const t = wordsOf(ctx);
  if (!mayJoin(evening.separated_carers)) return { ok: false, status: 400, error: t('evenings.error.ownOnly') };
  const closed = windowProblem(evening, ctx.now, ctx.actor.kind === 'staff', ctx.timeZone, t);
  if (closed) return { ok: false, status: 400, error: closed };
  if (Date.parse(booking.starts_at) <= ctx.now.getTime()) return { ok: false, status: 400, error: t('evenings.error.started') };

  try {
    return await db.transaction().execute(async (trx) => {
      await lockCarer(trx, ctx.dialect, ctx.carerId);
      await releaseExpiredHolds(trx, ctx.schoolId, ctx.now);
      const { mine, around } = await appointmentsAround(trx, ctx, family, [{ starts: booking.starts_at, ends: booking.ends_at }], evening.travel_gap_minutes);
      if (mine.some((m) => m.bookingId === booking.id)) return { ok: true as const };
      // Against every appointment of the carer's that day, at this evening or another of the school's.
      const clash = firstClash([{ starts: booking.starts_at, ends: booking.ends_at, staffId: booking.staff_id }], around, evening.travel_gap_minutes);
      if (clash)
        return {
          ok: false as const,
          status: 400 as const,
          error: namedHtml(t, 'evenings.error.cannotJoin', { teacher: teacher.name, problem: clashProblem(clash, evening.travel_gap_minutes, ctx.timeZone, t) }),
        };
      await trx
        .insertInto('evening_attendees')
        .values({ id: newId(), school_id: ctx.schoolId, booking_id: booking.id, carer_id: ctx.carerId, starts_at: booking.starts_at, joined: 1, cancelled_at: null })
        .execute();
      await audit(trx, ctx.actor, { schoolId: ctx.schoolId, action: 'evening_booking.joined', entity: 'evening_booking', entityId: booking.id, after: { carer_id: ctx.carerId } }, ctx.now);
      return { ok: true as const };
    });
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    const mine = await myAppointments(db, ctx);
    if (mine.some((m) => m.bookingId === booking.id)) return { ok: true };
    return { ok: false, status: 409, error: namedHtml(t, 'evenings.error.cannotJoinBusy', { teacher: teacher.name }) };
  }
}

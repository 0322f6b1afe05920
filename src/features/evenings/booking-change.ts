import type { Db } from '../../db/database.ts';
import { isUniqueViolation } from '../../db/database.ts';
import { lockRows } from '../../db/locks.ts';
import type { Instant, MeetingMode } from '../../db/schema.ts';
import { carerMayHear } from '../../platform/access/hear.ts';
import { audit } from '../../platform/audit/audit.ts';
import { textForCarer, textForSchool } from '../../platform/i18n/plugin.ts';
import { newId } from '../../platform/ids.ts';
import { enqueue, type OutboxItem } from '../../platform/outbox/outbox.ts';
import { namedHtml, type Html } from '../../platform/web/nunjucks.ts';
import { bookableChildren, clashBetween, firstClash, clashWords, timeOf, windowProblem, type Appointment, type BookableChild, type Teacher } from './booking.ts';
import { asAppointments, carerContactFor, mailFor, slotsNowUnavailable, wordsOf, type BookingContext, type Wanted } from './booking-context.ts';
import { nearestWords } from './booking-commands.ts';
import { changedEmail, type AppointmentLine } from './booking-emails.ts';
import { eveningOf, familyRows, freeTimesOf, myAppointmentsAround, writtenUp, type Evening } from './booking-queries.ts';
import { releaseExpiredHolds } from './holds-release.ts';
import { bookingRecordMoved } from '../meetings/index.ts';

/**
 * "Change time": a carer moves one of their own appointments to another of the same teacher's free
 * times, in one transaction. The booking row keeps its id and moves to the new slot (a compare-and-set
 * on its old slot); the partial unique index on live bookings per slot makes the new time exclusive,
 * so either the move happens whole — the new time secured, the old one free — or nothing changes and
 * the carer keeps the old time. The new time must fit the carer's other appointments that day, at this
 * evening or another of the school's (the same clash check as booking). Rules as for cancelling: only
 * a carer coming to the appointment who may still book for the child, while booking is open, before
 * the appointment starts and before the teacher has written it up.
 *
 * The office (and leaders) change a carer's time for them from the staff booking page, with the same
 * move, checks and answers (`ctx.actor` is the member of staff, so the audit entry names them); as
 * staff booking does, they may do so after the carers' booking window closes, not before it opens.
 * The carer's email then says who changed it (`ctx.bookedByName`).
 *
 * A joined appointment (separated parents at a "join" evening) is one appointment: either carer may
 * move it, it moves for both, the new time must not overlap another appointment of the other carer's
 * (the attendee index would refuse it anyway), and every carer coming is emailed the new time.
 */
export type Moving = {
  evening: Evening;
  family: BookableChild[];
  child: BookableChild;
  teacher: Teacher;
  booking: { id: string; slot_id: string; staff_id: string; pupil_id: string; starts_at: Instant; ends_at: Instant; mode: MeetingMode };
  /** Other carers coming to it (a joined appointment). */
  others: number;
};

export type ChangeResult = { ok: true; changed: boolean } | { ok: false; status: 404 } | { ok: false; status: 400 | 409; error: string | Html; nearest?: string[] };

/** The carer's own live appointment at this evening, for a child they may still book for; null: not theirs (404). */
export async function appointmentToMove(db: Db, ctx: BookingContext, bookingId: string): Promise<Moving | null> {
  const [evening, familyRead, booking] = await Promise.all([eveningOf(db, ctx.schoolId, ctx.eveningId), familyRows(db, ctx), liveBooking(db, ctx, bookingId)]);
  if (!evening?.published_at || !booking) return null;
  const family = bookableChildren(familyRead);
  const child = family.find((c) => c.pupilId === booking.pupil_id);
  const teacher = child?.teachers.find((t) => t.staffId === booking.staff_id);
  if (!child || !teacher) return null;
  const others = await db
    .selectFrom('evening_attendees')
    .select('carer_id')
    .where('booking_id', '=', booking.id)
    .where('school_id', '=', ctx.schoolId)
    .where('cancelled_at', 'is', null)
    .where('carer_id', '!=', ctx.carerId)
    .execute();
  return { evening, family, child, teacher, booking, others: others.length };
}

/** A live, booked appointment of this evening that this carer is coming to (booked or joined). */
function liveBooking(db: Db, ctx: Pick<BookingContext, 'schoolId' | 'eveningId' | 'carerId'>, bookingId: string) {
  return db
    .selectFrom('evening_bookings as b')
    .innerJoin('evening_attendees as a', 'a.booking_id', 'b.id')
    .select(['b.id', 'b.slot_id', 'b.staff_id', 'b.pupil_id', 'b.starts_at', 'b.ends_at', 'b.mode'])
    .where('b.id', '=', bookingId)
    .where('b.school_id', '=', ctx.schoolId)
    .where('b.evening_id', '=', ctx.eveningId)
    .where('b.status', '=', 'booked')
    .where('b.cancelled_at', 'is', null)
    .where('a.carer_id', '=', ctx.carerId)
    .where('a.cancelled_at', 'is', null)
    .executeTakeFirst();
}

/** Why the time cannot be changed now (booking closed, started, written up), in the carer's words; null when it can. */
export async function whyNotNow(db: Db, ctx: BookingContext, m: Moving): Promise<string | null> {
  const t = wordsOf(ctx);
  // Staff (the office, for a carer who phones) may change it after the carers' booking closes, as they may book then.
  const closed = windowProblem(m.evening, ctx.now, ctx.actor.kind === 'staff', ctx.timeZone, t);
  if (closed) return closed;
  // The carers' words send them to the school office; the office is told just what happened.
  if (Date.parse(m.booking.starts_at) <= ctx.now.getTime()) return ctx.actor.kind === 'staff' ? 'That appointment has already started, so its time cannot be changed' : t('evenings.change.started');
  if ((await writtenUp(db, ctx.schoolId, [m.booking.id])).length > 0) return t('evenings.change.held');
  return null;
}

/**
 * The carer's appointments that could clash with times between `from` and `to` (this evening's and
 * other evenings' the same day), leaving out the one being moved: it is not in the way of its own new time.
 */
async function aroundExcept(db: Db, ctx: BookingContext, m: Moving, from: Instant, to: Instant): Promise<Appointment[]> {
  const gap = m.evening.travel_gap_minutes * 60_000;
  const { mine, elsewhere } = await myAppointmentsAround(db, {
    ...ctx,
    from: new Date(Date.parse(from) - gap).toISOString(),
    to: new Date(Date.parse(to) + gap).toISOString(),
  });
  return [
    ...asAppointments(
      mine.filter((a) => a.bookingId !== m.booking.id),
      m.family,
    ),
    ...elsewhere,
  ];
}

/** The teacher's free times the appointment could move to: not started, not taken, fitting the carer's other appointments. */
export async function timesToMoveTo(db: Db, ctx: BookingContext, m: Moving) {
  const free = await freeTimesOf(db, { ...ctx, staffIds: [m.booking.staff_id] });
  if (free.length === 0) return [];
  const around = await aroundExcept(db, ctx, m, free[0]!.starts, free[free.length - 1]!.ends);
  return free.filter((f) => !around.some((a) => clashBetween(f, a, m.evening.travel_gap_minutes)));
}

export async function changeTime(db: Db, ctx: BookingContext, bookingId: string, slotId: string): Promise<ChangeResult> {
  const m = await appointmentToMove(db, ctx, bookingId);
  if (!m) return { ok: false, status: 404 };
  const t = wordsOf(ctx);
  const notNow = await whyNotNow(db, ctx, m);
  if (notNow) return { ok: false, status: 400, error: notNow };
  if (slotId === m.booking.slot_id) return { ok: true, changed: false }; // the same time again (a second submit)
  const slot = await db
    .selectFrom('evening_slots')
    .select(['id', 'staff_id', 'starts_at', 'ends_at', 'unavailable'])
    .where('id', '=', slotId)
    .where('school_id', '=', ctx.schoolId)
    .where('evening_id', '=', ctx.eveningId)
    .executeTakeFirst();
  if (!slot || slot.staff_id !== m.booking.staff_id || Number(slot.unavailable) === 1) return { ok: false, status: 400, error: namedHtml(t, 'evenings.error.notListed', { teacher: m.teacher.name }) };
  if (Date.parse(slot.starts_at) <= ctx.now.getTime()) return { ok: false, status: 400, error: t('evenings.error.passed') };
  const contact = await carerContactFor(db, ctx);
  if (!contact) return { ok: false, status: 404 };
  ctx = await mailFor(db, ctx, contact);
  const wanted: Wanted = {
    field: 'slot',
    child: m.child,
    teacher: m.teacher,
    slotId: slot.id,
    mode: m.booking.mode,
    starts: slot.starts_at,
    ends: slot.ends_at,
    staffId: slot.staff_id,
    label: m.teacher.name,
  };

  let outcome: 'moved' | 'taken' | 'stale' | { error: Html | string };
  try {
    outcome = await db.transaction().execute(async (trx) => {
      // Everyone coming to the appointment, locked (PostgreSQL) so each one's appointments hold still
      // while the new time is checked against them; then the new slot (a teacher marking it unavailable waits).
      const coming = await trx.selectFrom('evening_attendees').select('carer_id').where('booking_id', '=', m.booking.id).where('cancelled_at', 'is', null).execute();
      await lockRows(trx, ctx.dialect, 'carers', [...new Set([ctx.carerId, ...coming.map((c) => c.carer_id)])].sort());
      if ((await slotsNowUnavailable(trx, ctx.dialect, [slot.id])).size > 0)
        return { error: namedHtml(t, 'evenings.error.noLongerFree', { teacher: m.teacher.name, time: timeOf(slot.starts_at, ctx.timeZone, t) }) };
      // The teacher may have met the family early and written it up a moment ago: then it has happened.
      if ((await writtenUp(trx, ctx.schoolId, [m.booking.id])).length > 0) return { error: t('evenings.change.held') };
      await releaseExpiredHolds(trx, ctx.schoolId, ctx.now);
      // Against every appointment of the carer's that day, at this evening or another of the school's.
      const clash = firstClash([wanted], await aroundExcept(trx, ctx, m, slot.starts_at, slot.ends_at), m.evening.travel_gap_minutes);
      if (clash) return { error: clashWords(clash, m.evening.travel_gap_minutes, ctx.timeZone, t) };
      const others = coming.map((c) => c.carer_id).filter((id) => id !== ctx.carerId);
      if (others.length > 0 && (await othersBusy(trx, ctx, m.booking.id, others, slot)))
        return { error: namedHtml(t, 'evenings.change.othersBusy', { time: timeOf(slot.starts_at, ctx.timeZone, t) }) };
      const taken = await trx
        .selectFrom('evening_bookings')
        .select('id')
        .where('slot_id', '=', slot.id)
        .where('cancelled_at', 'is', null)
        .where((b) => b.or([b('status', '=', 'booked'), b('hold_expires_at', '>', ctx.now.toISOString())]))
        .executeTakeFirst();
      if (taken) return 'taken';
      // The move: a compare-and-set on the old slot. The unique index on live bookings per slot
      // refuses it if someone took the new time a moment ago (and then the transaction rolls back whole).
      const moved = await trx
        .updateTable('evening_bookings')
        .set((eb) => ({ slot_id: slot.id, starts_at: slot.starts_at, ends_at: slot.ends_at, moves: eb('moves', '+', 1) }))
        .where('id', '=', m.booking.id)
        .where('school_id', '=', ctx.schoolId)
        .where('slot_id', '=', m.booking.slot_id)
        .where('cancelled_at', 'is', null)
        .executeTakeFirst();
      if (Number(moved.numUpdatedRows) === 0) return 'stale';
      await trx.updateTable('evening_attendees').set({ starts_at: slot.starts_at }).where('booking_id', '=', m.booking.id).where('cancelled_at', 'is', null).execute();
      await audit(
        trx,
        ctx.actor,
        {
          schoolId: ctx.schoolId,
          action: 'evening_booking.moved',
          entity: 'evening_booking',
          entityId: m.booking.id,
          before: { starts_at: m.booking.starts_at, ends_at: m.booking.ends_at },
          after: { starts_at: slot.starts_at, ends_at: slot.ends_at },
        },
        ctx.now,
      );
      // The appointment's record, if its teacher opened it early to prepare, moves with it.
      await bookingRecordMoved(trx, ctx.actor, { schoolId: ctx.schoolId, bookingId: m.booking.id, starts: slot.starts_at, ends: slot.ends_at }, ctx.now);
      await tellEveryoneComing(trx, ctx, m, contact, { starts: slot.starts_at, ends: slot.ends_at }, others);
      return 'moved';
    });
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    outcome = 'taken';
  }
  if (outcome === 'moved') return { ok: true, changed: true };
  if (outcome === 'stale') return { ok: false, status: 409, error: t('evenings.change.stale') };
  if (outcome !== 'taken') return { ok: false, status: 400, error: outcome.error };
  // Someone took the new time a moment ago: the old appointment stands; offer the nearest free times
  // that fit, as a lost race on the booking page does.
  const free = await freeTimesOf(db, { ...ctx, staffIds: [m.booking.staff_id] });
  const around = await aroundExcept(db, ctx, m, free[0]?.starts ?? slot.starts_at, free[free.length - 1]?.ends ?? slot.ends_at);
  const { words, slotIds } = nearestWords(wanted, free, around, m.evening, ctx.timeZone, t);
  return { ok: false, status: 409, error: words, nearest: slotIds };
}

/** Whether another carer coming to this appointment has another appointment overlapping the new time. */
async function othersBusy(trx: Db, ctx: BookingContext, bookingId: string, carerIds: string[], at: { starts_at: Instant; ends_at: Instant }): Promise<boolean> {
  const row = await trx
    .selectFrom('evening_attendees as a')
    .innerJoin('evening_bookings as b', 'b.id', 'a.booking_id')
    .select('a.id')
    .where('a.school_id', '=', ctx.schoolId)
    .where('a.carer_id', 'in', carerIds)
    .where('a.cancelled_at', 'is', null)
    .where('b.cancelled_at', 'is', null)
    .where('b.id', '!=', bookingId)
    .where('b.starts_at', '<', at.ends_at)
    .where('b.ends_at', '>', at.starts_at)
    .where((b) => b.or([b('b.status', '=', 'booked'), b('b.hold_expires_at', '>', ctx.now.toISOString())]))
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * The new time by email to the carer who changed it and to every other carer coming who may still
 * hear about the child for booking (each in their own language, the school's English beneath).
 */
async function tellEveryoneComing(trx: Db, ctx: BookingContext, m: Moving, contact: { name: string; email: string | null }, at: { starts: Instant; ends: Instant }, others: string[]): Promise<void> {
  if (ctx.quiet) return;
  const move = newId();
  const line: AppointmentLine = { pupilName: m.child.name, teacherName: m.teacher.name, starts: at.starts, ends: at.ends, mode: m.booking.mode, room: m.teacher.room, videoLink: m.teacher.videoLink };
  const common = { eveningName: m.evening.name, eveningId: m.evening.id, timeZone: ctx.timeZone, baseUrl: ctx.baseUrl, appointment: line, was: m.booking.starts_at };
  const items: OutboxItem[] = [];
  if (contact.email)
    items.push({
      channel: 'email',
      schoolId: ctx.schoolId,
      key: `evening-changed:${move}:${ctx.carerId}`,
      ref: m.booking.id,
      payload: { to: contact.email, ...changedEmail({ ...common, carerName: contact.name, byOther: false, byStaff: ctx.actor.kind === 'staff' ? (ctx.bookedByName ?? null) : null, mail: ctx.mail }) },
    });
  if (others.length > 0) {
    const told = await trx
      .selectFrom('carers as c')
      .innerJoin('carer_pupils', (j) => j.onRef('carer_pupils.carer_id', '=', 'c.id').on('carer_pupils.pupil_id', '=', m.booking.pupil_id))
      .select(['c.id', 'c.given_name', 'c.family_name', 'c.email', 'c.preferred_language'])
      .where('c.id', 'in', others)
      .where('c.school_id', '=', ctx.schoolId)
      .where('c.archived_at', 'is', null)
      .where('c.email', 'is not', null)
      .where((eb) => carerMayHear(eb, 'booking', ctx.today))
      .execute();
    const inEnglish = await textForSchool(trx, ctx.schoolId, 'en', ctx.now);
    for (const c of told) {
      const own = await textForCarer(trx, ctx.schoolId, c.preferred_language, ctx.now);
      items.push({
        channel: 'email',
        schoolId: ctx.schoolId,
        key: `evening-changed:${move}:${c.id}`,
        ref: m.booking.id,
        payload: { to: c.email!, ...changedEmail({ ...common, carerName: `${c.given_name} ${c.family_name}`, byOther: true, mail: { own, english: inEnglish } }) },
      });
    }
  }
  if (items.length > 0) await enqueue(trx, items, ctx.now);
}

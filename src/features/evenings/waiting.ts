import type { Db } from '../../db/database.ts';
import { isUniqueViolation } from '../../db/database.ts';
import { audit } from '../../platform/audit/audit.ts';
import { newId } from '../../platform/ids.ts';
import { enqueue } from '../../platform/outbox/outbox.ts';
import { bookableChildren, clashBetween, windowProblem } from './booking.ts';
import { asAppointments, wordsOf, type BookingContext } from './booking-context.ts';
import { timeFreeEmail } from './booking-emails.ts';
import { textForCarer, textForSchool } from '../../platform/i18n/plugin.ts';
import { namedHtml, type Html } from '../../platform/web/nunjucks.ts';
import { eveningOf, familyRows, freeTimesOf, myAppointments, type Evening } from './booking-queries.ts';

/**
 * The waiting list: a carer asks to be told when a time with a full teacher frees up (full for them:
 * no free time fits their other appointments). When an appointment is cancelled, the first carer
 * still waiting for that teacher who has an email address is emailed (once).
 */
export type WaitingResult = { ok: true; already: boolean } | { ok: false; status: 404 } | { ok: false; status: 400; error: string | Html };

export async function joinWaitingList(db: Db, ctx: BookingContext, pupilId: string, staffId: string): Promise<WaitingResult> {
  const evening = await eveningOf(db, ctx.schoolId, ctx.eveningId);
  if (!evening?.published_at) return { ok: false, status: 404 };
  const family = bookableChildren(await familyRows(db, ctx));
  if (family.length === 0) return { ok: false, status: 404 };
  const child = family.find((c) => c.pupilId === pupilId);
  const teacher = child?.teachers.find((t) => t.staffId === staffId);
  const t = wordsOf(ctx);
  if (!child || !teacher) return { ok: false, status: 400, error: t('evenings.error.chooseYourTeacher') };
  const closed = windowProblem(evening, ctx.now, false, ctx.timeZone, t);
  if (closed) return { ok: false, status: 400, error: closed };
  // "Full" as the booking page says it: no free time that fits the carer's other appointments.
  const [free, mine] = await Promise.all([freeTimesOf(db, { ...ctx, staffIds: [staffId] }), myAppointments(db, ctx)]);
  const existing = asAppointments(mine, family);
  if (free.some((f) => !existing.some((e) => clashBetween(f, e, evening.travel_gap_minutes)))) {
    return { ok: false, status: 400, error: namedHtml(t, 'evenings.error.stillFree', { teacher: teacher.name }) };
  }
  const at = ctx.now.toISOString();
  try {
    return await db.transaction().execute(async (trx) => {
      const again = await trx
        .updateTable('evening_waiting')
        .set({ removed_at: null, told_at: null, created_at: at })
        .where('school_id', '=', ctx.schoolId)
        .where('evening_id', '=', ctx.eveningId)
        .where('staff_id', '=', staffId)
        .where('pupil_id', '=', pupilId)
        .where('carer_id', '=', ctx.carerId)
        // Taken off the list, or told before and still without a time: wait again.
        .where((eb) => eb.or([eb('removed_at', 'is not', null), eb('told_at', 'is not', null)]))
        .executeTakeFirst();
      const id = newId();
      if (Number(again.numUpdatedRows) === 0) {
        await trx
          .insertInto('evening_waiting')
          .values({ id, school_id: ctx.schoolId, evening_id: ctx.eveningId, staff_id: staffId, pupil_id: pupilId, carer_id: ctx.carerId, created_at: at, told_at: null, removed_at: null })
          .execute();
      }
      await audit(
        trx,
        ctx.actor,
        { schoolId: ctx.schoolId, action: 'evening_waiting.added', entity: 'evening', entityId: ctx.eveningId, after: { pupil_id: pupilId, staff_id: staffId, carer_id: ctx.carerId } },
        ctx.now,
      );
      return { ok: true as const, already: false };
    });
  } catch (error) {
    if (isUniqueViolation(error)) return { ok: true, already: true };
    throw error;
  }
}

/**
 * A time with this teacher has just freed up: email the first carer still waiting who has no
 * appointment with them for that child, and mark them told. In the caller's transaction.
 */
export async function tellWaitingList(trx: Db, q: { schoolId: string; evening: Evening; staffId: string; now: Date; timeZone: string; baseUrl: string }): Promise<void> {
  const waiters = await trx
    .selectFrom('evening_waiting as w')
    .innerJoin('carers as c', 'c.id', 'w.carer_id')
    .innerJoin('pupils as p', 'p.id', 'w.pupil_id')
    .innerJoin('staff as s', 's.id', 'w.staff_id')
    .select([
      'w.id',
      'w.pupil_id',
      'w.carer_id',
      'c.given_name',
      'c.family_name',
      'c.email',
      'c.preferred_language',
      'p.given_name as pupil_given_name',
      'p.preferred_name',
      's.title',
      's.family_name as staff_family_name',
    ])
    .where('w.school_id', '=', q.schoolId)
    .where('w.evening_id', '=', q.evening.id)
    .where('w.staff_id', '=', q.staffId)
    .where('w.told_at', 'is', null)
    .where('w.removed_at', 'is', null)
    .orderBy('w.created_at')
    .orderBy('w.id')
    .limit(20)
    .execute();
  if (waiters.length === 0) return;
  const booked = await trx
    .selectFrom('evening_attendees as a')
    .innerJoin('evening_bookings as b', 'b.id', 'a.booking_id')
    .select(['b.pupil_id', 'a.carer_id'])
    .where('b.evening_id', '=', q.evening.id)
    .where('b.staff_id', '=', q.staffId)
    .where('b.cancelled_at', 'is', null)
    .where('a.cancelled_at', 'is', null)
    .where(
      'b.pupil_id',
      'in',
      waiters.map((w) => w.pupil_id),
    )
    .execute();
  // Already has a time with this teacher for the child: their own, or at a "join" evening the child's
  // one appointment, booked by another carer (they can join it; a freed time is no use to them).
  const hasTime = (w: { pupil_id: string; carer_id: string }) => booked.some((b) => b.pupil_id === w.pupil_id && (q.evening.separated_carers === 'join' || b.carer_id === w.carer_id));
  // The first who can be told by email; anyone without an email address stays on the list.
  const next = waiters.find((w) => w.email && !hasTime(w));
  if (!next) return;
  const told = await trx.updateTable('evening_waiting').set({ told_at: q.now.toISOString() }).where('id', '=', next.id).where('told_at', 'is', null).executeTakeFirst();
  if (Number(told.numUpdatedRows) === 0) return;
  await audit(
    trx,
    { kind: 'system' },
    { schoolId: q.schoolId, action: 'evening_waiting.told', entity: 'evening', entityId: q.evening.id, after: { carer_id: next.carer_id, staff_id: q.staffId, pupil_id: next.pupil_id } },
    q.now,
  );
  if (!next.email) return;
  const [own, inEnglish] = await Promise.all([textForCarer(trx, q.schoolId, next.preferred_language, q.now), textForSchool(trx, q.schoolId, 'en', q.now)]);
  const email = timeFreeEmail({
    mail: { own, english: inEnglish },
    carerName: `${next.given_name} ${next.family_name}`,
    eveningName: q.evening.name,
    eveningId: q.evening.id,
    timeZone: q.timeZone,
    baseUrl: q.baseUrl,
    teacherName: `${next.title} ${next.staff_family_name}`,
    pupilName: next.preferred_name ?? next.pupil_given_name,
  });
  await enqueue(trx, [{ channel: 'email', schoolId: q.schoolId, key: `evening-time-free:${next.id}:${q.now.toISOString()}`, ref: next.id, payload: { to: next.email, ...email } }], q.now);
}

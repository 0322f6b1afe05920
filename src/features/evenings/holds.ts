import type { Db } from '../../db/database.ts';
import { isUniqueViolation } from '../../db/database.ts';
import type { Instant, MeetingMode } from '../../db/schema.ts';
import { auditMany } from '../../platform/audit/audit.ts';
import { newId } from '../../platform/ids.ts';
import type { FieldErrors } from '../../platform/web/forms.ts';
import { bookableChildren, bookForMe, mayBookOwn, modesOf, timeOf, windowProblem, type BookableChild, type Teacher, firstClash } from './booking.ts';
import { english, type Text } from '../../platform/i18n/catalog.ts';
import { appointmentsAround, carerContactFor, mailFor, wordsOf, lockCarer, slotsNowUnavailable, type BookingContext } from './booking-context.ts';
import { enqueueConfirmation, insertBookings } from './booking-insert.ts';
import { needsAt } from './needs-queries.ts';
import { childrensAppointments, eveningOf, familyRows, freeTimesOf } from './booking-queries.ts';
import { releaseExpiredHolds } from './holds-release.ts';
import { bannedAt, inPersonRefused, remoteModes } from './premises.ts';

/**
 * "Book for me": propose the most compact schedule and hold it (status 'held', two minutes) so
 * nobody else takes those times while the carer decides; accepting is a compare-and-set from held
 * to booked while the hold lasts; declining, or the time running out, releases the slots.
 */
export const HOLD_MINUTES = 2;

/** The teacher choices "book for me" offers: `${pupilId}_${staffId}`. */
export const pairValue = (pupilId: string, staffId: string) => `${pupilId}_${staffId}`;

export type ProposeInput = { earliest: Instant; latest: Instant; mode: MeetingMode | null; pairs: string[] };
export type ProposeResult = { ok: true; holdId: string } | { ok: false; status: 404 } | { ok: false; status: 400 | 409; errors: FieldErrors };

export async function proposeAndHold(db: Db, ctx: BookingContext, input: ProposeInput): Promise<ProposeResult> {
  const evening = await eveningOf(db, ctx.schoolId, ctx.eveningId);
  if (!evening?.published_at) return { ok: false, status: 404 };
  const family = bookableChildren(await familyRows(db, ctx));
  if (family.length === 0) return { ok: false, status: 404 };
  const t = wordsOf(ctx);
  const closed = windowProblem(evening, ctx.now, ctx.actor.kind === 'staff', ctx.timeZone, t);
  if (closed) return { ok: false, status: 400, errors: { earliest: closed } };
  const modes = modesOf(evening.modes);
  // Banned from the premises (features/conduct) on the day: only phone or video (premises.ts).
  const banned = (await bannedAt(db, ctx, [input.earliest, input.latest])).size > 0;
  const mode = input.mode ?? (banned ? (remoteModes(modes)[0] ?? modes[0]!) : modes[0]!);
  if (!modes.includes(mode)) return { ok: false, status: 400, errors: { mode: t('evenings.hold.modeChoose') } };
  if (banned && mode === 'in_person') return { ok: false, status: 400, errors: { mode: inPersonRefused(t, ctx.actor.kind === 'staff', remoteModes(modes).length > 0) } };
  if (Date.parse(input.latest) <= Date.parse(input.earliest)) return { ok: false, status: 400, errors: { latest: t('evenings.hold.latestAfter') } };
  const chosen = family.flatMap((child) => child.teachers.filter((t) => input.pairs.includes(pairValue(child.pupilId, t.staffId))).map((teacher) => ({ child, teacher })));
  if (chosen.length === 0) return { ok: false, status: 400, errors: { pairs: t('evenings.hold.chooseTeacher') } };
  const contact = await carerContactFor(db, ctx);
  if (!contact) return { ok: false, status: 404 };

  for (let attempt = 0; attempt < 3; attempt++) {
    // Start afresh: the carer's earlier holds at this evening are let go, and run-out ones released.
    await db.transaction().execute(async (trx) => {
      await releaseExpiredHolds(trx, ctx.schoolId, ctx.now);
      await letGo(trx, ctx, null, 'replaced by a new proposal');
    });
    const [{ mine, around }, theirs] = await Promise.all([
      appointmentsAround(db, ctx, family, [{ starts: input.earliest, ends: input.latest }], evening.travel_gap_minutes),
      // Only where one appointment per child is the rule does another carer's booking rule a teacher out.
      !mayBookOwn(evening.separated_carers) ? childrensAppointments(db, { ...ctx, pupilIds: family.map((c) => c.pupilId) }) : Promise.resolve([]),
    ]);
    const wanted = chosen.filter(
      ({ child, teacher }) => !mine.some((m) => m.pupilId === child.pupilId && m.staffId === teacher.staffId) && !theirs.some((b) => b.pupil_id === child.pupilId && b.staff_id === teacher.staffId),
    );
    const free = await freeTimesOf(db, { ...ctx, staffIds: wanted.map((w) => w.teacher.staffId) });
    const proposal = bookForMe({
      wanted: wanted.map((w) => ({ key: pairValue(w.child.pupilId, w.teacher.staffId), staffId: w.teacher.staffId, free: free.filter((f) => f.staffId === w.teacher.staffId) })),
      existing: around,
      earliest: input.earliest,
      latest: input.latest,
      gapMinutes: evening.travel_gap_minutes,
    });
    if (!proposal.ok) return { ok: false, status: 400, errors: { pairs: whyNot(proposal, wanted, input, ctx.timeZone, evening.travel_gap_minutes, t) } };
    const holdId = newId();
    const expires = new Date(ctx.now.getTime() + HOLD_MINUTES * 60_000).toISOString();
    const items = proposal.picks.map((p) => {
      const w = wanted.find((x) => pairValue(x.child.pupilId, x.teacher.staffId) === p.key)!;
      return { child: w.child, staffId: w.teacher.staffId, slotId: p.slot.slotId, starts: p.slot.starts, ends: p.slot.ends, mode };
    });
    try {
      const held = await db.transaction().execute(async (trx) => {
        await lockCarer(trx, ctx.dialect, ctx.carerId);
        if (
          (
            await slotsNowUnavailable(
              trx,
              ctx.dialect,
              items.map((i) => i.slotId),
            )
          ).size > 0
        )
          return false;
        // Booked something in another tab since the proposal was worked out: propose again around it.
        const { around: now } = await appointmentsAround(trx, ctx, family, items, evening.travel_gap_minutes);
        const proposed = items.map((i) => ({ starts: i.starts, ends: i.ends, staffId: i.staffId, label: '' }));
        if (firstClash(proposed, now, evening.travel_gap_minutes)) return false;
        await insertBookings(trx, ctx, evening, items, { status: 'held', holdId, holdExpiresAt: expires });
        return true;
      });
      if (held) return { ok: true, holdId };
      // A teacher marked one of those times unavailable, or the carer booked another time, a moment ago: propose again.
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      // Someone took one of those times a moment ago: propose again from what is free now.
    }
  }
  return { ok: false, status: 409, errors: { pairs: t('evenings.hold.busy') } };
}

function whyNot(
  proposal: { reason: 'nothing_to_book' | 'no_free_time' | 'no_fit'; key?: string },
  wanted: { child: BookableChild; teacher: Teacher }[],
  input: ProposeInput,
  timeZone: string,
  gap: number,
  t: Text,
): string {
  const between = { from: timeOf(input.earliest, timeZone, t), to: timeOf(input.latest, timeZone, t) };
  if (proposal.reason === 'nothing_to_book') return t('evenings.hold.nothing');
  if (proposal.reason === 'no_free_time') {
    const w = wanted.find((x) => pairValue(x.child.pupilId, x.teacher.staffId) === proposal.key);
    return t('evenings.hold.noFreeTime', { ...between, teacher: w?.teacher.name ?? '', known: w ? 'yes' : 'no' });
  }
  return t('evenings.hold.noFit', { ...between, count: wanted.length, minutes: gap });
}

/** Cancel the carer's live holds at this evening (one hold, or all when holdId is null). */
async function letGo(trx: Db, ctx: BookingContext, holdId: string | null, reason: string): Promise<number> {
  const at = ctx.now.toISOString();
  let query = trx
    .updateTable('evening_bookings')
    .set({ cancelled_at: at, cancelled_by_kind: 'carer', cancelled_by_id: ctx.carerId, hold_expires_at: null })
    .where('school_id', '=', ctx.schoolId)
    .where('evening_id', '=', ctx.eveningId)
    .where('carer_id', '=', ctx.carerId)
    .where('status', '=', 'held')
    .where('cancelled_at', 'is', null);
  if (holdId) query = query.where('hold_id', '=', holdId);
  const released = await query.returning('id').execute();
  if (released.length === 0) return 0;
  await trx
    .updateTable('evening_attendees')
    .set({ cancelled_at: at })
    .where(
      'booking_id',
      'in',
      released.map((r) => r.id),
    )
    .where('cancelled_at', 'is', null)
    .execute();
  await auditMany(
    trx,
    ctx.actor,
    released.map((r) => ({ schoolId: ctx.schoolId, action: 'evening_booking.hold_declined', entity: 'evening_booking', entityId: r.id, after: { reason } })),
    ctx.now,
  );
  return released.length;
}

/** The hold's appointments as the accept page shows them; null when it is not this carer's. */
export async function holdOf(db: Db, q: { schoolId: string; eveningId: string; carerId: string; holdId: string }) {
  const rows = await db
    .selectFrom('evening_bookings as b')
    .innerJoin('pupils as p', 'p.id', 'b.pupil_id')
    .innerJoin('staff as s', 's.id', 'b.staff_id')
    .leftJoin('evening_teachers as et', (j) => j.onRef('et.evening_id', '=', 'b.evening_id').onRef('et.staff_id', '=', 'b.staff_id'))
    .select([
      'b.id',
      'b.status',
      'b.starts_at',
      'b.ends_at',
      'b.mode',
      'b.hold_expires_at',
      'b.cancelled_at',
      'b.cancelled_by_kind',
      'p.given_name',
      'p.preferred_name',
      'p.family_name',
      's.title',
      's.family_name as staff_family_name',
      'et.room',
      'et.video_link',
    ])
    .where('b.hold_id', '=', q.holdId)
    .where('b.school_id', '=', q.schoolId)
    .where('b.evening_id', '=', q.eveningId)
    .where('b.carer_id', '=', q.carerId)
    .orderBy('b.starts_at')
    .execute();
  if (rows.length === 0) return null;
  return rows.map((r) => ({ ...r, pupilName: `${r.preferred_name ?? r.given_name} ${r.family_name}`, teacherName: `${r.title} ${r.staff_family_name}` }));
}
export type HoldRows = NonNullable<Awaited<ReturnType<typeof holdOf>>>;

/** Where a hold stands: still held (until when), booked, or let go (ran out or declined). */
export function holdState(rows: HoldRows, now: Date): { state: 'held'; until: Instant } | { state: 'booked' } | { state: 'released'; ranOut: boolean } {
  if (rows.every((r) => r.status === 'booked')) return { state: 'booked' };
  const live = rows.filter((r) => r.status === 'held' && r.cancelled_at === null && r.hold_expires_at !== null && Date.parse(r.hold_expires_at) > now.getTime());
  if (live.length === rows.length) return { state: 'held', until: live[0]!.hold_expires_at! };
  return { state: 'released', ranOut: rows.some((r) => r.cancelled_by_kind === 'system' || (r.status === 'held' && r.cancelled_at === null)) };
}

export type AcceptResult = { ok: true } | { ok: false; status: 404 } | { ok: false; status: 400 | 409; error: string };

export async function acceptHold(db: Db, ctx: BookingContext, holdId: string): Promise<AcceptResult> {
  const evening = await eveningOf(db, ctx.schoolId, ctx.eveningId);
  const rows = await holdOf(db, { ...ctx, holdId });
  if (!evening?.published_at || !rows) return { ok: false, status: 404 };
  const state = holdState(rows, ctx.now);
  if (state.state === 'booked') return { ok: true };
  if (state.state === 'released') {
    await db.transaction().execute((trx) => releaseExpiredHolds(trx, ctx.schoolId, ctx.now));
    return { ok: false, status: 409, error: expiredWords(state.ranOut, wordsOf(ctx)) };
  }
  const closed = windowProblem(evening, ctx.now, ctx.actor.kind === 'staff', ctx.timeZone, wordsOf(ctx));
  if (closed) return { ok: false, status: 400, error: closed };
  const contact = await carerContactFor(db, ctx);
  ctx = await mailFor(db, ctx, contact);
  // For the confirmation: what they asked for at the evening (accepting a hold is no rush: a read of its own).
  if (ctx.needs === undefined) ctx = { ...ctx, needs: (await needsAt(db, ctx.schoolId, ctx.eveningId, [ctx.carerId])).get(ctx.carerId) ?? null };
  const outcome = await db.transaction().execute(async (trx) => {
    const booked = await trx
      .updateTable('evening_bookings')
      .set({ status: 'booked', hold_expires_at: null })
      .where('hold_id', '=', holdId)
      .where('school_id', '=', ctx.schoolId)
      .where('carer_id', '=', ctx.carerId)
      .where('status', '=', 'held')
      .where('cancelled_at', 'is', null)
      .where('hold_expires_at', '>', ctx.now.toISOString())
      .returning(['id', 'starts_at', 'ends_at', 'mode'])
      .execute();
    if (booked.length === 0) return 'ran_out' as const;
    await auditMany(
      trx,
      ctx.actor,
      booked.map((b) => ({ schoolId: ctx.schoolId, action: 'evening_booking.hold_accepted', entity: 'evening_booking', entityId: b.id, before: { status: 'held' }, after: { status: 'booked' } })),
      ctx.now,
    );
    if (contact) {
      const lines = rows.map((r) => ({ pupilName: r.pupilName, teacherName: r.teacherName, starts: r.starts_at, ends: r.ends_at, mode: r.mode, room: r.room, videoLink: r.video_link }));
      await enqueueConfirmation(trx, ctx, evening, contact, booked[0]!.id, lines);
    }
    return 'booked' as const;
  });
  if (outcome === 'booked') return { ok: true };
  await db.transaction().execute((trx) => releaseExpiredHolds(trx, ctx.schoolId, ctx.now));
  return { ok: false, status: 409, error: expiredWords(true, wordsOf(ctx)) };
}

export async function declineHold(db: Db, ctx: BookingContext, holdId: string): Promise<'declined' | 'missing'> {
  const rows = await holdOf(db, { ...ctx, holdId });
  if (!rows) return 'missing';
  await db.transaction().execute((trx) => letGo(trx, ctx, holdId, 'declined'));
  return 'declined';
}

export function expiredWords(ranOut: boolean, t: Text = english): string {
  return ranOut ? t('evenings.hold.ranOut', { minutes: HOLD_MINUTES }) : t('evenings.hold.letGo');
}

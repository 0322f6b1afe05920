import type { Db } from '../../db/database.ts';
import { isUniqueViolation } from '../../db/database.ts';
import { prepared } from '../../db/prepared.ts';
import { readTogether } from '../../db/pipelined-reads.ts';
import { preparedLockedOnPostgres, writersTakeTurns } from '../../db/locks.ts';
import { writeTransaction } from '../../db/group-commit.ts';
import type { PageErrors } from '../../platform/web/forms.ts';
import { localDate } from '../../platform/calendar/time.ts';
import { namedHtml, type Html } from '../../platform/web/nunjucks.ts';
import {
  bookableChildren,
  bookingKey,
  clashWords,
  firstClash,
  listWords,
  modesOf,
  nearestFreeTimes,
  clashBetween,
  familyTeacherIds,
  timeOf,
  windowProblem,
  type Appointment,
  type BookableChild,
  type FreeTime,
} from './booking.ts';
import type { Text } from '../../platform/i18n/catalog.ts';
import { eveningAndSlots, familyRows, freeTimesOf, type Evening, type MyAppointment } from './booking-queries.ts';
import { holdsRunOut, releaseExpiredHolds } from './holds-release.ts';
import {
  appointmentsAround,
  carerContactFor,
  invalid,
  lineOf,
  mailFor,
  modeField,
  nearTimes,
  slotField,
  wordsOf,
  type BookingContext,
  type BookResult,
  type Choice,
  type Nearest,
  type Wanted,
} from './booking-context.ts';
import { confirmationPart, insertBookings } from './booking-insert.ts';
import { bannedAt, inPersonRefused, remoteModes } from './premises.ts';

/**
 * Booking a carer's appointments at a parents' evening, in one short transaction. A choice that is
 * wrong (a clash, a teacher who does not teach the child) books nothing: the carer puts it right.
 * A time someone else took a moment earlier does not hold up the rest: the times still free are
 * booked, and beside each one taken the carer is offered the nearest free times that fit. The
 * database makes slots exclusive (partial unique indexes: one live booking per slot, per child and
 * teacher, per carer and time); a unique violation also comes back as an answer with the nearest
 * free times, never an error page. A second submit of the same choices is a success.
 */

export async function bookAppointments(db: Db, ctx: BookingContext, choices: Choice[]): Promise<BookResult> {
  // Two reads side by side (on PostgreSQL each is a round trip), neither of them in the transaction.
  const [{ evening, slots }, familyRead] = await Promise.all([
    eveningAndSlots(
      db,
      ctx.schoolId,
      ctx.eveningId,
      choices.map((c) => c.slotId),
    ),
    familyRows(db, ctx),
  ]);
  if (!evening?.published_at) return { ok: false, status: 404 };
  const family = bookableChildren(familyRead);
  if (family.length === 0) return { ok: false, status: 404 };
  const t = wordsOf(ctx);
  const closed = windowProblem(evening, ctx.now, ctx.actor.kind === 'staff', ctx.timeZone, t);
  if (closed) return invalid({ choices: closed });
  if (choices.length === 0) return invalid({ choices: t('evenings.error.chooseOne') });

  const modes = modesOf(evening.modes);
  // Banned from the premises (features/conduct) on a chosen time's day: only phone or video (premises.ts).
  const bannedDays = await bannedAt(
    db,
    ctx,
    [...slots.values()].map((s) => s.starts_at),
  );
  const byStaff = ctx.actor.kind === 'staff';
  const errors: PageErrors = {};
  const wanted: Wanted[] = [];
  for (const c of choices) {
    const field = slotField(c.pupilId, c.staffId);
    const child = family.find((f) => f.pupilId === c.pupilId);
    if (!child) {
      errors[field] = t('evenings.error.notYourChild');
      continue;
    }
    const teacher = child.teachers.find((t) => t.staffId === c.staffId);
    const slot = slots.get(c.slotId);
    if (!teacher) {
      const name = slot && slot.staff_id === c.staffId ? slot.staff_name : '';
      errors[field] = namedHtml(t, 'evenings.error.notTheirTeacher', { teacher: name, pupil: child.name, known: name ? 'yes' : 'no' });
      continue;
    }
    if (!slot || slot.staff_id !== c.staffId || slot.unavailable) {
      errors[field] = namedHtml(t, 'evenings.error.notListed', { teacher: teacher.name });
      continue;
    }
    if (Date.parse(slot.starts_at) <= ctx.now.getTime()) {
      errors[field] = t('evenings.error.passed');
      continue;
    }
    const banned = bannedDays.size > 0 && bannedDays.has(localDate(new Date(slot.starts_at), ctx.timeZone));
    const mode = c.mode ?? (banned ? (remoteModes(modes)[0] ?? modes[0]!) : modes[0]!);
    if (!modes.includes(mode)) {
      errors[modeField(c.pupilId, c.staffId)] = namedHtml(t, 'evenings.error.chooseMode', { teacher: teacher.name });
      continue;
    }
    if (banned && mode === 'in_person') {
      errors[modeField(c.pupilId, c.staffId)] = inPersonRefused(t, byStaff, remoteModes(modes).length > 0);
      continue;
    }
    wanted.push({ field, child, teacher, slotId: slot.id, mode, starts: slot.starts_at, ends: slot.ends_at, staffId: teacher.staffId, label: teacher.name });
  }
  if (Object.keys(errors).length > 0) return invalid(errors);
  // In time order, ties by slot: every booking inserts its rows in one order, so two inserts waiting on
  // each other's unique keys cannot each hold what the other needs (a deadlock).
  wanted.sort((a, b) => a.starts.localeCompare(b.starts) || a.slotId.localeCompare(b.slotId));
  const contact = await carerContactFor(db, ctx);
  if (!contact) return { ok: false, status: 404 };
  ctx = await mailFor(db, ctx, contact);
  // For the confirmation: what the form asks for, else what is stored (read with the family: no query of its own).
  if (ctx.needs === undefined) ctx = { ...ctx, needs: familyRead[0]?.needs ?? null };

  const work = async (trx: Db): Promise<BookResult | Gone> => {
    const wantedIds = wanted.map((w) => w.slotId);
    const locked = await lockCarerAndSlots(trx, ctx, wantedIds);
    const shut = locked.shut;
    // Under the locks, the carer's appointments that day and the chosen slots' live bookings, read
    // together (PostgreSQL: one round trip; SQLite brought the bookings with the slots already).
    const [{ mine, around }, live] = await readTogether(trx, ctx.dialect, (db) =>
      Promise.all([appointmentsAround(db, ctx, family, wanted, evening.travel_gap_minutes), locked.live ?? liveOnSlots(db, { ids: [...new Set(wantedIds)] })]),
    );
    const problems: PageErrors = {};
    const toBook: Wanted[] = [];
    for (const w of wanted) {
      const same = mine.find((m) => m.pupilId === w.child.pupilId && m.staffId === w.staffId);
      if (!same) toBook.push(w);
      else if (same.starts !== w.starts || same.status !== 'booked') problems[w.field] = alreadyWords(same, w, ctx.timeZone, t);
      // else: the same time is already theirs (a second submit): nothing to do.
    }
    if (Object.keys(problems).length > 0) return invalid(problems);
    // Against every appointment of the carer's that day, at this evening or another of the school's.
    const clash = firstClash(toBook, around, evening.travel_gap_minutes);
    if (clash) return invalid({ [clash.wanted.field]: clashWords(clash, evening.travel_gap_minutes, ctx.timeZone, t) });
    if (toBook.length === 0) return { ok: true as const, booked: [] };
    // Which chosen times went a moment ago: marked unavailable, or booked or held by someone else.
    // Exact here: SQLite writes one transaction at a time, and PostgreSQL has the slots locked.
    const toBookIds = new Set(toBook.map((w) => w.slotId));
    let taken = live.filter((b) => toBookIds.has(b.slot_id));
    if (taken.some((b) => b.status === 'held' && b.hold_expires_at !== null && b.hold_expires_at <= ctx.now.toISOString())) {
      await releaseExpiredHolds(trx, ctx.schoolId, ctx.now);
      taken = await liveOnSlots(trx, { ids: [...toBookIds] });
    }
    const gone = toBook.filter((w) => shut.has(w.slotId) || taken.some((b) => b.slot_id === w.slotId));
    const go = toBook.filter((w) => !gone.includes(w));
    const ids =
      go.length > 0
        ? await insertBookings(
            trx,
            ctx,
            evening,
            go,
            { status: 'booked', holdId: null, holdExpiresAt: null },
            (booked) =>
              confirmationPart(
                ctx,
                evening,
                contact,
                booked[0]!,
                go.map((w) => lineOf(w)),
              ),
            { endsTransaction: true },
          )
        : [];
    return gone.length > 0 ? { gone, shut, booked: ids } : { ok: true as const, booked: ids };
  };
  for (let attempt = 0; ; attempt++) {
    try {
      // SQLite writes one transaction at a time: bookings arriving together share one commit.
      const written = await writeTransaction(db, ctx.dialect, work);
      return 'gone' in written ? await timesTaken(db, ctx, evening, family, written) : written;
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      // A "book for me" hold whose time ran out may still stand in the way (on the child and
      // teacher, say): release run-out holds and try once more. The read comes first: nearly
      // always nothing has run out, and then no transaction is needed.
      if (attempt === 0 && (await holdsRunOut(db, ctx.schoolId, ctx.now)) && (await db.transaction().execute((trx) => releaseExpiredHolds(trx, ctx.schoolId, ctx.now))) > 0) continue;
      return lostTheRace(db, ctx, evening, family, wanted);
    }
  }
}

/**
 * Lock the carer's row, then the chosen slots (PostgreSQL: one statement, one round trip under the
 * locks instead of two), and say which of the slots a teacher has marked unavailable since the page
 * was read. The carer's lock (for update) makes one carer's bookings run one after another (the travel
 * gap and the clash check across evenings hold). The slots are locked for share: marking a slot
 * unavailable updates its row, so it waits for the bookings in progress and they for it, but carers
 * choosing the same time no longer queue behind each other's whole transaction. Who gets a time is
 * decided where it always was, by the unique index of one live booking a slot: the second insert waits
 * only for the first's insert and commit (sent together) and then fails, and that carer is offered the
 * nearest times (lostTheRace). With the slots locked for update, in a rush on PostgreSQL each carer who
 * chose a popular time held a pooled connection while waiting for the whole transaction of the one
 * before: pool waits reached a second. PostgreSQL locks each joined row carer first (the order of the
 * FROM list), as lockCarer does before slotsNowUnavailable. The statements after it see what was
 * committed before them (each statement reads afresh); `live` is null there, read after the lock.
 * SQLite writes one transaction at a time: no lock is needed, and the same read also brings the live
 * bookings on the slots (`live`), which nothing can change before this savepoint ends: one statement
 * in the write transaction instead of two.
 */
async function lockCarerAndSlots(trx: Db, ctx: BookingContext, slotIds: string[]): Promise<{ shut: Set<string>; live: LiveOnSlot[] | null }> {
  const ids = [...new Set(slotIds)];
  if (!writersTakeTurns(ctx.dialect)) {
    const rows = await carerAndSlots(trx, ctx.dialect, { carerId: ctx.carerId, ids });
    return { shut: new Set(rows.filter((r) => Number(r.unavailable) === 1).map((r) => r.id)), live: null };
  }
  const rows = await slotsWithLiveBookings(trx, { ids });
  return {
    shut: new Set(rows.filter((r) => Number(r.unavailable) === 1).map((r) => r.id)),
    live: rows.filter((r) => r.status !== null).map((r) => ({ slot_id: r.id, status: r.status!, hold_expires_at: r.hold_expires_at })),
  };
}
const carerAndSlots = preparedLockedOnPostgres(
  ['carerId', 'ids'],
  (db, q: { carerId: string; ids: readonly string[] }) =>
    db
      .selectFrom('carers')
      .innerJoin('evening_slots', (j) => j.on('evening_slots.id', 'in', q.ids))
      .select(['evening_slots.id', 'evening_slots.unavailable'])
      .where('carers.id', '=', q.carerId),
  { update: ['carers'], share: ['evening_slots'] },
);
/** SQLite: the chosen slots, each with its live booking or hold if any (one per slot: a partial unique index). */
const slotsWithLiveBookings = prepared(['ids'], (db, q: { ids: readonly string[] }) =>
  db
    .selectFrom('evening_slots as s')
    .leftJoin('evening_bookings as b', (j) => j.onRef('b.slot_id', '=', 's.id').on('b.cancelled_at', 'is', null))
    .select(['s.id', 's.unavailable', 'b.status', 'b.hold_expires_at'])
    .where('s.id', 'in', q.ids),
);
type LiveOnSlot = { slot_id: string; status: 'held' | 'booked'; hold_expires_at: string | null };

/** Chosen times someone else took (or a teacher marked unavailable) just before; `booked`: the rest, booked. */
type Gone = { gone: Wanted[]; shut: Set<string>; booked: string[] };

const liveOnSlots = prepared(['ids'], (db, q: { ids: readonly string[] }) =>
  db.selectFrom('evening_bookings').select(['slot_id', 'status', 'hold_expires_at']).where('slot_id', 'in', q.ids).where('cancelled_at', 'is', null),
);

/**
 * Some chosen times went just before this booking (the rest are booked): beside each, the nearest
 * free times that fit around the carer's appointments, now including the ones just booked.
 */
async function timesTaken(db: Db, ctx: BookingContext, evening: Evening, family: BookableChild[], w: Gone): Promise<BookResult> {
  const [{ mine, around: existing }, free] = await Promise.all([
    appointmentsAround(db, ctx, family, nearTimes(w.gone), evening.travel_gap_minutes),
    freeTimesOf(db, { ...ctx, staffIds: familyTeacherIds(family) }),
  ]);
  const errors: PageErrors = {};
  const nearest: Nearest = {};
  const t = wordsOf(ctx);
  for (const g of w.gone) {
    if (w.shut.has(g.slotId)) errors[g.field] = namedHtml(t, 'evenings.error.noLongerFree', { teacher: g.teacher.name, time: timeOf(g.starts, ctx.timeZone, t) });
    else ({ words: errors[g.field], slotIds: nearest[g.field] } = nearestWords(g, free, existing, evening, ctx.timeZone, t));
  }
  return { ok: false, status: 409, errors, clear: w.gone.map((g) => g.field), seen: { evening, family, mine, free }, booked: w.booked, nearest };
}

/**
 * "Sorry, 4:30pm with Mr Okafor was just taken by someone else. The nearest free times are …", and
 * those times' slot ids (the page offers them as choices of their own).
 */
export function nearestWords(w: Wanted, free: FreeTime[], around: Appointment[], evening: Evening, timeZone: string, t: Text): { words: Html; slotIds: string[] } {
  const fits = free.filter((f) => f.staffId === w.staffId && !around.some((o) => clashBetween({ ...f }, o, evening.travel_gap_minutes)));
  const times = nearestFreeTimes(fits, w.starts);
  const nearest = times.map((f) => timeOf(f.starts, timeZone, t));
  const values = { time: timeOf(w.starts, timeZone, t), teacher: w.teacher.name, count: nearest.length, times: listWords(nearest, t) };
  const words = nearest.length > 0 ? namedHtml(t, 'evenings.error.takenNearest', values) : namedHtml(t, 'evenings.error.takenNone', values);
  return { words, slotIds: times.map((f) => f.slotId) };
}

function alreadyWords(same: MyAppointment, w: Wanted, timeZone: string, t: Text): Html {
  const values = { teacher: w.teacher.name, pupil: w.child.name, time: timeOf(same.starts, timeZone, t) };
  if (same.status === 'held') return namedHtml(t, 'evenings.error.alreadyHeld', values);
  return namedHtml(t, 'evenings.error.alreadyBooked', values);
}

/**
 * After a unique violation: a second submit whose times are now all theirs is a success; otherwise
 * say, for each choice, what took it (someone else took the time; another carer booked this child
 * with this teacher; the carer booked another appointment at that time) and offer the nearest
 * free times that fit with their other appointments and choices.
 */
async function lostTheRace(db: Db, ctx: BookingContext, evening: Evening, family: BookableChild[], wanted: Wanted[]): Promise<BookResult> {
  const { mine, around: existing } = await appointmentsAround(db, ctx, family, nearTimes(wanted), evening.travel_gap_minutes);
  const isMine = (w: Wanted) => mine.some((m) => m.pupilId === w.child.pupilId && m.staffId === w.staffId && m.starts === w.starts && m.status === 'booked');
  if (wanted.every(isMine)) return { ok: true, booked: [] };

  // What now stands on the wanted slots, and the children's live bookings: two reads, each on its own index.
  const liveBookings = db
    .selectFrom('evening_bookings')
    .select(['id', 'slot_id', 'pupil_id', 'staff_id', 'booking_key', 'starts_at'])
    .where('school_id', '=', ctx.schoolId)
    .where('evening_id', '=', ctx.eveningId)
    .where('cancelled_at', 'is', null);
  const [onSlots, ofChildren] = await Promise.all([
    liveBookings
      .where(
        'slot_id',
        'in',
        wanted.map((w) => w.slotId),
      )
      .execute(),
    liveBookings
      .where(
        'pupil_id',
        'in',
        wanted.map((w) => w.child.pupilId),
      )
      .execute(),
  ]);
  const live = [...onSlots, ...ofChildren.filter((b) => !onSlots.some((o) => o.id === b.id))];
  // Every teacher of the family, not just the wanted ones: the page shown with the answer lists them all.
  const free = await freeTimesOf(db, { ...ctx, staffIds: familyTeacherIds(family) });
  const errors: PageErrors = {};
  const clear: string[] = [];
  const failed = new Set<Wanted>();
  const t = wordsOf(ctx);
  for (const w of wanted) {
    if (isMine(w)) continue;
    const key = bookingKey(w.child.pupilId, ctx.carerId, evening.separated_carers);
    const keyTaken = live.find((b) => b.staff_id === w.staffId && b.booking_key === key && !mine.some((m) => m.bookingId === b.id));
    const clash = existing.map((e) => ({ other: e, kind: clashBetween(w, e, evening.travel_gap_minutes) })).find((c) => c.kind);
    if (keyTaken) {
      errors[w.field] = namedHtml(t, 'evenings.error.otherCarerBooked', { pupil: w.child.name, teacher: w.teacher.name, time: timeOf(keyTaken.starts_at, ctx.timeZone, t) });
    } else if (clash?.kind) {
      errors[w.field] = clashWords({ other: clash.other, kind: clash.kind }, evening.travel_gap_minutes, ctx.timeZone, t);
    } else if (live.some((b) => b.slot_id === w.slotId)) {
      failed.add(w);
      clear.push(w.field);
    }
  }
  const kept = wanted.filter((w) => !failed.has(w) && !errors[w.field]);
  const nearest: Nearest = {};
  for (const w of failed) ({ words: errors[w.field], slotIds: nearest[w.field] } = nearestWords(w, free, [...existing, ...kept], evening, ctx.timeZone, t));
  if (Object.keys(errors).length === 0) errors.choices = t('evenings.error.someTaken');
  return { ok: false, status: 409, errors, clear, seen: { evening, family, mine, free }, nearest };
}

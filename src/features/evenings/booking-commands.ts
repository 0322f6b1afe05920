import type { Db, Dialect } from '../../db/database.ts';
import { isUniqueViolation } from '../../db/database.ts';
import { prepared } from '../../db/prepared.ts';
import { lockRows, preparedLockedOnPostgres } from '../../db/locks.ts';
import { writeTransaction } from '../../db/group-commit.ts';
import { insertTogether, type InsertPart } from '../../db/insert-in-chunks.ts';
import type { Instant, LocalDate, MeetingMode } from '../../db/schema.ts';
import { auditRows, type Actor } from '../../platform/audit/audit.ts';
import { newId } from '../../platform/ids.ts';
import { enqueue, outboxRows, type OutboxItem } from '../../platform/outbox/outbox.ts';
import type { FieldErrors } from '../../platform/web/forms.ts';
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
  type Teacher,
} from './booking.ts';
import { bookedEmail, type AppointmentLine, type MailText } from './booking-emails.ts';
import { english, type Text } from '../../platform/i18n/catalog.ts';
import { textForCarer, textForSchool } from '../../platform/i18n/plugin.ts';
import { carerContact, eveningOf, familyRows, freeTimesOf, myAppointments, myAppointmentsAround, slotsByIds, type Evening, type MyAppointment } from './booking-queries.ts';
import { holdsRunOut, releaseExpiredHolds } from './holds-release.ts';

/**
 * Booking a carer's appointments at a parents' evening, in one short transaction. A choice that is
 * wrong (a clash, a teacher who does not teach the child) books nothing: the carer puts it right.
 * A time someone else took a moment earlier does not hold up the rest: the times still free are
 * booked, and beside each one taken the carer is offered the nearest free times that fit. The
 * database makes slots exclusive (partial unique indexes: one live booking per slot, per child and
 * teacher, per carer and time); a unique violation also comes back as an answer with the nearest
 * free times, never an error page. A second submit of the same choices is a success.
 */

/** One chosen time: for this child, with this teacher, in this slot, meeting this way (null: the evening's first way). */
export type Choice = { pupilId: string; staffId: string; slotId: string; mode: MeetingMode | null };

/** The booking form's field names (the benchmark and the page use these). */
export const slotField = (pupilId: string, staffId: string) => `slot_${pupilId}_${staffId}`;
export const modeField = (pupilId: string, staffId: string) => `mode_${pupilId}_${staffId}`;

export type BookingContext = {
  schoolId: string;
  eveningId: string;
  carerId: string;
  /** The carer; a member of staff booking for them (the office, a phone call); or the system (demo data, as the carer). */
  actor: Actor;
  /** Shown in the carer's email when staff booked for them, e.g. "Ms Byrne at the school office". */
  bookedByName?: string | null;
  now: Date;
  today: LocalDate;
  timeZone: string;
  baseUrl: string;
  dialect: Dialect;
  /** The carer's name, email and recorded language when the caller has them (a signed-in carer); read otherwise. */
  carer?: { name: string; email: string | null; language?: string | null };
  /** The words of the page that asked (a carer's language; English for staff): errors come back in them. */
  text?: Text;
  /** The carer's words for emails, with the school's English beneath (see mailFor). */
  mail?: MailText;
  /** No confirmation email (demo data for an evening long past). */
  quiet?: boolean;
};

export type BookResult = { ok: true; booked: string[] } | { ok: false; status: 404 } | { ok: false; status: 400 | 409; errors: FieldErrors; clear: string[]; seen?: Seen; booked?: string[] };

/** What a booking that lost a race has just read, so the page it answers with need not read it again. */
export type Seen = { evening: Evening; family: BookableChild[]; mine: MyAppointment[]; free: FreeTime[] };

type Wanted = Appointment & { field: string; child: BookableChild; teacher: Teacher; slotId: string; mode: MeetingMode };

const invalid = (errors: FieldErrors, status: 400 | 409 = 400, clear: string[] = []): BookResult => ({ ok: false, status, errors, clear });

/** Who booked, for the booking row: staff for staff, otherwise the carer. */
export function bookedBy(ctx: Pick<BookingContext, 'actor' | 'carerId'>): { kind: 'carer' | 'staff'; id: string } {
  return ctx.actor.kind === 'staff' ? { kind: 'staff', id: ctx.actor.id } : { kind: 'carer', id: ctx.carerId };
}

/** The carer's existing appointments as clash-checkable intervals, named by teacher. */
export function asAppointments(mine: MyAppointment[], family: BookableChild[]): Appointment[] {
  const names = new Map(family.flatMap((c) => c.teachers.map((t) => [t.staffId, t.name] as const)));
  return mine.map((m) => ({ starts: m.starts, ends: m.ends, staffId: m.staffId, label: names.get(m.staffId) ?? 'a teacher' }));
}

/**
 * The carer's appointments at this evening (`mine`) and everything wanted times could clash with
 * (`around`): this evening's, and any at the school's other evenings near those times (the same day),
 * whoever booked them. One read; in the booking transaction, under the carer's lock.
 */
export async function appointmentsAround(
  db: Db,
  ctx: BookingContext,
  family: BookableChild[],
  times: { starts: Instant; ends: Instant }[],
  gapMinutes: number,
): Promise<{ mine: MyAppointment[]; around: Appointment[] }> {
  if (times.length === 0) {
    const mine = await myAppointments(db, ctx);
    return { mine, around: asAppointments(mine, family) };
  }
  const gap = gapMinutes * 60_000;
  const from = new Date(Math.min(...times.map((t) => Date.parse(t.starts))) - gap).toISOString();
  const to = new Date(Math.max(...times.map((t) => Date.parse(t.ends))) + gap).toISOString();
  const { mine, elsewhere } = await myAppointmentsAround(db, { ...ctx, from, to });
  return { mine, around: [...asAppointments(mine, family), ...elsewhere] };
}

/** The day around these times: where the nearest free times offered instead of them can fall. */
function nearTimes(times: { starts: Instant; ends: Instant }[]): { starts: Instant; ends: Instant }[] {
  const day = 24 * 3_600_000;
  return times.flatMap((t) => [
    { starts: new Date(Date.parse(t.starts) - day).toISOString(), ends: t.ends },
    { starts: t.starts, ends: new Date(Date.parse(t.ends) + day).toISOString() },
  ]);
}

/** The carer's name and email: from the signed-in carer when there is one, otherwise read. */
export async function carerContactFor(db: Db, ctx: BookingContext): Promise<{ name: string; email: string | null; language?: string | null } | null> {
  return ctx.carer ?? carerContact(db, ctx.schoolId, ctx.carerId);
}

/** The page's words for errors: the carer's language, English for staff. */
export const wordsOf = (ctx: Pick<BookingContext, 'text'>): Text => ctx.text ?? english;

/** The context with the carer's email words: their language first, the school's English beneath. */
export async function mailFor(db: Db, ctx: BookingContext, contact: { language?: string | null } | null): Promise<BookingContext> {
  if (ctx.mail || !contact) return ctx;
  const [own, inEnglish] = await Promise.all([textForCarer(db, ctx.schoolId, contact.language, ctx.now), textForSchool(db, ctx.schoolId, 'en', ctx.now)]);
  return { ...ctx, mail: { own, english: inEnglish } };
}

/** Lock the carer's row (PostgreSQL) so one carer's bookings run one after another and the travel gap holds. */
export async function lockCarer(trx: Db, dialect: Dialect, carerId: string): Promise<void> {
  await lockRows(trx, dialect, 'carers', [carerId]);
}

/**
 * Lock the chosen slots (PostgreSQL) and say which of them a teacher has marked unavailable since the
 * page was read. Marking a slot unavailable locks the same row first, so one of the two waits for the other.
 */
export async function slotsNowUnavailable(trx: Db, dialect: Dialect, slotIds: string[]): Promise<Set<string>> {
  if (slotIds.length === 0) return new Set();
  const rows = await slotStates(trx, dialect, { ids: slotIds });
  return new Set(rows.filter((r) => Number(r.unavailable) === 1).map((r) => r.id));
}
const slotStates = preparedLockedOnPostgres(['ids'], (db, q: { ids: readonly string[] }) => db.selectFrom('evening_slots').select(['id', 'unavailable']).where('id', 'in', q.ids));

export async function bookAppointments(db: Db, ctx: BookingContext, choices: Choice[]): Promise<BookResult> {
  // Three reads side by side (on PostgreSQL each is a round trip), none of them in the transaction.
  const [evening, familyRead, slots] = await Promise.all([
    eveningOf(db, ctx.schoolId, ctx.eveningId),
    familyRows(db, ctx),
    slotsByIds(
      db,
      ctx.schoolId,
      ctx.eveningId,
      choices.map((c) => c.slotId),
    ),
  ]);
  if (!evening?.published_at) return { ok: false, status: 404 };
  const family = bookableChildren(familyRead);
  if (family.length === 0) return { ok: false, status: 404 };
  const t = wordsOf(ctx);
  const closed = windowProblem(evening, ctx.now, ctx.actor.kind === 'staff', ctx.timeZone, t);
  if (closed) return invalid({ choices: closed });
  if (choices.length === 0) return invalid({ choices: t('evenings.error.chooseOne') });

  const modes = modesOf(evening.modes);
  const errors: FieldErrors = {};
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
      errors[field] = t('evenings.error.notTheirTeacher', { teacher: name, pupil: child.name, known: name ? 'yes' : 'no' });
      continue;
    }
    if (!slot || slot.staff_id !== c.staffId || slot.unavailable) {
      errors[field] = t('evenings.error.notListed', { teacher: teacher.name });
      continue;
    }
    if (Date.parse(slot.starts_at) <= ctx.now.getTime()) {
      errors[field] = t('evenings.error.passed');
      continue;
    }
    const mode = c.mode ?? modes[0]!;
    if (!modes.includes(mode)) {
      errors[modeField(c.pupilId, c.staffId)] = t('evenings.error.chooseMode', { teacher: teacher.name });
      continue;
    }
    wanted.push({ field, child, teacher, slotId: slot.id, mode, starts: slot.starts_at, ends: slot.ends_at, staffId: teacher.staffId, label: teacher.name });
  }
  if (Object.keys(errors).length > 0) return invalid(errors);
  wanted.sort((a, b) => a.starts.localeCompare(b.starts));
  const contact = await carerContactFor(db, ctx);
  if (!contact) return { ok: false, status: 404 };
  ctx = await mailFor(db, ctx, contact);

  const work = async (trx: Db): Promise<BookResult | Gone> => {
    await lockCarer(trx, ctx.dialect, ctx.carerId);
    const { mine, around } = await appointmentsAround(trx, ctx, family, wanted, evening.travel_gap_minutes);
    const problems: FieldErrors = {};
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
    const shut = await slotsNowUnavailable(
      trx,
      ctx.dialect,
      toBook.map((w) => w.slotId),
    );
    let taken = await liveOnSlots(trx, { ids: toBook.map((w) => w.slotId) });
    if (taken.some((b) => b.status === 'held' && b.hold_expires_at !== null && b.hold_expires_at <= ctx.now.toISOString())) {
      await releaseExpiredHolds(trx, ctx.schoolId, ctx.now);
      taken = await liveOnSlots(trx, { ids: toBook.map((w) => w.slotId) });
    }
    const gone = toBook.filter((w) => shut.has(w.slotId) || taken.some((b) => b.slot_id === w.slotId));
    const go = toBook.filter((w) => !gone.includes(w));
    const ids =
      go.length > 0
        ? await insertBookings(trx, ctx, evening, go, { status: 'booked', holdId: null, holdExpiresAt: null }, (booked) =>
            confirmationPart(
              ctx,
              evening,
              contact,
              booked[0]!,
              go.map((w) => lineOf(w)),
            ),
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
  const errors: FieldErrors = {};
  const t = wordsOf(ctx);
  for (const g of w.gone) {
    errors[g.field] = w.shut.has(g.slotId)
      ? t('evenings.error.noLongerFree', { teacher: g.teacher.name, time: timeOf(g.starts, ctx.timeZone, t) })
      : nearestWords(g, free, existing, evening, ctx.timeZone, t);
  }
  return { ok: false, status: 409, errors, clear: w.gone.map((g) => g.field), seen: { evening, family, mine, free }, booked: w.booked };
}

/** "Sorry, 4:30pm with Mr Okafor was just taken by someone else. The nearest free times are …". */
function nearestWords(w: Wanted, free: FreeTime[], around: Appointment[], evening: Evening, timeZone: string, t: Text): string {
  const fits = free.filter((f) => f.staffId === w.staffId && !around.some((o) => clashBetween({ ...f }, o, evening.travel_gap_minutes)));
  const nearest = nearestFreeTimes(fits, w.starts).map((f) => timeOf(f.starts, timeZone, t));
  const values = { time: timeOf(w.starts, timeZone, t), teacher: w.teacher.name, count: nearest.length, times: listWords(nearest, t) };
  return nearest.length > 0 ? t('evenings.error.takenNearest', values) : t('evenings.error.takenNone', values);
}

function alreadyWords(same: MyAppointment, w: Wanted, timeZone: string, t: Text): string {
  const values = { teacher: w.teacher.name, pupil: w.child.name, time: timeOf(same.starts, timeZone, t) };
  if (same.status === 'held') return t('evenings.error.alreadyHeld', values);
  return t('evenings.error.alreadyBooked', values);
}

export function lineOf(w: { child: BookableChild; teacher: Teacher; starts: Instant; ends: Instant; mode: MeetingMode }): AppointmentLine {
  return { pupilName: w.child.name, teacherName: w.teacher.name, starts: w.starts, ends: w.ends, mode: w.mode, room: w.teacher.room, videoLink: w.teacher.videoLink };
}

/** Insert bookings (booked, or held for "book for me") with their attendee rows and audit entries. */
export async function insertBookings(
  trx: Db,
  ctx: BookingContext,
  evening: Evening,
  items: { child: BookableChild; staffId: string; slotId: string; starts: Instant; ends: Instant; mode: MeetingMode }[],
  state: { status: 'booked' | 'held'; holdId: string | null; holdExpiresAt: Instant | null },
  /** Rows to write in the same statement (the confirmation email), given the new bookings' ids. */
  alsoInsert: (ids: string[]) => InsertPart[] = () => [],
): Promise<string[]> {
  const at = ctx.now.toISOString();
  const by = bookedBy(ctx);
  const rows = items.map((w) => ({
    id: newId(),
    school_id: ctx.schoolId,
    evening_id: ctx.eveningId,
    slot_id: w.slotId,
    staff_id: w.staffId,
    pupil_id: w.child.pupilId,
    carer_id: ctx.carerId,
    starts_at: w.starts,
    ends_at: w.ends,
    booking_key: bookingKey(w.child.pupilId, ctx.carerId, evening.separated_carers),
    mode: w.mode,
    status: state.status,
    hold_id: state.holdId,
    hold_expires_at: state.holdExpiresAt,
    booked_by_kind: by.kind,
    booked_by_id: by.id,
    created_at: at,
    cancelled_at: null,
    cancelled_by_kind: null,
    cancelled_by_id: null,
    cancel_reason: null,
  }));
  const audits = auditRows(
    ctx.actor,
    rows.map((r) => ({
      schoolId: ctx.schoolId,
      action: state.status === 'held' ? 'evening_booking.held' : 'evening_booking.booked',
      entity: 'evening_booking',
      entityId: r.id,
      after: {
        pupil_id: r.pupil_id,
        staff_id: r.staff_id,
        carer_id: r.carer_id,
        starts_at: r.starts_at,
        mode: r.mode,
        ...(r.hold_id ? { hold_id: r.hold_id, hold_expires_at: r.hold_expires_at } : {}),
      },
    })),
    ctx.now,
  );
  // The bookings, their attendees, audit entries and email: one statement on PostgreSQL (one round trip under the locks).
  await insertTogether(trx, ctx.dialect, [
    { table: 'evening_bookings', rows },
    {
      table: 'evening_attendees',
      rows: rows.map((r) => ({ id: newId(), school_id: ctx.schoolId, booking_id: r.id, carer_id: ctx.carerId, starts_at: r.starts_at, joined: 0 as const, cancelled_at: null })),
    },
    { table: 'audit_log', rows: audits },
    ...alsoInsert(rows.map((r) => r.id)),
  ]);
  return rows.map((r) => r.id);
}

/** The confirmation email to the carer (when the school has an address), in the caller's transaction. */
export async function enqueueConfirmation(trx: Db, ctx: BookingContext, evening: Evening, contact: { name: string; email: string | null }, firstId: string, lines: AppointmentLine[]): Promise<void> {
  const item = confirmation(ctx, evening, contact, firstId, lines);
  if (item) await enqueue(trx, [item], ctx.now);
}

/** The confirmation email's outbox row, to write with the bookings (insertTogether). */
function confirmationPart(ctx: BookingContext, evening: Evening, contact: { name: string; email: string | null }, firstId: string, lines: AppointmentLine[]): InsertPart[] {
  const item = confirmation(ctx, evening, contact, firstId, lines);
  return item ? [{ table: 'outbox', rows: outboxRows([item], ctx.now), options: { onConflictDoNothing: 'idempotency_key' } }] : [];
}

function confirmation(ctx: BookingContext, evening: Evening, contact: { name: string; email: string | null }, firstId: string, lines: AppointmentLine[]): OutboxItem | null {
  if (!contact.email || lines.length === 0 || ctx.quiet) return null;
  const email = bookedEmail({
    carerName: contact.name,
    eveningName: evening.name,
    eveningId: evening.id,
    timeZone: ctx.timeZone,
    baseUrl: ctx.baseUrl,
    appointments: lines,
    bookedBy: ctx.actor.kind === 'staff' ? (ctx.bookedByName ?? 'The school') : null,
    mail: ctx.mail,
  });
  return { channel: 'email', schoolId: ctx.schoolId, key: `evening-booked:${firstId}:${ctx.carerId}`, ref: firstId, payload: { to: contact.email, ...email } };
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
  const errors: FieldErrors = {};
  const clear: string[] = [];
  const failed = new Set<Wanted>();
  const t = wordsOf(ctx);
  for (const w of wanted) {
    if (isMine(w)) continue;
    const key = bookingKey(w.child.pupilId, ctx.carerId, evening.separated_carers);
    const keyTaken = live.find((b) => b.staff_id === w.staffId && b.booking_key === key && !mine.some((m) => m.bookingId === b.id));
    const clash = existing.map((e) => ({ other: e, kind: clashBetween(w, e, evening.travel_gap_minutes) })).find((c) => c.kind);
    if (keyTaken) {
      errors[w.field] = t('evenings.error.otherCarerBooked', { pupil: w.child.name, teacher: w.teacher.name, time: timeOf(keyTaken.starts_at, ctx.timeZone, t) });
    } else if (clash?.kind) {
      errors[w.field] = clashWords({ other: clash.other, kind: clash.kind }, evening.travel_gap_minutes, ctx.timeZone, t);
    } else if (live.some((b) => b.slot_id === w.slotId)) {
      failed.add(w);
      clear.push(w.field);
    }
  }
  const kept = wanted.filter((w) => !failed.has(w) && !errors[w.field]);
  for (const w of failed) errors[w.field] = nearestWords(w, free, [...existing, ...kept], evening, ctx.timeZone, t);
  if (Object.keys(errors).length === 0) errors.choices = t('evenings.error.someTaken');
  return { ok: false, status: 409, errors, clear, seen: { evening, family, mine, free } };
}

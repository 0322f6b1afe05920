/**
 * What every booking command shares (booking, "book for me" holds, joining another carer's
 * appointment, the waiting list): the context and answers, the form's field names, the carer's
 * contact and words, their lock, and the appointments a wanted time could clash with.
 */
import type { Db, Dialect } from '../../db/database.ts';
import { lockRows, preparedLockedOnPostgres } from '../../db/locks.ts';
import type { Instant, LocalDate, MeetingMode } from '../../db/schema.ts';
import type { Actor } from '../../platform/audit/audit.ts';
import type { PageErrors } from '../../platform/web/forms.ts';
import type { Appointment, BookableChild, FreeTime, Teacher } from './booking.ts';
import type { AppointmentLine, MailText } from './booking-emails.ts';
import type { Needs } from './needs.ts';
import { english, type Text } from '../../platform/i18n/catalog.ts';
import { textForCarer, textForSchool } from '../../platform/i18n/plugin.ts';
import { carerContact, myAppointments, myAppointmentsAround, type Evening, type MyAppointment } from './booking-queries.ts';

/** One chosen time: for this child, with this teacher, in this slot, meeting this way (null: the evening's first way). */
export type Choice = { pupilId: string; staffId: string; slotId: string; mode: MeetingMode | null };

/** The booking form's field names (the benchmark and the page use these). */
export const slotField = (pupilId: string, staffId: string) => `slot_${pupilId}_${staffId}`;
/** The list of every time, when the nearest free times are offered as radios (booking-form.ts). */
export const otherField = (pupilId: string, staffId: string) => `other_${pupilId}_${staffId}`;
export const OTHER_TIME = 'other';
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
  /**
   * What the carer asked for at this evening, when the caller has read it (a booking form carrying
   * "Help at your appointments": what it will save). Undefined: what is stored, read with the family.
   */
  needs?: Needs | null;
  /** No confirmation email (demo data for an evening long past). */
  quiet?: boolean;
};

export type BookResult =
  { ok: true; booked: string[] } | { ok: false; status: 404 } | { ok: false; status: 400 | 409; errors: PageErrors; clear: string[]; seen?: Seen; booked?: string[]; nearest?: Nearest };

/** Beside each time someone else just took (by its field), the slot ids of the nearest free times that fit, to offer as choices. */
export type Nearest = Record<string, string[]>;

/** What a booking that lost a race has just read, so the page it answers with need not read it again. */
export type Seen = { evening: Evening; family: BookableChild[]; mine: MyAppointment[]; free: FreeTime[] };

export type Wanted = Appointment & { field: string; child: BookableChild; teacher: Teacher; slotId: string; mode: MeetingMode };

export const invalid = (errors: PageErrors, status: 400 | 409 = 400, clear: string[] = []): BookResult => ({ ok: false, status, errors, clear });

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
export function nearTimes(times: { starts: Instant; ends: Instant }[]): { starts: Instant; ends: Instant }[] {
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
 * Lock the chosen slots for share (PostgreSQL) and say which of them a teacher has marked unavailable
 * since the page was read. Marking a slot unavailable updates the same row first, so one of the two
 * waits for the other; two carers after the same time do not wait here (the unique index of one live
 * booking a slot decides between them, see lockCarerAndSlots in booking-commands.ts).
 */
export async function slotsNowUnavailable(trx: Db, dialect: Dialect, slotIds: string[]): Promise<Set<string>> {
  if (slotIds.length === 0) return new Set();
  const rows = await slotStates(trx, dialect, { ids: slotIds });
  return new Set(rows.filter((r) => Number(r.unavailable) === 1).map((r) => r.id));
}
const slotStates = preparedLockedOnPostgres(['ids'], (db, q: { ids: readonly string[] }) => db.selectFrom('evening_slots').select(['id', 'unavailable']).where('id', 'in', q.ids), {
  share: ['evening_slots'],
});

export function lineOf(w: { child: BookableChild; teacher: Teacher; starts: Instant; ends: Instant; mode: MeetingMode }): AppointmentLine {
  return { pupilName: w.child.name, teacherName: w.teacher.name, starts: w.starts, ends: w.ends, mode: w.mode, room: w.teacher.room, videoLink: w.teacher.videoLink };
}

import type { Kysely } from 'kysely';
import type { Database, Instant, LocalDate, MeetingMode } from '../../db/schema.ts';
import { restrictionStops } from '../../platform/access/hear.ts';
import type { Appointment, FamilyRow, FreeTime } from './booking.ts';
import { prepared } from '../../db/prepared.ts';

/** Reads for booking a parents' evening. Every query is scoped by school. */
type Db = Kysely<Database>;

/**
 * On PostgreSQL, the plans of the reads of tables a booking rush does not fill (the evening, the
 * family, the chosen slots, the waiting list) are kept (src/db/kept-plans.ts): planning the family
 * read cost more than running it. Reads of bookings and attendees are planned afresh each time:
 * those tables fill during a rush, and a plan kept from when they were small would stay.
 */
const KEPT = { keepPlan: true };

export async function eveningOf(db: Db, schoolId: string, eveningId: string) {
  return (await eveningSelect(db, { schoolId, eveningId }))[0];
}
const eveningSelect = prepared(
  ['schoolId', 'eveningId'],
  (db, q) =>
    db
      .selectFrom('evenings')
      .select(['id', 'school_id', 'name', 'modes', 'travel_gap_minutes', 'separated_carers', 'booking_opens_at', 'booking_closes_at', 'published_at'])
      .where('id', '=', q.eveningId)
      .where('school_id', '=', q.schoolId),
  KEPT,
);
export type Evening = NonNullable<Awaited<ReturnType<typeof eveningOf>>>;

/** The evening (as eveningOf) with its sessions in time order, in one read: the booking page shows both. */
export async function eveningWithSessions(db: Db, schoolId: string, eveningId: string): Promise<{ evening: Evening | undefined; sessions: { date: LocalDate; starts: string; ends: string }[] }> {
  const rows = await eveningSessionsSelect(db, { schoolId, eveningId });
  const first = rows[0];
  if (!first) return { evening: undefined, sessions: [] };
  const { session_date: _d, session_starts: _s, session_ends: _e, ...evening } = first;
  const sessions = rows.flatMap((r) =>
    r.session_date !== null && r.session_starts !== null && r.session_ends !== null ? [{ date: r.session_date, starts: r.session_starts, ends: r.session_ends }] : [],
  );
  return { evening, sessions };
}
const eveningSessionsSelect = prepared(
  ['schoolId', 'eveningId'],
  (db, q) =>
    db
      .selectFrom('evenings as e')
      .leftJoin('evening_sessions as s', (j) => j.onRef('s.evening_id', '=', 'e.id').onRef('s.school_id', '=', 'e.school_id'))
      .select(['e.id', 'e.school_id', 'e.name', 'e.modes', 'e.travel_gap_minutes', 'e.separated_carers', 'e.booking_opens_at', 'e.booking_closes_at', 'e.published_at'])
      .select(['s.date as session_date', 's.starts as session_starts', 's.ends as session_ends'])
      .where('e.id', '=', q.eveningId)
      .where('e.school_id', '=', q.schoolId)
      .orderBy('s.date')
      .orderBy('s.starts'),
  KEPT,
);

/**
 * A carer's children with each of their class teachers, and whether each may be booked at this
 * evening (see bookableChildren). Any restriction in force between the carer and a child stops
 * booking, whatever else it stops: one query, run on every booking.
 */
export async function familyRows(db: Db, q: { schoolId: string; eveningId: string; carerId: string; today: LocalDate }): Promise<FamilyRow[]> {
  const rows = await familySelect(db, { schoolId: q.schoolId, eveningId: q.eveningId, carerId: q.carerId, today: q.today });
  return rows.map((r) => ({
    pupilId: r.pupil_id,
    pupilName: `${r.preferred_name ?? r.given_name} ${r.family_name}`,
    classInEvening: Number(r.class_in_evening) === 1,
    mayReceiveInformation: r.may_receive_information === 1,
    restricted: Number(r.restricted) === 1,
    staffId: r.staff_id,
    teacherName: r.staff_id ? `${r.title} ${r.staff_family_name}` : null,
    teacherInEvening: r.et_staff_id !== null,
    room: r.room,
    videoLink: r.video_link,
    needs: r.needs_id ? { interpreterLanguage: r.interpreter_language, accessNote: r.access_note } : null,
  }));
}

const familySelect = prepared(['schoolId', 'eveningId', 'carerId', 'today'], (db, q) => familyQuery(db, q), KEPT);

// With what the carer asked for at this evening (evening_needs: one row at most, unique on school,
// evening and carer), for the confirmation email: a booking reads it here, not in a query of its own.
export function familyQuery(db: Db, q: { schoolId: string; eveningId: string; carerId: string; today: LocalDate }) {
  return db
    .selectFrom('carer_pupils as cp')
    .innerJoin('pupils as p', 'p.id', 'cp.pupil_id')
    .leftJoin('class_teachers as ct', 'ct.class_id', 'p.class_id')
    .leftJoin('staff as s', (j) => j.onRef('s.id', '=', 'ct.staff_id').on('s.archived_at', 'is', null))
    .leftJoin('evening_teachers as et', (j) => j.onRef('et.staff_id', '=', 'ct.staff_id').on('et.evening_id', '=', q.eveningId))
    .leftJoin('evening_needs as n', (j) => j.onRef('n.carer_id', '=', 'cp.carer_id').on('n.evening_id', '=', q.eveningId).on('n.school_id', '=', q.schoolId))
    .select([
      'n.id as needs_id',
      'n.interpreter_language',
      'n.access_note',
      'p.id as pupil_id',
      'p.given_name',
      'p.preferred_name',
      'p.family_name',
      'cp.may_receive_information',
      's.id as staff_id',
      's.title',
      's.family_name as staff_family_name',
      'et.staff_id as et_staff_id',
      'et.room',
      'et.video_link',
    ])
    .select((eb) => [
      eb
        .case()
        .when(eb.exists(eb.selectFrom('evening_classes as ec').select('ec.class_id').whereRef('ec.class_id', '=', 'p.class_id').where('ec.evening_id', '=', q.eveningId)))
        .then(1)
        .else(0)
        .end()
        .as('class_in_evening'),
      eb
        .case()
        .when(
          eb.exists(
            eb
              .selectFrom('restrictions')
              .select('restrictions.id')
              .whereRef('restrictions.pupil_id', '=', 'p.id')
              .where('restrictions.carer_id', '=', q.carerId)
              .where((r) => restrictionStops(r, 'booking', q.today)),
          ),
        )
        .then(1)
        .else(0)
        .end()
        .as('restricted'),
    ])
    .where('cp.carer_id', '=', q.carerId)
    .where('cp.school_id', '=', q.schoolId)
    .where('p.archived_at', 'is', null)
    .orderBy('p.date_of_birth', 'desc')
    .orderBy('p.id')
    .orderBy('s.family_name');
}

/**
 * Free times with these teachers: not marked unavailable, not started, and with no live booking
 * (a hold whose time has run out counts as free: it is released before anyone books).
 */
export async function freeTimesOf(db: Db, q: { schoolId: string; eveningId: string; staffIds: string[]; now: Date }): Promise<FreeTime[]> {
  if (q.staffIds.length === 0) return [];
  const rows = await freeSelect(db, { schoolId: q.schoolId, eveningId: q.eveningId, staffIds: [...new Set(q.staffIds)], at: q.now.toISOString() });
  // In time order here, not in SQL: an ORDER BY on start time drew SQLite to the (evening, start) index,
  // which walks every teacher's slots; (evening, teacher, start) finds only these teachers' (0033).
  return rows
    .sort((a, b) => (a.starts_at < b.starts_at ? -1 : a.starts_at > b.starts_at ? 1 : a.staff_id < b.staff_id ? -1 : a.staff_id > b.staff_id ? 1 : 0))
    .map((r) => ({ slotId: r.id, staffId: r.staff_id, starts: r.starts_at, ends: r.ends_at }));
}
const freeSelect = prepared(['schoolId', 'eveningId', 'staffIds', 'at'], (db, q: { schoolId: string; eveningId: string; staffIds: readonly string[]; at: string }) =>
  db
    .selectFrom('evening_slots as s')
    .select(['s.id', 's.staff_id', 's.starts_at', 's.ends_at'])
    .where('s.school_id', '=', q.schoolId)
    .where('s.evening_id', '=', q.eveningId)
    .where('s.staff_id', 'in', q.staffIds)
    .where('s.unavailable', '=', 0)
    .where('s.starts_at', '>', q.at)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('evening_bookings as b')
            .select('b.id')
            .whereRef('b.slot_id', '=', 's.id')
            .where('b.cancelled_at', 'is', null)
            .where((b) => b.or([b('b.status', '=', 'booked'), b('b.hold_expires_at', '>', q.at)])),
        ),
      ),
    ),
);

/** Every slot time of the evening (for "book for me": the earliest and latest a carer can choose). */
export async function slotTimesOf(db: Db, schoolId: string, eveningId: string) {
  return db.selectFrom('evening_slots').select(['starts_at', 'ends_at']).distinct().where('school_id', '=', schoolId).where('evening_id', '=', eveningId).orderBy('starts_at').execute();
}

export type MyAppointment = {
  bookingId: string;
  pupilId: string;
  staffId: string;
  starts: Instant;
  ends: Instant;
  mode: MeetingMode;
  status: 'held' | 'booked';
  holdId: string | null;
  holdExpiresAt: Instant | null;
  /** The carer joined another carer's booking (rather than booking it). */
  joined: boolean;
  bookerId: string;
  bookingKey: string;
};

/** The carer's live appointments at this evening: booked, joined, or held for them and not yet run out. */
export async function myAppointments(db: Db, q: { schoolId: string; eveningId: string; carerId: string; now: Date }): Promise<MyAppointment[]> {
  const rows = await mineSelect(db, { schoolId: q.schoolId, carerId: q.carerId, at: q.now.toISOString() });
  return rows.filter((r) => r.evening_id === q.eveningId).map(asMine);
}

function asMine(r: {
  id: string;
  pupil_id: string;
  staff_id: string;
  starts_at: Instant;
  ends_at: Instant;
  mode: MeetingMode;
  status: 'held' | 'booked';
  hold_id: string | null;
  hold_expires_at: Instant | null;
  joined: 0 | 1;
  carer_id: string;
  booking_key: string;
}): MyAppointment {
  return {
    bookingId: r.id,
    pupilId: r.pupil_id,
    staffId: r.staff_id,
    starts: r.starts_at,
    ends: r.ends_at,
    mode: r.mode,
    status: r.status,
    holdId: r.hold_id,
    holdExpiresAt: r.hold_expires_at,
    joined: r.joined === 1,
    bookerId: r.carer_id,
    bookingKey: r.booking_key,
  };
}

/**
 * All the carer's live appointments, whatever the evening: myAppointments keeps this evening's. With
 * `evening_id = ?` in SQL, SQLite planned from statistics taken before booking opened and walked the
 * evening's every booking to find the carer's few (0.6 ms a page once 750 were booked, and growing);
 * from the carer's own attendee rows it is a few lookups however full the evening.
 */
const mineSelect = prepared(['schoolId', 'carerId', 'at'], (db, q) =>
  db
    .selectFrom('evening_attendees as a')
    .innerJoin('evening_bookings as b', 'b.id', 'a.booking_id')
    .select(['b.id', 'b.evening_id', 'b.pupil_id', 'b.staff_id', 'b.starts_at', 'b.ends_at', 'b.mode', 'b.status', 'b.hold_id', 'b.hold_expires_at', 'a.joined', 'b.carer_id', 'b.booking_key'])
    .where('a.carer_id', '=', q.carerId)
    .where('a.school_id', '=', q.schoolId)
    .where('a.cancelled_at', 'is', null)
    .where('b.cancelled_at', 'is', null)
    .where(({ or, eb }) => or([eb('b.status', '=', 'booked'), eb('b.hold_expires_at', '>', q.at)]))
    .orderBy('b.starts_at'),
);

/**
 * The carer's live appointments at this evening (as myAppointments) and, in one read, those at the
 * school's other parents' evenings that could clash with times between `from` and `to` (an evening
 * for one year group and another for the whole school can share a day, with different slot lengths),
 * each named by its teacher and evening.
 */
export async function myAppointmentsAround(
  db: Db,
  q: { schoolId: string; eveningId: string; carerId: string; now: Date; from: Instant; to: Instant },
): Promise<{ mine: MyAppointment[]; elsewhere: Appointment[] }> {
  // Appointments start and end on one day: one that ends after `from` started less than a day before it.
  const dayBefore = new Date(Date.parse(q.from) - 24 * 3_600_000).toISOString();
  const rows = await aroundSelect(db, { schoolId: q.schoolId, eveningId: q.eveningId, carerId: q.carerId, from: q.from, to: q.to, dayBefore, at: q.now.toISOString() });
  const mine: MyAppointment[] = [];
  const elsewhere: Appointment[] = [];
  for (const r of rows) {
    if (r.evening_id === q.eveningId) mine.push(asMine(r));
    else if (r.ends_at > q.from && r.starts_at < q.to) elsewhere.push({ starts: r.starts_at, ends: r.ends_at, staffId: r.staff_id, label: `${r.title} ${r.staff_family_name} (${r.evening_name})` });
  }
  return { mine, elsewhere };
}
const aroundSelect = prepared(['schoolId', 'eveningId', 'carerId', 'from', 'to', 'dayBefore', 'at'], (db, q) =>
  db
    .selectFrom('evening_attendees as a')
    .innerJoin('evening_bookings as b', 'b.id', 'a.booking_id')
    .innerJoin('evenings as e', 'e.id', 'b.evening_id')
    .innerJoin('staff as s', 's.id', 'b.staff_id')
    .select(['b.id', 'b.evening_id', 'b.pupil_id', 'b.staff_id', 'b.starts_at', 'b.ends_at', 'b.mode', 'b.status', 'b.hold_id', 'b.hold_expires_at', 'a.joined', 'b.carer_id', 'b.booking_key'])
    .select(['s.title', 's.family_name as staff_family_name', 'e.name as evening_name'])
    .where('a.carer_id', '=', q.carerId)
    .where('a.school_id', '=', q.schoolId)
    .where('a.cancelled_at', 'is', null)
    .where('b.cancelled_at', 'is', null)
    .where(({ or, and, eb }) => or([eb('b.evening_id', '=', q.eveningId), and([eb('a.starts_at', '>', q.dayBefore), eb('a.starts_at', '<', q.to), eb('b.ends_at', '>', q.from)])]))
    .where(({ or, eb }) => or([eb('b.status', '=', 'booked'), eb('b.hold_expires_at', '>', q.at)]))
    .orderBy('b.starts_at'),
);

/** Live, booked appointments for these children (by any carer): another carer's may be joined. */
export async function childrensAppointments(db: Db, q: { schoolId: string; eveningId: string; pupilIds: string[] }) {
  if (q.pupilIds.length === 0) return [];
  return childrensSelect(db, { schoolId: q.schoolId, eveningId: q.eveningId, pupilIds: q.pupilIds });
}
const childrensSelect = prepared(['schoolId', 'eveningId', 'pupilIds'], (db, q: { schoolId: string; eveningId: string; pupilIds: readonly string[] }) =>
  db
    .selectFrom('evening_bookings')
    .select(['id', 'pupil_id', 'staff_id', 'carer_id', 'starts_at', 'ends_at', 'mode', 'booking_key'])
    .where('school_id', '=', q.schoolId)
    .where('evening_id', '=', q.eveningId)
    .where('pupil_id', 'in', q.pupilIds)
    .where('status', '=', 'booked')
    .where('cancelled_at', 'is', null),
);

/**
 * The evening (as eveningOf) and the chosen slots of it, with their teacher's name (to say who a slot
 * belongs to when it is the wrong one): one read. The slots are found by id within the school; a slot
 * of another evening is left out here rather than in SQL, where `evening_id = ?` tempted SQLite,
 * without statistics, to walk the evening's every slot instead of looking up three by their ids
 * (4 ms a booking in a rush, instead of 0.1).
 */
export async function eveningAndSlots(db: Db, schoolId: string, eveningId: string, ids: string[]) {
  if (ids.length === 0) return { evening: await eveningOf(db, schoolId, eveningId), slots: new Map<string, never>() };
  const rows = await eveningSlotsSelect(db, { schoolId, eveningId, ids: [...new Set(ids)] });
  const first = rows[0];
  if (!first) return { evening: undefined, slots: new Map<string, never>() };
  const evening: Evening = {
    id: first.id,
    school_id: first.school_id,
    name: first.name,
    modes: first.modes,
    travel_gap_minutes: first.travel_gap_minutes,
    separated_carers: first.separated_carers,
    booking_opens_at: first.booking_opens_at,
    booking_closes_at: first.booking_closes_at,
    published_at: first.published_at,
  };
  const slots = new Map(
    rows.flatMap((r) =>
      r.slot_id !== null && r.slot_evening_id === eveningId && r.staff_id !== null && r.starts_at !== null && r.ends_at !== null && r.unavailable !== null
        ? [
            [
              r.slot_id,
              {
                id: r.slot_id,
                staff_id: r.staff_id,
                starts_at: r.starts_at,
                ends_at: r.ends_at,
                unavailable: r.unavailable,
                title: r.title,
                family_name: r.family_name,
                staff_name: `${r.title} ${r.family_name}`,
              },
            ] as const,
          ]
        : [],
    ),
  );
  return { evening, slots };
}
const eveningSlotsSelect = prepared(
  ['schoolId', 'eveningId', 'ids'],
  (db, q: { schoolId: string; eveningId: string; ids: readonly string[] }) =>
    db
      .selectFrom('evenings as e')
      .leftJoin('evening_slots as s', (j) => j.on('s.id', 'in', q.ids).onRef('s.school_id', '=', 'e.school_id'))
      .leftJoin('staff', 'staff.id', 's.staff_id')
      .select(['e.id', 'e.school_id', 'e.name', 'e.modes', 'e.travel_gap_minutes', 'e.separated_carers', 'e.booking_opens_at', 'e.booking_closes_at', 'e.published_at'])
      .select(['s.id as slot_id', 's.evening_id as slot_evening_id', 's.staff_id', 's.starts_at', 's.ends_at', 's.unavailable', 'staff.title', 'staff.family_name'])
      .where('e.id', '=', q.eveningId)
      .where('e.school_id', '=', q.schoolId),
  KEPT,
);

/** The teachers (for which child) this carer is waiting for a free time with. */
export async function waitingOf(db: Db, q: { schoolId: string; eveningId: string; carerId: string }) {
  return waitingSelect(db, { schoolId: q.schoolId, eveningId: q.eveningId, carerId: q.carerId });
}
const waitingSelect = prepared(
  ['schoolId', 'eveningId', 'carerId'],
  (db, q) =>
    db
      .selectFrom('evening_waiting')
      .select(['id', 'pupil_id', 'staff_id', 'told_at'])
      .where('school_id', '=', q.schoolId)
      .where('evening_id', '=', q.eveningId)
      .where('carer_id', '=', q.carerId)
      .where('removed_at', 'is', null),
  KEPT,
);

/** A carer's name and email (for a booking made by the office, and emails). */
export async function carerContact(db: Db, schoolId: string, carerId: string) {
  const row = await db
    .selectFrom('carers')
    .select(['id', 'given_name', 'family_name', 'email', 'preferred_language'])
    .where('id', '=', carerId)
    .where('school_id', '=', schoolId)
    .where('archived_at', 'is', null)
    .executeTakeFirst();
  return row ? { id: row.id, name: `${row.given_name} ${row.family_name}`, email: row.email, language: row.preferred_language } : null;
}

/**
 * Which of these appointments the teacher met early and wrote up (its meeting record is held): they
 * have happened, so they can no longer be cancelled however far off their time is.
 */
export async function writtenUp(db: Db, schoolId: string, bookingIds: string[]): Promise<string[]> {
  if (bookingIds.length === 0) return [];
  const rows = await heldRecords(db, { schoolId, bookingIds });
  return rows.map((r) => r.evening_booking_id!);
}
const heldRecords = prepared(['schoolId', 'bookingIds'], (db, q: { schoolId: string; bookingIds: readonly string[] }) =>
  db.selectFrom('meetings').select('evening_booking_id').where('school_id', '=', q.schoolId).where('evening_booking_id', 'in', q.bookingIds).where('status', '=', 'held'),
);

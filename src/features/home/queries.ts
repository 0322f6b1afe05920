import { sql, type Kysely } from 'kysely';
import { prepared } from '../../db/prepared.ts';
import type { Database } from '../../db/schema.ts';

/** At a glance for whole-school staff: how many pupils and carers, and who can only get paper. */
export async function schoolFigures(db: Kysely<Database>, schoolId: string) {
  const [pupils, carers, noEmail] = await Promise.all([
    db
      .selectFrom('pupils')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('school_id', '=', schoolId)
      .where('archived_at', 'is', null)
      .executeTakeFirstOrThrow(),
    db
      .selectFrom('carers')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('school_id', '=', schoolId)
      .where('archived_at', 'is', null)
      .executeTakeFirstOrThrow(),
    db
      .selectFrom('carers')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('school_id', '=', schoolId)
      .where('archived_at', 'is', null)
      .where('email', 'is', null)
      .executeTakeFirstOrThrow(),
  ]);
  return { pupils: Number(pupils.n), carers: Number(carers.n), carersWithoutEmail: Number(noEmail.n) };
}

/** How many messages a carer has not opened yet (every carer home page: a kept plan, src/db/kept-plans.ts). */
export async function unreadMessages(db: Kysely<Database>, carerId: string): Promise<number> {
  const [row] = await unreadSelect(db, { carerId });
  return Number(row!.n);
}
const unreadSelect = prepared(
  ['carerId'],
  (db, q) =>
    db
      .selectFrom('message_recipients')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('carer_id', '=', q.carerId)
      .where('read_at', 'is', null),
  { keepPlan: true },
);

export type Appointment = {
  kind: 'meeting' | 'evening';
  /** The meeting's id, or the parents' evening's. */
  id: string;
  title: string;
  starts_at: string | null;
  status: string;
  follow_up_on: string | null;
  pupil_id: string | null;
  staff_title: string | null;
  staff_family_name: string | null;
};

/**
 * A carer's coming appointments, in one query (the carer home page is benchmarked): meetings they
 * are on that are arranged and still to come, offered (waiting for them to choose a time), or held
 * with a follow-up still to come; and parents' evening appointments they booked or joined. The caller
 * keeps only those about children the carer may see (pupil_id), or about no one child.
 */
export async function appointmentsOf(db: Kysely<Database>, carerId: string, schoolId: string, now: Date, today: string): Promise<Appointment[]> {
  const rows = await appointmentsSelect(db, { carerId, schoolId, at: now.toISOString(), today });
  const when = (a: Appointment) => a.starts_at ?? (a.follow_up_on ? `${a.follow_up_on}T12:00:00.000Z` : '9999');
  return [...rows].sort((a, b) => when(a).localeCompare(when(b))).slice(0, 12);
}

/**
 * Building this query with Kysely costs about ten times what running it does (a union of two
 * four-table joins), so it is compiled once per database (src/db/prepared.ts); on PostgreSQL its
 * plan is kept too (planning it cost twice what running it did).
 */
const appointmentsSelect = prepared(['carerId', 'schoolId', 'at', 'today'], (db, q) => appointmentsQuery(db, q.carerId, q.schoolId, q.at, q.today), { keepPlan: true });

function appointmentsQuery(db: Kysely<Database>, carerId: string, schoolId: string, at: string, today: string) {
  const meetings = db
    .selectFrom('meeting_carers')
    .innerJoin('meetings', 'meetings.id', 'meeting_carers.meeting_id')
    .leftJoin('meeting_staff', (j) => j.onRef('meeting_staff.meeting_id', '=', 'meetings.id').on('meeting_staff.role', '=', 'lead'))
    .leftJoin('staff', 'staff.id', 'meeting_staff.staff_id')
    .select([
      sql<'meeting'>`'meeting'`.as('kind'),
      'meetings.id',
      'meetings.topic as title',
      'meetings.starts_at',
      'meetings.status',
      'meetings.follow_up_on',
      'meetings.pupil_id',
      'staff.title as staff_title',
      'staff.family_name as staff_family_name',
    ])
    .where('meeting_carers.carer_id', '=', carerId)
    .where('meeting_carers.school_id', '=', schoolId)
    .where((eb) =>
      eb.or([
        eb.and([eb('meetings.status', '=', 'scheduled'), eb('meetings.ends_at', '>=', at)]),
        eb('meetings.status', '=', 'offered'),
        eb.and([eb('meetings.status', '=', 'held'), eb('meetings.summary_sent_at', 'is not', null), eb('meetings.follow_up_on', '>=', today), eb('meetings.follow_up_done_at', 'is', null)]),
      ]),
    );
  const evenings = db
    .selectFrom('evening_attendees')
    .innerJoin('evening_bookings', 'evening_bookings.id', 'evening_attendees.booking_id')
    .innerJoin('evenings', 'evenings.id', 'evening_bookings.evening_id')
    .innerJoin('staff', 'staff.id', 'evening_bookings.staff_id')
    .select([
      sql<'evening'>`'evening'`.as('kind'),
      'evenings.id',
      'evenings.name as title',
      'evening_bookings.starts_at',
      'evening_bookings.status',
      sql<string | null>`cast(null as text)`.as('follow_up_on'),
      'evening_bookings.pupil_id',
      'staff.title as staff_title',
      'staff.family_name as staff_family_name',
    ])
    .where('evening_attendees.carer_id', '=', carerId)
    .where('evening_attendees.cancelled_at', 'is', null)
    .where('evening_attendees.school_id', '=', schoolId)
    .where('evening_bookings.cancelled_at', 'is', null)
    .where('evening_bookings.status', '=', 'booked')
    .where('evening_bookings.ends_at', '>=', at);
  return meetings.$castTo<Appointment>().unionAll(evenings.$castTo<Appointment>());
}

import type { Db } from '../../db/database.ts';
import type { Instant, LocalDate } from '../../db/schema.ts';
import { localDate } from '../../platform/calendar/time.ts';
import { closedComplaintsDue } from '../concerns/index.ts';
import { WHOLE_SCHOOL_KINDS, wholeSchoolMessagesDue } from '../messages/index.ts';
import type { KindKey } from './schedule.ts';

/**
 * How many records of each kind are past their date: one count query per kind, read only (the
 * tables belong to their features; the two kinds Gatepost erases are counted by their owners with
 * the very rule that erases them). `before` is the kind's cut-off: a school-local date, and the
 * instant that day starts in the school's zone (for columns holding instants).
 */
export type Before = { date: LocalDate; instant: Instant };
export type Due = { count: number; oldest: LocalDate | null };

type Row = { n: number | string | bigint; oldest: unknown } | undefined;
const dayOf = (v: unknown, timeZone: string): LocalDate | null => {
  if (v === null || v === undefined) return null;
  const s = String(v);
  return s.length > 10 ? localDate(new Date(s), timeZone) : (s as LocalDate);
};

type Counter = (db: Db, schoolId: string, before: Before) => Promise<Row>;

const COUNTERS: Record<KindKey, Counter> = {
  complaints: async (db, schoolId, before) => {
    const d = await closedComplaintsDue(db, schoolId, before.instant);
    return { n: d.count, oldest: d.oldest };
  },
  whole_school_messages: async (db, schoolId, before) => {
    const d = await wholeSchoolMessagesDue(db, schoolId, before.instant);
    return { n: d.count, oldest: d.oldest };
  },
  concerns: (db, schoolId, before) =>
    db
      .selectFrom('concerns as c')
      .where('c.school_id', '=', schoolId)
      .where('c.status', 'in', ['closed', 'resolved'])
      .where('c.closed_at', '<', before.instant)
      .where((eb) => eb.not(eb.exists(eb.selectFrom('complaints as k').select('k.id').where('k.school_id', '=', schoolId).whereRef('k.concern_id', '=', 'c.id'))))
      .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.min('c.closed_at').as('oldest')])
      .executeTakeFirst(),
  messages_about_a_child: (db, schoolId, before) =>
    db
      .selectFrom('messages')
      .where('school_id', '=', schoolId)
      .where('status', '=', 'sent')
      .where('kind', 'not in', WHOLE_SCHOOL_KINDS)
      .where('sent_at', '<', before.instant)
      .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.min('sent_at').as('oldest')])
      .executeTakeFirst(),
  evening_bookings: (db, schoolId, before) =>
    db
      .selectFrom('evening_bookings')
      .where('school_id', '=', schoolId)
      .where('starts_at', '<', before.instant)
      .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.min('starts_at').as('oldest')])
      .executeTakeFirst(),
  meetings: (db, schoolId, before) =>
    db
      .selectFrom('meetings')
      .where('school_id', '=', schoolId)
      .where('starts_at', '<', before.instant)
      .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.min('starts_at').as('oldest')])
      .executeTakeFirst(),
  surveys: (db, schoolId, before) =>
    db
      .selectFrom('surveys')
      .where('school_id', '=', schoolId)
      .where('status', '=', 'closed')
      .where('closed_at', '<', before.instant)
      .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.min('closed_at').as('oldest')])
      .executeTakeFirst(),
  consultations: (db, schoolId, before) =>
    db
      .selectFrom('consultations')
      .where('school_id', '=', schoolId)
      .where('status', '!=', 'open')
      .where('closes_on', '<', before.date)
      .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.min('closes_on').as('oldest')])
      .executeTakeFirst(),
  agreement_signatures: (db, schoolId, before) =>
    db
      .selectFrom('agreement_signatures')
      .where('school_id', '=', schoolId)
      .where('signed_on', '<', before.date)
      .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.min('signed_on').as('oldest')])
      .executeTakeFirst(),
  volunteer_checks: (db, schoolId, before) =>
    db
      .selectFrom('volunteers')
      .where('school_id', '=', schoolId)
      .where('status', 'in', ['declined', 'withdrawn'])
      .where('updated_at', '<', before.instant)
      .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.min('updated_at').as('oldest')])
      .executeTakeFirst(),
  subject_access: (db, schoolId, before) =>
    db
      .selectFrom('access_requests')
      .where('school_id', '=', schoolId)
      .where('status', '!=', 'open')
      .where('closed_at', '<', before.instant)
      .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.min('closed_at').as('oldest')])
      .executeTakeFirst(),
  attendance_figures: (db, schoolId, before) =>
    db
      .selectFrom('attendance_figures')
      .where('school_id', '=', schoolId)
      .where('as_of', '<', before.date)
      .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.min('as_of').as('oldest')])
      .executeTakeFirst(),
  conduct: (db, schoolId, before) =>
    db
      .selectFrom('conduct_incidents')
      .where('school_id', '=', schoolId)
      .where('happened_on', '<', before.date)
      .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.min('happened_on').as('oldest')])
      .executeTakeFirst(),
  safeguarding_reports: (db, schoolId, before) =>
    db
      .selectFrom('dsl_reports as r')
      .innerJoin('pupils as p', (j) => j.onRef('p.id', '=', 'r.pupil_id').onRef('p.school_id', '=', 'r.school_id'))
      .where('r.school_id', '=', schoolId)
      .where('p.date_of_birth', '<', before.date)
      .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.min('p.date_of_birth').as('oldest')])
      .executeTakeFirst(),
  pupil_profiles: (db, schoolId, before) =>
    db
      .selectFrom('profiles as f')
      .innerJoin('pupils as p', (j) => j.onRef('p.id', '=', 'f.pupil_id').onRef('p.school_id', '=', 'f.school_id'))
      .where('f.school_id', '=', schoolId)
      .where('p.date_of_birth', '<', before.date)
      .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.min('p.date_of_birth').as('oldest')])
      .executeTakeFirst(),
};

/** How many records of one kind are past their date, and the oldest one's start date (school-local). */
export async function dueOf(db: Db, schoolId: string, kind: KindKey, before: Before, timeZone: string): Promise<Due> {
  const row = await COUNTERS[kind](db, schoolId, before);
  return { count: Number(row?.n ?? 0), oldest: dayOf(row?.oldest, timeZone) };
}

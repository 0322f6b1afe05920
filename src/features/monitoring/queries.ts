import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { ConcernCategory, LocalDate } from '../../db/schema.ts';
import type { ComplaintGroup, ConcernGroup, Period } from './figures.ts';

/**
 * Counting in SQL, for one school and one period: concerns and complaints are grouped by what the
 * figures need (category, status, the days they were raised, taken on and closed), so a school with
 * ten years of history sends a year's groups, not its rows. The tables belong to features/concerns
 * (and complaint_closures to features/conduct): only read here, through the indexes migration 0015 adds.
 * Instants are cut to their UTC date (a concern taken on between 23:00 and midnight in summer counts
 * on the next day).
 */
const day = (column: string) => sql<LocalDate | null>`substr(${sql.ref(column)}, 1, 10)`;
const reopened = sql<number>`case when ${sql.ref('reopened_count')} > 0 then 1 else 0 end`;

export async function concernGroups(db: Db, schoolId: string, period: Period): Promise<ConcernGroup[]> {
  const rows = await db
    .selectFrom('concerns')
    .select(['category', 'status', 'raised_on'])
    .select([reopened.as('reopened'), day('triaged_at').as('taken_on'), day('closed_at').as('closed_on'), (eb) => eb.fn.countAll<number | string>().as('n')])
    .where('school_id', '=', schoolId)
    .where('raised_on', '>=', period.startsOn)
    .where('raised_on', '<=', period.endsOn)
    .groupBy(['category', 'status', 'raised_on', reopened, day('triaged_at'), day('closed_at')])
    .execute();
  return rows.map((r) => ({
    category: r.category,
    status: r.status,
    reopened: Number(r.reopened) === 1,
    raisedOn: r.raised_on,
    takenOn: r.taken_on,
    closedOn: r.closed_on,
    count: Number(r.n),
  }));
}

export async function complaintGroups(db: Db, schoolId: string, period: Period): Promise<ComplaintGroup[]> {
  const rows = await db
    .selectFrom('complaints')
    .leftJoin('complaint_closures', (j) => j.onRef('complaint_closures.complaint_id', '=', 'complaints.id').onRef('complaint_closures.school_id', '=', 'complaints.school_id'))
    .select(['complaints.stage', 'complaints.late', 'complaints.received_on', 'complaints.outcome', 'complaint_closures.grounds', (eb) => eb.fn.countAll<number | string>().as('n')])
    .where('complaints.school_id', '=', schoolId)
    .where('complaints.received_on', '>=', period.startsOn)
    .where('complaints.received_on', '<=', period.endsOn)
    .groupBy(['complaints.stage', 'complaints.late', 'complaints.received_on', 'complaints.outcome', 'complaint_closures.grounds'])
    .execute();
  return rows.map((r) => ({ stage: r.stage, late: r.late === 1, closedAs: r.grounds ?? null, outcome: r.outcome ?? null, receivedOn: r.received_on, count: Number(r.n) }));
}

/** Concerns per category in a period (last year's, for the themes). */
export async function concernsByCategory(db: Db, schoolId: string, period: Period): Promise<Record<string, number>> {
  const rows = await db
    .selectFrom('concerns')
    .select(['category', (eb) => eb.fn.countAll<number | string>().as('n')])
    .where('school_id', '=', schoolId)
    .where('raised_on', '>=', period.startsOn)
    .where('raised_on', '<=', period.endsOn)
    .groupBy('category')
    .execute();
  return Object.fromEntries(rows.map((r) => [(r.category ?? 'untriaged') as ConcernCategory | 'untriaged', Number(r.n)]));
}

export async function complaintCount(db: Db, schoolId: string, period: Period): Promise<number> {
  const row = await db
    .selectFrom('complaints')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where('school_id', '=', schoolId)
    .where('received_on', '>=', period.startsOn)
    .where('received_on', '<=', period.endsOn)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

/** The school's terms with their names and closures (school-day arithmetic and the term columns). */
export async function calendarWithNames(db: Db, schoolId: string) {
  const [terms, closures] = await Promise.all([
    db.selectFrom('school_terms').select(['name', 'starts_on', 'ends_on']).where('school_id', '=', schoolId).orderBy('starts_on').execute(),
    db.selectFrom('school_closures').select(['starts_on', 'ends_on']).where('school_id', '=', schoolId).execute(),
  ]);
  return { terms, closures };
}

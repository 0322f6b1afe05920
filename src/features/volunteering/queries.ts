import type { Db } from '../../db/database.ts';
import type { LocalDate } from '../../db/schema.ts';
import { restrictionsOnCarer } from '../../platform/access/hear.ts';

/** Kysely queries for volunteering; every one scoped by school. */
export async function opportunitiesOf(db: Db, schoolId: string) {
  return db.selectFrom('volunteer_opportunities').selectAll().where('school_id', '=', schoolId).orderBy('created_at').execute();
}

export async function opportunityById(db: Db, schoolId: string, id: string) {
  return db.selectFrom('volunteer_opportunities').selectAll().where('school_id', '=', schoolId).where('id', '=', id).executeTakeFirst();
}

const VOLUNTEER = [
  'volunteers.id',
  'volunteers.status',
  'volunteers.supervised',
  'volunteers.review_on',
  'volunteers.approved_on',
  'volunteers.offer_note',
  'volunteers.created_at',
  'volunteers.opportunity_id',
  'volunteers.carer_id',
] as const;

export async function volunteersOf(db: Db, schoolId: string) {
  return db
    .selectFrom('volunteers')
    .innerJoin('carers', (j) => j.onRef('carers.id', '=', 'volunteers.carer_id').onRef('carers.school_id', '=', 'volunteers.school_id'))
    .innerJoin('volunteer_opportunities as o', (j) => j.onRef('o.id', '=', 'volunteers.opportunity_id').onRef('o.school_id', '=', 'volunteers.school_id'))
    .select([...VOLUNTEER, 'carers.given_name', 'carers.family_name', 'o.title as role'])
    .where('volunteers.school_id', '=', schoolId)
    .orderBy('volunteers.created_at')
    .execute();
}

export async function volunteerById(db: Db, schoolId: string, id: string) {
  return db
    .selectFrom('volunteers')
    .innerJoin('carers', (j) => j.onRef('carers.id', '=', 'volunteers.carer_id').onRef('carers.school_id', '=', 'volunteers.school_id'))
    .leftJoin('staff as approver', (j) => j.onRef('approver.id', '=', 'volunteers.approved_by').onRef('approver.school_id', '=', 'volunteers.school_id'))
    .selectAll('volunteers')
    .select(['carers.given_name', 'carers.family_name', 'approver.given_name as approverGiven', 'approver.family_name as approverFamily'])
    .where('volunteers.school_id', '=', schoolId)
    .where('volunteers.id', '=', id)
    .executeTakeFirst();
}

export async function assignmentsOf(db: Db, schoolId: string, volunteerId: string) {
  return db
    .selectFrom('volunteer_assignments')
    .leftJoin('events', (j) => j.onRef('events.id', '=', 'volunteer_assignments.event_id').onRef('events.school_id', '=', 'volunteer_assignments.school_id'))
    .select(['volunteer_assignments.id', 'volunteer_assignments.activity', 'volunteer_assignments.on_date', 'events.title as eventTitle'])
    .where('volunteer_assignments.school_id', '=', schoolId)
    .where('volunteer_assignments.volunteer_id', '=', volunteerId)
    .orderBy('volunteer_assignments.on_date')
    .execute();
}

export async function offersOfCarer(db: Db, schoolId: string, carerId: string) {
  return db.selectFrom('volunteers').select(['id', 'opportunity_id', 'status', 'supervised', 'review_on']).where('school_id', '=', schoolId).where('carer_id', '=', carerId).execute();
}

/** What each of a carer's approved offers has them down for, by volunteer id: the carer's own page. */
export async function assignmentsOfCarer(db: Db, schoolId: string, carerId: string) {
  const rows = await db
    .selectFrom('volunteer_assignments')
    .innerJoin('volunteers', (j) => j.onRef('volunteers.id', '=', 'volunteer_assignments.volunteer_id').onRef('volunteers.school_id', '=', 'volunteer_assignments.school_id'))
    .leftJoin('events', (j) => j.onRef('events.id', '=', 'volunteer_assignments.event_id').onRef('events.school_id', '=', 'volunteer_assignments.school_id'))
    .select(['volunteer_assignments.id', 'volunteer_assignments.volunteer_id', 'volunteer_assignments.activity', 'volunteer_assignments.on_date', 'events.title as eventTitle'])
    .where('volunteer_assignments.school_id', '=', schoolId)
    .where('volunteers.carer_id', '=', carerId)
    .where('volunteers.status', '=', 'approved')
    .orderBy('volunteer_assignments.on_date')
    .execute();
  const byVolunteer = new Map<string, typeof rows>();
  for (const r of rows) byVolunteer.set(r.volunteer_id, [...(byVolunteer.get(r.volunteer_id) ?? []), r]);
  return byVolunteer;
}

/** The languages a translating volunteer was approved for. */
export async function languagesOf(db: Db, schoolId: string, volunteerId: string): Promise<string[]> {
  const rows = await db.selectFrom('volunteer_languages').select('language').where('school_id', '=', schoolId).where('volunteer_id', '=', volunteerId).orderBy('language').execute();
  return rows.map((r) => r.language);
}

export type Translator = { volunteerId: string; carerId: string; name: string; email: string | null; language: string };

/**
 * The volunteers who may be asked to translate into a language today: approved for a translating
 * role that is open, for that language, not past their review date, not archived, and with no
 * restriction in force about any child (platform/access). A ban from the premises does not matter
 * here: translating is done from home. `volunteerId` narrows it to one (is this one still offered?).
 */
export async function translatorsFor(db: Db, schoolId: string, language: string, today: LocalDate, volunteerId?: string): Promise<Translator[]> {
  let q = db
    .selectFrom('volunteers')
    .innerJoin('volunteer_opportunities as o', (j) => j.onRef('o.id', '=', 'volunteers.opportunity_id').onRef('o.school_id', '=', 'volunteers.school_id'))
    .innerJoin('volunteer_languages as l', (j) => j.onRef('l.volunteer_id', '=', 'volunteers.id').onRef('l.school_id', '=', 'volunteers.school_id'))
    .innerJoin('carers', (j) => j.onRef('carers.id', '=', 'volunteers.carer_id').onRef('carers.school_id', '=', 'volunteers.school_id'))
    .select(['volunteers.id', 'volunteers.carer_id', 'carers.given_name', 'carers.family_name', 'carers.email'])
    .where('volunteers.school_id', '=', schoolId)
    .where('volunteers.status', '=', 'approved')
    .where('volunteers.review_on', '>=', today)
    .where('o.kind', '=', 'translating')
    .where('o.status', '=', 'open')
    .where('l.language', '=', language)
    .where('carers.archived_at', 'is', null)
    .orderBy('carers.family_name')
    .orderBy('carers.given_name');
  if (volunteerId) q = q.where('volunteers.id', '=', volunteerId);
  const rows = await q.execute();
  const out: Translator[] = [];
  for (const r of rows) {
    if ((await restrictionsOnCarer(db, { schoolId, carerId: r.carer_id, today })).length > 0) continue;
    if (out.some((t) => t.carerId === r.carer_id)) continue;
    out.push({ volunteerId: r.id, carerId: r.carer_id, name: `${r.given_name} ${r.family_name}`, email: r.email, language });
  }
  return out;
}

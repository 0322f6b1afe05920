import type { Db } from '../../db/database.ts';

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

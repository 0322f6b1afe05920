import type { Kysely } from 'kysely';
import type { Database, YearGroup } from '../../db/schema.ts';
import { pupilReach, type User } from '../../platform/access/roles.ts';
import { pupilsVisibleTo, restrictionInForce, type ScopeContext } from '../../platform/access/scope.ts';
import { carerMayHear } from '../../platform/access/hear.ts';
import { prepared } from '../../db/prepared.ts';

type Db = Kysely<Database>;
export const PAGE_SIZE = 50;

/** Searching: every word must match the start of a name (or the whole UPN). */
function words(q: string | undefined): string[] {
  return (q ?? '')
    .trim()
    .toLowerCase()
    .split(/\s+/)
    .filter((w) => w.length > 0)
    .slice(0, 4);
}

export type PupilFilter = { q?: string; year?: YearGroup; classId?: string; page: number };

/** The pupils this user may see that match the filter (not archived): the pupils page and its CSV download. */
export function pupilsMatching(db: Db, user: User, scope: ScopeContext, filter: Omit<PupilFilter, 'page'>) {
  let query = db
    .selectFrom('pupils')
    .leftJoin('classes', 'classes.id', 'pupils.class_id')
    .where(pupilsVisibleTo(user, scope.today, scope.teachersSeeAllPupils))
    .where('pupils.archived_at', 'is', null);
  for (const w of words(filter.q)) {
    query = query.where((eb) =>
      eb.or([
        eb(eb.fn('lower', ['pupils.given_name']), 'like', `${w}%`),
        eb(eb.fn('lower', ['pupils.family_name']), 'like', `${w}%`),
        eb(eb.fn('lower', ['pupils.preferred_name']), 'like', `${w}%`),
        eb(eb.fn('lower', ['pupils.upn']), '=', w),
      ]),
    );
  }
  if (filter.year) query = query.where('pupils.year_group', '=', filter.year);
  if (filter.classId) query = query.where('pupils.class_id', '=', filter.classId);
  return query;
}

export async function listPupils(db: Db, user: User, scope: ScopeContext, filter: PupilFilter) {
  const query = pupilsMatching(db, user, scope, filter);
  const total = await query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const rows = await query
    .select([
      'pupils.id',
      'pupils.given_name',
      'pupils.family_name',
      'pupils.preferred_name',
      'pupils.year_group',
      'pupils.upn',
      'pupils.send_status',
      'pupils.home_language',
      'classes.name as class_name',
    ])
    .orderBy('pupils.family_name')
    .orderBy('pupils.given_name')
    .orderBy('pupils.id')
    .limit(PAGE_SIZE)
    .offset((filter.page - 1) * PAGE_SIZE)
    .execute();
  return { rows, total: Number(total.n) };
}

export async function classesOfSchool(db: Db, schoolId: string) {
  return db.selectFrom('classes').select(['id', 'name', 'year_group']).where('school_id', '=', schoolId).where('archived_at', 'is', null).orderBy('name').execute();
}

export async function classesTaughtBy(db: Db, staffId: string) {
  return db
    .selectFrom('class_teachers')
    .innerJoin('classes', 'classes.id', 'class_teachers.class_id')
    .select(['classes.id', 'classes.name', 'classes.year_group'])
    .select((eb) => eb.selectFrom('pupils').select(eb.fn.countAll<number>().as('n')).whereRef('pupils.class_id', '=', 'classes.id').where('pupils.archived_at', 'is', null).as('pupil_count'))
    .where('class_teachers.staff_id', '=', staffId)
    .orderBy('classes.name')
    .execute();
}

export async function getPupil(db: Db, schoolId: string, pupilId: string) {
  return db
    .selectFrom('pupils')
    .leftJoin('classes', 'classes.id', 'pupils.class_id')
    .selectAll('pupils')
    .select('classes.name as class_name')
    .where('pupils.id', '=', pupilId)
    .where('pupils.school_id', '=', schoolId)
    .executeTakeFirst();
}

export async function teachersOfClass(db: Db, classId: string | null) {
  if (!classId) return [];
  return db
    .selectFrom('class_teachers')
    .innerJoin('staff', 'staff.id', 'class_teachers.staff_id')
    .select(['staff.id', 'staff.title', 'staff.family_name'])
    .where('class_teachers.class_id', '=', classId)
    .execute();
}

/** The pupil's carers with their link: who they are to the child, and what they may receive. */
export async function familyOfPupil(db: Db, schoolId: string, pupilId: string) {
  return db
    .selectFrom('carer_pupils')
    .innerJoin('carers', 'carers.id', 'carer_pupils.carer_id')
    .select([
      'carer_pupils.id as link_id',
      'carer_pupils.relationship',
      'carer_pupils.parental_responsibility',
      'carer_pupils.lives_with_pupil',
      'carer_pupils.contact_priority',
      'carer_pupils.may_receive_information',
      'carer_pupils.wants_copies',
      'carers.id',
      'carers.title',
      'carers.given_name',
      'carers.family_name',
      'carers.email',
      'carers.mobile',
      'carers.preferred_language',
      'carers.interpreter_needed',
      'carers.paper_copies',
      'carers.access_needs',
    ])
    .where('carer_pupils.pupil_id', '=', pupilId)
    .where('carer_pupils.school_id', '=', schoolId)
    .orderBy('carer_pupils.contact_priority')
    .orderBy('carers.family_name')
    .execute();
}

export async function restrictionsOnPupil(db: Db, schoolId: string, pupilId: string, today: string) {
  return db
    .selectFrom('restrictions')
    .innerJoin('carers', 'carers.id', 'restrictions.carer_id')
    .selectAll('restrictions')
    .select(['carers.given_name', 'carers.family_name'])
    .where('restrictions.pupil_id', '=', pupilId)
    .where('restrictions.school_id', '=', schoolId)
    .where((eb) => restrictionInForce(eb, today))
    .orderBy('restrictions.starts_on')
    .execute();
}

export type CarerFilter = { q?: string; page: number };

/** The carers this user may see that match the search (not archived): the carers page and its CSV download. */
export function carersMatching(db: Db, user: User, scope: ScopeContext, filter: Omit<CarerFilter, 'page'>) {
  let query = db.selectFrom('carers').where('carers.school_id', '=', user.schoolId).where('carers.archived_at', 'is', null);
  if (user.kind === 'carer' || pupilReach(user, scope.teachersSeeAllPupils) !== 'school') {
    // Teachers see the carers of the pupils they teach.
    query = query.where('carers.id', 'in', (eb) =>
      eb
        .selectFrom('carer_pupils')
        .innerJoin('pupils', 'pupils.id', 'carer_pupils.pupil_id')
        .select('carer_pupils.carer_id')
        .where(pupilsVisibleTo(user, scope.today, scope.teachersSeeAllPupils)),
    );
  }
  for (const w of words(filter.q)) {
    query = query.where((eb) =>
      eb.or([
        eb(eb.fn('lower', ['carers.given_name']), 'like', `${w}%`),
        eb(eb.fn('lower', ['carers.family_name']), 'like', `${w}%`),
        eb(eb.fn('lower', ['carers.email']), 'like', `${w}%`),
        eb('carers.mobile', 'like', `${w.replace(/\s/g, '')}%`),
      ]),
    );
  }
  return query;
}

export async function listCarers(db: Db, user: User, scope: ScopeContext, filter: CarerFilter) {
  const query = carersMatching(db, user, scope, filter);
  const total = await query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const rows = await query
    .select(['carers.id', 'carers.given_name', 'carers.family_name', 'carers.email', 'carers.mobile', 'carers.preferred_language', 'carers.paper_copies'])
    .orderBy('carers.family_name')
    .orderBy('carers.given_name')
    .orderBy('carers.id')
    .limit(PAGE_SIZE)
    .offset((filter.page - 1) * PAGE_SIZE)
    .execute();
  return { rows, total: Number(total.n) };
}

export async function getCarer(db: Db, schoolId: string, carerId: string) {
  return db.selectFrom('carers').selectAll().where('id', '=', carerId).where('school_id', '=', schoolId).executeTakeFirst();
}

/** What the school holds to reach a carer (the carer home page shows it): a kept plan, read on every carer home page. */
const contactSelect = prepared(
  ['schoolId', 'carerId'],
  (db, q) => db.selectFrom('carers').select(['email', 'mobile', 'preferred_language']).where('id', '=', q.carerId).where('school_id', '=', q.schoolId),
  { keepPlan: true },
);
export async function contactDetailsOf(db: Db, schoolId: string, carerId: string) {
  return (await contactSelect(db, { schoolId, carerId }))[0];
}

const CHILD_COLUMNS = [
  'pupils.id',
  'pupils.given_name',
  'pupils.family_name',
  'pupils.preferred_name',
  'pupils.year_group',
  'pupils.class_id',
  'classes.name as class_name',
  'carer_pupils.id as link_id',
  'carer_pupils.relationship',
  'carer_pupils.parental_responsibility',
  'carer_pupils.lives_with_pupil',
  'carer_pupils.may_receive_information',
  'carer_pupils.wants_copies',
] as const;

/** A carer's children that this user may see, with the carer's link to each. */
export async function childrenOfCarer(db: Db, user: User, scope: ScopeContext, carerId: string) {
  if (user.kind === 'carer' && user.id === carerId) return ownChildren(db, user.id, user.schoolId, scope.today);
  return db
    .selectFrom('carer_pupils')
    .innerJoin('pupils', 'pupils.id', 'carer_pupils.pupil_id')
    .leftJoin('classes', 'classes.id', 'pupils.class_id')
    .select(CHILD_COLUMNS)
    .where('carer_pupils.carer_id', '=', carerId)
    .where('pupils.archived_at', 'is', null)
    .where(pupilsVisibleTo(user, scope.today, scope.teachersSeeAllPupils))
    .orderBy('pupils.date_of_birth', 'desc')
    .execute();
}

/**
 * A carer's own children: those they may hear about for the portal (platform/access/hear.ts),
 * written as a direct query, compiled once with a kept plan, because it runs on every carer page. The people route tests check it hides a restricted child, as the guard does.
 */
async function ownChildren(db: Db, carerId: string, schoolId: string, today: string) {
  return ownChildrenSelect(db, { carerId, schoolId, today });
}
const ownChildrenSelect = prepared(
  ['carerId', 'schoolId', 'today'],
  (db, q) =>
    db
      .selectFrom('carer_pupils')
      .innerJoin('pupils', 'pupils.id', 'carer_pupils.pupil_id')
      .leftJoin('classes', 'classes.id', 'pupils.class_id')
      .select(CHILD_COLUMNS)
      .where('carer_pupils.carer_id', '=', q.carerId)
      .where('carer_pupils.school_id', '=', q.schoolId)
      .where('pupils.archived_at', 'is', null)
      .where((eb) => carerMayHear(eb, 'portal', q.today))
      .orderBy('pupils.date_of_birth', 'desc'),
  { keepPlan: true },
);

/** Current staff who may be given something to do for a family (a contact, a key worker, an action): anyone but governors. */
export async function staffButGovernors(db: Db, schoolId: string) {
  return db
    .selectFrom('staff')
    .select(['staff.id', 'staff.title', 'staff.given_name', 'staff.family_name', 'staff.job_title'])
    .where('staff.school_id', '=', schoolId)
    .where('staff.archived_at', 'is', null)
    .where((eb) => eb.exists(eb.selectFrom('staff_roles').select('staff_roles.staff_id').whereRef('staff_roles.staff_id', '=', 'staff.id').where('staff_roles.role', '!=', 'governor')))
    .orderBy('staff.family_name')
    .orderBy('staff.given_name')
    .execute();
}

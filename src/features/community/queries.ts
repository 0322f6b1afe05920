import type { Db } from '../../db/database.ts';
import { prepared } from '../../db/prepared.ts';
import type { LocalDate, WelcomeStep } from '../../db/schema.ts';
import { restrictionInForce } from '../../platform/access/hear.ts';
import { singlePointOfContact } from '../conduct/index.ts';
import { staffButGovernors } from '../people/index.ts';
import { postcodeDistrict, type BuddyFamily } from './community.ts';

/** Reads for the community feature. Every query is scoped by school. */
const nameOf = (p: { title: string | null; given_name: string; family_name: string }) => `${p.title ? `${p.title} ` : ''}${p.given_name} ${p.family_name}`;

export async function carerOf(db: Db, schoolId: string, carerId: string) {
  return db
    .selectFrom('carers')
    .select(['id', 'title', 'given_name', 'family_name', 'email', 'mobile', 'channel_email', 'preferred_language', 'postcode', 'archived_at'])
    .where('school_id', '=', schoolId)
    .where('id', '=', carerId)
    .executeTakeFirst();
}

export const carerName = nameOf;

/** Staff who may be a key worker or have helped a family: anyone on the staff but governors, not archived. */
export async function staffChoices(db: Db, schoolId: string) {
  const rows = await staffButGovernors(db, schoolId);
  return rows.map((s) => ({ id: s.id, name: nameOf(s), jobTitle: s.job_title }));
}

/** The key worker in force for a family (a carer), while they are still on the staff. */
export async function keyWorkerOf(db: Db, schoolId: string, carerId: string): Promise<{ id: string; staffId: string; name: string; reason: string } | null> {
  const [row] = await keyWorkerSelect(db, { schoolId, carerId });
  return row ? { id: row.id, staffId: row.staff_id, name: nameOf(row), reason: row.reason } : null;
}
/** Read on every carer home page: compiled once, with a kept plan on PostgreSQL (src/db/kept-plans.ts), by key_workers_one_in_force. */
const keyWorkerSelect = prepared(
  ['schoolId', 'carerId'],
  (db, q) =>
    db
      .selectFrom('key_workers')
      .innerJoin('staff', 'staff.id', 'key_workers.staff_id')
      .select(['key_workers.id', 'key_workers.reason', 'staff.id as staff_id', 'staff.title', 'staff.given_name', 'staff.family_name'])
      .where('key_workers.school_id', '=', q.schoolId)
      .where('key_workers.carer_id', '=', q.carerId)
      .where('key_workers.ended_at', 'is', null)
      .where('staff.archived_at', 'is', null)
      .limit(1),
  { keepPlan: true },
);

export type FamilyContact = { staffId: string; why: 'single_contact' | 'key_worker' };

/**
 * The one rule for "who receives this family's messages and meeting requests first": a single point
 * of contact the head set (features/conduct) if one is in force; else the family's key worker; else
 * null, and the caller's default applies (the class teacher, the office, leaders for urgent ones).
 */
export async function familyContact(db: Db, schoolId: string, carerId: string): Promise<FamilyContact | null> {
  const spoc = await singlePointOfContact(db, schoolId, carerId);
  if (spoc) return { staffId: spoc, why: 'single_contact' };
  const key = await keyWorkerOf(db, schoolId, carerId);
  return key ? { staffId: key.staffId, why: 'key_worker' } : null;
}

/**
 * The same rule for what a carer starts (a meeting request, a concern): to their contact alone when
 * familyContact names one; otherwise to whoever the feature would usually tell.
 */
export async function routeFromCarer(db: Db, schoolId: string, carerId: string, usual: () => Promise<string[]>): Promise<{ to: string[]; contact: string | null }> {
  const contact = await familyContact(db, schoolId, carerId);
  return contact ? { to: [contact.staffId], contact: contact.staffId } : { to: await usual(), contact: null };
}

/** Families with a key worker in force, for the family liaison officer's page. */
export async function keyWorkerList(db: Db, schoolId: string) {
  const rows = await db
    .selectFrom('key_workers')
    .innerJoin('carers', 'carers.id', 'key_workers.carer_id')
    .innerJoin('staff', 'staff.id', 'key_workers.staff_id')
    .select(['carers.id as carer_id', 'carers.title', 'carers.given_name', 'carers.family_name', 'staff.title as s_title', 'staff.given_name as s_given', 'staff.family_name as s_family'])
    .where('key_workers.school_id', '=', schoolId)
    .where('key_workers.ended_at', 'is', null)
    .orderBy('carers.family_name')
    .execute();
  return rows.map((r) => ({ carerId: r.carer_id, family: nameOf(r), keyWorker: nameOf({ title: r.s_title, given_name: r.s_given, family_name: r.s_family }) }));
}

/** Open opt-ins to the buddy scheme. */
export async function openOptIns(db: Db, schoolId: string) {
  return db.selectFrom('buddy_opt_ins').select(['id', 'carer_id', 'wants', 'opted_in_at']).where('school_id', '=', schoolId).where('withdrawn_at', 'is', null).execute();
}

export async function optInOf(db: Db, schoolId: string, carerId: string) {
  return db.selectFrom('buddy_opt_ins').select(['id', 'wants']).where('school_id', '=', schoolId).where('carer_id', '=', carerId).where('withdrawn_at', 'is', null).executeTakeFirst();
}

/** The families that opted in, as the matching rules need them: language, postcode district, every linked child and every restriction in force on the carer. */
export async function buddyFamilies(db: Db, schoolId: string, carerIds: readonly string[], today: LocalDate): Promise<BuddyFamily[]> {
  if (carerIds.length === 0) return [];
  const ids = [...new Set(carerIds)];
  const [carers, links, restrictions] = await Promise.all([
    db
      .selectFrom('carers')
      .select(['id', 'title', 'given_name', 'family_name', 'preferred_language', 'postcode'])
      .where('school_id', '=', schoolId)
      .where('id', 'in', ids)
      .where('archived_at', 'is', null)
      .execute(),
    db
      .selectFrom('carer_pupils')
      .innerJoin('pupils', 'pupils.id', 'carer_pupils.pupil_id')
      .select(['carer_pupils.carer_id', 'pupils.id', 'pupils.year_group', 'pupils.home_language'])
      .where('carer_pupils.school_id', '=', schoolId)
      .where('carer_pupils.carer_id', 'in', ids)
      .where('pupils.archived_at', 'is', null)
      .execute(),
    db
      .selectFrom('restrictions')
      .select(['carer_id', 'pupil_id'])
      .where('school_id', '=', schoolId)
      .where('carer_id', 'in', ids)
      .where((eb) => restrictionInForce(eb, today))
      .execute(),
  ]);
  return carers.map((c) => ({
    carerId: c.id,
    name: nameOf(c),
    language: c.preferred_language,
    district: postcodeDistrict(c.postcode),
    children: links.filter((l) => l.carer_id === c.id).map((l) => ({ pupilId: l.id, yearGroup: l.year_group, homeLanguage: l.home_language })),
    restrictedFrom: restrictions.filter((r) => r.carer_id === c.id).map((r) => r.pupil_id),
  }));
}

const MATCH_COLUMNS = [
  'buddy_matches.id',
  'buddy_matches.newcomer_id',
  'buddy_matches.buddy_id',
  'buddy_matches.newcomer_consent_at',
  'buddy_matches.buddy_consent_at',
  'buddy_matches.declined_at',
  'buddy_matches.recorded_on',
  'buddy_matches.check_in_on',
  'buddy_matches.checked_in_at',
  'buddy_matches.check_in_note',
  'buddy_matches.withdrawn_by',
  'buddy_matches.withdrawn_reason',
  'buddy_matches.ended_by_carer',
] as const;

export type MatchRow = Awaited<ReturnType<typeof matchesOf>>[number];

/** Every buddy match of the school, with both families' names. */
export async function matchesOf(db: Db, schoolId: string) {
  const rows = await db
    .selectFrom('buddy_matches')
    .innerJoin('carers as n', 'n.id', 'buddy_matches.newcomer_id')
    .innerJoin('carers as b', 'b.id', 'buddy_matches.buddy_id')
    .leftJoin('staff as w', 'w.id', 'buddy_matches.withdrawn_by')
    .select([...MATCH_COLUMNS, 'n.title as n_title', 'n.given_name as n_given', 'n.family_name as n_family', 'b.title as b_title', 'b.given_name as b_given', 'b.family_name as b_family'])
    .select(['w.given_name as w_given', 'w.family_name as w_family'])
    .where('buddy_matches.school_id', '=', schoolId)
    .orderBy('buddy_matches.recorded_on', 'desc')
    .execute();
  return rows.map((r) => ({
    ...r,
    newcomerName: nameOf({ title: r.n_title, given_name: r.n_given, family_name: r.n_family }),
    buddyName: nameOf({ title: r.b_title, given_name: r.b_given, family_name: r.b_family }),
    withdrawnByName: r.w_given ? `${r.w_given} ${r.w_family ?? ''}`.trim() : null,
  }));
}

export async function matchById(db: Db, schoolId: string, matchId: string) {
  return db.selectFrom('buddy_matches').selectAll().where('school_id', '=', schoolId).where('id', '=', matchId).executeTakeFirst();
}

/** A carer's own matches, either side. */
export async function matchesOfCarer(db: Db, schoolId: string, carerId: string) {
  return (await matchesOf(db, schoolId)).filter((m) => m.newcomer_id === carerId || m.buddy_id === carerId);
}

export async function supportEntries(db: Db, schoolId: string, opts: { archived?: boolean } = {}) {
  let q = db.selectFrom('support_entries').selectAll().where('school_id', '=', schoolId);
  if (!opts.archived) q = q.where('archived_at', 'is', null);
  return q.orderBy('name').execute();
}

export async function supportEntry(db: Db, schoolId: string, entryId: string) {
  return db.selectFrom('support_entries').selectAll().where('school_id', '=', schoolId).where('id', '=', entryId).executeTakeFirst();
}

/** A family's recorded welcome steps, with who helped. */
export async function welcomeStepsOf(db: Db, schoolId: string, carerId: string) {
  const rows = await db
    .selectFrom('welcome_steps')
    .leftJoin('staff', 'staff.id', 'welcome_steps.helped_by')
    .select(['welcome_steps.step', 'welcome_steps.done_on', 'welcome_steps.note', 'staff.title', 'staff.given_name', 'staff.family_name'])
    .where('welcome_steps.school_id', '=', schoolId)
    .where('welcome_steps.carer_id', '=', carerId)
    .execute();
  return rows.map((r) => ({
    step: r.step as WelcomeStep,
    done_on: r.done_on,
    note: r.note,
    helpedBy: r.given_name ? nameOf({ title: r.title, given_name: r.given_name, family_name: r.family_name ?? '' }) : null,
  }));
}

/** Families with a welcome checklist started (a step recorded) or who joined the buddy scheme as newcomers. */
export async function welcomeFamilies(db: Db, schoolId: string) {
  const [steps, newcomers] = await Promise.all([
    db.selectFrom('welcome_steps').select(['carer_id', 'step']).where('school_id', '=', schoolId).execute(),
    db.selectFrom('buddy_opt_ins').select('carer_id').where('school_id', '=', schoolId).where('wants', '=', 'newcomer').where('withdrawn_at', 'is', null).execute(),
  ]);
  const ids = [...new Set([...steps.map((s) => s.carer_id), ...newcomers.map((n) => n.carer_id)])];
  if (ids.length === 0) return [];
  const carers = await db.selectFrom('carers').select(['id', 'title', 'given_name', 'family_name']).where('school_id', '=', schoolId).where('id', 'in', ids).orderBy('family_name').execute();
  return carers.map((c) => ({ carerId: c.id, name: nameOf(c), steps: steps.filter((s) => s.carer_id === c.id).map((s) => s.step) }));
}

/**
 * What belonging work is waiting, for the staff home page of those who lead it: buddy check-ins due
 * (four weeks after a match, not yet done, not declined) and new families who asked for a buddy
 * family and have no live match.
 */
export async function belongingToDo(db: Db, schoolId: string, today: LocalDate): Promise<{ checkInsDue: number; newcomersWaiting: number }> {
  const [due, waiting] = await Promise.all([
    db
      .selectFrom('buddy_matches')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('school_id', '=', schoolId)
      .where('declined_at', 'is', null)
      .where('checked_in_at', 'is', null)
      .where('check_in_on', '<=', today)
      .executeTakeFirstOrThrow(),
    db
      .selectFrom('buddy_opt_ins as o')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('o.school_id', '=', schoolId)
      .where('o.wants', '=', 'newcomer')
      .where('o.withdrawn_at', 'is', null)
      .where(({ not, exists, selectFrom }) =>
        not(exists(selectFrom('buddy_matches as m').select('m.id').whereRef('m.newcomer_id', '=', 'o.carer_id').where('m.school_id', '=', schoolId).where('m.declined_at', 'is', null))),
      )
      .executeTakeFirstOrThrow(),
  ]);
  return { checkInsDue: Number(due.n), newcomersWaiting: Number(waiting.n) };
}

/** The school's family liaison officers; the head where there is none (staff still in post). */
export async function liaisonOrHead(db: Db, schoolId: string) {
  const withRole = (role: 'family_liaison' | 'head') =>
    db
      .selectFrom('staff')
      .innerJoin('staff_roles', (j) => j.onRef('staff_roles.staff_id', '=', 'staff.id').onRef('staff_roles.school_id', '=', 'staff.school_id'))
      .select(['staff.id', 'staff.email', 'staff.given_name'])
      .where('staff.school_id', '=', schoolId)
      .where('staff_roles.role', '=', role)
      .where('staff.archived_at', 'is', null)
      .execute();
  const liaison = await withRole('family_liaison');
  return liaison.length > 0 ? liaison : withRole('head');
}

import { sql, type Kysely } from 'kysely';
import type { Database, LocalDate, ProfileProposalTable, ProfileTable, ProfileVersionTable, ProfileWordsTable } from '../../db/schema.ts';
import { pupilsVisibleTo, type ScopeContext } from '../../platform/access/scope.ts';
import type { StaffUser } from '../../platform/access/roles.ts';

type Db = Kysely<Database>;

const staffName = (alias: string) => sql<string | null>`case when ${sql.ref(`${alias}.id`)} is null then null else ${sql.ref(`${alias}.title`)} || ' ' || ${sql.ref(`${alias}.family_name`)} end`;
const carerName = (alias: string) => sql<string | null>`case when ${sql.ref(`${alias}.id`)} is null then null else ${sql.ref(`${alias}.given_name`)} || ' ' || ${sql.ref(`${alias}.family_name`)} end`;

export type PupilFacts = { id: string; name: string; given: string; year_group: string; class_id: string | null; class_name: string | null; send_status: string };

export async function pupilOf(db: Db, schoolId: string, pupilId: string): Promise<PupilFacts | undefined> {
  const p = await db
    .selectFrom('pupils')
    .leftJoin('classes', 'classes.id', 'pupils.class_id')
    .select(['pupils.id', 'pupils.given_name', 'pupils.preferred_name', 'pupils.family_name', 'pupils.year_group', 'pupils.class_id', 'classes.name as class_name', 'pupils.send_status'])
    .where('pupils.school_id', '=', schoolId)
    .where('pupils.id', '=', pupilId)
    .executeTakeFirst();
  if (!p) return undefined;
  const given = p.preferred_name || p.given_name;
  return { id: p.id, name: `${given} ${p.family_name}`, given, year_group: p.year_group, class_id: p.class_id, class_name: p.class_name, send_status: p.send_status };
}

/** The class teachers of a pupil's class: with the SENCO, they accept changes and are reminded of reviews. */
export async function classTeachersOf(db: Db, schoolId: string, classId: string | null): Promise<string[]> {
  if (!classId) return [];
  const rows = await db.selectFrom('class_teachers').select('staff_id').where('school_id', '=', schoolId).where('class_id', '=', classId).execute();
  return rows.map((r) => r.staff_id);
}

export async function profileOf(db: Db, schoolId: string, pupilId: string): Promise<ProfileTable | undefined> {
  return db.selectFrom('profiles').selectAll().where('school_id', '=', schoolId).where('pupil_id', '=', pupilId).executeTakeFirst();
}

export async function versionOf(db: Db, profile: Pick<ProfileTable, 'id' | 'school_id'>, version: number): Promise<ProfileVersionTable | undefined> {
  return db.selectFrom('profile_versions').selectAll().where('school_id', '=', profile.school_id).where('profile_id', '=', profile.id).where('version', '=', version).executeTakeFirst();
}

export type VersionRow = Pick<ProfileVersionTable, 'id' | 'version' | 'created_at' | 'proposal_id'> & { accepter: string | null; proposer: string | null };
export async function versionsOf(db: Db, profile: Pick<ProfileTable, 'id' | 'school_id'>): Promise<VersionRow[]> {
  return db
    .selectFrom('profile_versions')
    .leftJoin('staff as accepter', 'accepter.id', 'profile_versions.accepted_by')
    .leftJoin('profile_proposals', 'profile_proposals.id', 'profile_versions.proposal_id')
    .leftJoin('staff as by_staff', 'by_staff.id', 'profile_proposals.staff_id')
    .leftJoin('carers as by_carer', 'by_carer.id', 'profile_proposals.carer_id')
    .select(['profile_versions.id', 'profile_versions.version', 'profile_versions.created_at', 'profile_versions.proposal_id'])
    .select([staffName('accepter').as('accepter'), sql<string | null>`coalesce(${carerName('by_carer')}, ${staffName('by_staff')})`.as('proposer')])
    .where('profile_versions.school_id', '=', profile.school_id)
    .where('profile_versions.profile_id', '=', profile.id)
    .orderBy('profile_versions.version', 'desc')
    .execute();
}

export type ProposalRow = ProfileProposalTable & { proposer: string | null };
export async function proposalsOf(db: Db, profile: Pick<ProfileTable, 'id' | 'school_id'>, status?: ProfileProposalTable['status']): Promise<ProposalRow[]> {
  let q = db
    .selectFrom('profile_proposals')
    .leftJoin('staff as by_staff', 'by_staff.id', 'profile_proposals.staff_id')
    .leftJoin('carers as by_carer', 'by_carer.id', 'profile_proposals.carer_id')
    .selectAll('profile_proposals')
    .select(sql<string | null>`coalesce(${carerName('by_carer')}, ${staffName('by_staff')})`.as('proposer'))
    .where('profile_proposals.school_id', '=', profile.school_id)
    .where('profile_proposals.profile_id', '=', profile.id);
  if (status) q = q.where('profile_proposals.status', '=', status);
  return q.orderBy('profile_proposals.created_at', 'desc').orderBy('profile_proposals.id', 'desc').execute();
}

export async function proposalById(db: Db, schoolId: string, id: string): Promise<ProposalRow | undefined> {
  return db
    .selectFrom('profile_proposals')
    .leftJoin('staff as by_staff', 'by_staff.id', 'profile_proposals.staff_id')
    .leftJoin('carers as by_carer', 'by_carer.id', 'profile_proposals.carer_id')
    .selectAll('profile_proposals')
    .select(sql<string | null>`coalesce(${carerName('by_carer')}, ${staffName('by_staff')})`.as('proposer'))
    .where('profile_proposals.school_id', '=', schoolId)
    .where('profile_proposals.id', '=', id)
    .executeTakeFirst();
}

export type WordsRow = ProfileWordsTable & { carer_name: string | null; writer_name: string | null; checker_name: string | null };
/** Carers' own words in force at a version (each carer's latest at or before it). */
export async function wordsAt(db: Db, profile: Pick<ProfileTable, 'id' | 'school_id'>, version: number): Promise<WordsRow[]> {
  return db
    .selectFrom('profile_words')
    .leftJoin('carers', 'carers.id', 'profile_words.carer_id')
    .leftJoin('staff as writer', 'writer.id', 'profile_words.written_by')
    .leftJoin('staff as checker', 'checker.id', 'profile_words.checked_by')
    .selectAll('profile_words')
    .select([carerName('carers').as('carer_name'), staffName('writer').as('writer_name'), staffName('checker').as('checker_name')])
    .where('profile_words.school_id', '=', profile.school_id)
    .where('profile_words.profile_id', '=', profile.id)
    .where('profile_words.version_from', '<=', version)
    .where((eb) => eb.or([eb('profile_words.version_to', 'is', null), eb('profile_words.version_to', '>', version)]))
    .orderBy('carers.given_name')
    .execute();
}

/** A carer's words now in force (none when they have not written any). */
export async function currentWords(db: Db, schoolId: string, profileId: string, carerId: string): Promise<ProfileWordsTable | undefined> {
  return db
    .selectFrom('profile_words')
    .selectAll()
    .where('school_id', '=', schoolId)
    .where('profile_id', '=', profileId)
    .where('carer_id', '=', carerId)
    .where('version_to', 'is', null)
    .executeTakeFirst();
}

export async function reviewsOf(db: Db, profile: Pick<ProfileTable, 'id' | 'school_id'>) {
  return db
    .selectFrom('profile_reviews')
    .leftJoin('staff', 'staff.id', 'profile_reviews.reviewed_by')
    .selectAll('profile_reviews')
    .select(staffName('staff').as('reviewer'))
    .where('profile_reviews.school_id', '=', profile.school_id)
    .where('profile_reviews.profile_id', '=', profile.id)
    .orderBy('profile_reviews.reviewed_on', 'desc')
    .orderBy('profile_reviews.created_at', 'desc')
    .execute();
}

export async function consentsOf(db: Db, profile: Pick<ProfileTable, 'id' | 'school_id'>) {
  return db
    .selectFrom('profile_consents')
    .leftJoin('carers', 'carers.id', 'profile_consents.carer_id')
    .leftJoin('staff', 'staff.id', 'profile_consents.recorded_by')
    .selectAll('profile_consents')
    .select([carerName('carers').as('carer_name'), staffName('staff').as('recorder')])
    .where('profile_consents.school_id', '=', profile.school_id)
    .where('profile_consents.profile_id', '=', profile.id)
    .orderBy('profile_consents.given_on', 'desc')
    .execute();
}

export type ListRow = {
  pupil_id: string;
  name: string;
  year_group: string;
  class_name: string | null;
  send_status: string;
  profile_id: string | null;
  version: number | null;
  review_due_on: LocalDate | null;
  pending: number;
};

/**
 * The profiles this person may see (pupils in their reach: a class teacher sees their class's, so a
 * new teacher sees a profile from the day the pupil joins the class), and pupils with SEND who have
 * none yet.
 */
export async function profileList(db: Db, user: StaffUser, scope: ScopeContext): Promise<ListRow[]> {
  const rows = await db
    .selectFrom('pupils')
    .leftJoin('classes', 'classes.id', 'pupils.class_id')
    .leftJoin('profiles', (j) => j.onRef('profiles.pupil_id', '=', 'pupils.id').onRef('profiles.school_id', '=', 'pupils.school_id'))
    .select([
      'pupils.id as pupil_id',
      'pupils.given_name',
      'pupils.preferred_name',
      'pupils.family_name',
      'pupils.year_group',
      'classes.name as class_name',
      'pupils.send_status',
      'profiles.id as profile_id',
      'profiles.version',
      'profiles.review_due_on',
      (eb) =>
        eb
          .selectFrom('profile_proposals')
          .select((e) => e.fn.countAll<number | string>().as('n'))
          .whereRef('profile_proposals.profile_id', '=', 'profiles.id')
          .where('profile_proposals.status', '=', 'pending')
          .as('pending'),
    ])
    .where(pupilsVisibleTo(user, scope.today, scope.teachersSeeAllPupils))
    .where('pupils.archived_at', 'is', null)
    .where((eb) => eb.or([eb('profiles.id', 'is not', null), eb('pupils.send_status', '!=', 'none')]))
    .orderBy('pupils.family_name')
    .orderBy('pupils.given_name')
    .execute();
  // Pupils with special educational needs first (an EHCP, then SEN support), as the page says; then by family name.
  const needs = { ehcp: 0, sen_support: 1, none: 2 } as const;
  rows.sort((a, b) => needs[a.send_status] - needs[b.send_status]);
  return rows.map((r) => ({
    pupil_id: r.pupil_id,
    name: `${r.preferred_name || r.given_name} ${r.family_name}`,
    year_group: r.year_group,
    class_name: r.class_name,
    send_status: r.send_status,
    profile_id: r.profile_id,
    version: r.version,
    review_due_on: r.review_due_on,
    pending: Number(r.pending ?? 0),
  }));
}

export async function termsOf(db: Db, schoolId: string) {
  return db.selectFrom('school_terms').select(['starts_on', 'ends_on']).where('school_id', '=', schoolId).execute();
}

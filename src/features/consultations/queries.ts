import type { Kysely } from 'kysely';
import { prepared } from '../../db/prepared.ts';
import type { Database } from './types.ts';
import { addDays, REMIND_DAYS_AHEAD, reviewsToRemind } from './sections.ts';
import { RELATIONSHIP_LABELS } from '../people/index.ts';

type Db = Kysely<Database>;

/** The register: every policy of the school with its owner's name, soonest review first. */
export async function policiesOf(db: Db, schoolId: string) {
  return db
    .selectFrom('policies')
    .innerJoin('staff', 'staff.id', 'policies.owner_id')
    .select([
      'policies.id',
      'policies.title',
      'policies.statutory_yearly',
      'policies.last_reviewed_on',
      'policies.next_review_on',
      'policies.owner_id',
      'staff.title as owner_title',
      'staff.given_name as owner_given',
      'staff.family_name as owner_family',
    ])
    .where('policies.school_id', '=', schoolId)
    .orderBy('policies.next_review_on')
    .orderBy('policies.title')
    .execute();
}

/** A policy of the school, without its document's bytes (documentOf reads those, for a download). */
export async function policyOf(db: Db, schoolId: string, id: string) {
  return db
    .selectFrom('policies')
    .select(['id', 'school_id', 'title', 'owner_id', 'statutory_yearly', 'last_reviewed_on', 'next_review_on', 'body', 'document_name', 'document_type', 'created_at', 'updated_at'])
    .where('school_id', '=', schoolId)
    .where('id', '=', id)
    .executeTakeFirst();
}

/** The policy's document as a file: its name, type and bytes (none when only text was given). */
export async function documentOf(db: Db, schoolId: string, policyId: string) {
  const row = await db.selectFrom('policies').select(['document_name', 'document_type', 'document_base64']).where('school_id', '=', schoolId).where('id', '=', policyId).executeTakeFirst();
  if (!row?.document_base64) return undefined;
  return { name: row.document_name, type: row.document_type ?? 'application/octet-stream', bytes: Buffer.from(row.document_base64, 'base64') };
}

/** Who may own a policy: the school's staff who are still here. */
export async function staffChoices(db: Db, schoolId: string) {
  return db
    .selectFrom('staff')
    .select(['id', 'title', 'given_name', 'family_name'])
    .where('school_id', '=', schoolId)
    .where('archived_at', 'is', null)
    .orderBy('family_name')
    .orderBy('given_name')
    .execute();
}

/** A member of staff's reviews due soon or overdue, statutory yearly ones first (their home page). */
export async function reviewsDueOf(db: Db, schoolId: string, ownerId: string, today: string) {
  const rows = await db
    .selectFrom('policies')
    .select(['id', 'title', 'statutory_yearly', 'next_review_on'])
    .where('school_id', '=', schoolId)
    .where('owner_id', '=', ownerId)
    .where('next_review_on', '<=', addDays(today, REMIND_DAYS_AHEAD))
    .execute();
  return reviewsToRemind(rows, today);
}

export async function consultationsOfPolicy(db: Db, schoolId: string, policyId: string) {
  return db
    .selectFrom('consultations')
    .select(['id', 'title', 'status', 'closes_on', 'adopted_at', 'created_at'])
    .where('school_id', '=', schoolId)
    .where('policy_id', '=', policyId)
    .orderBy('created_at', 'desc')
    .execute();
}

export async function consultationOf(db: Db, schoolId: string, id: string) {
  return db.selectFrom('consultations').selectAll().where('school_id', '=', schoolId).where('id', '=', id).executeTakeFirst();
}

export async function sectionsOf(db: Db, consultationId: string) {
  return db.selectFrom('consultation_sections').select(['id', 'position', 'heading', 'body']).where('consultation_id', '=', consultationId).orderBy('position').execute();
}

export async function themesOf(db: Db, consultationId: string) {
  return db.selectFrom('consultation_themes').select(['id', 'title', 'answer']).where('consultation_id', '=', consultationId).orderBy('created_at').orderBy('id').execute();
}

/** Every comment, for the school: who wrote it (staff, or a carer as who they are to the children), in which language, its English version and theme. */
export async function commentsForSchool(db: Db, consultation: { id: string; school_id: string }) {
  const comments = await db
    .selectFrom('consultation_comments as c')
    .leftJoin('carers', 'carers.id', 'c.carer_id')
    .leftJoin('staff', 'staff.id', 'c.staff_id')
    .select([
      'c.id',
      'c.section_id',
      'c.body',
      'c.language',
      'c.english',
      'c.english_by',
      'c.english_checked_by',
      'c.theme_id',
      'c.created_at',
      'c.carer_id',
      'carers.given_name as carer_given',
      'carers.family_name as carer_family',
      'staff.title as staff_title',
      'staff.family_name as staff_family',
    ])
    .where('c.consultation_id', '=', consultation.id)
    .where('c.school_id', '=', consultation.school_id)
    .where('c.withdrawn_at', 'is', null)
    .orderBy('c.created_at')
    .orderBy('c.id')
    .execute();
  const carerIds = [...new Set(comments.flatMap((c) => (c.carer_id ? [c.carer_id] : [])))];
  const links = carerIds.length
    ? await db.selectFrom('carer_pupils').select(['carer_id', 'relationship']).where('school_id', '=', consultation.school_id).where('carer_id', 'in', carerIds).orderBy('relationship').execute()
    : [];
  return comments.map((c) => ({ ...c, carer_is: c.carer_id ? carerIs(links.filter((l) => l.carer_id === c.carer_id).map((l) => l.relationship)) : null }));
}

/** 'mother', 'social worker', 'father and foster carer'; 'family' when no child is linked now. A social worker is never called a parent. */
function carerIs(relationships: readonly (keyof typeof RELATIONSHIP_LABELS)[]) {
  const words = [...new Set(relationships)].map((r) => (r === 'other' ? 'other contact' : RELATIONSHIP_LABELS[r].toLowerCase()));
  return words.length ? words.join(' and ') : 'family';
}

/** One person's own comments, not withdrawn: a carer never sees another's. */
export async function commentsOf(db: Db, consultationId: string, author: { carerId: string } | { staffId: string }) {
  let q = db.selectFrom('consultation_comments').select(['id', 'section_id', 'body', 'created_at', 'edited_at']).where('consultation_id', '=', consultationId).where('withdrawn_at', 'is', null);
  q = 'carerId' in author ? q.where('carer_id', '=', author.carerId) : q.where('staff_id', '=', author.staffId);
  return q.orderBy('created_at').orderBy('id').execute();
}

/** A carer's own link: the invitation and its consultation. */
export async function inviteeByToken(db: Db, token: string) {
  if (!/^[A-Za-z0-9_-]{10,64}$/.test(token)) return undefined;
  return db
    .selectFrom('consultation_invitees as i')
    .innerJoin('carers', 'carers.id', 'i.carer_id')
    .select(['i.id', 'i.consultation_id', 'i.carer_id', 'i.token', 'i.school_id', 'carers.preferred_language'])
    .where('i.token', '=', token)
    .where('carers.archived_at', 'is', null)
    .executeTakeFirst();
}

/** A carer's consultations, newest first, with their own link (their home page and list). */
/**
 * A carer's links to consultations still open, with what is needed to ask whether they are still in
 * the audience (school and audience): read on every carer home page, so compiled once, with a kept
 * plan on PostgreSQL (src/db/kept-plans.ts), through consultation_invitees_carer (migration 0026).
 */
export async function openInvitationsOf(db: Db, schoolId: string, carerId: string) {
  return openInvitationsSelect(db, { schoolId, carerId });
}
const openInvitationsSelect = prepared(
  ['schoolId', 'carerId'],
  (db, q) =>
    db
      .selectFrom('consultation_invitees as i')
      .innerJoin('consultations as c', 'c.id', 'i.consultation_id')
      .select(['c.id', 'c.school_id', 'c.title', 'c.closes_on', 'c.audience_json', 'i.token'])
      .where('i.school_id', '=', q.schoolId)
      .where('i.carer_id', '=', q.carerId)
      .where('c.status', '=', 'open')
      .orderBy('c.created_at', 'desc')
      .orderBy('c.id'),
  { keepPlan: true },
);

export async function consultationsOfCarer(db: Db, schoolId: string, carerId: string) {
  return db
    .selectFrom('consultation_invitees as i')
    .innerJoin('consultations as c', 'c.id', 'i.consultation_id')
    .select(['c.id', 'c.title', 'c.status', 'c.closes_on', 'c.audience_json', 'i.token'])
    .where('i.school_id', '=', schoolId)
    .where('i.carer_id', '=', carerId)
    .orderBy('c.created_at', 'desc')
    .execute();
}

export async function invitedCount(db: Db, consultationId: string): Promise<number> {
  const row = await db
    .selectFrom('consultation_invitees')
    .select((eb) => eb.fn.countAll<string | number>().as('n'))
    .where('consultation_id', '=', consultationId)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

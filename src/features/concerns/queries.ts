import type { Expression } from 'kysely';
import type { Db } from '../../db/database.ts';
import { prepared } from '../../db/prepared.ts';
import type { ConcernTable, LocalDate, StaffRole } from '../../db/schema.ts';
import { whoMayHear } from '../../platform/access/hear.ts';
import type { StaffUser } from '../../platform/access/roles.ts';
import { readsSafeguarding } from '../../platform/safeguarding/safeguarding.ts';
import type { SchoolCalendar } from '../../platform/calendar/school-days.ts';
import { mayOpenConcern, mayWorkOn, replyBy, replyState, TRIAGERS } from './concerns.ts';

/** Reads for concerns, each scoped by school. */

export const staffName = (s: { title: string | null; family_name: string }) => `${s.title ?? ''} ${s.family_name}`.trim();
export const childName = (p: { given_name: string; preferred_name: string | null }) => p.preferred_name || p.given_name;
export const fullName = (p: { given_name: string; preferred_name: string | null; family_name: string }) => `${childName(p)} ${p.family_name}`;

export type Concern = ConcernTable;
export type OpenedConcern = { concern: Concern; dsl: boolean; mayWork: boolean; mayTriage: boolean };

/** The concern, when this member of staff may open it (mayOpenConcern); null otherwise (the route answers 404). */
export async function concernForStaff(db: Db, user: StaffUser, concernId: string): Promise<OpenedConcern | null> {
  const concern = await db.selectFrom('concerns').selectAll().where('id', '=', concernId).where('school_id', '=', user.schoolId).executeTakeFirst();
  if (!concern) return null;
  const dsl = readsSafeguarding(user.roles);
  const marked = dsl
    ? await db.selectFrom('concern_entries').select('id').where('concern_id', '=', concernId).where('school_id', '=', user.schoolId).where('safeguarding', '=', 1).executeTakeFirst()
    : undefined;
  const facts = { roles: user.roles, isOwner: concern.owner_id === user.id, loggedIt: concern.logged_by === user.id, hasSafeguarding: !!marked };
  if (!mayOpenConcern(facts)) return null;
  // The words of a complaint made directly are for its case team (complaints/), and the DSL when marked.
  const direct = await db.selectFrom('complaints').select('id').where('school_id', '=', user.schoolId).where('concern_id', '=', concernId).where('direct', '=', 1).executeTakeFirst();
  if (direct && !(dsl && marked)) return null;
  return { concern, dsl, mayWork: mayWorkOn(facts), mayTriage: user.roles.some((r) => TRIAGERS.includes(r)) };
}

/** The carer's own concern about a child they may still hear about (purpose 'complaint'); null otherwise. */
export async function concernForCarer(db: Db, carer: { id: string; schoolId: string }, concernId: string, today: LocalDate): Promise<Concern | null> {
  const concern = await db.selectFrom('concerns').selectAll().where('id', '=', concernId).where('school_id', '=', carer.schoolId).where('carer_id', '=', carer.id).executeTakeFirst();
  if (!concern) return null;
  return (await carerMayHearAbout(db, carer.schoolId, carer.id, concern.pupil_id, today)) ? concern : null;
}

/**
 * The entries that count as the school's reply to the family: a contact recorded or the outcome sent,
 * by staff, as the agreement's measure counts a reply. `concernId` is an id, or a reference to the
 * outer query's concern (for a list, in the same query: no query per row).
 */
export function replyEntries(db: Db, concernId: string | Expression<string>) {
  return db
    .selectFrom('concern_entries')
    .select('concern_entries.id')
    .where('concern_entries.concern_id', '=', concernId)
    .where('concern_entries.written_by_kind', '=', 'staff')
    .where('concern_entries.kind', 'in', ['contact', 'outcome']);
}

/**
 * The complaint made directly whose words a concern record keeps (complaints/make.ts): such a record is
 * no concern from a family (the complaint has its own dates), and only its case team reads it.
 */
export function directComplaintOf(db: Db, concernId: Expression<string>) {
  return db.selectFrom('complaints').select('complaints.id').where('complaints.concern_id', '=', concernId).where('complaints.direct', '=', 1);
}

/** Whether someone from the school has replied to the family yet (replyEntries). */
export async function hasReplied(db: Db, concern: Pick<Concern, 'id' | 'school_id'>): Promise<boolean> {
  const reply = await replyEntries(db, concern.id).where('concern_entries.school_id', '=', concern.school_id).limit(1).executeTakeFirst();
  return !!reply;
}

/** SQLite answers EXISTS with 1 or 0, PostgreSQL with true or false. */
export const truthy = (v: unknown): boolean => v === true || Number(v) === 1;

export async function carerMayHearAbout(db: Db, schoolId: string, carerId: string, pupilId: string, today: LocalDate): Promise<boolean> {
  const answers = await whoMayHear(db, { schoolId, pupilIds: [pupilId], purpose: 'complaint', today, carerIds: [carerId] });
  return answers.some((a) => a.decision.may);
}

export async function entriesOf(db: Db, concern: Pick<Concern, 'id' | 'school_id'>, withSafeguarding: boolean) {
  let q = db
    .selectFrom('concern_entries as e')
    .leftJoin('staff as s', 's.id', 'e.staff_id')
    .leftJoin('carers as c', 'c.id', 'e.carer_id')
    .select([
      'e.id',
      'e.kind',
      'e.body',
      'e.contact_how',
      'e.safeguarding',
      'e.written_by_kind',
      'e.staff_id',
      'e.created_at',
      's.title',
      's.family_name',
      'c.given_name as carer_given',
      'c.family_name as carer_family',
    ])
    .where('e.concern_id', '=', concern.id)
    .where('e.school_id', '=', concern.school_id);
  if (!withSafeguarding) q = q.where('e.safeguarding', '=', 0);
  const rows = await q.orderBy('e.created_at').orderBy('e.id').execute();
  return rows.map((e) => ({
    ...e,
    writer: e.family_name ? staffName({ title: e.title, family_name: e.family_name }) : e.carer_family ? `${e.carer_given} ${e.carer_family}` : '',
  }));
}

/** How many entries are marked as safeguarding (what everyone else is told: that there are some, never what). */
export async function safeguardingCount(db: Db, concern: Pick<Concern, 'id' | 'school_id'>): Promise<number> {
  const row = await db
    .selectFrom('concern_entries')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where('concern_id', '=', concern.id)
    .where('school_id', '=', concern.school_id)
    .where('safeguarding', '=', 1)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function pupilOf(db: Db, schoolId: string, pupilId: string) {
  return db.selectFrom('pupils').select(['id', 'given_name', 'preferred_name', 'family_name', 'year_group']).where('id', '=', pupilId).where('school_id', '=', schoolId).executeTakeFirstOrThrow();
}

export async function carerOf(db: Db, schoolId: string, carerId: string) {
  return db
    .selectFrom('carers')
    .select(['id', 'given_name', 'family_name', 'email', 'mobile', 'channel_email', 'channel_sms', 'preferred_language', 'archived_at'])
    .where('id', '=', carerId)
    .where('school_id', '=', schoolId)
    .executeTakeFirst();
}

export async function staffNameOf(db: Db, schoolId: string, staffId: string | null): Promise<string | null> {
  if (!staffId) return null;
  const s = await db.selectFrom('staff').select(['title', 'family_name']).where('id', '=', staffId).where('school_id', '=', schoolId).executeTakeFirst();
  return s ? staffName(s) : null;
}

/** Staff who may own a concern: everyone current but those who are only governors. */
export async function possibleOwners(db: Db, schoolId: string) {
  const rows = await db
    .selectFrom('staff')
    .innerJoin('staff_roles', 'staff_roles.staff_id', 'staff.id')
    .select(['staff.id', 'staff.title', 'staff.family_name', 'staff.given_name', 'staff.job_title'])
    .distinct()
    .where('staff.school_id', '=', schoolId)
    .where('staff.archived_at', 'is', null)
    .where('staff_roles.role', '!=', 'governor')
    .orderBy('staff.family_name')
    .execute();
  return rows.map((r) => ({ id: r.id, name: `${staffName(r)} (${r.job_title})` }));
}

/** The first head of the school (who sees every new concern passed on). */
export async function headOf(db: Db, schoolId: string) {
  return db
    .selectFrom('staff')
    .innerJoin('staff_roles', 'staff_roles.staff_id', 'staff.id')
    .select(['staff.id', 'staff.title', 'staff.family_name'])
    .where('staff.school_id', '=', schoolId)
    .where('staff.archived_at', 'is', null)
    .where('staff_roles.role', '=', 'head')
    .orderBy('staff.created_at')
    .executeTakeFirst();
}

const LIST_COLUMNS = [
  'c.id',
  'c.status',
  'c.category',
  'c.raised_on',
  'c.due_on',
  'c.owner_id',
  'c.reopened_count',
  'p.given_name',
  'p.preferred_name',
  'p.family_name',
  'o.title as owner_title',
  'o.family_name as owner_family_name',
] as const;

/**
 * Concerns a member of staff may open, newest first: every one for the head and senior leaders;
 * for others those they own or logged, and for the DSL and deputies those with safeguarding entries.
 */
export async function concernsForStaff(db: Db, user: { id: string; schoolId: string; roles: readonly StaffRole[] }, show: 'open' | 'all', calendar: SchoolCalendar, today: LocalDate) {
  let q = db
    .selectFrom('concerns as c')
    .innerJoin('pupils as p', 'p.id', 'c.pupil_id')
    .leftJoin('staff as o', 'o.id', 'c.owner_id')
    .select([...LIST_COLUMNS, (eb) => eb.exists(replyEntries(db, eb.ref('c.id'))).as('replied')])
    .where('c.school_id', '=', user.schoolId);
  if (show === 'open') q = q.where('c.status', 'in', ['new', 'open']);
  // A complaint made directly keeps its words as a concern record: only its case team sees it (complaints/).
  q = q.where((eb) => eb.not(eb.exists(directComplaintOf(db, eb.ref('c.id')))));
  if (!user.roles.some((r) => TRIAGERS.includes(r))) {
    const dsl = readsSafeguarding(user.roles);
    q = q.where((eb) =>
      eb.or([
        eb('c.owner_id', '=', user.id),
        eb('c.logged_by', '=', user.id),
        ...(dsl ? [eb.exists(eb.selectFrom('concern_entries as e').select('e.id').whereRef('e.concern_id', '=', 'c.id').where('e.safeguarding', '=', 1))] : []),
      ]),
    );
  }
  const rows = await q.orderBy('c.raised_on', 'desc').orderBy('c.id').limit(200).execute();
  return rows.map((r) => {
    const by = replyBy(calendar, r.raised_on);
    return {
      ...r,
      pupilName: fullName(r),
      ownerName: r.owner_family_name ? staffName({ title: r.owner_title, family_name: r.owner_family_name }) : null,
      firstReply: { by, state: replyState(by, truthy(r.replied), r.status, today) },
    };
  });
}

/** A carer's concerns, newest first, only about children they may still hear about. */
/** A carer's own concerns, newest first: every carer home page asks, so compiled once. */
const concernsOfCarerRows = prepared(
  ['schoolId', 'carerId'],
  (db, q) =>
    db
      .selectFrom('concerns as c')
      .innerJoin('pupils as p', 'p.id', 'c.pupil_id')
      .leftJoin('staff as o', 'o.id', 'c.owner_id')
      .select([...LIST_COLUMNS, 'c.pupil_id'])
      .where('c.school_id', '=', q.schoolId)
      .where('c.carer_id', '=', q.carerId)
      .orderBy('c.raised_on', 'desc')
      .orderBy('c.id')
      .limit(50),
  // Every carer home page reads it: a kept plan on PostgreSQL (src/db/kept-plans.ts), by concerns_school_carer.
  { keepPlan: true },
);

export async function concernsOfCarer(db: Db, carer: { id: string; schoolId: string }, today: LocalDate) {
  const rows = await concernsOfCarerRows(db, { schoolId: carer.schoolId, carerId: carer.id });
  // Most families have none: then there is nobody to ask about.
  if (rows.length === 0) return [];
  const pupils = [...new Set(rows.map((r) => r.pupil_id))];
  const answers = await whoMayHear(db, { schoolId: carer.schoolId, pupilIds: pupils, purpose: 'complaint', today, carerIds: [carer.id] });
  const allowed = new Set(answers.filter((a) => a.decision.may).map((a) => a.pupilId));
  return rows
    .filter((r) => allowed.has(r.pupil_id))
    .map((r) => ({ ...r, childName: childName(r), ownerName: r.owner_family_name ? staffName({ title: r.owner_title, family_name: r.owner_family_name }) : null }));
}

/** The carers linked to a pupil, and whether each may hear about a concern about them. */
export async function carersOfPupil(db: Db, schoolId: string, pupilId: string, today: LocalDate) {
  const answers = await whoMayHear(db, { schoolId, pupilIds: [pupilId], purpose: 'complaint', today });
  const may = new Map(answers.map((a) => [a.carerId, a.decision.may]));
  const carers = await db
    .selectFrom('carers')
    .select(['id', 'given_name', 'family_name'])
    .where('school_id', '=', schoolId)
    .where('archived_at', 'is', null)
    .where('id', 'in', answers.length ? answers.map((a) => a.carerId) : [''])
    .orderBy('family_name')
    .orderBy('given_name')
    .execute();
  return carers.map((c) => ({ id: c.id, name: `${c.given_name} ${c.family_name}`, may: may.get(c.id) === true }));
}

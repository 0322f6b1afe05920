import type { ExpressionBuilder, Kysely } from 'kysely';
import type { Database, LocalDate, StaffRole } from '../../db/schema.ts';
import { hasAnyRole, pupilReach, STAFF_ROLES, type CarerUser, type StaffUser } from '../../platform/access/roles.ts';
import { pupilsVisibleTo, type ScopeContext } from '../../platform/access/scope.ts';
import { carerMayHear } from '../../platform/access/hear.ts';

type Db = Kysely<Database>;

/** Leaders who see every meeting of their school (the DSL too: any meeting may hide a concern). */
export const SEE_ALL_MEETINGS: readonly StaffRole[] = ['head', 'senior_leader', 'dsl'];
/** Everyone on the staff but governors, who never see meetings with families. */
export const MEETING_STAFF_ROLES: readonly StaffRole[] = STAFF_ROLES.filter((r) => r !== 'governor');

/**
 * Which meetings a member of staff may see: those they are part of (on meeting_staff, owning one of
 * its agreed actions, or referred it), those about a pupil in their reach, and for head, senior
 * leaders and the DSL all of their school's. Governors none.
 */
export function staffMaySee(db: Db, user: StaffUser, scope: ScopeContext) {
  return (eb: ExpressionBuilder<Database, 'meetings'>) => {
    if (!hasAnyRole(user, MEETING_STAFF_ROLES)) return eb.val(false);
    const sameSchool = eb('meetings.school_id', '=', user.schoolId);
    if (hasAnyRole(user, SEE_ALL_MEETINGS)) return sameSchool;
    // Part of it: on its staff, given an agreed action from it, or referred it (as its record allows).
    const member = eb.or([
      eb.exists(eb.selectFrom('meeting_staff').select('meeting_staff.staff_id').whereRef('meeting_staff.meeting_id', '=', 'meetings.id').where('meeting_staff.staff_id', '=', user.id)),
      eb.exists(
        eb
          .selectFrom('meeting_actions')
          .select('meeting_actions.id')
          .whereRef('meeting_actions.meeting_id', '=', 'meetings.id')
          .where('meeting_actions.staff_id', '=', user.id)
          .where('meeting_actions.owner_kind', '=', 'school'),
      ),
      eb('meetings.referred_to', '=', user.id),
    ]);
    const reach = pupilReach(user, scope.teachersSeeAllPupils);
    if (reach === 'none') return eb.and([sameSchool, member]);
    const aboutPupil =
      reach === 'school'
        ? eb('meetings.pupil_id', 'is not', null)
        : eb(
            'meetings.pupil_id',
            'in',
            db
              .selectFrom('pupils')
              .select('pupils.id')
              .where(pupilsVisibleTo(user, scope.today, scope.teachersSeeAllPupils)),
          );
    return eb.and([sameSchool, eb.or([member, aboutPupil])]);
  };
}

/** A carer sees a meeting they are on, and only while they may still hear about its child. */
export function carerMaySee(db: Db, user: CarerUser, scope: ScopeContext) {
  return (eb: ExpressionBuilder<Database, 'meetings'>) =>
    eb.and([
      eb('meetings.school_id', '=', user.schoolId),
      eb.exists(eb.selectFrom('meeting_carers').select('meeting_carers.carer_id').whereRef('meeting_carers.meeting_id', '=', 'meetings.id').where('meeting_carers.carer_id', '=', user.id)),
      eb.or([
        eb('meetings.pupil_id', 'is', null),
        eb(
          'meetings.pupil_id',
          'in',
          db
            .selectFrom('pupils')
            .select('pupils.id')
            .where(pupilsVisibleTo(user, scope.today, false)),
        ),
      ]),
    ]);
}

const LISTED = [
  'meetings.id',
  'meetings.kind',
  'meetings.status',
  'meetings.topic',
  'meetings.urgent',
  'meetings.mode',
  'meetings.starts_at',
  'meetings.ends_at',
  'meetings.possibly_difficult',
  'meetings.summary_sent_at',
  'meetings.created_at',
  'pupils.given_name as pupil_given_name',
  'pupils.preferred_name as pupil_preferred_name',
  'pupils.family_name as pupil_family_name',
] as const;

export async function meetingForStaff(db: Db, user: StaffUser, scope: ScopeContext, meetingId: string) {
  return db
    .selectFrom('meetings')
    .selectAll()
    .where('id', '=', meetingId)
    .where(staffMaySee(db, user, scope))
    .executeTakeFirst();
}

export async function meetingForCarer(db: Db, user: CarerUser, scope: ScopeContext, meetingId: string) {
  return db
    .selectFrom('meetings')
    .selectAll()
    .where('id', '=', meetingId)
    .where(carerMaySee(db, user, scope))
    .executeTakeFirst();
}

export type Meeting = NonNullable<Awaited<ReturnType<typeof meetingForStaff>>>;

/** The staff list: requests waiting for times, meetings to come, and the most recent others. */
export async function staffMeetingList(db: Db, user: StaffUser, scope: ScopeContext, now: Date) {
  const at = now.toISOString();
  const base = () =>
    db
      .selectFrom('meetings')
      .leftJoin('pupils', 'pupils.id', 'meetings.pupil_id')
      .select(LISTED)
      .where(staffMaySee(db, user, scope));
  const [waiting, upcoming, recent] = await Promise.all([
    base().where('meetings.status', 'in', ['requested', 'offered']).orderBy('meetings.urgent', 'desc').orderBy('meetings.created_at').limit(100).execute(),
    base().where('meetings.status', '=', 'scheduled').where('meetings.starts_at', '>=', at).orderBy('meetings.starts_at').limit(100).execute(),
    base()
      // Held (written up) whenever it was planned for, e.g. a parents' evening appointment met early.
      .where((eb) => eb.or([eb('meetings.status', 'in', ['cancelled', 'held']), eb.and([eb('meetings.status', '=', 'scheduled'), eb('meetings.starts_at', '<', at)])]))
      .orderBy('meetings.updated_at', 'desc')
      .limit(25)
      .execute(),
  ]);
  const names = await carerNamesOf(
    db,
    [...waiting, ...upcoming, ...recent].map((m) => m.id),
  );
  const withNames = <T extends { id: string }>(rows: T[]) => rows.map((r) => ({ ...r, carer_names: names.get(r.id) ?? '' }));
  return { waiting: withNames(waiting), upcoming: withNames(upcoming), recent: withNames(recent) };
}

/** A carer's meetings, newest first (the page sorts them into asked for, to choose, to come and past). */
/** A carer's meetings, or only those about one of their children (`pupilId`, checked by the guard). */
export async function carerMeetingList(db: Db, user: CarerUser, scope: ScopeContext, pupilId?: string) {
  let q = db
    .selectFrom('meetings')
    .leftJoin('pupils', 'pupils.id', 'meetings.pupil_id')
    .select(LISTED)
    .where(carerMaySee(db, user, scope));
  if (pupilId) q = q.where('meetings.pupil_id', '=', pupilId);
  return q.orderBy('meetings.created_at', 'desc').limit(200).execute();
}

async function carerNamesOf(db: Db, meetingIds: string[]): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  if (meetingIds.length === 0) return names;
  const rows = await db
    .selectFrom('meeting_carers')
    .innerJoin('carers', 'carers.id', 'meeting_carers.carer_id')
    .select(['meeting_carers.meeting_id', 'carers.given_name', 'carers.family_name'])
    .where('meeting_carers.meeting_id', 'in', [...new Set(meetingIds)])
    .orderBy('carers.family_name')
    .orderBy('carers.given_name')
    .execute();
  for (const r of rows) names.set(r.meeting_id, [names.get(r.meeting_id), `${r.given_name} ${r.family_name}`].filter(Boolean).join(', '));
  return names;
}

/** "Mr Okafor": how families and colleagues name a member of staff. */
export const staffName = (s: { title: string; family_name: string }) => `${s.title} ${s.family_name}`.trim();

export async function pupilOf(db: Db, schoolId: string, pupilId: string | null) {
  if (!pupilId) return undefined;
  return db
    .selectFrom('pupils')
    .leftJoin('classes', 'classes.id', 'pupils.class_id')
    .select(['pupils.id', 'pupils.given_name', 'pupils.preferred_name', 'pupils.family_name', 'pupils.class_id', 'pupils.year_group', 'classes.name as class_name'])
    .where('pupils.id', '=', pupilId)
    .where('pupils.school_id', '=', schoolId)
    .executeTakeFirst();
}

export async function schoolOf(db: Db, schoolId: string) {
  return db.selectFrom('schools').select(['id', 'name', 'time_zone']).where('id', '=', schoolId).executeTakeFirstOrThrow();
}

/** Who from the school is part of the meeting, and in what role. */
export async function meetingStaffOf(db: Db, meetingId: string) {
  const rows = await db
    .selectFrom('meeting_staff')
    .innerJoin('staff', 'staff.id', 'meeting_staff.staff_id')
    .select(['staff.id', 'staff.title', 'staff.given_name', 'staff.family_name', 'staff.email', 'staff.job_title', 'meeting_staff.role'])
    .where('meeting_staff.meeting_id', '=', meetingId)
    .execute();
  const order = { lead: 0, colleague: 1, liaison: 2, preparer: 3 } as const;
  return rows.sort((a, b) => order[a.role] - order[b.role] || a.family_name.localeCompare(b.family_name)).map((r) => ({ ...r, name: staffName(r) }));
}

/** The family members on the meeting, with whom they asked to help them prepare. */
export async function meetingCarersOf(db: Db, meetingId: string) {
  const rows = await db
    .selectFrom('meeting_carers')
    .innerJoin('carers', 'carers.id', 'meeting_carers.carer_id')
    .leftJoin('staff', 'staff.id', 'meeting_carers.prep_help_staff_id')
    .select([
      'carers.id',
      'carers.given_name',
      'carers.family_name',
      'carers.email',
      'carers.preferred_language',
      'carers.interpreter_needed',
      'meeting_carers.prep_help_staff_id',
      'meeting_carers.prep_help_asked_at',
      'staff.title as helper_title',
      'staff.family_name as helper_family_name',
    ])
    .where('meeting_carers.meeting_id', '=', meetingId)
    .orderBy('carers.family_name')
    .orderBy('carers.given_name')
    .execute();
  return rows.map((r) => ({
    ...r,
    name: `${r.given_name} ${r.family_name}`,
    helper_name: r.helper_family_name ? staffName({ title: r.helper_title ?? '', family_name: r.helper_family_name }) : null,
  }));
}

/** The agenda in the order it was written, each item with who added it. */
export async function agendaOf(db: Db, meetingId: string) {
  const rows = await db
    .selectFrom('meeting_agenda_items')
    .leftJoin('staff', (j) => j.onRef('staff.id', '=', 'meeting_agenda_items.added_by_id').on('meeting_agenda_items.added_by_kind', '=', 'staff'))
    .leftJoin('carers', (j) => j.onRef('carers.id', '=', 'meeting_agenda_items.added_by_id').on('meeting_agenda_items.added_by_kind', '=', 'carer'))
    .select([
      'meeting_agenda_items.id',
      'meeting_agenda_items.text',
      'meeting_agenda_items.added_by_kind',
      'meeting_agenda_items.added_by_id',
      'meeting_agenda_items.created_at',
      'staff.title as staff_title',
      'staff.family_name as staff_family_name',
      'carers.given_name as carer_given_name',
      'carers.family_name as carer_family_name',
    ])
    .where('meeting_agenda_items.meeting_id', '=', meetingId)
    .orderBy('meeting_agenda_items.created_at')
    .orderBy('meeting_agenda_items.id')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    text: r.text,
    kind: r.added_by_kind,
    addedById: r.added_by_id,
    createdAt: r.created_at,
    by: r.added_by_kind === 'staff' ? staffName({ title: r.staff_title ?? '', family_name: r.staff_family_name ?? '' }) : `${r.carer_given_name ?? ''} ${r.carer_family_name ?? ''}`.trim(),
  }));
}

export async function offersOf(db: Db, meetingId: string) {
  return db.selectFrom('meeting_offers').select(['id', 'starts_at', 'ends_at', 'chosen_at']).where('meeting_id', '=', meetingId).orderBy('starts_at').execute();
}

export async function safetyPlanOf(db: Db, meetingId: string) {
  return db
    .selectFrom('meeting_safety_plans')
    .leftJoin('staff', 'staff.id', 'meeting_safety_plans.colleague_id')
    .selectAll('meeting_safety_plans')
    .select(['staff.title as colleague_title', 'staff.family_name as colleague_family_name'])
    .where('meeting_safety_plans.meeting_id', '=', meetingId)
    .executeTakeFirst();
}

/**
 * The child's family members a meeting may include: those who may hear about the child for a
 * meeting (hear.ts: may receive information, no restriction in force that stops information or contact).
 */
export async function eligibleCarers(db: Db, schoolId: string, pupilId: string, today: LocalDate) {
  return db
    .selectFrom('carer_pupils')
    .innerJoin('carers', 'carers.id', 'carer_pupils.carer_id')
    .select(['carers.id', 'carers.given_name', 'carers.family_name', 'carers.email', 'carers.preferred_language', 'carers.interpreter_needed', 'carer_pupils.relationship'])
    .where('carer_pupils.pupil_id', '=', pupilId)
    .where('carer_pupils.school_id', '=', schoolId)
    .where('carers.archived_at', 'is', null)
    .where((eb) => carerMayHear(eb, 'meeting_invitation', today))
    .orderBy('carer_pupils.contact_priority')
    .orderBy('carers.family_name')
    .execute();
}

/** Staff who can take part in meetings (not archived, not only a governor), by name. */
export async function meetingStaffChoices(db: Db, schoolId: string) {
  const rows = await db
    .selectFrom('staff')
    .select(['staff.id', 'staff.title', 'staff.given_name', 'staff.family_name', 'staff.job_title'])
    .where('staff.school_id', '=', schoolId)
    .where('staff.archived_at', 'is', null)
    .where('staff.id', 'in', (eb) =>
      eb
        .selectFrom('staff_roles')
        .select('staff_roles.staff_id')
        .where('staff_roles.school_id', '=', schoolId)
        .where('staff_roles.role', 'in', [...MEETING_STAFF_ROLES]),
    )
    .orderBy('staff.family_name')
    .orderBy('staff.given_name')
    .execute();
  return rows.map((r) => ({ ...r, name: `${r.given_name} ${r.family_name}` }));
}

/**
 * Familiar staff a carer may ask to help them prepare: the child's class teacher(s), the family
 * liaison officer and the SENCO, each with why the family knows them.
 */
export type PrepHelper = { id: string; name: string; why: 'class_teacher' | 'family_liaison' | 'senco'; child: string | null };
/** Who a family may ask to help them prepare, and why them (the words are the carer's language's: see meetings-pages). */
export async function prepHelpersFor(db: Db, schoolId: string, pupilId: string | null): Promise<PrepHelper[]> {
  const pupil = await pupilOf(db, schoolId, pupilId);
  const why = new Map<string, PrepHelper['why']>();
  for (const id of pupil ? await classTeachersOf(db, schoolId, pupil.id) : []) why.set(id, 'class_teacher');
  const pastoral = await db.selectFrom('staff_roles').select(['staff_id', 'role']).where('school_id', '=', schoolId).where('role', 'in', ['family_liaison', 'senco']).orderBy('role').execute();
  for (const r of pastoral) if (!why.has(r.staff_id)) why.set(r.staff_id, r.role === 'family_liaison' ? 'family_liaison' : 'senco');
  if (why.size === 0) return [];
  const people = await db
    .selectFrom('staff')
    .select(['id', 'title', 'family_name'])
    .where('school_id', '=', schoolId)
    .where('archived_at', 'is', null)
    .where('id', 'in', [...why.keys()])
    .orderBy('family_name')
    .execute();
  const child = pupil ? (pupil.preferred_name ?? pupil.given_name) : null;
  return people.map((p) => ({ id: p.id, name: staffName(p), why: why.get(p.id)!, child }));
}

/** The class teacher(s) of a pupil's class, for a request to reach the right person. */
export async function classTeachersOf(db: Db, schoolId: string, pupilId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('pupils')
    .innerJoin('class_teachers', 'class_teachers.class_id', 'pupils.class_id')
    .innerJoin('staff', 'staff.id', 'class_teachers.staff_id')
    .select('staff.id')
    .where('pupils.id', '=', pupilId)
    .where('pupils.school_id', '=', schoolId)
    .where('staff.archived_at', 'is', null)
    .execute();
  return rows.map((r) => r.id);
}

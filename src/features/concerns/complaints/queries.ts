import type { Db } from '../../../db/database.ts';
import type { Selectable } from 'kysely';
import type { ComplaintTable, LocalDate, StaffRole } from '../../../db/schema.ts';
import { whoMayHear } from '../../../platform/access/hear.ts';
import { childName, staffName } from '../queries.ts';
import { caseRole, type CaseRole } from './case-team.ts';
import type { CaseFacts as IndependenceFacts, Candidate, Involvement } from './independence.ts';
import { settingsOf, type ComplaintSettings } from './settings.ts';

/** Reads for formal complaints, each scoped by school. */
export type Complaint = Selectable<ComplaintTable>;
export type OpenedComplaint = { complaint: Complaint; role: CaseRole; settings: ComplaintSettings; people: CasePerson[] };
export type CasePerson = { id: string; staff_id: string; role: 'officer' | 'panel' | 'named'; independent: number; name: string };

export async function settingsFor(db: Db, schoolId: string): Promise<ComplaintSettings> {
  return settingsOf(await db.selectFrom('complaint_settings').selectAll().where('school_id', '=', schoolId).executeTakeFirst());
}

export async function peopleOf(db: Db, schoolId: string, complaintId: string): Promise<CasePerson[]> {
  const rows = await db
    .selectFrom('complaint_people as p')
    .innerJoin('staff as s', 's.id', 'p.staff_id')
    .select(['p.id', 'p.staff_id', 'p.role', 'p.independent', 's.title', 's.family_name'])
    .where('p.school_id', '=', schoolId)
    .where('p.complaint_id', '=', complaintId)
    .orderBy('p.created_at')
    .execute();
  return rows.map((r) => ({ id: r.id, staff_id: r.staff_id, role: r.role, independent: r.independent, name: staffName(r) }));
}

function roleOf(user: { id: string; roles: readonly StaffRole[] }, complaint: Pick<Complaint, 'about' | 'officer_id'>, settings: ComplaintSettings, people: CasePerson[]) {
  return caseRole(user, {
    about: complaint.about,
    officerId: complaint.officer_id,
    panel: people.filter((p) => p.role === 'panel').map((p) => p.staff_id),
    named: people.filter((p) => p.role === 'named').map((p) => p.staff_id),
    clerkId: settings.clerkId,
    headComplaintsTo: settings.headComplaintsTo,
    governorComplaintsTo: settings.governorComplaintsTo,
  });
}

/** The complaint, when this member of staff is on its case team; null otherwise (the route answers 404). */
export async function complaintForStaff(db: Db, user: { id: string; schoolId: string; roles: readonly StaffRole[] }, complaintId: string): Promise<OpenedComplaint | null> {
  const complaint = await db.selectFrom('complaints').selectAll().where('id', '=', complaintId).where('school_id', '=', user.schoolId).executeTakeFirst();
  if (!complaint) return null;
  const [settings, people] = await Promise.all([settingsFor(db, user.schoolId), peopleOf(db, user.schoolId, complaintId)]);
  const role = roleOf(user, complaint, settings, people);
  return role ? { complaint, role, settings, people } : null;
}

/** Complaints this person is on the case team of (a school has a handful a year: each is checked). */
export async function complaintsForStaff(db: Db, user: { id: string; schoolId: string; roles: readonly StaffRole[] }) {
  const [rows, settings, people] = await Promise.all([
    db
      .selectFrom('complaints as c')
      .leftJoin('pupils as p', 'p.id', 'c.pupil_id')
      .leftJoin('public_complaints as pc', 'pc.id', 'c.public_complaint_id')
      .select([
        'pc.name as public_name',
        'c.id',
        'c.stage',
        'c.status',
        'c.about',
        'c.received_on',
        'c.respond_by',
        'c.panel_by',
        'c.panel_on',
        'c.late',
        'c.late_decision',
        'c.officer_id',
        'p.given_name',
        'p.preferred_name',
        'p.family_name',
      ])
      .where('c.school_id', '=', user.schoolId)
      .orderBy('c.received_on', 'desc')
      .execute(),
    settingsFor(db, user.schoolId),
    db.selectFrom('complaint_people').select(['complaint_id', 'staff_id', 'role']).where('school_id', '=', user.schoolId).execute(),
  ]);
  return rows.filter((c) => {
    const mine = people.filter((p) => p.complaint_id === c.id).map((p) => ({ id: '', staff_id: p.staff_id, role: p.role, independent: 0, name: '' }));
    return roleOf(user, c, settings, mine) !== null;
  });
}

/** The carer's own complaint about a child they may still hear about; null otherwise. */
export async function complaintForCarer(db: Db, carer: { id: string; schoolId: string }, complaintId: string) {
  return db.selectFrom('complaints').selectAll().where('id', '=', complaintId).where('school_id', '=', carer.schoolId).where('carer_id', '=', carer.id).executeTakeFirst();
}

/** What independence is judged on: who is named, who teaches the class, who took part in what about the child. */
export async function independenceFacts(db: Db, complaint: Complaint, people: CasePerson[], today: LocalDate): Promise<IndependenceFacts> {
  const s = complaint.school_id;
  const dateOf = (at: string | null) => (at ?? '').slice(0, 10);
  // A complaint from the public form may be about no child: nobody is excluded for work with a child,
  // but the people named in it, declared interests and an earlier stage still count.
  if (!complaint.pupil_id)
    return { named: people.filter((p) => p.role === 'named').map((p) => p.staff_id), classTeachers: [], involvement: earlierStage(complaint, today), aboutHead: complaint.about === 'head', today };
  const [teachers, meetings, notes, plans, concerns, entries] = await Promise.all([
    db.selectFrom('class_teachers as t').innerJoin('pupils as p', 'p.class_id', 't.class_id').select('t.staff_id').where('p.id', '=', complaint.pupil_id).where('p.school_id', '=', s).execute(),
    db
      .selectFrom('meeting_staff as ms')
      .innerJoin('meetings as m', 'm.id', 'ms.meeting_id')
      .select(['ms.staff_id', 'm.starts_at', 'm.created_at'])
      .where('m.school_id', '=', s)
      .where('m.pupil_id', '=', complaint.pupil_id)
      .execute(),
    db
      .selectFrom('meeting_notes as n')
      .innerJoin('meetings as m', 'm.id', 'n.meeting_id')
      .select(['n.written_by', 'n.created_at'])
      .where('m.school_id', '=', s)
      .where('m.pupil_id', '=', complaint.pupil_id)
      .execute(),
    db
      .selectFrom('meeting_safety_plans as sp')
      .innerJoin('meetings as m', 'm.id', 'sp.meeting_id')
      .select(['sp.created_by', 'sp.colleague_id', 'sp.updated_at'])
      .where('m.school_id', '=', s)
      .where('m.pupil_id', '=', complaint.pupil_id)
      .execute(),
    db.selectFrom('concerns').select(['owner_id', 'logged_by', 'triaged_by', 'closed_by', 'raised_on']).where('school_id', '=', s).where('pupil_id', '=', complaint.pupil_id).execute(),
    db
      .selectFrom('concern_entries as e')
      .innerJoin('concerns as c', 'c.id', 'e.concern_id')
      .select(['e.staff_id', 'e.created_at'])
      .where('c.school_id', '=', s)
      .where('c.pupil_id', '=', complaint.pupil_id)
      .where('e.staff_id', 'is not', null)
      .execute(),
  ]);
  const involvement: Involvement[] = [
    ...meetings.map((m) => ({ staffId: m.staff_id, what: 'meeting' as const, on: dateOf(m.starts_at ?? m.created_at) })),
    ...notes.map((n) => ({ staffId: n.written_by, what: 'meeting note' as const, on: dateOf(n.created_at) })),
    ...plans.flatMap((p) => [p.created_by, p.colleague_id].filter((id): id is string => !!id).map((id) => ({ staffId: id, what: 'safety plan' as const, on: dateOf(p.updated_at) }))),
    ...concerns.flatMap((c) => [c.owner_id, c.logged_by, c.triaged_by, c.closed_by].filter((id): id is string => !!id).map((id) => ({ staffId: id, what: 'concern' as const, on: c.raised_on }))),
    ...entries.map((e) => ({ staffId: e.staff_id!, what: 'concern' as const, on: dateOf(e.created_at) })),
    ...earlierStage(complaint, today),
  ].sort((a, b) => (a.on < b.on ? 1 : -1));
  return {
    named: people.filter((p) => p.role === 'named').map((p) => p.staff_id),
    classTeachers: teachers.map((t) => t.staff_id),
    involvement,
    aboutHead: complaint.about === 'head',
    today,
  };
}

/** At stage 2 the stage-1 investigating officer took part in an earlier stage. */
function earlierStage(complaint: Complaint, today: LocalDate): Involvement[] {
  return complaint.stage === 'stage_2' && complaint.officer_id ? [{ staffId: complaint.officer_id, what: 'earlier stage', on: today }] : [];
}

/** A member of staff as a candidate for appointment, with their roles (the declared interest comes from the form). */
export async function candidateOf(db: Db, schoolId: string, staffId: string, declaredInterest: string | null): Promise<Candidate | null> {
  const s = await db.selectFrom('staff').select(['id', 'title', 'family_name']).where('id', '=', staffId).where('school_id', '=', schoolId).where('archived_at', 'is', null).executeTakeFirst();
  if (!s) return null;
  const roles = await db.selectFrom('staff_roles').select('role').where('staff_id', '=', staffId).where('school_id', '=', schoolId).execute();
  return { id: s.id, name: staffName(s), roles: roles.map((r) => r.role), declaredInterest };
}

/** Everyone current on the staff, for choosing people (the rules refuse those who may not). */
export async function staffChoices(db: Db, schoolId: string) {
  const rows = await db.selectFrom('staff').select(['id', 'title', 'family_name', 'job_title']).where('school_id', '=', schoolId).where('archived_at', 'is', null).orderBy('family_name').execute();
  return rows.map((r) => ({ value: r.id, text: `${staffName(r)} (${r.job_title})` }));
}

export async function eventsOf(db: Db, schoolId: string, complaintId: string) {
  const rows = await db
    .selectFrom('complaint_events as e')
    .leftJoin('staff as s', 's.id', 'e.staff_id')
    .select(['e.id', 'e.kind', 'e.body', 'e.staff_id', 'e.on_date', 'e.file_name', 'e.file_type', 'e.created_at', 'e.created_by', 's.title', 's.family_name'])
    .where('e.school_id', '=', schoolId)
    .where('e.complaint_id', '=', complaintId)
    .orderBy('e.created_at')
    .orderBy('e.id')
    .execute();
  return rows.map((r) => ({ ...r, who: r.family_name ? staffName({ title: r.title, family_name: r.family_name }) : null }));
}

export async function letterOf(db: Db, schoolId: string, complaintId: string, stage: 'stage_1' | 'stage_2') {
  return db.selectFrom('complaint_letters').selectAll().where('school_id', '=', schoolId).where('complaint_id', '=', complaintId).where('stage', '=', stage).executeTakeFirst();
}

export async function sentLettersOf(db: Db, schoolId: string, complaintId: string) {
  return db
    .selectFrom('complaint_letters')
    .select(['id', 'stage', 'outcome', 'body', 'sent_at', 'status'])
    .where('school_id', '=', schoolId)
    .where('complaint_id', '=', complaintId)
    .where('status', '!=', 'draft')
    .orderBy('created_at')
    .execute();
}

/** The carer's own complaints, about children they may still hear about, newest first (with the concern each was made through). */
export async function complaintsOfCarer(db: Db, carer: { id: string; schoolId: string }, today: LocalDate) {
  const rows = await db
    .selectFrom('complaints as c')
    .innerJoin('pupils as p', 'p.id', 'c.pupil_id')
    .select(['c.id', 'c.concern_id', 'c.direct', 'c.pupil_id', 'c.stage', 'c.status', 'c.received_on', 'c.respond_by', 'c.panel_on', 'p.given_name', 'p.preferred_name', 'p.family_name'])
    .where('c.school_id', '=', carer.schoolId)
    .where('c.carer_id', '=', carer.id)
    .orderBy('c.received_on', 'desc')
    .orderBy('c.id')
    .limit(50)
    .execute();
  if (rows.length === 0) return [];
  const answers = await whoMayHear(db, { schoolId: carer.schoolId, pupilIds: [...new Set(rows.map((r) => r.pupil_id!))], purpose: 'complaint', today, carerIds: [carer.id] });
  const allowed = new Set(answers.filter((a) => a.decision.may).map((a) => a.pupilId));
  return rows.filter((r) => allowed.has(r.pupil_id!)).map((r) => ({ ...r, pupil_id: r.pupil_id!, childName: childName(r) }));
}

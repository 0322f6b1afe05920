import type { Db } from '../../db/database.ts';
import type { Selectable } from 'kysely';
import type { MeetingTable } from '../../db/schema.ts';
import type { StaffUser } from '../../platform/access/roles.ts';
import { canSeePupil, type ScopeContext } from '../../platform/access/scope.ts';
import { LEADERS, maySeeRecord, readsSafeguarding } from './record.ts';
import { staffButGovernors } from '../people/index.ts';
import { safeguardingReadings, type SafeguardingReading } from '../../platform/safeguarding/safeguarding.ts';

/** Queries for a meeting's record: the meeting as its reader may see it, notes, actions, people. */

export type RecordMeeting = Selectable<MeetingTable>;

export const staffName = (s: { title: string | null; family_name: string }) => `${s.title ?? ''} ${s.family_name}`.trim();
export const personName = (p: { given_name: string; family_name: string; preferred_name?: string | null }) => `${p.preferred_name || p.given_name} ${p.family_name}`;

/** The meeting when this member of staff may open its record; undefined otherwise (answer 404). */
export async function meetingForRecord(db: Db, user: StaffUser, scope: ScopeContext, meetingId: string): Promise<RecordMeeting | undefined> {
  const meeting = await db.selectFrom('meetings').selectAll().where('id', '=', meetingId).where('school_id', '=', user.schoolId).executeTakeFirst();
  if (!meeting) return undefined;
  const roles = user.roles;
  if (roles.some((r) => LEADERS.includes(r))) return meeting;
  const [onMeeting, ownsAction, seesPupil, safeguardingNote] = await Promise.all([
    db.selectFrom('meeting_staff').select('staff_id').where('meeting_id', '=', meetingId).where('staff_id', '=', user.id).executeTakeFirst(),
    db.selectFrom('meeting_actions').select('id').where('meeting_id', '=', meetingId).where('staff_id', '=', user.id).where('owner_kind', '=', 'school').executeTakeFirst(),
    meeting.pupil_id ? canSeePupil(db, user, meeting.pupil_id, scope) : false,
    readsSafeguarding(roles) ? db.selectFrom('meeting_notes').select('id').where('meeting_id', '=', meetingId).where('safeguarding', '=', 1).executeTakeFirst() : undefined,
  ]);
  const allowed = maySeeRecord({
    roles,
    onMeeting: !!onMeeting,
    ownsAction: !!ownsAction,
    seesPupil,
    // A marked outcome or referral (0050) opens the record to the DSL and deputies as a marked note does.
    hasSafeguardingNote: !!safeguardingNote || Number(meeting.outcome_safeguarding) === 1 || Number(meeting.referral_safeguarding) === 1,
    referredToThem: meeting.referred_to === user.id,
  });
  return allowed ? meeting : undefined;
}

export async function pupilOf(db: Db, meeting: RecordMeeting) {
  if (!meeting.pupil_id) return null;
  const p = await db
    .selectFrom('pupils')
    .leftJoin('classes', 'classes.id', 'pupils.class_id')
    .select(['pupils.id', 'pupils.given_name', 'pupils.family_name', 'pupils.preferred_name', 'classes.name as class_name'])
    .where('pupils.id', '=', meeting.pupil_id)
    .where('pupils.school_id', '=', meeting.school_id)
    .executeTakeFirst();
  return p ? { ...p, name: personName(p) } : null;
}

export async function carersOf(db: Db, meeting: Pick<RecordMeeting, 'id' | 'school_id'>) {
  const rows = await db
    .selectFrom('meeting_carers')
    .innerJoin('carers', 'carers.id', 'meeting_carers.carer_id')
    .select(['carers.id', 'carers.given_name', 'carers.family_name', 'carers.email', 'carers.channel_email', 'carers.preferred_language', 'carers.archived_at'])
    .where('meeting_carers.meeting_id', '=', meeting.id)
    .where('meeting_carers.school_id', '=', meeting.school_id)
    .orderBy('carers.family_name')
    .orderBy('carers.given_name')
    .execute();
  return rows.map((c) => ({ ...c, name: personName(c) }));
}

export async function staffOf(db: Db, meeting: Pick<RecordMeeting, 'id' | 'school_id'>) {
  const rows = await db
    .selectFrom('meeting_staff')
    .innerJoin('staff', 'staff.id', 'meeting_staff.staff_id')
    .select(['staff.id', 'staff.title', 'staff.family_name', 'meeting_staff.role'])
    .where('meeting_staff.meeting_id', '=', meeting.id)
    .where('meeting_staff.school_id', '=', meeting.school_id)
    .execute();
  return rows.map((s) => ({ ...s, name: staffName(s) }));
}

/**
 * The notes this reader may see, oldest first. Safeguarding notes are left out in the query itself
 * for anyone who is not the DSL or a deputy: their words never reach the page.
 */
export async function notesFor(db: Db, meeting: Pick<RecordMeeting, 'id' | 'school_id'>, withSafeguarding: boolean) {
  let q = db
    .selectFrom('meeting_notes')
    .innerJoin('staff', 'staff.id', 'meeting_notes.written_by')
    .select(['meeting_notes.id', 'meeting_notes.body', 'meeting_notes.safeguarding', 'meeting_notes.written_by', 'meeting_notes.created_at', 'staff.title', 'staff.family_name'])
    .where('meeting_notes.meeting_id', '=', meeting.id)
    .where('meeting_notes.school_id', '=', meeting.school_id);
  if (!withSafeguarding) q = q.where('meeting_notes.safeguarding', '=', 0);
  const rows = await q.orderBy('meeting_notes.created_at').orderBy('meeting_notes.id').execute();
  return rows.map((n) => ({ ...n, writer: staffName(n) }));
}

/**
 * What a member of staff who is not the DSL sees of the safeguarding notes they wrote or passed on in
 * this meeting: when each was passed to the DSL, and whether they did it — never the words.
 */
export type PassedOn = { passedAt: string; byMe: boolean; writtenAt: string };
export async function notesPassedOnBy(db: Db, meeting: Pick<RecordMeeting, 'id' | 'school_id'>, staffId: string): Promise<PassedOn[]> {
  const notes = await db
    .selectFrom('meeting_notes')
    .select(['id', 'written_by', 'created_at'])
    .where('meeting_id', '=', meeting.id)
    .where('school_id', '=', meeting.school_id)
    .where('safeguarding', '=', 1)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  if (notes.length === 0) return [];
  const marked = await db
    .selectFrom('audit_log')
    .select(['entity_id', 'actor_id', 'at'])
    .where('school_id', '=', meeting.school_id)
    .where('action', '=', 'meeting_note.marked_safeguarding')
    .where(
      'entity_id',
      'in',
      notes.map((n) => n.id),
    )
    .execute();
  return notes.flatMap((n) => {
    const mark = marked.find((m) => m.entity_id === n.id);
    const passer = mark ? mark.actor_id : n.written_by;
    if (n.written_by !== staffId && passer !== staffId) return [];
    return [{ passedAt: mark ? mark.at : n.created_at, byMe: passer === staffId, writtenAt: n.created_at }];
  });
}

/**
 * Who has read each safeguarding note, from the audit (every reading by the DSL or a deputy is
 * audited): by note, each reader with how many times and when last, most recent first.
 */
export type NoteReading = SafeguardingReading;
export async function noteReadings(db: Db, schoolId: string, noteIds: string[]): Promise<Record<string, NoteReading[]>> {
  return safeguardingReadings(db, schoolId, 'meeting_note', noteIds);
}

export async function actionsOf(db: Db, meeting: Pick<RecordMeeting, 'id' | 'school_id'>) {
  const rows = await db
    .selectFrom('meeting_actions')
    .leftJoin('staff', 'staff.id', 'meeting_actions.staff_id')
    .leftJoin('carers', 'carers.id', 'meeting_actions.carer_id')
    .select([
      'meeting_actions.id',
      'meeting_actions.owner_kind',
      'meeting_actions.staff_id',
      'meeting_actions.carer_id',
      'meeting_actions.what',
      'meeting_actions.due_on',
      'meeting_actions.done_at',
      'meeting_actions.done_by_carer_id',
      'meeting_actions.carer_note',
      'meeting_actions.carer_note_at',
      'staff.title as staff_title',
      'staff.family_name as staff_family_name',
      'carers.given_name as carer_given_name',
      'carers.family_name as carer_family_name',
    ])
    .where('meeting_actions.meeting_id', '=', meeting.id)
    .where('meeting_actions.school_id', '=', meeting.school_id)
    .orderBy('meeting_actions.due_on')
    .orderBy('meeting_actions.created_at')
    .execute();
  return rows.map((a) => ({
    ...a,
    ownerName:
      a.owner_kind === 'school'
        ? a.staff_family_name
          ? staffName({ title: a.staff_title, family_name: a.staff_family_name })
          : 'A former member of staff'
        : `${a.carer_given_name ?? ''} ${a.carer_family_name ?? ''}`.trim(),
  }));
}
export type RecordAction = Awaited<ReturnType<typeof actionsOf>>[number];

/** School people an action can be given to: current staff, governors aside. */
export async function schoolPeople(db: Db, schoolId: string) {
  const rows = await staffButGovernors(db, schoolId);
  return rows.map((s) => ({ ...s, name: staffName(s) }));
}

/** The head and senior leaders, who unresolved matters are referred to. */
export async function leadersOf(db: Db, schoolId: string) {
  const rows = await db
    .selectFrom('staff')
    .innerJoin('staff_roles', 'staff_roles.staff_id', 'staff.id')
    .select(['staff.id', 'staff.title', 'staff.given_name', 'staff.family_name', 'staff_roles.role'])
    .where('staff.school_id', '=', schoolId)
    .where('staff.archived_at', 'is', null)
    .where('staff_roles.role', 'in', [...LEADERS])
    .orderBy('staff_roles.role')
    .orderBy('staff.family_name')
    .execute();
  const seen = new Set<string>();
  return rows.filter((s) => !seen.has(s.id) && seen.add(s.id)).map((s) => ({ ...s, name: staffName(s) }));
}

export async function staffNameOf(db: Db, schoolId: string, staffId: string | null): Promise<string | null> {
  if (!staffId) return null;
  const s = await db.selectFrom('staff').select(['title', 'family_name']).where('id', '=', staffId).where('school_id', '=', schoolId).executeTakeFirst();
  return s ? staffName(s) : null;
}

import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { LocalDate } from '../../db/schema.ts';
import type { SchoolCalendar } from '../../platform/calendar/school-days.ts';
export { schoolCalendar } from '../../platform/calendar/calendar-queries.ts';
import { daysOverdue, dueWindowEnd, followUpState, toChase, type FollowUpState } from './follow-ups.ts';
import { personName, staffName } from './record-queries.ts';
import { familyOverdueInSchool, type FamilyFollowUp } from './family-follow-ups.ts';

/**
 * Follow-ups to chase, for the home pages: a meeting's follow-up date (its lead owns it) and the
 * school's agreed actions (the member of staff named owns each). Cancelled meetings drop out.
 * The school-wide overdue list also has the families' overdue actions ('family_action', owned by
 * the parent or carer, with the meeting's lead and the family's latest note): family-follow-ups.ts.
 */
export type FollowUp = {
  kind: 'follow_up' | 'action' | 'family_action';
  meetingId: string;
  /** The child the meeting was about (null when about no one child). */
  pupilId: string | null;
  topic: string;
  pupilName: string | null;
  /** The action's words; null for a meeting's follow-up date. */
  what: string | null;
  dueOn: LocalDate;
  state: FollowUpState;
  daysOverdue: number;
  ownerName: string;
  /** A family's action: who leads the meeting, and what the family last said on how it is going. */
  family?: { actionId: string; leadName: string; note: string | null; noteAt: string | null };
};

type Row = {
  meeting_id: string;
  pupil_id: string | null;
  topic: string;
  due_on: string;
  what: string | null;
  given_name: string | null;
  family_name: string | null;
  preferred_name: string | null;
  owner_title: string | null;
  owner_family_name: string | null;
};

function toFollowUp(kind: FollowUp['kind'], r: Row, today: LocalDate, windowEnd: LocalDate): FollowUp {
  return {
    kind,
    meetingId: r.meeting_id,
    pupilId: r.pupil_id,
    topic: r.topic,
    pupilName: r.given_name && r.family_name ? personName({ given_name: r.given_name, family_name: r.family_name, preferred_name: r.preferred_name }) : null,
    what: r.what,
    dueOn: r.due_on,
    state: followUpState(r.due_on, null, today, windowEnd),
    daysOverdue: daysOverdue(r.due_on, today),
    ownerName: r.owner_family_name ? staffName({ title: r.owner_title, family_name: r.owner_family_name }) : 'No one',
  };
}

/** Open follow-up dates of held meetings led by this person (or anyone, when staffId is null), due by `until`. */
function meetingFollowUps(db: Db, schoolId: string, staffId: string | null, until: LocalDate, before: boolean) {
  let q = db
    .selectFrom('meetings')
    .innerJoin('meeting_staff', (j) => j.onRef('meeting_staff.meeting_id', '=', 'meetings.id').on('meeting_staff.role', '=', 'lead'))
    .innerJoin('staff', 'staff.id', 'meeting_staff.staff_id')
    .leftJoin('pupils', 'pupils.id', 'meetings.pupil_id')
    .select([
      'meetings.id as meeting_id',
      'meetings.pupil_id',
      'meetings.topic',
      'meetings.follow_up_on as due_on',
      sql<string | null>`cast(null as text)`.as('what'),
      'pupils.given_name',
      'pupils.family_name',
      'pupils.preferred_name',
      'staff.title as owner_title',
      'staff.family_name as owner_family_name',
    ])
    .where('meetings.school_id', '=', schoolId)
    .where('meetings.status', '=', 'held')
    .where('meetings.follow_up_on', 'is not', null)
    .where('meetings.follow_up_done_at', 'is', null)
    .where('meetings.follow_up_on', before ? '<' : '<=', until);
  if (staffId) q = q.where('meeting_staff.staff_id', '=', staffId);
  return q.orderBy('meetings.follow_up_on').limit(100).execute() as Promise<Row[]>;
}

/** Open school actions owned by this person (or anyone, when staffId is null), due by `until`. */
function actionFollowUps(db: Db, schoolId: string, staffId: string | null, until: LocalDate, before: boolean) {
  let q = db
    .selectFrom('meeting_actions')
    .innerJoin('meetings', 'meetings.id', 'meeting_actions.meeting_id')
    .leftJoin('staff', 'staff.id', 'meeting_actions.staff_id')
    .leftJoin('pupils', 'pupils.id', 'meetings.pupil_id')
    .select([
      'meetings.id as meeting_id',
      'meetings.pupil_id',
      'meetings.topic',
      'meeting_actions.due_on',
      'meeting_actions.what',
      'pupils.given_name',
      'pupils.family_name',
      'pupils.preferred_name',
      'staff.title as owner_title',
      'staff.family_name as owner_family_name',
    ])
    .where('meeting_actions.school_id', '=', schoolId)
    .where('meeting_actions.owner_kind', '=', 'school')
    .where('meeting_actions.done_at', 'is', null)
    .where('meetings.status', '!=', 'cancelled')
    .where('meeting_actions.due_on', before ? '<' : '<=', until);
  if (staffId) q = q.where('meeting_actions.staff_id', '=', staffId);
  return q.orderBy('meeting_actions.due_on').limit(100).execute() as Promise<Row[]>;
}

/** This person's follow-ups overdue or due within 7 school days: as meeting lead and as owner of school actions. */
export async function followUpsOf(db: Db, schoolId: string, staffId: string, today: LocalDate, calendar: SchoolCalendar): Promise<FollowUp[]> {
  const windowEnd = dueWindowEnd(calendar, today);
  const [meetings, actions] = await Promise.all([meetingFollowUps(db, schoolId, staffId, windowEnd, false), actionFollowUps(db, schoolId, staffId, windowEnd, false)]);
  return toChase([...meetings.map((r) => toFollowUp('follow_up', r, today, windowEnd)), ...actions.map((r) => toFollowUp('action', r, today, windowEnd))]);
}

/** Every overdue follow-up in the school, with its owner (the head's view): the families' overdue actions too, oldest first. */
export async function overdueInSchool(db: Db, schoolId: string, today: LocalDate): Promise<FollowUp[]> {
  const [meetings, actions, family] = await Promise.all([
    meetingFollowUps(db, schoolId, null, today, true),
    actionFollowUps(db, schoolId, null, today, true),
    familyOverdueInSchool(db, schoolId, today),
  ]);
  return toChase([...meetings.map((r) => toFollowUp('follow_up', r, today, today)), ...actions.map((r) => toFollowUp('action', r, today, today)), ...family.map(fromFamily)]);
}

function fromFamily(f: FamilyFollowUp): FollowUp {
  return {
    kind: 'family_action',
    meetingId: f.meetingId,
    pupilId: f.pupilId,
    topic: f.topic,
    pupilName: f.pupilName,
    what: f.what,
    dueOn: f.dueOn,
    state: 'overdue',
    daysOverdue: f.daysOverdue,
    ownerName: f.carerName,
    family: { actionId: f.actionId, leadName: f.leadName, note: f.note, noteAt: f.noteAt },
  };
}

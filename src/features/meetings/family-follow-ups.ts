import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { LocalDate } from '../../db/schema.ts';
import type { SchoolCalendar } from '../../platform/calendar/school-days.ts';
import { daysOverdue, dueWindowEnd, familyActionState, familyOrder, type FamilyActionState } from './follow-ups.ts';
import { personName, staffName } from './record-queries.ts';

/**
 * What families said they would do, on the staff follow-up lists: the lead of each meeting sees the
 * family's actions from it (overdue, open, or done with who marked it, when, and their note), apart
 * from the school's own; the school-wide overdue list (follow-ups-queries.ts) takes the overdue ones.
 * Staff only: a family's action is part of the meeting's record, which the lead may open. Cancelled
 * meetings drop out.
 */
export type FamilyFollowUp = {
  actionId: string;
  meetingId: string;
  pupilId: string | null;
  pupilName: string | null;
  topic: string;
  what: string;
  dueOn: LocalDate;
  state: FamilyActionState;
  daysOverdue: number;
  /** The parent or carer whose action it is. */
  carerName: string;
  /** The member of staff who leads the meeting (and owns its follow-up). */
  leadName: string;
  doneAt: string | null;
  /** The family's latest words on how it is going, and when. */
  note: string | null;
  noteAt: string | null;
};

type Row = {
  action_id: string;
  meeting_id: string;
  pupil_id: string | null;
  topic: string;
  what: string;
  due_on: string;
  done_at: string | null;
  done_by_carer_id: string | null;
  carer_note: string | null;
  carer_note_at: string | null;
  follow_up_on: string | null;
  follow_up_done_at: string | null;
  given_name: string | null;
  family_name: string | null;
  preferred_name: string | null;
  carer_given_name: string | null;
  carer_family_name: string | null;
  lead_title: string | null;
  lead_family_name: string | null;
};

/** Families' actions of meetings led by this person (or anyone's, when leadId is null), not cancelled. */
function familyActions(db: Db, schoolId: string, leadId: string | null) {
  let q = db
    .selectFrom('meeting_actions')
    .innerJoin('meetings', 'meetings.id', 'meeting_actions.meeting_id')
    .innerJoin('meeting_staff', (j) => j.onRef('meeting_staff.meeting_id', '=', 'meetings.id').on('meeting_staff.role', '=', 'lead'))
    .innerJoin('staff', 'staff.id', 'meeting_staff.staff_id')
    .leftJoin('carers', 'carers.id', 'meeting_actions.carer_id')
    .leftJoin('pupils', 'pupils.id', 'meetings.pupil_id')
    .select([
      'meeting_actions.id as action_id',
      'meetings.id as meeting_id',
      'meetings.pupil_id',
      'meetings.topic',
      'meeting_actions.what',
      'meeting_actions.due_on',
      'meeting_actions.done_at',
      'meeting_actions.done_by_carer_id',
      'meeting_actions.carer_note',
      'meeting_actions.carer_note_at',
      'meetings.follow_up_on',
      'meetings.follow_up_done_at',
      'pupils.given_name',
      'pupils.family_name',
      'pupils.preferred_name',
      'carers.given_name as carer_given_name',
      'carers.family_name as carer_family_name',
      'staff.title as lead_title',
      'staff.family_name as lead_family_name',
    ])
    .where('meeting_actions.school_id', '=', schoolId)
    // A literal, as index meeting_actions_family_due (migration 0045) is written: both databases need that to use it.
    .where('meeting_actions.owner_kind', '=', sql.lit('carer'))
    .where('meetings.status', '!=', 'cancelled');
  if (leadId) q = q.where('meeting_staff.staff_id', '=', leadId);
  return q;
}

function toFamilyFollowUp(r: Row, state: FamilyActionState, today: LocalDate): FamilyFollowUp {
  return {
    actionId: r.action_id,
    meetingId: r.meeting_id,
    pupilId: r.pupil_id,
    pupilName: r.given_name && r.family_name ? personName({ given_name: r.given_name, family_name: r.family_name, preferred_name: r.preferred_name }) : null,
    topic: r.topic,
    what: r.what,
    dueOn: r.due_on,
    state,
    daysOverdue: state === 'overdue' ? daysOverdue(r.due_on, today) : 0,
    carerName: `${r.carer_given_name ?? ''} ${r.carer_family_name ?? ''}`.trim() || 'A parent or carer',
    leadName: r.lead_family_name ? staffName({ title: r.lead_title, family_name: r.lead_family_name }) : 'No one',
    doneAt: r.done_at,
    note: r.carer_note,
    // A note from before migration 0044 was written when they ticked it.
    noteAt: r.carer_note ? (r.carer_note_at ?? r.done_at) : null,
  };
}

/**
 * The families' actions on this person's follow-ups, as the lead of their meetings: overdue, open or
 * done (familyActionState), overdue first. Read: open ones due by the window's end or with a note,
 * and those the family ticked; the rule then keeps what is news.
 */
export async function familyFollowUpsOf(db: Db, schoolId: string, staffId: string, today: LocalDate, calendar: SchoolCalendar): Promise<FamilyFollowUp[]> {
  const windowEnd = dueWindowEnd(calendar, today);
  const rows = (await familyFollowUpsStatement(db, schoolId, staffId, windowEnd).execute()) as Row[];
  const shown = rows.flatMap((r) => {
    const followUpOpen = !!r.follow_up_on && !r.follow_up_done_at;
    const noteAt = r.carer_note ? (r.carer_note_at ?? r.done_at) : null;
    const state = familyActionState({ dueOn: r.due_on, doneAt: r.done_at, doneByFamily: !!r.done_by_carer_id, noteAt, followUpOpen }, today, windowEnd);
    return state ? [toFamilyFollowUp(r, state, today)] : [];
  });
  return familyOrder(shown);
}

/** The lead's families' actions that may be on their list (index meeting_actions_family_due, migration 0045). */
export function familyFollowUpsStatement(db: Db, schoolId: string, staffId: string, windowEnd: LocalDate) {
  return familyActions(db, schoolId, staffId)
    .where((eb) =>
      eb.or([
        eb.and([eb('meeting_actions.done_at', 'is', null), eb.or([eb('meeting_actions.due_on', '<=', windowEnd), eb('meeting_actions.carer_note', 'is not', null)])]),
        eb('meeting_actions.done_by_carer_id', 'is not', null),
      ]),
    )
    .orderBy('meeting_actions.due_on')
    .orderBy('meeting_actions.id')
    .limit(200);
}

/** Every family's action in the school past its date and not done, oldest first (the school-wide overdue list). */
export async function familyOverdueInSchool(db: Db, schoolId: string, today: LocalDate): Promise<FamilyFollowUp[]> {
  const rows = (await familyOverdueStatement(db, schoolId, today).execute()) as Row[];
  return rows.map((r) => toFamilyFollowUp(r, 'overdue', today));
}

/** The school's oldest hundred families' actions not done past their date: read from index meeting_actions_family_due (migration 0045), in its order. */
export function familyOverdueStatement(db: Db, schoolId: string, today: LocalDate) {
  return familyActions(db, schoolId, null)
    .where('meeting_actions.done_at', 'is', null)
    .where('meeting_actions.due_on', '<', today)
    .orderBy('meeting_actions.due_on')
    .orderBy('meeting_actions.id')
    .limit(100);
}

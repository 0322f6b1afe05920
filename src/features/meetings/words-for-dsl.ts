import type { Db } from '../../db/database.ts';
import type { StaffUser } from '../../platform/access/roles.ts';
import type { ScopeContext } from '../../platform/access/scope.ts';
import { staffWriterName, type PassedWords } from '../../platform/safeguarding/words.ts';
import { meetingForStaff, safetyPlanOf } from './meetings-queries.ts';
import { meetingForRecord } from './record-queries.ts';

/**
 * A family's own words on a staff page of this feature, for "Pass this to the DSL"
 * (features/safeguarding): a question they sent ahead of a meeting (shown on the meeting page), and
 * what they said about how their action after it is going (shown on the meeting's record and the
 * lead's home page). Found only for a member of staff who may open the page the words are on, by
 * that page's own rule (staffMaySee for the meeting, meetingForRecord for the record); otherwise
 * undefined, and the caller answers 404. The words are read here, from the record: never from a URL.
 * 'gone': the record is one this person may open, but the family has since taken the words away (a
 * tick without a note replaces their note), so there is nothing left to quote.
 */
export type CarerWords = PassedWords;

const carerName = (c: { given_name: string | null; family_name: string | null }) => `${c.given_name ?? ''} ${c.family_name ?? ''}`.trim() || 'A parent or carer';

/** A question the family added to a meeting's agenda (never a staff item), for staff who may see the meeting. */
export async function agendaQuestionForStaff(db: Db, user: StaffUser, scope: ScopeContext, itemId: string): Promise<CarerWords | undefined> {
  const item = await db
    .selectFrom('meeting_agenda_items as i')
    .leftJoin('carers as c', (j) => j.onRef('c.id', '=', 'i.added_by_id').onRef('c.school_id', '=', 'i.school_id'))
    .select(['i.id', 'i.meeting_id', 'i.text', 'i.added_by_id', 'i.created_at', 'c.given_name', 'c.family_name'])
    .where('i.id', '=', itemId)
    .where('i.school_id', '=', user.schoolId)
    .where('i.added_by_kind', '=', 'carer')
    .executeTakeFirst();
  if (!item) return undefined;
  const meeting = await meetingForStaff(db, user, scope, item.meeting_id);
  if (!meeting) return undefined;
  return {
    source: 'agenda_question',
    recordId: item.id,
    meetingId: meeting.id,
    pupilId: meeting.pupil_id,
    words: item.text,
    by: { kind: 'carer', id: item.added_by_id, name: carerName(item) },
    writtenAt: item.created_at,
    link: `/meetings/${meeting.id}#agenda`,
  };
}

/** A family's latest words on how their agreed action is going, for staff who may open the meeting's record. */
export async function familyProgressForStaff(db: Db, user: StaffUser, scope: ScopeContext, actionId: string): Promise<CarerWords | 'gone' | undefined> {
  const action = await db
    .selectFrom('meeting_actions as a')
    .leftJoin('carers as c', (j) => j.onRef('c.id', '=', 'a.carer_id').onRef('c.school_id', '=', 'a.school_id'))
    .select(['a.id', 'a.meeting_id', 'a.carer_id', 'a.carer_note', 'a.carer_note_at', 'a.done_at', 'a.created_at', 'c.given_name', 'c.family_name'])
    .where('a.id', '=', actionId)
    .where('a.school_id', '=', user.schoolId)
    .where('a.owner_kind', '=', 'carer')
    .executeTakeFirst();
  if (!action?.carer_id) return undefined;
  const meeting = await meetingForRecord(db, user, scope, action.meeting_id);
  if (!meeting) return undefined;
  if (!action.carer_note) return 'gone';
  return {
    source: 'family_progress',
    recordId: action.id,
    meetingId: meeting.id,
    pupilId: meeting.pupil_id,
    words: action.carer_note,
    by: { kind: 'carer', id: action.carer_id, name: carerName(action) },
    // A note from before 0044 was written when they ticked it.
    writtenAt: action.carer_note_at ?? action.done_at ?? action.created_at,
    link: `/meetings/${meeting.id}/record#action-${action.id}`,
  };
}

/**
 * The notes on a difficult meeting's safety plan (staff only), for staff who may open the plan: the
 * plan's page has the meeting's own rule (meetingForStaff). 'gone': the plan has no notes now. Written
 * by whoever saved the plan last (each save writes the whole form, notes too: its audit entry says
 * who), not whoever first made it.
 */
export async function safetyPlanNotesForStaff(db: Db, user: StaffUser, scope: ScopeContext, meetingId: string): Promise<PassedWords | 'gone' | undefined> {
  const meeting = await meetingForStaff(db, user, scope, meetingId);
  if (!meeting) return undefined;
  const plan = await safetyPlanOf(db, meeting.id);
  if (!plan) return undefined;
  if (!plan.notes) return 'gone';
  const lastSave = await db
    .selectFrom('audit_log')
    .select('actor_id')
    .where('school_id', '=', user.schoolId)
    .where('action', '=', 'meeting.safety_plan_saved')
    .where('entity', '=', 'meeting')
    .where('entity_id', '=', meeting.id)
    .where('actor_kind', '=', 'staff')
    .orderBy('at', 'desc')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  const writerId = lastSave?.actor_id ?? plan.created_by;
  const writer = await db.selectFrom('staff').select(['title', 'family_name']).where('id', '=', writerId).where('school_id', '=', user.schoolId).executeTakeFirst();
  return {
    source: 'safety_plan',
    recordId: meeting.id,
    meetingId: meeting.id,
    pupilId: meeting.pupil_id,
    words: plan.notes,
    by: { kind: 'staff', id: writerId, name: staffWriterName(writer ?? { title: null, family_name: null }) },
    writtenAt: plan.updated_at,
    link: `/meetings/${meeting.id}/safety-plan`,
  };
}

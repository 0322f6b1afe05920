import type { Db } from '../../db/database.ts';
import type { LocalDate } from '../../db/schema.ts';

/** An action a parent or carer agreed to at a meeting, still open. */
export type CarerAction = { id: string; meeting_id: string; pupil_id: string | null; topic: string; what: string; due_on: LocalDate };

/**
 * The carer's own open actions from meetings whose summary was sent to them (before that, the actions
 * are still the school's draft), soonest first. The caller keeps only those about children the carer
 * may still hear about (pupil_id; platform/access).
 */
export function carerActionsOf(db: Db, schoolId: string, carerId: string): Promise<CarerAction[]> {
  return carerActionsStatement(db, schoolId, carerId).execute();
}

/** The carer's open actions, found by the carer (index meeting_actions_carer, migration 0042): on every home page of theirs. */
export function carerActionsStatement(db: Db, schoolId: string, carerId: string) {
  return db
    .selectFrom('meeting_actions')
    .innerJoin('meetings', 'meetings.id', 'meeting_actions.meeting_id')
    .select(['meeting_actions.id', 'meetings.id as meeting_id', 'meetings.pupil_id', 'meetings.topic', 'meeting_actions.what', 'meeting_actions.due_on'])
    .where('meeting_actions.school_id', '=', schoolId)
    .where('meeting_actions.owner_kind', '=', 'carer')
    .where('meeting_actions.carer_id', '=', carerId)
    .where('meeting_actions.done_at', 'is', null)
    .where('meetings.status', '!=', 'cancelled')
    .where('meetings.summary_sent_at', 'is not', null)
    .orderBy('meeting_actions.due_on')
    .orderBy('meeting_actions.id')
    .limit(20);
}

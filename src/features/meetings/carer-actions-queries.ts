import type { Db } from '../../db/database.ts';
import type { LocalDate } from '../../db/schema.ts';
import { staffName } from './record-queries.ts';

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

/** The carer's open actions, found by the carer (index meeting_actions_carer: migration 0042, made again in 0045): on every home page of theirs. */
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

/** Who changed a family's tick back (the staff name as families see it: "Mrs Patel"; null if not on the staff list) and when. */
export type ReopenedByStaff = { by: string | null; at: string };

/**
 * The family's actions among these whose latest tick-or-undo was a member of staff changing the
 * family's tick back (carer-actions-staff.ts), read from the audit as the record's other history is
 * (record-queries.ts): the carer's page says so until they tick it again. A tick of theirs, or their
 * own "not done yet" after it, ends it. By action id; only the ones changed back are in the map.
 */
export async function reopenedByStaffOf(db: Db, schoolId: string, actionIds: string[]): Promise<Map<string, ReopenedByStaff>> {
  if (actionIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('audit_log')
    .leftJoin('staff', (j) => j.onRef('staff.id', '=', 'audit_log.actor_id').onRef('staff.school_id', '=', 'audit_log.school_id'))
    .select(['audit_log.entity_id', 'audit_log.action', 'audit_log.actor_kind', 'audit_log.at', 'staff.title', 'staff.family_name'])
    .where('audit_log.school_id', '=', schoolId)
    .where('audit_log.entity', '=', 'meeting_action')
    .where('audit_log.entity_id', 'in', actionIds)
    .where('audit_log.action', 'in', [REOPENED, 'meeting_action.done_by_carer', 'meeting_action.undone_by_carer'])
    .orderBy('audit_log.at')
    .orderBy('audit_log.id')
    .execute();
  const latest = new Map(rows.map((r) => [r.entity_id!, r]));
  const reopened = new Map<string, ReopenedByStaff>();
  for (const [id, r] of latest) {
    if (r.action !== REOPENED) continue;
    reopened.set(id, { by: r.actor_kind === 'staff' && r.family_name ? staffName({ title: r.title, family_name: r.family_name }) : null, at: r.at });
  }
  return reopened;
}

const REOPENED = 'meeting_action.reopened_by_staff';

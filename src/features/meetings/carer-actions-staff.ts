import type { Db } from '../../db/database.ts';
import { audit } from '../../platform/audit/audit.ts';
import { actorOf, type RecordBy } from './record-commands.ts';

/**
 * A member of staff changes a family's tick back to not done: the carer marked it done by mistake, or
 * rang to say it is not done after all. Only a tick the family made (a member of staff's own tick is
 * not undone here), from a record the member of staff may open (the route checks that first, with
 * meetingForRecord). Compare-and-set on the tick they saw: a second press, or a tick the carer undid
 * meanwhile, changes nothing. The audit entry names who undid it and keeps what the family had said.
 *
 * The family's words stay on the action as their latest note on how it is going: they wrote them, and
 * the school does not erase them (the carer sees them in the box again, to change or keep). The lead
 * was told of the first tick once; ticking again later tells nobody (carer-actions.ts's email key).
 */
export async function reopenFamilyTick(db: Db, by: RecordBy, meetingId: string, actionId: string, now: Date): Promise<'reopened' | 'already' | 'missing'> {
  return db.transaction().execute(async (trx) => {
    const action = await trx
      .selectFrom('meeting_actions')
      .select(['id', 'owner_kind', 'done_at', 'done_by_carer_id', 'carer_note', 'carer_note_at'])
      .where('id', '=', actionId)
      .where('meeting_id', '=', meetingId)
      .where('school_id', '=', by.schoolId)
      .executeTakeFirst();
    // The school's own actions, and a family's action nobody ticked, have no family tick to undo.
    if (!action || action.owner_kind !== 'carer') return 'missing' as const;
    if (!action.done_at || !action.done_by_carer_id) return 'already' as const;
    const r = await trx
      .updateTable('meeting_actions')
      // A note from before 0044 was written when they ticked it: that is its date.
      .set({ done_at: null, done_by_carer_id: null, carer_note_at: action.carer_note ? (action.carer_note_at ?? action.done_at) : null })
      .where('id', '=', actionId)
      .where('school_id', '=', by.schoolId)
      .where('done_at', '=', action.done_at)
      .where('done_by_carer_id', '=', action.done_by_carer_id)
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) === 0) return 'already' as const;
    await audit(
      trx,
      actorOf(by),
      {
        schoolId: by.schoolId,
        action: 'meeting_action.reopened_by_staff',
        entity: 'meeting_action',
        entityId: actionId,
        before: { meeting_id: meetingId, done_at: action.done_at, done_by_carer_id: action.done_by_carer_id, note: action.carer_note },
        after: { done_at: null },
      },
      now,
    );
    return 'reopened' as const;
  });
}

import type { Db } from '../../db/database.ts';
import { audit } from '../../platform/audit/audit.ts';
import { newId } from '../../platform/ids.ts';
import { actorOf, type RecordBy } from './record-commands.ts';
import type { NoteInput } from './record.ts';
import { alertSafeguardingLeads } from './safeguarding.ts';

/**
 * Notes of a meeting. A note's words never go into the audit log (the head reads it) or an email;
 * a safeguarding note alerts the DSL and deputies in the same transaction as it is saved.
 * These functions trust the caller to have checked the writer may open the record.
 */
export type NoteContext = { now: Date; baseUrl: string };

export async function recordNote(db: Db, by: RecordBy, meetingId: string, input: NoteInput, ctx: NoteContext): Promise<{ id: string; safeguarding: boolean }> {
  return db.transaction().execute(async (trx) => {
    let id = input.note_id ?? newId();
    const insert = () =>
      trx
        .insertInto('meeting_notes')
        .values({ id, school_id: by.schoolId, meeting_id: meetingId, body: input.body, safeguarding: input.safeguarding, written_by: by.staffId, created_at: ctx.now.toISOString() })
        .onConflict((oc) => oc.column('id').doNothing())
        .executeTakeFirst();
    if (Number((await insert()).numInsertedOrUpdatedRows ?? 0) === 0) {
      const earlier = await trx.selectFrom('meeting_notes').select(['meeting_id', 'body', 'safeguarding', 'written_by']).where('id', '=', id).executeTakeFirstOrThrow();
      // The same form sent again: saved the first time, nothing more to do (or to tell).
      if (earlier.meeting_id === meetingId && earlier.body === input.body && Number(earlier.safeguarding) === input.safeguarding && earlier.written_by === by.staffId) {
        return { id, safeguarding: input.safeguarding === 1 };
      }
      // An old form's id with other words (a page restored from history): a new note, never lost.
      id = newId();
      await insert();
    }
    await audit(
      trx,
      actorOf(by),
      { schoolId: by.schoolId, action: 'meeting_note.added', entity: 'meeting_note', entityId: id, after: { meeting_id: meetingId, safeguarding: input.safeguarding } },
      ctx.now,
    );
    if (input.safeguarding) await alertSafeguardingLeads(trx, by.schoolId, meetingId, id, by.staffId, ctx.now, ctx.baseUrl);
    return { id, safeguarding: input.safeguarding === 1 };
  });
}

/**
 * Mark an earlier note as a safeguarding concern (compare-and-set: once only). From then on only the
 * DSL and deputies see it. 'missing' when the note is not in this meeting.
 */
export async function markNoteSafeguarding(db: Db, by: RecordBy, meetingId: string, noteId: string, ctx: NoteContext): Promise<'marked' | 'already' | 'missing'> {
  return db.transaction().execute(async (trx) => {
    const r = await trx
      .updateTable('meeting_notes')
      .set({ safeguarding: 1 })
      .where('id', '=', noteId)
      .where('meeting_id', '=', meetingId)
      .where('school_id', '=', by.schoolId)
      .where('safeguarding', '=', 0)
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) === 0) {
      const exists = await trx.selectFrom('meeting_notes').select('id').where('id', '=', noteId).where('meeting_id', '=', meetingId).where('school_id', '=', by.schoolId).executeTakeFirst();
      return exists ? 'already' : 'missing';
    }
    await audit(
      trx,
      actorOf(by),
      { schoolId: by.schoolId, action: 'meeting_note.marked_safeguarding', entity: 'meeting_note', entityId: noteId, before: { safeguarding: 0 }, after: { safeguarding: 1, meeting_id: meetingId } },
      ctx.now,
    );
    await alertSafeguardingLeads(trx, by.schoolId, meetingId, noteId, by.staffId, ctx.now, ctx.baseUrl);
    return 'marked';
  });
}

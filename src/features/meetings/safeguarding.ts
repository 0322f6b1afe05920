import type { Db } from '../../db/database.ts';
import { alertStaff, staffWithRoles } from '../../platform/alerts/alerts.ts';
import { auditMany, type Actor } from '../../platform/audit/audit.ts';
import { SAFEGUARDING_ROLES } from './record.ts';

/**
 * Safeguarding first: a note marked as a concern reaches the DSL and deputies at once (in the app
 * and by email) and nobody else reads its words; every reading by the DSL or a deputy is audited.
 * The email says a concern was recorded and where to look: never the words, never the child's name.
 */
export const SAFEGUARDING_ALERT_TITLE = 'A safeguarding concern was recorded in a meeting note';

export const recordLink = (meetingId: string) => `/meetings/${meetingId}/record`;

/**
 * Alert the DSL and deputies, in the caller's transaction (the note and the alert commit together).
 * A DSL or deputy who marked it themselves is not alerted about their own note.
 */
export async function alertSafeguardingLeads(trx: Db, schoolId: string, meetingId: string, noteId: string, markedBy: string, now: Date, baseUrl: string): Promise<string[]> {
  const leads = (await staffWithRoles(trx, schoolId, SAFEGUARDING_ROLES)).filter((id) => id !== markedBy);
  await alertStaff(trx, { schoolId, staffIds: leads, kind: 'safeguarding', title: SAFEGUARDING_ALERT_TITLE, link: recordLink(meetingId), key: `safeguarding-note:${noteId}` }, now, baseUrl);
  return leads;
}

/** The audit shows who saw each safeguarding note, and when: one entry per note per reading. */
export async function auditNoteViews(db: Db, actor: Actor, schoolId: string, meetingId: string, noteIds: string[], now: Date): Promise<void> {
  if (noteIds.length === 0) return;
  await auditMany(
    db,
    actor,
    noteIds.map((id) => ({ schoolId, action: 'meeting_note.viewed', entity: 'meeting_note', entityId: id, after: { meeting_id: meetingId } })),
    now,
  );
}

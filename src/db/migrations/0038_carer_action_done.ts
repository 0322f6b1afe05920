import type { Kysely } from 'kysely';

/**
 * A parent or carer marks an action they agreed to at a meeting as done, with a short note on how it
 * is going (features/meetings/carer-actions.ts). `done_at` stays the one "done" for every list and
 * figure; these say that the family marked it (the carer's id, null when a member of staff did) and
 * what they wrote. "Not done yet" clears all three; the audit log keeps each change.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('meeting_actions').addColumn('done_by_carer_id', 'text').execute();
  await db.schema.alterTable('meeting_actions').addColumn('carer_note', 'text').execute();
}

export async function down(): Promise<void> {
  throw new Error('Gatepost migrations only go forward');
}

import type { Kysely } from 'kysely';

/**
 * A parent or carer can save how their agreed action is going without marking it done
 * (features/meetings/carer-actions.ts): `carer_note` holds their latest words, and this says when
 * they wrote them, so the staff record shows "How it is going (Marta Nowak, 12 November 2026)".
 * Null for a note written before this column (the record then shows the date it was marked done).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('meeting_actions').addColumn('carer_note_at', 'text').execute();
}

export async function down(): Promise<void> {
  throw new Error('Gatepost migrations only go forward');
}

import type { Kysely } from 'kysely';

/**
 * Who interprets at a meeting, beside the language: a professional interpreter, a member of staff, or
 * a family member or friend (features/meetings: a family member or friend never interprets in a
 * safeguarding conversation, and a child never interprets at all). Null: no interpreter, or not yet
 * decided (a family's request).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('meetings').addColumn('interpreter_by', 'text').execute();
}

export async function down(): Promise<void> {
  throw new Error('Gatepost migrations only go forward');
}

import type { Kysely } from 'kysely';

/**
 * Issue 15, consultations:
 * - policies: the policy's document as a file (PDF, Word, OpenDocument or text), stored as the
 *   complaints evidence is (name, type and the bytes in base64 in the row), downloadable by the
 *   consultation's audience.
 * - consultation_comments: a carer edits or withdraws their own comment until the consultation
 *   closes; a withdrawn comment's row is kept (nothing is hard-deleted) but it leaves staff views and counts.
 */
export async function up(db: Kysely<any>): Promise<void> {
  for (const column of ['document_name', 'document_type', 'document_base64']) await db.schema.alterTable('policies').addColumn(column, 'text').execute();
  for (const column of ['edited_at', 'withdrawn_at']) await db.schema.alterTable('consultation_comments').addColumn(column, 'text').execute();
}

export async function down(): Promise<void> {
  throw new Error('Gatepost migrations only go forward');
}

import type { Kysely } from 'kysely';

/**
 * "Pass this to the DSL" (features/safeguarding): words a parent or carer wrote that staff read (a
 * question sent ahead of a meeting, how they say their action after a meeting is going) can hold a
 * disclosure. A report made from beside them keeps the words as they were when passed on (the family
 * may change their note later), and where they came from: the kind of record, its id, the meeting,
 * the carer who wrote them and when. All null for a report made from the menu.
 *
 * Plain columns, no foreign keys: SQLite cannot add a (school_id, x) constraint to a table that
 * exists, and these only say where the words were; the report itself keeps them.
 */
export async function up(db: Kysely<any>): Promise<void> {
  for (const column of ['quote', 'quote_source', 'quote_record_id', 'quote_meeting_id', 'quote_carer_id', 'quote_written_at']) {
    await db.schema.alterTable('dsl_reports').addColumn(column, 'text').execute();
  }
}

export async function down(): Promise<void> {
  throw new Error('Gatepost migrations only go forward');
}

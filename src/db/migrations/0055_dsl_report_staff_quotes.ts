import type { Kysely } from 'kysely';

/**
 * "Pass this to the DSL" beside what staff wrote (features/safeguarding): a safety plan's notes, a
 * buddy match's check-in, an incident or the reason for an arrangement about a carer's behaviour, a
 * staff-only note on a pupil's profile, a volunteer's risk assessment. The report keeps the words as
 * they were (0052's quote columns), the member of staff who wrote them (quote_staff_id, where
 * quote_carer_id names a parent or carer), and the page they were on (quote_link), which for these
 * is not always a meeting's.
 *
 * Plain columns, no foreign keys, as in 0052: they only say where the words were.
 */
export async function up(db: Kysely<any>): Promise<void> {
  for (const column of ['quote_staff_id', 'quote_link']) {
    await db.schema.alterTable('dsl_reports').addColumn(column, 'text').execute();
  }
}

export async function down(): Promise<void> {
  throw new Error('Gatepost migrations only go forward');
}

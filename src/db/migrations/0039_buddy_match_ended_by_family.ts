import type { Kysely } from 'kysely';

/**
 * A family may stop sharing its details with its buddy family at any time, from its own page (consent
 * withdrawn as easily as it was given). `declined_at` keeps saying when the match stopped, as for a
 * lead's withdrawal; this says which family ended it.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('buddy_matches').addColumn('ended_by_carer', 'text').execute();
}

export async function down(): Promise<void> {
  throw new Error('Gatepost migrations only go forward');
}

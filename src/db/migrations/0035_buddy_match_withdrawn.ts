import type { Kysely } from 'kysely';

/**
 * A lead may withdraw a buddy match that is not working. `declined_at` keeps saying when the match
 * stopped (so every "live match" check is unchanged and the newcomer may be matched again); these say
 * who withdrew it and why (the reason stays with the match, out of the audit log).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('buddy_matches').addColumn('withdrawn_by', 'text').execute();
  await db.schema.alterTable('buddy_matches').addColumn('withdrawn_reason', 'text').execute();
}

export async function down(): Promise<void> {
  throw new Error('Gatepost migrations only go forward');
}

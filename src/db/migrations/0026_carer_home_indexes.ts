import type { Kysely } from 'kysely';

/**
 * Issue 12, the carer home page at scale: every carer home page asks for the carer's consultation
 * links, and the only index that served `consultation_invitees` by school and carer was the school's
 * (school, id) key, so the read walked every invitation the school ever sent (each consultation
 * invites every carer in its audience: tens of thousands after a few years). Keyed by school and carer
 * it finds the carer's few rows directly, on both databases.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('consultation_invitees_carer').on('consultation_invitees').columns(['school_id', 'carer_id']).execute();
}

export async function down(): Promise<void> {
  throw new Error('Gatepost migrations only go forward');
}

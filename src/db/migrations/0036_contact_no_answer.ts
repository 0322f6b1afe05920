import type { Kysely } from 'kysely';
import { addSchoolConstraints } from '../constraints.ts';

/**
 * contact_log.kind gains 'no_answer': a call (or a knock at the door) that nobody answered. It is
 * recorded so the school can show its persistence with a family, and it does not count as reaching
 * them (features/messages/family-reach.ts). The CHECK 0008 made is replaced on both databases (SQLite
 * rebuilds the table, keeping its columns, keys and indexes: db/constraints.ts).
 */
export const CONTACT_KINDS = ['phone', 'gate', 'meeting', 'home_visit', 'other', 'no_answer'];

export async function up(db: Kysely<any>): Promise<void> {
  await addSchoolConstraints(db, [{ table: 'contact_log', checks: { kind: CONTACT_KINDS } }]);
}

export async function down(): Promise<void> {
  throw new Error('Gatepost migrations only go forward');
}

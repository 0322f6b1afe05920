import type { Kysely } from 'kysely';

/**
 * Safeguarding first in the contact log (features/messages/contacts.ts): a call, a gate conversation
 * or a home visit whose note is marked "This is a safeguarding concern" alerts the DSL and deputies,
 * and from then on only they read the note (platform/safeguarding). 1 = marked, 0 = not.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('contact_log')
    .addColumn('safeguarding', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
}

export async function down(): Promise<void> {
  throw new Error('Gatepost migrations only go forward');
}

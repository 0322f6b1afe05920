import type { Kysely } from 'kysely';

/**
 * How newsletters and letters reach a carer with a mobile but no email (the school chooses, on
 * /settings/messages): 'paper', a printed copy in the paper pack (the default), or 'text', a text
 * message with a short link that opens the message in Gatepost.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('schools')
    .addColumn('mobile_only_letters', 'text', (c) => c.notNull().defaultTo('paper'))
    .execute();
}

export async function down(): Promise<void> {
  throw new Error('Gatepost migrations only go forward');
}

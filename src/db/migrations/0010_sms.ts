import type { Kysely } from 'kysely';

/**
 * Text message delivery receipts. The provider (Twilio) reports back on each text: `provider_ref`
 * keeps its id for the text (MessageSid), `delivered_at` when the phone received it. A text the
 * network could not deliver becomes `failed` with the reason in `last_error`, as a refused send does.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('outbox').addColumn('provider_ref', 'text').execute();
  await db.schema.alterTable('outbox').addColumn('delivered_at', 'text').execute();
}

export async function down(): Promise<void> {
  throw new Error('Gatepost migrations only go forward');
}

import type { Kysely } from 'kysely';

/**
 * The outbox worker picks the emails (or texts) waiting to go, in the order they fall due. Keyed by
 * channel, status and due time, it finds them directly however many sent rows the outbox keeps,
 * whether or not the database has statistics for the table (src/platform/outbox/outbox.ts, claimDue).
 * It takes the place of (status, due time), which only that pick read: every email written or sent
 * updates each index on the outbox, so one too many is paid for on every send.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('outbox_channel_due').on('outbox').columns(['channel', 'status', 'next_attempt_at']).execute();
  await db.schema.dropIndex('outbox_due').execute();
}

export async function down(): Promise<void> {
  throw new Error('Gatepost migrations only go forward');
}

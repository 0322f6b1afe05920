import type { Kysely } from 'kysely';

/**
 * What /health and the staff banner ask of the outbox, answered from an index however long the
 * outbox grows: the last email (or text) sent, and the oldest one still waiting, per channel.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('outbox_channel_sent').on('outbox').columns(['channel', 'sent_at']).execute();
  await db.schema.createIndex('outbox_channel_waiting').on('outbox').columns(['channel', 'status', 'created_at']).execute();
}

export async function down(): Promise<void> {
  throw new Error('Gatepost migrations only go forward');
}

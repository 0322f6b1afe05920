import type { Kysely } from 'kysely';

/**
 * How many times a parents' evening appointment has been moved to another time ("Change time", by the
 * carer or by the office for them). Calendar files give it as the event's SEQUENCE, so a calendar app
 * that already has the appointment replaces it with the new time instead of keeping the old one.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('evening_bookings')
    .addColumn('moves', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
}

export async function down(): Promise<void> {
  throw new Error('Gatepost migrations only go forward');
}

import type { Kysely } from 'kysely';

/**
 * Issue 12, the booking rush: the booking page asks for the free times of the family's teachers (one
 * to three of the evening's sixty). The only index was (evening, start time), so every page and every
 * lost race walked all the evening's future slots (2,160 at a 2,000-pupil school) to keep those of the
 * family's teachers. Keyed by evening, teacher and start time it finds each teacher's slots directly.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('evening_slots_evening_staff_time').on('evening_slots').columns(['evening_id', 'staff_id', 'starts_at']).execute();
}

export async function down(): Promise<void> {
  throw new Error('Gatepost migrations only go forward');
}

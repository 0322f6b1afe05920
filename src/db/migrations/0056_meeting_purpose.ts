import { sql, type Kysely } from 'kysely';

/**
 * What a meeting is for, when another page arranged it for a reason (features/meetings): 'attendance'
 * when it was arranged from the attendance list's "Offer support: arrange a meeting". The attendance
 * list shows "Meeting arranged" from this, not from a word in the topic (which staff may change).
 * Null for every other meeting, and for every meeting made before this.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('meetings')
    .addColumn('purpose', 'text', (c) => c.check(sql`purpose in ('attendance')`))
    .execute();
}

export async function down(): Promise<void> {
  throw new Error('Gatepost migrations only go forward');
}

import { sql, type Kysely } from 'kysely';

/**
 * The families' agreed actions of a school, by date (features/meetings/family-follow-ups.ts): the
 * head's school-wide overdue list (familyOverdueInSchool) takes the oldest hundred not done and past
 * their date, and a lead's list takes theirs by date; both read every action of every meeting of the
 * school before (the school's actions, a family's, done or not). Partial, on the families' actions only
 * (the school's own are found by staff_id, migration 0004), with its condition written as the queries
 * write it (a literal 'carer'), which both databases need to use it; `id` last, as both sort by it.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('meeting_actions_family_due').on('meeting_actions').columns(['school_id', 'due_on', 'id']).where(sql.ref('owner_kind'), '=', sql.lit('carer')).execute();
}

export async function down(): Promise<void> {
  throw new Error('Gatepost migrations only go forward');
}

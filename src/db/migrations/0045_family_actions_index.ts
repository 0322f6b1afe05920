import { sql, type Kysely } from 'kysely';

/**
 * The families' agreed actions of a school, by date (features/meetings/family-follow-ups.ts): the
 * head's school-wide overdue list (familyOverdueInSchool) takes the oldest hundred not done and past
 * their date, and a lead's list takes theirs by date; before, both read every meeting's lead to find
 * them. Partial, on the families' actions only (the school's own are found by staff_id, migration
 * 0004), with its condition written as the queries write it (a literal 'carer'), which both databases
 * need to use it.
 *
 * A carer's own open actions (features/meetings/carer-actions-queries.ts, on every home page of
 * theirs) are a school's families' actions by date too: with no statistics both databases took this
 * index for them and read every family's actions in the school. So their index (meeting_actions_carer,
 * migration 0042) is made again with the school and the carer in front and `id` last, in the order that
 * statement asks for, and this one stops at the date (its lists put a day's ties in order of id): the
 * carer's index fits their statement better on both databases (carer-actions.test.ts proves it).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('meeting_actions_carer').execute();
  await db.schema.createIndex('meeting_actions_carer').on('meeting_actions').columns(['school_id', 'carer_id', 'due_on', 'id']).execute();
  await db.schema.createIndex('meeting_actions_family_due').on('meeting_actions').columns(['school_id', 'due_on']).where(sql.ref('owner_kind'), '=', sql.lit('carer')).execute();
}

export async function down(): Promise<void> {
  throw new Error('Gatepost migrations only go forward');
}

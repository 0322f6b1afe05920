import type { Kysely } from 'kysely';

/**
 * Safeguarding first in a meeting's record beyond its notes (features/meetings): the outcome and the
 * referral to a senior leader can each be marked "This is a safeguarding concern", when written or
 * afterwards, as a contact note can (0046). Marked: the DSL and deputies are alerted, only they read
 * the words, and a marked outcome never goes to the family. 1 = marked, 0 = not; who marked it and
 * when, for the writer's trace ("You passed the outcome to the DSL on …").
 */
export async function up(db: Kysely<any>): Promise<void> {
  for (const part of ['outcome', 'referral']) {
    await db.schema
      .alterTable('meetings')
      .addColumn(`${part}_safeguarding`, 'integer', (c) => c.notNull().defaultTo(0))
      .execute();
    await db.schema.alterTable('meetings').addColumn(`${part}_marked_by`, 'text').execute();
    await db.schema.alterTable('meetings').addColumn(`${part}_marked_at`, 'text').execute();
  }
}

export async function down(): Promise<void> {
  throw new Error('Gatepost migrations only go forward');
}

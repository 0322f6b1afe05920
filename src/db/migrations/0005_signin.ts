import type { Kysely } from 'kysely';

/**
 * Sign-in limits count guesses, not people. One row per thing being counted (a bucket such as
 * 'password:pair' and its key, e.g. an email address and the network address it came from), updated
 * in place by an upsert: a sign-in that works writes nothing, a wrong guess writes one row per
 * counter, and the table stays as small as the number of guessers. A count starts again at
 * resets_at (its window's end), and the hourly sweep deletes rows past it. It replaces rate_limit_hits,
 * which wrote a row for every attempt (successes too).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('sign_in_counters')
    .addColumn('bucket', 'text', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('count', 'integer', (c) => c.notNull())
    .addColumn('resets_at', 'text', (c) => c.notNull())
    .addColumn('last_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('sign_in_counters_pk', ['bucket', 'key'])
    .execute();
  await db.schema.dropTable('rate_limit_hits').execute();
}

export async function down(): Promise<void> {
  throw new Error('Gatepost migrations only go forward');
}

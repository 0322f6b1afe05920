import { sql, type SelectQueryBuilder } from 'kysely';
import type { Db, Dialect } from './database.ts';
import type { Database } from './schema.ts';
import { prepared } from './prepared.ts';

/**
 * Row locks, the one place that knows how each database takes them. PostgreSQL runs transactions
 * side by side, so a transaction that must not plan from a row another is changing locks it
 * (`for update`); SQLite writes one transaction at a time, so the lock is already held and these do
 * nothing. Features call these and never branch on the dialect themselves (an ESLint rule says so).
 */

/** Lock these rows of `table` (by id) until the transaction ends: PostgreSQL only. */
export async function lockRows(trx: Db, dialect: Dialect, table: keyof Database, ids: readonly string[]): Promise<void> {
  if (dialect !== 'postgres' || ids.length === 0) return;
  await sql`select id from ${sql.table(table)} where id in (${sql.join(ids)}) for update`.execute(trx);
}

/** The same select, locking the rows it reads on PostgreSQL. */
export function lockedOnPostgres<DB, TB extends keyof DB, O>(dialect: Dialect, query: SelectQueryBuilder<DB, TB, O>): SelectQueryBuilder<DB, TB, O> {
  return dialect === 'postgres' ? query.forUpdate() : query;
}

/**
 * The same select, taking only rows no other transaction holds now, and locking them, on PostgreSQL
 * (`for update skip locked`): for a change to many rows that a worker may be changing at the same
 * moment (the outbox), which must not wait for it (the two could each wait for a row the other holds,
 * and PostgreSQL ends one of them: a deadlock). The rows skipped are the other's to finish. SQLite:
 * every row, as its one writer at a time waits for no one.
 */
export function skippingRowsInUse<DB, TB extends keyof DB, O>(db: Db, query: SelectQueryBuilder<DB, TB, O>): SelectQueryBuilder<DB, TB, O> {
  return db.getExecutor().adapter.constructor.name.startsWith('Postgres') ? query.forUpdate().skipLocked() : query;
}

/**
 * A prepared select (see prepared.ts) that locks the rows it reads on PostgreSQL: `for update`, or
 * with `lock`, `for update` of the tables in `update` and `for share` of those in `share` (a share
 * lock lets transactions that only need a row to stay as it is run side by side, while one that changes
 * the row waits for them, and they for it). Both forms are compiled once and kept, so a booking rush
 * never rebuilds them.
 */
export function preparedLockedOnPostgres<K extends string, TB extends keyof Database, O, V extends Record<K, string | readonly string[]> = Record<K, string>>(
  keys: readonly K[],
  build: (db: Db, values: V) => SelectQueryBuilder<Database, TB, O>,
  lock?: { update?: readonly TB[]; share: readonly TB[] },
): (trx: Db, dialect: Dialect, values: V) => Promise<O[]> {
  const read = prepared(keys, build);
  const locked = prepared(keys, (db, values: V) => {
    const query = build(db, values);
    if (!lock) return query.forUpdate();
    return (lock.update?.length ? query.forUpdate([...lock.update]) : query).forShare([...lock.share]);
  });
  return (trx, dialect, values) => (dialect === 'postgres' ? locked : read)(trx, values);
}

/**
 * Whether this database writes one transaction at a time (SQLite): then nothing another writer does
 * can come between two reads in a write transaction, so a feature may read together, in one
 * statement, what on PostgreSQL it must read after taking its row locks.
 */
export function writersTakeTurns(dialect: Dialect): boolean {
  return dialect === 'sqlite';
}

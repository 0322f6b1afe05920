import { sql, type CompiledQuery } from 'kysely';
import type { Db } from './database.ts';

/**
 * How the database would run a statement, one line per step, without running it (SQLite's
 * `explain query plan`, PostgreSQL's `explain`). For tests that a hot statement finds its rows
 * from an index however large the table grows.
 */
export async function queryPlan(db: Db, query: CompiledQuery): Promise<string[]> {
  const postgres = db.getExecutor().adapter.constructor.name.startsWith('Postgres');
  const explained = { ...query, sql: `${postgres ? 'explain' : 'explain query plan'} ${query.sql}` };
  const { rows } = await db.executeQuery<Record<string, unknown>>(explained as CompiledQuery<Record<string, unknown>>);
  return rows.map((r) => String(postgres ? r['QUERY PLAN'] : r['detail']));
}

/**
 * The plan as the database makes it knowing nothing of the tables' sizes, so that a test on a small
 * table shows whether an index serves the statement: SQLite as it is (it gathers no statistics
 * unless asked); PostgreSQL told to take an index wherever one can serve (`enable_seqscan` off for
 * this transaction), so a sequential scan left in its plan means that no index can.
 */
export async function planWithoutStatistics(db: Db, query: CompiledQuery): Promise<string[]> {
  return db.transaction().execute(async (trx) => {
    if (trx.getExecutor().adapter.constructor.name.startsWith('Postgres')) await sql`set local enable_seqscan = off`.execute(trx);
    return queryPlan(trx, query);
  });
}

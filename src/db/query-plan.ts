import type { CompiledQuery } from 'kysely';
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

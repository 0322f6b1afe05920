import { sql } from 'kysely';
import type { Db, Dialect } from '../../src/db/database.ts';

/**
 * The row count of each of these tables, in one round trip: what a test compares before and after a
 * request to tell whether it wrote anything. On PostgreSQL the query (a hundred and more subqueries)
 * took far longer to plan than to run, ten milliseconds and more each time, so there it lives in a
 * PL/pgSQL function in the test's own schema, whose plan is made once and kept.
 */
export async function rowCounter(db: Db, dialect: Dialect, tables: string[]): Promise<() => Promise<Record<string, number>>> {
  const counts = sql<Record<string, number | string>>`select ${sql.join(tables.map((name) => sql`(select count(*) from ${sql.table(name)}) as ${sql.ref(name)}`))}`;
  const numbers = (row: Record<string, number | string>) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, Number(v)]));
  if (dialect !== 'postgres') return async () => numbers((await counts.execute(db)).rows[0]!);
  const compiled = counts.compile(db);
  if (compiled.parameters.length) throw new Error('The row counts take no parameters');
  const name = `gatepost_row_counts_${Math.random().toString(36).slice(2, 8)}`;
  await sql.raw(`create function ${name}() returns json language plpgsql as $body$ begin return (select row_to_json(c) from (${compiled.sql}) c); end $body$`).execute(db);
  const call = sql<{ counts: Record<string, number | string> }>`select ${sql.raw(name)}() as counts`;
  return async () => numbers((await call.execute(db)).rows[0]!.counts);
}

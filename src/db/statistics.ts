import { sql } from 'kysely';
import type { Db } from './database.ts';
import type { Database } from './schema.ts';

/**
 * PostgreSQL plans each query from its statistics about the tables (how many rows, how values are
 * spread). Autovacuum gathers them in the background, a minute or more after a table changes, and
 * not at all where it is turned off. Without them the planner guesses: on a booking rush's tables it
 * read every live booking of the school to find one family's (1.1 ms a booking page instead of
 * 0.02), and every family, free-times and chosen-slots read ran two to ten times slower. So Gatepost
 * gathers them itself when it knows a table has just changed a lot or has never been measured.
 * SQLite keeps no statistics unless asked and plans well without them: nothing is done there.
 */
const isPostgres = (db: Db) => db.getExecutor().adapter.constructor.name.startsWith('Postgres');

/** Gather PostgreSQL's statistics for these tables now (tens of milliseconds for an evening's slots). */
export async function refreshStatistics(db: Db, tables: readonly (keyof Database)[]): Promise<void> {
  if (!isPostgres(db) || tables.length === 0) return;
  await sql`analyze ${sql.join(tables.map((t) => sql.table(t)))}`.execute(db);
}

/**
 * At start-up: gather statistics for every table of Gatepost's schema that PostgreSQL has never
 * measured (a database loaded or restored where autovacuum is off or has not come round yet). The
 * tables it has measured are left to autovacuum. Returns the tables measured.
 */
export async function measureUnmeasuredTables(db: Db): Promise<string[]> {
  if (!isPostgres(db)) return [];
  const { rows } = await sql<{ relname: string }>`
    select relname from pg_stat_user_tables
    where schemaname = current_schema() and last_analyze is null and last_autoanalyze is null
    order by relname`.execute(db);
  if (rows.length === 0) return [];
  await sql`analyze ${sql.join(rows.map((r) => sql.id(r.relname)))}`.execute(db);
  return rows.map((r) => r.relname);
}

/** How many rows PostgreSQL's planner thinks the table has (-1: never measured); null on SQLite. */
export async function plannerRowCount(db: Db, table: keyof Database): Promise<number | null> {
  if (!isPostgres(db)) return null;
  const { rows } = await sql<{ n: number }>`select reltuples as n from pg_class where oid = ${table}::regclass`.execute(db);
  return Number(rows[0]!.n);
}

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
 * SQLite keeps no statistics unless asked, and without them guessed wrong too: to find three chosen
 * slots by id it walked all 2,160 of the evening's slots (4 ms a booking instead of 0.05), because an
 * equality on evening_id looked better than an IN on the primary key. So the same is done there
 * (`analyze`, and `pragma optimize` at start-up, as SQLite recommends for long-lived connections).
 */
const isPostgres = (db: Db) => db.getExecutor().adapter.constructor.name.startsWith('Postgres');

/** Gather PostgreSQL's statistics for these tables now (tens of milliseconds for an evening's slots). */
export async function refreshStatistics(db: Db, tables: readonly (keyof Database)[]): Promise<void> {
  if (tables.length === 0) return;
  if (isPostgres(db)) await sql`analyze ${sql.join(tables.map((t) => sql.table(t)))}`.execute(db);
  else for (const t of tables) await sql`analyze ${sql.table(t)}`.execute(db);
}

/**
 * At start-up: gather statistics for every table of Gatepost's schema that PostgreSQL has never
 * measured (a database loaded or restored where autovacuum is off or has not come round yet). The
 * tables it has measured are left to autovacuum. Returns the tables measured. On SQLite,
 * `pragma optimize` measures the tables never measured or much changed since (a table with no rows
 * is left unmeasured, so the planner does not take an empty table's figures for a full one's).
 */
export async function measureUnmeasuredTables(db: Db): Promise<string[]> {
  if (!isPostgres(db)) {
    const before = await measuredSqliteTables(db);
    await sql`pragma analysis_limit = 1000`.execute(db);
    await sql`pragma optimize = 0x10002`.execute(db);
    const after = await measuredSqliteTables(db);
    return [...after].filter((t) => !before.has(t)).sort();
  }
  const { rows } = await sql<{ relname: string }>`
    select relname from pg_stat_user_tables
    where schemaname = current_schema() and last_analyze is null and last_autoanalyze is null
    order by relname`.execute(db);
  if (rows.length === 0) return [];
  await sql`analyze ${sql.join(rows.map((r) => sql.id(r.relname)))}`.execute(db);
  return rows.map((r) => r.relname);
}

/**
 * PostgreSQL, while the server runs: measure again the tables that changed by more than autovacuum's
 * own rule for gathering statistics (50 rows and a tenth of the table) since they were last measured.
 * Autovacuum gets to it a minute or more later, or never where it is turned off; meanwhile the planner
 * takes a table that filled in minutes (an evening's bookings at 18:00) for the nearly empty table it
 * last measured, and walks all of it for one family's appointments (a booking rush on a new school did
 * so four times a request). A plan PostgreSQL kept is made again once a table is measured. Returns
 * the tables measured; on SQLite, none (see measureUnmeasuredTables).
 */
export async function measureChangedTables(db: Db): Promise<string[]> {
  if (!isPostgres(db)) return [];
  const { rows } = await sql<{ relname: string }>`
    select s.relname from pg_stat_user_tables s join pg_class c on c.oid = s.relid
    where s.schemaname = current_schema() and s.n_mod_since_analyze > 50 + 0.1 * greatest(c.reltuples, 0)
    order by s.relname`.execute(db);
  if (rows.length === 0) return [];
  await sql`analyze ${sql.join(rows.map((r) => sql.id(r.relname)))}`.execute(db);
  return rows.map((r) => r.relname);
}

/**
 * PostgreSQL: measure every table of Gatepost's schema now, after loading a whole school at once (the
 * demo school): the tables were measured empty, and a page read in the same minute would be planned as
 * if they still were (the door register of the demo's coffee morning took 6 to 9 seconds instead of
 * 15 ms). Nothing on SQLite (see measureUnmeasuredTables).
 */
export async function measureEveryTable(db: Db): Promise<void> {
  if (!isPostgres(db)) return;
  const { rows } = await sql<{ relname: string }>`select relname from pg_stat_user_tables where schemaname = current_schema() order by relname`.execute(db);
  if (rows.length > 0) await sql`analyze ${sql.join(rows.map((r) => sql.id(r.relname)))}`.execute(db);
}

/** How many rows PostgreSQL's planner thinks the table has (-1: never measured); null on SQLite. */
export async function plannerRowCount(db: Db, table: keyof Database): Promise<number | null> {
  if (!isPostgres(db)) return null;
  const { rows } = await sql<{ n: number }>`select reltuples as n from pg_class where oid = ${table}::regclass`.execute(db);
  return Number(rows[0]!.n);
}

async function measuredSqliteTables(db: Db): Promise<Set<string>> {
  const { rows: exists } = await sql<{ n: number }>`select count(*) as n from sqlite_master where name = 'sqlite_stat1'`.execute(db);
  if (Number(exists[0]!.n) === 0) return new Set();
  const { rows } = await sql<{ tbl: string }>`select distinct tbl from sqlite_stat1`.execute(db);
  return new Set(rows.map((r) => r.tbl));
}

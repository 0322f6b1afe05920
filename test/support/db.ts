import { sql, type Insertable } from 'kysely';
import pg from 'pg';
import { migratedSchemaScript, TEMPLATE_MARK } from './pg-template.ts';
import { openDatabase, migrateToLatest, type DatabaseTarget, type Db, type Dialect } from '../../src/db/database.ts';
import type { SchoolTable } from '../../src/db/schema.ts';

/**
 * A fresh, migrated database per test file on each dialect. SQLite runs in memory; PostgreSQL gets
 * its own schema (so files run in parallel) on TEST_DATABASE_URL. Under CI=true an unreachable
 * PostgreSQL fails the run instead of being skipped.
 */
export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

async function postgresReachable(): Promise<boolean> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('select 1');
    return true;
  } catch (error) {
    if (process.env.CI === 'true') {
      throw new Error(`PostgreSQL is required under CI=true but ${TEST_DATABASE_URL} is unreachable: ${String(error)}`);
    }
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

const pgUp = await postgresReachable();
if (!pgUp) console.warn(`PostgreSQL tests skipped: ${TEST_DATABASE_URL} is unreachable (they never skip under CI=true)`);

/** The dialects every data-layer test runs on. */
export const dialects: Dialect[] = pgUp ? ['sqlite', 'postgres'] : ['sqlite'];

/** `target`: how another process opens the same database (SQLite in memory has none to share). */
export type TestDb = { db: Db; dialect: Dialect; target: DatabaseTarget; close: () => Promise<void> };

export async function openTestDb(dialect: Dialect): Promise<TestDb> {
  if (dialect === 'sqlite') {
    const target = { kind: 'sqlite' as const, path: ':memory:' };
    const opened = openDatabase(target);
    await migrateToLatest(opened.db);
    return { ...opened, target };
  }
  // t_<run>_<random>: the run's id lets global-setup drop this run's schemas and leave another run's alone.
  const schema = `t_${process.env.GATEPOST_TEST_RUN ?? Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await admin.connect();
  try {
    // The migrated schema, copied in one round trip: migrating each test file's schema took a second or more.
    await admin.query((await migratedSchemaScript(TEST_DATABASE_URL)).replaceAll(TEMPLATE_MARK, schema));
  } finally {
    await admin.end();
  }
  const target = { kind: 'postgres' as const, url: TEST_DATABASE_URL, searchPath: schema };
  const opened = openDatabase(target);
  return {
    db: opened.db,
    dialect,
    target,
    // The schema itself is dropped after the whole run (test/support/global-setup.ts).
    close: () => opened.close(),
  };
}

/**
 * The tables of this test's own database: on PostgreSQL only its schema (Kysely's introspection
 * lists every schema, and other test files' schemas exist side by side), without Kysely's own.
 */
export async function ownTables(db: Db): Promise<string[]> {
  const all = await db.introspection.getTables();
  const schema = await currentSchema(db);
  return all
    .filter((t) => schema === undefined || t.schema === schema)
    .map((t) => t.name)
    .filter((name) => !name.startsWith('kysely_'));
}

/** The PostgreSQL schema a test database lives in; undefined on SQLite. */
export async function currentSchema(db: Db): Promise<string | undefined> {
  const schemas = (await db.introspection.getTables()).some((t) => t.schema !== undefined);
  return schemas ? (await sql<{ s: string }>`select current_schema() as s`.execute(db)).rows[0]!.s : undefined;
}

/** A school row for the data-layer tests (URN = id), with any column overridden. */
export function schoolRow(id: string, name: string, more: Partial<Insertable<SchoolTable>> = {}): Insertable<SchoolTable> {
  return { id, name, urn: id, phase: 'primary', time_zone: 'Europe/London', colour: '#1d70b8', teachers_see_all_pupils: 0, created_at: '2026-12-01T00:00:00.000Z', ...more };
}

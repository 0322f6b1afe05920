import pg from 'pg';
import { Migrator, sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { dialects, openTestDb, TEST_DATABASE_URL } from './support/db.ts';
import { makeFixture } from './support/fixture.ts';
import { MIGRATIONS, migrateToLatest, openDatabase, type Db } from '../src/db/database.ts';
import { describeSchema } from '../src/db/constraints.ts';

/**
 * Migration 0008 was numbered before 0009–0011 but written after them: a school's database that
 * already ran 0009–0011 runs 0008 last. It must keep every row and end with exactly the schema a
 * new database gets (0008 before 0009). Migrations written after 0008 (0012 on) were never run
 * without it: such a database runs them after 0008.
 */
const LATER = '0008_tenancy';
const WRITTEN_AFTER = '0012';

/** Row counts of this database's tables (on PostgreSQL, of its own schema: other tests' schemas are listed too). */
async function countsOf(db: Db, schema?: string): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of await db.introspection.getTables()) {
    if (table.name.startsWith('kysely_') || (schema && table.schema !== schema)) continue;
    const row = await db
      .selectFrom(table.name as 'pupils')
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow();
    counts[table.name] = Number(row.n);
  }
  return counts;
}

describe.each(dialects)('migration 0008 on a database that already has the later migrations, on %s', (dialect) => {
  it('keeps every row and ends with the schema a new database has', async () => {
    let schema: string | undefined;
    if (dialect === 'postgres') {
      schema = `t_${process.env.GATEPOST_TEST_RUN ?? Date.now().toString(36)}_old${Math.random().toString(36).slice(2, 6)}`;
      const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
      await admin.connect();
      await admin.query(`create schema ${schema}`);
      await admin.end();
    }
    const old = openDatabase(dialect === 'sqlite' ? { kind: 'sqlite', path: ':memory:' } : { kind: 'postgres', url: TEST_DATABASE_URL, searchPath: schema });
    const fresh = await openTestDb(dialect);
    try {
      const before = Object.fromEntries(Object.entries(MIGRATIONS).filter(([name]) => name !== LATER && name < WRITTEN_AFTER));
      const migrator = new Migrator({ db: old.db, provider: { getMigrations: async () => before }, ...(schema ? { migrationTableSchema: schema } : {}) });
      const result = await migrator.migrateToLatest();
      expect(result.error).toBeUndefined();
      await makeFixture(old.db);
      const rows = await countsOf(old.db, schema);

      await migrateToLatest(old.db, schema);
      const ran = await sql<{ name: string }>`select name from kysely_migration order by timestamp, name`.execute(old.db);
      const now = ran.rows.map((r) => r.name).slice(Object.keys(before).length);
      expect(now).toEqual(Object.keys(MIGRATIONS).filter((name) => name === LATER || name >= WRITTEN_AFTER));
      const after = await countsOf(old.db, schema);
      expect(Object.fromEntries(Object.keys(rows).map((table) => [table, after[table]]))).toEqual(rows);
      expect(Object.keys(after).filter((table) => !(table in rows) && after[table] !== 0)).toEqual([]); // tables made since are new and empty
      const upgraded = await describeSchema(old.db);
      expect(upgraded.filter((line) => line.includes('school_fk') || line.includes('FOREIGN KEY (school_id, pupil_id)') || line.includes('fk1 pupil_id')).length).toBeGreaterThan(3);
      expect(upgraded).toEqual(await describeSchema(fresh.db));
    } finally {
      await old.close();
      await fresh.close();
    }
  });
});

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
 * new database gets (0008 before 0009).
 */
const LATER = '0008_tenancy';
/** The last migration a school could have run before 0008 existed; later ones run after 0008 anyway. */
const RAN_BEFORE = '0011_outbox';

/** Rows per table (on PostgreSQL, in `schema` only: introspection lists every test's schema). */
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
      const before = Object.fromEntries(Object.entries(MIGRATIONS).filter(([name]) => name !== LATER && name <= RAN_BEFORE));
      const migrator = new Migrator({ db: old.db, provider: { getMigrations: async () => before }, ...(schema ? { migrationTableSchema: schema } : {}) });
      const result = await migrator.migrateToLatest();
      expect(result.error).toBeUndefined();
      await makeFixture(old.db);
      const rows = await countsOf(old.db, schema);

      await migrateToLatest(old.db, schema);
      const ran = await sql<{ name: string }>`select name from kysely_migration order by timestamp, name`.execute(old.db);
      expect(ran.rows.map((r) => r.name).slice(Object.keys(before).length)[0]).toBe(LATER);
      const after = await countsOf(old.db, schema);
      expect(Object.fromEntries(Object.keys(rows).map((table) => [table, after[table]]))).toEqual(rows);
      const upgraded = await describeSchema(old.db);
      expect(upgraded.filter((line) => line.includes('school_fk') || line.includes('FOREIGN KEY (school_id, pupil_id)') || line.includes('fk1 pupil_id')).length).toBeGreaterThan(3);
      expect(upgraded).toEqual(await describeSchema(fresh.db));
    } finally {
      await old.close();
      await fresh.close();
    }
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import pg from 'pg';
import { dialects, openTestDb, schoolRow, TEST_DATABASE_URL, type TestDb } from '../../test/support/db.ts';
import { prepared } from './prepared.ts';

/** Reads whose plan PostgreSQL keeps (named statements): right answers for every call, on both databases. */
describe.each(dialects)('kept plans (%s)', (dialect) => {
  let t: TestDb;
  const byName = prepared(['name'], (db, q) => db.selectFrom('schools').select('id').where('name', '=', q.name), { keepPlan: true });
  const byUrn = prepared(['urn'], (db, q) => db.selectFrom('schools').select('name').where('urn', '=', q.urn));
  beforeAll(async () => {
    t = await openTestDb(dialect);
    await t.db
      .insertInto('schools')
      .values([schoolRow('k1', 'Ash'), schoolRow('k2', 'Birch'), schoolRow('k3', 'Cedar')])
      .execute();
  });
  afterAll(() => t.close());

  it('answers each call with its own values, also after PostgreSQL has kept a plan (from the sixth run)', async () => {
    const names = ['Ash', 'Birch', 'Cedar', 'Nowhere'];
    const ids: Record<string, string[]> = { Ash: ['k1'], Birch: ['k2'], Cedar: ['k3'], Nowhere: [] };
    for (let i = 0; i < 16; i++) {
      const name = names[i % names.length]!;
      expect((await byName(t.db, { name })).map((r) => r.id)).toEqual(ids[name]);
    }
  });

  it.runIf(dialect === 'postgres')('sends a kept read as a named statement on PostgreSQL, and other reads unnamed', async () => {
    const statements = await t.db.transaction().execute(async (trx) => {
      await byName(trx, { name: 'Ash' });
      await byUrn(trx, { urn: 'k1' });
      return (await sql<{ statement: string }>`select statement from pg_prepared_statements`.execute(trx)).rows.map((r) => r.statement);
    });
    expect(statements.some((s) => s.includes('from "schools" where "name" = $1'))).toBe(true);
    expect(statements.some((s) => s.includes('"urn" = $1'))).toBe(false);
  });

  it.runIf(dialect === 'postgres')('prepares a kept read again on a new connection when PostgreSQL ended the old one', async () => {
    const pid = await t.db.transaction().execute(async (trx) => {
      await byName(trx, { name: 'Ash' });
      return (await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(trx)).rows[0]!.pid;
    });
    const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await admin.connect();
    await admin.query('select pg_terminate_backend($1)', [pid]);
    await admin.end();
    await new Promise((r) => setTimeout(r, 200));
    for (let i = 0; i < 12; i++) expect(await byName(t.db, { name: 'Birch' })).toEqual([{ id: 'k2' }]);
  });
});

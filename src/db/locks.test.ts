import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { dialects, openTestDb, type TestDb } from '../../test/support/db.ts';
import { newId } from '../platform/ids.ts';
import { lockedOnPostgres, lockRows, preparedLockedOnPostgres } from './locks.ts';

/**
 * Row locks: on PostgreSQL a second transaction cannot take a row the first has locked (asked with
 * NOWAIT, so the test never waits); on SQLite, which writes one transaction at a time, they do nothing.
 */
describe.each(dialects)('row locks on %s', (dialect) => {
  let t: TestDb;
  const school = newId();
  beforeAll(async () => {
    t = await openTestDb(dialect);
    await t.db
      .insertInto('schools')
      .values({ id: school, name: 'Locks', urn: '7', phase: 'primary', time_zone: 'Europe/London', colour: '#005ea5', teachers_see_all_pupils: 0, created_at: new Date().toISOString() })
      .execute();
  });
  afterAll(async () => t?.close());

  /** Inside a transaction that has run `lock`, can another transaction lock the school's row? */
  async function othersCanLock(lock: (trx: TestDb['db']) => Promise<unknown>): Promise<boolean> {
    if (dialect === 'sqlite') {
      await t.db.transaction().execute(async (trx) => lock(trx));
      return true;
    }
    let outcome = true;
    await t.db.transaction().execute(async (trx) => {
      await lock(trx);
      outcome = await t.db
        .transaction()
        .execute(async (other) => sql`select id from schools where id = ${school} for update nowait`.execute(other))
        .then(
          () => true,
          (error: { code?: string }) => (error.code === '55P03' ? false : Promise.reject(error)),
        );
    });
    return outcome;
  }

  it('lockRows holds the rows until the transaction ends (PostgreSQL) and is harmless on SQLite', async () => {
    expect(await othersCanLock((trx) => lockRows(trx, dialect, 'schools', [school]))).toBe(dialect === 'sqlite');
    expect(await othersCanLock(async () => undefined)).toBe(true);
  });

  it('lockedOnPostgres and the prepared form read the same rows and lock them on PostgreSQL', async () => {
    const read = (trx: TestDb['db']) => lockedOnPostgres(dialect, trx.selectFrom('schools').select('name').where('id', '=', school)).execute();
    expect(await othersCanLock(async (trx) => expect(await read(trx)).toEqual([{ name: 'Locks' }]))).toBe(dialect === 'sqlite');
    const names = preparedLockedOnPostgres(['ids'], (db, q: { ids: readonly string[] }) => db.selectFrom('schools').select('name').where('id', 'in', q.ids));
    expect(await othersCanLock(async (trx) => expect(await names(trx, dialect, { ids: [school] })).toEqual([{ name: 'Locks' }]))).toBe(dialect === 'sqlite');
  });
});

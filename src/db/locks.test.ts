import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { dialects, openTestDb, type TestDb } from '../../test/support/db.ts';
import { newId } from '../platform/ids.ts';
import { lockedOnPostgres, lockRows, preparedLockedOnPostgres, skippingRowsInUse } from './locks.ts';

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

  it('skippingRowsInUse changes every row but those another transaction holds, without waiting for it (the demo marking its emails sent while a worker claims one)', async () => {
    const at = new Date().toISOString();
    const ids = [newId(), newId(), newId()];
    await t.db
      .insertInto('outbox')
      .values(
        ids.map((id) => ({
          id,
          school_id: school,
          channel: 'email' as const,
          idempotency_key: `skip:${id}`,
          recipient: 'someone@example.test',
          payload_json: '{}',
          status: 'pending' as const,
          attempts: 0,
          next_attempt_at: at,
          claimed_until: null,
          last_error: null,
          created_at: at,
          sent_at: null,
          ref: null,
          provider_ref: null,
          delivered_at: null,
        })),
      )
      .execute();
    const markSent = () =>
      t.db
        .updateTable('outbox')
        .set({ status: 'sent', sent_at: at })
        .where('id', 'in', skippingRowsInUse(t.db, t.db.selectFrom('outbox').select('id').where('school_id', '=', school).where('status', '=', 'pending')))
        .where('status', '=', 'pending')
        .execute();
    if (dialect === 'postgres') {
      // A worker's transaction holds the first row; the change goes on without it (a wait here would hang the test).
      await t.db.transaction().execute(async (worker) => {
        await sql`select id from outbox where id = ${ids[0]} for update`.execute(worker);
        await markSent();
      });
    } else await markSent();
    const status = Object.fromEntries((await t.db.selectFrom('outbox').select(['id', 'status']).where('id', 'in', ids).execute()).map((r) => [r.id, r.status]));
    expect(status).toEqual({ [ids[0]!]: dialect === 'postgres' ? 'pending' : 'sent', [ids[1]!]: 'sent', [ids[2]!]: 'sent' });
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDb, type TestDb } from '../../test/support/db.ts';
import { newId } from '../platform/ids.ts';
import { groupCommit } from './group-commit.ts';

/** Group commit on SQLite: bookings arriving together share a transaction, each in its own savepoint. */
describe('group commit on sqlite', () => {
  let t: TestDb;
  const school = newId();
  beforeAll(async () => {
    t = await openTestDb('sqlite');
    await t.db
      .insertInto('schools')
      .values({ id: school, name: 'Batch', urn: '9', phase: 'primary', time_zone: 'Europe/London', colour: '#005ea5', teachers_see_all_pupils: 0, created_at: new Date().toISOString() })
      .execute();
  });
  afterAll(async () => t?.close());
  const names = async () => (await t.db.selectFrom('carer_groups').select('name').where('school_id', '=', school).orderBy('name').execute()).map((r) => r.name);

  it('writes work that arrives together in one go, and a failure undoes only its own part', async () => {
    const add = (name: string) =>
      groupCommit(t.db, async (trx) => {
        await trx.insertInto('carer_groups').values({ id: newId(), school_id: school, name }).execute();
        return name;
      });
    const first = add('PTA');
    const failing = groupCommit(t.db, async (trx) => {
      await trx.insertInto('carer_groups').values({ id: newId(), school_id: school, name: 'Half-written' }).execute();
      await trx.insertInto('carer_groups').values({ id: newId(), school_id: school, name: 'PTA' }).execute(); // the same name twice: unique violation
      return 'never';
    });
    const results = await Promise.allSettled([first, failing, add('Readers')]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(await names()).toEqual(['PTA', 'Readers']);
  });

  it('answers each caller with its own result once everything is written, batch after batch', async () => {
    const many = await Promise.all(
      Array.from({ length: 150 }, (_, i) =>
        groupCommit(t.db, async (trx) => {
          await trx
            .insertInto('carer_groups')
            .values({ id: newId(), school_id: school, name: `Group ${String(i).padStart(3, '0')}` })
            .execute();
          return i;
        }),
      ),
    );
    expect(many).toEqual(Array.from({ length: 150 }, (_, i) => i));
    expect((await names()).filter((n) => n.startsWith('Group '))).toHaveLength(150);
  });
});

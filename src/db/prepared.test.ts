import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dialects, openTestDb, schoolRow, type TestDb } from '../../test/support/db.ts';
import { prepared } from './prepared.ts';

/** Queries compiled once and run again with new values, lists included, on both databases. */
describe.each(dialects)('prepared queries (%s)', (dialect) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await openTestDb(dialect);
    await t.db
      .insertInto('schools')
      .values([schoolRow('s1', 'Ash'), schoolRow('s2', 'Birch'), schoolRow('s3', 'Cedar')])
      .execute();
  });
  afterAll(() => t.close());

  it('runs with each call’s own values, not the first call’s', async () => {
    const byName = prepared(['name'], (db, q) => db.selectFrom('schools').select('id').where('name', '=', q.name));
    expect(await byName(t.db, { name: 'Ash' })).toEqual([{ id: 's1' }]);
    expect(await byName(t.db, { name: 'Birch' })).toEqual([{ id: 's2' }]);
    expect(await byName(t.db, { name: 'Nowhere' })).toEqual([]);
  });

  it('takes lists of any length, and fixed values written in the query', async () => {
    const named = prepared(['ids', 'not'], (db, q: { ids: readonly string[]; not: string }) =>
      db.selectFrom('schools').select('name').where('id', 'in', q.ids).where('name', '!=', q.not).where('colour', '=', '#1d70b8').orderBy('name'),
    );
    expect(await named(t.db, { ids: ['s3', 's1'], not: 'Birch' })).toEqual([{ name: 'Ash' }, { name: 'Cedar' }]);
    expect(await named(t.db, { ids: ['s2'], not: 'Ash' })).toEqual([{ name: 'Birch' }]);
    expect(await named(t.db, { ids: ['s1', 's2', 's3'], not: 'Ash' })).toEqual([{ name: 'Birch' }, { name: 'Cedar' }]);
    expect(await named(t.db, { ids: ['s2', 's3'], not: 'Cedar' })).toEqual([{ name: 'Birch' }]);
  });

  it('refuses a value used inside another value', async () => {
    const like = prepared(['name'], (db, q) => db.selectFrom('schools').select('id').where('name', 'like', `${q.name}%`));
    await expect(like(t.db, { name: 'A' })).rejects.toThrow(/whole parameters/);
  });
});

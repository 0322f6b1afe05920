import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { dialects, openTestDb, schoolRow, type TestDb } from '../../test/support/db.ts';
import { insertInChunks, insertTogether } from './insert-in-chunks.ts';
import { isUniqueViolation } from './database.ts';

/** Inserts whose statement is compiled once per shape write each call's own values, on both databases. */
describe.each(dialects)('inserting rows (%s)', (dialect) => {
  let t: TestDb;
  const names = async () => (await t.db.selectFrom('schools').select(['id', 'name', 'colour']).orderBy('id').execute()).map((r) => `${r.id}:${r.name}:${r.colour}`);
  beforeAll(async () => {
    t = await openTestDb(dialect);
  });
  afterAll(() => t.close());

  it('writes each call’s rows, however often the same shape comes again', async () => {
    await insertInChunks(t.db, 'schools', [schoolRow('a1', 'Ash'), schoolRow('a2', 'Birch')]);
    await insertInChunks(t.db, 'schools', [schoolRow('a3', 'Cedar'), schoolRow('a4', 'Damson', { colour: '#00703c' })]);
    await insertInChunks(t.db, 'schools', [schoolRow('a5', 'Elm')]);
    // A value that is not plain (SQL) takes Kysely's own path.
    await insertInChunks(t.db, 'schools', [{ ...schoolRow('a6', 'Fir'), name: sql<string>`${'F'} || ${'ir tree'}` as unknown as string }]);
    expect(await names()).toEqual(['a1:Ash:#1d70b8', 'a2:Birch:#1d70b8', 'a3:Cedar:#1d70b8', 'a4:Damson:#00703c', 'a5:Elm:#1d70b8', 'a6:Fir tree:#1d70b8']);
  });

  it('skips a row whose key is already there when asked to', async () => {
    await insertInChunks(t.db, 'schools', [schoolRow('a1', 'Again'), schoolRow('a7', 'Gean')], { onConflictDoNothing: 'id' });
    await insertInChunks(t.db, 'schools', [schoolRow('a8', 'Hazel'), schoolRow('a1', 'Again')], { onConflictDoNothing: 'id' });
    expect(await names()).toContain('a1:Ash:#1d70b8');
    expect(await names()).toContain('a7:Gean:#1d70b8');
    expect(await names()).toContain('a8:Hazel:#1d70b8');
    await expect(insertInChunks(t.db, 'schools', [schoolRow('a1', 'Again')])).rejects.toThrow();
  });

  it('writes rows for several tables together, a child row with its new parent, all or nothing', async () => {
    const cls = (id: string, schoolId: string) => ({ id, school_id: schoolId, name: `3 ${id}`, year_group: '3' as const, archived_at: null });
    await insertTogether(t.db, dialect, [
      { table: 'schools', rows: [schoolRow('b1', 'Beech'), schoolRow('b2', 'Box')] },
      { table: 'classes', rows: [cls('c1', 'b1'), cls('c2', 'b2')] },
      { table: 'schools', rows: [schoolRow('a1', 'Again'), schoolRow('b3', 'Broom')], options: { onConflictDoNothing: 'id' } },
    ]);
    expect(await names()).toEqual(expect.arrayContaining(['a1:Ash:#1d70b8', 'b1:Beech:#1d70b8', 'b2:Box:#1d70b8', 'b3:Broom:#1d70b8']));
    const classes = await t.db.selectFrom('classes').select(['id', 'school_id']).where('id', 'in', ['c1', 'c2']).orderBy('id').execute();
    expect(classes).toEqual([
      { id: 'c1', school_id: 'b1' },
      { id: 'c2', school_id: 'b2' },
    ]);
    // A unique key still stops the write, as a unique violation, and nothing of it is kept.
    const failed = await t.db
      .transaction()
      .execute((trx) =>
        insertTogether(trx, dialect, [
          { table: 'schools', rows: [schoolRow('b4', 'Bay')] },
          { table: 'classes', rows: [cls('c1', 'b4')] },
        ]),
      )
      .catch((error: unknown) => error);
    expect(isUniqueViolation(failed)).toBe(true);
    expect(await names()).not.toContain('b4:Bay:#1d70b8');
    // A class for a school that does not exist is refused (the foreign key holds within one statement).
    await expect(
      insertTogether(t.db, dialect, [
        { table: 'schools', rows: [schoolRow('b5', 'Birch')] },
        { table: 'classes', rows: [cls('c5', 'nowhere')] },
      ]),
    ).rejects.toThrow();
  });

  it('commits with the last insert of a transaction, and keeps nothing when that insert fails', async () => {
    const cls = (id: string, schoolId: string) => ({ id, school_id: schoolId, name: `4 ${id}`, year_group: '4' as const, archived_at: null });
    const last = (trx: typeof t.db, school: string, classId: string) =>
      insertTogether(
        trx,
        dialect,
        [
          { table: 'schools', rows: [schoolRow(school, `School ${school}`)] },
          { table: 'classes', rows: [cls(classId, school)] },
        ],
        { endsTransaction: true },
      );
    await t.db.transaction().execute((trx) => last(trx, 'd1', 'e1'));
    const failed = await t.db
      .transaction()
      .execute((trx) => last(trx, 'd2', 'e1'))
      .catch((error: unknown) => error);
    expect(isUniqueViolation(failed)).toBe(true);
    // The connection is out of its transaction: the next ones commit as usual.
    await Promise.all(['d3', 'd4', 'd5'].map((id, i) => t.db.transaction().execute((trx) => last(trx, id, `e${i + 3}`))));
    expect((await names()).filter((n) => n.startsWith('d'))).toEqual(['d1:School d1:#1d70b8', 'd3:School d3:#1d70b8', 'd4:School d4:#1d70b8', 'd5:School d5:#1d70b8']);
    if (dialect === 'postgres') {
      // Nothing may follow it in the transaction (it has committed already).
      const after = t.db.transaction().execute(async (trx) => {
        await last(trx, 'd6', 'e6');
        await trx.selectFrom('schools').select('id').execute();
      });
      await expect(after).rejects.toThrow('nothing may follow it');
    }
  });
});

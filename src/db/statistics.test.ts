import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dialects, openTestDb, type TestDb } from '../../test/support/db.ts';
import { sql } from 'kysely';
import { measureChangedTables, measureUnmeasuredTables, plannerRowCount, refreshStatistics } from './statistics.ts';

/** PostgreSQL's planner statistics, gathered by Gatepost when a table changed a lot or was never measured. */
describe.each(dialects)('planner statistics (%s)', (dialect) => {
  let t: TestDb;
  const counted = (table: 'schools') => plannerRowCount(t.db, table);
  beforeAll(async () => {
    t = await openTestDb(dialect);
    await t.db
      .insertInto('schools')
      .values(
        Array.from({ length: 30 }, (_, i) => ({
          id: `st${i}`,
          name: `School ${i}`,
          urn: `9${i}`,
          phase: 'primary' as const,
          time_zone: 'Europe/London',
          colour: '#1d70b8',
          teachers_see_all_pupils: 0,
          created_at: '2026-12-01T00:00:00.000Z',
        })),
      )
      .execute();
  });
  afterAll(() => t.close());

  it('at start-up, measures the tables never measured, once', async () => {
    const first = await measureUnmeasuredTables(t.db);
    expect(first).toContain('schools');
    if (dialect === 'sqlite') {
      // An empty table stays unmeasured on SQLite: its figures would mislead the planner once it fills.
      expect(first).not.toContain('evening_bookings');
      return expect(await measureUnmeasuredTables(t.db)).toEqual([]);
    }
    expect(first).toContain('evening_bookings');
    expect(await counted('schools')).toBe(30);
    expect(await measureUnmeasuredTables(t.db)).toEqual([]);
  });

  it('measures again, while the server runs, a table that changed by more than autovacuum would wait for', async () => {
    await measureUnmeasuredTables(t.db);
    await measureChangedTables(t.db);
    const counter = (i: number) => ({ bucket: 'statistics-test', key: `k${i}`, count: 1, resets_at: '2026-12-01T00:15:00.000Z', last_at: '2026-12-01T00:00:00.000Z' });
    const added = async (from: number, n: number) =>
      t.db.transaction().execute(async (trx) => {
        await trx
          .insertInto('sign_in_counters')
          .values(Array.from({ length: n }, (_, i) => counter(from + i)))
          .execute();
        // PostgreSQL counts a backend's changes at most once a second; a test cannot wait on that.
        if (dialect === 'postgres') await sql`select pg_stat_force_next_flush()`.execute(trx);
      });
    await added(0, 40); // 40 changed rows of an empty table: fewer than autovacuum's 50, left alone
    expect(await measureChangedTables(t.db)).toEqual([]);
    await added(40, 60);
    if (dialect === 'sqlite') return expect(await measureChangedTables(t.db)).toEqual([]);
    expect(await measureChangedTables(t.db)).toEqual(['sign_in_counters']);
    expect(await plannerRowCount(t.db, 'sign_in_counters')).toBe(100);
    expect(await measureChangedTables(t.db)).toEqual([]);
  });

  it('refreshes the statistics of the tables named, so the planner counts the rows just added', async () => {
    await t.db
      .insertInto('schools')
      .values({ id: 'st-new', name: 'New', urn: '8000', phase: 'primary', time_zone: 'Europe/London', colour: '#1d70b8', teachers_see_all_pupils: 0, created_at: '2026-12-01T00:00:00.000Z' })
      .execute();
    await refreshStatistics(t.db, ['schools']);
    if (dialect === 'postgres') expect(await counted('schools')).toBe(31);
    else expect((await t.db.selectFrom('schools').select('id').execute()).length).toBe(31);
  });
});

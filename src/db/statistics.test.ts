import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dialects, openTestDb, type TestDb } from '../../test/support/db.ts';
import { measureUnmeasuredTables, plannerRowCount, refreshStatistics } from './statistics.ts';

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

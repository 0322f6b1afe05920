import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dialects } from '../../../test/support/db.ts';
import { startTestApp, type TestApp } from '../../../test/support/app.ts';
import { banFromPremises, singleContact } from '../../../test/support/premises-ban.ts';
import { bannedFromPremises, contactForCarer, daysBannedFromPremises } from './index.ts';

/**
 * The one rule other features ask (events, parents' evenings, volunteering, meetings): banned on a day
 * when a ban has started by then and has not been ended; for a list of carers in one call.
 */
describe.each(dialects)('who is banned from the premises, on %s', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(dialect);
    const { school, carers, staff } = t.fx;
    await banFromPremises(t.db, school.id, carers.tomasz, staff.head, '2026-12-01');
    await banFromPremises(t.db, school.id, carers.mark, staff.head, '2026-10-01', { endedAt: '2026-11-15T10:00:00.000Z' }); // ended at a review
    await singleContact(t.db, school.id, carers.tomasz, staff.head, staff.family_liaison, '2026-11-20');
  });
  afterAll(async () => t?.close());

  it('is in force from the day it starts until it is ended, for each carer of a list', async () => {
    const { school, carers } = t.fx;
    const all = [carers.tomasz, carers.marta, carers.mark, carers.sarah];
    expect([...(await bannedFromPremises(t.db, school.id, all, '2026-11-30'))]).toEqual([]);
    expect([...(await bannedFromPremises(t.db, school.id, all, '2026-12-01'))]).toEqual([carers.tomasz]);
    expect([...(await bannedFromPremises(t.db, school.id, all, '2027-03-01'))]).toEqual([carers.tomasz]);
    expect((await bannedFromPremises(t.db, school.id, [], '2026-12-01')).size).toBe(0);
  });

  it('says on which of several days one carer is banned, in one read', async () => {
    const { school, carers, staff } = t.fx;
    await banFromPremises(t.db, school.id, carers.sarah, staff.head, '2027-01-10');
    const days = ['2027-01-09', '2027-01-10', '2027-02-02'] as const;
    expect([...(await daysBannedFromPremises(t.db, school.id, carers.sarah, days))]).toEqual(['2027-01-10', '2027-02-02']);
    expect([...(await daysBannedFromPremises(t.db, school.id, carers.mark, days))]).toEqual([]); // ended at a review
    expect([...(await bannedFromPremises(t.db, school.id, [carers.sarah, carers.tomasz], '2027-01-09'))]).toEqual([carers.tomasz]);
  });

  it('belongs to its school: the same carer id asked in another school is not banned', async () => {
    expect((await bannedFromPremises(t.db, t.fx.other.id, [t.fx.carers.tomasz], '2026-12-02')).size).toBe(0);
  });

  it('names the single point of contact to ask, else nobody (the office)', async () => {
    expect(await contactForCarer(t.db, t.fx.school.id, t.fx.carers.tomasz)).toBe('Ms Carys Lewis');
    expect(await contactForCarer(t.db, t.fx.school.id, t.fx.carers.marta)).toBeNull();
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dialects } from '../../../test/support/db.ts';
import { startTestApp, type TestApp } from '../../../test/support/app.ts';
import { banFromPremises } from '../../../test/support/premises-ban.ts';
import { addOpportunity, offer } from './commands.ts';

const NOW = new Date('2026-11-26T10:00:00.000Z');
const APPROVAL = { supervised: 'yes', risk_assessment: 'Always with a teacher in sight', risk_assessed_on: '2026-11-20', review_on: '2027-11-20' };

/**
 * Approving a volunteer, who will be on the school site: the page shows a ban from the premises
 * (features/conduct) and any restriction in force on the carer (platform/access); a banned carer is
 * refused at the server with the reason beside the form. Mark is banned and under a court order about
 * Lily (the fixture's); Grace has neither; Sarah was approved before she was banned.
 */
describe.each(dialects)('volunteering and a ban from the premises, on %s', (dialect) => {
  let t: TestApp;
  const ids: Record<string, string> = {};
  beforeAll(async () => {
    t = await startTestApp(dialect, { clock: () => NOW });
    const { school, staff, carers } = t.fx;
    const office = { kind: 'staff' as const, id: staff.office, schoolId: school.id };
    const role = await addOpportunity(t.db, office, { kind: 'trip_helper', title: 'Trip helper', description: '', needsDbs: false }, NOW);
    for (const name of ['mark', 'grace', 'sarah'] as const) {
      await offer(t.db, { kind: 'carer', id: carers[name], schoolId: school.id }, role, null, NOW);
      ids[name] = (await t.db.selectFrom('volunteers').select('id').where('carer_id', '=', carers[name]).executeTakeFirstOrThrow()).id;
    }
    await banFromPremises(t.db, school.id, carers.mark, staff.head, '2026-11-20');
  });
  afterAll(async () => t?.close());

  it('the approval page shows Mark’s ban and the court order in force on him; Grace’s shows neither', async () => {
    const office = await t.as('staff', t.fx.staff.office);
    const mark = (await office.get(`/volunteering/volunteers/${ids.mark}`)).body;
    expect(mark).toContain('govuk-tag--red">\n  Banned from the premises');
    expect(mark).toContain('Court order');
    expect(mark).toContain('A restriction in force about <bdi>Lily Dean</bdi> (stops information, contact, collecting the child)');
    expect(mark).not.toContain('Prohibited steps order'); // the details written about it stay on the child's record
    const grace = (await office.get(`/volunteering/volunteers/${ids.grace}`)).body;
    expect(grace).not.toContain('id="stands-against"');
  });

  it('approving Mark is refused at the server, with the reason beside the form and what was typed kept', async () => {
    const office = await t.as('staff', t.fx.staff.office);
    const refused = await office.post(`/volunteering/volunteers/${ids.mark}/approve`, APPROVAL);
    expect(refused.statusCode).toBe(409);
    expect(refused.body).toContain('They are banned from the school premises: a volunteer cannot be approved while the ban is in force');
    expect(refused.body).toContain('Always with a teacher in sight');
    const row = await t.db.selectFrom('volunteers').select('status').where('id', '=', ids.mark!).executeTakeFirstOrThrow();
    expect(row.status).toBe('offered');
    expect((await office.post(`/volunteering/volunteers/${ids.grace}/approve`, APPROVAL)).statusCode).toBe(303);
  });

  it('Sarah, approved and then banned, cannot be put on an activity on a day of the ban', async () => {
    const office = await t.as('staff', t.fx.staff.office);
    expect((await office.post(`/volunteering/volunteers/${ids.sarah}/approve`, APPROVAL)).statusCode).toBe(303);
    await banFromPremises(t.db, t.fx.school.id, t.fx.carers.sarah, t.fx.staff.head, '2026-12-01');
    expect((await office.post(`/volunteering/volunteers/${ids.sarah}/activities`, { activity: 'Farm trip', on_date: '2026-11-30' })).statusCode).toBe(303);
    const banned = await office.post(`/volunteering/volunteers/${ids.sarah}/activities`, { activity: 'Museum trip', on_date: '2026-12-02' });
    expect(banned.statusCode).toBe(409);
    expect(banned.body).toContain('They are banned from the school premises on that date');
  });
});

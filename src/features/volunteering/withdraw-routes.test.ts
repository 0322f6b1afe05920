import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dialects } from '../../../test/support/db.ts';
import { startTestApp, type TestApp } from '../../../test/support/app.ts';

const NOW = new Date('2026-11-26T10:00:00.000Z');

/** Grace offers to help on trips, then cannot after all: she takes her offer back, in her portal, once; the office sees it withdrawn. */
describe.each(dialects)('a carer withdraws an offer to volunteer, on %s', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(dialect, { clock: () => NOW });
  });
  afterAll(async () => t?.close());

  it('Grace withdraws her offer; a second click changes nothing; another carer cannot withdraw it', async () => {
    const office = await t.as('staff', t.fx.staff.office);
    await office.post('/volunteering/opportunities', { kind: 'trip_helper', title: 'Trip helper', description: 'Walk with Year 3 to the museum', needs_dbs: 'yes' });
    const role = await t.db.selectFrom('volunteer_opportunities').select('id').where('title', '=', 'Trip helper').executeTakeFirstOrThrow();
    const grace = await t.as('carer', t.fx.carers.grace);
    await grace.post(`/my-volunteering/${role.id}/offer`, { note: '' });
    expect((await grace.get('/my-volunteering')).body).toContain(`action="/my-volunteering/${role.id}/withdraw"`);
    const marta = await t.as('carer', t.fx.carers.marta);
    await marta.post(`/my-volunteering/${role.id}/withdraw`, {});
    const status = async () => (await t.db.selectFrom('volunteers').select('status').where('carer_id', '=', t.fx.carers.grace).executeTakeFirstOrThrow()).status;
    expect(await status()).toBe('offered');
    const res = await grace.post(`/my-volunteering/${role.id}/withdraw`, {});
    expect(res.statusCode).toBe(303);
    expect((await grace.post(`/my-volunteering/${role.id}/withdraw`, {})).statusCode).toBe(303);
    expect(await status()).toBe('withdrawn');
    const page = await grace.get(res.headers.location!);
    expect(page.body).toContain('You withdrew your offer');
    expect(page.body).not.toContain(`action="/my-volunteering/${role.id}/withdraw"`);
    expect(await t.db.selectFrom('audit_log').select('id').where('action', '=', 'volunteering.withdrawn').execute()).toHaveLength(1);
  });
});

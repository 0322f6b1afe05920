import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dialects } from './support/db.ts';
import { startTestApp, type TestApp } from './support/app.ts';
import { textNodes } from './support/visible-text.ts';

const visibleText = (html: string) =>
  textNodes(html)
    .map((n) => n.text)
    .join('\n');
const NOW = new Date('2026-11-26T10:00:00.000Z'); // Thursday, autumn term

/**
 * What a new user noticed on the demo tour (`npm run tour`, the screenshots looked at by a person),
 * each kept from coming back: a carer can find their child's profile from the child's page; a year
 * group is not written "Year Year 3".
 */
describe.each(dialects)('a first look at the pages, on %s', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(dialect, { clock: () => NOW });
  });
  afterAll(async () => t?.close());

  it('a carer finds the way to their child’s profile from the page about the child, in their language', async () => {
    const marta = await t.as('carer', t.fx.carers.marta, undefined, { ownLanguage: true });
    const page = await marta.get(`/children/${t.fx.pupils.kuba}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(`href="/children/${t.fx.pupils.kuba}/profile"`);
    const profile = await marta.get(`/children/${t.fx.pupils.kuba}/profile`);
    expect(profile.statusCode).toBe(200);
  });

  it('buddy suggestions name the year group once (“Year 3”, never “Year Year 3”)', async () => {
    const marta = await t.as('carer', t.fx.carers.marta);
    const sarah = await t.as('carer', t.fx.carers.sarah);
    expect((await marta.post('/my-community/buddy', { wants: 'newcomer' })).statusCode).toBe(303);
    expect((await sarah.post('/my-community/buddy', { wants: 'buddy' })).statusCode).toBe(303);
    const flo = await t.as('staff', t.fx.staff.family_liaison);
    const text = visibleText((await flo.get('/community')).body);
    expect(text).toContain('Sarah Dean');
    expect(text).toMatch(/Year 3/);
    expect(text).not.toMatch(/Year Year/);
  });
});

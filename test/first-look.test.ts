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
 * group is not written "Year Year 3"; a date's example is written the UK way; a carer's list of
 * events says when each one is; Polish on one page keeps one (formal) way of addressing the carer.
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

  it('a date field’s example is a UK date in GOV.UK’s day, month and year boxes, not 2027-01-14', async () => {
    const head = await t.as('staff', t.fx.staff.head);
    const page = (await head.get('/events/new')).body;
    const text = visibleText(page);
    expect(text).toContain('For example, 14 1 2027');
    expect(page).toContain('name="session_1_date-day"');
    expect(text).not.toMatch(/\d{4}-\d{2}-\d{2}/);
  });

  it('a carer’s list of events says when each one is, before they have answered', async () => {
    const office = await t.as('staff', t.fx.staff.office);
    const made = await office.post('/events', {
      kind: 'concert',
      title: 'Winter concert',
      description: '',
      place: 'The school hall',
      audience_kind: 'school',
      session_1_date: '2026-12-16',
      session_1_start: '2pm',
      session_1_end: '3pm',
    });
    expect(made.statusCode).toBe(303);
    const eventId = /events\/([^/?]+)/.exec(made.headers.location ?? '')![1]!;
    expect((await office.post(`/events/${eventId}/publish`, {})).statusCode).toBe(303);
    const marta = await t.as('carer', t.fx.carers.marta, undefined, { ownLanguage: true });
    const text = visibleText((await marta.get('/my-events')).body);
    expect(text).toContain('Winter concert');
    expect(text).toMatch(/16 grudnia 2026/);
  });

  it('Marta’s concerns page in Polish addresses her formally throughout (Państwa), not “Twoje” beside “Państwa”', async () => {
    const marta = await t.as('carer', t.fx.carers.marta, undefined, { ownLanguage: true });
    const text = visibleText((await marta.get('/my-concerns')).body);
    expect(text).toContain('Państwa zgłoszone sprawy i skargi');
    expect(text).toContain('Nie złożyli Państwo formalnej skargi w Gatepost.');
    expect(text).not.toMatch(/Twoje|złożyłeś/);
  });
});

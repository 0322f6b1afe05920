import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dialects } from '../../../test/support/db.ts';
import { startTestApp, type Client, type TestApp } from '../../../test/support/app.ts';
import { addOpportunity, offer } from './commands.ts';

const NOW = new Date('2026-11-26T10:00:00.000Z');
const APPROVAL = { supervised: 'yes', risk_assessment: 'Translates at home; never meets children through this role', risk_assessed_on: '2026-11-20', review_on: '2027-11-20', languages: ['Polish'] };

/**
 * A translating volunteer's own page lists the messages waiting for them to translate (the English
 * title, the language, when they were asked, a link to the request), and those done lately with where
 * each stands; never another volunteer's. Marta and Grace translate into Polish.
 */
describe.each(dialects)('the translations waiting for a volunteer, on %s', (dialect) => {
  let t: TestApp;
  let head: Client;
  let office: Client;
  let marta: Client;
  let grace: Client;
  const volunteer: Record<string, string> = {};

  beforeAll(async () => {
    t = await startTestApp(dialect, { clock: () => NOW });
    head = await t.as('staff', t.fx.staff.head);
    office = await t.as('staff', t.fx.staff.office);
    marta = await t.as('carer', t.fx.carers.marta);
    grace = await t.as('carer', t.fx.carers.grace);
    const { school, staff, carers } = t.fx;
    const role = await addOpportunity(t.db, { kind: 'staff', id: staff.office, schoolId: school.id }, { kind: 'translating', title: 'Translating letters', description: '', needsDbs: false }, NOW);
    for (const name of ['marta', 'grace'] as const) {
      await offer(t.db, { kind: 'carer', id: carers[name], schoolId: school.id }, role, null, NOW);
      volunteer[name] = (await t.db.selectFrom('volunteers').select('id').where('carer_id', '=', carers[name]).executeTakeFirstOrThrow()).id;
      expect((await office.post(`/volunteering/volunteers/${volunteer[name]}/approve`, APPROVAL)).statusCode).toBe(303);
    }
  });
  afterAll(async () => t?.close());

  async function asked(subject: string, who: 'marta' | 'grace'): Promise<{ messageId: string; requestId: string }> {
    const res = await head.post('/messages/new', { kind: 'letter', audience_kind: 'classes', class_ids: t.fx.classes.y3, subject, body: 'Please see the details below.' });
    expect(res.statusCode).toBe(303);
    const messageId = (res.headers.location as string).split('/').pop()!;
    expect((await head.post(`/messages/${messageId}/translations/Polish/volunteer`, { volunteer_id: volunteer[who]! })).statusCode).toBe(303);
    const r = await t.db.selectFrom('translation_requests').select('id').where('message_id', '=', messageId).where('carer_id', '=', t.fx.carers[who]).executeTakeFirstOrThrow();
    return { messageId, requestId: r.id };
  }
  /** The list item naming a message, in a list. */
  const item = (list: string, title: string) => list.split('<li>').find((li) => li.includes(title)) ?? '';
  const section = (page: string, id: string) => {
    const start = page.indexOf(`id="${id}"`);
    if (start < 0) return '';
    return page.slice(start, page.indexOf('</ul>', start) + 5);
  };

  it('says nothing is waiting before anything is asked; a carer who does not translate sees no such section', async () => {
    const page = (await marta.get('/my-volunteering')).body;
    expect(page).toContain('Messages to translate');
    expect(page).toContain('No message is waiting for you to translate');
    const tomasz = await t.as('carer', t.fx.carers.tomasz);
    expect((await tomasz.get('/my-volunteering')).body).not.toContain('id="translations"');
  });

  it('lists what is waiting for Marta only, with its title, language, date and link', async () => {
    const harvest = await asked('Harvest festival', 'marta');
    const sports = await asked('Sports day', 'grace');
    const page = (await marta.get('/my-volunteering')).body;
    const waiting = section(page, 'translations-waiting');
    expect(waiting).toContain(`href="/my-volunteering/translations/${harvest.requestId}"`);
    expect(waiting).toContain('<span lang="en">Harvest festival</span>');
    expect(waiting).toContain('Language: Polish');
    expect(waiting).toContain('Asked on 26 November 2026');
    expect(page).not.toContain('Sports day');
    expect(page).not.toContain(sports.requestId);
    expect(section((await grace.get('/my-volunteering')).body, 'translations-waiting')).toContain('Sports day');
    expect((await grace.get('/my-volunteering')).body).not.toContain('Harvest festival');
    // The link opens the request for Marta (and for no one else).
    expect((await marta.get(`/my-volunteering/translations/${harvest.requestId}`)).statusCode).toBe(200);

    const polish = await t.as('carer', t.fx.carers.marta, undefined, { ownLanguage: true });
    const inPolish = (await polish.get('/my-volunteering')).body;
    expect(inPolish).toContain('Wiadomości do przetłumaczenia');
    expect(inPolish).toContain('Język: polski');
    expect(inPolish).toContain('26 listopada 2026');
  });

  it('moves what Marta has written, declined or is no longer needed to “done recently” with where each stands', async () => {
    const fair = await asked('School fair', 'marta');
    const trip = await asked('Museum trip', 'marta');
    const choir = await asked('Choir concert', 'marta');
    expect((await marta.post(`/my-volunteering/translations/${fair.requestId}`, { subject: 'Kiermasz szkolny', body: 'Prosimy zobaczyć szczegóły.' })).statusCode).toBe(303);
    expect((await marta.post(`/my-volunteering/translations/${trip.requestId}/decline`)).statusCode).toBe(303);
    expect((await head.post(`/messages/${choir.messageId}/translations/Polish/volunteer`, { volunteer_id: volunteer.grace! })).statusCode).toBe(303); // asked of Grace instead

    let page = (await marta.get('/my-volunteering')).body;
    const waiting = section(page, 'translations-waiting');
    expect(waiting).toContain('Harvest festival');
    for (const done of ['School fair', 'Museum trip', 'Choir concert']) expect(waiting).not.toContain(done);
    let recent = section(page, 'translations-recent');
    expect(page).toContain('Done recently');
    expect(item(recent, 'School fair')).toContain('Your translation is saved');
    expect(item(recent, 'Museum trip')).toContain('You said you cannot do this one');
    expect(item(recent, 'Choir concert')).toContain('The school no longer needs this translation from you');
    expect(recent).toContain(`href="/my-volunteering/translations/${fair.requestId}"`);

    expect((await office.post(`/messages/${fair.messageId}/translations/Polish/check`)).statusCode).toBe(303);
    recent = section((await marta.get('/my-volunteering')).body, 'translations-recent');
    expect(item(recent, 'School fair')).toContain('Checked by the school');

    // Asked and done over a month ago: what was done has left the list; what still waits for her stays.
    await t.db.updateTable('translation_requests').set({ asked_at: '2026-10-01T09:00:00.000Z' }).where('carer_id', '=', t.fx.carers.marta).execute();
    await t.db.updateTable('translation_requests').set({ answered_at: '2026-10-20T09:00:00.000Z' }).where('carer_id', '=', t.fx.carers.marta).where('answered_at', 'is not', null).execute();
    page = (await marta.get('/my-volunteering')).body;
    expect(section(page, 'translations-waiting')).toMatch(/Harvest festival[\s\S]*Asked on 1 October 2026/);
    expect(page).not.toContain('id="translations-recent"');
    expect(page).not.toContain('School fair');
  });
});

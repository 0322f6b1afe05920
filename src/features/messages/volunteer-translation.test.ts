import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dialects } from '../../../test/support/db.ts';
import { startTestApp, type Client, type TestApp } from '../../../test/support/app.ts';
import { addOpportunity, offer, withdraw } from '../volunteering/commands.ts';
import { volunteerRefusal } from './volunteer-translation.ts';

const NOW = new Date('2026-11-26T10:00:00.000Z');
const APPROVAL = { supervised: 'yes', risk_assessment: 'Translates at home; never meets children through this role', risk_assessed_on: '2026-11-20', review_on: '2027-11-20' };
const PUPILS = [{ given_name: 'Kuba', preferred_name: null, family_name: 'Nowak' }];
const audience = (a: unknown) => JSON.stringify(a);

describe('which messages may go to a volunteer', () => {
  it('never praise, an individual message, chosen pupils’ families, or words naming a pupil', () => {
    const letter = { kind: 'letter' as const, audience_json: audience({ kind: 'school' }), subject: 'Harvest festival', body: 'Bring a tin on Friday.' };
    expect(volunteerRefusal(letter, PUPILS)).toBeNull();
    expect(volunteerRefusal({ ...letter, kind: 'praise' }, PUPILS)).toMatch(/^Praise and individual messages/);
    expect(volunteerRefusal({ ...letter, kind: 'individual' }, PUPILS)).toMatch(/^Praise and individual messages/);
    expect(volunteerRefusal({ ...letter, audience_json: audience({ kind: 'pupils', pupilIds: ['p1'] }) }, PUPILS)).toMatch(/chosen pupils’ families/);
    expect(volunteerRefusal({ ...letter, body: 'Well done to Kuba for reading.' }, PUPILS)).toMatch(/names a pupil \(“Kuba”\)/);
    expect(volunteerRefusal({ ...letter, body: 'Thanks to KUBA NOWAK.' }, PUPILS)).toMatch(/names a pupil/);
    // A name inside another word is not the name.
    expect(volunteerRefusal({ ...letter, body: 'Kubanski dances at the fair.' }, PUPILS)).toBeNull();
  });
});

describe.each(dialects)('a volunteer parent translates a message, on %s', (dialect) => {
  let t: TestApp;
  let head: Client;
  let office: Client;
  let marta: Client;
  let tomasz: Client;
  const volunteer: Record<string, string> = {};

  beforeAll(async () => {
    t = await startTestApp(dialect, { clock: () => NOW });
    head = await t.as('staff', t.fx.staff.head);
    office = await t.as('staff', t.fx.staff.office);
    marta = await t.as('carer', t.fx.carers.marta);
    tomasz = await t.as('carer', t.fx.carers.tomasz);
    const { school, staff, carers } = t.fx;
    const role = await addOpportunity(t.db, { kind: 'staff', id: staff.office, schoolId: school.id }, { kind: 'translating', title: 'Translating letters', description: '', needsDbs: false }, NOW);
    for (const name of ['marta', 'grace', 'tomasz', 'mark'] as const) {
      await offer(t.db, { kind: 'carer', id: carers[name], schoolId: school.id }, role, null, NOW);
      volunteer[name] = (await t.db.selectFrom('volunteers').select('id').where('carer_id', '=', carers[name]).executeTakeFirstOrThrow()).id;
    }
    // Approving a translator needs their languages, beside the field, with what was typed kept.
    const missing = await office.post(`/volunteering/volunteers/${volunteer.marta}/approve`, APPROVAL);
    expect(missing.statusCode).toBe(400);
    expect(missing.body).toContain('Choose the languages they translate into');
    expect(missing.body).toContain('Translates at home');
    for (const name of ['marta', 'grace', 'tomasz', 'mark'] as const)
      expect((await office.post(`/volunteering/volunteers/${volunteer[name]}/approve`, { ...APPROVAL, languages: ['Polish'] })).statusCode).toBe(303);
    expect((await office.get(`/volunteering/volunteers/${volunteer.marta}`)).body).toMatch(/id="languages">Polish</);
    // Grace withdraws; Tomasz's approval is past its review date; Mark has a court order in force (the fixture).
    await withdraw(t.db, { kind: 'carer', id: carers.grace, schoolId: school.id }, role, NOW);
    await t.db.updateTable('volunteers').set({ review_on: '2026-11-01' }).where('id', '=', volunteer.tomasz!).execute();
  });
  afterAll(async () => t?.close());

  async function draft(body: string, extra: Record<string, string> = {}): Promise<string> {
    const res = await head.post('/messages/new', { kind: 'letter', audience_kind: 'classes', class_ids: t.fx.classes.y3, subject: 'Harvest festival', body, ...extra });
    expect(res.statusCode).toBe(303);
    return (res.headers.location as string).split('/').pop()!;
  }
  const translation = (messageId: string) => t.db.selectFrom('message_translations').selectAll().where('message_id', '=', messageId).where('language', '=', 'Polish').executeTakeFirst();
  const requestsOf = (messageId: string) => t.db.selectFrom('translation_requests').selectAll().where('message_id', '=', messageId).orderBy('asked_at').execute();
  const actions = async (entityId: string) => (await t.db.selectFrom('audit_log').select('action').where('entity_id', '=', entityId).orderBy('at').orderBy('id').execute()).map((a) => a.action);

  it('only Marta is offered: not a withdrawn volunteer, one past review, or one with a restriction in force', async () => {
    const id = await draft('Please bring a tin of food on Friday.');
    const page = (await head.get(`/messages/${id}/translations/Polish`)).body;
    expect(page).toContain('Ask a volunteer');
    expect(page).toContain('Marta Nowak');
    for (const name of ['Grace Mensah', 'Tomasz Nowak', 'Mark Dean']) expect(page).not.toContain(name);
    for (const name of ['grace', 'tomasz', 'mark'] as const) {
      const refused = await head.post(`/messages/${id}/translations/Polish/volunteer`, { volunteer_id: volunteer[name]! });
      expect(refused.statusCode).toBe(409);
      expect(refused.body).toContain('Choose a volunteer from the list');
    }
    expect(await requestsOf(id)).toEqual([]);
  });

  it('the whole flow: asked by email, written by Marta, checked by staff; Tomasz cannot open or write it', async () => {
    const id = await draft('Please bring a tin of food on Friday.\n\nThank you.');
    expect((await head.post(`/messages/${id}/translations/Polish/volunteer`, { volunteer_id: volunteer.marta! })).statusCode).toBe(303);
    const [request] = await requestsOf(id);
    expect(request).toMatchObject({ status: 'asked', carer_id: t.fx.carers.marta, asked_by: t.fx.staff.head });
    expect(await translation(id)).toMatchObject({ status: 'requested' });
    expect(await actions(request!.id)).toEqual(['translation.volunteer_asked']);
    const email = await t.db.selectFrom('outbox').selectAll().where('idempotency_key', '=', `email:translation-request:${request!.id}`).executeTakeFirstOrThrow();
    expect(email.recipient).toBe('marta@families.test');
    expect(email.payload_json).toContain(`/my-volunteering/translations/${request!.id}`);
    expect(JSON.parse(email.payload_json).subject).toContain('polski'); // in Marta's language
    expect((await head.get(`/messages/${id}/translations/Polish`)).body).toMatch(/<bdi>Marta Nowak<\/bdi> asked/);

    const url = `/my-volunteering/translations/${request!.id}`;
    const page = await marta.get(url);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Harvest festival');
    expect(page.body).toContain('Please bring a tin of food on Friday.');
    // The English words only: never who receives it, their children, or who read it.
    for (const never of ['Jakub', 'Aleksandra', 'Lily', 'Read by', 'carers', 'Reach']) expect(page.body).not.toContain(never);

    expect((await tomasz.get(url)).statusCode).toBe(404);
    expect((await tomasz.post(url, { subject: 'Dożynki', body: 'Nie' })).statusCode).toBe(404);
    expect((await tomasz.post(`${url}/decline`)).statusCode).toBe(404);
    expect(await translation(id)).toMatchObject({ status: 'requested', body: '' });

    const empty = await marta.post(url, { subject: 'Dożynki', body: ' ' });
    expect(empty.statusCode).toBe(400);
    expect(empty.body).toContain('Enter the message in your translation');
    expect(empty.body).toContain('value="Dożynki"');

    expect((await marta.post(url, { subject: 'Dożynki', body: 'Prosimy przynieść puszkę jedzenia w piątek.\n\nDziękujemy.' })).statusCode).toBe(303);
    const written = await translation(id);
    expect(written).toMatchObject({ status: 'written', source: 'person', written_by: null, written_by_carer: t.fx.carers.marta, checked_by: null });
    expect((await requestsOf(id))[0]!.status).toBe('written');
    expect(await actions(written!.id)).toContain('translation.written_by_volunteer');

    expect((await head.get(`/messages/${id}`)).body).toContain('Written by <bdi>Marta Nowak (volunteer)</bdi>');
    const checkPage = (await office.get(`/messages/${id}/translations/Polish`)).body;
    expect(checkPage).toContain('Marta Nowak (volunteer)');
    expect(checkPage).toContain('Mark as checked');
    expect((await office.post(`/messages/${id}/translations/Polish/check`)).statusCode).toBe(303);
    expect(await translation(id)).toMatchObject({ status: 'checked', checked_by: t.fx.staff.office });

    // Checked: the volunteer's page says so and takes nothing.
    const closed = await marta.get(url);
    expect(closed.body).toContain('This translation has been checked');
    expect(closed.body).not.toContain('name="body"');
    expect((await marta.post(url, { subject: 'Zmiana', body: 'Zmiana' })).statusCode).toBe(409);
    expect((await translation(id))!.subject).toBe('Dożynki');

    // Editing the English sends it back to be checked, as for staff translations.
    const edited = await head.post(`/messages/${id}/edit`, {
      kind: 'letter',
      audience_kind: 'classes',
      class_ids: t.fx.classes.y3,
      subject: 'Harvest festival',
      body: 'Please bring two tins on Friday.',
    });
    expect(edited.statusCode).toBe(303);
    expect(await translation(id)).toMatchObject({ status: 'written', written_by_carer: t.fx.carers.marta, checked_by: null });

    // Sent: the page says so and takes nothing.
    await t.db.updateTable('messages').set({ status: 'sent' }).where('id', '=', id).execute();
    expect((await marta.get(url)).body).toContain('This message has already been sent');
    expect((await marta.post(url, { subject: 'Zmiana', body: 'Zmiana' })).statusCode).toBe(409);
  });

  it('“I can’t do this one” closes the request for Marta (audited), and the school can ask again', async () => {
    const id = await draft('The school fair is on Saturday.');
    await head.post(`/messages/${id}/translations/Polish/volunteer`, { volunteer_id: volunteer.marta! });
    const [request] = await requestsOf(id);
    const url = `/my-volunteering/translations/${request!.id}`;
    expect((await marta.post(`${url}/decline`)).statusCode).toBe(303);
    expect((await requestsOf(id))[0]!.status).toBe('declined');
    expect(await actions(request!.id)).toEqual(['translation.volunteer_asked', 'translation.volunteer_declined']);
    const page = await marta.get(url);
    expect(page.body).toContain('You said you cannot do this one');
    expect((await marta.post(url, { subject: 'Kiermasz', body: 'W sobotę' })).statusCode).toBe(409);
    expect((await head.get(`/messages/${id}/translations/Polish`)).body).toMatch(/<bdi>Marta Nowak<\/bdi> said they could not do it/);
  });

  it('a message that names a pupil, praise, or one for chosen pupils’ families cannot go to a volunteer: the page says why', async () => {
    const naming = await draft('Well done to Lily for the harvest display.');
    const page = (await head.get(`/messages/${naming}/translations/Polish`)).body;
    expect(page).toContain('This message names a pupil (“Lily”), so it cannot go to a volunteer');
    expect(page).not.toContain('name="volunteer_id"');
    expect((await head.post(`/messages/${naming}/translations/Polish/volunteer`, { volunteer_id: volunteer.marta! })).statusCode).toBe(409);
    expect(await requestsOf(naming)).toEqual([]);

    const chosen = await draft('Your child’s reading record.', { kind: 'letter', audience_kind: 'pupils', pupil_ids: t.fx.pupils.kuba, class_ids: '' });
    expect((await head.get(`/messages/${chosen}/translations/Polish`)).body).toContain('goes to chosen pupils’ families');
    expect((await head.post(`/messages/${chosen}/translations/Polish/volunteer`, { volunteer_id: volunteer.marta! })).statusCode).toBe(409);
    expect(await requestsOf(chosen)).toEqual([]);
  });
});

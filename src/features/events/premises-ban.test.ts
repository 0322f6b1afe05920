import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dialects } from '../../../test/support/db.ts';
import { startTestApp, type Client, type TestApp } from '../../../test/support/app.ts';
import { banFromPremises, singleContact } from '../../../test/support/premises-ban.ts';

const NOW = new Date('2026-11-26T10:00:00.000Z');

/**
 * A carer banned from the school premises (features/conduct) still hears about events, but cannot say
 * yes to one held at school: Tomasz (no single point of contact: the office) and Marta (Polish; Ms Lewis
 * is her contact). At the door, the register and the walk-in search show a red tag by a banned carer.
 */
describe.each(dialects)('events and a ban from the premises, on %s', (dialect) => {
  let t: TestApp;
  let office: Client;
  async function eventFor(kind: string, audience: Record<string, string | string[]>, title: string, date = '2026-12-03') {
    const made = await office.post('/events', { kind, title, place: 'The school hall', ...audience, session_1_date: date, session_1_start: '9am', session_1_end: '10:30am' });
    const eventId = /events\/([^/?]+)/.exec(made.headers.location ?? '')![1]!;
    expect((await office.post(`/events/${eventId}/publish`, {})).statusCode).toBe(303);
    const session = await t.db.selectFrom('event_sessions').select('id').where('event_id', '=', eventId).executeTakeFirstOrThrow();
    return { eventId, sessionId: session.id };
  }
  const rsvp = (carerId: string, eventId: string) => t.db.selectFrom('event_rsvps').selectAll().where('carer_id', '=', carerId).where('event_id', '=', eventId).executeTakeFirst();

  let coffee = { eventId: '', sessionId: '' };
  let trip = { eventId: '', sessionId: '' };
  let year4 = { eventId: '', sessionId: '' };
  let early = { eventId: '', sessionId: '' };
  beforeAll(async () => {
    t = await startTestApp(dialect, { clock: () => NOW });
    office = await t.as('staff', t.fx.staff.office);
    const { school, carers, staff } = t.fx;
    coffee = await eventFor('coffee_morning', { audience_kind: 'years', years: ['3'] }, 'Year 3 coffee morning');
    trip = await eventFor('trip', { audience_kind: 'years', years: ['3'] }, 'Trip to the farm');
    year4 = await eventFor('coffee_morning', { audience_kind: 'years', years: ['4'] }, 'Year 4 coffee morning');
    early = await eventFor('concert', { audience_kind: 'years', years: ['3'] }, 'Winter concert', '2026-11-30'); // before Tomasz's ban starts
    await banFromPremises(t.db, school.id, carers.tomasz, staff.head, '2026-12-01');
    await banFromPremises(t.db, school.id, carers.marta, staff.head, '2026-11-26');
    await singleContact(t.db, school.id, carers.marta, staff.head, staff.family_liaison, '2026-11-26');
  });
  afterAll(async () => t?.close());

  it('Tomasz still has the event, but is not offered "yes" to it: the page says why and to contact the office', async () => {
    const tomasz = await t.as('carer', t.fx.carers.tomasz);
    const list = await tomasz.get('/my-events');
    expect(list.body).toContain('Year 3 coffee morning'); // he still hears about it
    const page = await tomasz.get(`/my-events/${coffee.eventId}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('You cannot come onto the school premises while the arrangement the head teacher wrote to you about is in place.');
    expect(page.body).toContain('contact the school office');
    expect(page.body).not.toContain(`value="${coffee.sessionId}"`);
    expect(page.body).toContain('No, I cannot come');
  });

  it('a yes sent anyway is refused at the server, beside the choice; a no is taken', async () => {
    const tomasz = await t.as('carer', t.fx.carers.tomasz);
    const yes = await tomasz.post(`/my-events/${coffee.eventId}/answer`, { choice: coffee.sessionId, attending: '2' });
    expect(yes.statusCode).toBe(400);
    expect(yes.body).toContain('You cannot say you will come: the event is at the school.');
    expect(yes.body).toContain('href="#choice"');
    expect(await rsvp(t.fx.carers.tomasz, coffee.eventId)).toBeUndefined();
    expect((await tomasz.post(`/my-events/${coffee.eventId}/answer`, { choice: 'no' })).statusCode).toBe(303);
    expect((await rsvp(t.fx.carers.tomasz, coffee.eventId))?.answer).toBe('no');
  });

  it('a trip is not at the school, and an event before the ban starts is not under it: he may say yes', async () => {
    const tomasz = await t.as('carer', t.fx.carers.tomasz);
    expect((await tomasz.get(`/my-events/${trip.eventId}`)).body).not.toContain('You cannot come onto the school premises');
    expect((await tomasz.post(`/my-events/${trip.eventId}/answer`, { choice: trip.sessionId, attending: '1' })).statusCode).toBe(303);
    expect((await tomasz.get(`/my-events/${early.eventId}`)).body).toContain(`value="${early.sessionId}"`);
    expect((await tomasz.post(`/my-events/${early.eventId}/answer`, { choice: early.sessionId, attending: '1' })).statusCode).toBe(303);
  });

  it('Marta reads it in Polish, with her single point of contact named', async () => {
    const marta = await t.as('carer', t.fx.carers.marta, undefined, { ownLanguage: true });
    const page = (await marta.get(`/my-events/${coffee.eventId}`)).body;
    expect(page).toContain('Nie mogą Państwo wchodzić na teren szkoły');
    expect(page).toContain('W razie pytań prosimy o kontakt z: Ms Carys Lewis.');
  });

  it('at the door the register shows a red "Banned from the premises" tag by Tomasz and Marta, not by Sarah', async () => {
    const url = `/events/${coffee.eventId}/sessions/${coffee.sessionId}/register`;
    const html = (await office.get(url)).body;
    const item = (name: string) => html.split('govuk-checkboxes__item').find((part) => part.includes(`<bdi>${name}</bdi>`)) ?? '';
    expect(item('Tomasz Nowak')).toContain('govuk-tag--red">Banned from the premises');
    expect(item('Marta Nowak')).toContain('Banned from the premises');
    expect(item('Sarah Dean')).not.toContain('Banned from the premises');
  });

  it('the walk-in search shows the tag too, and the register of an event before the ban does not', async () => {
    const found = (await office.get(`/events/${year4.eventId}/sessions/${year4.sessionId}/register?q=nowak`)).body;
    const walkIns = /<ul class="govuk-list" id="walk-in-families">([\s\S]*?)<\/ul>/.exec(found)?.[1] ?? '';
    const tomasz = walkIns.split('<li').find((part) => part.includes('Tomasz Nowak')) ?? '';
    expect(tomasz).toContain('govuk-tag--red">Banned from the premises');
    const before = (await office.get(`/events/${early.eventId}/sessions/${early.sessionId}/register`)).body;
    const row = before.split('govuk-checkboxes__item').find((part) => part.includes('<bdi>Tomasz Nowak</bdi>')) ?? '';
    expect(row).toContain('Tomasz Nowak');
    expect(row).not.toContain('Banned from the premises');
  });
});

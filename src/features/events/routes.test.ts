import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dialects } from '../../../test/support/db.ts';
import { startTestApp, type TestApp } from '../../../test/support/app.ts';

const START = new Date('2026-11-26T10:00:00.000Z'); // Thursday, autumn term
let now = START;

/**
 * Journey 11 in part: Ms Byrne plans the coffee morning at 9:00 and again at 18:00 for the whole
 * school; every carer with a link is asked (never Mark Dean, restricted from Lily); Marta answers
 * in Polish with no script, changes her mind, gets a calendar file; reminders go through the outbox;
 * on the day the register shows who came for the first time, and the breakdown by group of families.
 */
describe.each(dialects)('events, end to end, on %s', (dialect) => {
  let t: TestApp;
  let eventId = '';
  beforeAll(async () => {
    now = START;
    t = await startTestApp(dialect, { clock: () => now });
  });
  afterAll(async () => t?.close());

  it('Ms Byrne plans a coffee morning at two times of day; bad input keeps what she typed', async () => {
    const office = await t.as('staff', t.fx.staff.office);
    const form = { kind: 'coffee_morning', title: 'Coffee morning', description: 'Meet other families', place: 'The school hall', audience_kind: 'school' };
    const bad = await office.post('/events', { ...form, title: '', session_1_date: '2026-12-03', session_1_start: '9am', session_1_end: '8am' });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('Enter a title');
    expect(bad.body).toContain('The end must be after the start');
    expect(bad.body).toContain('Meet other families');
    const made = await office.post('/events', {
      ...form,
      session_1_date: '2026-12-03',
      session_1_start: '9am',
      session_1_end: '10:30am',
      session_2_date: '3 December 2026',
      session_2_start: '18:00',
      session_2_end: '19:30',
    });
    expect(made.statusCode).toBe(303);
    eventId = /events\/([^/?]+)/.exec(made.headers.location ?? '')![1]!;
    const sessions = await t.db.selectFrom('event_sessions').select(['starts_at']).where('event_id', '=', eventId).orderBy('starts_at').execute();
    expect(sessions.map((s) => s.starts_at)).toEqual(['2026-12-03T09:00:00.000Z', '2026-12-03T18:00:00.000Z']);
    // A teacher reads it but may not send it.
    const teacher = await t.as('staff', t.fx.staff.teacher);
    expect((await teacher.get(`/events/${eventId}`)).statusCode).toBe(200);
    expect([403, 404]).toContain((await teacher.post(`/events/${eventId}/publish`, {})).statusCode);
    expect((await t.db.selectFrom('events').select('status').where('id', '=', eventId).executeTakeFirstOrThrow()).status).toBe('draft');
  });

  it('sending it asks every carer with a link, never a restricted person; the invitations are in the outbox', async () => {
    const office = await t.as('staff', t.fx.staff.office);
    expect((await office.post(`/events/${eventId}/publish`, {})).statusCode).toBe(303);
    expect((await office.post(`/events/${eventId}/publish`, {})).statusCode).toBe(303); // a double click sends once
    const invited = (await t.db.selectFrom('event_invitees').select('carer_id').where('event_id', '=', eventId).execute()).map((r) => r.carer_id);
    expect(invited).toContain(t.fx.carers.marta);
    expect(invited).toContain(t.fx.carers.tomasz);
    expect(invited).toContain(t.fx.carers.grace);
    expect(invited).not.toContain(t.fx.carers.mark);
    const sends = await t.db.selectFrom('outbox').select(['idempotency_key']).where('idempotency_key', 'like', `%:event:${eventId}:%`).execute();
    expect(sends.length).toBeGreaterThan(0);
    expect(new Set(sends.map((s) => s.idempotency_key)).size).toBe(sends.length);
    const mark = await t.as('carer', t.fx.carers.mark);
    expect((await mark.get(`/my-events/${eventId}`)).statusCode).toBe(404);
  });

  it('Marta answers in Polish on a plain form, changes her mind, and downloads a calendar file', async () => {
    const marta = await t.as('carer', t.fx.carers.marta, undefined, { ownLanguage: true });
    const page = await marta.get(`/my-events/${eventId}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Czy mogą Państwo przyjść?');
    // Each time says its day of the week, so a family can plan around work without a calendar.
    expect(page.body).toContain('czwartek, 3 grudnia 2026 18:00');
    const sessions = await t.db.selectFrom('event_sessions').select('id').where('event_id', '=', eventId).orderBy('starts_at').execute();
    const none = await marta.post(`/my-events/${eventId}/answer`, { attending: '2' });
    expect(none.statusCode).toBe(400);
    expect(none.body).toContain('Prosimy wybrać godzinę');
    const tooMany = await marta.post(`/my-events/${eventId}/answer`, { choice: sessions[1]!.id, attending: 'lots' });
    expect(tooMany.statusCode).toBe(400);
    expect(tooMany.body).toContain('value="lots"');
    expect((await marta.post(`/my-events/${eventId}/answer`, { choice: sessions[0]!.id, attending: '1' })).statusCode).toBe(303);
    expect((await marta.post(`/my-events/${eventId}/answer`, { choice: sessions[1]!.id, attending: '3' })).statusCode).toBe(303);
    const answers = await t.db.selectFrom('event_rsvps').selectAll().where('event_id', '=', eventId).execute();
    expect(answers).toHaveLength(1);
    expect(answers[0]).toMatchObject({ answer: 'yes', session_id: sessions[1]!.id, attending: 3 });
    const ics = await marta.get(`/my-events/${eventId}/calendar.ics`);
    expect(ics.headers['content-type']).toContain('text/calendar');
    expect(ics.body).toContain('Coffee morning');
    expect(ics.body).toContain('DTSTART:20261203T180000Z');
    const grace = await t.as('carer', t.fx.carers.grace);
    expect((await grace.get(`/my-events/${eventId}`)).body).toContain('Thursday 3 December 2026 at 6:00pm – 7:30pm');
    expect((await grace.post(`/my-events/${eventId}/answer`, { choice: 'no' })).statusCode).toBe(303);
  });

  it('before a session is held, the page shows who is expected (said yes), not "Came 0"', async () => {
    const office = await t.as('staff', t.fx.staff.office);
    const page = (await office.get(`/events/${eventId}`)).body;
    const sessions = /id="sessions"[\s\S]*?<\/table>/.exec(page)![0];
    // Who is expected is in "Said yes" (Marta and 3 people, at 18:00); "Came" and "First time" wait for the day.
    expect(sessions.match(/<td class="govuk-table__cell" colspan="2">Not held yet<\/td>/g)).toHaveLength(2);
    expect(sessions).toContain('1 family (3 people)');
    expect(sessions).not.toMatch(/<td class="govuk-table__cell">0<\/td>/);
    expect(page).toContain('Who is coming, by group of families');
    expect(page).not.toContain('Who came, by group of families');
    expect(page).not.toContain('Share who came');
  });

  it('reminders go to those who said yes, once', async () => {
    const office = await t.as('staff', t.fx.staff.office);
    expect((await office.post(`/events/${eventId}/reminders`, {})).statusCode).toBe(303);
    expect((await office.post(`/events/${eventId}/reminders`, {})).statusCode).toBe(303);
    const reminders = await t.db.selectFrom('outbox').select(['idempotency_key', 'payload_json']).where('idempotency_key', 'like', '%:event-reminder:%').execute();
    expect(reminders).toHaveLength(1);
    expect(reminders[0]!.payload_json).toContain('marta@families.test');
  });

  it('the register on the day shows who came for the first time, and the breakdown by group of families', async () => {
    now = new Date('2026-12-03T19:00:00.000Z');
    const teacher = await t.as('staff', t.fx.staff.teacher);
    const sessions = await t.db.selectFrom('event_sessions').select('id').where('event_id', '=', eventId).orderBy('starts_at').execute();
    const evening = `/events/${eventId}/sessions/${sessions[1]!.id}/register`;
    const register = await teacher.get(evening);
    expect(register.statusCode).toBe(200);
    expect(register.body).toMatch(/govuk-checkboxes__label[^>]*>\s*<bdi>Marta Nowak<\/bdi>\s*<\/label>/);
    expect(register.body).toContain('never come to an event before');
    expect(register.body).not.toContain('first time'); // nobody ticked yet
    expect((await teacher.post(evening, { came: [t.fx.carers.marta, t.fx.carers.tomasz] })).statusCode).toBe(303);
    expect((await teacher.post(evening, { came: [t.fx.carers.marta] })).statusCode).toBe(303); // Tomasz untick: kept as not come
    expect((await teacher.get(`${evening}?who=first`)).body).toMatch(/<bdi>Marta Nowak<\/bdi>[\s\S]*· first time/);
    const rows = await t.db.selectFrom('event_attendance').select(['carer_id', 'attended']).where('session_id', '=', sessions[1]!.id).execute();
    expect(rows.find((r) => r.carer_id === t.fx.carers.tomasz)?.attended).toBe(0);
    const office = await t.as('staff', t.fx.staff.office);
    const page = await office.get(`/events/${eventId}`);
    expect(page.body).toContain('Who came, by group of families');
    expect(page.body).toContain('Speaks Polish');
    expect(page.body).toContain('Year 3');
    // Held now: who came, with the count for each session.
    expect(page.body).not.toContain('Not held yet');
    // Fewer than 10 families were asked: as in survey results, no group's figures are shown, only all families'.
    const byGroup = /id="by-group"[\s\S]*?<\/table>/.exec(page.body)![0];
    expect(byGroup).toMatch(/Speaks Polish<\/td>\s*<td class="govuk-table__cell" colspan="5">Not shown: fewer than 10 families were asked<\/td>/);
    expect(byGroup).toMatch(/All families<\/td>\s*<td class="govuk-table__cell govuk-table__cell--numeric">\d+<\/td>/);
    expect(page.body).toContain('a group of fewer than 5 families is not shown');
    const never = await office.get('/events/attendance');
    expect(never.statusCode).toBe(200);
    expect(never.body).toContain('Grace Mensah');
    expect(/id="by-group"[\s\S]*?<\/table>/.exec(never.body)![0]).toContain('Not shown: fewer than 10 families were asked');
    expect(never.body).not.toMatch(/id="never"[\s\S]*Marta Nowak/);
  });

  it('once it is over, a carer is told the event has happened, in her language, and offered no calendar file', async () => {
    const marta = await t.as('carer', t.fx.carers.marta, undefined, { ownLanguage: true });
    const during = (await marta.get(`/my-events/${eventId}`)).body; // 19:00: the evening session runs until 19:30
    expect(during).toContain('calendar.ics');
    expect(during).not.toContain('To wydarzenie już się odbyło.');
    now = new Date('2026-12-03T20:00:00.000Z');
    const after = (await marta.get(`/my-events/${eventId}`)).body;
    expect(after).toContain('To wydarzenie już się odbyło.');
    expect(after).not.toContain('calendar.ics');
    expect(after).not.toContain('Dodaj do kalendarza');
    const grace = (await (await t.as('carer', t.fx.carers.grace)).get(`/my-events/${eventId}`)).body;
    expect(grace).toContain('This event has happened.');
    expect(grace).not.toContain('Add it to my calendar');
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dialects } from '../../../test/support/db.ts';
import { startTestApp, type TestApp } from '../../../test/support/app.ts';

const START = new Date('2026-11-26T10:00:00.000Z');

/**
 * Ms Byrne moves the evening coffee morning and then, the hall flooded, cancels it: those who
 * answered hear of each in their own language (Marta in Polish), the rest are not written to, a
 * session someone answered for cannot just vanish, and Marta's page shows it as cancelled.
 */
describe.each(dialects)('changing and cancelling an event, on %s', (dialect) => {
  let t: TestApp;
  let eventId = '';
  const sends = async (like: string) => t.db.selectFrom('outbox').select(['idempotency_key', 'payload_json']).where('idempotency_key', 'like', `%${like}%`).execute();
  beforeAll(async () => {
    t = await startTestApp(dialect, { clock: () => START });
    const office = await t.as('staff', t.fx.staff.office);
    const made = await office.post('/events', {
      kind: 'coffee_morning',
      title: 'Coffee morning',
      place: 'The school hall',
      audience_kind: 'school',
      session_1_date: '2026-12-03',
      session_1_start: '9am',
      session_1_end: '10:30am',
      session_2_date: '2026-12-03',
      session_2_start: '18:00',
      session_2_end: '19:30',
    });
    eventId = /events\/([^/?]+)/.exec(made.headers.location ?? '')![1]!;
    await office.post(`/events/${eventId}/publish`, {});
    const sessions = await t.db.selectFrom('event_sessions').select('id').where('event_id', '=', eventId).orderBy('starts_at').execute();
    const marta = await t.as('carer', t.fx.carers.marta);
    expect((await marta.post(`/my-events/${eventId}/answer`, { choice: sessions[1]!.id, attending: '2' })).statusCode).toBe(303);
    const grace = await t.as('carer', t.fx.carers.grace);
    expect((await grace.post(`/my-events/${eventId}/answer`, { choice: 'no' })).statusCode).toBe(303);
  });
  afterAll(async () => t?.close());

  const form = {
    kind: 'coffee_morning',
    title: 'Coffee morning',
    description: '',
    place: 'The school hall',
    session_1_date: '2026-12-03',
    session_1_start: '09:00',
    session_1_end: '10:30',
    session_2_date: '2026-12-03',
    session_2_start: '18:00',
    session_2_end: '19:30',
  };

  it('the change form is filled in; a teacher may not open it; bad input keeps what was typed', async () => {
    const office = await t.as('staff', t.fx.staff.office);
    const page = await office.get(`/events/${eventId}/edit`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('value="The school hall"');
    expect(page.body).toContain('value="18:00"');
    expect(page.body).toContain('id="session_1_date-month" name="session_1_date-month" type="text" value="12"'); // the saved date in GOV.UK's three boxes
    expect(page.body).not.toContain('Who is it for?'); // a sent event keeps its families
    const teacher = await t.as('staff', t.fx.staff.teacher);
    expect([403, 404]).toContain((await teacher.get(`/events/${eventId}/edit`)).statusCode);
    const bad = await office.post(`/events/${eventId}/edit`, { ...form, place: '', title: 'Coffee and cake' });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('Enter where it is');
    expect(bad.body).toContain('value="Coffee and cake"');
  });

  it('a session families answered for cannot be taken away', async () => {
    const office = await t.as('staff', t.fx.staff.office);
    const res = await office.post(`/events/${eventId}/edit`, { ...form, session_2_date: '', session_2_start: '', session_2_end: '' });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('Families have answered for this session');
    expect(await t.db.selectFrom('event_sessions').select('id').where('event_id', '=', eventId).execute()).toHaveLength(2);
  });

  it('new words alone tell nobody; a new time and place tell those who answered, in their language, once', async () => {
    const office = await t.as('staff', t.fx.staff.office);
    expect((await office.post(`/events/${eventId}/edit`, { ...form, description: 'Cake too' })).statusCode).toBe(303);
    expect(await sends('event-changed')).toHaveLength(0);
    const moved = { ...form, place: 'The library', session_2_start: '18:30', session_2_end: '20:00' };
    const res = await office.post(`/events/${eventId}/edit`, moved);
    expect(res.statusCode).toBe(303);
    expect((await office.get(res.headers.location!)).body).toContain('Families who answered are being told');
    expect((await office.post(`/events/${eventId}/edit`, moved)).statusCode).toBe(303); // the same again tells nobody twice
    const told = await sends('event-changed');
    const to = told.map((s) => (JSON.parse(s.payload_json) as { to: string }).to).sort();
    expect(to).toEqual(['grace@families.test', 'marta@families.test'].sort());
    const marta = JSON.parse(told.find((s) => s.payload_json.includes('marta@'))!.payload_json) as { subject: string; text: string };
    expect(marta.subject).toContain('Zmiana');
    expect(marta.text).toContain('The library');
    // Marta's answer stays with the moved session.
    const rsvp = await t.db.selectFrom('event_rsvps').select('session_id').where('event_id', '=', eventId).where('carer_id', '=', t.fx.carers.marta).executeTakeFirstOrThrow();
    const session = await t.db.selectFrom('event_sessions').select('starts_at').where('id', '=', rsvp.session_id!).executeTakeFirstOrThrow();
    expect(session.starts_at).toBe('2026-12-03T18:30:00.000Z');
    const entries = await t.db.selectFrom('audit_log').select('action').where('entity_id', '=', eventId).where('action', '=', 'event.changed').execute();
    expect(entries.length).toBe(3);
  });

  it('cancelling asks first, then tells those who answered; carers see it cancelled and cannot answer', async () => {
    const office = await t.as('staff', t.fx.staff.office);
    const confirm = await office.get(`/events/${eventId}/cancel`);
    expect(confirm.statusCode).toBe(200);
    expect(confirm.body).toContain('2 families who answered will be told');
    expect((await t.db.selectFrom('events').select('status').where('id', '=', eventId).executeTakeFirstOrThrow()).status).toBe('published');
    expect((await office.post(`/events/${eventId}/cancel`, { reason: 'The hall has flooded.' })).statusCode).toBe(303);
    expect((await office.post(`/events/${eventId}/cancel`, { reason: 'The hall has flooded.' })).statusCode).toBe(303);
    expect((await t.db.selectFrom('events').select('status').where('id', '=', eventId).executeTakeFirstOrThrow()).status).toBe('cancelled');
    const told = await sends('event-cancelled');
    expect(told).toHaveLength(2);
    expect(told.find((s) => s.payload_json.includes('marta@'))!.payload_json).toContain('Odwołane');
    expect(told[0]!.payload_json).toContain('The hall has flooded.');
    expect(await t.db.selectFrom('audit_log').select('id').where('entity_id', '=', eventId).where('action', '=', 'event.cancelled').execute()).toHaveLength(1);
    expect((await office.get(`/events/${eventId}`)).body).toContain('Cancelled');
    expect((await office.get(`/events/${eventId}/edit`)).statusCode).toBe(303);

    const marta = await t.as('carer', t.fx.carers.marta, undefined, { ownLanguage: true });
    expect((await marta.get('/my-events')).body).toContain('Odwołane');
    const page = await marta.get(`/my-events/${eventId}`);
    expect(page.body).toContain('Odwołane');
    expect(page.body).not.toContain(`action="/my-events/${eventId}/answer"`);
    expect((await marta.post(`/my-events/${eventId}/answer`, { choice: 'no' })).statusCode).toBe(400);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';
import { dialects } from './support/db.ts';
import { startTestApp, type TestApp } from './support/app.ts';
import { readConfig } from '../src/config.ts';
import { createSession } from '../src/platform/auth/sessions.ts';
import { makeBookingEvening } from '../src/features/evenings/booking-test-data.ts';
import { insertMeeting } from '../src/features/meetings/record-test-data.ts';

/**
 * Links in emails and letters point at Gatepost's configured address, never at the Host header a
 * request arrives with: a forged Host must not mail a real sign-in link to the forger's site. Here
 * BASE_URL is unset and Gatepost listens on loopback, so every link is on http://127.0.0.1:3000.
 */
const FORGED = 'evil.example';
const BASE = 'http://127.0.0.1:3000';
const NOW = new Date('2026-11-10T12:00:00.000Z');
// Unset BASE_URL (startTestApp sets one unless told otherwise).
const NO_BASE_URL = { BASE_URL: undefined as unknown as string };

type Client = { get(url: string): Promise<LightMyRequestResponse>; post(url: string, form?: Record<string, string | string[]>): Promise<LightMyRequestResponse> };

/** A client whose every request carries the forged Host header (and X-Forwarded-Host, for a trusted proxy). */
function forgedClient(t: TestApp, cookie: string, csrf: string): Client {
  const headers = { host: FORGED, 'x-forwarded-host': FORGED, cookie };
  return {
    get: (url) => t.app.inject({ method: 'GET', url, headers }),
    post: (url, form = {}) =>
      t.app.inject({
        method: 'POST',
        url,
        headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams(Object.entries({ _csrf: csrf, ...form }).flatMap(([k, v]) => [v].flat().map((x) => [k, x]))).toString(),
      }),
  };
}

async function signedIn(t: TestApp, kind: 'staff' | 'carer', id: string): Promise<Client> {
  const { token, session } = await createSession(t.db, { kind, id, schoolId: t.fx.school.id }, new Date());
  return forgedClient(t, `gatepost=${token}`, session.csrf_token);
}

const anonymous = (t: TestApp) => forgedClient(t, 'gatepost-csrf=anonymous-csrf-token-for-tests-0001', 'anonymous-csrf-token-for-tests-0001');

/** The form id a page drew, if it draws one. */
const formIdOf = (html: string): Record<string, string> => {
  const found = /name="form_id" value="([^"]+)"/.exec(html);
  return found ? { form_id: found[1]! } : {};
};

const linksIn = (text: string) => text.match(/https?:\/\/[^\s"'<>)]+/g) ?? [];

describe.each(dialects)('links from configuration only, on %s', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(dialect, { clock: () => NOW, env: NO_BASE_URL });
  });
  afterAll(async () => t?.close());

  it('builds links on the configured address from every route that sends or prints one, whatever Host the request names', async () => {
    expect(t.config.baseUrl).toBe(BASE);
    const { carers, staff, pupils, classes } = t.fx;
    const steps: [string, LightMyRequestResponse][] = [];

    // A carer asks for a sign-in link.
    steps.push(['sign-in link', await anonymous(t).post('/sign-in/link', { email: 'marta@families.test' })]);

    // The office prints a sign-in letter.
    const office = await signedIn(t, 'staff', staff.office);
    const letter = await office.post(`/carers/${carers.faduma}/sign-in-code`);
    steps.push(['sign-in letter', letter]);
    expect(letter.body).toContain(`${BASE}/sign-in/code`);

    // A class newsletter, and praise.
    const teacher = await signedIn(t, 'staff', staff.teacher);
    const compose = await teacher.get('/messages/new');
    const saved = await teacher.post('/messages/new', {
      ...formIdOf(compose.body),
      kind: 'class_newsletter',
      audience_kind: 'classes',
      class_ids: classes.y3,
      subject: 'This week in 3 Okafor',
      body: 'We read The Iron Man.',
      asks_acknowledgement: 'yes',
    });
    steps.push(['newsletter saved', saved]);
    steps.push(['newsletter sent', await teacher.post(`${saved.headers.location}/send`)]);
    steps.push(['praise', await teacher.post('/praise', { class_id: classes.y3, pupil_ids: [pupils.kuba], note: 'Fantastic reading today' })]);

    // A parents' evening booked by a carer, and one booked by the office for a carer who rang.
    const evening = await makeBookingEvening(t.db, t.fx);
    const marta = await signedIn(t, 'carer', carers.marta);
    steps.push(['booking', await marta.post(`/parents-evenings/${evening.id}`, { [`slot_${pupils.kuba}_${staff.teacher}`]: evening.slot(staff.teacher, '16:00') })]);
    steps.push(['booking for a carer', await office.post(`/evenings/${evening.id}/book-for/${carers.tomasz}`, { [`slot_${pupils.kuba}_${staff.teacher}`]: evening.slot(staff.teacher, '16:30') })]);

    // A meeting arranged, and one referred to a leader (an alert).
    const form = await teacher.get(`/meetings/new?pupil=${pupils.kuba}`);
    steps.push([
      'meeting',
      await teacher.post('/meetings/new', {
        ...formIdOf(form.body),
        pupil_id: pupils.kuba,
        kind: 'progress',
        topic: 'How Kuba is getting on',
        carer_ids: carers.marta,
        lead_id: staff.teacher,
        date: '2026-12-02',
        time: '15:30',
        minutes: '20',
        mode: 'in_person',
        place: 'Room 3',
      }),
    ]);
    const held = await insertMeeting(t.db, t.fx, { pupilId: pupils.kuba, leadId: staff.teacher, carerIds: [carers.marta], startsAt: '2026-11-09T15:30:00.000Z' });
    steps.push(['referral', await teacher.post(`/meetings/${held}/record/refer`, { referred_to: staff.senior_leader, referral_note: 'Dad disputes the SEN plan.' })]);

    for (const [what, res] of steps) expect([200, 303], `${what}: ${res.body.slice(0, 300)}`).toContain(res.statusCode);

    const outbox = await t.db.selectFrom('outbox').select(['idempotency_key', 'payload_json']).execute();
    const count = (prefix: string) => new Set(outbox.filter((r) => r.idempotency_key.startsWith(`email:${prefix}:`)).map((r) => r.idempotency_key.split(':')[2])).size;
    // One sign-in link, two messages (the newsletter and the praise), two bookings, a meeting and an alert.
    expect([count('sign-in'), count('msg'), count('evening-booked'), count('scheduled'), count('alert')]).toEqual([1, 2, 2, 1, 1]);
    for (const row of outbox) {
      expect(row.payload_json, row.idempotency_key).not.toContain(FORGED);
      const links = linksIn(JSON.parse(row.payload_json).text as string);
      expect(links.length, row.idempotency_key).toBeGreaterThan(0);
      for (const link of links) expect(link.startsWith(`${BASE}/`), `${row.idempotency_key}: ${link}`).toBe(true);
    }
    // Among them, Marta's sign-in link, on the configured address.
    const signIn = outbox.find((r) => r.idempotency_key.startsWith('email:sign-in:'));
    expect(linksIn(JSON.parse(signIn!.payload_json).text as string)[0]).toMatch(/^http:\/\/127\.0\.0\.1:3000\/sign-in\/link\/[\w-]+\.[\w-]+$/);
  }, 60_000);
});

describe('behind a proxy that is trusted', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp('sqlite', { env: { ...NO_BASE_URL, TRUST_PROXY: 'yes' } });
  });
  afterAll(async () => t?.close());

  it('ignores X-Forwarded-Host too', async () => {
    expect((await anonymous(t).post('/sign-in/link', { email: 'grace@families.test' })).statusCode).toBe(200);
    const mail = await t.sink.waitFor('grace@families.test');
    expect(mail.text).toContain(`${BASE}/sign-in/link/`);
    expect(mail.text).not.toContain(FORGED);
  });
});

describe('the public address in the configuration', () => {
  it('is BASE_URL when set, without a trailing slash', () => {
    expect(readConfig({ BASE_URL: 'https://gatepost.brookfield.sch.uk/', HOST: '0.0.0.0' }).baseUrl).toBe('https://gatepost.brookfield.sch.uk');
  });

  it('is built from HOST and PORT only when Gatepost listens on loopback', () => {
    expect(readConfig({}).baseUrl).toBe('http://127.0.0.1:3000');
    expect(readConfig({ HOST: 'localhost', PORT: '8080' }).baseUrl).toBe('http://localhost:8080');
    expect(readConfig({ HOST: '127.0.0.2', PORT: '3001' }).baseUrl).toBe('http://127.0.0.2:3001');
    expect(readConfig({ HOST: '::1', PORT: '3000' }).baseUrl).toBe('http://[::1]:3000');
  });

  it('is required, with a clear message, when Gatepost listens anywhere else', () => {
    for (const HOST of ['0.0.0.0', '::', '192.0.2.10', 'gatepost.brookfield.sch.uk']) {
      expect(() => readConfig({ HOST })).toThrow(`Gatepost cannot start: set BASE_URL to the address people use to reach Gatepost`);
      expect(() => readConfig({ HOST })).toThrow(`HOST is ${HOST}`);
    }
    expect(() => readConfig({ HOST: '0.0.0.0', BASE_URL: 'ftp://gatepost.example' })).toThrow('BASE_URL must start with https:// (or http://)');
  });
});

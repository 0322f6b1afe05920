import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import net from 'node:net';
import type { LightMyRequestResponse } from 'fastify';
import { dialects } from './support/db.ts';
import { startTestApp, type TestApp } from './support/app.ts';
import { FIXTURE_PASSWORD } from './support/fixture.ts';
import { createSession } from '../src/platform/auth/sessions.ts';

/**
 * What a person (or a probe) sees when the input is hostile: the app's own error page with its
 * security headers, never a 500 or a bare JSON answer; and the few cases the issue names, checked by
 * what they show.
 */
const isErrorPage = (res: { headers: Record<string, unknown>; body: string }) => {
  expect(String(res.headers['content-type'])).toMatch(/^text\/html/);
  expect(String(res.headers['content-security-policy'])).toContain("default-src 'self'");
  expect(res.headers['x-frame-options']).toBe('DENY');
  expect(res.body).toContain('Sorry, there is a problem');
};

describe.each(dialects)('answers to hostile input on %s', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(dialect);
  });
  afterAll(async () => t?.close());

  it('reads a repeated search once on the pupils, carers and audit pages', async () => {
    const head = await t.as('staff', t.fx.staff.head);
    const pupils = await head.get('/pupils?q=Jakub&q=Nobody');
    expect(pupils.statusCode).toBe(200);
    expect(pupils.body).toContain('Jakub');
    const carers = await head.get('/carers?q=Marta&q=Nobody&page=1&page=2');
    expect(carers.statusCode).toBe(200);
    expect(carers.body).toContain('Marta');
    const audit = await head.get('/audit?entity=a&entity=b&before=x&before=y');
    expect(audit.statusCode).toBe(200);
  });

  it('answers a NUL byte with 400 and the error page, signed in or not, before anything reaches the database', async () => {
    const anonymous = t.anonymous();
    const form = await anonymous.post('/sign-in', { email: 'patel@brookfield.example\u0000', password: 'x' });
    expect(form.statusCode).toBe(400);
    expect(form.body).toContain('a character Gatepost cannot store');
    const path = await anonymous.get('/sign-in/link/abc%00def');
    expect(path.statusCode).toBe(400);
    isErrorPage(path);
    const cookie = await t.app.inject({ method: 'GET', url: '/', headers: { cookie: 'gatepost=abc%00' } });
    expect(cookie.statusCode).toBe(400);
    const head = await t.as('staff', t.fx.staff.head);
    const search = await head.get('/pupils?q=Ja%00kub');
    expect(search.statusCode).toBe(400);
    isErrorPage(search);
  });

  it('a newline in next neither breaks the sign-in page nor leads anywhere after sign-in', async () => {
    const page = await t.anonymous().get('/sign-in?next=%2F%0A%2Fevil.example');
    expect(page.statusCode).toBe(200);
    const signIn = await t.anonymous().post('/sign-in', { email: 'patel@brookfield.example', password: FIXTURE_PASSWORD, next: '/\n/evil.example' });
    expect(signIn.statusCode).toBeLessThan(500);
    expect(String(signIn.headers.location ?? '')).not.toContain('evil');
  });

  it('refuses a body in a type no form of ours sends with 415 and the error page', async () => {
    const json = await t.app.inject({ method: 'POST', url: '/sign-in', headers: { 'content-type': 'application/json' }, payload: JSON.stringify({ email: 5 }) });
    expect(json.statusCode).toBe(415);
    isErrorPage(json);
    const { token, session } = await createSession(t.db, { kind: 'staff', id: t.fx.staff.head, schoolId: t.fx.school.id }, new Date());
    const multipart = await t.app.inject({
      method: 'POST',
      url: '/glossary',
      headers: { cookie: `gatepost=${token}`, 'content-type': 'multipart/form-data; boundary=b' },
      payload: `--b\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${session.csrf_token}\r\n--b--\r\n`,
    });
    expect(multipart.statusCode).toBe(415);
  });

  it("gives Fastify's own 400, 413 and 414 answers the error page and security headers", async () => {
    const badUrl = await t.app.inject({ method: 'GET', url: '/pupils/%E0%A4%A' });
    expect(badUrl.statusCode).toBe(400);
    isErrorPage(badUrl);
    const longParam = await t.app.inject({ method: 'GET', url: `/pupils/${'x'.repeat(300)}` });
    expect(longParam.statusCode).toBe(414);
    isErrorPage(longParam);
    const tooBig = await t.anonymous().post('/sign-in', { email: 'a'.repeat(3 * 1024 * 1024) });
    expect(tooBig.statusCode).toBe(413);
    isErrorPage(tooBig);
    const badCookie = await t.app.inject({ method: 'GET', url: '/sign-in', headers: { cookie: 'gatepost=%%%; gatepost-csrf=%FF' } });
    expect(badCookie.statusCode).toBeLessThan(500);
  });

  it("gives Node's own 431 (headers too large) the error page and security headers", async () => {
    const address = await t.app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = new URL(address);
    const raw = await new Promise<string>((resolve, reject) => {
      const socket = net.connect(Number(port), '127.0.0.1', () => {
        socket.write(`GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: gatepost=${'x'.repeat(40_000)}\r\n\r\n`);
      });
      let data = '';
      socket.on('data', (chunk) => (data += chunk.toString()));
      socket.on('close', () => resolve(data));
      socket.on('error', reject);
    });
    const [head, body] = raw.split('\r\n\r\n');
    expect(head).toMatch(/^HTTP\/1.1 431/);
    expect(head).toMatch(/content-security-policy: default-src 'self'/i);
    expect(head).toMatch(/content-type: text\/html/i);
    expect(body).toContain('Sorry, there is a problem');
  });

  it('a double press on the compose form saves one draft', async () => {
    const head = await t.as('staff', t.fx.staff.head);
    const page = await head.get('/messages/new');
    const formId = /name="form_id" value="([^"]+)"/.exec(page.body)?.[1];
    expect(formId).toBeTruthy();
    const fields = { form_id: formId!, kind: 'newsletter', tone: 'information', subject: 'Cake sale twice?', body: 'Friday.', audience_kind: 'school' };
    const [first, second] = await Promise.all([head.post('/messages/new', fields), head.post('/messages/new', fields)]);
    const third = await head.post('/messages/new', fields);
    for (const res of [first, second, third] as LightMyRequestResponse[]) {
      expect(res.statusCode).toBe(303);
      expect(res.headers.location).toBe(`/messages/${formId}`);
    }
    const drafts = await t.db.selectFrom('messages').select('id').where('subject', '=', 'Cake sale twice?').execute();
    expect(drafts).toHaveLength(1);
    const audited = await t.db.selectFrom('audit_log').select('id').where('entity_id', '=', formId!).where('action', '=', 'message.drafted').execute();
    expect(audited).toHaveLength(1);
  });
});

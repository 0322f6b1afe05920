import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dialects } from '../../../test/support/db.ts';
import { startTestApp, type TestApp } from '../../../test/support/app.ts';
import { FIXTURE_PASSWORD } from '../../../test/support/fixture.ts';

describe.each(dialects)('sign-in on %s', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(dialect);
  });
  afterAll(async () => t?.close());

  it('signs a member of staff in with email and password and shows their home page', async () => {
    const c = t.anonymous();
    const res = await c.post('/sign-in', { email: 'Okafor@Brookfield.test', password: FIXTURE_PASSWORD });
    expect(res.statusCode).toBe(303);
    const cookie = String(res.headers['set-cookie']);
    expect(cookie).toMatch(/gatepost=[^;]+; Path=\/; HttpOnly; SameSite=Lax/);
    const home = await t.app.inject({ url: '/', headers: { cookie: cookie.split(';')[0]! } });
    expect(home.statusCode).toBe(200);
  });

  it('refuses a wrong password with a message beside the field and keeps the email typed', async () => {
    const res = await t.anonymous().post('/sign-in', { email: 'hall@brookfield.test', password: 'wrong password here' });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('The email address or password is not right');
    expect(res.body).toContain('value="hall@brookfield.test"');
  });

  it('refuses a form without its CSRF token', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/sign-in', payload: { email: 'a@b.test', password: 'x' } });
    expect(res.statusCode).toBe(403);
    expect(res.body).toContain('This form has expired');
  });
});

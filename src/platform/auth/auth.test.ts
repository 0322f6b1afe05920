import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dialects } from '../../../test/support/db.ts';
import { startTestApp, type TestApp } from '../../../test/support/app.ts';
import { FIXTURE_PASSWORD, insertStaff, staffRow } from '../../../test/support/fixture.ts';
import { currentTotp } from './totp.ts';
import { createSession, loadSession, writeTouches } from './sessions.ts';
import { issueSignInLink, redeemSignInLink } from './sign-in-tokens.ts';

function sessionCookie(res: { headers: Record<string, unknown> }): string {
  const all = [res.headers['set-cookie']].flat().map(String);
  const c = all.find((x) => x.startsWith('gatepost=') || x.startsWith('__Host-gatepost='));
  if (!c) throw new Error(`no session cookie in ${all.join(' | ')}`);
  return c.split(';')[0]!;
}

describe.each(dialects)('sign-in on %s', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(dialect);
  });
  afterAll(async () => t?.close());

  it('signs a member of staff in with email and password and shows their home page', async () => {
    const res = await t.anonymous().post('/sign-in', { email: 'Okafor@Brookfield.test', password: FIXTURE_PASSWORD });
    expect(res.statusCode).toBe(303);
    expect(String(res.headers['set-cookie'])).toMatch(/gatepost=[^;]+; Path=\/; HttpOnly; SameSite=Lax/);
    const home = await t.app.inject({ url: '/', headers: { cookie: sessionCookie(res) } });
    expect(home.statusCode).toBe(200);
    expect(home.body).toContain('Hello, <bdi>Mr Okafor</bdi>');
    expect(home.body).toContain('3 Okafor');
  });

  it('refuses a wrong password with a message beside the field and keeps the email typed', async () => {
    const res = await t.anonymous().post('/sign-in', { email: 'hall@brookfield.test', password: 'wrong password here' });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('The email address or password is not right');
    expect(res.body).toContain('value="hall@brookfield.test"');
  });

  it('refuses a form without its CSRF token', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/sign-in', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'email=a%40b.test&password=x' });
    expect(res.statusCode).toBe(403);
    expect(res.body).toContain('This form has expired');
  });

  it('emails a carer a link that signs them in once, and says the same for an unknown address', async () => {
    t.sink.messages.length = 0;
    // Grace reads English (Marta's link, in Polish, is in carer-language.test.ts).
    const asked = await t.anonymous().post('/sign-in/link', { email: 'grace@families.test' });
    expect(asked.body).toContain('Check your email');
    const mail = await t.sink.waitFor('grace@families.test');
    expect(mail.subject).toBe('Sign in to Brookfield Primary School');
    const link = /http:\/\/gatepost\.test(\/sign-in\/link\/\S+)/.exec(mail.text)?.[1];
    expect(link).toBeDefined();
    // Opening the link (as a mail scanner would) does not use it up.
    expect((await t.anonymous().get(link!)).body).toContain('Press the button to finish signing in');
    const used = await t.anonymous().post(link!);
    expect(used.statusCode).toBe(303);
    const home = await t.app.inject({ url: '/', headers: { cookie: sessionCookie(used) } });
    expect(home.body).toContain('Your children');
    const again = await t.anonymous().post(link!);
    expect(again.body).toContain('This sign-in link has expired');

    const unknown = await t.anonymous().post('/sign-in/link', { email: 'nobody@nowhere.test' });
    expect(unknown.body).toContain('Check your email');
    // Every send is an outbox row written before the answer: none means no email, now or later.
    expect(await t.db.selectFrom('outbox').select('id').where('recipient', '=', 'nobody@nowhere.test').execute()).toEqual([]);
  });

  it('does not accept a link past its lifetime or with a wrong secret', async () => {
    const issuedAt = new Date('2026-11-23T10:00:00Z');
    const token = await issueSignInLink(t.db, { id: t.fx.carers.grace, schoolId: t.fx.school.id }, issuedAt, 20);
    const [selector] = token.split('.');
    expect(await redeemSignInLink(t.db, `${selector}.wrongsecret`, issuedAt)).toBeNull();
    expect(await redeemSignInLink(t.db, token, new Date('2026-11-23T10:21:00Z'))).toBeNull();
    const fresh = await issueSignInLink(t.db, { id: t.fx.carers.grace, schoolId: t.fx.school.id }, issuedAt, 20);
    expect(await redeemSignInLink(t.db, fresh, new Date('2026-11-23T10:19:00Z'))).toEqual({ carerId: t.fx.carers.grace, schoolId: t.fx.school.id });
  });

  it('asks staff with two-step sign-in for their code before letting them in', async () => {
    const head = await t.as('staff', t.fx.staff.senco);
    const setup = await head.get('/account/two-step');
    const secret = /id="totp-secret">([A-Z2-7]+)</.exec(setup.body)?.[1];
    expect(secret).toBeDefined();
    expect((await head.post('/account/two-step', { code: '000000' })).body).toContain('The code is not right');
    expect((await head.post('/account/two-step', { code: currentTotp(secret!) })).statusCode).toBe(303);

    const first = await t.anonymous().post('/sign-in', { email: 'hughes@brookfield.test', password: FIXTURE_PASSWORD });
    expect(first.headers.location).toMatch(/^\/sign-in\/two-step/);
    const pending = sessionCookie(first);
    expect((await t.app.inject({ url: '/pupils', headers: { cookie: pending } })).headers.location).toMatch(/^\/sign-in/);
    const pendingSession = await t.db.selectFrom('sessions').select('csrf_token').where('second_factor_pending', '=', 1).executeTakeFirstOrThrow();
    const done = await t.app.inject({
      method: 'POST',
      url: '/sign-in/two-step',
      headers: { cookie: pending, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ _csrf: pendingSession.csrf_token, code: currentTotp(secret!), next: '/pupils' }).toString(),
    });
    expect(done.statusCode).toBe(303);
    expect(done.headers.location).toBe('/pupils');
    expect((await t.app.inject({ url: '/pupils', headers: { cookie: sessionCookie(done) } })).statusCode).toBe(200);
  });

  it('makes a password guesser wait after five wrong tries from one network (password-guessing.test.ts has the rest)', async () => {
    for (let i = 0; i < 5; i++) await t.anonymous().post('/sign-in', { email: 'green@brookfield.test', password: `guess number ${i}` });
    const blocked = await t.anonymous().post('/sign-in', { email: 'green@brookfield.test', password: FIXTURE_PASSWORD });
    expect(blocked.statusCode).toBe(429);
    expect(blocked.body).toContain('too many wrong passwords from your network');
  });

  it('lets a carer set a password and sign in with it', async () => {
    const grace = await t.as('carer', t.fx.carers.grace);
    const short = await grace.post('/account/password', { password: 'short', confirm: 'short' });
    expect(short.body).toContain('Enter a password of at least 12 characters');
    expect((await grace.post('/account/password', { password: 'a long family password', confirm: 'a long family password' })).statusCode).toBe(303);
    const res = await t.anonymous().post('/sign-in', { email: 'grace@families.test', password: 'a long family password' });
    expect(res.statusCode).toBe(303);
  });

  it('reads every role of a member of staff with their session (a teacher who is also the SENCO sees the SENCO’s home page too), and none for staff with no role', async () => {
    const at = new Date().toISOString();
    const ruth = (email: string, family: string) => staffRow(at, { school_id: t.fx.school.id, email, title: 'Ms', given_name: 'Ruth', family_name: family, job_title: '' });
    const both = await insertStaff(t.db, ruth('price@brookfield.test', 'Price'), ['teacher', 'senco']);
    const none = await insertStaff(t.db, ruth('moss@brookfield.test', 'Moss'), []);
    const load = async (id: string) => {
      const { token } = await createSession(t.db, { kind: 'staff', id, schoolId: t.fx.school.id }, new Date());
      const loaded = await loadSession(t.db, token, t.config.sessions, new Date());
      return loaded?.user?.kind === 'staff' ? loaded.user : null;
    };
    expect((await load(both))?.roles.toSorted()).toEqual(['senco', 'teacher']);
    expect(await load(none)).toMatchObject({ name: 'Ms Moss', roles: [] });
    expect((await (await t.as('staff', both)).get('/')).body).toContain('id="belonging"'); // the SENCO's Belonging card
  });

  it('keeps a session in use alive: what it was last seen at is written within a second, to the second, many together', async () => {
    const at = new Date('2026-11-23T09:00:00Z');
    const made = await Promise.all([t.fx.staff.office, t.fx.staff.head].map((id) => createSession(t.db, { kind: 'staff', id, schoolId: t.fx.school.id }, at)));
    const seen = new Date('2026-11-23T09:40:00.750Z');
    for (const { token } of made) expect(await loadSession(t.db, token, t.config.sessions, seen)).not.toBeNull();
    await writeTouches(t.db);
    const rows = await t.db
      .selectFrom('sessions')
      .select('last_seen_at')
      .where(
        'id',
        'in',
        made.map((m) => m.session.id),
      )
      .execute();
    expect(rows.map((r) => r.last_seen_at)).toEqual(['2026-11-23T09:40:00.000Z', '2026-11-23T09:40:00.000Z']);
    // Idle from 09:40, not from 09:00: still signed in a minute before the idle time after 09:40, not after it.
    const idle = t.config.sessions.staffIdleMinutes;
    const later = new Date(Date.parse('2026-11-23T09:40:00Z') + (idle - 1) * 60_000);
    expect(await loadSession(t.db, made[0]!.token, t.config.sessions, later)).not.toBeNull();
    expect(await loadSession(t.db, made[1]!.token, t.config.sessions, new Date(Date.parse('2026-11-23T09:00:00Z') + (idle + 41) * 60_000))).toBeNull();
  });

  it('ends a session after its idle time, and on sign-out', async () => {
    const { token } = await createSession(t.db, { kind: 'staff', id: t.fx.staff.office, schoolId: t.fx.school.id }, new Date('2026-11-23T09:00:00Z'));
    expect(await loadSession(t.db, token, t.config.sessions, new Date('2026-11-23T09:30:00Z'))).not.toBeNull();
    expect(await loadSession(t.db, token, t.config.sessions, new Date('2026-11-23T11:00:00Z'))).toBeNull();

    const office = await t.as('staff', t.fx.staff.office);
    expect((await office.post('/sign-out')).body).toContain('You have signed out');
    expect((await office.get('/pupils')).headers.location).toMatch(/^\/sign-in/);
  });
});

describe('cookies over HTTPS behind a proxy', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp('sqlite', { env: { TRUST_PROXY: 'yes' } });
  });
  afterAll(async () => t?.close());

  it('uses a __Host- prefixed, Secure, HttpOnly cookie', async () => {
    const csrf = 'x'.repeat(32);
    const res = await t.app.inject({
      method: 'POST',
      url: '/sign-in',
      headers: { 'x-forwarded-proto': 'https', cookie: `__Host-gatepost-csrf=${csrf}`, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ _csrf: csrf, email: 'patel@brookfield.test', password: FIXTURE_PASSWORD }).toString(),
    });
    expect(res.statusCode).toBe(303);
    expect(String(res.headers['set-cookie'])).toMatch(/__Host-gatepost=[^;]+; Path=\/; HttpOnly; Secure; SameSite=Lax/);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';
import { dialects } from '../../../test/support/db.ts';
import { startTestApp, type TestApp } from '../../../test/support/app.ts';
import { FIXTURE_PASSWORD } from '../../../test/support/fixture.ts';
import { currentTotp, newTotpSecret } from './totp.ts';
import { sha256 } from './tokens.ts';

/**
 * Someone guesses a member of staff's password from their own network. The guesser is made to wait;
 * the real person, on the school's network, signs in as usual and is told by email, once.
 */
const START = Date.parse('2026-11-24T07:30:00.000Z');
const GUESSER = '203.0.113.66';
const SCHOOL = '192.0.2.10';

function sessionCookie(res: LightMyRequestResponse): string {
  const c = [res.headers['set-cookie']]
    .flat()
    .map(String)
    .find((x) => x.startsWith('gatepost='));
  if (!c) throw new Error('no session cookie');
  return c.split(';')[0]!;
}

describe.each(dialects)('password and two-step guessing on %s', (dialect) => {
  let t: TestApp;
  let now = new Date(START);
  const later = (seconds: number) => (now = new Date(now.getTime() + seconds * 1000));

  function post(url: string, form: Record<string, string>, remoteAddress: string, cookie = ''): Promise<LightMyRequestResponse> {
    const csrf = 'anonymous-csrf-token-for-tests-0001';
    return t.app.inject({
      method: 'POST',
      url,
      remoteAddress,
      headers: { cookie: `gatepost-csrf=${csrf}${cookie ? `; ${cookie}` : ''}`, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ _csrf: csrf, ...form }).toString(),
    });
  }

  beforeAll(async () => {
    t = await startTestApp(dialect, { clock: () => now });
  });
  afterAll(async () => t?.close());

  it('slows a password guesser down while the real person signs in from elsewhere, and tells them once', async () => {
    const answers: LightMyRequestResponse[] = [];
    for (let i = 0; i < 5; i++) {
      answers.push(await post('/sign-in', { email: 'okafor@brookfield.test', password: `guess number ${i}` }, GUESSER));
      later(0.5);
    }
    expect(answers.map((r) => r.statusCode)).toEqual([400, 400, 400, 400, 400]);
    expect(answers[4]!.body).toContain('The email address or password is not right. Wait 2 seconds before you try again');
    // Straight away, even the right password is not tried from the guesser's network…
    const waiting = await post('/sign-in', { email: 'okafor@brookfield.test', password: FIXTURE_PASSWORD }, GUESSER);
    expect(waiting.statusCode).toBe(429);
    expect(waiting.headers['retry-after']).toBe('2');
    expect(waiting.body).toContain('There have been too many wrong passwords from your network. Wait 2 seconds, then try again');
    expect(waiting.body).toContain('value="okafor@brookfield.test"');

    // …but Mr Okafor, at school, signs in as usual.
    const real = await post('/sign-in', { email: 'okafor@brookfield.test', password: FIXTURE_PASSWORD }, SCHOOL);
    expect(real.statusCode).toBe(303);
    expect((await t.app.inject({ url: '/', headers: { cookie: sessionCookie(real) } })).body).toContain('Hello, <bdi>Mr Okafor</bdi>');

    // He is told by email, through the outbox, and the school's audit says so.
    const mail = await t.sink.waitFor('okafor@brookfield.test');
    expect(mail.subject).toBe('Someone is trying to sign in to your Gatepost account');
    expect(mail.text).toContain('with a wrong password 5 times');
    expect(mail.text).toContain(`from the network ${GUESSER}`);
    expect(mail.text).toContain('turn on two-step sign-in');
    const audited = await t.db.selectFrom('audit_log').select(['action', 'entity_id']).where('action', '=', 'staff.sign_in_warning_sent').execute();
    expect(audited).toEqual([{ action: 'staff.sign_in_warning_sent', entity_id: t.fx.staff.teacher }]);

    // The guesser waits longer after every wrong try, and is never locked out for good.
    const waits: number[] = [];
    for (let i = 0; i < 4; i++) {
      const wait = Number((await post('/sign-in', { email: 'okafor@brookfield.test', password: 'still guessing' }, GUESSER)).headers['retry-after'] ?? 0);
      const next = await (async () => {
        later(wait > 0 ? wait : 2);
        return post('/sign-in', { email: 'okafor@brookfield.test', password: `another guess ${i}` }, GUESSER);
      })();
      expect(next.statusCode).toBe(400);
      waits.push(Number(/Wait (\d+) seconds/.exec(next.body)?.[1] ?? /Wait (\d+) minutes?/.exec(next.body)?.[1]));
    }
    expect(waits).toEqual([4, 8, 16, 32]);
    // One warning for the whole burst.
    const written = await t.db.selectFrom('outbox').select('id').where('recipient', '=', 'okafor@brookfield.test').where('idempotency_key', 'like', 'email:sign-in-warning:%').execute();
    expect(written).toHaveLength(1);
  });

  it('warns a carer who chose a password in her own language, with the English beneath (issue 13)', async () => {
    const { password_hash } = await t.db.selectFrom('staff').select('password_hash').where('id', '=', t.fx.staff.teacher).executeTakeFirstOrThrow();
    await t.db.updateTable('carers').set({ password_hash }).where('id', '=', t.fx.carers.marta).execute();
    for (let i = 0; i < 8; i++) {
      await post('/sign-in', { email: 'marta@families.test', password: `zgaduję ${i}` }, '203.0.113.90');
      later(120);
    }
    const [warning] = (await t.db.selectFrom('outbox').select('payload_json').where('recipient', '=', 'marta@families.test').where('idempotency_key', 'like', 'email:sign-in-warning:%').execute()).map(
      (r) => JSON.parse(r.payload_json) as { subject: string; text: string },
    );
    expect(warning!.subject).toBe('Ktoś próbuje zalogować się na Państwa konto w Gatepost');
    expect(warning!.text).toContain('Ostatnia próba:');
    expect(warning!.text).toContain('prosimy wybrać nowe hasło w sekcji „Państwa konto”.');
    expect(warning!.text).not.toContain('two-step'); // a carer has no two-step sign-in to turn on
    expect(warning!.text).toContain('If this was you, you need do nothing.'); // the English beneath
  });

  it('counts wrong passwords from one network across accounts, and says the same for an account that does not exist', async () => {
    const network = '198.51.100.77';
    const unknown: number[] = [];
    for (let i = 0; i < 6; i++) unknown.push((await post('/sign-in', { email: 'nobody@brookfield.test', password: `guess ${i}` }, network)).statusCode);
    const known: number[] = [];
    for (let i = 0; i < 6; i++) known.push((await post('/sign-in', { email: 'hall@brookfield.test', password: `guess ${i}` }, network)).statusCode);
    // The same answers whether or not the account exists: nothing to learn from the limits.
    expect(unknown).toEqual(known);
    expect(known).toEqual([400, 400, 400, 400, 400, 429]);
    const row = await t.db.selectFrom('sign_in_counters').select('count').where('bucket', '=', 'password:network').where('key', '=', network).executeTakeFirstOrThrow();
    expect(Number(row.count)).toBe(10);
  });

  it('slows two-step code guesses for the pair of account and network, and tells the person someone has their password', async () => {
    const secret = newTotpSecret();
    await t.db.updateTable('staff').set({ totp_secret: secret, totp_enabled_at: now.toISOString() }).where('id', '=', t.fx.staff.office).execute();
    const pendingAt = async (network: string) => {
      const res = await post('/sign-in', { email: 'byrne@brookfield.test', password: FIXTURE_PASSWORD }, network);
      expect(res.headers.location).toMatch(/^\/sign-in\/two-step/);
      const cookie = sessionCookie(res);
      const session = await t.db
        .selectFrom('sessions')
        .select('csrf_token')
        .where('id', '=', sha256(cookie.split('=')[1]!))
        .executeTakeFirstOrThrow();
      return { cookie, csrf: session.csrf_token };
    };
    const twoStep = (p: { cookie: string; csrf: string }, code: string, network: string) =>
      t.app.inject({
        method: 'POST',
        url: '/sign-in/two-step',
        remoteAddress: network,
        headers: { cookie: p.cookie, 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({ _csrf: p.csrf, code, next: '/pupils' }).toString(),
      });
    const wrong = currentTotp(secret) === '000000' ? '111111' : '000000';

    const thief = await pendingAt(GUESSER);
    const answers: number[] = [];
    for (let i = 0; i < 6; i++) answers.push((await twoStep(thief, wrong, GUESSER)).statusCode);
    expect(answers).toEqual([400, 400, 400, 400, 400, 429]);
    // The right code from the guesser's network waits too; from school it works.
    expect((await twoStep(thief, currentTotp(secret), GUESSER)).statusCode).toBe(429);
    const real = await pendingAt(SCHOOL);
    const done = await twoStep(real, currentTotp(secret), SCHOOL);
    expect(done.statusCode).toBe(303);
    expect(done.headers.location).toBe('/pupils');
    const mail = await t.sink.waitFor('byrne@brookfield.test');
    expect(mail.text).toContain('with a wrong two-step code 5 times');
    expect(mail.text).toContain('someone knows your password');
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';
import { dialects } from '../../../test/support/db.ts';
import { startTestApp, type TestApp } from '../../../test/support/app.ts';
import { carerRow } from '../../../test/support/fixture.ts';
import { insertInChunks } from '../../db/insert-in-chunks.ts';
import { newId } from '../ids.ts';
import { issueSignInCode, issueSignInLink } from './sign-in-tokens.ts';

/**
 * 18:00, the evening booking opens: a thousand carers follow their emailed links and three hundred type
 * the codes from their letters, all within a minute, from twenty mobile-network addresses they share.
 * Everyone gets in. Someone guessing codes from one of those addresses is made to wait, and the real
 * links and codes from that same address still work.
 */
const CSRF = 'anonymous-csrf-token-for-tests-0001';
const START = Date.parse('2026-11-23T18:00:00.000Z');
const shared = (i: number) => `198.51.100.${(i % 20) + 1}`;

describe.each(dialects)('sign-in at the busiest moment on %s', (dialect) => {
  let t: TestApp;
  let now = new Date(START - 60 * 60_000);
  const links: string[] = [];
  const codes: string[] = [];

  function post(url: string, form: Record<string, string>, remoteAddress: string): Promise<LightMyRequestResponse> {
    return t.app.inject({
      method: 'POST',
      url,
      remoteAddress,
      headers: { cookie: `gatepost-csrf=${CSRF}`, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ _csrf: CSRF, ...form }).toString(),
    });
  }

  beforeAll(async () => {
    t = await startTestApp(dialect, { clock: () => now });
    const schoolId = t.fx.school.id;
    const at = now.toISOString();
    // 1,000 carers with an email address; 300 on paper, who sign in with a code from the office.
    const carers = Array.from({ length: 1300 }, (_, i) =>
      carerRow(at, { school_id: schoolId, given_name: `Carer${i}`, family_name: 'Rush', email: i < 1000 ? `carer${i}@families.test` : null, paper_copies: i < 1000 ? 0 : 1 }),
    );
    await t.db.transaction().execute(async (trx) => {
      await insertInChunks(trx, 'carers', carers);
      for (const c of carers.slice(0, 1000)) links.push(await issueSignInLink(trx, { id: c.id, schoolId }, now, 120));
      for (const c of carers.slice(1000)) codes.push((await issueSignInCode(trx, { id: c.id, schoolId }, t.fx.staff.office, now, 14)).code);
    });
  }, 120_000);
  afterAll(async () => t?.close());

  it('lets 1,000 carers in by their links and 300 by their codes within one minute from 20 shared addresses', async () => {
    const attempts = [...links.map((token) => ({ url: `/sign-in/link/${token}`, form: {} })), ...codes.map((code) => ({ url: '/sign-in/code', form: { code } }))];
    // Shuffled (the same way every run) into one minute, twenty at a time.
    let seed = 7;
    for (let i = attempts.length - 1; i > 0; i--) {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      const j = seed % (i + 1);
      [attempts[i], attempts[j]] = [attempts[j]!, attempts[i]!];
    }
    const answers: number[] = [];
    for (let i = 0; i < attempts.length; i += 20) {
      now = new Date(START + Math.floor((i / attempts.length) * 60_000));
      const batch = attempts.slice(i, i + 20).map((a, j) => post(a.url, a.form, shared(i + j)));
      for (const res of await Promise.all(batch)) {
        answers.push(res.statusCode);
        if (res.statusCode === 303) expect(String(res.headers['set-cookie'])).toMatch(/gatepost=/);
      }
    }
    expect(now.getTime() - START).toBeLessThan(60_000);
    expect(answers.filter((s) => s === 303)).toHaveLength(1300);
    const signedIn = await t.db
      .selectFrom('audit_log')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('action', '=', 'carer.signed_in')
      .executeTakeFirstOrThrow();
    expect(Number(signedIn.n)).toBe(1300);
    // Sign-ins that work are never counted.
    expect(await t.db.selectFrom('sign_in_counters').selectAll().execute()).toEqual([]);
  }, 300_000);

  it('makes a guesser on a shared address wait, while real links and codes from that address still work', async () => {
    const guesser = shared(0);
    now = new Date(START + 61_000);
    const schoolId = t.fx.school.id;
    const link = await issueSignInLink(t.db, { id: t.fx.carers.marta, schoolId }, now, 20);
    const { code } = await issueSignInCode(t.db, { id: t.fx.carers.faduma, schoolId }, t.fx.staff.office, now, 14);

    const answers: LightMyRequestResponse[] = [];
    for (let i = 0; i < 30; i++) {
      now = new Date(START + 61_000 + i * 100);
      const guess = i % 2 === 0 ? post('/sign-in/code', { code: `ABCD-EFGH-${String(1000 + i).slice(-4)}` }, guesser) : post(`/sign-in/link/${newId()}.guessed-secret-${i}`, {}, guesser);
      answers.push(await guess);
    }
    // Nineteen wrong guesses are answered as mistakes; from the twentieth the guesser is told to wait, longer each time.
    expect(answers.slice(0, 19).map((r) => r.statusCode)).toEqual(Array(19).fill(400));
    expect(answers.slice(19).map((r) => r.statusCode)).toEqual(Array(11).fill(429));
    const waits = answers.slice(19).map((r) => Number(r.headers['retry-after']));
    expect(waits[0]).toBeGreaterThanOrEqual(1);
    expect(waits.at(-1)).toBeGreaterThan(waits[0]!);
    expect(answers[20]!.body).toMatch(/Wait \d+ seconds?/);
    expect(answers[21]!.body).toMatch(/Wait \d+ seconds?/);

    // While the guesser is still being made to wait, Marta's real link and Faduma's real code work from the same address.
    const byLink = await post(`/sign-in/link/${link}`, {}, guesser);
    expect(byLink.statusCode).toBe(303);
    expect(byLink.headers.location).toBe('/');
    const byCode = await post('/sign-in/code', { code: code.toLowerCase().replace(/-/g, ' ') }, guesser);
    expect(byCode.statusCode).toBe(303);

    // Someone who mistypes a code on another network is simply told it is not right.
    const elsewhere = await post('/sign-in/code', { code: 'ABCD-EFGH-JKLM' }, '192.0.2.200');
    expect(elsewhere.statusCode).toBe(400);
    expect(elsewhere.body).toContain('This code is not right');

    // An old link that was real is not a guess: it says the link has expired and adds nothing to the count.
    const before = await t.db.selectFrom('sign_in_counters').select('count').where('bucket', '=', 'token:network').where('key', '=', guesser).executeTakeFirstOrThrow();
    expect((await post(`/sign-in/link/${link}`, {}, guesser)).body).toContain('This sign-in link has expired');
    const after = await t.db.selectFrom('sign_in_counters').select('count').where('bucket', '=', 'token:network').where('key', '=', guesser).executeTakeFirstOrThrow();
    expect(Number(after.count)).toBe(Number(before.count));
  }, 60_000);
});

describe.each(dialects)('behind a trusted load balancer on %s', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(dialect, { env: { TRUST_PROXY: 'yes' } });
  });
  afterAll(async () => t?.close());

  it('counts guesses by the address the load balancer saw, not one the guesser writes into X-Forwarded-For', async () => {
    const answers: number[] = [];
    for (let i = 0; i < 21; i++) {
      const res = await t.app.inject({
        method: 'POST',
        url: '/sign-in/code',
        remoteAddress: '10.0.0.2',
        headers: { cookie: `gatepost-csrf=${CSRF}`, 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': `192.0.2.${i + 1}, 203.0.113.50` },
        payload: new URLSearchParams({ _csrf: CSRF, code: `ABCD-EFGH-${String(1000 + i)}` }).toString(),
      });
      answers.push(res.statusCode);
    }
    expect(answers).toEqual([...Array(19).fill(400), 429, 429]);
    const row = await t.db.selectFrom('sign_in_counters').select(['key', 'count']).where('bucket', '=', 'token:network').execute();
    expect(row.map((r) => [r.key, Number(r.count)])).toEqual([['203.0.113.50', 21]]);
  });
});

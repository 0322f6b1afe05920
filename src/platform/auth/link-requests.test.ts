import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';
import { dialects } from '../../../test/support/db.ts';
import { startTestApp, type TestApp } from '../../../test/support/app.ts';

/** Asking for sign-in links: a few for one address (no mail-bombing), plenty from one shared network. */
const CSRF = 'anonymous-csrf-token-for-tests-0001';

describe.each(dialects)('asking for sign-in links on %s', (dialect) => {
  let t: TestApp;
  let now = new Date('2026-11-23T18:00:00.000Z');

  const ask = (email: string, remoteAddress: string): Promise<LightMyRequestResponse> =>
    t.app.inject({
      method: 'POST',
      url: '/sign-in/link',
      remoteAddress,
      headers: { cookie: `gatepost-csrf=${CSRF}`, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ _csrf: CSRF, email }).toString(),
    });

  beforeAll(async () => {
    t = await startTestApp(dialect, { clock: () => now });
  });
  afterAll(async () => t?.close());

  it('sends three links to one address, then asks for a wait, from whichever networks the requests come: known address or not', async () => {
    const forMarta: LightMyRequestResponse[] = [];
    const forNobody: LightMyRequestResponse[] = [];
    for (let i = 0; i < 4; i++) {
      forMarta.push(await ask('Marta@Families.test', `192.0.2.${i + 1}`));
      forNobody.push(await ask('nobody@nowhere.test', `192.0.2.${i + 1}`));
    }
    expect(forMarta.map((r) => r.statusCode)).toEqual([200, 200, 200, 429]);
    expect(forNobody.map((r) => r.statusCode)).toEqual([200, 200, 200, 429]);
    expect(forMarta[3]!.headers['retry-after']).toBe('60');
    expect(forMarta[3]!.body).toContain('Sign-in links have been asked for this address several times. Check your email (and junk folder) for the latest, or wait 1 minute and ask again');
    expect(forMarta[3]!.body).toContain('value="Marta@Families.test"');
    const written = await t.db.selectFrom('outbox').select('id').where('recipient', '=', 'marta@families.test').where('idempotency_key', 'like', 'email:sign-in:%').execute();
    expect(written).toHaveLength(3);

    // A minute later she may ask again.
    now = new Date(now.getTime() + 60_000);
    expect((await ask('marta@families.test', '192.0.2.9')).statusCode).toBe(200);
  });

  it('lets a hundred families on one mobile network ask for their links at 18:00', async () => {
    const answers: number[] = [];
    for (let i = 0; i < 100; i++) answers.push((await ask(`parent${i}@families.test`, '198.51.100.1')).statusCode);
    expect(answers.filter((s) => s === 200)).toHaveLength(100);
  });
});

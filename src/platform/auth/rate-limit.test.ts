import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dialects, openTestDb, type TestDb } from '../../../test/support/db.ts';
import { countAttempt, sweepSignInCounters, waitBefore, waitSeconds, type Counted, type Rule } from './rate-limit.ts';
import { counted, LIMITS, waitWords } from './sign-in-limits.ts';
import { networkOf } from './network.ts';

const rule: Rule = { free: 5, windowMinutes: 60, firstWaitSeconds: 2, maxWaitSeconds: 900 };
const at = (s: string) => new Date(`2026-11-23T${s}Z`);

describe('the wait before the next sign-in attempt', () => {
  const counter = (count: number, last = '18:00:00', resets = '19:00:00') => ({ count, lastAt: at(last).toISOString(), resetsAt: at(resets).toISOString() });

  it('asks nothing of the first attempts, then doubles the wait with every further wrong guess, up to a ceiling', () => {
    const now = at('18:00:00');
    expect(waitSeconds(rule, undefined, now)).toBe(0);
    expect([1, 2, 3, 4].map((n) => waitSeconds(rule, counter(n), now))).toEqual([0, 0, 0, 0]);
    expect([5, 6, 7, 8, 9].map((n) => waitSeconds(rule, counter(n), now))).toEqual([2, 4, 8, 16, 32]);
    expect(waitSeconds(rule, counter(40), now)).toBe(900);
    expect(waitSeconds(rule, counter(5000), now)).toBe(900);
  });

  it('counts the wait from the last wrong guess, and never locks anyone out: once it has passed, the next try is allowed', () => {
    expect(waitSeconds(rule, counter(8, '18:00:00'), at('18:00:10'))).toBe(6);
    expect(waitSeconds(rule, counter(8, '18:00:00'), at('18:00:16'))).toBe(0);
    expect(waitSeconds(rule, counter(40, '18:00:00'), at('18:14:59'))).toBe(1);
    expect(waitSeconds(rule, counter(40, '18:00:00'), at('18:15:00'))).toBe(0);
  });

  it('forgets the count when its window is over', () => {
    expect(waitSeconds(rule, counter(40, '18:59:00', '19:00:00'), at('19:00:00'))).toBe(0);
  });

  it('gives a network the room a mobile network full of families needs, and an account pair very little', () => {
    expect(LIMITS.tokenNetwork.free).toBeGreaterThanOrEqual(20);
    expect(LIMITS.passwordNetwork.free).toBeGreaterThanOrEqual(50);
    expect(LIMITS.linkRequestNetwork.free).toBeGreaterThanOrEqual(300);
    expect(LIMITS.passwordPair.free).toBe(5);
    for (const r of Object.values(LIMITS)) expect(r.maxWaitSeconds).toBeLessThanOrEqual(15 * 60);
  });

  it('says the wait in words', () => {
    expect([1, 8, 59, 60, 61, 900].map(waitWords)).toEqual(['1 second', '8 seconds', '59 seconds', '1 minute', '2 minutes', '15 minutes']);
  });
});

describe('the network an attempt comes from', () => {
  it('is an IPv4 address itself, and an IPv6 address its /64 (one home or phone), however it is written', () => {
    expect(networkOf('203.0.113.7')).toBe('203.0.113.7');
    expect(networkOf('::ffff:203.0.113.7')).toBe('203.0.113.7');
    expect(networkOf('2001:db8:1:2:aaaa:bbbb:cccc:dddd')).toBe('2001:db8:1:2::/64');
    expect(networkOf('2001:db8:1:2::1')).toBe('2001:db8:1:2::/64');
    expect(networkOf('2001:0db8:0001:0002:ffff::9')).toBe('2001:db8:1:2::/64');
    expect(networkOf('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(networkOf('::1')).toBe('0:0:0:0::/64');
  });
});

describe.each(dialects)('sign-in counters on %s', (dialect) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await openTestDb(dialect);
  });
  afterAll(async () => t?.close());

  const pair: Counted[] = [
    { bucket: 'test:pair', key: 'okafor@brookfield.test 203.0.113.7', rule },
    { bucket: 'test:network', key: '203.0.113.7', rule: { ...rule, free: 50 } },
  ];

  it('counts each wrong guess in one row per counter, answers the wait the counters now ask for, and starts again after the window', async () => {
    for (let i = 0; i < 4; i++) expect((await countAttempt(t.db, pair, at(`18:00:0${i}`))).wait).toBe(0);
    const fifth = await countAttempt(t.db, pair, at('18:00:04'));
    expect(fifth.wait).toBe(2);
    expect(fifth.counters.get('test:pair')).toMatchObject({ count: 5, lastAt: at('18:00:04').toISOString(), resetsAt: at('19:00:00').toISOString() });
    expect(fifth.counters.get('test:network')?.count).toBe(5);
    expect(await waitBefore(t.db, pair, at('18:00:05'))).toBe(1);
    expect(await waitBefore(t.db, pair, at('18:00:06'))).toBe(0);
    expect(await t.db.selectFrom('sign_in_counters').select('bucket').where('bucket', 'like', 'test:%').execute()).toHaveLength(2);

    // An hour after the first guess the count starts again from one.
    const later = await countAttempt(t.db, pair, at('19:00:01'));
    expect(later.counters.get('test:pair')).toMatchObject({ count: 1, resetsAt: at('20:00:01').toISOString() });
    expect(later.wait).toBe(0);
  });

  it('keeps counters apart: another account, or the same account from another network, waits for nothing', async () => {
    for (let i = 0; i < 8; i++) await countAttempt(t.db, counted.password('green@brookfield.test', '198.51.100.1'), at('18:10:00'));
    expect(await waitBefore(t.db, counted.password('green@brookfield.test', '198.51.100.1'), at('18:10:01'))).toBeGreaterThan(0);
    expect(await waitBefore(t.db, counted.password('green@brookfield.test', '192.0.2.44'), at('18:10:01'))).toBe(0);
    expect(await waitBefore(t.db, counted.password('hall@brookfield.test', '192.0.2.44'), at('18:10:01'))).toBe(0);
  });

  it('sweeps counters whose window is over and keeps the others', async () => {
    await countAttempt(t.db, [{ bucket: 'sweep:old', key: 'a', rule: { ...rule, windowMinutes: 15 } }], at('06:00:00'));
    await countAttempt(t.db, [{ bucket: 'sweep:new', key: 'a', rule: { ...rule, windowMinutes: 15 } }], at('06:10:00'));
    expect(await sweepSignInCounters(t.db, at('06:20:00'))).toBeGreaterThanOrEqual(1);
    const left = await t.db.selectFrom('sign_in_counters').select('bucket').where('bucket', 'like', 'sweep:%').execute();
    expect(left.map((r) => r.bucket)).toEqual(['sweep:new']);
  });
});

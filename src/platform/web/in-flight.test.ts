import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { limitRequestsInFlight, requestLoad } from './in-flight.ts';

describe('requests worked on at once', () => {
  it('works on at most the limit at once; the rest wait their turn, first come first served, and every one is answered', async () => {
    const app = Fastify();
    limitRequestsInFlight(app, 2);
    const started: number[] = [];
    const finish = new Map<number, () => void>();
    app.get('/slow/:n', async (request) => {
      const n = Number((request.params as { n: string }).n);
      started.push(n);
      await new Promise<void>((resolve) => finish.set(n, resolve));
      return { n };
    });
    await app.ready();
    const answers = [1, 2, 3, 4].map((n) => app.inject({ method: 'GET', url: `/slow/${n}` }));
    const until = async (count: number) => {
      for (let i = 0; i < 200 && started.length < count; i++) await new Promise((r) => setTimeout(r, 5));
    };
    await until(2);
    await new Promise((r) => setTimeout(r, 50));
    expect(started).toEqual([1, 2]); // 3 and 4 wait
    finish.get(2)!();
    await until(3);
    expect(started).toEqual([1, 2, 3]); // the first to wait goes first
    finish.get(1)!();
    await until(4);
    finish.get(3)!();
    finish.get(4)!();
    expect((await Promise.all(answers)).map((r) => r.json())).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }, { n: 4 }]);
    await app.close();
  });

  it('a request that failed frees its place', async () => {
    const app = Fastify();
    limitRequestsInFlight(app, 1);
    app.get('/fails', async () => {
      throw new Error('broken');
    });
    app.get('/works', async () => 'ok');
    await app.ready();
    expect((await app.inject({ method: 'GET', url: '/fails' })).statusCode).toBe(500);
    expect((await app.inject({ method: 'GET', url: '/works' })).body).toBe('ok');
    await app.close();
  });

  it('says when no request is in hand (waiting or worked on), or gives up waiting after the time given', async () => {
    const app = Fastify();
    const load = requestLoad();
    limitRequestsInFlight(app, 1, load);
    const finish: (() => void)[] = [];
    app.get('/slow', async () => {
      await new Promise<void>((resolve) => finish.push(resolve));
      return 'ok';
    });
    await app.ready();
    const quietAt = async (atMostMs: number) => {
      const started = Date.now();
      await load.quiet(atMostMs);
      return Date.now() - started;
    };
    expect(await quietAt(5_000)).toBeLessThan(50); // nothing in hand
    const answers = [app.inject({ method: 'GET', url: '/slow' }), app.inject({ method: 'GET', url: '/slow' })];
    for (let i = 0; i < 200 && finish.length < 1; i++) await new Promise((r) => setTimeout(r, 5));
    expect(await quietAt(100)).toBeGreaterThanOrEqual(95); // one worked on, one waiting: gives up after 100 ms
    const quiet = quietAt(5_000);
    finish.shift()!();
    for (let i = 0; i < 200 && finish.length < 1; i++) await new Promise((r) => setTimeout(r, 5));
    finish.shift()!(); // the one that waited its turn
    await Promise.all(answers);
    expect(await quiet).toBeLessThan(2_000);
    await app.close();
  });
});

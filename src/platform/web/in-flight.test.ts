import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { limitRequestsInFlight } from './in-flight.ts';

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
});

import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { takeTurns } from './turns.ts';

/**
 * A busy server: 30 kept-alive visitors ask again the moment they are answered, and every answer
 * takes 2 ms of work. Twenty newcomers then open connections. Counted in requests served (not in
 * time): how many the server answered while each newcomer waited.
 */
async function servedWhileNewcomersWait(turns: boolean): Promise<number[]> {
  const app = Fastify();
  if (turns) takeTurns(app);
  let served = 0;
  app.get('/', async () => {
    const until = performance.now() + 2;
    while (performance.now() < until); // the work of a page
    served++;
    return 'ok';
  });
  servers.push(app);
  await app.listen({ host: '127.0.0.1', port: 0 });
  const url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}/`;
  const regulars = new http.Agent({ keepAlive: true, maxSockets: 30 });
  let stop = false;
  const visitor = async () => {
    while (!stop) await get(url, regulars);
  };
  const visitors = Array.from({ length: 30 }, visitor);
  while (served < 300) await new Promise((resolve) => setTimeout(resolve, 5));
  const waits = await Promise.all(
    Array.from({ length: 20 }, async () => {
      const before = served;
      await get(url, new http.Agent({ keepAlive: false }));
      return served - before;
    }),
  );
  stop = true;
  await Promise.all(visitors);
  regulars.destroy();
  return waits;
}

function get(url: string, agent: http.Agent): Promise<void> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { agent }, (res) => {
        res.resume();
        res.on('end', resolve);
      })
      .on('error', reject);
  });
}

const servers: FastifyInstance[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

describe('requests take turns with new connections', () => {
  it('answers a newcomer after about the requests already waiting, not after every round of the busy ones', async () => {
    const waits = await servedWhileNewcomersWait(true);
    // 30 requests are waiting when a newcomer arrives, and the newcomers queue behind each other.
    expect(Math.max(...waits)).toBeLessThan(100);
  });

  it('without turns, the last newcomer waits while the busy connections are served round after round (why turns exist)', async () => {
    const waits = await servedWhileNewcomersWait(false);
    expect(Math.max(...waits)).toBeGreaterThan(200);
  });
});

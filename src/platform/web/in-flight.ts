import type { FastifyInstance, FastifyRequest } from 'fastify';

/**
 * At most `limit` requests are worked on at once in this process; the others wait their turn, first
 * come first served, before anything is read for them. An app process has one thread: when a rush
 * brings more requests than it can answer, taking them all on at once shares the thread between all of
 * them, so each one takes as long as all of them together, and a transaction that has taken one of the
 * database's pooled connections holds it across every turn it waits for the thread (on PostgreSQL the
 * pool then runs dry and everything waits for connections). Taking them in turn answers each as soon as
 * it can be, in the order they came. The waiting is part of every time the benchmarks measure.
 */
export function limitRequestsInFlight(app: FastifyInstance, limit: number, load: RequestLoad = requestLoad()): void {
  let working = 0;
  const waiting: (() => void)[] = [];
  const holding = new WeakSet<FastifyRequest>();
  const arrived = new WeakSet<FastifyRequest>();
  const done = (request: FastifyRequest) => {
    if (arrived.delete(request)) load.changed(-1);
    if (!holding.delete(request)) return;
    const next = waiting.shift();
    if (next) next();
    else working -= 1;
  };
  app.addHook('onRequest', async (request) => {
    arrived.add(request);
    load.changed(1);
    if (working < limit) working += 1;
    else await new Promise<void>((resolve) => waiting.push(resolve));
    holding.add(request);
  });
  app.addHook('onResponse', async (request) => done(request));
  app.addHook('onRequestAbort', async (request) => done(request));
}

/**
 * How many requests this process has in hand (worked on or waiting their turn), for background work
 * that gives way to people waiting for a page: the outbox worker sends an email in a gap between
 * requests, or once it has waited `atMostMs` (src/main.ts). In a booking rush the confirmation emails
 * were a tenth of the server's work, done while carers waited for their pages.
 */
export type RequestLoad = {
  changed(by: 1 | -1): void;
  /** Resolves when no request is in hand, or after `atMostMs`, whichever comes first. */
  quiet(atMostMs: number): Promise<void>;
};

export function requestLoad(): RequestLoad {
  let inHand = 0;
  let waiters: (() => void)[] = [];
  return {
    changed(by) {
      inHand += by;
      if (inHand > 0) return;
      const ready = waiters;
      waiters = [];
      for (const resolve of ready) resolve();
    },
    quiet(atMostMs) {
      if (inHand <= 0) return Promise.resolve();
      return new Promise<void>((resolve) => {
        const go = () => {
          clearTimeout(timer);
          waiters = waiters.filter((w) => w !== go);
          resolve();
        };
        const timer = setTimeout(go, atMostMs);
        waiters.push(go);
      });
    },
  };
}

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
export function limitRequestsInFlight(app: FastifyInstance, limit: number): void {
  let working = 0;
  const waiting: (() => void)[] = [];
  const holding = new WeakSet<FastifyRequest>();
  const done = (request: FastifyRequest) => {
    if (!holding.delete(request)) return;
    const next = waiting.shift();
    if (next) next();
    else working -= 1;
  };
  app.addHook('onRequest', async (request) => {
    if (working < limit) working += 1;
    else await new Promise<void>((resolve) => waiting.push(resolve));
    holding.add(request);
  });
  app.addHook('onResponse', async (request) => done(request));
  app.addHook('onRequestAbort', async (request) => done(request));
}

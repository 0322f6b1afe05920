import type { FastifyInstance } from 'fastify';

/**
 * Requests take turns with new connections.
 *
 * Node (libuv 1.45 and later) accepts ONE new connection each time round its event loop. A busy
 * server serves every request already waiting on its open connections in one round, so a round can
 * take tens of milliseconds and new connections, each the first request of a carer arriving, wait
 * in the kernel's queue for seconds while kept-alive ones are answered at once: in the booking rush
 * requests on new connections waited 1 to 3 s while the server answered every request it had
 * accepted within 220 ms.
 *
 * So each request waits for its turn: requests start from the round's "check" phase
 * (setImmediate) in the order they arrived, and once a round has spent `BUDGET_MS` on them the rest
 * wait for the next round, after the loop has accepted its next connection and read the sockets.
 * A quiet server loses one trip round the loop (microseconds); a busy one serves requests in arrival
 * order, whichever connection they came on.
 */

/** How long a round of the loop runs requests before it goes back to accept and read. */
const BUDGET_MS = 1;

let roundStartedAt = -Infinity;
let markPending = false;
let waiting = 0;

/** The first callback of each round's check phase while requests wait: the round's clock starts. */
function startRound(): void {
  markPending = false;
  roundStartedAt = performance.now();
  if (waiting > 0) scheduleMark();
}

function scheduleMark(): void {
  markPending = true;
  setImmediate(startRound);
}

const nextRound = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Every request of `app` waits its turn before anything else is done for it. */
export function takeTurns(app: FastifyInstance): void {
  app.addHook('onRequest', waitForTurn);
}

/** Resolves when this request may run: in arrival order, within a round's budget. */
async function waitForTurn(): Promise<void> {
  waiting++;
  try {
    for (;;) {
      // The round's mark goes ahead of this request's place, so it runs first in the next check phase.
      if (!markPending) scheduleMark();
      await nextRound();
      if (performance.now() - roundStartedAt < BUDGET_MS) return;
    }
  } finally {
    waiting--;
  }
}

import type { Kysely } from 'kysely';
import type { Database, OutboxChannel } from '../../db/schema.ts';
import type { Clock } from '../calendar/time.ts';
import { claimDue, LEASE_SECONDS, markFailed, markSent, markUnreachable, releaseClaims, type Claimed } from './outbox.ts';
import { groupCommit } from './group-commit.ts';
import { createOutages, type OutageWait } from './outages.ts';

/**
 * Delivers one payload; throws DeliveryError(permanent) for a bounce or a rejected number, and
 * DeliveryError(…, unreachable) when the server could not be reached (no fault of the message).
 * `row.id` is the outbox row's: the same on every try, so a provider can tell a repeat.
 */
export type Deliver = (payload: unknown, row?: { id: string }) => Promise<void>;

export class DeliveryError extends Error {
  constructor(
    message: string,
    readonly permanent: boolean,
    readonly unreachable = false,
  ) {
    super(message);
  }
}

/** How the server's worker runs (src/main.ts): rows claimed per round and deliveries in flight, per channel. */
export const SERVER_WORKER = { batchSize: 200, concurrency: 20 } as const;

export type WorkerOptions = {
  db: Kysely<Database>;
  clock: Clock;
  deliver: Partial<Record<OutboxChannel, Deliver>>;
  /** Rows claimed per round, per channel (the channel's throttle). */
  batchSize?: number;
  /** How many deliveries run at once per channel. */
  concurrency?: number;
  /** How long to sleep when there is nothing due. */
  idleMs?: number;
  /** At most this many deliveries a second per channel (a provider's rate limit). */
  perSecond?: Partial<Record<OutboxChannel, number>>;
  /** The milliseconds the rate limit counts and waits in: the real ones unless a test hands its own. */
  rateTime?: { now(): number; sleep(ms: number): Promise<void> };
  /** How long a claim lasts before another worker may take the row (a worker that died). */
  leaseSeconds?: number;
  /** A delivery that has not finished in this time has failed (the server is hanging): it is tried again later. */
  deliveryTimeoutMs?: number;
  /** While a channel's server cannot be reached: the wait before the first new try, doubling up to `max`. */
  outageWaitMs?: OutageWait;
  /**
   * Waited for before each delivery: the server's own requests first (src/main.ts: a gap between
   * requests, at most a few seconds). None: deliver at once.
   */
  giveWay?: () => Promise<void>;
  /** One line when a channel stops going out, one when it goes out again. */
  log?: (line: string) => void;
  onError?: (error: unknown) => void;
};

export type OutboxWorker = {
  /** Wake the worker now (after enqueueing), instead of waiting for its next poll. */
  poke(): void;
  /** Deliver everything due now, then resolve: for tests and benchmarks. */
  drain(): Promise<number>;
  stop(): Promise<void>;
};

type Outcome = { kind: 'sent' | 'failed' } | { kind: 'unreachable'; reason: string };
type Queued = Claimed & { leaseEnds: number };

export function startOutboxWorker(options: WorkerOptions, autostart = true): OutboxWorker {
  const { db, clock, deliver } = options;
  const batchSize = options.batchSize ?? 100;
  const concurrency = options.concurrency ?? 10;
  const idleMs = options.idleMs ?? 1000;
  const leaseSeconds = options.leaseSeconds ?? LEASE_SECONDS;
  const deliveryTimeoutMs = options.deliveryTimeoutMs ?? 30_000;
  /** A row is only started while this much of its lease is left, so no other worker can take it mid-send. */
  const leaseMarginMs = Math.min(deliveryTimeoutMs + 5000, (leaseSeconds * 1000) / 2);
  const outages = createOutages(options.outageWaitMs, options.log ?? ((line) => console.warn(line)));
  let stopped = false;
  let wake: (() => void) | null = null;
  /** Poked while a round was running: go round again instead of sleeping. */
  let poked = false;
  let running: Promise<void> | null = null;

  const rateTime = options.rateTime ?? { now: () => Date.now(), sleep: (ms: number) => new Promise<void>((r) => setTimeout(r, ms)) };
  const windows = new Map<OutboxChannel, { start: number; count: number }>();
  const gates = new Map<OutboxChannel, Promise<void>>();
  /** Waits, when needed, so a channel never goes faster than its limit per second (one caller at a time). */
  function throttle(channel: OutboxChannel): Promise<void> {
    const limit = options.perSecond?.[channel];
    if (!limit) return Promise.resolve();
    const turn = (gates.get(channel) ?? Promise.resolve()).then(async () => {
      let w = windows.get(channel);
      if (!w || rateTime.now() - w.start >= 1000) w = { start: rateTime.now(), count: 0 };
      if (w.count >= limit) {
        await rateTime.sleep(Math.max(0, w.start + 1000 - rateTime.now()));
        w = { start: rateTime.now(), count: 0 };
      }
      w.count += 1;
      windows.set(channel, w);
    });
    gates.set(channel, turn);
    return turn;
  }

  /** One try. A try that hangs past the timeout counts as the server not answering. */
  async function attempt(channel: OutboxChannel, row: Claimed): Promise<Outcome> {
    let timer: NodeJS.Timeout | undefined;
    try {
      const hung = new Promise<never>((_resolve, reject) => {
        timer = setTimeout(() => reject(new DeliveryError(`no answer within ${deliveryTimeoutMs / 1000} s`, false, true)), deliveryTimeoutMs);
      });
      await Promise.race([deliver[channel]!(JSON.parse(row.payload_json), { id: row.id }), hung]);
      return { kind: 'sent' };
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      if (error instanceof DeliveryError && error.unreachable) {
        await markUnreachable(db, row.id, reason);
        return { kind: 'unreachable', reason };
      }
      await markFailed(db, row, reason, error instanceof DeliveryError && error.permanent, clock());
      return { kind: 'failed' };
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * Everything due on one channel: `concurrency` deliveries always in flight (none waits for the
   * slowest of a group) and the next rows claimed while the last ones are still going. Each email
   * is marked sent as soon as the server has accepted it (marks that fall due together share one
   * statement), and its delivery slot waits for that mark before taking the next row: a crash
   * re-sends at most the `concurrency` messages in flight. When the server cannot be reached the
   * channel stops, hands back what it claimed and waits (longer each time) before trying one message
   * again. Stopping hands back what was claimed and not started.
   */
  async function drainChannel(channel: OutboxChannel): Promise<number> {
    if (!outages.mayTry(channel)) return 0;
    const queue: Queued[] = [];
    const handBack: string[] = [];
    /** While the server is thought down, one row first: is it back? */
    const probing = outages.isDown(channel);
    let exhausted = false;
    let halted = false;
    let failure: unknown = null;
    let claiming: Promise<void> | null = null;
    const refill = (): Promise<void> =>
      (claiming ??= claimDue(db, channel, probing ? 1 : batchSize, clock(), leaseSeconds)
        .then((rows) => {
          const leaseEnds = Date.now() + leaseSeconds * 1000;
          queue.push(...rows.map((r) => ({ ...r, leaseEnds })));
          if (probing || rows.length < batchSize) exhausted = true;
        })
        .catch((error: unknown) => {
          failure ??= error;
          exhausted = true;
        })
        .finally(() => {
          claiming = null;
        }));
    const mark = groupCommit((ids) => markSent(db, ids, clock()));
    let done = 0;
    await refill();
    await Promise.all(
      Array.from({ length: probing ? 1 : concurrency }, async () => {
        for (;;) {
          if (stopped || failure || halted) return;
          if (queue.length < concurrency && !exhausted) void refill();
          while (queue.length === 0 && !exhausted) await refill();
          if (stopped || halted) return;
          const row = queue.shift();
          if (!row) return;
          if (options.giveWay) {
            await options.giveWay();
            if (stopped || halted) {
              handBack.push(row.id);
              return;
            }
          }
          if (row.leaseEnds - Date.now() < leaseMarginMs) {
            handBack.push(row.id); // too late to start: give it back rather than race another worker
            continue;
          }
          await throttle(channel);
          const outcome = await attempt(channel, row);
          done += 1;
          if (outcome.kind === 'unreachable') {
            if (!halted) outages.failed(channel, outcome.reason);
            halted = true;
            return;
          }
          outages.succeeded(channel); // sent, or refused for itself: either way the server answered
          if (outcome.kind === 'sent') {
            try {
              await mark(row.id);
            } catch (error) {
              failure ??= error;
            }
          }
        }
      }),
    );
    await claiming;
    // Stopping or halted: hand back what this worker claimed but has not started, for the next try.
    handBack.push(...queue.splice(0).map((r) => r.id));
    if (handBack.length > 0) await releaseClaims(db, handBack);
    if (failure) throw failure;
    return done;
  }

  async function round(): Promise<number> {
    let done = 0;
    for (const channel of Object.keys(deliver) as OutboxChannel[]) done += await drainChannel(channel);
    return done;
  }

  /** The background loop's round in progress, so drain() can wait for rows it has claimed. */
  let looping: Promise<number> | null = null;

  async function loop(): Promise<void> {
    while (!stopped) {
      poked = false;
      let n = 0;
      try {
        looping = round();
        n = await looping;
      } catch (error) {
        options.onError?.(error);
      } finally {
        looping = null;
      }
      if (n === 0 && !stopped && !poked) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, idleMs);
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        wake = null;
      }
    }
  }

  if (autostart) running = loop();

  return {
    poke: () => {
      poked = true;
      wake?.();
    },
    async drain() {
      let total = 0;
      for (;;) {
        const n = await round();
        total += n;
        if (n > 0) continue;
        // Rows the background loop claimed are not ours to send, but are not sent until it finishes.
        if (looping && (await looping.catch(() => 0)) > 0) continue;
        return total;
      }
    },
    async stop() {
      stopped = true;
      wake?.();
      await running;
    },
  };
}

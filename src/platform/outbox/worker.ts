import type { Kysely } from 'kysely';
import type { Database, OutboxChannel } from '../../db/schema.ts';
import type { Clock } from '../calendar/time.ts';
import { claimDue, markFailed, markSent, releaseClaims, type Claimed } from './outbox.ts';

/** Delivers one payload (of the outbox row `row`); throws DeliveryError(permanent) for a bounce or a rejected number. */
export type Deliver = (payload: unknown, row?: { id: string }) => Promise<void>;

export class DeliveryError extends Error {
  constructor(
    message: string,
    readonly permanent: boolean,
  ) {
    super(message);
  }
}

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
  onError?: (error: unknown) => void;
};

export type OutboxWorker = {
  /** Wake the worker now (after enqueueing), instead of waiting for its next poll. */
  poke(): void;
  /** Deliver everything due now, then resolve: for tests and benchmarks. */
  drain(): Promise<number>;
  stop(): Promise<void>;
};

export function startOutboxWorker(options: WorkerOptions, autostart = true): OutboxWorker {
  const { db, clock, deliver } = options;
  const batchSize = options.batchSize ?? 100;
  const concurrency = options.concurrency ?? 10;
  const idleMs = options.idleMs ?? 1000;
  let stopped = false;
  let wake: (() => void) | null = null;
  /** Poked while a round was running: go round again instead of sleeping. */
  let poked = false;
  let running: Promise<void> | null = null;

  const windows = new Map<OutboxChannel, { start: number; count: number }>();
  const gates = new Map<OutboxChannel, Promise<void>>();
  /** Waits, when needed, so a channel never goes faster than its limit per second (one caller at a time). */
  function throttle(channel: OutboxChannel): Promise<void> {
    const limit = options.perSecond?.[channel];
    if (!limit) return Promise.resolve();
    const turn = (gates.get(channel) ?? Promise.resolve()).then(async () => {
      let w = windows.get(channel);
      if (!w || Date.now() - w.start >= 1000) w = { start: Date.now(), count: 0 };
      if (w.count >= limit) {
        await new Promise((r) => setTimeout(r, Math.max(0, w!.start + 1000 - Date.now())));
        w = { start: Date.now(), count: 0 };
      }
      w.count += 1;
      windows.set(channel, w);
    });
    gates.set(channel, turn);
    return turn;
  }

  async function deliverOne(channel: OutboxChannel, row: Claimed): Promise<boolean> {
    try {
      await deliver[channel]!(JSON.parse(row.payload_json), { id: row.id });
    } catch (error) {
      const permanent = error instanceof DeliveryError && error.permanent;
      await markFailed(db, row, error instanceof Error ? error.message : String(error), permanent, clock());
      return false;
    }
    return true;
  }

  /**
   * Everything due on one channel: `concurrency` deliveries always in flight (none waits for the
   * slowest of a group), the next rows claimed while the last ones are still going, and the sent
   * ones marked together, `concurrency` at a time, without holding up sending: a crash re-sends at
   * most those and the ones in flight. Stopping hands back what was claimed and not started.
   */
  async function drainChannel(channel: OutboxChannel): Promise<number> {
    const queue: Claimed[] = [];
    let exhausted = false;
    let failure: unknown = null;
    let claiming: Promise<void> | null = null;
    const refill = (): Promise<void> =>
      (claiming ??= claimDue(db, channel, batchSize, clock())
        .then((rows) => {
          queue.push(...rows);
          if (rows.length < batchSize) exhausted = true;
        })
        .catch((error: unknown) => {
          failure ??= error;
          exhausted = true;
        })
        .finally(() => {
          claiming = null;
        }));
    let sent: string[] = [];
    let marking: Promise<void> = Promise.resolve();
    const flush = (): Promise<void> => {
      const ids = sent;
      sent = [];
      marking = marking
        .then(() => markSent(db, ids, clock()))
        .catch((error: unknown) => {
          failure ??= error;
        });
      return marking;
    };
    let done = 0;
    await refill();
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        for (;;) {
          if (stopped || failure) return;
          if (queue.length < concurrency && !exhausted) void refill();
          while (queue.length === 0 && !exhausted) await refill();
          if (stopped) return;
          const row = queue.shift();
          if (!row) return;
          await throttle(channel);
          if (await deliverOne(channel, row)) sent.push(row.id);
          done += 1;
          if (sent.length >= concurrency) void flush();
        }
      }),
    );
    await claiming;
    await flush();
    // Stopping: hand back what this worker claimed but has not started, for the next one.
    if (queue.length > 0)
      await releaseClaims(
        db,
        queue.splice(0).map((r) => r.id),
      );
    if (failure) throw failure;
    return done;
  }

  async function round(): Promise<number> {
    let done = 0;
    for (const channel of Object.keys(deliver) as OutboxChannel[]) done += await drainChannel(channel);
    return done;
  }

  async function loop(): Promise<void> {
    while (!stopped) {
      poked = false;
      let n = 0;
      try {
        n = await round();
      } catch (error) {
        options.onError?.(error);
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
        if (n === 0) return total;
      }
    },
    async stop() {
      stopped = true;
      wake?.();
      await running;
    },
  };
}

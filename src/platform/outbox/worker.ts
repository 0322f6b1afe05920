import type { Kysely } from 'kysely';
import type { Database, OutboxChannel } from '../../db/schema.ts';
import type { Clock } from '../calendar/time.ts';
import { claimDue, markFailed, markSent, releaseClaims, type Claimed } from './outbox.ts';

/** Delivers one payload; throws DeliveryError(permanent) for a bounce or a rejected number. */
export type Deliver = (payload: unknown) => Promise<void>;

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
  let running: Promise<void> | null = null;

  const windows = new Map<OutboxChannel, { start: number; count: number }>();
  /** Waits, when needed, so a channel never goes faster than its limit per second. */
  async function throttle(channel: OutboxChannel, n: number): Promise<void> {
    const limit = options.perSecond?.[channel];
    if (!limit) return;
    let w = windows.get(channel);
    const t = Date.now();
    if (!w || t - w.start >= 1000) w = { start: t, count: 0 };
    if (w.count + n > limit && w.count > 0) {
      await new Promise((r) => setTimeout(r, Math.max(0, w!.start + 1000 - Date.now())));
      w = { start: Date.now(), count: 0 };
    }
    w.count += n;
    windows.set(channel, w);
  }

  async function release(ids: string[]): Promise<void> {
    await releaseClaims(db, ids);
  }

  async function deliverOne(channel: OutboxChannel, row: Claimed): Promise<boolean> {
    try {
      await deliver[channel]!(JSON.parse(row.payload_json));
    } catch (error) {
      const permanent = error instanceof DeliveryError && error.permanent;
      await markFailed(db, row, error instanceof Error ? error.message : String(error), permanent, clock());
      return false;
    }
    // Marked one by one, straight after delivery: a crash re-sends at most the rows in flight.
    await markSent(db, [row.id], clock());
    return true;
  }

  async function round(): Promise<number> {
    let done = 0;
    for (const channel of Object.keys(deliver) as OutboxChannel[]) {
      const rows = await claimDue(db, channel, batchSize, clock());
      for (let i = 0; i < rows.length; i += concurrency) {
        if (stopped) {
          // Stopping: hand back what this worker claimed but has not started, for the next one.
          await release(rows.slice(i).map((r) => r.id));
          break;
        }
        const slice = rows.slice(i, i + concurrency);
        await throttle(channel, slice.length);
        await Promise.all(slice.map((row) => deliverOne(channel, row)));
      }
      done += rows.length;
    }
    return done;
  }

  async function loop(): Promise<void> {
    while (!stopped) {
      let n = 0;
      try {
        n = await round();
      } catch (error) {
        options.onError?.(error);
      }
      if (n === 0 && !stopped) {
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
    poke: () => wake?.(),
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

import type { OutboxChannel } from '../../db/schema.ts';

/** While a channel's server cannot be reached: wait `first` ms before trying again, doubling up to `max`. */
export type OutageWait = { first: number; max: number };
export const OUTAGE_WAIT: OutageWait = { first: 1000, max: 30_000 };

const NAMES: Record<OutboxChannel, string> = { email: 'emails', sms: 'text messages' };

export type Outages = {
  /** False while waiting out an outage. */
  mayTry(channel: OutboxChannel): boolean;
  isDown(channel: OutboxChannel): boolean;
  /** The server could not be reached: the first failure of an outage is logged, later ones only lengthen the wait. */
  failed(channel: OutboxChannel, reason: string): void;
  /** The server answered: logged once if it had been down. */
  succeeded(channel: OutboxChannel): void;
};

/**
 * What the worker knows of each channel's server, in this process: up, or down since when and until
 * when to wait. Nothing is written to the outbox rows but the last error: an outage uses up no tries.
 */
export function createOutages(wait: OutageWait = OUTAGE_WAIT, log: (line: string) => void): Outages {
  const down = new Map<OutboxChannel, { since: number; failures: number; until: number }>();
  return {
    mayTry: (channel) => (down.get(channel)?.until ?? 0) <= Date.now(),
    isDown: (channel) => down.has(channel),
    failed(channel, reason) {
      const now = Date.now();
      const d = down.get(channel) ?? { since: now, failures: 0, until: now };
      if (d.failures === 0) log(`outbox: ${NAMES[channel]} are not going out: ${reason}. They wait in the outbox and are tried again; nothing is lost.`);
      d.failures += 1;
      d.until = now + Math.min(wait.max, wait.first * 2 ** (d.failures - 1));
      down.set(channel, d);
    },
    succeeded(channel) {
      const d = down.get(channel);
      if (!d) return;
      down.delete(channel);
      log(`outbox: ${NAMES[channel]} are going out again, after ${Math.round((Date.now() - d.since) / 1000)} s.`);
    },
  };
}

import type { Kysely } from 'kysely';
import type { Database, OutboxChannel } from '../../db/schema.ts';

type Db = Kysely<Database>;

/** Per channel: how many wait, how long the oldest has waited, and when one last went. No personal data. */
export type ChannelHealth = { backlog: number; oldest_waiting_seconds: number | null; last_sent_at: string | null };

const CHANNELS: OutboxChannel[] = ['email', 'sms'];
const WAITING = ['pending', 'sending'] as const;

export async function outboxHealth(db: Db, now: Date): Promise<Record<OutboxChannel, ChannelHealth>> {
  const health = {} as Record<OutboxChannel, ChannelHealth>;
  for (const channel of CHANNELS) {
    // Both from an index (0011_outbox): (channel, status, created_at) and (channel, sent_at).
    const waiting = await db
      .selectFrom('outbox')
      .select([(eb) => eb.fn.countAll<number | string>().as('backlog'), (eb) => eb.fn.min('created_at').as('oldest')])
      .where('channel', '=', channel)
      .where('status', 'in', WAITING)
      .executeTakeFirst();
    const last = await db
      .selectFrom('outbox')
      .select((eb) => eb.fn.max('sent_at').as('at'))
      .where('channel', '=', channel)
      .executeTakeFirst();
    health[channel] = {
      backlog: Number(waiting?.backlog ?? 0),
      oldest_waiting_seconds: waiting?.oldest ? Math.max(0, Math.round((now.getTime() - Date.parse(waiting.oldest)) / 1000)) : null,
      last_sent_at: last?.at ?? null,
    };
  }
  return health;
}

/** When the oldest email of this school still waiting to go was written (null: none waiting). */
export async function oldestWaitingEmail(db: Db, schoolId: string): Promise<Date | null> {
  const row = await db
    .selectFrom('outbox')
    .select((eb) => eb.fn.min('created_at').as('oldest'))
    .where('school_id', '=', schoolId)
    .where('channel', '=', 'email')
    .where('status', 'in', WAITING)
    .executeTakeFirst();
  return row?.oldest ? new Date(row.oldest) : null;
}

/**
 * A figure worked out at most once per `ms` per key (by the app's clock), so a page or a health
 * check that asks often costs one query every few seconds; callers at the same moment share it.
 */
export function freshFor<V>(ms: number, clock: () => Date): (key: string, make: () => Promise<V>) => Promise<V> {
  const known = new Map<string, { at: number; value: Promise<V> }>();
  return (key, make) => {
    const now = clock().getTime();
    const hit = known.get(key);
    if (hit && now - hit.at < ms && now >= hit.at) return hit.value;
    if (known.size >= 1000) known.clear();
    const value = make();
    known.set(key, { at: now, value });
    value.catch(() => known.delete(key));
    return value;
  };
}

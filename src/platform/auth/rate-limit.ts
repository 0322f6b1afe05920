import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';

/**
 * Counters that slow guessers down and never lock anyone out, kept in the database so every app
 * server sees the same counts. A counter is a bucket ('password:pair', 'token:network' …) and a key
 * (an email address and a network, a network, a carer …). What is counted is chosen by the caller:
 * wrong guesses for sign-in, requests for sign-in links. A sign-in that works is never counted.
 *
 * The rule for one counter: `free` attempts in a window, then a wait before the next attempt that
 * starts at `firstWaitSeconds` and doubles with every further attempt, up to `maxWaitSeconds`. The
 * count starts again when its window (from the first attempt) is over.
 */
export type Rule = { free: number; windowMinutes: number; firstWaitSeconds: number; maxWaitSeconds: number };
export type Counted = { bucket: string; key: string; rule: Rule };
export type Counter = { count: number; resetsAt: string; lastAt: string };

/** How many seconds from `now` until the next attempt may be made (0: go ahead). */
export function waitSeconds(rule: Rule, counter: Counter | undefined, now: Date): number {
  if (!counter || counter.resetsAt <= now.toISOString() || counter.count < rule.free) return 0;
  const wait = Math.min(rule.maxWaitSeconds, rule.firstWaitSeconds * 2 ** (counter.count - rule.free));
  return Math.max(0, Math.ceil((Date.parse(counter.lastAt) + wait * 1000 - now.getTime()) / 1000));
}

const keyOf = (bucket: string, key: string) => `${bucket}\u0000${key}`;

/** The longest wait any of these counters asks for now: one read, however many counters. */
export async function waitBefore(db: Kysely<Database>, counted: Counted[], now: Date): Promise<number> {
  if (counted.length === 0) return 0;
  const rows = await db
    .selectFrom('sign_in_counters')
    .select(['bucket', 'key', 'count', 'resets_at', 'last_at'])
    .where((eb) => eb.or(counted.map((c) => eb.and([eb('bucket', '=', c.bucket), eb('key', '=', c.key)]))))
    .execute();
  const found = new Map(rows.map((r) => [keyOf(r.bucket, r.key), { count: Number(r.count), resetsAt: r.resets_at, lastAt: r.last_at }]));
  return Math.max(0, ...counted.map((c) => waitSeconds(c.rule, found.get(keyOf(c.bucket, c.key)), now)));
}

/**
 * Add one to each counter in one statement (an upsert: a counter past its window starts again at 1),
 * and answer each counter's new state and the longest wait they now ask for.
 */
export async function countAttempt(db: Kysely<Database>, counted: Counted[], now: Date): Promise<{ wait: number; counters: Map<string, Counter> }> {
  const at = now.toISOString();
  const fresh = sql<boolean>`${sql.ref('sign_in_counters.resets_at')} <= ${sql.ref('excluded.last_at')}`;
  const rows = await db
    .insertInto('sign_in_counters')
    .values(counted.map((c) => ({ bucket: c.bucket, key: c.key, count: 1, resets_at: new Date(now.getTime() + c.rule.windowMinutes * 60_000).toISOString(), last_at: at })))
    .onConflict((oc) =>
      oc.columns(['bucket', 'key']).doUpdateSet({
        count: sql<number>`case when ${fresh} then 1 else ${sql.ref('sign_in_counters.count')} + 1 end`,
        resets_at: sql<string>`case when ${fresh} then ${sql.ref('excluded.resets_at')} else ${sql.ref('sign_in_counters.resets_at')} end`,
        last_at: sql<string>`${sql.ref('excluded.last_at')}`,
      }),
    )
    .returning(['bucket', 'key', 'count', 'resets_at', 'last_at'])
    .execute();
  const counters = new Map(rows.map((r) => [r.bucket, { count: Number(r.count), resetsAt: r.resets_at, lastAt: r.last_at }]));
  const wait = Math.max(0, ...counted.map((c) => waitSeconds(c.rule, counters.get(c.bucket), now)));
  return { wait, counters };
}

/** Forget counters whose window is over (the server calls this every hour). */
export async function sweepSignInCounters(db: Kysely<Database>, now: Date): Promise<number> {
  const result = await db.deleteFrom('sign_in_counters').where('resets_at', '<=', now.toISOString()).executeTakeFirst();
  return Number(result.numDeletedRows);
}

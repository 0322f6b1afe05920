import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { newId } from '../ids.ts';

/**
 * Sign-in attempts counted in the database, so the limit holds across several app servers.
 * A bucket names what is limited ('password:account', 'password:address', 'link:account' …).
 */
export type Limit = { bucket: string; key: string; max: number; windowMinutes: number };

export const SIGN_IN_LIMITS = {
  perAccount: { max: 5, windowMinutes: 15 },
  perAddress: { max: 30, windowMinutes: 15 },
} as const;

export async function isLimited(db: Kysely<Database>, limit: Limit, now: Date): Promise<boolean> {
  const since = new Date(now.getTime() - limit.windowMinutes * 60_000).toISOString();
  const row = await db
    .selectFrom('rate_limit_hits')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('bucket', '=', limit.bucket)
    .where('key', '=', limit.key)
    .where('at', '>', since)
    .executeTakeFirstOrThrow();
  return Number(row.n) >= limit.max;
}

export async function recordHit(db: Kysely<Database>, bucket: string, key: string, now: Date): Promise<void> {
  await db.insertInto('rate_limit_hits').values({ id: newId(), bucket, key, at: now.toISOString() }).execute();
}

/** Forget old hits (called now and then by the server). */
export async function sweepHits(db: Kysely<Database>, now: Date): Promise<void> {
  const before = new Date(now.getTime() - 24 * 60 * 60_000).toISOString();
  await db.deleteFrom('rate_limit_hits').where('at', '<', before).execute();
}

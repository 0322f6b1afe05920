import type { Kysely } from 'kysely';
import { insertInChunks } from '../../db/insert-in-chunks.ts';
import type { Database, OutboxChannel } from '../../db/schema.ts';
import { newId } from '../ids.ts';

type Db = Kysely<Database>;

/**
 * The durable outbox. `enqueue` is called inside the transaction that makes the change, so the
 * send and the change commit together; a worker delivers rows at least once. Each row's
 * idempotency key (message × recipient × channel) is unique, so enqueueing twice writes once.
 */
export type EmailPayload = { to: string; subject: string; text: string; html?: string };
export type SmsPayload = { to: string; text: string };
export type OutboxItem =
  { channel: 'email'; schoolId: string | null; key: string; ref?: string; payload: EmailPayload } | { channel: 'sms'; schoolId: string | null; key: string; ref?: string; payload: SmsPayload };

export const MAX_ATTEMPTS = 6;
export const LEASE_SECONDS = 60;

export async function enqueue(db: Db, items: OutboxItem[], now: Date): Promise<void> {
  await insertInChunks(db, 'outbox', outboxRows(items, now), { onConflictDoNothing: 'idempotency_key' });
}

/** The rows enqueue writes (insert them with `onConflictDoNothing: 'idempotency_key'`), for a caller that writes them with other rows. */
export function outboxRows(items: OutboxItem[], now: Date) {
  const at = now.toISOString();
  return items.map((item) => ({
    id: newId(),
    school_id: item.schoolId,
    channel: item.channel,
    idempotency_key: `${item.channel}:${item.key}`,
    recipient: item.payload.to,
    payload_json: JSON.stringify(item.payload),
    status: 'pending' as const,
    attempts: 0,
    next_attempt_at: at,
    claimed_until: null,
    last_error: null,
    created_at: at,
    sent_at: null,
    ref: item.ref ?? null,
  }));
}

/** Waits before the next try: 30 s, 1, 2, 4, 8 minutes… capped at an hour. */
export function backoffSeconds(attempts: number): number {
  return Math.min(3600, 30 * 2 ** Math.max(0, attempts - 1));
}

export type Claimed = { id: string; channel: OutboxChannel; payload_json: string; attempts: number };

/**
 * Claim up to `limit` due rows for one channel, in one statement. The inner select picks them; the
 * outer WHERE repeats the test, so the claim is a compare-and-set: two workers (on two app servers)
 * never take the same row (on PostgreSQL the second waits for the first's row lock, re-checks and
 * skips it). A row whose worker died is taken again once its lease runs out.
 *
 * The outbox keeps every message ever sent (a year of a school's emails is hundreds of thousands of
 * rows), so the pick must never walk the sent ones. It reads the two kinds of due row apart, each by
 * channel and status from an index and at most `limit` of each: waiting rows in the order they fall
 * due (outbox_channel_due, migration 0037) and rows whose lease ran out. Written as one test with an
 * OR, SQLite walked every row of the channel whenever it had no statistics for the outbox (a school
 * that began empty and has not restarted since): 57 ms a claim with 200,000 sent emails, against
 * 0.3 ms now, with or without statistics (see outbox.test.ts).
 */
export async function claimDue(db: Db, channel: OutboxChannel, limit: number, now: Date, leaseSeconds = LEASE_SECONDS): Promise<Claimed[]> {
  return claimStatement(db, channel, limit, now, leaseSeconds).execute();
}

/** The claim, not yet run (its plan is checked in outbox.test.ts). */
export function claimStatement(db: Db, channel: OutboxChannel, limit: number, now: Date, leaseSeconds = LEASE_SECONDS) {
  const at = now.toISOString();
  const until = new Date(now.getTime() + leaseSeconds * 1000).toISOString();
  const waiting = db
    .selectFrom('outbox')
    .select(['id', 'next_attempt_at'])
    .where('channel', '=', channel)
    .where('status', '=', 'pending')
    .where('next_attempt_at', '<=', at)
    .orderBy('next_attempt_at')
    .limit(limit);
  const leaseOver = db.selectFrom('outbox').select(['id', 'next_attempt_at']).where('channel', '=', channel).where('status', '=', 'sending').where('claimed_until', '<', at).limit(limit);
  const picked = db
    .selectFrom(waiting.as('w'))
    .select(['w.id', 'w.next_attempt_at'])
    .unionAll(db.selectFrom(leaseOver.as('l')).select(['l.id', 'l.next_attempt_at']));
  return db
    .updateTable('outbox')
    .set({ status: 'sending', claimed_until: until })
    .where('id', 'in', (eb) => eb.selectFrom(picked.as('d')).select('d.id').orderBy('d.next_attempt_at').limit(limit))
    .where((eb) =>
      // Still due (another worker may have taken it meanwhile). Written as a CASE so that no planner
      // takes it for a way into the table: the rows are found by id.
      eb
        .case('status')
        .when('pending')
        .then(eb('next_attempt_at', '<=', at))
        .when('sending')
        .then(eb('claimed_until', '<', at))
        .else(eb.lit(false))
        .end(),
    )
    .returning(['id', 'channel', 'payload_json', 'attempts']);
}

export async function markSent(db: Db, ids: string[], now: Date): Promise<void> {
  if (ids.length === 0) return;
  await db.updateTable('outbox').set({ status: 'sent', sent_at: now.toISOString(), claimed_until: null, last_error: null }).where('id', 'in', ids).where('status', '=', 'sending').execute();
}

/** A failed try: back to pending with a wait, or 'failed' for good (permanent, or out of tries). */
export async function markFailed(db: Db, row: { id: string; attempts: number }, error: string, permanent: boolean, now: Date): Promise<void> {
  const attempts = row.attempts + 1;
  const giveUp = permanent || attempts >= MAX_ATTEMPTS;
  await db
    .updateTable('outbox')
    .set({
      status: giveUp ? 'failed' : 'pending',
      attempts,
      last_error: error.slice(0, 500),
      claimed_until: null,
      next_attempt_at: new Date(now.getTime() + backoffSeconds(attempts) * 1000).toISOString(),
    })
    .where('id', '=', row.id)
    .where('status', '=', 'sending')
    .execute();
}

/**
 * The server could not be reached: not the message's fault, so the try is not counted and the row
 * waits, due as before, for the worker to find the server again (an outage never uses up its tries).
 */
export async function markUnreachable(db: Db, id: string, error: string): Promise<void> {
  await db
    .updateTable('outbox')
    .set({ status: 'pending', claimed_until: null, last_error: error.slice(0, 500) })
    .where('id', '=', id)
    .where('status', '=', 'sending')
    .execute();
}

/** Give claimed rows back untouched (a worker stopping before it sent them). */
export async function releaseClaims(db: Db, ids: string[]): Promise<void> {
  for (let i = 0; i < ids.length; i += 500) {
    await db
      .updateTable('outbox')
      .set({ status: 'pending', claimed_until: null })
      .where('id', 'in', ids.slice(i, i + 500))
      .where('status', '=', 'sending')
      .execute();
  }
}

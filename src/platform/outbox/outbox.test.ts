import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { dialects, openTestDb, type TestDb } from '../../../test/support/db.ts';
import { startSmtpSink, type SmtpSink } from '../channels/smtp-sink.ts';
import { createMailer, type Mailer } from '../channels/email.ts';
import { emailDelivery } from '../channels/deliver.ts';
import { insertInChunks } from '../../db/insert-in-chunks.ts';
import { queryPlan } from '../../db/query-plan.ts';
import { backoffSeconds, claimDue, claimStatement, enqueue, MAX_ATTEMPTS, outboxRows } from './outbox.ts';
import { DeliveryError, startOutboxWorker } from './worker.ts';

const email = (n: number, key = `m1:c${n}`) => ({ channel: 'email' as const, schoolId: null, key, payload: { to: `carer${n}@families.test`, subject: `Hello ${n}`, text: 'Newsletter' } });

describe.each(dialects)('outbox on %s', (dialect) => {
  let t: TestDb;
  let sink: SmtpSink;
  let mailer: Mailer;
  let now = new Date('2026-11-23T09:00:00Z');
  const clock = () => now;
  beforeAll(async () => {
    t = await openTestDb(dialect);
    sink = await startSmtpSink(0);
    mailer = createMailer(sink.url, 'School <school@test>');
  });
  afterAll(async () => {
    mailer?.close();
    await sink?.close();
    await t?.close();
  });
  beforeEach(async () => {
    await t.db.deleteFrom('outbox').execute();
    sink.messages.length = 0;
    now = new Date('2026-11-23T09:00:00Z');
  });

  it('writes one row per message, recipient and channel, however often it is enqueued', async () => {
    await enqueue(t.db, [email(1), email(2)], now);
    await enqueue(t.db, [email(1), email(2), email(3)], now);
    const rows = await t.db.selectFrom('outbox').select('recipient').orderBy('recipient').execute();
    expect(rows.map((r) => r.recipient)).toEqual(['carer1@families.test', 'carer2@families.test', 'carer3@families.test']);
  });

  it('delivers every row over real SMTP exactly once', async () => {
    await enqueue(
      t.db,
      Array.from({ length: 25 }, (_, i) => email(i)),
      now,
    );
    const worker = startOutboxWorker({ db: t.db, clock, deliver: { email: emailDelivery(mailer) } }, false);
    expect(await worker.drain()).toBe(25);
    expect(await worker.drain()).toBe(0);
    // The sink records each email before it answers the client, so every delivered one is here already.
    expect(sink.messages).toHaveLength(25);
    expect(new Set(sink.messages.map((m) => m.to[0])).size).toBe(25);
    const statuses = await t.db.selectFrom('outbox').select('status').distinct().execute();
    expect(statuses.map((s) => s.status)).toEqual(['sent']);
  });

  it('never lets two workers claim the same row', async () => {
    await enqueue(
      t.db,
      Array.from({ length: 40 }, (_, i) => email(i)),
      now,
    );
    const [a, b] = await Promise.all([claimDue(t.db, 'email', 40, now), claimDue(t.db, 'email', 40, now)]);
    const ids = [...a, ...b].map((r) => r.id);
    expect(ids).toHaveLength(40);
    expect(new Set(ids).size).toBe(40);
  });

  it('takes back a row whose worker died once its lease runs out', async () => {
    await enqueue(t.db, [email(1)], now);
    expect(await claimDue(t.db, 'email', 10, now)).toHaveLength(1); // a worker claims it, then dies
    expect(await claimDue(t.db, 'email', 10, new Date(now.getTime() + 30_000))).toHaveLength(0);
    expect(await claimDue(t.db, 'email', 10, new Date(now.getTime() + 61_000))).toHaveLength(1);
  });

  it('among a year of sent emails, claims the waiting ones in the order they fell due, and a lapsed lease, without walking the sent ones', async () => {
    const sentLongAgo = new Date('2026-01-05T08:00:00Z');
    const year = Array.from({ length: 20_000 }, (_, i) => email(i, `old:${i}`));
    const sent = outboxRows(year, sentLongAgo).map((r) => ({ ...r, status: 'sent' as const, sent_at: sentLongAgo.toISOString() }));
    await insertInChunks(t.db, 'outbox', sent);
    await enqueue(t.db, [email(1, 'new:late')], new Date(now.getTime() - 1000));
    await enqueue(t.db, [email(2, 'new:early')], new Date(now.getTime() - 5000));
    await enqueue(t.db, [email(3, 'new:later')], new Date(now.getTime() + 60_000)); // not due yet
    await enqueue(t.db, [email(4, 'new:lapsed')], new Date(now.getTime() - 120_000));
    expect((await claimDue(t.db, 'email', 1, new Date(now.getTime() - 100_000))).map((r) => JSON.parse(r.payload_json).to)).toEqual(['carer4@families.test']); // its worker then died

    // A school that began empty: no statistics about the outbox (SQLite gathers none unless asked).
    const plan = (await queryPlan(t.db, claimStatement(t.db, 'email', 20, now).compile())).join('\n');
    expect(plan).not.toMatch(/SCAN outbox|\(channel=\?\)|Seq Scan on outbox/);

    const claimed = await claimDue(t.db, 'email', 2, now); // the two that fell due first, in any order
    expect(claimed.map((r) => JSON.parse(r.payload_json).to).sort()).toEqual(['carer2@families.test', 'carer4@families.test']);
    expect((await claimDue(t.db, 'email', 20, now)).map((r) => JSON.parse(r.payload_json).to)).toEqual(['carer1@families.test']);
    expect(await claimDue(t.db, 'email', 20, now)).toEqual([]);
  });

  it('retries a failing send with growing waits, then marks it failed with the reason', async () => {
    await enqueue(t.db, [email(1)], now);
    let calls = 0;
    const worker = startOutboxWorker(
      {
        db: t.db,
        clock,
        deliver: {
          email: async () => {
            calls += 1;
            throw new Error('connection refused');
          },
        },
      },
      false,
    );
    for (let i = 0; i < MAX_ATTEMPTS; i++) {
      await worker.drain();
      const row = await t.db.selectFrom('outbox').selectAll().executeTakeFirstOrThrow();
      if (i < MAX_ATTEMPTS - 1) {
        expect(row.status).toBe('pending');
        expect(Date.parse(row.next_attempt_at) - now.getTime()).toBe(backoffSeconds(i + 1) * 1000);
        expect(await worker.drain()).toBe(0); // not due yet
        now = new Date(row.next_attempt_at);
      }
    }
    const row = await t.db.selectFrom('outbox').selectAll().executeTakeFirstOrThrow();
    expect(calls).toBe(MAX_ATTEMPTS);
    expect(row.status).toBe('failed');
    expect(row.last_error).toBe('connection refused');
  });

  it('gives up at once on a permanent failure such as a rejected address', async () => {
    await enqueue(t.db, [email(1)], now);
    const worker = startOutboxWorker(
      {
        db: t.db,
        clock,
        deliver: {
          email: async () => {
            throw new DeliveryError('550 no such mailbox', true);
          },
        },
      },
      false,
    );
    await worker.drain();
    const row = await t.db.selectFrom('outbox').selectAll().executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: 'failed', attempts: 1, last_error: '550 no such mailbox' });
  });

  it('delivers in the background when poked', async () => {
    const worker = startOutboxWorker({ db: t.db, clock: () => new Date(), deliver: { email: emailDelivery(mailer) }, idleMs: 5_000 });
    await enqueue(t.db, [email(7)], new Date());
    worker.poke();
    const got = await sink.waitFor('carer7@families.test', 3000);
    expect(got.subject).toBe('Hello 7');
    await worker.stop();
  });

  it('gives way before each delivery (the server’s requests first), and sends once it may', async () => {
    let open: () => void = () => undefined;
    let asked = 0;
    const gap = new Promise<void>((resolve) => (open = resolve));
    const worker = startOutboxWorker({
      db: t.db,
      clock: () => new Date(),
      deliver: { email: emailDelivery(mailer) },
      idleMs: 5_000,
      giveWay: () => {
        asked += 1;
        return gap;
      },
    });
    await enqueue(t.db, [email(8), email(9)], new Date());
    worker.poke();
    for (let i = 0; i < 100 && asked < 2; i++) await new Promise((r) => setTimeout(r, 10));
    expect(asked).toBe(2);
    await new Promise((r) => setTimeout(r, 100));
    expect(sink.messages).toHaveLength(0); // both wait for the gap
    open();
    await sink.waitFor('carer8@families.test', 3000);
    await sink.waitFor('carer9@families.test', 3000);
    await worker.stop();
    expect((await t.db.selectFrom('outbox').select('status').execute()).map((r) => r.status)).toEqual(['sent', 'sent']);
  });

  it('delivers every remaining message exactly once when the server stops mid-send and starts again', async () => {
    await enqueue(
      t.db,
      Array.from({ length: 200 }, (_, i) => email(i)),
      now,
    );
    const send = emailDelivery(mailer);
    // The first worker is stopped from inside its 30th delivery: mid-send whatever the machine's speed.
    let byFirst = 0;
    let stopping: Promise<void> | undefined;
    const first = startOutboxWorker({
      db: t.db,
      clock: () => new Date(),
      deliver: {
        email: async (payload, row) => {
          await send(payload, row);
          byFirst += 1;
          if (byFirst === 30) stopping = first.stop();
        },
      },
      batchSize: 100,
      concurrency: 10,
      idleMs: 50,
    });
    while (!stopping) await new Promise((r) => setTimeout(r, 5));
    await stopping;
    // Stopping lets the deliveries in flight finish and starts no other; what it claimed goes back.
    const sentByFirst = byFirst;
    expect(sentByFirst).toBeLessThanOrEqual(30 + 9);
    expect(sink.messages).toHaveLength(sentByFirst);
    const rows = await t.db.selectFrom('outbox').select(['status', 'claimed_until']).execute();
    expect(rows.filter((r) => r.status === 'sent')).toHaveLength(sentByFirst);
    expect(rows.filter((r) => r.status !== 'sent').every((r) => r.status === 'pending' && r.claimed_until === null)).toBe(true);

    const second = startOutboxWorker({ db: t.db, clock: () => new Date(), deliver: { email: send }, batchSize: 100, concurrency: 10 }, false);
    expect(await second.drain()).toBe(200 - sentByFirst);
    expect(byFirst).toBe(sentByFirst); // nothing more went out through the stopped worker
    const recipients = sink.messages.map((m) => m.to[0]);
    expect(recipients).toHaveLength(200);
    expect(new Set(recipients).size).toBe(200);
  });

  it('keeps to the rate limit of a channel', async () => {
    await enqueue(
      t.db,
      Array.from({ length: 30 }, (_, i) => email(i)),
      now,
    );
    // The limit counts in the worker's milliseconds; here they pass only when it waits, so the test is exact.
    let ms = 0;
    const at: number[] = [];
    const rateTime = {
      now: () => ms,
      sleep: async (wait: number) => {
        ms += wait;
      },
    };
    const worker = startOutboxWorker({ db: t.db, clock, deliver: { email: async () => void at.push(ms) }, concurrency: 5, perSecond: { email: 10 }, rateTime }, false);
    expect(await worker.drain()).toBe(30);
    const perSecond = new Map<number, number>();
    for (const t0 of at) perSecond.set(Math.floor(t0 / 1000), (perSecond.get(Math.floor(t0 / 1000)) ?? 0) + 1);
    expect([...perSecond.values()]).toEqual([10, 10, 10]); // 30 at 10 a second: three windows
  });
});

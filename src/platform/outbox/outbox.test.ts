import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { dialects, openTestDb, type TestDb } from '../../../test/support/db.ts';
import { startSmtpSink, type SmtpSink } from '../channels/smtp-sink.ts';
import { createMailer, type Mailer } from '../channels/email.ts';
import { emailDelivery } from '../channels/deliver.ts';
import { backoffSeconds, claimDue, enqueue, MAX_ATTEMPTS } from './outbox.ts';
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
    await new Promise((r) => setTimeout(r, 100));
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

  it('delivers every remaining message exactly once when the server stops mid-send and starts again', async () => {
    await enqueue(
      t.db,
      Array.from({ length: 200 }, (_, i) => email(i)),
      now,
    );
    const deliver = { email: emailDelivery(mailer) };
    const first = startOutboxWorker({ db: t.db, clock: () => new Date(), deliver, batchSize: 100, concurrency: 10, idleMs: 50 });
    while (sink.messages.length < 30) await new Promise((r) => setTimeout(r, 5));
    await first.stop(); // mid-send: most of the batch it claimed is not sent yet
    const afterStop = sink.messages.length;
    expect(afterStop).toBeLessThan(200);
    const second = startOutboxWorker({ db: t.db, clock: () => new Date(), deliver, batchSize: 100, concurrency: 10 }, false);
    await second.drain();
    await new Promise((r) => setTimeout(r, 200));
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
    const worker = startOutboxWorker({ db: t.db, clock, deliver: { email: async () => undefined }, concurrency: 5, perSecond: { email: 10 } }, false);
    const started = Date.now();
    expect(await worker.drain()).toBe(30);
    expect(Date.now() - started).toBeGreaterThanOrEqual(2000); // 30 at 10 a second: three windows
  });
});

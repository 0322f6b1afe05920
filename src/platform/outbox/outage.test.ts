import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { dialects, openTestDb, type TestDb } from '../../../test/support/db.ts';
import { startSmtpSink, type SmtpSink } from '../channels/smtp-sink.ts';
import { createMailer, type Mailer } from '../channels/email.ts';
import { emailDelivery } from '../channels/deliver.ts';
import { enqueue } from './outbox.ts';
import { startOutboxWorker, type OutboxWorker } from './worker.ts';

/**
 * The mail server goes away and comes back: the real worker and the real pooled mailer, sending to a
 * real SMTP server that is cut off mid-send (or is not there at start-up) and started again on the
 * same port. Only the waits between tries are shorter than in production.
 */
const email = (n: number) => ({ channel: 'email' as const, schoolId: null, key: `outage:${n}`, payload: { to: `carer${n}@families.test`, subject: `Hello ${n}`, text: 'Newsletter' } });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(what: string, test: () => boolean | Promise<boolean>, timeoutMs: number): Promise<void> {
  const started = Date.now();
  while (!(await test())) {
    if (Date.now() - started > timeoutMs) throw new Error(`Not within ${timeoutMs / 1000} s: ${what}`);
    await sleep(20);
  }
}

describe.each(dialects)('the outbox when the mail server goes away, on %s', (dialect) => {
  let t: TestDb;
  let sink: SmtpSink;
  let mailer: Mailer;
  let worker: OutboxWorker | null = null;
  let logged: string[] = [];
  beforeAll(async () => {
    t = await openTestDb(dialect);
  });
  afterAll(async () => {
    await t?.close();
  });
  beforeEach(async () => {
    await t.db.deleteFrom('outbox').execute();
    logged = [];
    sink = await startSmtpSink(0);
    mailer = createMailer(sink.url, 'School <school@test>');
  });
  afterEach(async () => {
    await worker?.stop();
    worker = null;
    mailer.close();
    await sink.close();
  });

  const startWorker = () =>
    startOutboxWorker({
      db: t.db,
      clock: () => new Date(),
      deliver: { email: emailDelivery(mailer) },
      batchSize: 200,
      concurrency: 20,
      idleMs: 100,
      outageWaitMs: { first: 100, max: 1000 },
      log: (line) => logged.push(line),
    });
  const distinctRecipients = () => new Set(sink.messages.flatMap((m) => m.to)).size;

  it('delivers every message within a minute when the server is cut off mid-send and comes back, and says so once each way', async () => {
    await enqueue(
      t.db,
      Array.from({ length: 300 }, (_, i) => email(i)),
      new Date(),
    );
    worker = startWorker();
    await until('the first 40 emails arrive', () => sink.messages.length >= 40, 30_000);
    await sink.stop();
    await until('the worker finds the server gone', () => logged.some((l) => l.includes('not going out')), 30_000);
    const during = await t.db.selectFrom('outbox').select(['status']).where('status', '!=', 'sent').execute();
    expect(during.length).toBeGreaterThan(0);
    expect(during.every((r) => r.status !== 'failed')).toBe(true); // an outage is not the message's fault
    await sink.start();
    // `until` fails the test if they have not all arrived within the minute.
    await until('all 300 emails arrive after the server came back', () => distinctRecipients() === 300, 60_000);
    await until('every row is marked sent', async () => (await t.db.selectFrom('outbox').select('id').where('status', '!=', 'sent').execute()).length === 0, 10_000);
    expect(logged.filter((l) => l.includes('not going out'))).toHaveLength(1);
    expect(logged.filter((l) => l.includes('going out again'))).toHaveLength(1);
  }, 120_000);

  it('delivers what waited when the server was down at start-up, as soon as it is up', async () => {
    await sink.stop();
    await enqueue(
      t.db,
      Array.from({ length: 30 }, (_, i) => email(i)),
      new Date(),
    );
    worker = startWorker();
    // Found no server, then handed back what it claimed: every row waits, none failed, no try counted.
    let waiting: { status: string; attempts: number }[] = [];
    await until(
      'the worker finds no server and hands its rows back',
      async () => {
        if (!logged.some((l) => l.includes('not going out'))) return false;
        waiting = await t.db.selectFrom('outbox').select(['status', 'attempts']).execute();
        return waiting.every((r) => r.status === 'pending');
      },
      30_000,
    );
    expect(sink.messages).toHaveLength(0);
    expect(waiting.every((r) => r.attempts === 0)).toBe(true);
    expect(logged.filter((l) => l.includes('not going out'))).toHaveLength(1);
    await sink.start();
    await until('all 30 emails arrive after the server started', () => distinctRecipients() === 30, 60_000);
    await until('every row is marked sent', async () => (await t.db.selectFrom('outbox').select('id').where('status', '!=', 'sent').execute()).length === 0, 10_000);
    expect(logged.filter((l) => l.includes('going out again'))).toHaveLength(1);
  }, 120_000);

  it('gives up on a send the server never answers, and delivers it once the server answers again', async () => {
    // A server that accepts the connection and then says nothing (no greeting).
    const net = await import('node:net');
    const silent = net.createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', () => resolve()));
    const port = (silent.address() as { port: number }).port;
    const hungMailer = createMailer(`smtp://127.0.0.1:${port}`, 'School <school@test>', { greetingMs: 300, socketMs: 300, sendMs: 1000 });
    await enqueue(t.db, [email(1)], new Date());
    worker = startOutboxWorker({
      db: t.db,
      clock: () => new Date(),
      deliver: { email: emailDelivery(hungMailer) },
      idleMs: 100,
      outageWaitMs: { first: 100, max: 500 },
      log: (line) => logged.push(line),
    });
    await until('the hung send is given up', () => logged.some((l) => l.includes('not going out')), 10_000);
    const row = await t.db.selectFrom('outbox').select(['status', 'attempts']).executeTakeFirstOrThrow();
    expect(row.attempts).toBe(0);
    await worker.stop();
    hungMailer.close();
    silent.close();
    worker = startWorker();
    await sink.waitFor('carer1@families.test', 10_000);
  });
});

/**
 * The server's outbox worker in a process of its own, for tests that kill it (`kill -9`):
 * `node --import tsx test/support/outbox-worker-process.ts <database target as JSON> <SMTP URL> <journal file>`.
 * It runs as src/main.ts runs it (same settings, real mailer), except for a shorter lease when asked
 * (LEASE_SECONDS), and before each try it appends the row's id to the journal with a synchronous
 * write, which a kill cannot lose: the test can tell which messages were on their way when it struck.
 * Prints "ready" once the worker runs. With WAIT_FOR_GO=1 it loads everything, prints "loaded", and
 * touches neither the database nor the mail server until a line arrives on stdin: a test can start the
 * next worker while the last one still runs, and let it go only once the last one is dead.
 */
import fs from 'node:fs';
import { openDatabase, type DatabaseTarget } from '../../src/db/database.ts';
import { readConfig } from '../../src/config.ts';
import { emailDelivery } from '../../src/platform/channels/deliver.ts';
import { createMailer } from '../../src/platform/channels/email.ts';
import { SERVER_WORKER, startOutboxWorker } from '../../src/platform/outbox/worker.ts';

const [targetJson, smtpUrl, journal] = process.argv.slice(2);
if (process.env.WAIT_FOR_GO === '1') {
  process.stdout.write('loaded\n');
  await new Promise<void>((resolve) => process.stdin.once('data', () => resolve()));
  process.stdin.pause();
}
const target = JSON.parse(targetJson!) as DatabaseTarget;
// WORKERS (PostgreSQL): one of several app processes, taking its share of the rate limit as main.ts does.
const workers = process.env.WORKERS && target.kind === 'postgres' ? { WORKERS: process.env.WORKERS, DATABASE_URL: target.url } : {};
const config = readConfig({ NODE_ENV: 'production', SMTP_URL: smtpUrl, MAIL_FROM: 'Brookfield Primary <office@brookfield.test>', ...workers });
const { db } = openDatabase(target);
const email = emailDelivery(createMailer(smtpUrl!, config.mailFrom));
const fd = fs.openSync(journal!, 'a');
startOutboxWorker({
  db,
  clock: () => new Date(),
  deliver: {
    email: async (payload, row) => {
      fs.writeSync(fd, `${row?.id}\n`);
      await email(payload, row);
    },
  },
  ...SERVER_WORKER,
  perSecond: { email: config.throttle.emailPerSecond / config.workers },
  leaseSeconds: Number(process.env.LEASE_SECONDS ?? 60),
  onError: (error) => console.error('outbox:', error),
});
process.stdout.write('ready\n');

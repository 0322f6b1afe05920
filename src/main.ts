import cluster from 'node:cluster';
import pino from 'pino';
import { readConfig, type Config } from './config.ts';
import { openDatabase, migrateToLatest, type Db } from './db/database.ts';
import { reachDatabase } from './db/faults.ts';
import { buildApp } from './app.ts';
import { createMailer } from './platform/channels/email.ts';
import { startSmtpSink } from './platform/channels/smtp-sink.ts';
import { sweepSignInCounters } from './platform/auth/rate-limit.ts';
import { SERVER_WORKER, startOutboxWorker } from './platform/outbox/worker.ts';
import { requestLoad } from './platform/web/in-flight.ts';
import { emailDelivery } from './platform/channels/deliver.ts';
import { sendDueMessages, sendContextFor } from './features/messages/send.ts';
import { sendMeetingReminders } from './features/meetings/reminders.ts';
import { sendAgendasDue } from './features/meetings/agenda.ts';
import { sendProfileReviewReminders } from './features/profiles/index.ts';
import { sendVolunteerReviewReminders } from './features/volunteering/index.ts';
import { sendBuddyCheckInReminders } from './features/community/index.ts';
import { smsDelivery, textsCanGo } from './platform/channels/sms.ts';
import { createTwilioSms } from './platform/channels/twilio.ts';
import { receiptPath } from './platform/channels/sms-receipts-routes.ts';
import { loadDemoSchool, DEMO_PASSWORD } from './demo/demo-school.ts';
import { demoSignIns } from './demo/sign-ins.ts';
import { absoluteLink } from './platform/web/links.ts';
import { writeDbStatsEvery } from './db/stats.ts';
import { measureChangedTables, measureUnmeasuredTables } from './db/statistics.ts';

/** The longest an email waits for a gap between requests before it goes anyway. */
const GIVE_WAY_MS = 5_000;

/**
 * Read config, open the database, migrate, load the demo school if empty, start the server. With
 * WORKERS=N (PostgreSQL only: config.ts refuses it on SQLite) this process migrates, then starts N
 * app processes with node:cluster that share the port, and starts a new one if one dies.
 */
async function main(): Promise<void> {
  const config = readConfig();
  if (config.workers > 1 && cluster.isPrimary) return primary(config);
  const { db, dialect, close } = openDatabase(config.database);
  if (config.dbStatsDir) writeDbStatsEvery(config.dbStatsDir);
  await reachDatabase(db, config.database);
  if (cluster.isPrimary) await prepareDatabase(db, config);

  let smtpUrl = config.smtpUrl;
  let sinkNote = '';
  if (!smtpUrl) {
    if (config.env === 'production') throw new Error('Gatepost cannot start: set SMTP_URL (smtp://user:pass@host:587) in production');
    const sink = await startSmtpSink(0, (m) => {
      console.log(`\n--- email to ${m.to.join(', ')}: ${m.subject}\n${m.text.trim()}\n---`);
    });
    smtpUrl = sink.url;
    sinkNote = `Emails go to a local SMTP server (${sink.url}) and are printed here, sign-in links included.`;
  }
  const mailer = createMailer(smtpUrl, config.mailFrom);

  // Emails give way to people waiting for a page: each goes in a gap between requests, or after
  // GIVE_WAY_MS at the latest (a booking rush's confirmations a few seconds later, not its pages).
  const requests = requestLoad();
  const worker = startOutboxWorker({
    db,
    giveWay: () => requests.quiet(GIVE_WAY_MS),
    clock: () => new Date(),
    deliver: {
      email: emailDelivery(mailer),
      // No provider, no texts: nothing is queued as a text then (urgent notices say so before sending).
      ...(config.sms.twilio ? { sms: smsDelivery(createTwilioSms({ ...config.sms.twilio, from: config.sms.from, receiptUrl: (id) => absoluteLink(config.baseUrl, receiptPath(id)) })) } : {}),
    },
    ...SERVER_WORKER,
    // The rate limits are the school's, for the whole server: with WORKERS=N each process takes its share.
    perSecond: { email: config.throttle.emailPerSecond / config.workers, sms: config.throttle.smsPerSecond / config.workers },
    onError: (error) => console.error('outbox:', error),
  });
  // Log lines are written as they are made, from this thread. pino's default hands each write to a
  // libuv thread, and in a booking rush those hand-offs took a tenth of the server's time.
  const logger = { level: config.logLevel, stream: pino.destination({ dest: 1, sync: true }) };
  const app = await buildApp({ db, dialect, config, mailer, logger, pokeOutbox: worker.poke, requestLoad: requests });
  const address = await app.listen({ host: config.host, port: config.port });
  const sweep = setInterval(() => void sweepSignInCounters(db, new Date()).catch(() => undefined), 60 * 60_000);
  sweep.unref();
  // A school's tables grow from nothing while the server runs: every three hours, measure those never
  // measured or much changed since (SQLite's advice for long-lived connections; on PostgreSQL autovacuum
  // does this, and only tables it never measured are taken).
  const statistics = setInterval(() => void measureUnmeasuredTables(db).catch((error) => console.error('planner statistics:', error)), 3 * 60 * 60_000);
  statistics.unref();
  // PostgreSQL: every 15 seconds, measure again the tables that changed a lot since last measured (an
  // evening's bookings at 18:00), before autovacuum would; one at a time.
  let measuring = false;
  const changed = setInterval(() => {
    if (measuring) return;
    measuring = true;
    void measureChangedTables(db)
      .catch((error) => console.error('planner statistics:', error))
      .finally(() => (measuring = false));
  }, 15_000);
  changed.unref();
  // Scheduled messages: every half minute, send what is due (any app server may; each send is a compare-and-set).
  const scheduler = setInterval(() => {
    void sendDueMessages(db, async (schoolId) => ({ ...(await sendContextFor(db, schoolId, config.baseUrl)), textsCanGo: textsCanGo(config) }), new Date())
      .then((n) => n > 0 && worker.poke())
      .catch((error) => console.error('scheduled messages:', error));
  }, 30_000);
  scheduler.unref();
  // Reminders the day before a meeting or parents' evening appointment (idempotent per carer and meeting).
  const reminders = setInterval(() => {
    void sendMeetingReminders(db, new Date(), config.baseUrl)
      .then(() => sendAgendasDue(db, new Date(), config.baseUrl))
      // Pupil profiles due for review: the SENCO and the class teacher, once per due date (features/profiles).
      .then(() => sendProfileReviewReminders(db, new Date(), config.baseUrl))
      // Volunteers' reviews within 14 days or past: the office and the head, once per volunteer and review date (features/volunteering).
      .then(() => sendVolunteerReviewReminders(db, new Date(), config.baseUrl))
      // Buddy matches four weeks on, not checked in: the family liaison officer (else the head), once per match (features/community).
      .then(() => sendBuddyCheckInReminders(db, new Date(), config.baseUrl))
      .then(() => worker.poke())
      .catch((error) => console.error('meeting reminders:', error));
  }, 10 * 60_000);
  reminders.unref();

  console.log(`\nGatepost is running at ${config.baseUrl} (listening on ${address}, database: ${dialect})`);
  if (sinkNote) console.log(sinkNote);
  const signIns = config.env === 'production' || (cluster.worker && cluster.worker.id !== 1) ? [] : await demoSignIns(db);
  if (signIns.length > 0) {
    console.log(`\nDemo sign-ins (every staff password: ${DEMO_PASSWORD}):`);
    for (const s of signIns) console.log(`  ${s.who.padEnd(46)} ${s.email.padEnd(38)} ${s.how}`);
  }

  const stop = async () => {
    for (const timer of [sweep, statistics, changed, scheduler, reminders]) clearInterval(timer);
    await app.close();
    await worker.stop();
    mailer.close();
    await close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

/** Migrations, and the demo school on a first start outside production: once, before any app process serves. */
async function prepareDatabase(db: Db, config: Config): Promise<void> {
  await migrateToLatest(db);
  if (config.loadDemo === 'yes' && config.env === 'production') {
    throw new Error('Gatepost cannot start: the demo school (with its well-known passwords) is never loaded in production');
  }
  const schools = await db.selectFrom('schools').select('id').limit(1).execute();
  const loadDemo = config.loadDemo === 'yes' || (config.loadDemo === 'auto' && config.env !== 'production');
  if (loadDemo && schools.length === 0) {
    console.log('Loading the demo school (first start)…');
    await loadDemoSchool(db);
  }
  // Both databases plan from statistics; tables never measured (autovacuum off, a fresh SQLite file) are measured now.
  const measured = await measureUnmeasuredTables(db);
  if (measured.length > 0) console.log(`Planner statistics gathered for ${measured.length} tables never measured`);
}

/**
 * WORKERS=N: prepare the database once, then N app processes (each with its pool, outbox worker and
 * scheduler: sessions, sign-in limits, holds and the outbox are shared through the database). One
 * that dies is replaced, unless it died within seconds of starting (a fault that would only repeat).
 */
async function primary(config: Config): Promise<void> {
  const { db, close } = openDatabase(config.database);
  await reachDatabase(db, config.database);
  await prepareDatabase(db, config);
  await close();
  let stopping = false;
  const startedAt = new Map<number, number>();
  const fork = () => {
    const worker = cluster.fork();
    startedAt.set(worker.id, Date.now());
  };
  cluster.on('exit', (worker, code, signal) => {
    if (stopping) {
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(process.exitCode ?? 0);
      return;
    }
    const lived = Date.now() - (startedAt.get(worker.id) ?? 0);
    console.error(`Gatepost app process ${worker.process.pid} stopped (${signal ?? `exit ${code}`})${lived < 10_000 ? ' just after starting: stopping the others' : '; starting another'}`);
    if (lived < 10_000) {
      stopping = true;
      for (const w of Object.values(cluster.workers ?? {})) w?.process.kill('SIGTERM');
      process.exitCode = 1;
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(1);
      return;
    }
    fork();
  });
  for (let i = 0; i < config.workers; i++) fork();
  console.log(`Gatepost: ${config.workers} app processes (WORKERS=${config.workers}) on one PostgreSQL database, sharing port ${config.port}`);
  const stop = () => {
    if (stopping) return;
    stopping = true;
    for (const w of Object.values(cluster.workers ?? {})) w?.process.kill('SIGTERM');
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});

import { readConfig } from './config.ts';
import { openDatabase, migrateToLatest } from './db/database.ts';
import { reachDatabase } from './db/faults.ts';
import { buildApp } from './app.ts';
import { createMailer } from './platform/channels/email.ts';
import { startSmtpSink } from './platform/channels/smtp-sink.ts';
import { sweepSignInCounters } from './platform/auth/rate-limit.ts';
import { SERVER_WORKER, startOutboxWorker } from './platform/outbox/worker.ts';
import { emailDelivery } from './platform/channels/deliver.ts';
import { sendDueMessages, sendContextFor } from './features/messages/send.ts';
import { sendMeetingReminders } from './features/meetings/reminders.ts';
import { smsDelivery, textsCanGo } from './platform/channels/sms.ts';
import { createTwilioSms } from './platform/channels/twilio.ts';
import { receiptPath } from './platform/channels/sms-receipts-routes.ts';
import { loadDemoSchool, DEMO_PASSWORD } from './demo/demo-school.ts';
import { demoSignIns } from './demo/sign-ins.ts';
import { absoluteLink } from './platform/web/links.ts';
import { writeDbStatsEvery } from './db/stats.ts';

/** Read config, open the database, migrate, load the demo school if empty, start the server. */
async function main(): Promise<void> {
  const config = readConfig();
  const { db, dialect, close } = openDatabase(config.database);
  if (config.dbStatsDir) writeDbStatsEvery(config.dbStatsDir);
  await reachDatabase(db, config.database);
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

  const worker = startOutboxWorker({
    db,
    clock: () => new Date(),
    deliver: {
      email: emailDelivery(mailer),
      // No provider, no texts: nothing is queued as a text then (urgent notices say so before sending).
      ...(config.sms.twilio ? { sms: smsDelivery(createTwilioSms({ ...config.sms.twilio, from: config.sms.from, receiptUrl: (id) => absoluteLink(config.baseUrl, receiptPath(id)) })) } : {}),
    },
    ...SERVER_WORKER,
    perSecond: { email: config.throttle.emailPerSecond, sms: config.throttle.smsPerSecond },
    onError: (error) => console.error('outbox:', error),
  });
  const app = await buildApp({ db, dialect, config, mailer, logger: { level: config.logLevel }, pokeOutbox: worker.poke });
  const address = await app.listen({ host: config.host, port: config.port });
  const sweep = setInterval(() => void sweepSignInCounters(db, new Date()).catch(() => undefined), 60 * 60_000);
  sweep.unref();
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
      .then(() => worker.poke())
      .catch((error) => console.error('meeting reminders:', error));
  }, 10 * 60_000);
  reminders.unref();

  console.log(`\nGatepost is running at ${config.baseUrl} (listening on ${address}, database: ${dialect})`);
  if (sinkNote) console.log(sinkNote);
  const signIns = config.env === 'production' ? [] : await demoSignIns(db);
  if (signIns.length > 0) {
    console.log(`\nDemo sign-ins (every staff password: ${DEMO_PASSWORD}):`);
    for (const s of signIns) console.log(`  ${s.who.padEnd(46)} ${s.email.padEnd(38)} ${s.how}`);
  }

  const stop = async () => {
    await app.close();
    await worker.stop();
    mailer.close();
    await close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});

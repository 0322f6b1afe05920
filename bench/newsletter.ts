import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import nodemailer from 'nodemailer';
import type { Bench } from './run.ts';
import { benchDatabase } from './support/server.ts';
import { startCountingSink, type CountingSink as Sink } from './support/counting-sink.ts';
import { readConfig } from '../src/config.ts';
import type { Db } from '../src/db/database.ts';
import { insertInChunks } from '../src/db/insert-in-chunks.ts';
import type { CarerPupilTable, CarerTable, ClassTable, PupilTable, YearGroup } from '../src/db/schema.ts';
import { sendMessage } from '../src/features/messages/send.ts';
import { emailDelivery } from '../src/platform/channels/deliver.ts';
import { createMailer } from '../src/platform/channels/email.ts';
import type { EmailPayload } from '../src/platform/outbox/outbox.ts';
import { SERVER_WORKER, startOutboxWorker } from '../src/platform/outbox/worker.ts';
import { newId } from '../src/platform/ids.ts';
import { carerLink, carerRow, insertStaff, pupilRow, staffRow } from '../test/support/fixture.ts';

/**
 * A newsletter to every carer of a 2,000-pupil school (about 3,500 carers with email): the time to
 * work out who receives it and write the outbox (sendMessage), then the rate at which the outbox
 * worker delivers it to an SMTP server on loopback; and, to the same server, the same emails from a
 * bare loop over a pooled nodemailer transport with the same concurrency, for comparison.
 * The worker runs as the server runs it: its batch size and concurrency, and the production email
 * rate limit as configured by default (EMAIL_PER_SECOND, printed), so emails_per_s is at most that.
 * The SMTP server runs in its own process and only counts what it receives, so what is measured is
 * the sending side. Both senders are warmed up first (300 emails), so neither pays for compiling
 * nodemailer's code.
 */
const PUPILS = 2000;
const YEARS: YearGroup[] = ['R', '1', '2', '3', '4', '5', '6'];
const CLASSES_PER_YEAR = 10;
/** Worker settings for the run: the server's (rows claimed per round, deliveries in flight; the bare loop's too). */
const BATCH_SIZE = Number(process.env.BENCH_BATCH ?? SERVER_WORKER.batchSize);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? SERVER_WORKER.concurrency);
/** The production email rate limit as configured by default (EMAIL_PER_SECOND unset), as `src/main.ts` passes it to the worker. */
const EMAIL_LIMIT = readConfig({ NODE_ENV: 'production' }).throttle.emailPerSecond;
/**
 * The bare loop's transport: pooled, as createMailer's, with five connections kept for 1,000
 * messages and sockets that send at once (Nagle off), which is the best nodemailer does here.
 */
const BARE_POOL = { maxConnections: 5, maxMessages: 1000 };
const FROM = 'Bench Primary <office@bench.example>';

const GIVEN = ['Amelia', 'Oliver', 'Zoë', 'Łukasz', 'Aoife', 'Chidi', 'Priya', 'Mateusz', 'Fatima', 'Noah', 'Isla', 'Yusuf', 'Maja', 'Leo', 'Hana', 'Ravi'];
const FAMILY = ['Smith', 'Nowak', "O'Brien-Smith", 'Khan', 'Okafor', 'Jones', 'Kowalski', 'Hassan', 'Patel', 'Murphy', 'Popescu', 'Warsame', 'Ahmed', 'Taylor'];
const ADULTS = [
  ['Sarah', 'Anna', 'Amina', 'Marta', 'Grace'],
  ['David', 'Piotr', 'Omar', 'Tomasz', 'James'],
];

/** A school of 2,000 pupils: families of one child, some of two; two carers each, all with email. */
async function makeSchool(db: Db, at: string): Promise<{ schoolId: string; headId: string; carers: number }> {
  const schoolId = newId();
  const headId = newId();
  await db
    .insertInto('schools')
    .values({ id: schoolId, name: 'Bench Primary School', urn: '199998', phase: 'primary', time_zone: 'Europe/London', colour: '#1d70b8', teachers_see_all_pupils: 0, created_at: at })
    .execute();
  await insertStaff(db, staffRow(at, { id: headId, school_id: schoolId, email: 'head@bench.example', title: 'Mrs', given_name: 'Anita', family_name: 'Head', job_title: 'Head teacher' }), []);
  const classes: ClassTable[] = YEARS.flatMap((y) =>
    Array.from({ length: CLASSES_PER_YEAR }, (_, i) => ({ id: newId(), school_id: schoolId, name: `${y}${'ABCDEFGHJK'[i]}`, year_group: y, archived_at: null })),
  );
  const pupils: PupilTable[] = [];
  const carers: CarerTable[] = [];
  const links: CarerPupilTable[] = [];
  let family = 0;
  for (let i = 0; i < PUPILS; family += 1) {
    const size = family % 7 === 0 && i + 1 < PUPILS ? 2 : 1;
    const surname = FAMILY[family % FAMILY.length]!;
    const children = Array.from({ length: size }, (_, k) => {
      const n = i + k;
      const year = YEARS[n % YEARS.length]!;
      const pupil = pupilRow(at, {
        school_id: schoolId,
        upn: `B${String(801300000000 + n)}`,
        given_name: GIVEN[n % GIVEN.length]!,
        family_name: surname,
        date_of_birth: `${2021 - YEARS.indexOf(year)}-0${(n % 9) + 1}-1${n % 10}`,
        year_group: year,
        class_id: classes[YEARS.indexOf(year) * CLASSES_PER_YEAR + (n % CLASSES_PER_YEAR)]!.id,
        eal: family % 5 === 0 ? 1 : 0,
        home_language: family % 5 === 0 ? 'Polish' : 'English',
      });
      pupils.push(pupil);
      return pupil.id;
    });
    i += size;
    // One family in ten: the second parent lives apart and asked for copies.
    const apart = family % 10 === 3;
    for (const parent of [0, 1]) {
      const given = ADULTS[parent]![family % 5]!;
      const carer = carerRow(at, {
        school_id: schoolId,
        title: parent ? 'Mr' : 'Mrs',
        given_name: given,
        family_name: surname,
        email: `${given.toLowerCase()}.${family}.${parent}@families.test`,
        mobile: `07700${String(900000 + ((family * 2 + parent) % 1000)).padStart(6, '0')}`,
        address_line1: `${family} High Street`,
        town: 'Benchford',
        postcode: 'BF1 2AB',
        preferred_language: family % 5 === 0 && parent === 0 ? 'Polish' : 'English',
      });
      carers.push(carer);
      for (const pupilId of children) {
        links.push(
          carerLink({
            school_id: schoolId,
            carer_id: carer.id,
            pupil_id: pupilId,
            relationship: parent ? 'father' : 'mother',
            lives_with_pupil: apart && parent === 1 ? 0 : 1,
            contact_priority: parent + 1,
            wants_copies: apart && parent === 1 ? 1 : 0,
          }),
        );
      }
    }
  }
  await db.transaction().execute(async (trx) => {
    await insertInChunks(trx, 'classes', classes);
    await insertInChunks(trx, 'pupils', pupils);
    await insertInChunks(trx, 'carers', carers);
    await insertInChunks(trx, 'carer_pupils', links);
  });
  return { schoolId, headId, carers: carers.length };
}

const NEWSLETTER = [
  'Dear families,',
  'Thank you for your patience on Thursday, when we had to close because the heating failed. The boiler was mended the same evening and the school is warm again.',
  'Anti-bullying week starts on Monday. Every class will talk about being kind online and in the playground. Children may wear odd socks on Monday to show that everyone is different.',
  'Flu vaccinations for Reception to Year 6 are on Tuesday 24 November. If you have not sent back the consent form, please do so by Monday.',
  'The PTA Christmas fair is on Saturday 5 December from 11am to 2pm in the hall. They would love donations of bottles and toys for the tombola.',
  'Mrs Head, head teacher',
].join('\n\n');

/** WORKERS=N (PostgreSQL): app processes sending the newsletter between them. */
const WORKERS = Number(process.env.WORKERS ?? 1);

/**
 * The outbox drained by WORKERS processes at once, each the server's worker as main.ts runs it with
 * WORKERS=N (its share of the rate limit), on the same database and SMTP server: the time until every
 * email is marked sent and received, and how many arrived twice (doubled = received - emails).
 */
async function inProcesses(db: Db, sink: Sink, serverEnv: Record<string, string>, emails: number, before: number, queueMs: number, carers: number) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatepost-news-'));
  const target = { kind: 'postgres', url: serverEnv.DATABASE_URL };
  const started = performance.now();
  const children = Array.from({ length: WORKERS }, (_, i) =>
    spawn(process.execPath, ['--import', 'tsx', 'test/support/outbox-worker-process.ts', JSON.stringify(target), sink.url, path.join(dir, `journal-${i}`)], {
      env: { ...process.env, WORKERS: String(WORKERS) },
      stdio: ['ignore', 'ignore', 'inherit'],
    }),
  );
  try {
    for (;;) {
      const left = await db.selectFrom('outbox').select('id').where('channel', '=', 'email').where('status', 'in', ['pending', 'sending']).limit(1).execute();
      if (left.length === 0 && (await sink.count()) - before >= emails) break;
      if (performance.now() - started > 120_000) throw new Error('The newsletter was not delivered within 2 minutes');
      await new Promise((r) => setTimeout(r, 100));
    }
    const seconds = (performance.now() - started) / 1000;
    await new Promise((r) => setTimeout(r, 1000)); // anything sent twice arrives too
    const received = (await sink.count()) - before;
    console.log(`${emails} emails by ${WORKERS} worker processes (each the server's worker, ${EMAIL_LIMIT / WORKERS}/s: its share of the production limit ${EMAIL_LIMIT}/s): ${seconds.toFixed(2)} s`);
    return {
      pupils: PUPILS,
      carers,
      emails,
      queue_ms: Math.round(queueMs),
      workers: WORKERS,
      emails_per_s: Math.round(emails / seconds),
      email_limit_per_s: EMAIL_LIMIT,
      received,
      doubled: received - emails,
    };
  } finally {
    for (const c of children) c.kill('SIGKILL');
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Sends every payload through one pooled transport, `concurrency` at a time: the baseline. */
async function bareLoop(sink: Sink, payloads: EmailPayload[], concurrency: number): Promise<number> {
  const transport = nodemailer.createTransport({
    host: sink.host,
    port: sink.port,
    pool: true,
    ...BARE_POOL,
    getSocket: (options, callback) => {
      const socket = net.connect({ host: options.host!, port: options.port! });
      socket.setNoDelay(true);
      const failed = (error: Error) => callback(error, null);
      socket.once('error', failed);
      socket.once('connect', () => {
        socket.off('error', failed);
        callback(null, { connection: socket });
      });
    },
  });
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < payloads.length) {
        const p = payloads[next++]!;
        await transport.sendMail({ from: FROM, ...p });
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  transport.close();
  return payloads.length / seconds;
}

export const run: Bench = async ({ database }) => {
  const { db, close, serverEnv } = await benchDatabase(database);
  if (WORKERS > 1 && database.kind !== 'postgres') throw new Error('WORKERS above 1 needs PostgreSQL (--db postgres)');
  const sink = await startCountingSink();
  try {
    const now = new Date();
    const at = now.toISOString();
    const { schoolId, headId, carers } = await makeSchool(db, at);
    const messageId = newId();
    await db
      .insertInto('messages')
      .values({
        id: messageId,
        school_id: schoolId,
        kind: 'newsletter',
        tone: 'information',
        subject: 'Friday newsletter: 13 November',
        body: NEWSLETTER,
        audience_json: JSON.stringify({ kind: 'school' }),
        asks_acknowledgement: 0,
        status: 'draft',
        scheduled_for: null,
        sent_at: null,
        created_by: headId,
        created_at: at,
        updated_at: at,
      })
      .execute();

    const t0 = performance.now();
    const sent = await sendMessage(db, { kind: 'staff', id: headId, schoolId }, schoolId, messageId, {
      baseUrl: 'http://127.0.0.1:3000',
      schoolName: 'Bench Primary School',
      today: at.slice(0, 10),
      now,
    });
    const queueMs = performance.now() - t0;
    const rows = await db.selectFrom('outbox').select(['payload_json']).where('channel', '=', 'email').where('status', '=', 'pending').execute();
    if (rows.length !== sent.channels.email) throw new Error(`Expected ${sent.channels.email} emails in the outbox, found ${rows.length}`);
    const payloads = rows.map((r) => JSON.parse(r.payload_json) as EmailPayload);

    // Warm up both senders on a few of the same emails (not counted).
    await bareLoop(sink, payloads.slice(0, 300), CONCURRENCY);
    const warmMailer = createMailer(sink.url, FROM);
    await Promise.all(payloads.slice(0, 300).map((p) => warmMailer.send(p)));
    warmMailer.close();
    const before = await sink.count();

    if (WORKERS > 1) return await inProcesses(db, sink, serverEnv, rows.length, before, queueMs, carers);

    const mailer = createMailer(sink.url, FROM);
    const worker = startOutboxWorker(
      { db, clock: () => new Date(), deliver: { email: emailDelivery(mailer) }, batchSize: BATCH_SIZE, concurrency: CONCURRENCY, perSecond: { email: EMAIL_LIMIT }, onError: (e) => console.error(e) },
      false,
    );
    const t1 = performance.now();
    const delivered = await worker.drain();
    const workerSeconds = (performance.now() - t1) / 1000;
    await worker.stop();
    mailer.close();
    const left = await db.selectFrom('outbox').select('status').where('status', '!=', 'sent').execute();
    const received = (await sink.count()) - before;
    if (delivered !== rows.length || left.length > 0 || received !== rows.length) {
      throw new Error(`The worker delivered ${delivered} of ${rows.length} (${left.length} not sent); the server received ${received}`);
    }
    const rate = rows.length / workerSeconds;

    const bare = await bareLoop(sink, payloads, CONCURRENCY);
    if ((await sink.count()) - before !== rows.length * 2) throw new Error('The SMTP server did not receive every email of the bare loop');

    console.log(
      `${sent.recipients} recipients, ${rows.length} emails; worker batchSize=${BATCH_SIZE} concurrency=${CONCURRENCY}, production email rate limit ${EMAIL_LIMIT}/s (EMAIL_PER_SECOND's default): ${workerSeconds.toFixed(2)} s; the bare loop has no limit`,
    );
    return {
      pupils: PUPILS,
      carers,
      emails: rows.length,
      queue_ms: Math.round(queueMs),
      emails_per_s: Math.round(rate),
      email_limit_per_s: EMAIL_LIMIT,
      bare_emails_per_s: Math.round(bare),
      // The goal: a queue under 1 s, and delivery at the production rate limit (within 10%) when the
      // limit is below what the sender can do (the bare loop, unlimited).
      meets_goal: queueMs < 1000 && rate >= 0.9 * Math.min(EMAIL_LIMIT, bare) ? 'yes' : 'no',
    };
  } finally {
    sink.close();
    await close();
  }
};

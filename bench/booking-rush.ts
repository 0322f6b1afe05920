import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { sql } from 'kysely';
import type { Bench } from './run.ts';
import { benchDatabase } from './support/server.ts';
import { startCountingSink } from './support/counting-sink.ts';
import { pinning } from './support/cores.ts';
import { statsBetween } from '../src/db/stats.ts';
import { cpuMsSince, postgresCpuFor, startProductionServer } from './support/production.ts';
import { makeRushSchool, openEvening, PUPILS } from './support/rush-school.ts';
import type { Db } from '../src/db/database.ts';
import { createSession } from '../src/platform/auth/sessions.ts';

const run_ = promisify(execFile);
/** Carers arriving each second (about two appointments each: 260 offers about 520 bookings a second), and how long each takes to choose. */
const CARERS_PER_SECOND = Number(process.env.BOOKING_RUSH_CARERS_PER_S ?? 260);
const THINK_MS = 1000;
/** Carers in the warm-up before the measured rush (the server has been up a while on the day). */
const WARM_UP = 300;

type LoadResult = {
  seconds: number;
  carers: number;
  offeredCarersPerS: number;
  achievedCarersPerS: number;
  latestSendMs: number;
  pages: number;
  pageP50: number;
  pageP99: number;
  pageMax: number;
  posts: number;
  postP50: number;
  postP99: number;
  postMax: number;
  booked: number;
  lostRaces: number;
  gaveUp: number;
  errors: string[];
  cpuSeconds: number;
  lastAnswer: number;
  scheduleCeilingPerS: number;
  slowestPage: number[];
  slowestPost: number[];
};

/**
 * The booking rush, measured from outside as on the day: a 2,000-pupil school, 60 teachers, 10-minute
 * slots over two sessions. Booking opens; every family's first carer (about 1,000, with one to three
 * children) has a real session, opens the booking page and books a time with each of their
 * children's teachers in one submit. Whoever loses a race is shown the nearest free times and books one.
 *  - The server is Gatepost as `npm start` runs it (bench/support/production.ts): production mode and
 *    log level, outbox worker on, confirmation emails to an SMTP server in its own process.
 *  - The carers are a separate process at normal priority (bench/support/booking-load.ts), arriving on
 *    a schedule (open model); every latency is timed from when the request was due, the page (GET) and
 *    the submit (POST) apart; the arrival rate achieved is measured.
 *  - With two cores or more, server and carers are pinned to different cores (taskset).
 *  - One run gives throughput (bookings a second from the first commit to the last) and latency.
 *  - Afterwards: a teacher's slot booked twice or a carer in two places at once (double_bookings), and
 *    how long after the last booking the last confirmation email reached the SMTP server.
 * A warm-up of WARM_UP carers on another evening comes first (not measured).
 */
export const run: Bench = async ({ database, dialect }) => {
  const { db, close, serverEnv } = await benchDatabase(database);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatepost-rush-'));
  const pins = pinning();
  try {
    const now = new Date();
    const school = await makeRushSchool(db, now);
    const cookies: string[] = [];
    for (const carerId of school.bookers) {
      const { token } = await createSession(db, { kind: 'carer', id: carerId, schoolId: school.schoolId }, now);
      cookies.push(`gatepost=${token}`);
    }
    const mail = await startCountingSink(pins.prefix('load'));
    const server = await startProductionServer({ databaseEnv: serverEnv, smtpUrl: mail.url, prefix: pins.prefix('server'), dir, env: serverSettings() });
    try {
      const rush = async (dates: [string, string], carers: string[], perSecond: number) => {
        const eveningId = await openEvening(db, school, dates, now);
        const slots = await db.selectFrom('evening_slots').select(['id', 'starts_at']).where('evening_id', '=', eveningId).execute();
        const plan = path.join(dir, `plan-${eveningId}.json`);
        fs.writeFileSync(plan, JSON.stringify({ carers, slots: Object.fromEntries(slots.map((s) => [s.id, Date.parse(s.starts_at)])), gapMs: 15 * 60_000 }));
        const mailBefore = await mail.count();
        const emailsBefore = await emailsQueued(db);
        const [cmd, ...args] = [
          ...pins.prefix('load'),
          process.execPath,
          '--import',
          'tsx',
          'bench/support/booking-load.ts',
          `${server.url}/parents-evenings/${eveningId}`,
          plan,
          String(perSecond),
          String(THINK_MS),
        ];
        const statsBefore = await server.dbStats();
        const cpuBefore = server.cpuMs();
        const postgresCpuBefore = postgresCpuFor(server.pid, serverEnv);
        const { stdout } = await run_(cmd!, args, { maxBuffer: 16 * 1024 * 1024 });
        const load = JSON.parse(stdout.trim().split('\n').pop()!) as LoadResult;
        if (load.errors.length > 0) throw new Error(`The load run had errors: ${load.errors.slice(0, 5).join('; ')}`);
        const made = (await db.selectFrom('evening_bookings').select('created_at').where('evening_id', '=', eveningId).where('cancelled_at', 'is', null).execute()).map((b) =>
          Date.parse(b.created_at),
        );
        const lastBooking = Math.max(...made);
        const perSecondBooked = Math.round(made.length / ((lastBooking - Math.min(...made)) / 1000));
        // Every confirmation of this rush delivered to the SMTP server, and when the last arrived.
        const expected = (await emailsQueued(db)) - emailsBefore;
        const waitUntil = Date.now() + 120_000;
        let got = await mail.received();
        while (got.count - mailBefore < expected && Date.now() < waitUntil) {
          await new Promise((r) => setTimeout(r, 100));
          got = await mail.received();
        }
        // The server's work for the rush, its confirmation emails included (they give way to requests,
        // so some go after the last carer is answered).
        const cpuAfter = server.cpuMs();
        const postgresCpuAfter = postgresCpuFor(server.pid, serverEnv);
        const dbFigures = statsBetween(statsBefore, await server.dbStats());
        return {
          eveningId,
          load,
          bookings: made.length,
          perSecond: perSecondBooked,
          emails: expected,
          delivered: got.count - mailBefore,
          lastEmailAfterMs: got.lastAt - lastBooking,
          doubles: await doubles(db, eveningId),
          db: dbFigures,
          serverCpuMs: cpuBefore === null || cpuAfter === null ? null : cpuAfter - cpuBefore,
          postgresCpuMs: cpuMsSince(postgresCpuBefore, postgresCpuAfter),
        };
      };
      await rush(['2027-03-30', '2027-03-31'], cookies.slice(0, WARM_UP), 100);
      const r = await rush(['2027-03-23', '2027-03-24'], cookies, CARERS_PER_SECOND);
      const { load } = r;
      console.log(
        `booking-rush (${dialect}): ${pins.note}. Server: src/main.ts as npm start runs it (NODE_ENV=production, log level info, outbox worker on)${serverNote()}.\n` +
          `${load.carers} carers due at ${load.offeredCarersPerS}/s, arrived at ${load.achievedCarersPerS.toFixed(0)}/s (the load process sent at most ${load.latestSendMs} ms late); ` +
          `booked ${r.bookings} appointments of ${PUPILS} at ${r.perSecond}/s from the first commit to the last (this run's schedule allows at most ${load.scheduleCeilingPerS}/s: the rate if every submit were answered the moment it was due); ${load.lostRaces} lost a race and took a nearest time, ${load.gaveUp} gave up.\n` +
          `From when each request was due: page p50 ${load.pageP50} ms, p99 ${load.pageP99} ms, max ${load.pageMax} ms (${load.pages}); submit p50 ${load.postP50} ms, p99 ${load.postP99} ms, max ${load.postMax} ms (${load.posts}).\n` +
          `Database: ${r.db.queries} queries for ${load.pages + load.posts} requests (${(r.db.queries / (load.pages + load.posts)).toFixed(1)} a request, the outbox worker's included), ${r.db.queryMs.toFixed(0)} ms in queries; ${r.db.poolWaits} connections taken from the pool, wait p99 ${dialect === 'postgres' ? `≤ ${r.db.poolWaitP99Ms} ms` : 'n/a (SQLite)'}.\n` +
          `Confirmation emails: ${r.delivered} of ${r.emails} delivered to the SMTP sink; the last ${(r.lastEmailAfterMs / 1000).toFixed(2)} s after the last booking. Load process CPU ${load.cpuSeconds.toFixed(1)} s; server CPU ${r.serverCpuMs === null ? 'n/a' : `${(r.serverCpuMs / 1000).toFixed(1)} s`}; PostgreSQL CPU ${r.postgresCpuMs === null ? 'n/a' : `${(r.postgresCpuMs / 1000).toFixed(1)} s (the backends serving the server and PostgreSQL's background processes)`}.\n` +
          `Slowest page due in each half second: ${load.slowestPage.join(' ')} ms\nSlowest submit due in each half second: ${load.slowestPost.join(' ')} ms\nServer log: ${server.logFile}`,
      );
      const requests = load.pages + load.posts;
      return {
        carers: load.carers,
        offered_per_s: Math.round(load.offeredCarersPerS * school.pupilsPerBooker),
        arrived_carers_per_s: Math.round(load.achievedCarersPerS),
        offered_carers_per_s: load.offeredCarersPerS,
        bookings: r.bookings,
        booked_per_s: r.perSecond,
        schedule_ceiling_per_s: load.scheduleCeilingPerS,
        page_p50_ms: load.pageP50,
        page_p99_ms: load.pageP99,
        submit_p50_ms: load.postP50,
        submit_p99_ms: load.postP99,
        double_bookings: r.doubles,
        emails: `${r.delivered}/${r.emails}`,
        last_email_after_s: (r.lastEmailAfterMs / 1000).toFixed(2),
        queries_per_request: (r.db.queries / requests).toFixed(1),
        db_ms_per_request: (r.db.queryMs / requests).toFixed(2),
        pool_wait_p99_ms: dialect === 'postgres' ? r.db.poolWaitP99Ms : 'n/a',
        server_cpu_ms_per_request: r.serverCpuMs === null ? 'n/a' : (r.serverCpuMs / requests).toFixed(2),
        postgres_cpu_ms_per_request: r.postgresCpuMs === null ? 'n/a' : (r.postgresCpuMs / requests).toFixed(2),
        pinned: pins.note.startsWith('pinned') ? 'yes' : 'no',
      };
    } finally {
      await server.stop();
      mail.close();
    }
  } finally {
    if (!process.env.BENCH_KEEP_LOG) fs.rmSync(dir, { recursive: true, force: true });
    await close();
  }
};

/** Settings passed to the server beyond production defaults (WORKERS for several processes). */
/** Settings passed on to the server when given: WORKERS, and REQUESTS_IN_FLIGHT (to compare; the default is production's). */
const PASSED = ['WORKERS', 'REQUESTS_IN_FLIGHT'] as const;
function serverSettings(): Record<string, string> {
  return Object.fromEntries(PASSED.filter((k) => process.env[k]).map((k) => [k, process.env[k]!]));
}
function serverNote(): string {
  return PASSED.filter((k) => process.env[k])
    .map((k) => `, ${k}=${process.env[k]}`)
    .join('');
}

async function emailsQueued(db: Db): Promise<number> {
  const row = await db
    .selectFrom('outbox')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('channel', '=', 'email')
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** A teacher's slot booked twice, or a carer in two places at once. */
async function doubles(db: Db, eveningId: string): Promise<number> {
  const slotTwice = await sql<{
    n: number;
  }>`select count(*) as n from (select slot_id from evening_bookings where evening_id = ${eveningId} and cancelled_at is null group by slot_id having count(*) > 1) t`.execute(db);
  const carerTwice = await sql<{
    n: number;
  }>`select count(*) as n from (select a.carer_id from evening_attendees a join evening_bookings b on b.id = a.booking_id where b.evening_id = ${eveningId} and a.cancelled_at is null group by a.carer_id, a.starts_at having count(*) > 1) t`.execute(
    db,
  );
  return Number(slotTwice.rows[0]!.n) + Number(carerTwice.rows[0]!.n);
}

import { sql } from 'kysely';
import type { Bench } from './run.ts';
import { benchDatabase } from './support/server.ts';
import { makeRushSchool, openEvening } from './support/rush-school.ts';
import { buildApp } from '../src/app.ts';
import { readConfig } from '../src/config.ts';
import { createMailer } from '../src/platform/channels/email.ts';
import { createSession } from '../src/platform/auth/sessions.ts';
import { measureUnmeasuredTables } from '../src/db/statistics.ts';
import { profiler } from './support/profile.ts';

/** How many carers open the booking page, then book (each once). */
const CARERS = Number(process.env.BOOKING_CPU_CARERS ?? 600);

/**
 * The CPU one booking page and one booking cost in this process, for comparing one commit with
 * another in a minute: not a goal, and not the booking rush (no HTTP, no queue, no other processes).
 * The rush's school and evening (bench/support/rush-school.ts); the app as production builds it, run
 * with `app.inject`, without its log; emails are queued but no worker sends them. CARERS carers
 * each open the page (`page_cpu_ms`: user and system CPU of this process, a page), then each books
 * a time with each child's teacher, chosen at random among the free ones on their page as the rush's
 * carers choose (`submit_cpu_ms`, a submit: a lost race is answered with the page and its nearest
 * times, as in the rush). Run it alternately on two commits (a worktree each): the machine's speed
 * moves from run to run, so read the differences, not the levels. `BENCH_PROFILE=DIR` writes a V8 CPU
 * profile of each of the two timed parts into DIR (pages.cpuprofile, submits.cpuprofile).
 */
export const run: Bench = async ({ database }) => {
  const { db, close } = await benchDatabase(database);
  const now = new Date();
  const school = await makeRushSchool(db, now);
  const eveningId = await openEvening(db, school, ['2027-03-23', '2027-03-24'], now);
  await measureUnmeasuredTables(db); // as the server does when it starts
  const config = readConfig({ NODE_ENV: 'production', SMTP_URL: 'smtp://127.0.0.1:1', BASE_URL: 'https://gatepost.example' });
  const mailer = createMailer(config.smtpUrl!, config.mailFrom);
  const app = await buildApp({ db, dialect: database.kind, config, mailer, logger: false });
  try {
    const carers = school.bookers.slice(0, CARERS);
    const sessions: { cookie: string; csrf: string }[] = [];
    for (const carerId of carers) {
      const { token, session } = await createSession(db, { kind: 'carer', id: carerId, schoolId: school.schoolId }, now);
      sessions.push({ cookie: `gatepost=${token}`, csrf: session.csrf_token });
    }
    const slotStarts = new Map((await db.selectFrom('evening_slots').select(['id', 'starts_at']).where('evening_id', '=', eveningId).execute()).map((s) => [s.id, Date.parse(s.starts_at)]));
    const url = `/parents-evenings/${eveningId}`;
    const page = (i: number) => app.inject({ method: 'GET', url, headers: { cookie: sessions[i % sessions.length]!.cookie } });
    for (let i = 0; i < 50; i++) await page(i); // warm

    const cpu = () => {
      const u = process.cpuUsage();
      return (u.user + u.system) / 1000;
    };
    const profile = await profiler(process.env.BENCH_PROFILE);
    const pages: string[] = [];
    await profile.start();
    let started = cpu();
    for (let i = 0; i < sessions.length; i++) {
      const res = await page(i);
      if (res.statusCode !== 200) throw new Error(`The booking page answered ${res.statusCode}`);
      pages.push(res.body);
    }
    const pageMs = (cpu() - started) / sessions.length;
    await profile.stop('pages');

    const forms = pages.map((html, i) => choose(html, sessions[i]!.csrf, slotStarts));
    let booked = 0;
    let lost = 0;
    await profile.start();
    started = cpu();
    for (let i = 0; i < sessions.length; i++) {
      const res = await app.inject({ method: 'POST', url, headers: { cookie: sessions[i]!.cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: forms[i] });
      if (res.statusCode === 303) booked++;
      else if (res.statusCode === 409) lost++;
      else throw new Error(`A booking answered ${res.statusCode}`);
    }
    const submitMs = (cpu() - started) / sessions.length;
    await profile.stop('submits');
    const [made] = (await sql<{ n: number }>`select count(*) as n from evening_bookings where evening_id = ${eveningId}`.execute(db)).rows;
    return {
      carers: sessions.length,
      page_cpu_ms: pageMs.toFixed(2),
      submit_cpu_ms: submitMs.toFixed(2),
      booked,
      lost_race: lost,
      appointments: Number(made?.n ?? 0),
      page_kb: (pages[0]!.length / 1024).toFixed(1),
    };
  } finally {
    await app.close();
    mailer.close();
    await close();
  }
};

/** The form a carer sends: for each teacher's list, a free time at random that keeps 15 minutes from the others chosen. */
function choose(html: string, csrf: string, slotStarts: Map<string, number>): string {
  const form = new URLSearchParams({ _csrf: csrf });
  const picked: number[] = [];
  for (let at = html.indexOf('<select'); at >= 0; at = html.indexOf('<select', at + 1)) {
    const nameAt = html.indexOf('name="', at) + 6;
    const name = html.slice(nameAt, html.indexOf('"', nameAt));
    if (!name.startsWith('slot_')) continue;
    const end = html.indexOf('</select>', at);
    const free: string[] = [];
    for (let o = html.indexOf('<option value="', at); o >= 0 && o < end; o = html.indexOf('<option value="', o + 1)) {
      const value = html.slice(o + 15, html.indexOf('"', o + 15));
      const starts = slotStarts.get(value);
      if (starts !== undefined && picked.every((p) => Math.abs(p - starts) >= 15 * 60_000)) free.push(value);
    }
    const value = free[Math.floor(Math.random() * free.length)];
    if (value) {
      form.set(name, value);
      picked.push(slotStarts.get(value)!);
    }
  }
  return form.toString();
}

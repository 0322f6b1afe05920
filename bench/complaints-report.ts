import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { DateTime } from 'luxon';
import { sql } from 'kysely';
import type { Insertable } from 'kysely';
import type { Bench } from './run.ts';
import { benchDatabase } from './support/server.ts';
import { pinning } from './support/cores.ts';
import { startCountingSink } from './support/counting-sink.ts';
import { startProductionServer } from './support/production.ts';
import { makeRushSchool } from './support/rush-school.ts';
import { statsBetween } from '../src/db/stats.ts';
import type { Db } from '../src/db/database.ts';
import type { ComplaintTable, ConcernCategory, ConcernStatus, ConcernTable } from '../src/db/schema.ts';
import { insertInChunks } from '../src/db/insert-in-chunks.ts';
import { createSession } from '../src/platform/auth/sessions.ts';
import { newId } from '../src/platform/ids.ts';
import { staffRow } from '../test/support/fixture.ts';

const run_ = promisify(execFile);
/** Governors do not rush: a few at once, each page timed from when it was asked for. */
const CONNECTIONS = Number(process.env.COMPLAINTS_REPORT_CONNECTIONS ?? 4);
const SECONDS = Number(process.env.COMPLAINTS_REPORT_SECONDS ?? 10);
const YEARS = 10;
const CONCERNS = 5_000;
const COMPLAINTS = 300;
const GOVERNORS = 8;
const CATEGORIES: ConcernCategory[] = ['learning', 'behaviour', 'bullying', 'send', 'attendance', 'staff_conduct', 'communication', 'other'];

/**
 * The governors' monitoring page (/monitoring/complaints) for a trust-sized history: ten years of a
 * 2,000-pupil school (the booking rush's school), with its terms and half terms, 5,000 concerns and
 * 300 formal complaints spread over the years. The page counts in SQL (features/monitoring/queries.ts)
 * and works out school days for a year's groups only. The server is Gatepost as `npm start` runs it;
 * the load, from a second process, is governors (each request the next of 8 governors' sessions)
 * asking for this year's page. Goal: p99 under 200 ms on both databases.
 */
export const run: Bench = async ({ database, dialect }) => {
  const { db, close, serverEnv } = await benchDatabase(database);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatepost-report-'));
  const pins = pinning();
  const now = new Date();
  const school = await makeRushSchool(db, now);
  const governors = await makeHistory(db, school.schoolId, school.headId, now);
  // Ten years in, autovacuum has long since analysed these tables: so does the benchmark, after loading them at once.
  if (dialect === 'postgres') await sql`analyze`.execute(db);
  const cookies: string[] = [];
  for (const id of governors) cookies.push(`gatepost=${(await createSession(db, { kind: 'staff', id, schoolId: school.schoolId }, now)).token}`);
  const cookiesFile = path.join(dir, 'cookies.txt');
  fs.writeFileSync(cookiesFile, cookies.join('\n'));
  const mail = await startCountingSink(pins.prefix('load'));
  const server = await startProductionServer({ databaseEnv: serverEnv, smtpUrl: mail.url, prefix: pins.prefix('server'), dir, env: process.env.WORKERS ? { WORKERS: process.env.WORKERS } : {} });
  try {
    const url = `${server.url}/monitoring/complaints`;
    const page = await (await fetch(url, { headers: { cookie: cookies[0]! } })).text();
    // A governor's page: this year's figures, small ones hidden, last year's complaints counted.
    if (!page.includes('All concerns') || !page.includes('fewer than 5') || !/Formal complaints in \d{4} to \d{4}: \d+/.test(page)) throw new Error('The monitoring page did not show the figures');
    const load = async (connections: number, seconds: number) => {
      const [cmd, ...args] = [...pins.prefix('load'), process.execPath, '--import', 'tsx', 'bench/support/load.ts', url, cookiesFile, String(connections), String(seconds)];
      const { stdout } = await run_(cmd!, args);
      return JSON.parse(stdout.trim().split('\n').pop()!) as { perSecond: number; p50: number; p99: number; non2xx: number; errors: number };
    };
    await load(2, 2); // warm up
    const before = await server.dbStats();
    const r = await load(CONNECTIONS, SECONDS);
    const d = statsBetween(before, await server.dbStats());
    if (r.non2xx > 0 || r.errors > 0) throw new Error(`Load run had ${r.non2xx} non-2xx answers and ${r.errors} errors`);
    const pages = r.perSecond * SECONDS;
    console.log(
      `complaints-report (${dialect}): ${pins.note}. ${YEARS} years of a 2,000-pupil school: ${CONCERNS} concerns, ${COMPLAINTS} complaints. ${CONNECTIONS} connections for ${SECONDS} s over ${GOVERNORS} governors' sessions.`,
    );
    console.log(`Database: ${(d.queries / pages).toFixed(1)} queries a page, ${(d.queryMs / pages).toFixed(2)} ms in queries a page.`);
    return {
      pages_per_s: Math.round(r.perSecond),
      queries_per_page: (d.queries / pages).toFixed(1),
      pinned: pins.note.startsWith('pinned') ? 'yes' : 'no',
      p50_ms: r.p50,
      p99_ms: r.p99,
    };
  } finally {
    await server.stop();
    mail.close();
    fs.rmSync(dir, { recursive: true, force: true });
    await close();
  }
};

/** Ten school years of terms (with half terms), concerns and complaints, and the governors who read them. */
export async function makeHistory(db: Db, schoolId: string, headId: string, now: Date): Promise<string[]> {
  const at = now.toISOString();
  const thisYear = DateTime.fromJSDate(now).month >= 9 ? DateTime.fromJSDate(now).year : DateTime.fromJSDate(now).year - 1;
  const first = thisYear - YEARS + 1;
  const terms = [];
  const closures = [];
  for (let y = first; y <= thisYear + 1; y++) {
    terms.push(
      { id: newId(), school_id: schoolId, name: `Autumn term ${y}`, starts_on: `${y}-09-03`, ends_on: `${y}-12-19` },
      { id: newId(), school_id: schoolId, name: `Spring term ${y + 1}`, starts_on: `${y + 1}-01-06`, ends_on: `${y + 1}-03-28` },
      { id: newId(), school_id: schoolId, name: `Summer term ${y + 1}`, starts_on: `${y + 1}-04-14`, ends_on: `${y + 1}-07-22` },
    );
    for (const [s, e] of [
      [`${y}-10-27`, `${y}-10-31`],
      [`${y + 1}-02-16`, `${y + 1}-02-20`],
      [`${y + 1}-05-26`, `${y + 1}-05-30`],
    ])
      closures.push({ id: newId(), school_id: schoolId, reason: 'Half term', starts_on: s!, ends_on: e! });
  }
  await insertInChunks(db, 'school_terms', terms);
  await insertInChunks(db, 'school_closures', closures);

  const staff = [];
  const roles = [];
  for (let i = 0; i < GOVERNORS; i++) {
    const id = newId();
    staff.push(staffRow(at, { id, school_id: schoolId, email: `governor${i}@rush.test`, title: 'Dr', given_name: 'Gov', family_name: `Ernor ${i}`, job_title: 'Governor' }));
    roles.push({ staff_id: id, school_id: schoolId, role: 'governor' as const });
  }
  await insertInChunks(db, 'staff', staff);
  await insertInChunks(db, 'staff_roles', roles);

  const links = await db.selectFrom('carer_pupils').select(['carer_id', 'pupil_id']).where('school_id', '=', schoolId).execute();
  const today = DateTime.fromJSDate(now).toISODate()!;
  const start = DateTime.fromISO(`${first}-09-03`);
  const span = Math.floor(DateTime.fromISO(today).diff(start, 'days').days);
  let seed = 14;
  const rand = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
  const concerns: Insertable<ConcernTable>[] = [];
  for (let i = 0; i < CONCERNS; i++) {
    const link = links[Math.floor(rand() * links.length)]!;
    const raised = start.plus({ days: Math.floor((i / CONCERNS) * span) });
    const raisedOn = raised.toISODate()!;
    const recent = raised > DateTime.fromISO(today).minus({ days: 30 });
    const status: ConcernStatus = recent && rand() < 0.5 ? (rand() < 0.3 ? 'new' : 'open') : rand() < 0.85 ? 'resolved' : 'closed';
    const taken = status === 'new' ? null : raised.plus({ days: Math.floor(rand() * 8) });
    const closed = status === 'resolved' || status === 'closed' ? raised.plus({ days: 1 + Math.floor(rand() * 30) }) : null;
    concerns.push({
      id: newId(),
      school_id: schoolId,
      pupil_id: link.pupil_id,
      carer_id: link.carer_id,
      received_via: 'portal',
      contact_by: 'email',
      logged_by: null,
      status,
      owner_id: headId,
      category: status === 'new' ? null : CATEGORIES[Math.floor(rand() * CATEGORIES.length)]!,
      raised_on: raisedOn,
      due_on: raised.plus({ days: 14 }).toISODate()!,
      triaged_by: taken ? headId : null,
      triaged_at: taken ? `${taken.toISODate()}T09:00:00.000Z` : null,
      closed_at: closed ? `${closed.toISODate()}T15:00:00.000Z` : null,
      closed_by: closed ? headId : null,
      answered_at: status === 'resolved' && closed ? `${closed.toISODate()}T19:00:00.000Z` : null,
      reopened_count: rand() < 0.05 ? 1 : 0,
      created_at: `${raisedOn}T09:00:00.000Z`,
      updated_at: at,
    });
  }
  await insertInChunks(db, 'concerns', concerns);
  const complaints: Insertable<ComplaintTable>[] = [];
  for (let i = 0; i < COMPLAINTS; i++) {
    const c = concerns[Math.floor((i / COMPLAINTS) * CONCERNS)]!;
    const received = DateTime.fromISO(c.raised_on).plus({ days: 20 });
    const on = received.toISODate()!;
    complaints.push({
      id: newId(),
      school_id: schoolId,
      concern_id: c.id,
      pupil_id: c.pupil_id,
      carer_id: c.carer_id,
      stage: i % 5 === 0 ? 'stage_2' : 'stage_1',
      made_by_kind: 'carer',
      made_by_staff: null,
      received_on: on,
      counts_from: on,
      acknowledge_by: received.plus({ days: 7 }).toISODate()!,
      respond_by: received.plus({ days: 21 }).toISODate()!,
      last_incident_on: c.raised_on,
      late: i % 17 === 0 ? 1 : 0,
      early_years_outcome_by: null,
      created_at: `${on}T10:00:00.000Z`,
      updated_at: at,
    });
  }
  await insertInChunks(db, 'complaints', complaints);
  return staff.map((s) => s.id);
}

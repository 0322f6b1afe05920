import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import type { Bench } from './run.ts';
import { benchDatabase } from './support/server.ts';
import { pinning } from './support/cores.ts';
import { statsBetween } from '../src/db/stats.ts';
import { startCountingSink } from './support/counting-sink.ts';
import { startProductionServer } from './support/production.ts';
import { makeRushSchool } from './support/rush-school.ts';
import { loadDemoSchool } from '../src/demo/demo-school.ts';
import { createSession } from '../src/platform/auth/sessions.ts';

const run_ = promisify(execFile);
const CONNECTIONS = 50;
const SECONDS = Number(process.env.CARER_HOME_SECONDS ?? 10);

/**
 * Signed-in carers' home pages under load from a second process: 50 connections, each request as the
 * next of 1,000+ carers with real sessions (the demo school's carers and the 2,000-pupil rush school's
 * first carers), so no two connections are the same person and every session is read (as at 6pm on
 * the day the newsletter goes out). The server is Gatepost as `npm start` runs it, pinned apart from
 * the load where there are two cores (bench/support/production.ts, cores.ts). Also the page's weight:
 * HTML + CSS + JS as transferred (gzip).
 */
export const run: Bench = async ({ database, dialect }) => {
  const { db, close, serverEnv } = await benchDatabase(database);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatepost-home-'));
  const pins = pinning();
  const now = new Date();
  await loadDemoSchool(db);
  await makeRushSchool(db, now);
  const carers = await db
    .selectFrom('carers')
    .innerJoin('carer_pupils', 'carer_pupils.carer_id', 'carers.id')
    .select(['carers.id', 'carers.school_id'])
    .distinct()
    .where('carer_pupils.contact_priority', '=', 1)
    .where('carer_pupils.may_receive_information', '=', 1)
    .where('carers.archived_at', 'is', null)
    .execute();
  const cookies: string[] = [];
  for (const c of carers) cookies.push(`gatepost=${(await createSession(db, { kind: 'carer', id: c.id, schoolId: c.school_id }, now)).token}`);
  const cookiesFile = path.join(dir, 'cookies.txt');
  fs.writeFileSync(cookiesFile, cookies.join('\n'));
  const mail = await startCountingSink(pins.prefix('load'));
  const server = await startProductionServer({ databaseEnv: serverEnv, smtpUrl: mail.url, prefix: pins.prefix('server'), dir, env: process.env.WORKERS ? { WORKERS: process.env.WORKERS } : {} });
  try {
    const marta = await db.selectFrom('carers').select(['id', 'school_id']).where('given_name', '=', 'Marta').where('family_name', '=', 'Nowak').executeTakeFirstOrThrow();
    const cookie = `gatepost=${(await createSession(db, { kind: 'carer', id: marta.id, schoolId: marta.school_id }, now)).token}`;
    const home = await fetch(`${server.url}/`, { headers: { cookie } });
    const html = await home.text();
    // Marta reads Polish: her home page is in Polish, with her children's names.
    if (!html.includes('Państwa dzieci') || !html.includes('Nowak')) throw new Error('The carer home page did not show Marta’s children');
    const assets = await Promise.all(['/assets/app.css', '/assets/govuk-frontend.min.js', '/assets/app.js'].map(async (p) => Buffer.from(await (await fetch(server.url + p)).arrayBuffer())));
    const gz = (b: Buffer | string) => zlib.gzipSync(b).length;
    const kb = (gz(html) + assets.reduce((sum, a) => sum + gz(a), 0)) / 1024;

    const load = async (connections: number, seconds: number) => {
      const [cmd, ...args] = [...pins.prefix('load'), process.execPath, '--import', 'tsx', 'bench/support/load.ts', `${server.url}/`, cookiesFile, String(connections), String(seconds)];
      const { stdout } = await run_(cmd!, args);
      return JSON.parse(stdout.trim().split('\n').pop()!) as { perSecond: number; p50: number; p99: number; non2xx: number; errors: number; carers: number };
    };
    await load(10, 2); // warm up
    const before = await server.dbStats();
    const r = await load(CONNECTIONS, SECONDS);
    const d = statsBetween(before, await server.dbStats());
    if (r.non2xx > 0 || r.errors > 0) throw new Error(`Load run had ${r.non2xx} non-2xx answers and ${r.errors} errors`);
    console.log(
      `carer-home (${dialect}): ${pins.note}. Server: src/main.ts as npm start runs it (production, log level info). ${CONNECTIONS} connections for ${SECONDS} s over ${cookies.length} carers' sessions.`,
    );
    const pages = r.perSecond * SECONDS;
    console.log(
      `Database: ${d.queries} queries (${(d.queries / pages).toFixed(1)} a page), ${(d.queryMs / pages).toFixed(2)} ms in queries a page; ${d.poolWaits} connections taken from the pool, wait p99 ${dialect === 'postgres' ? `≤ ${d.poolWaitP99Ms} ms` : 'n/a (SQLite)'}.`,
    );
    return {
      pages_per_s: Math.round(r.perSecond),
      p50_ms: r.p50,
      p99_ms: r.p99,
      carers: cookies.length,
      kb: kb.toFixed(1),
      queries_per_page: (d.queries / pages).toFixed(1),
      pool_wait_p99_ms: dialect === 'postgres' ? d.poolWaitP99Ms : 'n/a',
      pinned: pins.note.startsWith('pinned') ? 'yes' : 'no',
    };
  } finally {
    await server.stop();
    mail.close();
    fs.rmSync(dir, { recursive: true, force: true });
    await close();
  }
};

import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import type { Bench } from './run.ts';
import { benchDatabase, benchServer } from './support/server.ts';
import { loadDemoSchool } from '../src/demo/demo-school.ts';
import { createSession } from '../src/platform/auth/sessions.ts';

const run_ = promisify(execFile);

/**
 * A signed-in carer's home page under load from a second process (50 concurrent connections),
 * on the demo school; and the page's weight: HTML + CSS + JS as transferred (gzip).
 */
export const run: Bench = async ({ database, dialect }) => {
  const { db, close } = await benchDatabase(database);
  await loadDemoSchool(db);
  const marta = await db.selectFrom('carers').select(['id', 'school_id']).where('given_name', '=', 'Marta').where('family_name', '=', 'Nowak').executeTakeFirstOrThrow();
  const { token } = await createSession(db, { kind: 'carer', id: marta.id, schoolId: marta.school_id }, new Date());
  const server = await benchServer(db, dialect);
  const cookie = `gatepost=${token}`;

  const home = await fetch(`${server.url}/`, { headers: { cookie } });
  const html = await home.text();
  if (!html.includes('Your children') || !html.includes('Nowak')) throw new Error('The carer home page did not show Marta’s children');
  const assets = await Promise.all(['/assets/app.css', '/assets/govuk-frontend.min.js', '/assets/app.js'].map(async (p) => Buffer.from(await (await fetch(server.url + p)).arrayBuffer())));
  const gz = (b: Buffer | string) => zlib.gzipSync(b).length;
  const kb = (gz(html) + assets.reduce((sum, a) => sum + gz(a), 0)) / 1024;

  // Warm up, then measure.
  await run_('npx', ['tsx', 'bench/support/load.ts', `${server.url}/`, cookie, '10', '2']);
  const { stdout } = await run_('npx', ['tsx', 'bench/support/load.ts', `${server.url}/`, cookie, '50', '10']);
  const r = JSON.parse(stdout.trim().split('\n').pop()!) as { perSecond: number; p50: number; p99: number; non2xx: number; errors: number };
  await server.close();
  await close();
  if (r.non2xx > 0 || r.errors > 0) throw new Error(`Load run had ${r.non2xx} non-2xx answers and ${r.errors} errors`);
  return { pages_per_s: Math.round(r.perSecond), p50_ms: r.p50, p99_ms: r.p99, kb: kb.toFixed(1) };
};

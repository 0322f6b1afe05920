import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { prepareSchemaScript } from './pg-template.ts';

/**
 * Test schemas on PostgreSQL are dropped after the whole run, not by each test file (a file's server
 * processes may still hold connections as it ends). Each run names its schemas
 * t_<run id>_…, so it drops only its own, plus leftovers of runs that started over six hours ago
 * (a run that was killed): two runs on one database at once leave each other alone.
 */
const url = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

const RUN = Date.now().toString(36);
const STALE_MS = 6 * 3_600_000;

function isOurs(schema: string, onlyThisRun: boolean): boolean {
  const run = /^(?:t|bench)_([0-9a-z]+)/.exec(schema)?.[1];
  if (!run) return false;
  if (run === RUN) return true;
  const started = parseInt(run, 36);
  return !onlyThisRun && (Number.isNaN(started) || Date.now() - started > STALE_MS);
}

async function dropTestSchemas(onlyThisRun: boolean): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
  } catch {
    return false; // no PostgreSQL here: test/support/db.ts says so (and fails under CI=true)
  }
  try {
    const { rows } = await client.query<{ nspname: string }>("select nspname from pg_namespace where nspname like 't\\_%' or nspname like 'bench\\_%'");
    for (const { nspname } of rows) if (isOurs(nspname, onlyThisRun)) await client.query(`drop schema if exists "${nspname}" cascade`);
  } finally {
    await client.end();
  }
  return true;
}

export async function setup(): Promise<void> {
  process.env.GATEPOST_TEST_RUN = RUN; // test files (in workers started after this) name their schemas with it
  if (await dropTestSchemas(false)) await prepareSchemaScript(url, RUN);
}

export async function teardown(): Promise<void> {
  fs.rmSync(path.join(os.tmpdir(), `gatepost-axe-${RUN}`), { recursive: true, force: true }); // test/e2e/support.ts: pages that passed axe
  await dropTestSchemas(true);
}

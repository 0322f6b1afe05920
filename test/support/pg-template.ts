import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { migrateToLatest, openDatabase } from '../../src/db/database.ts';

/**
 * Each test file gets its own PostgreSQL schema. Running the migrations for each took a second or more
 * (some 270 statements); instead global-setup.ts migrates one schema per run, pg_dump writes it out as a
 * script (the migrations' bookkeeping rows included, so migrating a copy again finds nothing to do), and
 * each file runs that script in one round trip under its own schema name.
 */
export const TEMPLATE_MARK = '__gatepost_template_schema__';
const SCRIPT_ENV = 'GATEPOST_TEST_SCHEMA_SCRIPT';
const run = promisify(execFile);

async function buildScript(url: string, runId: string): Promise<string> {
  const template = `t_${runId}_tmpl${Math.random().toString(36).slice(2, 8)}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  const opened = openDatabase({ kind: 'postgres', url, searchPath: template });
  try {
    await admin.query(`create schema ${template}`);
    await migrateToLatest(opened.db, template);
    const { stdout } = await run('pg_dump', ['--no-owner', '--no-privileges', '--inserts', `--schema=${template}`, url], { maxBuffer: 64 * 1024 * 1024 });
    // pg_dump writes the name bare or quoted, and a random name occurs nowhere else; the lines it
    // writes for psql alone (\restrict …) go.
    return stdout
      .split('\n')
      .filter((line) => !line.startsWith('\\'))
      .join('\n')
      .replaceAll(template, TEMPLATE_MARK);
  } finally {
    await opened.close();
    await admin.query(`drop schema if exists ${template} cascade`);
    await admin.end();
  }
}

/** In global setup: write the script once for the run, for every test process to read. */
export async function prepareSchemaScript(url: string, runId: string): Promise<void> {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'gatepost-schema-')), 'schema.sql');
  fs.writeFileSync(file, await buildScript(url, runId));
  process.env[SCRIPT_ENV] = file;
}

let script: Promise<string> | undefined;

/** The script that makes a migrated schema named TEMPLATE_MARK (built here when no global setup wrote it). */
export function migratedSchemaScript(url: string): Promise<string> {
  const file = process.env[SCRIPT_ENV];
  script ??= file && fs.existsSync(file) ? fs.promises.readFile(file, 'utf8') : buildScript(url, process.env.GATEPOST_TEST_RUN ?? Date.now().toString(36));
  return script;
}

import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import type { DatabaseTarget } from './database.ts';

const run = promisify(execFile);

/**
 * Backups while Gatepost runs, and restoring one. SQLite: the online backup API (a consistent copy
 * while others write; copying the file is not safe in WAL mode). PostgreSQL: pg_dump (one snapshot,
 * custom format) and pg_restore. Every backup is checked before it is called done.
 */

/** SQLite: copy every page in one step, so writers elsewhere never make it start again. */
const ALL_PAGES = 0x7fffffff;

export async function backupDatabase(target: DatabaseTarget, file: string): Promise<void> {
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  if (fs.existsSync(file)) throw new Error(`${file} already exists: choose a new name for the backup`);
  if (target.kind === 'sqlite') {
    if (!fs.existsSync(target.path)) throw new Error(`There is no SQLite database at ${path.resolve(target.path)}`);
    const source = new SQLite(target.path, { fileMustExist: true });
    try {
      source.pragma('busy_timeout = 5000');
      await source.backup(file, { progress: () => ALL_PAGES });
    } finally {
      source.close();
    }
    checkSqlite(file);
    return;
  }
  const { args, env } = pgConnection(target.url);
  const schema = target.searchPath ? [`--schema=${target.searchPath}`] : [];
  await tool('pg_dump', ['--format=custom', '--no-owner', '--no-privileges', ...schema, `--file=${file}`, ...args], env);
  await tool('pg_restore', ['--list', file], env); // the file reads back
}

/**
 * Restore a backup into the database Gatepost is configured for. Stop Gatepost first. A database
 * that already holds Gatepost's tables is only overwritten when `replace` is true.
 */
export async function restoreDatabase(target: DatabaseTarget, file: string, options: { replace?: boolean } = {}): Promise<void> {
  if (!fs.existsSync(file)) throw new Error(`There is no backup at ${path.resolve(file)}`);
  if (target.kind === 'sqlite') {
    checkSqlite(file);
    if (fs.existsSync(target.path) && fs.statSync(target.path).size > 0 && !options.replace) {
      throw new Error(`${path.resolve(target.path)} already holds a database: stop Gatepost, and add --replace to overwrite it`);
    }
    fs.mkdirSync(path.dirname(path.resolve(target.path)), { recursive: true });
    const backup = new SQLite(file, { readonly: true, fileMustExist: true });
    try {
      await backup.backup(target.path, { progress: () => ALL_PAGES });
    } finally {
      backup.close();
    }
    return;
  }
  const { args, env } = pgConnection(target.url);
  if ((await holdsGatepost(target)) && !options.replace) {
    throw new Error('That PostgreSQL database already holds Gatepost: stop Gatepost, and add --replace to overwrite it (or restore into a new, empty database)');
  }
  const clean = options.replace ? ['--clean', '--if-exists'] : [];
  await tool('pg_restore', ['--no-owner', '--no-privileges', '--exit-on-error', '--single-transaction', ...clean, ...args, file], env);
}

function checkSqlite(file: string): void {
  const copy = new SQLite(file, { readonly: true, fileMustExist: true });
  try {
    const result = copy.pragma('integrity_check', { simple: true });
    if (result !== 'ok') throw new Error(`The backup ${file} is damaged: ${String(result)}`);
    copy.prepare('select count(*) from schools').get(); // it is Gatepost's
  } finally {
    copy.close();
  }
}

async function holdsGatepost(target: Extract<DatabaseTarget, { kind: 'postgres' }>): Promise<boolean> {
  const client = new pg.Client({ connectionString: target.url, ...(target.searchPath ? { options: `-c search_path=${target.searchPath}` } : {}) });
  await client.connect();
  try {
    const { rows } = await client.query<{ found: string | null }>("select to_regclass('schools')::text as found");
    return rows[0]?.found != null;
  } finally {
    await client.end();
  }
}

/** pg_dump's connection arguments, with the password in the environment rather than on the command line (where `ps` shows it). */
function pgConnection(url: string): { args: string[]; env: NodeJS.ProcessEnv } {
  const u = new URL(url);
  const password = decodeURIComponent(u.password);
  u.password = '';
  return { args: [`--dbname=${u.toString()}`], env: { ...process.env, ...(password ? { PGPASSWORD: password } : {}) } };
}

async function tool(name: string, args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  try {
    await run(name, args, { env, maxBuffer: 16 * 1024 * 1024 });
  } catch (error) {
    const e = error as { code?: string | number; stderr?: string };
    if (e.code === 'ENOENT') throw new Error(`${name} was not found: install the PostgreSQL client tools, the same major version as the server (e.g. apt install postgresql-client)`);
    throw new Error(`${name} failed: ${(e.stderr ?? String(error)).trim()}`);
  }
}

import path from 'node:path';
import type pg from 'pg';
import { sql } from 'kysely';
import type { Db, DatabaseTarget } from './database.ts';

/**
 * Clear answers when the database is not there or not writable: at start-up an error that names the
 * file or the server and says why (not a 500 on every write), and while running an error page for
 * the requests a lost connection cut short, with the next requests on fresh connections.
 */

const SQLITE_REASONS: Record<string, string> = {
  SQLITE_READONLY: 'the file is read-only',
  SQLITE_READONLY_DIRECTORY: 'its folder is read-only (SQLite writes the -wal and -shm files beside it)',
  SQLITE_READONLY_DBMOVED: 'the file was moved or deleted while open',
  SQLITE_CANTOPEN: 'the file cannot be opened or created',
  SQLITE_PERM: 'permission denied',
  EACCES: 'permission denied',
  EROFS: 'the disk is mounted read-only',
};

/** Writes the database header (the same user_version back): fails now if the file or its folder is read-only. */
export function proveWritable(sqlite: { pragma(source: string, options?: { simple: boolean }): unknown }): void {
  const version = Number(sqlite.pragma('user_version', { simple: true }));
  sqlite.pragma(`user_version = ${version}`);
}

export function sqliteCannotWrite(file: string, error: unknown): Error {
  const full = path.resolve(file);
  const code = (error as { code?: string })?.code ?? '';
  const reason = SQLITE_REASONS[code] ?? (error instanceof Error ? error.message : String(error));
  return new Error(
    `Gatepost cannot start: it cannot write to the SQLite database ${full}: ${reason}. ` + `The user Gatepost runs as needs to write that file and to create files in ${path.dirname(full)}.`,
    { cause: error },
  );
}

/** host:port of a PostgreSQL URL, without the user name or password. */
function serverOf(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname || 'localhost'}:${u.port || '5432'}`;
  } catch {
    return 'the DATABASE_URL given';
  }
}

function postgresReason(error: unknown): string {
  // Node reports a refused connection to a name with several addresses as an AggregateError with no message.
  const e = (error instanceof AggregateError && error.errors[0] ? error.errors[0] : error) as { code?: string; message?: string };
  switch (e?.code) {
    case 'ECONNREFUSED':
      return 'connection refused (is PostgreSQL running, and listening on that address and port?)';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'no such host';
    case 'ETIMEDOUT':
      return 'no answer (a firewall, or the wrong address?)';
    case '28P01':
    case '28000':
      return `${e.message} (check the user name and password in DATABASE_URL)`;
    case '3D000':
      return `${e.message} (create it, or correct DATABASE_URL)`;
  }
  if (/timeout/i.test(e?.message ?? '')) return 'no answer within 10 s (a firewall, or the wrong address?)';
  return e?.message || String(error);
}

/** Ask the database one question before anything else, so a wrong DATABASE_URL or a read-only file is said plainly. */
export async function reachDatabase(db: Db, target: DatabaseTarget): Promise<void> {
  try {
    await sql`select 1`.execute(db);
  } catch (error) {
    if (target.kind === 'sqlite') throw sqliteCannotWrite(target.path, error);
    throw new Error(`Gatepost cannot start: cannot reach PostgreSQL at ${serverOf(target.url)}: ${postgresReason(error)}`, { cause: error });
  }
}

/**
 * A connection the server ended (restarted, or `pg_terminate_backend`) must not stop the process:
 * node-postgres raises an 'error' event on it, fatal when nobody listens. Its query fails (that
 * request gets an error page) and the pool drops it; the next requests get fresh connections.
 */
export function survivePoolErrors(pool: pg.Pool, log: (line: string) => void = (line) => console.warn(line)): void {
  pool.on('connect', (client) => {
    client.on('error', () => undefined); // seen by the query it cut short
  });
  let lastLogged = 0;
  pool.on('error', (error) => {
    if (Date.now() - lastLogged < 60_000) return; // once a minute at most: a restart ends every connection at once
    lastLogged = Date.now();
    log(`database: PostgreSQL closed a connection (${error.message}); the next requests use new ones`);
  });
}

const UNAVAILABLE = new Set(['57P01', '57P02', '57P03', '08000', '08001', '08003', '08004', '08006', '53300', 'ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT']);

/** True when a request failed because the database could not be reached or dropped the connection. */
export function isDatabaseUnavailable(error: unknown): boolean {
  const e = error as { code?: string; message?: string } | null;
  if (e?.code && UNAVAILABLE.has(e.code)) return true;
  return /^Connection terminated|not queryable|timeout exceeded when trying to connect/i.test(e?.message ?? '');
}

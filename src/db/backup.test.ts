import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { dialects, openTestDb, TEST_DATABASE_URL } from '../../test/support/db.ts';
import { loadDemoSchool } from '../demo/demo-school.ts';
import { enqueue } from '../platform/outbox/outbox.ts';
import { backupDatabase, restoreDatabase } from './backup.ts';
import { migrateToLatest, openDatabase, type DatabaseTarget, type Db } from './database.ts';

/**
 * The demo school, busy: while the backup runs, sends are queued and the school renamed, one
 * transaction after another. The backup is restored somewhere else and every table compared with
 * the school as it stood at the moment the backup was taken (no half-done transaction, nothing lost).
 * On SQLite through `npm run backup` and `npm run restore` themselves.
 */
const root = path.resolve(import.meta.dirname, '../..');
const run = promisify(execFile);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function tables(db: Db, target: DatabaseTarget): Promise<string[]> {
  const rows =
    target.kind === 'sqlite'
      ? (await sql<{ name: string }>`select name from sqlite_master where type = 'table' and name not like 'sqlite_%' order by name`.execute(db)).rows
      : (await sql<{ name: string }>`select table_name as name from information_schema.tables where table_schema = current_schema() order by table_name`.execute(db)).rows;
  return rows.map((r) => r.name);
}

async function contents(db: Db, table: string): Promise<string[]> {
  const { rows } = await sql<Record<string, unknown>>`select * from ${sql.table(table)}`.execute(db);
  return rows.map((r) => JSON.stringify(r)).sort();
}

describe.each(dialects)('backing up a busy school and restoring it elsewhere, on %s', (dialect) => {
  it('restores every table as it was at one moment while writes went on', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatepost-backup-'));
    let live: { db: Db; target: DatabaseTarget; close: () => Promise<void> };
    if (dialect === 'sqlite') {
      const target: DatabaseTarget = { kind: 'sqlite', path: path.join(dir, 'live', 'gatepost.db') };
      const opened = openDatabase(target);
      await migrateToLatest(opened.db);
      live = { db: opened.db, target, close: opened.close };
    } else {
      live = await openTestDb('postgres');
    }
    const restoreDb = `gatepost_restore_${Math.random().toString(36).slice(2, 8)}`;
    const admin = dialect === 'postgres' ? new pg.Client({ connectionString: TEST_DATABASE_URL }) : null;
    let restored: { db: Db; close: () => Promise<void> } | null = null;
    let writing = true;
    let writer: Promise<void> | null = null;
    // Only what the scripts need (vitest's own environment carries a BASE_URL that is not a URL).
    const scriptEnv = (file: string) => ({ PATH: process.env.PATH ?? '', HOME: os.tmpdir(), SQLITE_PATH: file });
    try {
      const { schoolId } = await loadDemoSchool(live.db);

      // Busy: each transaction queues one email and renames the school after it.
      let written = 0;
      writer = (async () => {
        while (writing) {
          const n = written + 1;
          await live.db.transaction().execute(async (trx) => {
            await enqueue(trx, [{ channel: 'email', schoolId, key: `busy:${n}`, payload: { to: `busy${n}@families.test`, subject: `Busy ${n}`, text: 'Busy' } }], new Date());
            await trx
              .updateTable('schools')
              .set({ name: `Busy ${n}` })
              .where('id', '=', schoolId)
              .execute();
          });
          written = n;
          await sleep(3);
        }
      })();
      await sleep(100);
      const before = written;
      expect(before).toBeGreaterThan(0);
      const file = path.join(dir, dialect === 'sqlite' ? 'gatepost.sqlite' : 'gatepost.dump');
      const elsewhere: DatabaseTarget =
        dialect === 'sqlite'
          ? { kind: 'sqlite', path: path.join(dir, 'elsewhere', 'gatepost.db') }
          : { ...(live.target as Extract<DatabaseTarget, { kind: 'postgres' }>), url: TEST_DATABASE_URL.replace(/\/[^/]*$/, `/${restoreDb}`) };
      if (live.target.kind === 'sqlite' && elsewhere.kind === 'sqlite') {
        const out = await run(process.execPath, ['--import', 'tsx', 'scripts/backup.ts', file], { cwd: root, env: scriptEnv(live.target.path) });
        expect(out.stdout).toContain(`Backed up the SQLite database to ${file}`);
      } else {
        await backupDatabase(live.target, file);
      }
      writing = false;
      await writer; // a transaction in flight when the backup ended commits too
      const after = written;
      expect(after).toBeGreaterThan(before); // the school was busy all the while

      if (elsewhere.kind === 'sqlite') {
        await run(process.execPath, ['--import', 'tsx', 'scripts/restore.ts', file], { cwd: root, env: scriptEnv(elsewhere.path) });
        // A second restore over it is refused without --replace.
        const again = await run(process.execPath, ['--import', 'tsx', 'scripts/restore.ts', file], { cwd: root, env: scriptEnv(elsewhere.path) }).catch((e: { stderr: string }) => e);
        expect(again.stderr).toContain('already holds a database');
      } else {
        await admin!.connect();
        await admin!.query(`create database ${restoreDb}`);
        await restoreDatabase(elsewhere, file);
      }
      const opened = openDatabase(elsewhere);
      restored = { db: opened.db, close: opened.close };

      // One moment: the emails queued up to k, and the school named after the k-th.
      const busy = await restored.db.selectFrom('outbox').select('idempotency_key').where('idempotency_key', 'like', 'email:busy:%').execute();
      const k = busy.length;
      expect(k).toBeGreaterThanOrEqual(before);
      expect(k).toBeLessThanOrEqual(after);
      expect(new Set(busy.map((r) => r.idempotency_key))).toEqual(new Set(Array.from({ length: k }, (_, i) => `email:busy:${i + 1}`)));
      const school = await restored.db.selectFrom('schools').select('name').where('id', '=', schoolId).executeTakeFirstOrThrow();
      expect(school.name).toBe(`Busy ${k}`);

      // Take the live school back to that moment, then every table must match row for row.
      await live.db
        .deleteFrom('outbox')
        .where('idempotency_key', 'in', Array.from({ length: after - k }, (_, i) => `email:busy:${k + i + 1}`).concat(['-']))
        .execute();
      await live.db.updateTable('schools').set({ name: school.name }).where('id', '=', schoolId).execute();
      const names = await tables(live.db, live.target);
      expect(await tables(restored.db, elsewhere)).toEqual(names);
      expect(names.length).toBeGreaterThan(30);
      for (const table of names) {
        const [a, b] = [await contents(live.db, table), await contents(restored.db, table)];
        expect({ table, rows: b.length, same: a.length === b.length && a.every((row, i) => row === b[i]) }).toEqual({ table, rows: a.length, same: true });
      }
    } finally {
      writing = false;
      await writer?.catch(() => undefined);
      await restored?.close();
      await live.close();
      if (admin) {
        await admin.query(`drop database if exists ${restoreDb} with (force)`).catch(() => undefined);
        await admin.end().catch(() => undefined);
      }
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 180_000);
});

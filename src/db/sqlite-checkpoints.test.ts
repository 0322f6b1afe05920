import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { openDatabase, type OpenDatabase } from './database.ts';

/** The server's SQLite connection never stops to checkpoint: a worker thread copies the log back. */
describe('SQLite checkpoints in the background', () => {
  let dir: string;
  let opened: OpenDatabase | undefined;
  afterEach(async () => {
    await opened?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  async function writeRows(db: OpenDatabase['db'], n: number) {
    await sql`create table if not exists notes (id integer primary key, words text not null)`.execute(db);
    for (let i = 0; i < n; i += 100) {
      await db.transaction().execute(async (trx) => {
        for (let j = i; j < i + 100; j++) await sql`insert into notes (words) values (${'x'.repeat(2000)})`.execute(trx);
      });
    }
  }
  const size = (file: string) => (fs.existsSync(file) ? fs.statSync(file).size : 0);

  it('never copies the log back on a commit', async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatepost-wal-'));
    const file = path.join(dir, 'school.db');
    opened = openDatabase({ kind: 'sqlite', path: file, checkpointEveryMs: 60_000 });
    const setting = await sql<{ wal_autocheckpoint: number }>`pragma wal_autocheckpoint`.execute(opened.db);
    expect(setting.rows[0]!.wal_autocheckpoint).toBe(0);
    // 3,000 rows of 2 KB: well past the thousand pages at which a connection would checkpoint for itself.
    await writeRows(opened.db, 3000);
    expect(size(`${file}-wal`)).toBeGreaterThan(6_000_000);
    expect(size(file)).toBeLessThan(1_000_000);
  });

  it('copies it back on its own thread, while the server’s connection stays open', async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatepost-wal-'));
    const file = path.join(dir, 'school.db');
    opened = openDatabase({ kind: 'sqlite', path: file, checkpointEveryMs: 20 });
    await writeRows(opened.db, 3000);
    for (let waited = 0; size(file) < 6_000_000 && waited < 5000; waited += 20) await new Promise((r) => setTimeout(r, 20));
    expect(size(file)).toBeGreaterThan(6_000_000);
    const rows = await sql<{ n: number }>`select count(*) as n from notes`.execute(opened.db);
    expect(Number(rows.rows[0]!.n)).toBe(3000);
  });
});

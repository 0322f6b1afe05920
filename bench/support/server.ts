import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { Config } from '../../src/config.ts';
import { migrateToLatest, openDatabase, type Db } from '../../src/db/database.ts';

/**
 * A fresh database for one benchmark run: a temporary SQLite file, or a new PostgreSQL schema on
 * DATABASE_URL that is dropped afterwards (`serverEnv`: how `src/main.ts` finds it, for production.ts).
 */
export async function benchDatabase(database: Config['database']): Promise<{ db: Db; close: () => Promise<void>; serverEnv: Record<string, string> }> {
  if (database.kind === 'sqlite') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatepost-bench-'));
    const opened = openDatabase({ kind: 'sqlite', path: path.join(dir, 'bench.db') });
    await migrateToLatest(opened.db);
    return {
      db: opened.db,
      serverEnv: { SQLITE_PATH: path.join(dir, 'bench.db') },
      close: async () => {
        await opened.close();
        fs.rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const schema = `bench_${Date.now().toString(36)}`;
  const admin = new pg.Client({ connectionString: database.url });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  await admin.end();
  const opened = openDatabase({ kind: 'postgres', url: database.url, searchPath: schema });
  await migrateToLatest(opened.db, schema);
  const url = new URL(database.url);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return {
    db: opened.db,
    serverEnv: { DATABASE_URL: url.toString() },
    close: async () => {
      await opened.close();
      const c = new pg.Client({ connectionString: database.url });
      await c.connect();
      await c.query(`drop schema ${schema} cascade`);
      await c.end();
    },
  };
}

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { migrateToLatest, openDatabase } from '../src/db/database.ts';

/**
 * Gatepost started as in production (src/main.ts) on a database it cannot use: it stops at once with
 * one line that names the file or the server and says why, instead of starting and failing every
 * write. The server runs as an unprivileged user (root may write any file).
 */
const root = path.resolve(import.meta.dirname, '..');
const NOBODY = 65534;
const asRoot = process.getuid?.() === 0;

function start(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: root,
      env: { PATH: process.env.PATH ?? '', HOME: os.tmpdir(), NODE_ENV: 'development', HOST: '127.0.0.1', PORT: '0', LOAD_DEMO: 'no', SMTP_URL: 'smtp://127.0.0.1:1', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
      ...(asRoot ? { uid: NOBODY, gid: NOBODY } : {}),
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    // Started after all: it would run on, so stop it and report what it said.
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

async function schoolDatabase(): Promise<{ dir: string; file: string }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatepost-start-'));
  const file = path.join(dir, 'gatepost.db');
  const opened = openDatabase({ kind: 'sqlite', path: file });
  await migrateToLatest(opened.db);
  await opened.close();
  if (asRoot) for (const p of [dir, file]) fs.chownSync(p, NOBODY, NOBODY);
  return { dir, file };
}

describe('starting Gatepost on a database it cannot use', () => {
  it('stops with the file named when the SQLite file is read-only', async () => {
    const { dir, file } = await schoolDatabase();
    fs.chmodSync(file, 0o444);
    try {
      const { code, output } = await start({ SQLITE_PATH: file });
      expect(code).toBe(1);
      expect(output).toContain(`Gatepost cannot start: it cannot write to the SQLite database ${file}: the file is read-only`);
      expect(output).not.toMatch(/\n\s+at /); // one clear line, no stack trace
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 90_000);

  it('stops with the file named when its folder is read-only', async () => {
    const { dir, file } = await schoolDatabase();
    fs.chmodSync(dir, 0o555);
    try {
      const { code, output } = await start({ SQLITE_PATH: file });
      expect(code).toBe(1);
      expect(output).toContain(`Gatepost cannot start: it cannot write to the SQLite database ${file}: its folder is read-only`);
    } finally {
      fs.chmodSync(dir, 0o755);
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 90_000);

  it('says which PostgreSQL server it cannot reach, and why', async () => {
    const { code, output } = await start({ DATABASE_URL: 'postgres://gatepost:secret@127.0.0.1:1/gatepost' });
    expect(code).toBe(1);
    expect(output).toContain('Gatepost cannot start: cannot reach PostgreSQL at 127.0.0.1:1: connection refused');
    expect(output).not.toContain('secret');
  }, 90_000);
});

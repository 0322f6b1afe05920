import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { dialects, openTestDb } from '../test/support/db.ts';
import { makeFixture } from '../test/support/fixture.ts';
import { startSmtpSink } from './platform/channels/smtp-sink.ts';
import { createSession } from './platform/auth/sessions.ts';
import { readConfig } from './config.ts';

/** `WORKERS=N npm start`: several app processes on one PostgreSQL database; SQLite refuses. */
const root = path.resolve(import.meta.dirname, '..');
const tsx = path.join(root, 'node_modules/.bin/tsx');

/** Start src/main.ts as `npm start` does; resolves when it prints `until` or exits. */
function start(env: Record<string, string>, until: RegExp) {
  const child = spawn(tsx, ['src/main.ts'], { cwd: root, env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env }, detached: true });
  let out = '';
  const done = new Promise<{ code: number | null; out: string }>((resolve) => {
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (until.test(out)) resolve({ code: null, out });
    });
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('exit', (code) => resolve({ code, out }));
  });
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('exit', () => resolve());
      process.kill(-child.pid!, 'SIGTERM');
    });
  return { done, stop, output: () => out };
}

function get(url: string, cookie: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { agent: false, headers: { cookie } }, (res) => {
        let body = '';
        res.on('data', (d: Buffer) => (body += d.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      })
      .on('error', reject);
  });
}

describe('several app processes', () => {
  it('refuses WORKERS above 1 on SQLite, saying why and what to do', async () => {
    expect(() => readConfig({ WORKERS: '2' })).toThrow('WORKERS=2 needs PostgreSQL (set DATABASE_URL). A SQLite file has one writer at a time, so run one Gatepost process per SQLite file');
    expect(readConfig({ WORKERS: '2', DATABASE_URL: 'postgres://db/gatepost' }).workers).toBe(2);
    expect(readConfig({}).workers).toBe(1);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatepost-workers-'));
    try {
      const server = start({ WORKERS: '2', SQLITE_PATH: path.join(dir, 'g.db'), PORT: '0' }, /Gatepost is running/);
      const { code, out } = await server.done;
      expect(code).toBe(1);
      expect(out).toContain('Gatepost cannot start: WORKERS=2 needs PostgreSQL');
      expect(fs.existsSync(path.join(dir, 'g.db'))).toBe(false);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it.runIf(dialects.includes('postgres'))(
    'serves one signed-in carer from two app processes on PostgreSQL with WORKERS=2',
    async () => {
      const t = await openTestDb('postgres');
      const sink = await startSmtpSink(0);
      try {
        const fx = await makeFixture(t.db);
        const { token } = await createSession(t.db, { kind: 'carer', id: fx.carers.marta, schoolId: fx.school.id }, new Date());
        if (t.target.kind !== 'postgres') throw new Error('expected PostgreSQL');
        const url = new URL(t.target.url);
        url.searchParams.set('options', `-c search_path=${t.target.searchPath}`);
        const server = start(
          { WORKERS: '2', DATABASE_URL: url.toString(), NODE_ENV: 'production', SMTP_URL: sink.url, PORT: '0', HOST: '127.0.0.1' },
          /listening on http:\/\/127\.0\.0\.1:\d+[\s\S]*listening on/,
        );
        try {
          const { code, out } = await server.done;
          expect(code, out).toBeNull();
          expect(out).toContain('Gatepost: 2 app processes (WORKERS=2) on one PostgreSQL database');
          const address = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out)![1]!;
          for (let i = 0; i < 12; i++) {
            // A new connection each time (as from many browsers): the cluster hands connections round.
            const res = await get(`${address}/`, `gatepost=${token}`);
            expect(res.status).toBe(200);
            expect(res.body).toContain('Nowak');
          }
          // Both processes answered (each request's log line carries its process id).
          const pids = new Set([...server.output().matchAll(/"pid":(\d+).*"statusCode":200/g)].map((m) => m[1]));
          expect(pids.size).toBe(2);
        } finally {
          await server.stop();
        }
      } finally {
        await sink.close();
        await t.close();
      }
    },
    120_000,
  );
});

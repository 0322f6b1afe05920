import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import type { DbStats } from '../../src/db/stats.ts';

/**
 * Gatepost started exactly as `npm start` starts it (`tsx src/main.ts`), in production mode at the
 * production log level (the default, `info`: a line per request, to a log file as a service manager
 * would keep it), with its outbox worker, scheduler and SMTP transport, on a database the benchmark
 * prepared. `prefix` pins it to cores (see cores.ts); `env` adds settings such as WORKERS.
 */
export type ProductionServer = {
  url: string;
  pid: number;
  logFile: string;
  /** Every app process's database figures now (see src/db/stats.ts); written each half second, so this waits 0.6 s first. */
  dbStats(): Promise<DbStats[]>;
  /** CPU time (user + system, ms) used so far by the server's live processes (Linux /proc; null elsewhere). */
  cpuMs(): number | null;
  stop(): Promise<void>;
};

export async function startProductionServer(o: { databaseEnv: Record<string, string>; smtpUrl: string; prefix: string[]; dir: string; env?: Record<string, string> }): Promise<ProductionServer> {
  const port = await freePort();
  const logFile = path.join(o.dir, `gatepost-${port}.log`);
  const statsDir = path.join(o.dir, `db-stats-${port}`);
  const out = fs.openSync(logFile, 'w');
  const root = path.resolve(import.meta.dirname, '../..');
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: process.env.HOME ?? '/tmp',
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    PORT: String(port),
    SMTP_URL: o.smtpUrl,
    DB_STATS_DIR: statsDir,
    // DB_STATS_BY_SQL=dir: the server counts time per SQL text, and its figures are copied to dir when it stops.
    ...(process.env.DB_STATS_BY_SQL ? { DB_STATS_BY_SQL: '1' } : {}),
    ...o.databaseEnv,
    ...o.env,
  };
  // BENCH_PROFILE_DIR=dir writes a V8 CPU profile of the server there (to find where the time goes).
  const profile = process.env.BENCH_PROFILE_DIR;
  const node = profile ? [process.execPath, '--cpu-prof', `--cpu-prof-dir=${profile}`, '--import', 'tsx'] : [path.join(root, 'node_modules/.bin/tsx')];
  const [cmd, ...args] = [...o.prefix, ...node, 'src/main.ts'];
  const child = spawn(cmd!, args, { cwd: root, env, stdio: ['ignore', out, out], detached: true });
  fs.closeSync(out);
  let exited: number | null = null;
  child.on('exit', (code) => (exited = code ?? -1));
  const started = Date.now();
  for (;;) {
    const text = fs.readFileSync(logFile, 'utf8');
    if (text.includes('Gatepost is running at')) break;
    if (exited !== null) throw new Error(`Gatepost did not start (exit ${exited}):\n${text.slice(-2000)}`);
    if (Date.now() - started > 60_000) throw new Error(`Gatepost did not start within 60 s:\n${text.slice(-2000)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url: `http://127.0.0.1:${port}`,
    pid: child.pid!,
    logFile,
    dbStats: async () => {
      await new Promise((r) => setTimeout(r, 600));
      return fs
        .readdirSync(statsDir)
        .filter((f) => f.endsWith('.json'))
        .map((f) => JSON.parse(fs.readFileSync(path.join(statsDir, f), 'utf8')) as DbStats);
    },
    cpuMs: () => processGroupCpuMs(child.pid!),
    stop: async () => {
      if (exited !== null) return;
      const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      process.kill(-child.pid!, 'SIGTERM');
      const timer = setTimeout(() => {
        try {
          process.kill(-child.pid!, 'SIGKILL');
        } catch {
          // already gone
        }
      }, 10_000);
      await gone;
      clearTimeout(timer);
      if (process.env.DB_STATS_BY_SQL) fs.cpSync(statsDir, path.join(process.env.DB_STATS_BY_SQL, path.basename(statsDir)), { recursive: true });
    },
  };
}

/** CPU time of every live process in a process group (the server was started detached: its own group). */
function processGroupCpuMs(group: number): number | null {
  return cpuMsOf((p) => p.group === group);
}

/**
 * CPU time used so far by the PostgreSQL server's processes, when it runs on this machine (its URL's
 * host is loopback): on a machine of two cores it shares them with the server and the load, so the
 * benchmark says what it took. Counts every PostgreSQL process, so only a quiet machine gives a figure.
 */
export function localPostgresCpuMs(databaseEnv: Record<string, string>): number | null {
  const url = databaseEnv.DATABASE_URL;
  if (!url || !['127.0.0.1', 'localhost', '[::1]'].includes(new URL(url).hostname)) return null;
  return cpuMsOf((p) => p.command === 'postgres');
}

/** CPU time (user + system, ms) of the live processes that match (Linux /proc; null elsewhere). */
function cpuMsOf(matches: (p: { command: string; group: number }) => boolean): number | null {
  if (!fs.existsSync('/proc/self/stat')) return null;
  const ticksPerSecond = 100; // USER_HZ on Linux
  let ticks = 0;
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue; // gone meanwhile
    }
    // pid (command) state ppid pgrp …; utime and stime are fields 14 and 15.
    const command = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (!matches({ command, group: Number(fields[2]) })) continue;
    ticks += Number(fields[11]) + Number(fields[12]);
  }
  return (ticks * 1000) / ticksPerSecond;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

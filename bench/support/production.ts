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
  const processes = liveProcesses();
  if (!processes) return null;
  return [...processes.values()].filter((p) => p.group === group).reduce((sum, p) => sum + p.cpuMs, 0);
}

/**
 * CPU time so far, per process, of the PostgreSQL work done for the server: the backends serving its
 * pooled connections (found by the client port each backend names in its title) and PostgreSQL's own
 * background processes (WAL writer, checkpointer and the like, shared with any other database on the
 * machine). Only when PostgreSQL runs on this machine (the URL's host is loopback): on two cores it
 * shares them with the server and the load. Other clients' backends are left out. Keyed by process,
 * so a backend started meanwhile counts from nothing (see `cpuMsSince`).
 */
export function postgresCpuFor(serverGroup: number, databaseEnv: Record<string, string>): Map<number, number> | null {
  const url = databaseEnv.DATABASE_URL;
  if (!url || !['127.0.0.1', 'localhost', '[::1]'].includes(new URL(url).hostname)) return null;
  const processes = liveProcesses();
  if (!processes) return null;
  const port = Number(new URL(url).port || 5432);
  const serverPorts = clientPortsTo(
    port,
    [...processes.values()].filter((p) => p.group === serverGroup).map((p) => p.pid),
  );
  const ours = new Map<number, number>();
  for (const p of processes.values()) {
    if (p.command !== 'postgres') continue;
    const title = readOr(`/proc/${p.pid}/cmdline`).replaceAll('\0', ' ');
    const client = /\((\d+)\)/.exec(title);
    // A client's backend names its address, "127.0.0.1(port)" or "[local]"; the background processes do not.
    if (client ? serverPorts.has(Number(client[1])) : !title.includes('[local]')) ours.set(p.pid, p.cpuMs);
  }
  return ours;
}

/** CPU (ms) used between two per-process readings; a process new since the first counts in full. */
export function cpuMsSince(before: Map<number, number> | null, after: Map<number, number> | null): number | null {
  if (!before || !after) return null;
  let ms = 0;
  for (const [pid, cpu] of after) ms += cpu - (before.get(pid) ?? 0);
  return ms;
}

type LiveProcess = { pid: number; command: string; group: number; cpuMs: number };

/** Every live process with its CPU time (user + system, ms) so far (Linux /proc; null elsewhere). */
function liveProcesses(): Map<number, LiveProcess> | null {
  if (!fs.existsSync('/proc/self/stat')) return null;
  const ticksPerSecond = 100; // USER_HZ on Linux
  const processes = new Map<number, LiveProcess>();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = readOr(`/proc/${entry}/stat`);
    if (!stat) continue; // gone meanwhile
    // pid (command) state ppid pgrp …; utime and stime are fields 14 and 15.
    const command = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    processes.set(Number(entry), { pid: Number(entry), command, group: Number(fields[2]), cpuMs: ((Number(fields[11]) + Number(fields[12])) * 1000) / ticksPerSecond });
  }
  return processes;
}

/** The local ports of these processes' TCP connections to `port` on this machine. */
function clientPortsTo(port: number, pids: number[]): Set<number> {
  const inodes = new Set<string>();
  for (const pid of pids) {
    let fds: string[] = [];
    try {
      fds = fs.readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      try {
        const m = /^socket:\[(\d+)\]$/.exec(fs.readlinkSync(`/proc/${pid}/fd/${fd}`));
        if (m) inodes.add(m[1]!);
      } catch {
        // closed meanwhile
      }
    }
  }
  const ports = new Set<number>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    for (const line of readOr(table).split('\n').slice(1)) {
      const f = line.trim().split(/\s+/);
      if (f.length < 10) continue;
      const local = parseInt(f[1]!.split(':')[1]!, 16);
      const remote = parseInt(f[2]!.split(':')[1]!, 16);
      if (remote === port && inodes.has(f[9]!)) ports.add(local);
    }
  }
  return ports;
}

function readOr(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return '';
  }
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

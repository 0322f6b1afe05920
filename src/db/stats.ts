import fs from 'node:fs';
import path from 'node:path';

/**
 * Where a server's database time goes, for the benchmarks: every query counted with its time, and
 * (PostgreSQL) how long each request for a pooled connection waited. Counters only grow; a reader
 * takes two snapshots and compares them. `writeDbStatsEvery` writes this process's snapshot to a file
 * (DB_STATS_DIR/<pid>.json) so a benchmark can read every app process's figures from outside.
 */
export const POOL_WAIT_BUCKETS_MS = [0.1, 0.25, 0.5, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, Infinity] as const;

export type DbStats = { pid: number; queries: number; queryMs: number; poolWaits: number[]; transactions: number; bySql?: Record<string, [number, number]> };

const stats: DbStats = { pid: process.pid, queries: 0, queryMs: 0, poolWaits: POOL_WAIT_BUCKETS_MS.map(() => 0), transactions: 0 };

/** DB_STATS_BY_SQL=1 also keeps count and time per SQL text (to find which queries a page's time goes to). */
const bySql = process.env.DB_STATS_BY_SQL ? new Map<string, [number, number]>() : null;

export function countQuery(ms: number, sql?: string): void {
  stats.queries += 1;
  stats.queryMs += ms;
  if (bySql && sql !== undefined) {
    const seen = bySql.get(sql) ?? [0, 0];
    seen[0] += 1;
    seen[1] += ms;
    bySql.set(sql, seen);
  }
}

export function countPoolWait(ms: number): void {
  let i = 0;
  while (ms > POOL_WAIT_BUCKETS_MS[i]!) i++;
  stats.poolWaits[i]! += 1;
}

export function dbStats(): DbStats {
  return { ...stats, poolWaits: [...stats.poolWaits], ...(bySql ? { bySql: Object.fromEntries([...bySql].map(([text, [count, ms]]) => [text, [count, ms]])) } : {}) };
}

/** Write this process's figures every `ms` (and at exit) to DIR/<pid>.json. */
export function writeDbStatsEvery(dir: string, ms = 500): () => void {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${process.pid}.json`);
  // Written aside and renamed: a benchmark reading the file never sees it half written (or empty).
  const write = () => {
    fs.writeFileSync(`${file}.tmp`, JSON.stringify(dbStats()));
    fs.renameSync(`${file}.tmp`, file);
  };
  const timer = setInterval(write, ms);
  timer.unref();
  write();
  return () => {
    clearInterval(timer);
    write();
  };
}

/** The figures between two sets of snapshots (every process's, before and after): queries, pool-wait p99. */
export function statsBetween(before: DbStats[], after: DbStats[]): { queries: number; queryMs: number; poolWaits: number; poolWaitP99Ms: number } {
  const sum = (list: DbStats[]) =>
    list.reduce((a, s) => ({ queries: a.queries + s.queries, queryMs: a.queryMs + s.queryMs, poolWaits: a.poolWaits.map((n, i) => n + s.poolWaits[i]!) }), {
      queries: 0,
      queryMs: 0,
      poolWaits: POOL_WAIT_BUCKETS_MS.map(() => 0),
    });
  const a = sum(before);
  const b = sum(after);
  const waits = b.poolWaits.map((n, i) => n - a.poolWaits[i]!);
  const total = waits.reduce((x, y) => x + y, 0);
  let seen = 0;
  let p99 = 0;
  for (let i = 0; i < waits.length; i++) {
    seen += waits[i]!;
    if (total > 0 && seen >= 0.99 * total) {
      p99 = POOL_WAIT_BUCKETS_MS[i]!;
      break;
    }
  }
  return { queries: b.queries - a.queries, queryMs: b.queryMs - a.queryMs, poolWaits: total, poolWaitP99Ms: p99 };
}

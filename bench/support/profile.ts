import fs from 'node:fs';
import path from 'node:path';
import { Session } from 'node:inspector/promises';
import { dbStats } from '../../src/db/stats.ts';

/**
 * A V8 CPU profile of part of a benchmark, written as DIR/NAME.cpuprofile (open it in Chrome's
 * DevTools, or any .cpuprofile reader), and, when DB_STATS_BY_SQL is set, DIR/NAME.sql.json: each SQL
 * text run in that part with its count and milliseconds, most time first. With no DIR it does
 * nothing, so a benchmark can call it always.
 */
export async function profiler(dir: string | undefined): Promise<{ start(): Promise<void>; stop(name: string): Promise<void> }> {
  if (!dir) return { start: async () => {}, stop: async () => {} };
  fs.mkdirSync(dir, { recursive: true });
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 200 });
  let sqlBefore: Record<string, [number, number]> = {};
  return {
    start: async () => {
      sqlBefore = dbStats().bySql ?? {};
      await session.post('Profiler.start');
    },
    stop: async (name) => {
      const { profile } = await session.post('Profiler.stop');
      fs.writeFileSync(path.join(dir, `${name}.cpuprofile`), JSON.stringify(profile));
      const bySql = Object.entries(dbStats().bySql ?? {})
        .map(([text, [count, ms]]) => ({ count: count - (sqlBefore[text]?.[0] ?? 0), ms: +(ms - (sqlBefore[text]?.[1] ?? 0)).toFixed(1), text }))
        .filter((q) => q.count > 0)
        .sort((a, b) => b.ms - a.ms);
      if (bySql.length) fs.writeFileSync(path.join(dir, `${name}.sql.json`), JSON.stringify(bySql, null, 1));
    },
  };
}

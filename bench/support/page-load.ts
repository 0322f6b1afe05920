/**
 * A few people opening one page, as a separate process (open model):
 *   tsx bench/support/page-load.ts URL COOKIES_FILE PAGES_PER_SECOND SECONDS
 * COOKIES_FILE holds one session cookie a line; request i is sent as the i-th person in turn. Request i
 * is due at i / PAGES_PER_SECOND seconds, whatever the server is doing, and its latency is timed from
 * when it was DUE (open-model.ts: wrk2's correction for coordinated omission), so a page that takes
 * longer than the gap between arrivals makes the queue, and the figures, grow as they would for people.
 * Prints one JSON line: pages, the arrival rate asked for and achieved, p50, p99 and the slowest, the
 * answers that were not 200, and the load process's own CPU time.
 */
import fs from 'node:fs';
import http from 'node:http';
import { openModel, quantile, send } from './open-model.ts';

const [url, cookiesFile, rate, seconds] = process.argv.slice(2);
const cookies = fs.readFileSync(cookiesFile!, 'utf8').split('\n').filter(Boolean);
const perSecond = Number(rate);
const count = Math.max(1, Math.round(perSecond * Number(seconds)));
const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity });
const latencies: number[] = [];
let non200 = 0;
const errors: string[] = [];

const load = openModel(perSecond);
await load.run(
  Array.from({ length: count }, (_, i) => cookies[i % cookies.length]!),
  async (cookie, due) => {
    await load.arrive(due);
    try {
      const page = await send(agent, url!, 'GET', cookie);
      if (page.status !== 200) non200++;
    } catch (e) {
      errors.push(String(e));
    }
    latencies.push(performance.now() - due);
  },
);
const f = load.figures();
process.stdout.write(
  JSON.stringify({
    pages: latencies.length,
    offeredPerS: f.offeredCarersPerS,
    achievedPerS: Math.round(f.achievedCarersPerS * 10) / 10,
    pagesPerS: Math.round((latencies.length / f.seconds) * 10) / 10,
    p50: quantile(latencies, 0.5),
    p99: quantile(latencies, 0.99),
    max: quantile(latencies, 1),
    non200,
    errors: errors.slice(0, 5),
    latestSendMs: f.latestSendMs,
    cpuSeconds: Math.round(f.cpuSeconds * 100) / 100,
  }) + '\n',
);
agent.destroy();

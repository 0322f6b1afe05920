/**
 * The open model the booking-rush and survey load processes share (bench/support/load.ts is the
 * closed-model autocannon run, a script of its own: importing it would start a run).
 * Visitor i is due to arrive at i / perSecond seconds, whatever the server is doing, and every latency
 * is timed from when the request was DUE (its intended send time), not from when this process managed
 * to send it (wrk2 / HdrHistogram's correction for coordinated omission): a stalled server, or a stalled
 * load process, can only make the figures worse. The arrival rate actually achieved is measured from
 * the real send times, to print beside the one asked for.
 */
import http from 'node:http';

export function openModel(perSecond: number) {
  const started = performance.now();
  const cpuAtStart = process.cpuUsage();
  const sentAt: number[] = [];
  let latestSend = 0;
  /** Wait until `due` (performance.now() time); late timers are fine: latency counts from `due`. */
  const until = (due: number) => new Promise<void>((r) => setTimeout(r, Math.max(0, due - performance.now())));
  return {
    until,
    /** Which half second of the run a time falls in: where a queue built up. */
    half: (t: number) => Math.floor((t - started) / 500),
    /** Wait for a visitor's arrival time, then note when the first request really went. */
    async arrive(due: number): Promise<void> {
      await until(due);
      const sent = performance.now();
      sentAt.push(sent);
      latestSend = Math.max(latestSend, sent - due);
    },
    /** Every visitor, the i-th due at i / perSecond seconds from the start. */
    run<T>(visitors: readonly T[], visit: (visitor: T, due: number) => Promise<void>): Promise<void[]> {
      return Promise.all(visitors.map((v, i) => visit(v, started + (i * 1000) / perSecond)));
    },
    /** The run's length, the arrival rate asked for and achieved, the latest send and the CPU this process used. */
    figures() {
      const cpu = process.cpuUsage(cpuAtStart);
      const sorted = [...sentAt].sort((x, y) => x - y);
      const arrivalSeconds = (sorted[sorted.length - 1]! - sorted[0]!) / 1000;
      return {
        seconds: (performance.now() - started) / 1000,
        offeredCarersPerS: perSecond,
        achievedCarersPerS: arrivalSeconds > 0 ? (sorted.length - 1) / arrivalSeconds : 0,
        latestSendMs: Math.round(latestSend),
        cpuSeconds: (cpu.user + cpu.system) / 1e6,
      };
    },
  };
}

/** The p-quantile of a list of milliseconds, rounded. */
export function quantile(list: readonly number[], p: number): number {
  const sorted = [...list].sort((x, y) => x - y);
  return Math.round(sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0);
}

/** One request over a kept-alive agent: status, body, and the cookies the answer set. */
export function send(agent: http.Agent, url: string, method: 'GET' | 'POST', cookie: string, body?: string): Promise<{ status: number; html: string; setCookie: string[] }> {
  return new Promise((resolve, reject) => {
    const headers: http.OutgoingHttpHeaders = cookie ? { cookie } : {};
    if (body) Object.assign(headers, { 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(body) });
    const req = http.request(url, { method, agent, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, html: Buffer.concat(chunks).toString('utf8'), setCookie: res.headers['set-cookie'] ?? [] }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

/**
 * The load generator, run as a separate process so it does not share the server's CPU time slice:
 * `tsx bench/support/load.ts URL COOKIES_FILE CONNECTIONS SECONDS` prints one JSON line of results.
 * COOKIES_FILE holds one session cookie a line; each request is sent as the next carer in turn, so
 * the connections are always different people and every session is used (as on the day).
 */
import fs from 'node:fs';
import autocannon from 'autocannon';

const [url, cookiesFile, connections, seconds] = process.argv.slice(2);
const cookies = fs.readFileSync(cookiesFile!, 'utf8').split('\n').filter(Boolean);
let next = 0;
const result = await autocannon({
  url: url!,
  connections: Number(connections),
  duration: Number(seconds),
  headers: { 'accept-encoding': 'gzip' },
  requests: [{ method: 'GET', setupRequest: (req) => ({ ...req, headers: { ...req.headers, cookie: cookies[next++ % cookies.length]! } }) }],
});
process.stdout.write(
  JSON.stringify({
    requests: result.requests.total,
    perSecond: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors,
    carers: Math.min(cookies.length, next),
  }) + '\n',
);

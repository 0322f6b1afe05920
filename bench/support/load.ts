/**
 * The load generator, run as a separate process so it does not share the server's CPU time slice:
 * `tsx bench/support/load.ts URL COOKIE CONNECTIONS SECONDS` prints one JSON line of results.
 */
import autocannon from 'autocannon';

const [url, cookie, connections, seconds] = process.argv.slice(2);
const result = await autocannon({
  url: url!,
  connections: Number(connections),
  duration: Number(seconds),
  headers: { cookie: cookie!, 'accept-encoding': 'gzip' },
});
process.stdout.write(
  JSON.stringify({
    requests: result.requests.total,
    perSecond: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors,
  }) + '\n',
);

/**
 * The carers in the booking rush, as a separate process:
 *   tsx bench/support/booking-load.ts PAGE_URL PLAN_JSON all-at-once CONCURRENCY
 *   tsx bench/support/booking-load.ts PAGE_URL PLAN_JSON paced CARERS_PER_SECOND THINK_MS
 * Each carer opens the booking page (a real signed-in GET: CSRF token and the free times offered),
 * picks a time with each teacher at random among those free, keeping the travel gap between their
 * own appointments, and submits them all; a carer who loses a race reads the page they are shown
 * (the nearest free times) and tries again.
 * "all-at-once": CONCURRENCY carers at a time, each starting the moment another finishes, no pause
 * (the most the server can do). "paced": carers arrive at a steady rate and take THINK_MS (half to
 * one and a half times, at random) to choose before they submit, as people do.
 * Prints one JSON line: seconds, booking submits, p50/p99 of the submits, the most carers mid-booking,
 * the slowest submit in each half second, and the CPU this process used from the first carer on.
 */
import fs from 'node:fs';
import http from 'node:http';

const [pageUrl, planFile, mode, a, b] = process.argv.slice(2);
const plan = JSON.parse(fs.readFileSync(planFile!, 'utf8')) as { carers: string[]; slots: Record<string, number>; gapMs: number };
const agent = new http.Agent({ keepAlive: true, maxSockets: mode === 'paced' ? Infinity : Number(a) });
const thinkMs = mode === 'paced' ? Number(b) : 0;
let inFlow = 0;
let mostInFlow = 0;
const latencies: number[] = [];
const errors: string[] = [];
let lostRaces = 0;
/** The slowest submit sent in each half second of the run: where the queue built up. */
const slowest: number[] = [];
let gaveUp = 0;

type Page = { csrf: string; selects: { name: string; options: string[] }[] };

/** The CSRF token and each teacher's free times, read with indexOf: the load process shares the server's two cores, so it reads the page as cheaply as it can. */
function readPage(html: string): Page {
  const between = (from: number, start: string, end: string): [string, number] | null => {
    const a = html.indexOf(start, from);
    if (a < 0) return null;
    const b = html.indexOf(end, a + start.length);
    return b < 0 ? null : [html.slice(a + start.length, b), b];
  };
  const csrf = between(0, 'name="_csrf" value="', '"')?.[0] ?? '';
  const selects: Page['selects'] = [];
  for (let at = html.indexOf('<select'); at >= 0; at = html.indexOf('<select', at + 1)) {
    const name = between(at, 'name="', '"');
    if (!name?.[0].startsWith('slot_')) continue;
    const close = html.indexOf('</select>', name[1]);
    const options: string[] = [];
    for (let o = html.indexOf('<option value="', name[1]); o >= 0 && o < close; o = html.indexOf('<option value="', o + 1)) {
      const value = html.slice(o + 15, html.indexOf('"', o + 15));
      if (plan.slots[value] !== undefined) options.push(value);
    }
    selects.push({ name: name[0], options });
  }
  return { csrf, selects };
}

/** A time with each teacher, at random among the free ones, at least the slot and gap apart. */
function choose(page: Page): Record<string, string> | null {
  const chosen: Record<string, string> = {};
  const times: number[] = [];
  for (const s of page.selects) {
    const fits = s.options.filter((id) => times.every((t) => Math.abs(plan.slots[id]! - t) >= plan.gapMs));
    if (fits.length === 0) return null;
    const id = fits[Math.floor(Math.random() * fits.length)]!;
    chosen[s.name] = id;
    times.push(plan.slots[id]!);
  }
  return chosen;
}

function send(method: 'GET' | 'POST', cookie: string, body?: string): Promise<{ status: number; html: string }> {
  return new Promise((resolve, reject) => {
    const headers: http.OutgoingHttpHeaders = { cookie };
    if (body) Object.assign(headers, { 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(body) });
    const req = http.request(pageUrl!, { method, agent, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, html: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

const pause = () => (thinkMs > 0 ? new Promise((r) => setTimeout(r, thinkMs * (0.5 + Math.random()))) : Promise.resolve());

async function carer(cookie: string): Promise<void> {
  let page = await send('GET', cookie);
  if (page.status !== 200) throw new Error(`booking page answered ${page.status}`);
  for (let attempt = 0; attempt < 6; attempt++) {
    const read = readPage(page.html);
    if (read.selects.length === 0) return; // nothing left to book
    const chosen = choose(read);
    if (!chosen) {
      gaveUp++;
      return;
    }
    await pause();
    const body = new URLSearchParams({ _csrf: read.csrf, ...chosen }).toString();
    const t0 = performance.now();
    const res = await send('POST', cookie, body);
    const took = performance.now() - t0;
    latencies.push(took);
    const half = Math.floor((t0 - started) / 500);
    slowest[half] = Math.max(slowest[half] ?? 0, Math.round(took));
    if (res.status === 303) return;
    if (res.status !== 409) throw new Error(`booking answered ${res.status}: ${res.html.slice(0, 200)}`);
    lostRaces++;
    page = res;
  }
  gaveUp++;
}

async function oneCarer(cookie: string): Promise<void> {
  inFlow++;
  mostInFlow = Math.max(mostInFlow, inFlow);
  try {
    await carer(cookie);
  } catch (error) {
    errors.push(String(error));
  } finally {
    inFlow--;
  }
}

const started = performance.now();
const cpuAtStart = process.cpuUsage();
if (mode === 'paced') {
  // Carer i arrives at i / rate seconds after the start, whatever the server is doing.
  const perSecond = Number(a);
  await Promise.all(plan.carers.map((cookie, i) => new Promise<void>((resolve) => setTimeout(() => void oneCarer(cookie).then(resolve), (i * 1000) / perSecond))));
} else {
  const queue = [...plan.carers];
  await Promise.all(
    Array.from({ length: Number(a) }, async () => {
      for (let cookie = queue.shift(); cookie; cookie = queue.shift()) await oneCarer(cookie);
    }),
  );
}
const seconds = (performance.now() - started) / 1000;
latencies.sort((x, y) => x - y);
const at = (q: number) => Math.round(latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0);
const cpu = process.cpuUsage(cpuAtStart);
process.stdout.write(
  JSON.stringify({
    seconds,
    posts: latencies.length,
    p50: at(0.5),
    p99: at(0.99),
    mostInFlow,
    lostRaces,
    gaveUp,
    errors,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    slowest: Array.from(slowest, (ms) => ms ?? 0),
  }) + '\n',
);
agent.destroy();

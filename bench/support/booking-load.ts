/**
 * The carers in the booking rush, as a separate process: `tsx bench/support/booking-load.ts
 * PAGE_URL PLAN_JSON CONCURRENCY`. Each carer opens the booking page (a real signed-in GET: CSRF token
 * and the free times offered), picks a time with each teacher at random among those free, keeping
 * the travel gap between their own appointments, and submits them all; a carer who loses a race reads
 * the page they are shown (the nearest free times) and tries again. Prints one JSON line.
 */
import fs from 'node:fs';
import http from 'node:http';

const [pageUrl, planFile, concurrency] = process.argv.slice(2);
const plan = JSON.parse(fs.readFileSync(planFile!, 'utf8')) as { carers: string[]; slots: Record<string, number>; gapMs: number };
const agent = new http.Agent({ keepAlive: true, maxSockets: Number(concurrency) });
const latencies: number[] = [];
const errors: string[] = [];
let lostRaces = 0;
let gaveUp = 0;

type Page = { csrf: string; selects: { name: string; options: string[] }[] };

function readPage(html: string): Page {
  const csrf = /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';
  const selects: Page['selects'] = [];
  for (const m of html.matchAll(/<select[^>]*name="(slot_[^"]+)"[^>]*>([\s\S]*?)<\/select>/g)) {
    const options = [...m[2]!.matchAll(/<option value="([^"]+)"/g)].map((o) => o[1]!).filter((v) => plan.slots[v] !== undefined);
    selects.push({ name: m[1]!, options });
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
    const id = fits[Math.floor(Math.random() * Math.min(fits.length, 12))]!;
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

async function carer(cookie: string): Promise<void> {
  let page = await send('GET', cookie);
  if (page.status !== 200) throw new Error(`booking page answered ${page.status}`);
  for (let attempt = 0; attempt < 6; attempt++) {
    const read = readPage(page.html);
    if (read.selects.length === 0) return; // nothing left to book
    const chosen = choose(read);
    if (!chosen) { gaveUp++; return; }
    const body = new URLSearchParams({ _csrf: read.csrf, ...chosen }).toString();
    const t0 = performance.now();
    const res = await send('POST', cookie, body);
    latencies.push(performance.now() - t0);
    if (res.status === 303) return;
    if (res.status !== 409) throw new Error(`booking answered ${res.status}: ${res.html.slice(0, 200)}`);
    lostRaces++;
    page = res;
  }
  gaveUp++;
}

const queue = [...plan.carers];
const started = performance.now();
await Promise.all(
  Array.from({ length: Number(concurrency) }, async () => {
    for (let cookie = queue.shift(); cookie; cookie = queue.shift()) {
      try {
        await carer(cookie);
      } catch (error) {
        errors.push(String(error));
      }
    }
  }),
);
const seconds = (performance.now() - started) / 1000;
latencies.sort((a, b) => a - b);
const at = (q: number) => Math.round(latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0);
process.stdout.write(JSON.stringify({ seconds, posts: latencies.length, p50: at(0.5), p99: at(0.99), lostRaces, gaveUp, errors }) + '\n');
agent.destroy();

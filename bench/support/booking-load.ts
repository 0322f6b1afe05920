/**
 * The carers in the booking rush, as a separate process (open model):
 *   tsx bench/support/booking-load.ts PAGE_URL PLAN_JSON CARERS_PER_SECOND THINK_MS
 * Carer i is due to arrive at i / CARERS_PER_SECOND seconds, whatever the server is doing. Each opens
 * the booking page (a real signed-in GET: CSRF token and the free times offered), takes THINK_MS (half
 * to one and a half times, at random) to choose a time with each teacher among those free, keeping the
 * travel gap between their own appointments, and submits them all; a carer who loses a race reads the
 * page they are shown (the nearest free times), thinks again and submits again.
 * Every latency is timed from when the request was DUE (its intended send time), not from when this
 * process managed to send it (wrk2 / HdrHistogram's correction for coordinated omission): a page from
 * the carer's arrival time, a submit from the moment the carer finished thinking. So a stalled server,
 * or a stalled load process, can only make the figures worse. The arrival rate this process actually
 * achieved is measured from the real send times and printed beside the one asked for.
 * Prints one JSON line.
 */
import fs from 'node:fs';
import http from 'node:http';
import { openModel, quantile, send } from './open-model.ts';

const [pageUrl, planFile, rate, think] = process.argv.slice(2);
const plan = JSON.parse(fs.readFileSync(planFile!, 'utf8')) as { carers: string[]; slots: Record<string, number>; gapMs: number };
const perSecond = Number(rate);
const thinkMs = Number(think);
const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity });
const pages: number[] = [];
const posts: number[] = [];
const errors: string[] = [];
let booked = 0;
let lostRaces = 0;
let gaveUp = 0;
let lastAnswer = 0;
/** When each successful submit would have been due with instant answers, and how many appointments it booked: the schedule's own ceiling. */
const bookedDue: { due: number; appointments: number }[] = [];
/** The slowest page and submit due in each half second of the run: where a queue built up. */
const slowestPage: number[] = [];
const slowestPost: number[] = [];

type Page = { csrf: string; selects: { name: string; options: string[] }[] };

/** The CSRF token and each teacher's free times (a list, or after a lost race the nearest times as radios), read with indexOf: the load process shares the server's two cores, so it reads the page as cheaply as it can. */
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
  // A lost race (409): each teacher whose time was taken offers the nearest free times as radios (the
  // full list beside them is named other_…); a carer takes one of the nearest times.
  const radios = new Map<string, string[]>();
  for (let at = html.indexOf('<input class="govuk-radios__input"'); at >= 0; at = html.indexOf('<input class="govuk-radios__input"', at + 1)) {
    const end = html.indexOf('>', at);
    const name = between(at, 'name="', '"');
    const value = between(at, 'value="', '"');
    if (!name || !value || name[1] > end || value[1] > end || !name[0].startsWith('slot_') || plan.slots[value[0]] === undefined) continue;
    radios.set(name[0], [...(radios.get(name[0]) ?? []), value[0]]);
  }
  for (const [name, options] of radios) selects.push({ name, options });
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

const load = openModel(perSecond);
const { until, half } = load;
const thinking = () => thinkMs * (0.5 + Math.random());

async function carer(cookie: string, due: number): Promise<void> {
  await load.arrive(due);
  let page = await send(agent, pageUrl!, 'GET', cookie);
  const pageMs = performance.now() - due;
  pages.push(pageMs);
  slowestPage[half(due)] = Math.max(slowestPage[half(due)] ?? 0, Math.round(pageMs));
  if (page.status !== 200) throw new Error(`booking page answered ${page.status}`);
  /** When this carer's submit would be due had every answer come at once: arrival plus thinking. */
  let instantDue = due;
  for (let attempt = 0; attempt < 6; attempt++) {
    const read = readPage(page.html);
    if (read.selects.length === 0) return; // nothing left to book
    const chosen = choose(read);
    if (!chosen) {
      gaveUp++;
      return;
    }
    const thought = thinking();
    instantDue += thought;
    const postDue = performance.now() + thought;
    await until(postDue);
    const body = new URLSearchParams({ _csrf: read.csrf, ...chosen }).toString();
    const res = await send(agent, pageUrl!, 'POST', cookie, body);
    const took = performance.now() - postDue;
    posts.push(took);
    slowestPost[half(postDue)] = Math.max(slowestPost[half(postDue)] ?? 0, Math.round(took));
    if (res.status === 303) {
      booked++;
      bookedDue.push({ due: instantDue, appointments: Object.keys(chosen).length });
      return;
    }
    if (res.status !== 409) throw new Error(`booking answered ${res.status}: ${res.html.slice(0, 200)}`);
    lostRaces++;
    page = res;
  }
  gaveUp++;
}

async function oneCarer(cookie: string, due: number): Promise<void> {
  try {
    await carer(cookie, due);
  } catch (error) {
    errors.push(String(error));
  } finally {
    lastAnswer = Date.now();
  }
}

/**
 * Bookings a second "from the first commit to the last" if the server answered every submit the moment
 * it was due: the carers' arrivals and thinking spread the submits over a window longer than the
 * arrivals, so this schedule cannot show more than this, however fast the server.
 */
function scheduleCeiling(): number {
  if (bookedDue.length < 2) return 0;
  const dues = bookedDue.map((b) => b.due);
  const appointments = bookedDue.reduce((n, b) => n + b.appointments, 0);
  return Math.round(appointments / ((Math.max(...dues) - Math.min(...dues)) / 1000));
}

await load.run(plan.carers, oneCarer);
const figures = load.figures();
const q = quantile;
process.stdout.write(
  JSON.stringify({
    ...figures,
    carers: plan.carers.length,
    pages: pages.length,
    pageP50: q(pages, 0.5),
    pageP99: q(pages, 0.99),
    pageMax: q(pages, 1),
    posts: posts.length,
    postP50: q(posts, 0.5),
    postP99: q(posts, 0.99),
    postMax: q(posts, 1),
    booked,
    lostRaces,
    gaveUp,
    errors,
    lastAnswer,
    scheduleCeilingPerS: scheduleCeiling(),
    slowestPage: Array.from(slowestPage, (ms) => ms ?? 0),
    slowestPost: Array.from(slowestPost, (ms) => ms ?? 0),
  }) + '\n',
);
agent.destroy();

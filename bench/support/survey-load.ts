/**
 * The carers answering a survey, as a separate process (open model):
 *   tsx bench/support/survey-load.ts BASE_URL PLAN_JSON CARERS_PER_SECOND THINK_MS
 * PLAN_JSON: { tokens: string[], questions: { id, kind, options }[] }. Carer i is due to arrive at
 * i / CARERS_PER_SECOND seconds, whatever the server is doing. Each opens their own link
 * (/s/<token>: a real GET, which sets the signed-out CSRF cookie and puts its token in the form),
 * takes THINK_MS (half to one and a half times, at random) to answer, and submits every question
 * (a choice on the scale, a yes or no, an option or two, a few words) in one POST; the server
 * answers 303 back to the thank-you page.
 * Every latency is timed from when the request was DUE (its intended send time), not from when this
 * process managed to send it (wrk2 / HdrHistogram's correction for coordinated omission): the page
 * from the carer's arrival time, the submit from the moment the carer finished answering. The arrival
 * rate actually achieved is measured from the real send times and printed beside the one asked for.
 * Prints one JSON line.
 */
import fs from 'node:fs';
import http from 'node:http';

type PlanQuestion = { id: string; kind: string; options: number };
const [baseUrl, planFile, rate, think] = process.argv.slice(2);
const plan = JSON.parse(fs.readFileSync(planFile!, 'utf8')) as { tokens: string[]; questions: PlanQuestion[] };
const perSecond = Number(rate);
const thinkMs = Number(think);
const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity });
const pages: number[] = [];
const posts: number[] = [];
const errors: string[] = [];
let answered = 0;
let firstSubmit = Infinity;
let lastAnswer = 0;
const slowestPost: number[] = [];
const SCALE = ['strongly_agree', 'agree', 'agree', 'disagree', 'strongly_disagree', 'dont_know'];
const WORDS = ['More clubs after school, please.', 'The newsletter is easy to read.', 'Parking at the gate is hard.', 'Thank you to Year 3.'];

function send(method: 'GET' | 'POST', path: string, cookie: string, body?: string): Promise<{ status: number; html: string; cookie: string | null }> {
  return new Promise((resolve, reject) => {
    const headers: http.OutgoingHttpHeaders = cookie ? { cookie } : {};
    if (body) Object.assign(headers, { 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(body) });
    const req = http.request(`${baseUrl}${path}`, { method, agent, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const set = res.headers['set-cookie']?.find((c) => c.includes('csrf='));
        resolve({ status: res.statusCode ?? 0, html: Buffer.concat(chunks).toString('utf8'), cookie: set ? set.split(';')[0]! : null });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** One carer's answers: every question answered (a fifth of the short answers left empty, as people do). */
function answers(csrf: string): string {
  const pairs: [string, string][] = [['_csrf', csrf]];
  for (const q of plan.questions) {
    const field = `q_${q.id}`;
    if (q.kind === 'agree') pairs.push([field, SCALE[Math.floor(Math.random() * SCALE.length)]!]);
    else if (q.kind === 'yes_no') pairs.push([field, Math.random() < 0.8 ? 'yes' : 'no']);
    else if (q.kind === 'single') pairs.push([field, String(Math.floor(Math.random() * q.options))]);
    else if (q.kind === 'multiple') for (const i of new Set([0, Math.floor(Math.random() * q.options)])) pairs.push([field, String(i)]);
    else if (Math.random() < 0.8) pairs.push([field, WORDS[Math.floor(Math.random() * WORDS.length)]!]);
  }
  return new URLSearchParams(pairs).toString();
}

const started = performance.now();
const cpuAtStart = process.cpuUsage();
const sentAt: number[] = [];
let latestSend = 0;
const until = (due: number) => new Promise<void>((r) => setTimeout(r, Math.max(0, due - performance.now())));
const half = (t: number) => Math.floor((t - started) / 500);

async function carer(token: string, due: number): Promise<void> {
  await until(due);
  const sent = performance.now();
  sentAt.push(sent);
  latestSend = Math.max(latestSend, sent - due);
  const page = await send('GET', `/s/${token}`, '');
  pages.push(performance.now() - due);
  if (page.status !== 200) throw new Error(`survey page answered ${page.status}`);
  const at = page.html.indexOf('name="_csrf" value="');
  const csrf = at < 0 ? '' : page.html.slice(at + 20, page.html.indexOf('"', at + 20));
  if (!csrf || !page.cookie) throw new Error('the survey page gave no CSRF token');
  const postDue = performance.now() + thinkMs * (0.5 + Math.random());
  await until(postDue);
  firstSubmit = Math.min(firstSubmit, performance.now());
  const res = await send('POST', `/s/${token}`, page.cookie, answers(csrf));
  const took = performance.now() - postDue;
  posts.push(took);
  slowestPost[half(postDue)] = Math.max(slowestPost[half(postDue)] ?? 0, Math.round(took));
  if (res.status !== 303) throw new Error(`submit answered ${res.status}: ${res.html.slice(0, 200)}`);
  answered++;
  lastAnswer = performance.now();
}

await Promise.all(
  plan.tokens.map((token, i) =>
    carer(token, started + (i * 1000) / perSecond).catch((error: unknown) => {
      errors.push(String(error));
    }),
  ),
);
const seconds = (performance.now() - started) / 1000;
const cpu = process.cpuUsage(cpuAtStart);
sentAt.sort((x, y) => x - y);
const arrivalSeconds = (sentAt[sentAt.length - 1]! - sentAt[0]!) / 1000;
const q = (list: number[], p: number) => {
  const sorted = [...list].sort((x, y) => x - y);
  return Math.round(sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0);
};
process.stdout.write(
  JSON.stringify({
    seconds,
    carers: plan.tokens.length,
    offeredCarersPerS: perSecond,
    achievedCarersPerS: arrivalSeconds > 0 ? (sentAt.length - 1) / arrivalSeconds : 0,
    latestSendMs: Math.round(latestSend),
    pages: pages.length,
    pageP50: q(pages, 0.5),
    pageP99: q(pages, 0.99),
    posts: posts.length,
    postP50: q(posts, 0.5),
    postP99: q(posts, 0.99),
    postMax: q(posts, 1),
    answered,
    /** Responses stored a second, from the first submit sent to the last one answered. */
    answeredPerS: lastAnswer > firstSubmit ? answered / ((lastAnswer - firstSubmit) / 1000) : 0,
    errors,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    slowestPost: Array.from(slowestPost, (ms) => ms ?? 0),
  }) + '\n',
);
agent.destroy();

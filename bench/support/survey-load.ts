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
import { openModel, quantile, send } from './open-model.ts';

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

const load = openModel(perSecond);
const { until, half } = load;

async function carer(token: string, due: number): Promise<void> {
  await load.arrive(due);
  const page = await send(agent, `${baseUrl}/s/${token}`, 'GET', '');
  pages.push(performance.now() - due);
  if (page.status !== 200) throw new Error(`survey page answered ${page.status}`);
  const at = page.html.indexOf('name="_csrf" value="');
  const csrf = at < 0 ? '' : page.html.slice(at + 20, page.html.indexOf('"', at + 20));
  const cookie = page.setCookie.find((c) => c.includes('csrf='))?.split(';')[0];
  if (!csrf || !cookie) throw new Error('the survey page gave no CSRF token');
  const postDue = performance.now() + thinkMs * (0.5 + Math.random());
  await until(postDue);
  firstSubmit = Math.min(firstSubmit, performance.now());
  const res = await send(agent, `${baseUrl}/s/${token}`, 'POST', cookie, answers(csrf));
  const took = performance.now() - postDue;
  posts.push(took);
  slowestPost[half(postDue)] = Math.max(slowestPost[half(postDue)] ?? 0, Math.round(took));
  if (res.status !== 303) throw new Error(`submit answered ${res.status}: ${res.html.slice(0, 200)}`);
  answered++;
  lastAnswer = performance.now();
}

await load.run(plan.tokens, (token, due) =>
  carer(token, due).catch((error: unknown) => {
    errors.push(String(error));
  }),
);
const figures = load.figures();
const q = quantile;
process.stdout.write(
  JSON.stringify({
    ...figures,
    carers: plan.tokens.length,
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
    slowestPost: Array.from(slowestPost, (ms) => ms ?? 0),
  }) + '\n',
);
agent.destroy();

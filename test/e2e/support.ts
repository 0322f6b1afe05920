/**
 * End-to-end support: the app as a real HTTP server on a fresh database with the fixture school, a
 * real SMTP sink, Debian's Chromium driven by playwright-core, and axe run on every page a test sees.
 *
 * Pages are opened through a `Tab`, whose every way of moving to another page (visit, click, navigate)
 * waits for the new document and runs axe on it; `tab.done()` then proves that no page went unchecked.
 * A document identical to one that already passed (but for ids and tokens) is not checked twice in
 * one run of the tests; E2E_AXE_ALWAYS=1 checks every time, E2E_TIMING=1 prints how long axe takes.
 */
import { ENGLISH_COOKIE } from '../../src/platform/i18n/plugin.ts';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { createHash } from 'node:crypto';
import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import net, { type AddressInfo } from 'node:net';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Locator, type Page, type Response } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';
import { buildApp, type App } from '../../src/app.ts';
import { readConfig } from '../../src/config.ts';
import type { Db, Dialect } from '../../src/db/database.ts';
import { loadDemoSchool, type DemoSummary } from '../../src/demo/demo-school.ts';
import { createMailer } from '../../src/platform/channels/email.ts';
import { startSmtpSink, type ReceivedEmail, type SmtpSink } from '../../src/platform/channels/smtp-sink.ts';
import { emailDelivery } from '../../src/platform/channels/deliver.ts';
import { startOutboxWorker } from '../../src/platform/outbox/worker.ts';
import { dialects, openTestDb, type TestDb } from '../support/db.ts';
import { FIXTURE_PASSWORD, makeFixture, type Fixture } from '../support/fixture.ts';

export { FIXTURE_PASSWORD };

const root = path.resolve(import.meta.dirname, '../..');

/** The stylesheet and scripts are built, not committed: build them once if they are missing. */
export async function ensureAssets(): Promise<void> {
  if (fs.existsSync(path.join(root, 'public/build/app.css')) && fs.existsSync(path.join(root, 'public/build/app.js'))) return;
  const { execFileSync } = await import('node:child_process');
  execFileSync(process.execPath, ['--import', 'tsx', path.join(root, 'scripts/build-assets.ts')], { cwd: root, stdio: 'inherit' });
}

// ---------------------------------------------------------------------------------------------
// The server

export type E2EServer<S = Fixture> = TestDb & {
  /** The server's real address, e.g. http://127.0.0.1:41234 (no trailing slash). */
  url: string;
  app: App;
  /** What the database was filled with: the fixture school, or the demo school's summary. */
  fx: S;
  sink: SmtpSink;
  /** The next email to this address that arrives after `since` (an index into sink.messages). */
  nextEmail(to: string, since: number, timeoutMs?: number): Promise<ReceivedEmail>;
  close(): Promise<void>;
};

/**
 * The database a browser journey runs on. The data layer is proven on both databases by the route and
 * query tests; a browser journey proves the pages, and running each one twice cost minutes of every
 * test run. So each journey names one database, and the journeys between them use both (PostgreSQL
 * only when it is up: under CI=true it always is). A journey a feature must show on both databases
 * uses `dialects` itself.
 */
export function journeyOn(dialect: Dialect): Dialect[] {
  return dialects.includes(dialect) ? [dialect] : ['sqlite'];
}

/**
 * Mirrors test/support/app.ts's startTestApp (fixture, SMTP sink, outbox worker), but listens on a real port on loopback and leaves
 * BASE_URL unset, so links in emails are built, as on a developer's machine, from HOST and PORT: the address the browser uses.
 */
export async function startServer(dialect: Dialect): Promise<E2EServer> {
  return serve(dialect, makeFixture);
}

/**
 * The same server on a fresh database with the demo school in it (src/demo/demo-school.ts): data for
 * every feature, and the demo people sign in with DEMO_PASSWORD or an emailed link. For the screenshots.
 */
export async function startDemoServer(dialect: Dialect): Promise<E2EServer<DemoSummary>> {
  return serve(dialect, (db) => loadDemoSchool(db));
}

async function serve<S>(dialect: Dialect, seed: (db: Db) => Promise<S>): Promise<E2EServer<S>> {
  await ensureAssets();
  const opened = await openTestDb(dialect);
  const fx = await seed(opened.db);
  const arrived = new EventEmitter();
  const sink = await startSmtpSink(0, (m) => arrived.emit('message', m));
  const port = await freePort();
  const config = readConfig({ NODE_ENV: 'test', SMTP_URL: sink.url, HOST: '127.0.0.1', PORT: String(port) });
  const mailer = createMailer(sink.url, config.mailFrom);
  const worker = startOutboxWorker({ db: opened.db, clock: () => new Date(), deliver: { email: emailDelivery(mailer) }, idleMs: 200 });
  const app = await buildApp({ db: opened.db, dialect, config, mailer, logger: false, pokeOutbox: worker.poke });
  await app.listen({ host: '127.0.0.1', port });

  return {
    ...opened,
    url: `http://127.0.0.1:${port}`,
    app,
    fx,
    sink,
    nextEmail(to, since, timeoutMs = 10_000) {
      const want = to.toLowerCase();
      const found = sink.messages.slice(since).find((m) => m.to.includes(want));
      if (found) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        const listener = (m: ReceivedEmail) => {
          if (!m.to.includes(want)) return;
          clearTimeout(timer);
          arrived.off('message', listener);
          resolve(m);
        };
        const timer = setTimeout(() => {
          arrived.off('message', listener);
          reject(new Error(`No email reached ${to} within ${timeoutMs} ms`));
        }, timeoutMs);
        arrived.on('message', listener);
      });
    },
    async close() {
      await worker.stop();
      await app.close();
      mailer.close();
      await sink.close();
      await opened.close();
    },
  };
}

/** A port nothing listens on just now (links are built from PORT, so it is chosen before the app is built). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

// ---------------------------------------------------------------------------------------------
// The browser

/** For each end-to-end test: a browser journey with axe on every page takes longer than a unit test. */
export const E2E_TIMEOUT = 60_000;

export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-sync'];

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
}

// ---------------------------------------------------------------------------------------------
// Accessibility

export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

export type Violation = { id: string; impact: string | null; help: string; helpUrl: string; targets: string[] };

/** Runs axe on the page as it is now and returns what it found (empty when the page passes). */
export async function axeViolations(page: Page): Promise<Violation[]> {
  const results = await new AxeBuilder({ page }).withTags(AXE_TAGS).setLegacyMode(true).analyze();
  return results.violations.map((v) => ({
    id: v.id,
    impact: v.impact ?? null,
    help: v.help,
    helpUrl: v.helpUrl,
    targets: v.nodes.map((n) => `${n.target.join(' ')}${n.failureSummary ? `\n        ${n.failureSummary.replace(/\n/g, '\n        ')}` : ''}`),
  }));
}

export function describeViolations(where: string, violations: Violation[]): string {
  const lines = violations.map((v) => `  • ${v.id} (${v.impact ?? 'no impact given'}): ${v.help}\n    ${v.helpUrl}\n${v.targets.map((t) => `      - ${t}`).join('\n')}`);
  return `axe found ${violations.length} accessibility problem(s) on ${where}:\n${lines.join('\n')}`;
}

/** Fails with a readable list of every WCAG 2.2 A/AA violation axe finds on the page as it is now. */
export async function check(page: Page): Promise<void> {
  const started = Date.now();
  const violations = await axeViolations(page);
  if (process.env.E2E_TIMING) console.log(`axe ${Date.now() - started} ms on ${page.url()}`);
  if (violations.length > 0) {
    const title = await page.title().catch(() => '');
    throw new Error(describeViolations(`${new URL(page.url()).pathname} (“${title}”)`, violations));
  }
}

/** Documents that passed axe in this process, by documentKey. Set E2E_AXE_ALWAYS=1 to check every time regardless. */
const passed = new Set<string>();

/**
 * Documents that passed axe in any test file of this run (one empty file each, named by documentKey):
 * the same sign-in page or home page, at the same size, is not checked again in the next file.
 * Outside a whole run (no GATEPOST_TEST_RUN from global setup), only this file's count.
 */
const passedInRun = process.env.GATEPOST_TEST_RUN ? path.join(os.tmpdir(), `gatepost-axe-${process.env.GATEPOST_TEST_RUN}`) : undefined;

function passedBefore(key: string): boolean {
  if (passed.has(key)) return true;
  if (passedInRun && fs.existsSync(path.join(passedInRun, key))) {
    passed.add(key);
    return true;
  }
  return false;
}

function markPassed(key: string): void {
  passed.add(key);
  if (!passedInRun) return;
  fs.mkdirSync(passedInRun, { recursive: true });
  fs.writeFileSync(path.join(passedInRun, key), '');
}

/**
 * What axe sees, less what differs between two runs of the same journey: record ids, CSRF and
 * sign-in tokens, the server's port. Pages that differ in anything else are checked again.
 */
async function documentKey(page: Page, jsOff: boolean): Promise<string> {
  if (process.env.E2E_AXE_ALWAYS) return `${Math.random()}`;
  const html = (await page.content())
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}(\.[A-Za-z0-9_-]+)?/g, 'ID')
    .replace(/name="_csrf" value="[^"]*"/g, 'name="_csrf" value="CSRF"')
    .replace(/127\.0\.0\.1:\d+/g, 'HOST');
  const size = page.viewportSize();
  return createHash('sha256').update(`${size?.width}x${size?.height} js:${!jsOff}\n${html}`).digest('hex');
}

// ---------------------------------------------------------------------------------------------
// Tabs: navigation that always ends in an accessibility check

export type Tab = {
  page: Page;
  context: BrowserContext;
  /** The HTTP status of the document now shown. */
  status(): number | undefined;
  /** Go to a path (or absolute URL), wait for it to load, and check it with axe. */
  visit(url: string): Promise<Response | null>;
  /** Do something that loads a new document (click a link, press a button), wait for it, and check it. */
  navigate(action: () => Promise<unknown>): Promise<void>;
  /** Click a link or button that loads a new page, then check that page. */
  click(target: Locator): Promise<void>;
  /** The visible text of <main>. */
  mainText(): Promise<string>;
  /** Fails if any page this tab loaded was not checked with axe. */
  done(): Promise<void>;
  close(): Promise<void>;
};

/**
 * A new browser context and page on the app. Every page it loads is checked with axe; violations fail
 * the test, or with `onViolations` (the screenshot script) are handed over instead.
 */
export async function openTab(browser: Browser, baseURL: string, options: BrowserContextOptions = {}, onViolations?: (where: string, violations: Violation[]) => void): Promise<Tab> {
  const context = await browser.newContext({ baseURL, locale: 'en-GB', timezoneId: 'Europe/London', ...options });
  context.setDefaultTimeout(10_000);
  context.setDefaultNavigationTimeout(10_000);
  const page = await context.newPage();

  let loads = 0;
  let checked = 0;
  let lastStatus: number | undefined;
  let lastType = '';
  const unchecked: string[] = [];
  const jsOff = options.javaScriptEnabled === false;
  page.on('framenavigated', (frame) => {
    if (frame === page.mainFrame()) loads += 1;
  });
  page.on('response', (response) => {
    if (response.request().isNavigationRequest() && response.frame() === page.mainFrame() && !(response.status() >= 300 && response.status() < 400)) {
      lastStatus = response.status();
      lastType = response.headers()['content-type'] ?? '';
    }
  });

  async function checkPage(target: Page) {
    // The same document (but for ids and tokens) at the same size was checked already: axe would
    // find the same again. Each journey runs on two databases, so this halves the time axe takes.
    const key = await documentKey(target, jsOff);
    if (passedBefore(key)) return;
    if (onViolations) {
      const violations = await axeViolations(target);
      if (violations.length > 0) onViolations(new URL(target.url()).pathname, violations);
      else markPassed(key);
      return;
    }
    await check(target);
    markPassed(key);
  }

  // With JavaScript off the page's timers never run, and axe needs them: check a copy of the same
  // document in a page of its own with JavaScript on for axe but the app's own scripts blocked.
  let mirror: { context: BrowserContext; page: Page; shown: { url: string; html: string } } | undefined;
  async function checkCopy() {
    const shown = { url: page.url(), html: await page.content() };
    if (!mirror) {
      const mirrorContext = await browser.newContext({ baseURL, locale: 'en-GB', timezoneId: 'Europe/London', ...(options.viewport !== undefined ? { viewport: options.viewport } : {}) });
      const copy = await mirrorContext.newPage();
      const state = { context: mirrorContext, page: copy, shown };
      await copy.route('**/*', (route) => {
        const request = route.request();
        if (request.isNavigationRequest() && request.url() === state.shown.url) return route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: state.shown.html });
        if (request.resourceType() === 'script') return route.abort();
        return route.continue();
      });
      mirror = state;
    }
    mirror.shown = shown;
    await mirror.page.goto(shown.url, { waitUntil: 'load' });
    await checkPage(mirror.page);
  }

  async function checkNow() {
    await page.waitForLoadState('load');
    if (!lastType.startsWith('text/html')) {
      const body = (
        await page
          .locator('body')
          .innerText()
          .catch(() => '')
      ).slice(0, 300);
      const problem = `answered HTTP ${lastStatus} with ${lastType || 'no content type'}, not a web page: ${body}`;
      if (!onViolations) throw new Error(`${new URL(page.url()).pathname} ${problem}`);
      onViolations(new URL(page.url()).pathname, [{ id: 'not-a-web-page', impact: null, help: problem, helpUrl: '', targets: [] }]);
      checked = loads;
      return;
    }
    const before = loads;
    if (jsOff) await checkCopy();
    else await checkPage(page);
    if (loads !== before) throw new Error(`The page changed while axe was checking it (now ${page.url()})`);
    checked = loads;
  }

  const tab: Tab = {
    page,
    context,
    status: () => lastStatus,
    async visit(url) {
      const response = await page.goto(url, { waitUntil: 'load' });
      await checkNow();
      return response;
    },
    async navigate(action) {
      const before = loads;
      const navigated = page.waitForEvent('framenavigated', { predicate: (frame) => frame === page.mainFrame() });
      await action();
      await navigated;
      if (loads === before) throw new Error('Expected a new page to load');
      await checkNow();
    },
    async click(target) {
      await tab.navigate(() => target.click());
    },
    async mainText() {
      return page.locator('main').innerText();
    },
    async done() {
      if (checked !== loads) unchecked.push(page.url());
      if (unchecked.length > 0) throw new Error(`These pages were loaded but not checked with axe: ${unchecked.join(', ')}`);
    },
    async close() {
      await context.close();
      await mirror?.context.close();
    },
  };
  return tab;
}

// ---------------------------------------------------------------------------------------------
// Signing in, the way people do it

/** Staff (or a carer with a password) sign in with email and password at /sign-in. */
export async function signInWithPassword(tab: Tab, email: string, password = FIXTURE_PASSWORD): Promise<void> {
  await tab.visit('/sign-in');
  const form = tab.page.locator('form[action="/sign-in"]');
  await form.getByLabel('Email address').fill(email);
  await form.getByLabel('Password', { exact: true }).fill(password);
  await tab.click(form.getByRole('button', { name: 'Sign in', exact: true }));
}

/** A carer asks for a link, reads the email from the SMTP sink and returns the link in it. */
export async function requestSignInLink(tab: Tab, server: E2EServer<unknown>, email: string): Promise<string> {
  const since = server.sink.messages.length;
  await tab.visit('/sign-in/link');
  await tab.page.getByLabel('Email address').fill(email);
  await tab.click(tab.page.getByRole('button', { name: 'Send me a link' }));
  await tab.page.getByRole('heading', { level: 1, name: 'Check your email' }).waitFor();
  // The first email with a link: a letter the outbox was still sending to them may arrive before it.
  for (let from = since; ;) {
    const message = await server.nextEmail(email, from);
    const link = /https?:\/\/\S+\/sign-in\/link\/[A-Za-z0-9._~-]+/.exec(message.text)?.[0];
    if (link) return link;
    from = server.sink.messages.indexOf(message) + 1;
  }
}

/** Opens the emailed link and presses Sign in (in whatever language the page asks: "Zaloguj się" for Marta). */
export async function redeemSignInLink(tab: Tab, link: string): Promise<void> {
  await tab.visit(link);
  await tab.click(tab.page.locator('main form').getByRole('button'));
}

/**
 * A carer signs in by an emailed link. Their pages are then in English, as if they had pressed
 * "English" on this device, unless `ownLanguage`: then in the language the school recorded for them.
 */
export async function signInByEmailLink(tab: Tab, server: E2EServer<unknown>, email: string, { ownLanguage = false } = {}): Promise<string> {
  if (!ownLanguage) await tab.page.context().addCookies([{ name: ENGLISH_COOKIE, value: '1', url: server.url }]);
  const link = await requestSignInLink(tab, server, email);
  await redeemSignInLink(tab, link);
  return link;
}

/**
 * How wide the document is against the window, and the outermost elements that stick out past its
 * right edge. (A string, not a function: tsx's keepNames helpers do not exist inside the page.)
 */
const OVERFLOW_PROBE = `(() => {
  const doc = document.documentElement;
  const width = doc.clientWidth;
  const sticksOut = (el) => { const box = el.getBoundingClientRect(); return box.width > 0 && box.right > width + 0.5; };
  // Inside a box that scrolls sideways (a wide table in its wrapper) and itself fits: not a problem.
  const scrollsWithin = (el) => {
    for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
      if (['auto', 'scroll', 'hidden'].includes(getComputedStyle(p).overflowX) && !sticksOut(p)) return true;
    }
    return false;
  };
  const culprits = [];
  for (const el of Array.from(document.querySelectorAll('body *'))) {
    if (!sticksOut(el) || scrollsWithin(el) || (el.parentElement && el.parentElement !== document.body && sticksOut(el.parentElement))) continue;
    const id = el.id ? '#' + el.id : '';
    const cls = typeof el.className === 'string' && el.className.trim() ? '.' + el.className.trim().split(/\\s+/).join('.') : '';
    const text = (el.innerText || '').replace(/\\s+/g, ' ').slice(0, 60);
    culprits.push(el.tagName.toLowerCase() + id + cls + ' reaches ' + Math.round(el.getBoundingClientRect().right) + 'px: "' + text + '"');
  }
  return { scrollWidth: doc.scrollWidth, clientWidth: width, culprits: culprits.slice(0, 10) };
})()`;

export async function horizontalOverflow(page: Page): Promise<{ scrollWidth: number; clientWidth: number; culprits: string[] }> {
  return page.evaluate(OVERFLOW_PROBE) as Promise<{ scrollWidth: number; clientWidth: number; culprits: string[] }>;
}

// ---------------------------------------------------------------------------------------------
// The shape every journey file shares

/** One browser for the whole test file. Call at the top level of the file. */
export function useBrowser(): () => Browser {
  let browser: Browser | undefined;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });
  return () => browser!;
}

/**
 * A server on one database for a describe block, and tabs that are checked (every page they loaded
 * passed axe) and closed after each test. Call inside `describe.each(journeyOn(…))`.
 */
export function useJourney(dialect: Dialect, browser: () => Browser): { readonly server: E2EServer; newTab(options?: BrowserContextOptions): Promise<Tab> } {
  let server: E2EServer | undefined;
  const tabs: Tab[] = [];
  beforeAll(async () => {
    server = await startServer(dialect);
  });
  afterEach(async (ctx) => {
    const open = tabs.splice(0);
    try {
      if (ctx.task.result?.state !== 'fail' && !ctx.task.result?.errors?.length) for (const tab of open) await tab.done();
    } finally {
      for (const tab of open) await tab.close();
    }
  });
  afterAll(async () => {
    await server?.close();
  });
  return {
    get server() {
      return server!;
    },
    async newTab(options = {}) {
      const tab = await openTab(browser(), server!.url, options);
      tabs.push(tab);
      return tab;
    },
  };
}

/** Types a date (9/12/2026 or 2026-12-09) into the three boxes of the shared date input named `name`. */
export async function fillDate(scope: Pick<Page, 'locator'>, name: string, typed: string): Promise<void> {
  const iso = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(typed);
  const uk = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(typed);
  const [day, month, year] = iso ? [iso[3], iso[2], iso[1]] : uk ? [uk[1], uk[2], uk[3]] : [typed, '', ''];
  await scope.locator(`[name="${name}-day"]`).fill(day!);
  await scope.locator(`[name="${name}-month"]`).fill(month!);
  await scope.locator(`[name="${name}-year"]`).fill(year!);
}

/** The page is no wider than `width`; the failure names what sticks out. */
export async function expectPageFits(tab: Tab, width: number): Promise<void> {
  const { scrollWidth, culprits } = await horizontalOverflow(tab.page);
  expect(scrollWidth, `${new URL(tab.page.url()).pathname} is ${scrollWidth}px wide; sticking out:\n${culprits.join('\n')}`).toBeLessThanOrEqual(width);
}

/** Each table inside its scrolling box (gp-table-wrap, which horizontalOverflow does not look inside) fits that box: nothing to scroll sideways to. */
export async function expectTablesFit(tab: Tab): Promise<void> {
  const boxes = await tab.page.locator('main .gp-table-wrap').evaluateAll((els) => els.map((e) => ({ scroll: e.scrollWidth, client: e.clientWidth })));
  expect(boxes.length).toBeGreaterThan(0);
  for (const box of boxes) expect(box.scroll, `${new URL(tab.page.url()).pathname}: a table ${box.scroll}px wide in a ${box.client}px box`).toBeLessThanOrEqual(box.client);
}

/**
 * `npm run tour`: starts Gatepost as `npm start` does (a fresh SQLite file, the demo school loaded),
 * and walks every page each demo person can reach by following links from their home page, in
 * Debian's Chromium. Each page is checked with axe, measured for sideways scrolling at 320 px, and
 * photographed at phone (390 px) and desktop (1280 px) widths into screenshots/tour/. At most two
 * pages of each shape (the same path but for record ids) are visited per person. Prints what it
 * found; the pictures are for a person to look at. TOUR_ONLY=head,marta limits the people, TOUR_PAGES the
 * pages each, TOUR_START the pages a walk begins from, TOUR_WITHIN the paths it follows, and TOUR_OUT the
 * folder under screenshots/.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { openDatabase } from '../../src/db/database.ts';
import { createSession } from '../../src/platform/auth/sessions.ts';
import { describeViolations, horizontalOverflow, launchBrowser, openTab, type Violation } from './support.ts';

const root = path.resolve(import.meta.dirname, '../..');
const outDir = path.join(root, 'screenshots', process.env.TOUR_OUT ?? 'tour');
const PAGES_PER_PERSON = Number(process.env.TOUR_PAGES ?? 60);
const ONLY = process.env.TOUR_ONLY?.split(',');
/** Where each person's walk begins (TOUR_START=/events,/volunteering): their home page unless told. */
const START = process.env.TOUR_START?.split(',') ?? ['/'];
/** Only links whose path matches TOUR_WITHIN (a regular expression) are followed, to look closely at a few features. */
const WITHIN = process.env.TOUR_WITHIN ? new RegExp(process.env.TOUR_WITHIN) : undefined;

const PEOPLE: { label: string; kind: 'staff' | 'carer'; email?: string; name?: [string, string] }[] = [
  { label: 'head', kind: 'staff', email: 'patel@brookfield.example' },
  { label: 'teacher', kind: 'staff', email: 'okafor@brookfield.example' },
  { label: 'office', kind: 'staff', email: 'byrne@brookfield.example' },
  { label: 'dsl', kind: 'staff', email: 'adeyemi@brookfield.example' },
  { label: 'senco', kind: 'staff', email: 'hughes@brookfield.example' },
  { label: 'flo', kind: 'staff', email: 'lewis@brookfield.example' },
  { label: 'governor', kind: 'staff', email: 'shah@brookfield.example' },
  { label: 'marta', kind: 'carer', email: 'marta.nowak@families.example' },
  { label: 'shabana-urdu', kind: 'carer', email: 'shabana.hussain@families.example' },
  { label: 'faduma', kind: 'carer', name: ['Faduma', 'Warsame'] },
  { label: 'ryan-restricted', kind: 'carer', email: 'ryan.brennan@mail.example' },
];

/** A page's shape: its path with record ids (and numbers) replaced, so 200 pupils count as one page. */
const shapeOf = (url: URL) => url.pathname.replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, ':id').replace(/\/\d+(?=\/|$)/g, '/:n');
/** Not followed: signing out, downloads, and the language switch (so a carer is seen in their own language). */
const SKIP = /sign-out|\/language$|\.ics$|\.csv$|\.pdf$|\/download|\/export|\/files\/|\/print|\/letters?\/.*\.html$|\/assets\//;

async function main(): Promise<void> {
  fs.rmSync(outDir, { recursive: true, force: true });
  fs.mkdirSync(outDir, { recursive: true });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatepost-tour-'));
  const dbFile = path.join(dir, 'gatepost.db');
  const port = await freePort();
  const log = path.join(dir, 'server.log');
  const out = fs.openSync(log, 'w');
  const server = spawn(path.join(root, 'node_modules/.bin/tsx'), ['src/main.ts'], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp', HOST: '127.0.0.1', PORT: String(port), SQLITE_PATH: dbFile },
    stdio: ['ignore', out, out],
    detached: true,
  });
  const findings: string[] = [];
  try {
    const started = Date.now();
    while (!fs.readFileSync(log, 'utf8').includes('Gatepost is running at')) {
      if (Date.now() - started > 120_000) throw new Error(`Gatepost did not start:\n${fs.readFileSync(log, 'utf8').slice(-2000)}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    const baseURL = `http://127.0.0.1:${port}`;
    const { db, close } = openDatabase({ kind: 'sqlite', path: dbFile });
    const browser = await launchBrowser();
    let shots = 0;
    for (const person of PEOPLE.filter((p) => !ONLY || ONLY.includes(p.label))) {
      const row =
        person.kind === 'staff'
          ? await db.selectFrom('staff').select(['id', 'school_id']).where('email', '=', person.email!).executeTakeFirstOrThrow()
          : await db
              .selectFrom('carers')
              .select(['id', 'school_id'])
              .$if(person.email !== undefined, (q) => q.where('email', '=', person.email!))
              .$if(person.name !== undefined, (q) => q.where('given_name', '=', person.name![0]).where('family_name', '=', person.name![1]))
              .executeTakeFirstOrThrow();
      const { token } = await createSession(db, { kind: person.kind, id: row.id, schoolId: row.school_id }, new Date());
      let current = '/';
      const tab = await openTab(browser, baseURL, { viewport: { width: 390, height: 844 }, locale: 'en-GB' }, (where, violations: Violation[]) =>
        findings.push(`${person.label} ${where}: ${describeViolations(current, violations)}`),
      );
      await tab.context.addCookies([{ name: 'gatepost', value: token, url: baseURL }]);
      const queue = [...START];
      const seen = new Set<string>(queue);
      const shapes = new Map<string, number>();
      let visited = 0;
      while (queue.length > 0 && visited < PAGES_PER_PERSON) {
        current = queue.shift()!;
        await tab.visit(current);
        visited += 1;
        const status = tab.status() ?? 0;
        if (status >= 400) findings.push(`${person.label} ${current}: HTTP ${status}`);
        for (const width of [320, 390]) {
          await tab.page.setViewportSize({ width, height: 844 });
          const { scrollWidth, clientWidth, culprits } = await horizontalOverflow(tab.page);
          if (scrollWidth > clientWidth) findings.push(`${person.label} ${current}: ${scrollWidth}px wide at ${clientWidth}px: ${culprits.slice(0, 3).join('; ')}`);
        }
        shots += 1;
        const name = `${person.label}-${String(visited).padStart(2, '0')}-${shapeOf(new URL(current, baseURL))
          .replace(/[^a-z0-9]+/gi, '_')
          .slice(0, 60)}`;
        for (const [size, width, height] of [
          ['phone', 390, 844],
          ['desktop', 1280, 900],
        ] as const) {
          await tab.page.setViewportSize({ width, height });
          // A long page on a busy machine can take a while; one that never comes is a finding, not the end of the tour.
          await tab.page
            .screenshot({ path: path.join(outDir, `${name}.${size}.png`), fullPage: true, animations: 'disabled', timeout: 60_000 })
            .catch((e: Error) => findings.push(`${person.label} ${current}: no ${size} screenshot (${e.message.split('\n')[0]})`));
        }
        await tab.page.setViewportSize({ width: 390, height: 844 });
        const links = await tab.page.$$eval('a[href]', (as) => as.map((a) => (a as HTMLAnchorElement).href));
        for (const link of links) {
          const url = new URL(link, baseURL);
          if (url.origin !== baseURL || SKIP.test(url.pathname) || (WITHIN && !WITHIN.test(url.pathname))) continue;
          const key = url.pathname + url.search;
          if (seen.has(key)) continue;
          seen.add(key);
          const shape = shapeOf(url);
          if ((shapes.get(shape) ?? 0) >= 2) continue;
          shapes.set(shape, (shapes.get(shape) ?? 0) + 1);
          queue.push(key);
        }
      }
      console.log(`${person.label}: ${visited} pages (${queue.length} more not visited)`);
      await tab.close();
    }
    await browser.close();
    await close();
    console.log(`\n${shots} pages photographed into ${path.relative(root, outDir)}/ at phone and desktop widths.`);
    console.log(findings.length === 0 ? 'Nothing found by axe, the 320 px check or HTTP status.' : `${findings.length} findings:\n${findings.join('\n')}`);
  } finally {
    process.kill(-server.pid!, 'SIGTERM');
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

await main();

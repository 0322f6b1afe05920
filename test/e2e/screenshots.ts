/**
 * `npm run screenshots`: starts Gatepost on a fresh SQLite database with the fixture school, signs in
 * as several people in Debian's Chromium and saves full-page PNGs of the main pages at phone
 * (390×844) and desktop (1280×900) widths into screenshots/. Also prints, for each page, anything axe
 * finds, anything that sticks out sideways at 320 or 390 pixels wide, and errors the browser logged (such as
 * Content-Security-Policy refusals) — things worth a look alongside the pictures.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { describeViolations, horizontalOverflow, launchBrowser, openTab, signInByEmailLink, signInWithPassword, startServer, type E2EServer, type Tab, type Violation, fillDate } from './support.ts';
import { openParentsEvening, typedDate } from './meetings-setup.ts';

const root = path.resolve(import.meta.dirname, '../..');
const outDir = path.join(root, 'screenshots');
const SIZES = [
  { name: 'phone', width: 390, height: 844 },
  { name: 'desktop', width: 1280, height: 900 },
] as const;

type Finding = { shot: string; kind: 'axe' | 'overflow' | 'console' | 'status'; text: string };
const findings: Finding[] = [];
const files: string[] = [];
let shotNumber = 0;

async function person(browser: Browser, server: E2EServer, label: string, signIn?: (tab: Tab) => Promise<unknown>): Promise<Tab> {
  let current = label;
  const tab = await openTab(browser, server.url, { viewport: { width: SIZES[0].width, height: SIZES[0].height } }, (where, violations: Violation[]) => {
    const notPage = violations.find((v) => v.id === 'not-a-web-page');
    if (notPage) findings.push({ shot: `${current} ${where}`, kind: 'status', text: notPage.help });
    else findings.push({ shot: `${current} ${where}`, kind: 'axe', text: describeViolations(where, violations) });
  });
  const where = () => `${current} ${new URL(tab.page.url()).pathname}`;
  tab.page.on('console', (message) => {
    // Failed loads are reported below with their address, which the console message lacks.
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) findings.push({ shot: where(), kind: 'console', text: message.text() });
  });
  tab.page.on('response', (response) => {
    if (response.status() >= 400 && !response.request().isNavigationRequest()) {
      findings.push({ shot: where(), kind: 'status', text: `${response.request().resourceType()} ${new URL(response.url()).pathname} answered HTTP ${response.status()}` });
    }
  });
  tab.page.on('pageerror', (error) => findings.push({ shot: where(), kind: 'console', text: String(error) }));
  if (signIn) await signIn(tab);
  current = label;
  return tab;
}

/** Screenshots of the page now shown, at each size. */
async function shoot(tab: Tab, name: string): Promise<void> {
  shotNumber += 1;
  const base = `${String(shotNumber).padStart(2, '0')}-${name}`;
  const status = tab.status();
  if (status !== undefined && status >= 400 && !name.includes('error')) findings.push({ shot: base, kind: 'status', text: `answered HTTP ${status}` });
  // WCAG 1.4.10 asks for no sideways scrolling at 320 CSS pixels: measured, not photographed.
  for (const width of [320, SIZES[0].width]) {
    await tab.page.setViewportSize({ width, height: SIZES[0].height });
    const { scrollWidth, clientWidth, culprits } = await horizontalOverflow(tab.page);
    if (scrollWidth > clientWidth) findings.push({ shot: base, kind: 'overflow', text: `${scrollWidth}px wide in a ${clientWidth}px window:\n    ${culprits.join('\n    ')}` });
  }
  for (const size of SIZES) {
    await tab.page.setViewportSize({ width: size.width, height: size.height });
    const file = path.join(outDir, `${base}.${size.name}.png`);
    await tab.page.screenshot({ path: file, fullPage: true, animations: 'disabled' });
    files.push(path.relative(root, file));
  }
  await tab.page.setViewportSize({ width: SIZES[0].width, height: SIZES[0].height });
}

async function main(): Promise<void> {
  fs.mkdirSync(outDir, { recursive: true });
  for (const old of fs.readdirSync(outDir)) if (old.endsWith('.png')) fs.rmSync(path.join(outDir, old));

  const server = await startServer('sqlite');
  const browser = await launchBrowser();
  const { pupils, carers } = server.fx;
  try {
    const anon = await person(browser, server, 'signed out');
    await anon.visit('/sign-in');
    await shoot(anon, 'sign-in');

    const head = await person(browser, server, 'head', (t) => signInWithPassword(t, 'patel@brookfield.test'));
    await shoot(head, 'staff-home-head');

    const teacher = await person(browser, server, 'teacher', (t) => signInWithPassword(t, 'okafor@brookfield.test'));
    await shoot(teacher, 'staff-home-teacher');

    await head.visit('/pupils');
    await shoot(head, 'pupils-list-head');

    await teacher.visit(`/pupils/${pupils.kuba}`);
    await shoot(teacher, 'pupil-kuba-teacher');

    await head.visit(`/pupils/${pupils.lily}`);
    await shoot(head, 'pupil-lily-restricted-head');

    const office = await person(browser, server, 'office', (t) => signInWithPassword(t, 'byrne@brookfield.test'));
    await office.visit(`/carers/${carers.marta}`);
    await shoot(office, 'carer-marta-office');

    await office.visit(`/pupils/${pupils.ola}/edit`);
    await office.page.getByLabel('First name').fill('');
    await fillDate(office.page, 'date_of_birth', '31/02/2099');
    await office.click(office.page.getByRole('button', { name: 'Save changes' }));
    await shoot(office, 'pupil-edit-with-errors');

    const marta = await person(browser, server, 'Marta', (t) => signInByEmailLink(t, server, 'marta@families.test'));
    await shoot(marta, 'carer-home-marta');

    await marta.visit(`/children/${pupils.kuba}`);
    await shoot(marta, 'child-kuba-marta');

    await office.visit(`/carers/${carers.faduma}`);
    await office.click(office.page.getByRole('button', { name: 'Make a sign-in letter' }));
    await shoot(office, 'sign-in-letter-faduma');
    // The letter is for printing: how it looks on paper (A4 is about 794 CSS pixels wide).
    await office.page.emulateMedia({ media: 'print' });
    await office.page.setViewportSize({ width: 794, height: 1123 });
    const printed = path.join(outDir, `${String(shotNumber).padStart(2, '0')}-sign-in-letter-faduma.print.png`);
    await office.page.screenshot({ path: printed, fullPage: true });
    files.push(path.relative(root, printed));
    await office.page.emulateMedia({ media: 'screen' });

    await office.visit('/import');
    await shoot(office, 'import-office');

    await head.visit('/audit');
    await shoot(head, 'audit-log-head');

    await teacher.visit(`/pupils/${pupils.leo}`);
    await shoot(teacher, 'not-found-error');

    // Messages: compose, preview with who is left out, praise, the carer's inbox and a letter.
    await teacher.visit('/messages/new');
    await teacher.page.getByLabel('Class learning newsletter').check();
    await teacher.page.getByRole('radio', { name: /^Classes/ }).check();
    await teacher.page.getByLabel('3 Okafor').check();
    await teacher.page.getByLabel('Subject', { exact: true }).fill('This week in 3 Okafor');
    await teacher.page
      .getByLabel('Message', { exact: true })
      .fill('This week we read The Iron Man. Please read with your child for ten minutes each evening. The INSET day is on Friday, so school is closed; KS2 SATs practice starts in the spring.');
    await shoot(teacher, 'message-compose-teacher');
    await teacher.click(teacher.page.getByRole('button', { name: 'Save and check who receives it' }));
    await shoot(teacher, 'message-preview-teacher');
    await teacher.click(teacher.page.getByRole('button', { name: 'Send now' }));
    await shoot(teacher, 'message-sent-reach-teacher');
    await teacher.visit('/praise');
    await shoot(teacher, 'praise-teacher');
    await marta.visit('/inbox');
    await shoot(marta, 'inbox-marta');
    await marta.click(marta.page.getByRole('link', { name: /This week in 3 Okafor/ }));
    await shoot(marta, 'message-read-marta');
    await marta.visit('/preferences');
    await shoot(marta, 'preferences-marta');

    // Parents’ evenings and meetings: the evening a leader sees, Marta booking with "Book for me",
    // Mr Okafor's schedule and the record of the meeting, and the summary as Marta reads it.
    const evening = await openParentsEvening(server.db, server.fx);
    await head.visit(`/evenings/${evening.id}`);
    await shoot(head, 'evening-overview-head');
    await marta.visit(`/parents-evenings/${evening.id}`);
    await shoot(marta, 'evening-booking-marta');
    await marta.click(marta.page.getByRole('button', { name: 'Book for me' }));
    await shoot(marta, 'book-for-me-marta');
    await marta.click(marta.page.getByRole('button', { name: 'Find times for me' }));
    await shoot(marta, 'held-times-marta');
    await marta.click(marta.page.getByRole('button', { name: 'Book these times' }));
    await shoot(marta, 'evening-booked-marta');
    await teacher.visit(`/evenings/${evening.id}/schedule`);
    await shoot(teacher, 'evening-schedule-teacher');
    // The office, when a parent rings: the carer's page links to the evening; and cancelling a time.
    await office.visit(`/carers/${server.fx.carers.marta}`);
    await shoot(office, 'carer-marta-office-evening');
    await teacher.click(teacher.page.locator('main tr', { hasText: 'Jakub' }).getByRole('link', { name: /^Cancel/ }));
    await shoot(teacher, 'evening-cancel-teacher');
    // The evening comes: Jakub's appointment with Mr Okafor began five minutes ago (a meeting is
    // recorded only once it has started; the server runs on the real clock, so the time is moved).
    const begun = Date.now() - 5 * 60_000;
    await server.db
      .updateTable('evening_bookings')
      .set({ starts_at: new Date(begun).toISOString(), ends_at: new Date(begun + 10 * 60_000).toISOString() })
      .where('evening_id', '=', evening.id)
      .where('staff_id', '=', server.fx.staff.teacher)
      .execute();
    await teacher.visit(`/evenings/${evening.id}/schedule`);
    const t = teacher.page;
    await teacher.click(t.locator('main tr', { hasText: 'Jakub' }).getByRole('button', { name: /^Record the meeting/ }));
    await t.getByLabel('Add a note').fill('Jakub reads confidently but rushes; spelling of common words is the next step.');
    await teacher.click(t.getByRole('button', { name: 'Save note' }));
    for (const [owner, what, days] of [
      ['Mr Okafor', 'Send home a weekly spelling list', 7],
      ['Marta Nowak', 'Practise the spelling list with Jakub for ten minutes a day', 28],
    ] as const) {
      const label = (await t.locator('#owner option').allInnerTexts()).find((o) => o.startsWith(owner));
      await t.getByLabel('Who will do it').selectOption({ label: label! });
      await t.getByLabel('What they will do').fill(what);
      await fillDate(t, 'due_on', typedDate(evening.date, days));
      await teacher.click(t.getByRole('button', { name: 'Add action' }));
    }
    await t.getByLabel('What was agreed, in plain words').fill('Jakub is doing well. We will work on spelling together, at school and at home.');
    await fillDate(t, 'follow_up_on', typedDate(evening.date, 35));
    await teacher.click(t.getByRole('button', { name: 'Save outcome' }));
    await shoot(teacher, 'meeting-record-teacher');
    // A worry passed to the DSL: Mrs Adeyemi reads it and sees who has read it.
    await t.getByLabel('Add a note').fill('Marta mentioned Jakub is often alone at home after school until late.');
    await t.getByLabel('This is a safeguarding concern').check();
    await teacher.click(t.getByRole('button', { name: 'Save note' }));
    const dsl = await person(browser, server, 'DSL', (tab) => signInWithPassword(tab, 'adeyemi@brookfield.test'));
    await dsl.visit(new URL(t.url()).pathname);
    await shoot(dsl, 'meeting-record-dsl');
    await dsl.close();
    await teacher.click(t.getByRole('button', { name: 'Send the thank-you and summary' }));
    await teacher.visit('/meetings');
    await shoot(teacher, 'meetings-teacher');
    await marta.visit('/my-meetings');
    await shoot(marta, 'my-meetings-marta');
    await marta.click(marta.page.locator('main').getByRole('link', { name: new RegExp(evening.name) }));
    await shoot(marta, 'my-meeting-summary-marta');

    for (const tab of [anon, head, teacher, office, marta]) await tab.close();
  } finally {
    await browser.close();
    await server.close();
  }

  console.log(`\n${files.length} screenshots in ${path.relative(root, outDir)}/:`);
  for (const file of files) console.log(`  ${file}`);
  if (findings.length === 0) {
    console.log('\nNo accessibility violations, sideways scrolling at 320 or 390 pixels, browser errors or error statuses.');
  } else {
    // The same finding on many pages is listed once, with the pages it was seen on.
    const grouped = new Map<string, string[]>();
    for (const f of findings) {
      const key = `[${f.kind}] ${f.text}`;
      const shots = grouped.get(key) ?? [];
      if (!shots.includes(f.shot)) shots.push(f.shot);
      grouped.set(key, shots);
    }
    console.log(`\n${grouped.size} thing(s) to look at:`);
    for (const [key, shots] of grouped) {
      const on = shots.length > 3 ? `${shots.length} pages, e.g. ${shots.slice(0, 3).join('; ')}` : shots.join('; ');
      console.log(`  ${key}\n    seen on: ${on}`);
    }
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});

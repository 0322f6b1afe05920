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
import { describeViolations, horizontalOverflow, launchBrowser, openTab, signInByEmailLink, signInWithPassword, startDemoServer, startServer, type Tab, type Violation, fillDate } from './support.ts';
import { DEMO_PASSWORD } from '../../src/demo/demo-school.ts';
import { CARER_EMAILS } from '../../src/demo/people.ts';
import { DEMO_SCHOOL } from '../../src/demo/calendar.ts';
import { openParentsEvening, typedDate } from './meetings-setup.ts';

const root = path.resolve(import.meta.dirname, '../..');
const outDir = path.join(root, 'screenshots');
const SIZES = [
  { name: 'phone', width: 390, height: 844 },
  { name: 'desktop', width: 1280, height: 900 },
] as const;

type Finding = { shot: string; kind: 'axe' | 'overflow' | 'console' | 'status' | 'script'; text: string };
const findings: Finding[] = [];
const files: string[] = [];
let shotNumber = 0;

async function person(browser: Browser, server: { url: string }, label: string, signIn?: (tab: Tab) => Promise<unknown>): Promise<Tab> {
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
  let closed = false;
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
    await marta.click(
      marta.page
        .locator('main')
        .getByRole('link', { name: /^Change time/ })
        .first(),
    );
    await shoot(marta, 'evening-change-time-marta');
    await teacher.visit(`/evenings/${evening.id}/schedule`);
    await shoot(teacher, 'evening-schedule-teacher');
    // The office, when a parent rings: the carer's page links to the evening; and cancelling a time.
    await office.visit(`/carers/${server.fx.carers.marta}`);
    await shoot(office, 'carer-marta-office-evening');
    const martas = await server.db
      .selectFrom('evening_bookings')
      .select('id')
      .where('evening_id', '=', evening.id)
      .where('carer_id', '=', server.fx.carers.marta)
      .where('cancelled_at', 'is', null)
      .executeTakeFirstOrThrow();
    await office.visit(`/evenings/${evening.id}/book-for/${server.fx.carers.marta}/bookings/${martas.id}/change`);
    await shoot(office, 'evening-change-time-office');
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
      const label = (await t.locator('#owner option').allInnerTexts()).find((o) => o.replace(/[\u2066-\u2069]/g, '').startsWith(owner));
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
    await t.locator('#safeguarding').check(); // the note's box (the outcome and the referral have their own)
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
    await server.close();
    closed = true;
    // Every other capability, in the demo school: a term's worth of surveys, consultations,
    // complaints, profiles, events and the rest, as the people who use them.
    await demoSchoolShots(browser);
  } finally {
    await browser.close();
    if (!closed) await server.close();
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

/**
 * A step that fails (a link renamed, a page that no longer loads) is a finding, not the end of the
 * run: the pictures after it are still taken.
 */
async function step(what: string, action: () => Promise<void>): Promise<void> {
  try {
    await action();
  } catch (error) {
    findings.push({ shot: what, kind: 'script', text: `could not photograph: ${String(error instanceof Error ? error.message : error).split('\n')[0]}` });
  }
}

/** The first link in <main> whose address starts with `prefix` (and is not a download), followed. */
async function openFirst(tab: Tab, prefix: string): Promise<void> {
  const links = tab.page.locator(`main a[href^="${prefix}"]:not([href$=".csv"]):not([href$=".ics"])`);
  await tab.click(links.first());
}

async function demoSchoolShots(browser: Browser): Promise<void> {
  const server = await startDemoServer('sqlite');
  const { db } = server;
  const schoolId = server.fx.schoolId;
  const staffTab = (label: string, email: string) => person(browser, server, label, (t) => signInWithPassword(t, email, DEMO_PASSWORD));
  const carerTab = (label: string, email: string, ownLanguage = false) =>
    person(browser, server, label, async (t) => {
      await signInByEmailLink(t, server, email, { ownLanguage });
    });
  const tabs: Tab[] = [];
  try {
    const head = await staffTab('demo head', 'patel@brookfield.example');
    const teacher = await staffTab('demo teacher', 'okafor@brookfield.example');
    const governor = await staffTab('demo governor', 'shah@brookfield.example');
    const flo = await staffTab('demo family liaison', 'lewis@brookfield.example');
    const office = await staffTab('demo office', 'byrne@brookfield.example');
    const senco = await staffTab('demo SENCO', 'hughes@brookfield.example');
    const marta = await carerTab('demo Marta', CARER_EMAILS.marta);
    tabs.push(head, teacher, governor, flo, office, senco, marta);
    const martaRow = await db.selectFrom('carers').select('id').where('email', '=', CARER_EMAILS.marta).where('school_id', '=', schoolId).executeTakeFirstOrThrow();

    // Home pages: what each person sees first.
    await step('demo home head', async () => {
      await head.visit('/');
      await shoot(head, 'demo-home-head');
    });
    await step('demo home governor', async () => {
      await governor.visit('/');
      await shoot(governor, 'demo-home-governor');
    });
    await step('demo home Marta', async () => {
      await marta.visit('/');
      await shoot(marta, 'demo-home-marta');
    });

    // Surveys: the list, Marta answering Parent View, the results, and baseline → follow-up.
    const surveys = await db.selectFrom('surveys').select(['id', 'title']).where('school_id', '=', schoolId).execute();
    const surveyId = (start: string) => surveys.find((x) => x.title.startsWith(start))?.id;
    await step('surveys head', async () => {
      await head.visit('/surveys');
      await shoot(head, 'surveys-head');
    });
    await step('my surveys Marta', async () => {
      await marta.visit('/my-surveys');
      await shoot(marta, 'my-surveys-marta');
    });
    await step('survey answer Marta', async () => {
      // Marta's own invitation if the demo left it unanswered (which families answered varies from
      // load to load), otherwise another family's: the link works without signing in.
      const unanswered = db.selectFrom('survey_invitations').select('token').where('survey_id', '=', surveyId('Parent View')!).where('carer_id', 'is not', null).where('answered_on', 'is', null);
      const invitation = (await unanswered.where('carer_id', '=', martaRow.id).executeTakeFirst()) ?? (await unanswered.orderBy('invited_at').executeTakeFirstOrThrow());
      await marta.visit(`/s/${invitation.token}`);
      // The first choice of each question with choices, and a few words in the first text box.
      for (const group of await marta.page.locator('main fieldset').all()) {
        const radio = group.locator('input[type="radio"]').first();
        if ((await radio.count()) > 0 && !(await radio.isChecked())) await radio.check();
      }
      const text = marta.page.locator('main textarea').first();
      if ((await text.count()) > 0) await text.fill('More notice of trips, please: a week is not enough to arrange time off work.');
      await shoot(marta, 'survey-answering-marta');
      await marta.click(marta.page.locator('main form button[type="submit"], main form .govuk-button').last());
      await shoot(marta, 'survey-answered-marta');
    });
    const followUp = surveyId('Working with families: July 2026');
    await step('survey overview head', async () => {
      await head.visit(`/surveys/${surveyId('Parent View')}`);
      await shoot(head, 'survey-parent-view-head');
    });
    await step('survey results head', async () => {
      await head.visit(`/surveys/${followUp}/results`);
      await shoot(head, 'survey-results-head');
    });
    await step('survey comparison governor', async () => {
      await governor.visit(`/surveys/${followUp}/comparison`);
      await shoot(governor, 'survey-comparison-governor');
    });
    await step('survey staff comparison head', async () => {
      await head.visit(`/surveys/${surveyId('Working with parents (staff): July 2026')}/comparison`);
      await shoot(head, 'survey-staff-comparison-head');
    });

    // Consultations on policies: the register, a policy out for consultation with comments, "You said, we did".
    const consultations = await db.selectFrom('consultations').select(['id', 'status', 'policy_id']).where('school_id', '=', schoolId).execute();
    const open = consultations.find((c) => c.status === 'open') ?? consultations[0];
    const adopted = consultations.find((c) => c.status === 'adopted');
    await step('policies head', async () => {
      await head.visit('/policies');
      await shoot(head, 'policies-head');
    });
    await step('policy head', async () => {
      await head.visit(`/policies/${(adopted ?? open)!.policy_id}`);
      await shoot(head, 'policy-head');
    });
    await step('consultation head', async () => {
      await head.visit(`/consultations/${open!.id}`);
      await shoot(head, `consultation-${open!.status}-head`);
    });
    if (adopted && adopted !== open) {
      await step('consultation adopted head', async () => {
        await head.visit(`/consultations/${adopted.id}`);
        await shoot(head, 'consultation-adopted-head');
      });
    }
    await step('you said we did head', async () => {
      await head.visit(`/consultations/${(adopted ?? open)!.id}/you-said-we-did`);
      await shoot(head, 'you-said-we-did-head');
    });
    await step('my consultations Marta', async () => {
      await marta.visit('/my-consultations');
      await shoot(marta, 'my-consultations-marta');
    });
    await step('consultation Marta', async () => {
      const invitee = await db.selectFrom('consultation_invitees').select(['token', 'consultation_id']).where('carer_id', '=', martaRow.id).where('consultation_id', '=', open!.id).executeTakeFirst();
      const any = invitee ?? (await db.selectFrom('consultation_invitees').select(['token', 'consultation_id']).where('consultation_id', '=', open!.id).executeTakeFirstOrThrow());
      await marta.visit(`/consult/${any.token}`);
      await shoot(marta, 'consultation-carer');
      if (adopted) {
        const said = await db.selectFrom('consultation_invitees').select('token').where('consultation_id', '=', adopted.id).orderBy('carer_id').executeTakeFirst();
        if (said) {
          await marta.visit(`/consult/${said.token}/you-said-we-did`);
          await shoot(marta, 'you-said-we-did-carer');
        }
      }
    });

    // Concerns and complaints: Marta raising a concern; the lists and a complaint's case page.
    await step('concern new Marta', async () => {
      await marta.visit('/my-concerns');
      await shoot(marta, 'my-concerns-marta');
      await marta.visit('/my-concerns/new');
      await marta.page.getByLabel('Kuba Nowak').check();
      await marta.page.getByLabel('What happened?').fill('Kuba says older boys take his ball at lunch, most days this week.');
      await marta.page.getByLabel('What would you like to happen?').fill('Someone to watch at lunch, and to hear back by Friday.');
      await marta.page.getByLabel('By email').check();
      await shoot(marta, 'concern-raising-marta');
      await marta.click(marta.page.getByRole('button', { name: 'Send to the school' }));
      await shoot(marta, 'concern-sent-marta');
    });
    await step('concerns head', async () => {
      await head.visit('/concerns');
      await shoot(head, 'concerns-head');
      await openFirst(head, '/concerns/');
      await shoot(head, 'concern-head');
    });
    await step('complaints head', async () => {
      await head.visit('/complaints');
      await shoot(head, 'complaints-head');
    });
    await step('complaint case head', async () => {
      // The complaint with the most on its record.
      const busiest = await db
        .selectFrom('complaint_events')
        .select(['complaint_id', (eb) => eb.fn.countAll<number>().as('n')])
        .where('school_id', '=', schoolId)
        .groupBy('complaint_id')
        .orderBy('n', 'desc')
        .executeTakeFirstOrThrow();
      await head.visit(`/complaints/${busiest.complaint_id}`);
      await shoot(head, 'complaint-case-head');
      await head.visit(`/complaints/${busiest.complaint_id}/procedure`);
      await shoot(head, 'complaint-procedure-head');
      // The investigating officer's view of the same case.
      const investigator = await staffTab('demo investigator', 'ellison@brookfield.example');
      tabs.push(investigator);
      await investigator.visit(`/complaints/${busiest.complaint_id}`);
      await shoot(investigator, 'complaint-case-investigator');
    });
    await step('complaint new Marta', async () => {
      await marta.visit('/my-complaints/new');
      await shoot(marta, 'complaint-making-marta');
    });
    await step('public complaint form', async () => {
      const anon = await person(browser, server, 'demo signed out');
      tabs.push(anon);
      await anon.visit(`/complain/${DEMO_SCHOOL.urn}`);
      await shoot(anon, 'complaint-public-form');
    });
    await step('my complaints Marta', async () => {
      await marta.visit('/my-complaints');
      await shoot(marta, 'my-complaints-marta');
    });
    await step('complaint figures governor', async () => {
      await governor.visit('/monitoring/complaints');
      await shoot(governor, 'complaint-figures-governor');
    });
    await step('how well we work with families governor', async () => {
      await governor.visit('/monitoring');
      await shoot(governor, 'how-we-know-governor');
    });

    // The home-school agreement: as Marta reads and signs it, and as staff follow it.
    await step('agreement Marta', async () => {
      await marta.visit('/agreement');
      await shoot(marta, 'agreement-marta');
    });
    await step('agreements head', async () => {
      await head.visit('/agreements');
      await shoot(head, 'agreements-head');
      await head.visit('/agreements/signatures');
      await shoot(head, 'agreement-signatures-head');
      await head.visit('/agreements/evidence');
      await shoot(head, 'agreement-evidence-head');
      await head.visit('/agreements/reviews');
      await shoot(head, 'agreement-reviews-head');
    });
    await step('agreement my class teacher', async () => {
      await teacher.visit('/agreements/my-class');
      await shoot(teacher, 'agreement-my-class-teacher');
    });

    // Profiles: the list, a pupil profile with the parents' own words, and Marta's view of Kuba's.
    await step('profiles SENCO', async () => {
      await senco.visit('/profiles');
      await shoot(senco, 'profiles-senco');
    });
    await step('profile with words SENCO', async () => {
      const words = await db
        .selectFrom('profile_words')
        .innerJoin('profiles', 'profiles.id', 'profile_words.profile_id')
        .select('profiles.pupil_id')
        .where('profile_words.school_id', '=', schoolId)
        .where('profile_words.version_to', 'is', null)
        .executeTakeFirstOrThrow();
      await senco.visit(`/pupils/${words.pupil_id}/profile`);
      await shoot(senco, 'profile-with-carer-words-senco');
    });
    await step('child profile Marta', async () => {
      const kuba = await db
        .selectFrom('carer_pupils')
        .innerJoin('pupils', 'pupils.id', 'carer_pupils.pupil_id')
        .innerJoin('profiles', 'profiles.pupil_id', 'pupils.id')
        .select('pupils.id')
        .where('carer_pupils.carer_id', '=', martaRow.id)
        .executeTakeFirstOrThrow();
      await marta.visit(`/children/${kuba.id}/profile`);
      await shoot(marta, 'child-profile-marta');
    });

    // Community, events and volunteering.
    await step('community family liaison', async () => {
      await flo.visit('/community');
      await shoot(flo, 'community-family-liaison');
      await flo.visit('/community/support');
      await shoot(flo, 'community-support-family-liaison');
    });
    await step('my community Marta', async () => {
      await marta.visit('/my-community');
      await shoot(marta, 'my-community-marta');
    });
    await step('events office', async () => {
      await office.visit('/events');
      await shoot(office, 'events-office');
      // The event with the most replies from families.
      const busiest = await db
        .selectFrom('event_rsvps')
        .innerJoin('events', 'events.id', 'event_rsvps.event_id')
        .select(['events.id', (eb) => eb.fn.countAll<number>().as('n')])
        .where('events.school_id', '=', schoolId)
        .groupBy('events.id')
        .orderBy('n', 'desc')
        .executeTakeFirstOrThrow();
      await office.visit(`/events/${busiest.id}`);
      await shoot(office, 'event-office');
      const session = await db.selectFrom('event_sessions').select('id').where('event_id', '=', busiest.id).orderBy('starts_at').executeTakeFirstOrThrow();
      await office.visit(`/events/${busiest.id}/sessions/${session.id}/register?who=yes`);
      await shoot(office, 'event-register-office');
      await office.visit('/events/attendance');
      await shoot(office, 'event-attendance-office');
    });
    await step('my events Marta', async () => {
      await marta.visit('/my-events');
      await shoot(marta, 'my-events-marta');
      await openFirst(marta, '/my-events/');
      await shoot(marta, 'my-event-marta');
    });
    await step('volunteering office', async () => {
      await office.visit('/volunteering');
      await shoot(office, 'volunteering-office');
      await openFirst(office, '/volunteering/volunteers/');
      await shoot(office, 'volunteer-office');
    });
    await step('my volunteering Marta', async () => {
      await marta.visit('/my-volunteering');
      await shoot(marta, 'my-volunteering-marta');
    });

    // Languages: how far each language's words are checked, and one language's words to check.
    await step('languages head', async () => {
      await head.visit('/settings/languages');
      await shoot(head, 'languages-head');
      await head.visit('/settings/languages/ur');
      await shoot(head, 'language-words-urdu-head');
    });

    // Conduct: the register of arrangements for a carer's conduct, and one carer's.
    await step('conduct head', async () => {
      await head.visit('/conduct');
      await shoot(head, 'conduct-head');
      const arrangement = await db.selectFrom('conduct_arrangements').select('carer_id').where('school_id', '=', schoolId).executeTakeFirst();
      if (arrangement) {
        await head.visit(`/carers/${arrangement.carer_id}/conduct`);
        await shoot(head, 'conduct-carer-head');
      }
    });

    // Term dates: what families see (in Polish for Marta), and where the office keeps them.
    await step('term dates', async () => {
      await marta.visit('/term-dates');
      await shoot(marta, 'term-dates-marta');
      await office.visit('/settings/term-dates');
      await shoot(office, 'term-dates-settings-office');
    });

    // Tell the DSL, from any staff page.
    await step('tell the DSL teacher', async () => {
      await teacher.visit('/tell-the-dsl');
      await shoot(teacher, 'tell-the-dsl-teacher');
    });
    // Pass this to the DSL: a family's question before a meeting, quoted in the form (the head may open every meeting).
    await step('pass a family question to the DSL head', async () => {
      const question = await db.selectFrom('meeting_agenda_items').select('id').where('school_id', '=', schoolId).where('added_by_kind', '=', 'carer').executeTakeFirst();
      if (question) {
        await head.visit(`/tell-the-dsl/agenda-questions/${question.id}`);
        await shoot(head, 'pass-to-dsl-head');
      }
    });

    // Who read a sent newsletter, by group of families; the Spring evening's interpreters needed.
    await step('message reach by group head', async () => {
      const sent = await db
        .selectFrom('messages')
        .select('id')
        .where('school_id', '=', schoolId)
        .where('status', '=', 'sent')
        .where('kind', '=', 'newsletter')
        .orderBy('sent_at', 'desc')
        .executeTakeFirst();
      if (sent) {
        await head.visit(`/messages/${sent.id}`);
        await shoot(head, 'message-reach-by-group-head');
      }
      const spring = await db.selectFrom('evenings').select('id').where('school_id', '=', schoolId).where('name', 'like', 'Spring%').executeTakeFirst();
      if (spring) {
        await office.visit(`/evenings/${spring.id}`);
        await shoot(office, 'evening-interpreters-office');
      }
    });

    // A volunteer parent's Polish translation: Marta's page, and the message's translations for staff.
    await step('volunteer translation', async () => {
      const request = await db.selectFrom('translation_requests').select(['id', 'message_id']).where('school_id', '=', schoolId).executeTakeFirst();
      if (request) {
        await marta.visit(`/my-volunteering/translations/${request.id}`);
        await shoot(marta, 'volunteer-translation-marta');
        await head.visit(`/messages/${request.message_id}/translations`);
        await shoot(head, 'message-translations-head');
      }
    });

    // Shabana reads Urdu: her home page and her surveys, in her own language (right to left).
    await step('home Shabana Urdu', async () => {
      const shabana = await carerTab('demo Shabana (Urdu)', CARER_EMAILS.shabana, true);
      tabs.push(shabana);
      await shabana.visit('/');
      await shoot(shabana, 'demo-home-shabana-urdu');
      await shabana.visit('/agreement');
      await shoot(shabana, 'agreement-shabana-urdu');
    });
  } finally {
    for (const tab of tabs) await tab.close();
    await server.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});

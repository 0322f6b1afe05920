import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { dialects } from '../support/db.ts';
import { newId } from '../../src/platform/ids.ts';
import { sendMessage } from '../../src/features/messages/send.ts';
import { insertMeeting } from '../../src/features/meetings/record-test-data.ts';
import { textIn } from '../../src/platform/i18n/catalog.ts';
import { openParentsEvening } from './meetings-setup.ts';
import { signInDirectly } from './sign-in-directly.ts';
import { E2E_TIMEOUT, horizontalOverflow, signInByEmailLink, useBrowser, useJourney, type E2EServer, type Tab } from './support.ts';

/**
 * Issue 13's journey, once per family of languages, on both databases: a carer on a phone 320
 * pixels wide goes from home to a message, books a parents' evening appointment and opens a
 * meeting, every page in their own language and checked with axe. Marta reads Polish (Latin, left
 * to right); Grace Mensah, set here to Bengali (non-Latin, left to right); Sarah Dean, set here to
 * Urdu (right to left). The words expected come from the catalogs, so a reworded string does not
 * break the walk. One browser, one context per carer, one server per database. Each carer signs in
 * by an emailed link on the first database; on the other the sign-in pages are the same documents
 * (checked already), so there the walk starts from a session made directly. Pictures (from the first
 * database: the other's are the same pages) go to screenshots/.
 */
const NARROW = { width: 320, height: 640 };
const shots = path.resolve(import.meta.dirname, '../../screenshots');

const browser = useBrowser();

/**
 * Letters are sent, and meetings set, at the same moments on both databases: the second database's
 * pages are then the same documents as the first one's, and axe (which checks a document once) is
 * not run on them all again only because a time on them moved on. Each walk's letter is the newest.
 */
const AT = new Date();
const MEETING_AT = new Date(AT.getTime() + 7 * 86_400_000).toISOString();
const LETTER_AT = { pl: -3, bn: -2, ur: -1 }; // minutes before AT

/** A letter to the families of Kuba, Leo and Lily, with a Polish translation a person checked. */
async function letter(server: E2EServer, at: Date): Promise<string> {
  const id = newId();
  const now = at.toISOString();
  const fx = server.fx;
  await server.db
    .insertInto('messages')
    .values({
      id,
      school_id: fx.school.id,
      kind: 'letter',
      tone: 'information',
      subject: 'Swimming on Friday',
      body: 'Please bring a towel and a swimming costume.',
      audience_json: JSON.stringify({ kind: 'pupils', pupilIds: [fx.pupils.kuba, fx.pupils.leo, fx.pupils.lily] }),
      asks_acknowledgement: 1,
      status: 'draft',
      scheduled_for: null,
      sent_at: null,
      created_by: fx.staff.teacher,
      created_at: now,
      updated_at: now,
    })
    .execute();
  await server.db
    .insertInto('message_translations')
    .values({
      id: newId(),
      school_id: fx.school.id,
      message_id: id,
      language: 'Polish',
      subject: 'Basen w piątek',
      body: 'Prosimy przynieść ręcznik i strój kąpielowy.',
      source: 'person',
      status: 'checked',
      written_by: fx.staff.office,
      checked_by: fx.staff.head,
      updated_at: now,
    })
    .execute();
  await sendMessage(server.db, { kind: 'staff', id: fx.staff.head, schoolId: fx.school.id }, fx.school.id, id, {
    baseUrl: server.url,
    schoolName: 'Brookfield Primary School',
    today: now.slice(0, 10),
    now: at,
  });
  return id;
}

describe.each(dialects)('a carer’s journey in their own language at 320 pixels on %s', (dialect) => {
  const journey = useJourney(dialect, browser);

  async function fits(tab: Tab, name: string) {
    const { scrollWidth, culprits } = await horizontalOverflow(tab.page);
    expect(scrollWidth, `${name} sticks out:\n${culprits.join('\n')}`).toBeLessThanOrEqual(NARROW.width);
    if (dialect !== dialects[0]) return;
    fs.mkdirSync(shots, { recursive: true });
    await tab.page.screenshot({ path: path.join(shots, `carer-journey-${name}-${dialect}.png`), fullPage: true });
  }
  const h1 = (tab: Tab) => tab.page.getByRole('heading', { level: 1 }).innerText();
  const root = (tab: Tab) => tab.page.evaluate(() => [document.documentElement.lang, document.documentElement.dir]);

  type Walk = { code: 'pl' | 'bn' | 'ur'; dir: 'ltr' | 'rtl'; email: string; carerId: string; pupilId: string; child: string; subject: string };

  /** Home → a message → booking at a parents' evening → a meeting; returns the tab for what each language checks besides. */
  async function walk(w: Walk): Promise<Tab> {
    const { server } = journey;
    const t = textIn(w.code);
    const messageId = await letter(server, new Date(AT.getTime() + LETTER_AT[w.code] * 60_000));
    const evening = await openParentsEvening(server.db, server.fx);
    const meetingId = await insertMeeting(server.db, server.fx, { pupilId: w.pupilId, carerIds: [w.carerId], startsAt: MEETING_AT });
    const tab = await journey.newTab({ viewport: NARROW });
    if (dialect === dialects[0]) await signInByEmailLink(tab, server, w.email, { ownLanguage: true });
    else await signInDirectly(tab, server, { kind: 'carer', id: w.carerId }, { ownLanguage: true });

    await tab.visit('/');
    await expect(h1(tab)).resolves.toBe(t('home.title'));
    await expect(root(tab)).resolves.toEqual([w.code, w.dir]);
    await fits(tab, `${w.code}-home`);

    // At 320 pixels the menu is folded away: the home page's own link to the messages, or the inbox's address.
    const toInbox = tab.page.locator('main a[href="/inbox"]');
    if (await toInbox.count()) await tab.click(toInbox.first());
    else await tab.visit('/inbox');
    await expect(h1(tab)).resolves.toBe(t('messages.inbox.title'));
    await fits(tab, `${w.code}-inbox`);
    await tab.click(
      tab.page
        .locator('main')
        .getByRole('link', { name: new RegExp(w.subject) })
        .first(),
    );
    expect(new URL(tab.page.url()).pathname).toBe(`/inbox/${messageId}`);
    await fits(tab, `${w.code}-message`);

    await tab.visit(`/parents-evenings/${evening.id}`);
    await expect(root(tab)).resolves.toEqual([w.code, w.dir]);
    await tab.page.locator('select.govuk-select').first().selectOption({ index: 1 });
    await fits(tab, `${w.code}-booking`);
    await tab.click(tab.page.getByRole('button', { name: t('evenings.page.book') }));
    await expect(tab.mainText()).resolves.toContain(t('evenings.done.booked'));
    await fits(tab, `${w.code}-booked`);

    await tab.visit(`/my-meetings/${meetingId}`);
    await expect(h1(tab)).resolves.toBe(t('meetings.page.title', { child: w.child }));
    await expect(root(tab)).resolves.toEqual([w.code, w.dir]);
    await fits(tab, `${w.code}-meeting`);
    return tab;
  }

  it(
    'walks Marta through it in Polish, reading the school’s Polish letter, and her choices',
    async () => {
      const { fx } = journey.server;
      const t = textIn('pl');
      const tab = await walk({ code: 'pl', dir: 'ltr', email: 'marta@families.test', carerId: fx.carers.marta, pupilId: fx.pupils.kuba, child: 'Jakub', subject: 'Basen w piątek' });
      // The message she read was the checked Polish translation, and saying she has read it is in Polish too.
      await tab.visit('/inbox');
      await tab.click(
        tab.page
          .locator('main')
          .getByRole('link', { name: /Basen w piątek/ })
          .first(),
      );
      await expect(h1(tab)).resolves.toContain('Basen w piątek');
      await tab.click(tab.page.getByRole('button', { name: t('messages.read.acknowledge') }));
      await expect(tab.mainText()).resolves.toContain(t('messages.read.thanks'));
      // An error on her preferences, in Polish.
      await tab.visit('/preferences');
      await expect(h1(tab)).resolves.toBe(t('messages.prefs.title'));
      for (const id of ['channel_email', 'channel_app', 'paper_copies']) await tab.page.locator(`#${id}`).setChecked(false, { force: true });
      await tab.click(tab.page.getByRole('button', { name: t('messages.prefs.save') }));
      await expect(tab.page.locator('.govuk-error-summary').innerText()).resolves.toContain(t('messages.prefs.error.noneChosen'));
      await fits(tab, 'pl-preferences-error');
    },
    E2E_TIMEOUT,
  );

  it(
    'walks Grace through it in Bengali (not Latin script, left to right); the English letter is marked as English',
    async () => {
      const { fx, db } = journey.server;
      await db.updateTable('carers').set({ preferred_language: 'Bengali' }).where('id', '=', fx.carers.grace).execute();
      try {
        const tab = await walk({ code: 'bn', dir: 'ltr', email: 'grace@families.test', carerId: fx.carers.grace, pupilId: fx.pupils.leo, child: 'Leo', subject: 'Swimming on Friday' });
        await tab.visit('/inbox');
        await tab.click(
          tab.page
            .locator('main')
            .getByRole('link', { name: /Swimming on Friday/ })
            .first(),
        );
        await expect(tab.page.locator('main [lang="en"] h1').innerText()).resolves.toContain('Swimming on Friday');
      } finally {
        await db.updateTable('carers').set({ preferred_language: 'English' }).where('id', '=', fx.carers.grace).execute();
      }
    },
    E2E_TIMEOUT,
  );

  it(
    'walks Sarah through it in Urdu, right to left, with the help line in Urdu beside the English letter',
    async () => {
      const { fx, db } = journey.server;
      await db.updateTable('carers').set({ preferred_language: 'Urdu' }).where('id', '=', fx.carers.sarah).execute();
      try {
        const tab = await walk({ code: 'ur', dir: 'rtl', email: 'sarah@families.test', carerId: fx.carers.sarah, pupilId: fx.pupils.lily, child: 'Lily', subject: 'Swimming on Friday' });
        await tab.visit('/inbox');
        await tab.click(
          tab.page
            .locator('main')
            .getByRole('link', { name: /Swimming on Friday/ })
            .first(),
        );
        await expect(tab.page.locator('main [lang="en"] h1').innerText()).resolves.toContain('Swimming on Friday');
        await expect(tab.mainText()).resolves.toContain('یہ پیغام انگریزی میں ہے');
        // Right to left: the home heading's words sit against the right-hand edge, not the left.
        await tab.visit('/');
        const words = await tab.page.getByRole('heading', { level: 1 }).evaluate((el) => {
          const range = document.createRange();
          range.selectNodeContents(el);
          const text = range.getBoundingClientRect();
          const box = el.getBoundingClientRect();
          return { gapLeft: text.left - box.left, gapRight: box.right - text.right };
        });
        expect(words.gapRight).toBeLessThan(2);
        expect(words.gapLeft).toBeGreaterThan(40);
      } finally {
        await db.updateTable('carers').set({ preferred_language: 'English' }).where('id', '=', fx.carers.sarah).execute();
      }
    },
    E2E_TIMEOUT,
  );
});

import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { dialects } from '../support/db.ts';
import { newId } from '../../src/platform/ids.ts';
import { sendMessage } from '../../src/features/messages/send.ts';
import { E2E_TIMEOUT, horizontalOverflow, signInByEmailLink, useBrowser, useJourney, type E2EServer, type Tab } from './support.ts';

/**
 * A carer's own pages in their own language on a phone 320 pixels wide, axe on every page: Marta in
 * Polish (left to right), Grace in Urdu (right to left, set here). Pictures go to screenshots/.
 */
const NARROW = { width: 320, height: 640 };
const shots = path.resolve(import.meta.dirname, '../../screenshots');

const browser = useBrowser();

async function letterWithPolish(server: E2EServer): Promise<string> {
  const id = newId();
  const now = new Date().toISOString();
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
      audience_json: JSON.stringify({ kind: 'pupils', pupilIds: [fx.pupils.kuba, fx.pupils.leo] }),
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
    now: new Date(),
  });
  return id;
}

describe.each(dialects)('a carer’s pages in Polish and in Urdu at 320 pixels on %s', (dialect) => {
  const journey = useJourney(dialect, browser);

  async function fits(tab: Tab, name: string) {
    const { scrollWidth, culprits } = await horizontalOverflow(tab.page);
    expect(scrollWidth, `${name} sticks out:\n${culprits.join('\n')}`).toBeLessThanOrEqual(NARROW.width);
    fs.mkdirSync(shots, { recursive: true });
    await tab.page.screenshot({ path: path.join(shots, `carer-${name}-${dialect}.png`), fullPage: true });
  }
  const h1 = (tab: Tab) => tab.page.getByRole('heading', { level: 1 }).innerText();
  const root = (tab: Tab) => tab.page.evaluate(() => [document.documentElement.lang, document.documentElement.dir]);

  it(
    'walks Marta through home, inbox, a message and her choices in Polish',
    async () => {
      const tab = await journey.newTab({ viewport: NARROW });
      await signInByEmailLink(tab, journey.server, 'marta@families.test', { ownLanguage: true });
      const id = await letterWithPolish(journey.server);
      await tab.visit('/');
      await expect(h1(tab)).resolves.toBe('Państwa dzieci');
      await expect(root(tab)).resolves.toEqual(['pl', 'ltr']);
      await fits(tab, 'pl-home');

      await tab.click(tab.page.getByRole('link', { name: /nowa wiadomość ze szkoły|Wiadomości ze szkoły/ }).first());
      await expect(h1(tab)).resolves.toBe('Wiadomości ze szkoły');
      await fits(tab, 'pl-inbox');
      await tab.click(tab.page.locator('main').getByRole('link', { name: /Basen w piątek/ }));
      expect(new URL(tab.page.url()).pathname).toBe(`/inbox/${id}`);
      await expect(h1(tab)).resolves.toContain('Basen w piątek');
      await fits(tab, 'pl-message');
      await tab.click(tab.page.getByRole('button', { name: 'Potwierdzam przeczytanie' }));
      await expect(tab.mainText()).resolves.toContain('Dziękujemy: szkoła wie');

      await tab.visit('/preferences');
      await expect(h1(tab)).resolves.toBe('Jak szkoła się z Państwem kontaktuje');
      for (const id of ['channel_email', 'channel_app', 'paper_copies']) await tab.page.locator(`#${id}`).setChecked(false, { force: true });
      await tab.click(tab.page.getByRole('button', { name: 'Zapisz wybór' }));
      await expect(tab.page.locator('.govuk-error-summary').innerText()).resolves.toContain('Prosimy wybrać co najmniej jeden sposób');
      await fits(tab, 'pl-preferences-error');
    },
    E2E_TIMEOUT,
  );

  it(
    'walks an Urdu reader through the same pages right to left',
    async () => {
      const server = journey.server;
      await server.db.updateTable('carers').set({ preferred_language: 'Urdu' }).where('id', '=', server.fx.carers.grace).execute();
      try {
        const tab = await journey.newTab({ viewport: NARROW });
        await signInByEmailLink(tab, server, 'grace@families.test', { ownLanguage: true });
        await letterWithPolish(server);
        await tab.visit('/');
        await expect(h1(tab)).resolves.toBe('آپ کے بچے');
        await expect(root(tab)).resolves.toEqual(['ur', 'rtl']);
        // Right to left: the heading's words sit against the right-hand edge, not the left.
        const words = await tab.page.getByRole('heading', { level: 1 }).evaluate((el) => {
          const range = document.createRange();
          range.selectNodeContents(el);
          const text = range.getBoundingClientRect();
          const box = el.getBoundingClientRect();
          return { gapLeft: text.left - box.left, gapRight: box.right - text.right };
        });
        expect(words.gapRight).toBeLessThan(2);
        expect(words.gapLeft).toBeGreaterThan(40);
        await fits(tab, 'ur-home');

        await tab.visit('/inbox');
        await expect(h1(tab)).resolves.toBe('اسکول کے پیغامات');
        await fits(tab, 'ur-inbox');
        // No Urdu translation: the English letter, marked English, with the help line in Urdu.
        await tab.click(
          tab.page
            .locator('main')
            .getByRole('link', { name: /Swimming on Friday/ })
            .first(),
        );
        await expect(tab.page.locator('main [lang="en"] h1').innerText()).resolves.toContain('Swimming on Friday');
        await expect(tab.mainText()).resolves.toContain('یہ پیغام انگریزی میں ہے');
        await fits(tab, 'ur-message');

        await tab.visit('/preferences');
        await expect(h1(tab)).resolves.toBe('اسکول آپ سے کیسے رابطہ کرتا ہے');
        await fits(tab, 'ur-preferences');
      } finally {
        await server.db.updateTable('carers').set({ preferred_language: 'English' }).where('id', '=', server.fx.carers.grace).execute();
      }
    },
    E2E_TIMEOUT,
  );
});

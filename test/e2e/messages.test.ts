import { describe, expect, it } from 'vitest';
import { E2E_TIMEOUT, expectTablesFit, signInByEmailLink, signInWithPassword, useBrowser, useJourney, journeyOn } from './support.ts';

/**
 * Keeping a family informed, in the browser: Mr Okafor writes to his class and asks for a Polish
 * translation; a volunteer's translation is written and Mrs Patel checks it; he sends; Marta reads it
 * in Polish and says she has read it; Mr Okafor sees the reach. axe checks every page on the way.
 */
const browser = useBrowser();

describe.each(journeyOn('postgres'))('a message in the family’s language on %s', (dialect) => {
  const journey = useJourney(dialect, browser);

  it(
    'is composed with a checked Polish translation, read in Polish and acknowledged, and its reach is shown',
    async () => {
      const teacher = await journey.newTab();
      await signInWithPassword(teacher, 'okafor@brookfield.test');
      await teacher.visit('/messages/new');
      const p = teacher.page;
      await p.getByLabel('Class learning newsletter').check();
      await p.getByRole('radio', { name: /^Classes/ }).check();
      await p.getByLabel('3 Okafor').check();
      await p.getByLabel('Subject', { exact: true }).fill('Our trip to the castle');
      await p.getByLabel('Message', { exact: true }).fill('We visit the castle on Friday. Please send a packed lunch.');
      await p.getByLabel('Ask families to tell us they have read it').check();
      await teacher.click(p.getByRole('button', { name: 'Save and check who receives it' }));
      const messageUrl = new URL(p.url()).pathname;
      await expect(p.locator('main').innerText()).resolves.toContain('3 parents and carers');
      await expect(p.locator('main').innerText()).resolves.toContain('Mark Dean (Lily): a restriction is in force');

      // The translations list fits a phone: nothing, not the Request button, is cut off at the right.
      await teacher.visit(`${messageUrl}/translations`);
      for (const width of [320, 390]) {
        await p.setViewportSize({ width, height: 844 });
        await expectTablesFit(teacher);
      }
      await p.setViewportSize({ width: 1280, height: 900 });

      // A volunteer's Polish, typed in by Mr Okafor, then checked by Mrs Patel.
      await teacher.visit(`${messageUrl}/translations/Polish`);
      await p.getByLabel('Subject in Polish').fill('Nasza wycieczka do zamku');
      await p.getByLabel('Message in Polish').fill('W piątek jedziemy do zamku. Prosimy o drugie śniadanie.');
      await teacher.click(p.locator('main').getByRole('button').first());

      const head = await journey.newTab();
      await signInWithPassword(head, 'patel@brookfield.test');
      await head.visit(`${messageUrl}/translations/Polish`);
      await head.click(head.page.locator('main').getByRole('button', { name: /check/i }).first());
      await expect(head.page.locator('main').innerText()).resolves.toMatch(/checked/i);

      await teacher.visit(messageUrl);
      await teacher.click(p.getByRole('button', { name: 'Send now' }));
      await expect(p.locator('main').innerText()).resolves.toContain('Sent.');

      // Marta reads it in Polish and says so.
      const marta = await journey.newTab();
      await signInByEmailLink(marta, journey.server, 'marta@families.test');
      const m = marta.page;
      await expect(m.locator('main').innerText()).resolves.toContain('1 new message');
      await marta.click(m.getByRole('link', { name: /new message/ }));
      await marta.click(m.getByRole('link', { name: /Nasza wycieczka do zamku|Our trip to the castle/ }));
      await expect(m.getByRole('heading', { level: 1 }).innerText()).resolves.toBe('Jakub: Nasza wycieczka do zamku');
      await expect(m.locator('main [lang="pl"]').first().innerText()).resolves.toContain('W piątek jedziemy do zamku');
      await marta.click(m.getByRole('button', { name: 'I have read this' }));
      await expect(m.locator('main').innerText()).resolves.toContain('the school knows you have read this');

      // Tomasz's copy went by email, in English (he reads English), naming Jakub.
      const tomasz = await journey.server.nextEmail('tomasz@families.test', 0);
      expect(tomasz.subject).toBe('Jakub: Our trip to the castle');

      await teacher.visit(messageUrl);
      const reach = await p.locator('main').innerText();
      expect(reach).toMatch(/Read\s+1 of 3/);
      expect(reach).toMatch(/Said they had read it\s+1/);
    },
    E2E_TIMEOUT * 2,
  );
});

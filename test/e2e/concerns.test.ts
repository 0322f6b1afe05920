import { describe, expect, it } from 'vitest';
import { E2E_TIMEOUT, expectPageFits, expectTablesFit, signInByEmailLink, signInWithPassword, useBrowser, useJourney, journeyOn } from './support.ts';

const browser = useBrowser();

/** A concern in the browser, axe on every page: Marta raises it, the head passes it on, Mr Okafor closes it, Marta answers. */
describe.each(journeyOn('postgres'))('a concern from a family in the browser on %s', (dialect) => {
  const journey = useJourney(dialect, browser);

  it(
    'goes from Marta’s home page to the head, Mr Okafor and back to Marta, with one-click answers',
    async () => {
      const marta = await journey.newTab({ viewport: { width: 320, height: 640 } });
      await signInByEmailLink(marta, journey.server, 'marta@families.test');
      await marta.click(marta.page.getByRole('link', { name: 'tell us about a concern' }));
      // A mistake keeps what she typed and says what is wrong beside the field.
      await marta.page.getByLabel('What happened?').fill('Kuba says older boys take his ball at lunch.');
      await marta.click(marta.page.getByRole('button', { name: 'Send to the school' }));
      expect(marta.status()).toBe(400);
      expect(await marta.page.getByLabel('What happened?').inputValue()).toBe('Kuba says older boys take his ball at lunch.');
      expect(await marta.mainText()).toContain('Choose which child it is about');
      await marta.page.getByLabel('Jakub Nowak').check();
      await marta.page.getByLabel('What would you like to happen?').fill('Someone to watch at lunch');
      await marta.page.getByLabel('By email').check();
      await marta.click(marta.page.getByRole('button', { name: 'Send to the school' }));
      expect(await marta.mainText()).toContain('We have your concern');
      await expectPageFits(marta, 320);
      const concernPath = new URL(marta.page.url()).pathname.replace('/my-concerns/', '/concerns/');

      const head = await journey.newTab();
      await signInWithPassword(head, 'patel@brookfield.test');
      expect(await head.mainText()).toContain('Early warning');
      await head.visit(concernPath);
      // Radios side by side keep each choice's words whole, on one line ("Email", not "E / m / ail").
      const labelHeights = await head.page.locator('.govuk-radios--inline .govuk-radios__label').evaluateAll((labels) => labels.map((l) => l.getBoundingClientRect().height));
      expect(labelHeights.length).toBeGreaterThan(3);
      expect(Math.max(...labelHeights)).toBeLessThan(50); // one line with its padding is about 40 pixels
      await head.page.getByLabel('Who will deal with it').selectOption({ label: 'Mr Okafor (teacher)' });
      await head.page.getByLabel('Bullying').check();
      await head.page.getByLabel('School days to resolve it').fill('5');
      await head.click(head.page.getByRole('button', { name: 'Pass it on' }));
      expect(await head.mainText()).toContain('Passed on.');

      // The staff list: on a desktop each detail has its column; on a phone (320 and 390 px) what it is
      // about, who deals with it and its dates fold under the child's name and nothing scrolls sideways.
      await head.visit('/concerns');
      expect(await head.page.getByRole('columnheader').allInnerTexts()).toEqual(['Child', 'About', 'Dealt with by', 'Raised', 'Aim to resolve by', 'Where it is']);
      expect(await head.page.getByRole('rowheader').first().innerText()).toBe('Jakub Nowak');
      for (const width of [320, 390]) {
        await head.page.setViewportSize({ width, height: 640 });
        await expectPageFits(head, width);
        await expectTablesFit(head);
        expect(await head.page.getByRole('columnheader').allInnerTexts()).toEqual(['Child', 'Where it is']);
        expect(await head.page.getByRole('rowheader').first().innerText()).toMatch(/^Jakub Nowak\s+Bullying\s+Dealt with by Mr Okafor\s+Raised \d+ \w+ 20\d\d\s+Aim to resolve by \d+ \w+ 20\d\d$/);
      }
      await head.page.setViewportSize({ width: 1280, height: 900 });

      const okafor = await journey.newTab();
      await signInWithPassword(okafor, 'okafor@brookfield.test');
      await okafor.click(okafor.page.getByRole('link', { name: 'A concern from a family was passed to you to deal with' }));
      await okafor.page.getByLabel('What was done').fill('Lunchtime staff watch the football area; Kuba has a named adult.');
      await okafor.click(okafor.page.getByRole('button', { name: 'Close and send the summary' }));
      expect(await okafor.mainText()).toContain('Closed.');

      await marta.visit(new URL(marta.page.url()).pathname);
      await marta.click(marta.page.getByRole('button', { name: 'Not yet' }));
      expect(await marta.mainText()).toContain('It is open again');
      for (const tab of [marta, head, okafor]) await tab.done();
    },
    E2E_TIMEOUT * 2,
  );
});

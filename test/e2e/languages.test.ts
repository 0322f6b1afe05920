import { describe, expect, it } from 'vitest';
import { E2E_TIMEOUT, fillDate, horizontalOverflow, signInByEmailLink, signInWithPassword, useBrowser, useJourney, type Tab, journeyOn } from './support.ts';

/**
 * Mrs Patel on her phone: Settings → Languages, a fluent speaker's check recorded (a wrong date
 * first), the school's own Polish words (broken brackets first), and Marta sees them: 320 pixels
 * wide, axe on every page.
 */
const NARROW = { width: 320, height: 640 };
const shots = process.env.LANGUAGES_SCREENSHOTS;

const browser = useBrowser();

describe.each(journeyOn('sqlite'))('Settings → Languages, 320 pixels wide, on %s', (dialect) => {
  const journey = useJourney(dialect, browser);

  async function fits(t: Tab) {
    const { scrollWidth, clientWidth, culprits } = await horizontalOverflow(t.page);
    expect(clientWidth).toBe(NARROW.width);
    expect(scrollWidth, `${new URL(t.page.url()).pathname} is ${scrollWidth}px wide; sticking out:\n${culprits.join('\n')}`).toBeLessThanOrEqual(NARROW.width);
  }

  it(
    'records a check and the school’s own words from a phone, and Marta sees them',
    async () => {
      const tab = await journey.newTab({ viewport: NARROW });
      const { page } = tab;
      await signInWithPassword(tab, 'patel@brookfield.test');
      await page
        .getByRole('button', { name: /Menu/ })
        .click()
        .catch(() => undefined);
      await tab.click(page.getByRole('link', { name: 'Records', exact: true }));
      await tab.click(page.getByRole('navigation', { name: 'In this section' }).getByRole('link', { name: 'Languages', exact: true }));
      await expect(page.getByRole('heading', { level: 1 }).innerText()).resolves.toBe('Languages');
      await fits(tab);
      if (shots) await page.screenshot({ path: `${shots}/languages-${dialect}.png`, fullPage: true });

      await tab.click(page.getByRole('link', { name: 'Words and checks for Polish' }));
      await page.getByLabel('Name of the fluent speaker').fill('Katarzyna Wiśniewska');
      await fillDate(page, 'checked_on', '31/2/2026');
      await tab.click(page.getByRole('button', { name: 'Record the check' }));
      await expect(page.locator('#checked_on-error').innerText()).resolves.toContain('The date they checked it must be a real date');
      await expect(page.getByLabel('Name of the fluent speaker').inputValue()).resolves.toBe('Katarzyna Wiśniewska');
      await fits(tab);
      await fillDate(page, 'checked_on', '3/12/2025');
      await tab.click(page.getByRole('button', { name: 'Record the check' }));
      await expect(tab.mainText()).resolves.toContain('Checked by Katarzyna Wiśniewska, a fluent speaker, on 3 December 2025');

      await page.getByLabel('Find a phrase or sentence by its English words').fill('common.nav.evenings');
      await tab.click(page.getByRole('button', { name: 'Find' }));
      const box = page.locator('#words-common-nav-evenings');
      await box.fill('Konsultacje {z nauczycielami');
      await tab.click(page.locator('form:has(#words-common-nav-evenings)').getByRole('button', { name: 'Save' }));
      await expect(page.locator('#words-common-nav-evenings-error').innerText()).resolves.toContain('Gatepost cannot read these words');
      await expect(page.locator('#words-common-nav-evenings').inputValue()).resolves.toBe('Konsultacje {z nauczycielami');
      await fits(tab);
      if (shots) await page.screenshot({ path: `${shots}/language-error-${dialect}.png`, fullPage: true });
      await page.locator('#words-common-nav-evenings').fill('Konsultacje z nauczycielami');
      await tab.click(page.locator('form:has(#words-common-nav-evenings)').getByRole('button', { name: 'Save' }));
      await expect(page.locator('.govuk-notification-banner').innerText()).resolves.toContain('The school’s own words are saved');
      await fits(tab);

      const marta = await journey.newTab({ viewport: NARROW });
      await signInByEmailLink(marta, journey.server, 'marta@families.test', { ownLanguage: true });
      await expect(marta.page.locator('html').getAttribute('lang')).resolves.toBe('pl');
      await expect(marta.page.locator('header').textContent()).resolves.toContain('Konsultacje z nauczycielami');
    },
    E2E_TIMEOUT * 2,
  );
});

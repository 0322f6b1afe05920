import { beforeAll, describe, expect, it } from 'vitest';
import { E2E_TIMEOUT, horizontalOverflow, signInWithPassword, useBrowser, useJourney, type Tab, journeyOn } from './support.ts';
import { seedNotReached } from '../../src/features/messages/not-reached-test-data.ts';

/** Ms Lewis on her phone: the list, the family's reach and the contact form fit 320 pixels, with axe on every page. */
const NARROW = { width: 320, height: 640 };

const browser = useBrowser();

describe.each(journeyOn('sqlite'))('families not reached, 320 pixels wide, on %s', (dialect) => {
  const journey = useJourney(dialect, browser);
  beforeAll(async () => {
    await seedNotReached(journey.server.db, journey.server.fx);
  });

  async function fits(t: Tab) {
    const { scrollWidth, clientWidth, culprits } = await horizontalOverflow(t.page);
    expect(clientWidth).toBe(NARROW.width);
    expect(scrollWidth, `${new URL(t.page.url()).pathname} is ${scrollWidth}px wide; sticking out:\n${culprits.join('\n')}`).toBeLessThanOrEqual(NARROW.width);
  }

  it(
    'lists the families, records an unanswered call and then a call from the phone, and shows the family’s reach',
    async () => {
      const tab = await journey.newTab({ viewport: NARROW });
      const { page } = tab;
      await signInWithPassword(tab, 'lewis@brookfield.test');
      await tab.visit('/reach/not-reached');
      await expect(page.getByRole('heading', { level: 1 }).innerText()).resolves.toBe('Families not reached');
      await fits(tab);
      if (process.env.NOT_REACHED_SCREENSHOTS) await page.screenshot({ path: `${process.env.NOT_REACHED_SCREENSHOTS}/not-reached-${dialect}.png`, fullPage: true });

      // The first call goes unanswered: recorded, Marta stays on the list, which shows the attempt.
      await tab.click(page.getByRole('link', { name: 'Record a contact with Marta Nowak' }));
      await page.getByLabel('Tried to call or visit: no answer').check();
      await page.getByLabel('What was said, or what happens next').fill('Rang at 3pm: no answer. Left a voicemail.');
      await tab.click(page.getByRole('button', { name: 'Save the contact' }));
      await expect(page.locator('.govuk-notification-banner').innerText()).resolves.toContain('Attempt to reach Marta Nowak recorded');
      await expect(tab.mainText()).resolves.toMatch(/Once with no answer: last on .* \(today\), by Ms Lewis/);
      await fits(tab);

      await tab.click(page.getByRole('link', { name: 'Record a contact with Marta Nowak' }));
      await fits(tab);
      await tab.click(page.getByRole('button', { name: 'Save the contact' }));
      await expect(page.getByRole('alert').innerText()).resolves.toContain('Choose how you were in touch');
      await fits(tab);
      await page.getByLabel('Phone call').check();
      await page.getByLabel('What was said, or what happens next').fill('Rang Marta: she will look in Gatepost tonight.');
      if (process.env.NOT_REACHED_SCREENSHOTS) await page.screenshot({ path: `${process.env.NOT_REACHED_SCREENSHOTS}/contact-${dialect}.png`, fullPage: true });
      await tab.click(page.getByRole('button', { name: 'Save the contact' }));
      expect(new URL(page.url()).pathname).toBe('/reach/not-reached');
      await expect(page.locator('.govuk-notification-banner').innerText()).resolves.toContain('Contact with Marta Nowak recorded');
      await expect(page.getByRole('link', { name: 'Record a contact with Marta Nowak' }).count()).resolves.toBe(0);

      await tab.click(page.getByRole('link', { name: 'See reach for Tomasz Nowak' }));
      await expect(tab.mainText()).resolves.toContain('mailbox unavailable');
      await fits(tab);
      if (process.env.NOT_REACHED_SCREENSHOTS) await page.screenshot({ path: `${process.env.NOT_REACHED_SCREENSHOTS}/family-${dialect}.png`, fullPage: true });
    },
    E2E_TIMEOUT,
  );
});

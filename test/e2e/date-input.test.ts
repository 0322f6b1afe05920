import { describe, expect, it } from 'vitest';
import { E2E_TIMEOUT, fillDate, horizontalOverflow, journeyOn, signInWithPassword, useBrowser, useJourney } from './support.ts';

const browser = useBrowser();

/** The shared date input (issue 13, point 5) at 320 pixels, with an error, passes axe and keeps what was typed. */
describe.each(journeyOn('sqlite'))('the three-box date input on %s', (dialect) => {
  const journey = useJourney(dialect, browser);

  it(
    'names the missing month beside the boxes, links to the month box, and fits 320 pixels',
    async () => {
      const head = await journey.newTab({ viewport: { width: 320, height: 640 } });
      await signInWithPassword(head, 'patel@brookfield.test');
      await head.visit('/policies/new');
      await head.page.getByLabel('Title').fill('Uniform policy');
      await fillDate(head.page, 'next_review_on', '30');
      await head.page.locator('[name="next_review_on-year"]').fill('2027');
      await head.click(head.page.getByRole('button', { name: /save|add/i }).first());
      expect(head.status()).toBe(400);
      expect(await head.mainText()).toContain('The next review date must include a month');
      expect(await head.page.locator('.govuk-error-summary a[href="#next_review_on-month"]').count()).toBe(1);
      expect(await head.page.locator('#next_review_on-day').inputValue()).toBe('30');
      const { scrollWidth } = await horizontalOverflow(head.page);
      expect(scrollWidth).toBeLessThanOrEqual(320);
      await head.done();
    },
    E2E_TIMEOUT,
  );
});

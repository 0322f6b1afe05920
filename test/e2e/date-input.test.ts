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

  it(
    'sets up a parents’ evening with its dates in three boxes: a month of 13 is named beside the box, then the evening saves',
    async () => {
      const head = await journey.newTab();
      await signInWithPassword(head, 'patel@brookfield.test');
      await head.visit('/evenings/new');
      const p = head.page;
      await p.getByLabel('Name', { exact: true }).fill('Spring parents’ evening');
      await fillDate(p, 's1_date', '17/1/2030');
      await p.locator('[name="s1_starts"]').fill('15:30');
      await p.locator('[name="s1_ends"]').fill('18:30');
      await p.getByLabel('3 Okafor').check();
      await fillDate(p, 'opens_date', '2/13/2030');
      await p.locator('[name="opens_time"]').fill('18:00');
      await fillDate(p, 'closes_date', '16/1/2030');
      await p.locator('[name="closes_time"]').fill('12:00');
      await head.click(p.getByRole('button', { name: 'Save and add rooms' }));
      expect(head.status()).toBe(400);
      expect(await head.mainText()).toContain('The date booking opens must be a real date');
      expect(await p.locator('.govuk-error-summary a[href="#opens_date-month"]').count()).toBe(1);
      expect(await p.locator('#s1_date-day').inputValue()).toBe('17'); // what was typed stays
      await p.locator('#opens_date-month').fill('1');
      await head.click(p.getByRole('button', { name: 'Save and add rooms' }));
      expect(head.status()).toBe(200);
      expect(p.url()).toMatch(/\/evenings\/[^/]+\/rooms\?done=created$/);
      const evening = await journey.server.db.selectFrom('evenings').select(['booking_opens_at', 'booking_closes_at']).where('name', '=', 'Spring parents’ evening').executeTakeFirstOrThrow();
      expect(evening).toEqual({ booking_opens_at: '2030-01-02T18:00:00.000Z', booking_closes_at: '2030-01-16T12:00:00.000Z' });
      await head.done();
    },
    E2E_TIMEOUT,
  );
});

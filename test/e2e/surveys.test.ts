import { describe, expect, it } from 'vitest';
import { dialects } from '../support/db.ts';
import { E2E_TIMEOUT, horizontalOverflow, signInWithPassword, useBrowser, useJourney } from './support.ts';

const browser = useBrowser();

/** Journey 9's survey in the browser, axe on every page: the head builds and sends it; Marta answers at 320 px with JavaScript off. */
describe.each(dialects)('a survey in the browser on %s', (dialect) => {
  const journey = useJourney(dialect, browser);

  it(
    'is built from the partnership set, previewed, sent, answered by Marta on a small phone without JavaScript, and counted',
    async () => {
      const head = await journey.newTab();
      await signInWithPassword(head, 'patel@brookfield.test');
      await head.visit('/surveys/new');
      await head.page.getByLabel('Title').fill('Working with families: September');
      await head.page.getByLabel('Start from a question set').selectOption({ label: 'Family partnership: parent statements (families)' });
      await head.page.getByLabel('Anonymous', { exact: true }).check();
      await head.page.getByLabel('Families: the whole school').check();
      await head.click(head.page.getByRole('button', { name: 'Create survey' }));
      expect(await head.mainText()).toContain('Teaching staff build positive relationships with parents.');
      const surveyPath = new URL(head.page.url()).pathname;
      await head.click(head.page.getByRole('link', { name: 'Preview as a parent on a phone' }));
      expect(await head.mainText()).toContain('Strongly agree');
      await head.visit(surveyPath);
      await head.click(head.page.getByRole('button', { name: 'Send the survey' }));
      expect(await head.mainText()).toContain('Survey sent');

      const invitation = await journey.server.db.selectFrom('survey_invitations').select('token').where('carer_id', '=', journey.server.fx.carers.marta).executeTakeFirstOrThrow();
      const marta = await journey.newTab({ viewport: { width: 320, height: 640 }, javaScriptEnabled: false });
      await marta.visit(`/s/${invitation.token}`);
      const statement = (words: string) => marta.page.getByRole('group', { name: words });
      await statement('Teaching staff build positive relationships with parents.').getByLabel('Zdecydowanie się zgadzam').check();
      await marta.page.getByLabel('What one thing would make it easier for you to work with the school?').fill('Spotkania po pracy');
      await marta.click(marta.page.getByRole('button', { name: 'Wyślij moje odpowiedzi' }));
      expect(marta.status()).toBe(400);
      expect(await marta.mainText()).toContain('Proszę odpowiedzieć na to pytanie');
      expect(await marta.page.getByLabel('What one thing would make it easier for you to work with the school?').inputValue()).toBe('Spotkania po pracy');
      await statement('I feel my views are listened to and valued by the school.').getByLabel('Zgadzam się', { exact: true }).check();
      await statement('The school involves parents when reviewing its policies.').getByLabel('Nie wiem').check();
      const { scrollWidth } = await horizontalOverflow(marta.page);
      expect(scrollWidth).toBeLessThanOrEqual(320);
      await marta.click(marta.page.getByRole('button', { name: 'Wyślij moje odpowiedzi' }));
      expect(await marta.mainText()).toContain('Dziękujemy');

      await head.click(head.page.getByRole('link', { name: 'Results' }));
      expect(await head.mainText()).toMatch(/1 of \d+ asked/);
      expect(await head.mainText()).toContain('no figures are shown yet');
      for (const tab of [head, marta]) await tab.done();
    },
    E2E_TIMEOUT,
  );
});

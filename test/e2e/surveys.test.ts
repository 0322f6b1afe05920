import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createSurvey } from '../../src/features/surveys/commands.ts';
import { openSurvey } from '../../src/features/surveys/invite.ts';
import { E2E_TIMEOUT, horizontalOverflow, signInWithPassword, useBrowser, useJourney, journeyOn } from './support.ts';

const browser = useBrowser();

/** Journey 9 in the browser, axe on every page: the head builds and sends the survey; Marta answers at 320 px with JavaScript off; the head (desktop) and a governor (320 px) read before → after. */
describe.each(journeyOn('postgres'))('a survey in the browser on %s', (dialect) => {
  const journey = useJourney(dialect, browser);

  it(
    'is previewed by the head, answered by Marta on a small phone without JavaScript, and counted',
    async () => {
      // The survey is built and sent through the feature (its forms are tested in routes.test.ts); the head's pages are checked here.
      const server = journey.server;
      const actor = { kind: 'staff' as const, id: server.fx.staff.head, schoolId: server.fx.school.id };
      const surveyId = await createSurvey(
        server.db,
        actor,
        server.fx.school.id,
        { title: 'Working with families: September', intro: '', anonymous: true, audience: { kind: 'carers', audience: { kind: 'school' } }, template: 'partnership_parents', baselineId: null },
        new Date(),
      );
      await openSurvey(server.db, actor, server.fx.school.id, surveyId, { baseUrl: server.url, schoolName: 'Brookfield', today: new Date().toISOString().slice(0, 10), now: new Date() });
      const head = await journey.newTab();
      await signInWithPassword(head, 'patel@brookfield.test');
      await head.visit(`/surveys/${surveyId}`);
      expect(await head.mainText()).toContain('Teaching staff build positive relationships with parents.');
      // On a phone the open survey's buttons are full width, one under the other, as GOV.UK's button group makes them.
      await head.page.setViewportSize({ width: 390, height: 844 });
      const group = await head.page.locator('main .govuk-button-group').boundingBox();
      for (const name of ['Remind everyone who has not answered', 'Close the survey']) {
        const button = await head.page.getByRole('button', { name }).boundingBox();
        expect(Math.round(button!.width), name).toBe(Math.round(group!.width));
      }
      await head.page.setViewportSize({ width: 1280, height: 720 });
      await head.click(head.page.getByRole('link', { name: 'Preview as a parent on a phone' }));
      expect(await head.mainText()).toContain('Strongly agree');

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

      await head.visit(`/surveys/${surveyId}/results`);
      expect(await head.mainText()).toMatch(/1 of \d+ asked/);
      expect(await head.mainText()).toContain('no figures are shown yet');

      // Ten paper answers later (all “agree”, beside Marta’s “strongly agree”) the figures show: the chart's words are in the page's font at a readable size, and its bars use the width.
      const [firstStatement] = await server.db.selectFrom('survey_questions').select('id').where('survey_id', '=', surveyId).where('kind', '=', 'agree').orderBy('position').execute();
      for (let i = 0; i < 10; i++) {
        const responseId = crypto.randomUUID();
        const base = { school_id: server.fx.school.id, survey_id: surveyId };
        await server.db
          .insertInto('survey_responses')
          .values({ ...base, id: responseId, invitation_id: null, via: 'paper', submitted_on: '2026-12-01' })
          .execute();
        await server.db
          .insertInto('survey_answers')
          .values({ ...base, id: crypto.randomUUID(), response_id: responseId, question_id: firstStatement!.id, value: 'agree' })
          .execute();
      }
      for (const width of [1280, 390]) {
        await head.page.setViewportSize({ width, height: 800 });
        await head.visit(`/surveys/${surveyId}/results`);
        const chart = head.page.locator('main svg.gp-chart').first();
        const looks = await chart.evaluate((svg) => {
          const label = svg.querySelector('text')!;
          const bars = Array.from(svg.querySelectorAll('rect')).map((r) => r.getBoundingClientRect().width);
          return {
            font: getComputedStyle(label).fontFamily,
            pageFont: getComputedStyle(document.querySelector('main .govuk-body')!).fontFamily,
            size: parseFloat(getComputedStyle(label).fontSize),
            widest: Math.max(...bars),
            chart: svg.getBoundingClientRect().width,
            column: svg.parentElement!.clientWidth - parseFloat(getComputedStyle(svg.parentElement!).paddingLeft) - parseFloat(getComputedStyle(svg.parentElement!).paddingRight),
          };
        });
        expect(looks.font, `${width}px`).toBe(looks.pageFont);
        expect(looks.size, `${width}px`).toBeGreaterThanOrEqual(16);
        expect(looks.chart, `${width}px`).toBeGreaterThanOrEqual(looks.column - 1);
        expect(looks.widest / looks.chart, `${width}px: a 91% bar`).toBeGreaterThan(0.7);
      }
      await head.page.setViewportSize({ width: 1280, height: 720 });

      // July's follow-up of September's survey: the governors' before → after page, at desktop and on a phone.
      const followUp = await createSurvey(
        server.db,
        actor,
        server.fx.school.id,
        { title: 'Working with families: July', intro: '', anonymous: true, audience: { kind: 'carers', audience: { kind: 'school' } }, template: 'partnership_parents', baselineId: surveyId },
        new Date(),
      );
      await openSurvey(server.db, actor, server.fx.school.id, followUp, { baseUrl: server.url, schoolName: 'Brookfield', today: new Date().toISOString().slice(0, 10), now: new Date() });
      await head.visit(`/surveys/${followUp}/comparison`);
      expect(await head.mainText()).toContain('Teaching staff build positive relationships with parents.');
      expect(await head.mainText()).toMatch(/too few answers to tell/i);
      const governor = await journey.newTab({ viewport: { width: 320, height: 640 } });
      await signInWithPassword(governor, 'shah@brookfield.test');
      await governor.visit(`/surveys/${followUp}/comparison`);
      expect(await governor.mainText()).toMatch(/too few answers to tell/i);
      // On a phone nothing scrolls sideways, not even inside the page, and every verdict is read whole.
      for (const width of [320, 390]) {
        await governor.page.setViewportSize({ width, height: 640 });
        const { scrollWidth, clientWidth } = await horizontalOverflow(governor.page);
        expect(scrollWidth).toBeLessThanOrEqual(clientWidth);
        const scrolling = await governor.page.evaluate(
          `Array.from(document.querySelectorAll('main *')).filter((el) => el.offsetParent !== null && el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).overflowX !== 'visible').length`,
        );
        expect(scrolling, `${width}px`).toBe(0);
        const verdicts = governor.page.locator('main .govuk-tag').filter({ hasText: 'too few answers to tell' });
        expect(await verdicts.count()).toBeGreaterThan(0);
        for (const verdict of await verdicts.all()) {
          if (!(await verdict.isVisible())) continue;
          const box = await verdict.boundingBox();
          expect(box!.x + box!.width, `${width}px`).toBeLessThanOrEqual(clientWidth);
        }
        expect(await governor.page.locator('main .govuk-tag:visible').count()).toBeGreaterThan(0);
      }
      for (const tab of [head, marta, governor]) await tab.done();
    },
    E2E_TIMEOUT * 3,
  );
});

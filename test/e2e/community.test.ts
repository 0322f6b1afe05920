import { describe, expect, it } from 'vitest';
import { E2E_TIMEOUT, horizontalOverflow, signInByEmailLink, signInWithPassword, useBrowser, useJourney, journeyOn } from './support.ts';

const browser = useBrowser();

/**
 * Journey 11's buddy families, axe on every page: Marta (on a phone, 320 px) asks for a buddy family;
 * Sarah offers to be one; Ms Lewis (desktop) records the match from the suggestions; neither family
 * sees the other's details until both have said yes. SQLite only, to stay short.
 */
describe.each(journeyOn('sqlite'))('buddy families agree before either sees the other, on %s', (dialect) => {
  const journey = useJourney(dialect, browser);

  it(
    'Marta opts in on her phone, Ms Lewis matches her with Sarah, both say yes, then each sees the other’s details',
    async () => {
      const marta = await journey.newTab({ viewport: { width: 320, height: 640 } });
      await signInByEmailLink(marta, journey.server, 'marta@families.test');
      await marta.visit('/my-community');
      await marta.page.getByLabel('Yes, we are new and would like a buddy family').check();
      await marta.click(marta.page.getByRole('button', { name: 'Save my answer' }));
      expect(await marta.mainText()).toContain('Your answer is saved');

      const sarah = await journey.newTab();
      await signInByEmailLink(sarah, journey.server, 'sarah@families.test');
      await sarah.visit('/my-community');
      await sarah.page.getByLabel('Yes, we would like to be a buddy family for someone new').check();
      await sarah.click(sarah.page.getByRole('button', { name: 'Save my answer' }));

      const lewis = await journey.newTab();
      await signInWithPassword(lewis, 'lewis@brookfield.test');
      await lewis.visit('/community');
      await lewis.page.getByLabel('Sarah Dean').check();
      await lewis.click(lewis.page.getByRole('button', { name: 'Record the match and ask both families' }));
      expect(await lewis.mainText()).toContain('The match is recorded');

      await marta.visit('/my-community');
      await marta.click(marta.page.getByRole('button', { name: 'Send my answer' }));
      expect(marta.status()).toBe(400);
      expect(await marta.mainText()).toContain('Choose yes or no');
      await marta.page.getByLabel('Yes, I agree').check();
      await marta.click(marta.page.getByRole('button', { name: 'Send my answer' }));
      expect(await marta.mainText()).toContain('We are waiting for the other family to answer');
      expect(await marta.mainText()).not.toContain('sarah@families.test');

      await sarah.visit('/my-community');
      expect(await sarah.mainText()).not.toContain('marta@families.test');
      await sarah.page.getByLabel('Yes, I agree').check();
      await sarah.click(sarah.page.getByRole('button', { name: 'Send my answer' }));
      expect(await sarah.mainText()).toContain('marta@families.test');

      await marta.visit('/my-community');
      expect(await marta.mainText()).toContain('sarah@families.test');
      const { scrollWidth, culprits } = await horizontalOverflow(marta.page);
      expect(scrollWidth, culprits.join('\n')).toBeLessThanOrEqual(320);
      for (const tab of [marta, sarah, lewis]) await tab.done();
    },
    E2E_TIMEOUT,
  );
});

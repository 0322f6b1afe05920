import { describe, expect, it } from 'vitest';
import { openParentsEvening } from './meetings-setup.ts';
import { E2E_TIMEOUT, horizontalOverflow, signInByEmailLink, signInWithPassword, useBrowser, useJourney, type Tab, journeyOn } from './support.ts';

/** WCAG 1.4.10 Reflow: content fits 320 CSS pixels wide without scrolling sideways. */
const NARROW = { width: 320, height: 640 };

const browser = useBrowser();

describe.each(journeyOn('postgres'))('usable 320 pixels wide on %s', (dialect) => {
  const journey = useJourney(dialect, browser);

  async function expectNoSidewaysScroll(t: Tab) {
    const { scrollWidth, clientWidth, culprits } = await horizontalOverflow(t.page);
    expect(clientWidth).toBe(NARROW.width);
    expect(scrollWidth, `${new URL(t.page.url()).pathname} is ${scrollWidth}px wide in a ${NARROW.width}px window; sticking out:\n${culprits.join('\n')}`).toBeLessThanOrEqual(NARROW.width);
  }

  it(
    'fits the carer’s home page',
    async () => {
      const tab = await journey.newTab({ viewport: NARROW });
      await signInByEmailLink(tab, journey.server, 'marta@families.test');
      await expect(tab.page.getByRole('heading', { level: 1 }).innerText()).resolves.toBe('Your children');
      await expectNoSidewaysScroll(tab);
    },
    E2E_TIMEOUT,
  );

  it(
    'fits the preferences page of a carer with a very long email address',
    async () => {
      const long = 'marta.nowakowska.familyaccount@averylongexampledomainforfamilies.co.uk';
      await journey.server.db.updateTable('carers').set({ email: long }).where('id', '=', journey.server.fx.carers.marta).execute();
      try {
        const tab = await journey.newTab({ viewport: NARROW });
        await signInByEmailLink(tab, journey.server, long);
        await tab.visit('/preferences');
        expect(await tab.mainText()).toContain(long);
        await expectNoSidewaysScroll(tab);
      } finally {
        await journey.server.db.updateTable('carers').set({ email: 'marta@families.test' }).where('id', '=', journey.server.fx.carers.marta).execute();
      }
    },
    E2E_TIMEOUT,
  );

  it(
    'fits a pupil’s page for staff',
    async () => {
      const tab = await journey.newTab({ viewport: NARROW });
      await signInWithPassword(tab, 'okafor@brookfield.test');
      await expectNoSidewaysScroll(tab);
      await tab.visit(`/pupils/${journey.server.fx.pupils.kuba}`);
      await expect(tab.page.getByRole('heading', { level: 1 }).innerText()).resolves.toBe('Jakub Nowak');
      await expectNoSidewaysScroll(tab);
    },
    E2E_TIMEOUT,
  );

  it(
    'fits a parents’ evening overview and a teacher’s schedule (their tables scroll inside the page)',
    async () => {
      const evening = await openParentsEvening(journey.server.db, journey.server.fx);
      const tab = await journey.newTab({ viewport: NARROW });
      await signInWithPassword(tab, 'okafor@brookfield.test');
      await tab.visit(`/evenings/${evening.id}`);
      await expectNoSidewaysScroll(tab);
      await tab.visit(`/evenings/${evening.id}/schedule`);
      await expect(tab.page.getByRole('heading', { level: 1 }).innerText()).resolves.toBe('Your schedule');
      await expectNoSidewaysScroll(tab);
    },
    E2E_TIMEOUT,
  );
});

import { describe, expect, it } from 'vitest';
import { createSession } from '../../src/platform/auth/sessions.ts';
import { E2E_TIMEOUT, horizontalOverflow, journeyOn, signInByEmailLink, useBrowser, useJourney, type E2EServer } from './support.ts';

/**
 * What the demo tour's pictures showed on a phone, kept from coming back: English bullet lists inside
 * a right-to-left page (the home-school agreement, not yet translated into Urdu) hung their bullets
 * off the left edge of a 320-pixel screen.
 */
const browser = useBrowser();

/** Mrs Patel writes and publishes a home-school agreement with bullet lists, through the app. */
async function publishAgreement(server: E2EServer): Promise<void> {
  const { token, session } = await createSession(server.db, { kind: 'staff', id: server.fx.staff.head, schoolId: server.fx.school.id }, new Date());
  const post = (url: string, form: Record<string, string>) =>
    server.app.inject({
      method: 'POST',
      url,
      headers: { cookie: `gatepost=${token}`, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ _csrf: session.csrf_token, ...form }).toString(),
    });
  const started = await post('/agreements/versions', {});
  const version = /versions\/([^/?]+)/.exec(started.headers.location!)![1];
  const saved = await post(`/agreements/versions/${version}/edit`, {
    title: 'Our home-school agreement',
    promise_1: 'We will tell you in advance about every meeting, and send its agenda two school days before',
    measure_1: '',
    carers_text: 'Make sure your child comes to school every day, on time\nRead with your child at home',
    pupils_text: 'Be kind and listen to others\nTry my best',
  });
  expect(saved.statusCode).toBe(303);
  expect((await post(`/agreements/versions/${version}/publish`, { asks_resigning: 'yes', change_note: '' })).statusCode).toBe(303);
}

describe.each(journeyOn('sqlite'))('a first look on a phone, on %s', (dialect) => {
  const journey = useJourney(dialect, browser);

  it(
    'Sarah reads the English agreement inside her Urdu page at 320 pixels: nothing sticks out, the bullets stay on the page',
    async () => {
      const { server } = journey;
      await publishAgreement(server);
      await server.db.updateTable('carers').set({ preferred_language: 'Urdu' }).where('id', '=', server.fx.carers.sarah).execute();
      const tab = await journey.newTab({ viewport: { width: 320, height: 640 } });
      await signInByEmailLink(tab, server, 'sarah@families.test', { ownLanguage: true });
      await tab.visit('/agreement');
      await expect(tab.page.evaluate(() => document.documentElement.dir)).resolves.toBe('rtl');
      await expect(tab.page.locator('#english li').first().innerText()).resolves.toContain('We will tell you in advance');
      const { scrollWidth, culprits } = await horizontalOverflow(tab.page);
      expect(scrollWidth, culprits.join('\n')).toBeLessThanOrEqual(320);
      const bullet = await tab.page
        .locator('#english ul')
        .first()
        .evaluate((ul) => ({ left: ul.getBoundingClientRect().left, padding: getComputedStyle(ul).paddingLeft }));
      expect(bullet.padding).not.toBe('0px');
      expect(bullet.left).toBeGreaterThanOrEqual(0);
    },
    E2E_TIMEOUT,
  );
});

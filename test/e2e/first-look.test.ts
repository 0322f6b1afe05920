import { describe, expect, it } from 'vitest';
import { createSession } from '../../src/platform/auth/sessions.ts';
import { E2E_TIMEOUT, horizontalOverflow, journeyOn, signInByEmailLink, useBrowser, useJourney, type E2EServer } from './support.ts';

/**
 * What the demo tour's pictures showed on a phone, kept from coming back: English bullet lists inside
 * a right-to-left page (the home-school agreement, not yet translated into Urdu) hung their bullets
 * off the left edge of a 320-pixel screen; an event's tables of figures widened the whole page.
 */
const browser = useBrowser();

/** A staff member's session: the cookie for a browser tab and a form POST through the app. */
async function staffSession(server: E2EServer, staffId: string) {
  const { token, session } = await createSession(server.db, { kind: 'staff', id: staffId, schoolId: server.fx.school.id }, new Date());
  const post = (url: string, form: Record<string, string>) =>
    server.app.inject({
      method: 'POST',
      url,
      headers: { cookie: `gatepost=${token}`, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ _csrf: session.csrf_token, ...form }).toString(),
    });
  return { token, post };
}

/** Mrs Patel writes and publishes a home-school agreement with bullet lists, through the app. */
async function publishAgreement(server: E2EServer): Promise<void> {
  const { post } = await staffSession(server, server.fx.staff.head);
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

  it(
    'Ms Byrne reads an event’s figures on a phone: the wide tables scroll in their own box, the page does not',
    async () => {
      const { server } = journey;
      const { token, post } = await staffSession(server, server.fx.staff.office);
      const made = await post('/events', {
        kind: 'concert',
        title: 'Winter concert',
        description: '',
        place: 'The school hall',
        audience_kind: 'school',
        session_1_date: '2026-12-16',
        session_1_start: '2pm',
        session_1_end: '3pm',
        session_2_date: '2026-12-16',
        session_2_start: '6pm',
        session_2_end: '7pm',
      });
      const eventId = /events\/([^/?]+)/.exec(made.headers.location ?? '')![1]!;
      expect((await post(`/events/${eventId}/publish`, {})).statusCode).toBe(303);
      const tab = await journey.newTab({ viewport: { width: 320, height: 640 } });
      await tab.context.addCookies([{ name: 'gatepost', value: token, url: server.url }]);
      for (const page of [`/events/${eventId}`, '/events/attendance']) {
        await tab.visit(page);
        await expect(tab.page.locator('#by-group').count()).resolves.toBe(1);
        const { scrollWidth, culprits } = await horizontalOverflow(tab.page);
        expect(scrollWidth, `${page}: ${culprits.join('\n')}`).toBeLessThanOrEqual(320);
      }
    },
    E2E_TIMEOUT,
  );
});

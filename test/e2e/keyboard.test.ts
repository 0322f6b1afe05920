import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { openParentsEvening } from './meetings-setup.ts';
import { E2E_TIMEOUT, signInByEmailLink, useBrowser, useJourney, journeyOn, type Tab } from './support.ts';

/**
 * With the keyboard alone (DOMAIN: axe finds about a third of problems; test with keyboard only):
 * Marta skips to the content, finds the parents' evening through the menu, chooses a time with each
 * teacher and books, pressing only Tab, the arrow keys and Enter. Every place the focus stops must
 * show it (WCAG 2.4.7 Focus Visible: GOV.UK's yellow focus colour or an outline), and the
 * focus never lands on something hidden or off the page.
 */
const browser = useBrowser();

/** Where the focus is: enough to recognise it, and whether a sighted keyboard user can see it there. */
type Stop = { tag: string; name: string; id: string; shown: boolean; visible: boolean };

const FOCUS_PROBE = `(() => {
  const el = document.activeElement;
  if (!el || el === document.body) return { tag: 'body', name: '', id: '', shown: false, visible: false };
  const style = getComputedStyle(el);
  const label = el.labels && el.labels[0] ? el.labels[0].innerText : '';
  const name = (el.getAttribute('aria-label') || label || el.innerText || el.value || '').replace(/\\s+/g, ' ').trim().slice(0, 80);
  const yellow = (c) => c.replace(/\\s/g, '').startsWith('rgb(255,221,0');
  const outlined = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2;
  const shadow = style.boxShadow && style.boxShadow !== 'none';
  // GOV.UK radios and checkboxes hide the input and draw its focus ring round the label's circle or box.
  const drawn = (el.type === 'radio' || el.type === 'checkbox') && el.labels && el.labels[0] ? getComputedStyle(el.labels[0], '::before').boxShadow.replace(/\\s/g, '').includes('rgb(255,221,0)') : false;
  const box = el.getBoundingClientRect();
  const onPage = box.width > 0 && box.height > 0 && box.bottom > 0 && box.right > 0 && box.left < document.documentElement.clientWidth;
  return { tag: el.tagName.toLowerCase(), name, id: el.id, shown: yellow(style.backgroundColor) || outlined || Boolean(shadow) || drawn, visible: onPage && style.visibility !== 'hidden' };
})()`;

async function focused(page: Page): Promise<Stop> {
  return (await page.evaluate(FOCUS_PROBE)) as Stop;
}

/** Presses Tab until `wanted` has the focus, checking every stop on the way; fails after `max` presses. */
async function tabTo(page: Page, wanted: (s: Stop) => boolean, max = 60): Promise<Stop[]> {
  const stops: Stop[] = [];
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    const stop = await focused(page);
    stops.push(stop);
    const before = stops
      .slice(-4, -1)
      .map((s) => `${s.tag} "${s.name}"`)
      .join(', ');
    expect(stop.visible, `the focus went to something hidden or off the page (${stop.tag} "${stop.name}", after ${before})`).toBe(true);
    expect(stop.shown, `no focus indicator on ${stop.tag} "${stop.name}"`).toBe(true);
    if (wanted(stop)) return stops;
  }
  throw new Error(`Not reached in ${max} presses of Tab; stopped at:\n${stops.map((s) => `${s.tag} "${s.name}"`).join('\n')}`);
}

/** Presses Enter on the focused link or button and waits for the page it opens (checked with axe). */
async function enter(tab: Tab): Promise<void> {
  await tab.navigate(() => tab.page.keyboard.press('Enter'));
}

describe.each(journeyOn('sqlite'))('with the keyboard alone on %s', (dialect) => {
  const journey = useJourney(dialect, browser);

  it(
    'lets Marta skip to the content, find the parents’ evening and book both teachers',
    async () => {
      const { server } = journey;
      const evening = await openParentsEvening(server.db, server.fx);
      const marta = await journey.newTab();
      await signInByEmailLink(marta, server, 'marta@families.test');
      const m = marta.page;

      // The first Tab is "Skip to main content", shown; Enter moves past the header and menu.
      const [skip] = await tabTo(m, () => true, 1);
      expect(skip).toMatchObject({ tag: 'a', name: 'Skip to main content' });
      await m.keyboard.press('Enter');
      expect(new URL(m.url()).hash).toBe('#main-content');

      // From the top again: through the menu to Parents' evenings, then the evening itself.
      await marta.visit('/');
      await tabTo(m, (s) => s.tag === 'a' && s.name === 'Parents’ evenings');
      await enter(marta);
      expect(new URL(m.url()).pathname).toBe('/parents-evenings');
      await tabTo(m, (s) => s.tag === 'a' && s.name.startsWith(evening.name));
      await enter(marta);
      expect(new URL(m.url()).pathname).toBe(`/parents-evenings/${evening.id}`);

      // A time with Ms Bell (Aleksandra, the younger, comes first) and one with Mr Okafor: each list takes the arrow keys.
      await tabTo(m, (s) => s.tag === 'select' && s.name.startsWith('Ms Bell'));
      await m.keyboard.press('ArrowDown'); // the first time
      expect(await m.getByLabel('Ms Bell, Reception classroom').inputValue()).not.toBe('');
      await tabTo(m, (s) => s.tag === 'select' && s.name.startsWith('Mr Okafor'));
      await m.keyboard.press('End'); // the last, well apart from Ms Bell's
      expect(await m.getByLabel('Mr Okafor, Classroom 3').inputValue()).not.toBe('');

      // Past the ways to meet and the help at appointments, to the button.
      await tabTo(m, (s) => s.tag === 'button' && s.name === 'Book these appointments');
      await enter(marta);
      expect(marta.status(), await marta.mainText()).toBe(200);
      await expect(m.locator('.govuk-notification-banner').innerText()).resolves.toContain('Your appointments are booked');
      const booked = await m.locator('main li[id^="appointment-"]').allInnerTexts();
      expect(booked).toHaveLength(2);
      expect(booked.join('\n')).toMatch(/Jakub Nowak with Mr Okafor/);
      expect(booked.join('\n')).toMatch(/Aleksandra Nowak with Ms Bell/);
    },
    E2E_TIMEOUT * 2,
  );
});

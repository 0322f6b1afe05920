import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { dialects } from '../support/db.ts';
import { E2E_TIMEOUT, horizontalOverflow, launchBrowser, openTab, signInByEmailLink, signInWithPassword, startServer, type E2EServer, type Tab } from './support.ts';

/** WCAG 1.4.10 Reflow: content fits 320 CSS pixels wide without scrolling sideways. */
const NARROW = { width: 320, height: 640 };

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

describe.each(dialects)('usable 320 pixels wide on %s', (dialect) => {
  let server: E2EServer;
  let tab: Tab | undefined;
  beforeAll(async () => {
    server = await startServer(dialect);
  });
  afterEach(async (ctx) => {
    const open = tab;
    tab = undefined;
    try {
      if (ctx.task.result?.state !== 'fail' && !ctx.task.result?.errors?.length) await open?.done();
    } finally {
      await open?.close();
    }
  });
  afterAll(async () => {
    await server?.close();
  });

  async function expectNoSidewaysScroll(t: Tab) {
    const { scrollWidth, clientWidth, culprits } = await horizontalOverflow(t.page);
    expect(clientWidth).toBe(NARROW.width);
    expect(scrollWidth, `${new URL(t.page.url()).pathname} is ${scrollWidth}px wide in a ${NARROW.width}px window; sticking out:\n${culprits.join('\n')}`).toBeLessThanOrEqual(NARROW.width);
  }

  it('fits the carer’s home page', async () => {
    tab = await openTab(browser, server.url, { viewport: NARROW });
    await signInByEmailLink(tab, server, 'marta@families.test');
    await expect(tab.page.getByRole('heading', { level: 1 }).innerText()).resolves.toBe('Your children');
    await expectNoSidewaysScroll(tab);
  }, E2E_TIMEOUT);

  it('fits a pupil’s page for staff', async () => {
    tab = await openTab(browser, server.url, { viewport: NARROW });
    await signInWithPassword(tab, 'okafor@brookfield.test');
    await expectNoSidewaysScroll(tab);
    await tab.visit(`/pupils/${server.fx.pupils.kuba}`);
    await expect(tab.page.getByRole('heading', { level: 1 }).innerText()).resolves.toBe('Jakub Nowak');
    await expectNoSidewaysScroll(tab);
  }, E2E_TIMEOUT);
});

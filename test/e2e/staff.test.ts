import { describe, expect, it } from 'vitest';
import { E2E_TIMEOUT, FIXTURE_PASSWORD, signInWithPassword, useBrowser, useJourney, journeyOn } from './support.ts';

const browser = useBrowser();

describe.each(journeyOn('sqlite'))('staff in the browser on %s', (dialect) => {
  const journey = useJourney(dialect, browser);

  it(
    'lets Mr Okafor sign in, find a pupil in his class and see the family, but not open another class’s pupil',
    async () => {
      const tab = await journey.newTab();
      const { page } = tab;
      await signInWithPassword(tab, 'okafor@brookfield.test');

      expect(new URL(page.url()).pathname).toBe('/');
      await expect(page.getByRole('heading', { level: 1 }).innerText()).resolves.toMatch(/Okafor/);
      const classes = page.locator('main').getByRole('heading', { name: 'Your classes' }).locator('xpath=..');
      await expect(classes.getByRole('link', { name: '3 Okafor' }).count()).resolves.toBe(1);

      await page.getByRole('textbox', { name: 'Find a pupil' }).fill('Nowak');
      await tab.click(page.locator('main').getByRole('button', { name: 'Search' }));
      expect(new URL(page.url()).pathname).toBe('/pupils');
      const results = page.locator('main table');
      await expect(results.getByRole('link', { name: 'Nowak, Jakub' }).count()).resolves.toBe(1);
      // Aleksandra is in Reception, not his class.
      await expect(results.innerText()).resolves.not.toContain('Aleksandra');

      await tab.click(results.getByRole('link', { name: 'Nowak, Jakub' }));
      expect(page.url()).toBe(`${journey.server.url}/pupils/${journey.server.fx.pupils.kuba}`);
      await expect(page.getByRole('heading', { level: 1 }).innerText()).resolves.toBe('Jakub Nowak');
      const marta = page.locator('.gp-card', { has: page.getByRole('link', { name: 'Marta Nowak' }) });
      const tomasz = page.locator('.gp-card', { has: page.getByRole('link', { name: 'Tomasz Nowak' }) });
      await expect(marta.innerText()).resolves.toMatch(/Mother/);
      await expect(marta.innerText()).resolves.toMatch(/Lives with Jakub/);
      await expect(tomasz.innerText()).resolves.toMatch(/Father/);
      await expect(tomasz.innerText()).resolves.toMatch(/Lives elsewhere/);

      const leo = await tab.visit(`/pupils/${journey.server.fx.pupils.leo}`);
      expect(leo?.status()).toBe(404);
      await expect(page.getByRole('heading', { level: 1 }).innerText()).resolves.toBe('Page not found');
      await expect(tab.mainText()).resolves.not.toMatch(/Mensah/);
    },
    E2E_TIMEOUT,
  );

  it(
    'works without JavaScript: a wrong password shows the error summary and the error by the field, and keeps the email',
    async () => {
      const tab = await journey.newTab({ javaScriptEnabled: false });
      const { page } = tab;
      await tab.visit('/sign-in');
      const form = page.locator('form[action="/sign-in"]');
      await form.getByLabel('Email address').fill('okafor@brookfield.test');
      await form.getByLabel('Password', { exact: true }).fill('not the password');
      await tab.click(form.getByRole('button', { name: 'Sign in', exact: true }));

      expect(tab.status()).toBe(400);
      await expect(page.title()).resolves.toMatch(/^Error: Sign in/);
      const summary = page.locator('.govuk-error-summary');
      await expect(summary.getByRole('heading', { name: 'There is a problem' }).count()).resolves.toBe(1);
      const summaryLink = summary.getByRole('link', { name: 'The email address or password is not right' });
      await expect(summaryLink.getAttribute('href')).resolves.toBe('#email');
      // The error is beside the field and tied to it.
      const email = page.locator('form[action="/sign-in"] #email');
      await expect(page.locator('#email-error').innerText()).resolves.toMatch(/The email address or password is not right/);
      await expect(email.getAttribute('aria-describedby')).resolves.toContain('email-error');
      await expect(email.inputValue()).resolves.toBe('okafor@brookfield.test');
      await expect(page.locator('form[action="/sign-in"] #password').inputValue()).resolves.toBe('');

      await page.locator('form[action="/sign-in"] #password').fill(FIXTURE_PASSWORD);
      await tab.click(page.locator('form[action="/sign-in"]').getByRole('button', { name: 'Sign in', exact: true }));
      expect(new URL(page.url()).pathname).toBe('/');
      expect(tab.status()).toBe(200);
      await expect(page.getByRole('heading', { level: 1 }).innerText()).resolves.toMatch(/Okafor/);
    },
    E2E_TIMEOUT,
  );

  it(
    'lets the office open a family on a phone, see when the school last reached them, and make a sign-in letter for a carer with no email',
    async () => {
      const tab = await journey.newTab({ viewport: { width: 390, height: 844 } });
      const { page } = tab;
      await signInWithPassword(tab, 'byrne@brookfield.test');
      await tab.visit(`/carers/${journey.server.fx.carers.faduma}`);
      const main = await page.locator('main').innerText();
      expect(main).toContain('Faduma Warsame');
      expect(main).toContain('Last reached');
      await tab.click(page.getByRole('button', { name: 'Make a sign-in letter' }));
      await expect(page.locator('#sign-in-code').innerText()).resolves.toMatch(/^[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}$/);
    },
    E2E_TIMEOUT,
  );
});

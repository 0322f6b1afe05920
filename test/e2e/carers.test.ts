import { describe, expect, it } from 'vitest';
import { E2E_TIMEOUT, redeemSignInLink, requestSignInLink, useBrowser, useJourney, type Tab, journeyOn } from './support.ts';

const browser = useBrowser();

describe.each(journeyOn('postgres'))('parents and carers in the browser on %s', (dialect) => {
  const journey = useJourney(dialect, browser);

  /** The whole document as the browser has it: text, links, attributes and hidden parts. */
  const everything = (tab: Tab) => tab.page.content();

  it(
    'lets Marta sign in by the emailed link and see only her own children; the link works once',
    async () => {
      const tab = await journey.newTab();
      const { page } = tab;
      const { pupils } = journey.server.fx;

      const link = await requestSignInLink(tab, journey.server, 'marta@families.test');
      // Built from HOST and PORT (the server listens on loopback and BASE_URL is not set), never from the Host header.
      expect(link.startsWith(`${journey.server.url}/sign-in/link/`)).toBe(true);
      await redeemSignInLink(tab, link);

      expect(new URL(page.url()).pathname).toBe('/');
      // Marta reads Polish: her pages are in Polish from the first one (English is one click away).
      await expect(page.getByRole('heading', { level: 1 }).innerText()).resolves.toBe('Państwa dzieci');
      const children = page.locator('main .gp-card').getByRole('heading', { level: 2 });
      expect((await children.allInnerTexts()).sort()).toEqual(['Aleksandra Nowak', 'Jakub Nowak']);
      const home = await everything(tab);
      for (const word of ['Lily', 'Dean', 'Leo', 'Mensah', pupils.lily, pupils.leo]) expect(home).not.toContain(word);
      // A carer's menu has no staff pages.
      await expect(page.getByRole('navigation', { name: 'Menu' }).getByRole('link').allInnerTexts()).resolves.toEqual([
        'Strona główna',
        'Wiadomości',
        'Spotkania',
        'Wywiadówki',
        'Sprawy i skargi',
        'Nasza szkoła',
        'Jak się z Państwem kontaktujemy',
        'Państwa konto',
      ]);

      await tab.click(page.getByRole('link', { name: 'Jakub Nowak' }));
      expect(new URL(page.url()).pathname).toBe(`/children/${pupils.kuba}`);
      expect(tab.status()).toBe(200);
      await expect(tab.mainText()).resolves.toContain('Jakub');

      // The staff page about her own son is not for her; nor is anyone else's child.
      for (const url of [`/pupils/${pupils.kuba}`, `/children/${pupils.lily}`, `/children/${pupils.leo}`]) {
        const response = await tab.visit(url);
        expect(response?.status(), url).toBe(404);
        await expect(page.getByRole('heading', { level: 1 }).innerText()).resolves.toBe('Nie znaleziono strony'); // in her language (Polish)
        const html = await everything(tab);
        for (const word of ['Lily', 'Leo', 'Mensah', 'Court order']) expect(html, url).not.toContain(word);
      }

      // The same link again, as if forwarded to someone else: it has been used.
      const other = await journey.newTab();
      await redeemSignInLink(other, link);
      expect(other.status()).toBe(400);
      await expect(other.page.getByRole('heading', { level: 1 }).innerText()).resolves.toBe('This sign-in link has expired');
      expect(new URL(other.page.url()).pathname).toMatch(/^\/sign-in\/link\//);
      await expect(other.page.context().cookies()).resolves.not.toContainEqual(expect.objectContaining({ name: 'gatepost' }));
    },
    E2E_TIMEOUT,
  );

  it(
    'shows Mark Dean nothing at all of the daughter a court order keeps him from',
    async () => {
      const tab = await journey.newTab();
      const { page } = tab;
      const { pupils } = journey.server.fx;

      await redeemSignInLink(tab, await requestSignInLink(tab, journey.server, 'mark@families.test'));
      expect(new URL(page.url()).pathname).toBe('/');
      await expect(page.getByRole('heading', { level: 1 }).innerText()).resolves.toBe('Your children');
      await expect(page.locator('main .gp-card').count()).resolves.toBe(0);
      const home = await everything(tab);
      expect(home).not.toMatch(/Lily/i);
      expect(home).not.toContain(pupils.lily);
      expect(home).not.toMatch(/3 Okafor|Year 3/);

      for (const url of [`/children/${pupils.lily}`, `/pupils/${pupils.lily}`]) {
        const response = await tab.visit(url);
        expect(response?.status(), url).toBe(404);
        await expect(page.getByRole('heading', { level: 1 }).innerText()).resolves.toBe('Page not found');
        expect(await everything(tab), url).not.toMatch(/Lily/i);
      }
    },
    E2E_TIMEOUT,
  );
});

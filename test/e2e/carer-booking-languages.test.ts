import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { dialects } from '../support/db.ts';
import { insertMeeting } from '../../src/features/meetings/record-test-data.ts';
import { openParentsEvening } from './meetings-setup.ts';
import { E2E_TIMEOUT, horizontalOverflow, signInByEmailLink, useBrowser, useJourney, type Tab } from './support.ts';

/**
 * A carer books a parents' evening appointment and reads a meeting in their own language, 320 pixels
 * wide, every page checked with axe: Marta in Polish, and a mother who reads Urdu, right to left.
 */
const NARROW = { width: 320, height: 640 };
const shots = path.resolve(import.meta.dirname, '../../screenshots');

const browser = useBrowser();

describe.each(dialects)('a carer books and reads a meeting in their language on %s', (dialect) => {
  const journey = useJourney(dialect, browser);

  async function shoot(tab: Tab, name: string) {
    fs.mkdirSync(shots, { recursive: true });
    await tab.page.screenshot({ path: path.join(shots, `carer-languages-${dialect}-${name}.png`), fullPage: true });
  }

  async function fits(tab: Tab) {
    const { scrollWidth, culprits } = await horizontalOverflow(tab.page);
    expect(scrollWidth, culprits.join('\n')).toBeLessThanOrEqual(NARROW.width);
  }

  async function bookAndRead(o: { email: string; carerId: string; pupilId: string; lang: string; dir: string; book: string; booked: string; meetingHeading: string; name: string }) {
    const { server } = journey;
    const evening = await openParentsEvening(server.db, server.fx);
    const meetingId = await insertMeeting(server.db, server.fx, { pupilId: o.pupilId, carerIds: [o.carerId], startsAt: new Date(Date.now() + 7 * 86_400_000).toISOString() });
    const tab = await journey.newTab({ viewport: NARROW });
    await signInByEmailLink(tab, server, o.email, { ownLanguage: true });

    await tab.visit(`/parents-evenings/${evening.id}`);
    expect(await tab.page.getAttribute('html', 'lang')).toBe(o.lang);
    expect(await tab.page.getAttribute('html', 'dir')).toBe(o.dir);
    await tab.page.locator('select.govuk-select').first().selectOption({ index: 1 });
    await shoot(tab, `${o.name}-booking`);
    await fits(tab);
    await tab.click(tab.page.getByRole('button', { name: o.book }));
    expect(await tab.mainText()).toContain(o.booked);
    await shoot(tab, `${o.name}-booked`);
    await fits(tab);

    await tab.visit(`/my-meetings/${meetingId}`);
    await expect(tab.page.getByRole('heading', { level: 1 }).innerText()).resolves.toBe(o.meetingHeading);
    await shoot(tab, `${o.name}-meeting`);
    await fits(tab);
  }

  it(
    'lets Marta book an appointment and read her meeting in Polish',
    async () => {
      const { fx } = journey.server;
      await bookAndRead({
        email: 'marta@families.test',
        carerId: fx.carers.marta,
        pupilId: fx.pupils.kuba,
        lang: 'pl',
        dir: 'ltr',
        book: 'Zarezerwuj te spotkania',
        booked: 'Państwa spotkania są zarezerwowane.',
        meetingHeading: 'Spotkanie w sprawie: Jakub',
        name: 'polish',
      });
    },
    E2E_TIMEOUT,
  );

  it(
    'lets a mother who reads Urdu do the same, right to left',
    async () => {
      const { fx, db } = journey.server;
      await db.updateTable('carers').set({ preferred_language: 'Urdu' }).where('id', '=', fx.carers.sarah).execute();
      await bookAndRead({
        email: 'sarah@families.test',
        carerId: fx.carers.sarah,
        pupilId: fx.pupils.lily,
        lang: 'ur',
        dir: 'rtl',
        book: 'یہ ملاقاتیں بک کریں',
        booked: 'آپ کی ملاقاتیں بک ہو گئی ہیں۔',
        meetingHeading: 'Lily کے بارے میں ملاقات',
        name: 'urdu',
      });
    },
    E2E_TIMEOUT,
  );
});

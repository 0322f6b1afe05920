import { describe, expect, it } from 'vitest';
import { createEvent, publishEvent } from '../../src/features/events/commands.ts';
import { eventById } from '../../src/features/events/queries.ts';
import type { E2EServer } from './support.ts';
import { E2E_TIMEOUT, horizontalOverflow, signInByEmailLink, signInWithPassword, useBrowser, useJourney, journeyOn } from './support.ts';

const browser = useBrowser();

/** The coffee morning, at 9:00 and again at 18:00 a week from now, sent to the whole school. */
async function sendCoffeeMorning(server: E2EServer): Promise<string> {
  const { db, fx } = server;
  const office = { kind: 'staff' as const, id: fx.staff.office, schoolId: fx.school.id };
  const day = new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10);
  const id = await createEvent(
    db,
    office,
    { kind: 'coffee_morning', title: 'Coffee morning', description: 'Meet other families over coffee.', place: 'The school hall', audience: { kind: 'school' } },
    [
      { startsAt: `${day}T09:00:00.000Z`, endsAt: `${day}T10:30:00.000Z` },
      { startsAt: `${day}T18:00:00.000Z`, endsAt: `${day}T19:30:00.000Z` },
    ],
    new Date(),
  );
  await publishEvent(db, office, (await eventById(db, fx.school.id, id))!, {
    baseUrl: server.url,
    schoolName: 'Brookfield',
    timeZone: 'Europe/London',
    today: new Date().toISOString().slice(0, 10),
    now: new Date(),
    textsCanGo: false,
  });
  return id;
}

/** Journey 11 in the browser, axe on every page: Marta answers the coffee morning on a small phone with JavaScript off; Ms Byrne takes the register at her desk. SQLite only, to stay short. */
describe.each(journeyOn('sqlite'))('an event RSVP with JavaScript off, on %s', (dialect) => {
  const journey = useJourney(dialect, browser);

  it(
    'Marta forgets to choose a time (told beside the question, her number kept), then says yes to 18:00 for two; the register shows her first time',
    async () => {
      const eventId = await sendCoffeeMorning(journey.server);
      const marta = await journey.newTab({ viewport: { width: 320, height: 640 }, javaScriptEnabled: false });
      await signInByEmailLink(marta, journey.server, 'marta@families.test');
      await marta.visit('/my-events');
      expect(await marta.mainText()).toContain('Please tell us if you can come');
      await marta.click(marta.page.getByRole('link', { name: 'Coffee morning' }));
      await marta.page.getByLabel('How many people are coming, including you?').fill('2');
      await marta.click(marta.page.getByRole('button', { name: 'Send my answer' }));
      expect(marta.status()).toBe(400);
      expect(await marta.mainText()).toContain('Choose a time, or say you cannot come');
      expect(await marta.page.getByLabel('How many people are coming, including you?').inputValue()).toBe('2');
      await marta.page.locator('input[name="choice"]').nth(1).check();
      await marta.click(marta.page.getByRole('button', { name: 'Send my answer' }));
      expect(await marta.mainText()).toContain('Thank you. Your answer has been sent to the school.');
      expect(await marta.mainText()).toMatch(/Yes, .*, 2 people/);
      const { scrollWidth, culprits } = await horizontalOverflow(marta.page);
      expect(scrollWidth, culprits.join('\n')).toBeLessThanOrEqual(320);
      const answer = await journey.server.db.selectFrom('event_rsvps').select(['answer', 'attending']).where('carer_id', '=', journey.server.fx.carers.marta).execute();
      expect(answer).toEqual([{ answer: 'yes', attending: 2 }]);

      const office = await journey.newTab({ viewport: { width: 1280, height: 900 } });
      await signInWithPassword(office, 'byrne@brookfield.test');
      await office.visit(`/events/${eventId}`);
      expect(await office.mainText()).toContain('1 yes');
      const sessions = await journey.server.db.selectFrom('event_sessions').select('id').where('event_id', '=', eventId).orderBy('starts_at').execute();
      await office.visit(`/events/${eventId}/sessions/${sessions[1]!.id}/register`);
      expect(await office.mainText()).toContain('Said yes, 2 people · never come to an event before');
      await office.page.getByLabel('Marta Nowak').check();
      await office.click(office.page.getByRole('button', { name: 'Save the register' }));
      expect(await office.mainText()).toContain('Register saved.');
      expect(await office.mainText()).toContain('Said yes, 2 people · first time');
      expect(await office.page.getByLabel('Marta Nowak').isChecked()).toBe(true);
    },
    E2E_TIMEOUT,
  );
});

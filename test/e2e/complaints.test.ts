import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { schoolCalendar } from '../../src/platform/calendar/calendar-queries.ts';
import { stageOneTimeline } from '../../src/features/concerns/complaint-timeline.ts';
import { insertMeeting } from '../../src/features/meetings/record-test-data.ts';
import { E2E_TIMEOUT, expectPageFits, expectTablesFit, fillDate, signInByEmailLink, signInWithPassword, useBrowser, useJourney, journeyOn } from './support.ts';

const browser = useBrowser();
const NARROW = { width: 320, height: 640 };
const DESKTOP = { width: 1280, height: 900 };

/** At 320 pixels the menu is folded away behind its button. */
async function openMenu(page: Page) {
  const button = page.getByRole('button', { name: /Menu/ });
  if (await button.isVisible().catch(() => false)) await button.click();
}

/**
 * Journey 8, “A complaint, fairly handled”, in the browser with axe on every page, on a phone and on a
 * desktop: Marta complains formally from her menu; the head tries Mr Okafor (who teaches Kuba and met
 * the family) and Gatepost refuses him with the reasons; Dr Shah, unconnected, investigates and cannot
 * issue her report with a checklist point unanswered; the head sends the outcome letter; Marta reads it.
 */
describe.each(journeyOn('sqlite'))('a formal complaint, fairly handled, in the browser on %s', (dialect) => {
  const journey = useJourney(dialect, browser);

  it.each([
    ['320 px', NARROW],
    ['desktop', DESKTOP],
  ] as const)(
    'goes from Marta’s menu to an independent officer’s report and the outcome letter (%s)',
    async (_size, viewport) => {
      const { server } = journey;
      const kuba = await server.db.selectFrom('pupils').select(['id', 'year_group']).where('id', '=', server.fx.pupils.kuba).executeTakeFirstOrThrow();
      // Mr Okafor met the family about Kuba this term: a meeting he took part in.
      await insertMeeting(server.db, server.fx, {
        pupilId: kuba.id,
        leadId: server.fx.staff.teacher,
        carerIds: [server.fx.carers.marta],
        status: 'held',
        startsAt: DateTime.now().minus({ weeks: 3 }).toUTC().toISO()!,
      });
      const lastIncident = DateTime.now().setZone('Europe/London').minus({ days: 3 });

      const marta = await journey.newTab({ viewport });
      await signInByEmailLink(marta, server, 'marta@families.test');
      await openMenu(marta.page);
      await marta.click(marta.page.getByRole('navigation', { name: 'Menu' }).getByRole('link', { name: 'Concerns and complaints' }));
      if (viewport === NARROW) expect(await marta.mainText()).toContain('You have not made a formal complaint on Gatepost.'); // the first run
      await marta.click(marta.page.getByRole('link', { name: 'Make a formal complaint' }));
      // A mistake keeps what she typed and says what is wrong beside the field.
      await marta.page.getByLabel('Jakub Nowak').check();
      await marta.page.getByLabel('What would put it right?').fill('An explanation and an apology');
      await fillDate(marta.page, 'last_incident_on', lastIncident.toFormat('dd/MM/yyyy'));
      await marta.click(marta.page.getByRole('button', { name: 'Send my complaint' }));
      expect(marta.status()).toBe(400);
      expect(await marta.page.locator('#complaint-error').innerText()).toContain('Enter your complaint');
      expect(await marta.page.getByLabel('What would put it right?').inputValue()).toBe('An explanation and an apology');
      await marta.page.getByLabel('Your complaint').fill('Kuba was kept in at lunch all week and nobody told us why.');
      await marta.click(marta.page.getByRole('button', { name: 'Send my complaint' }));
      expect(await marta.mainText()).toContain('We have received your complaint');
      if (viewport === NARROW) await expectPageFits(marta, NARROW.width);
      const complaintId = /my-complaints\/([^?#]+)/.exec(marta.page.url())![1]!;

      // The deadlines count school days from the school's own calendar, and Marta sees them.
      const row = await server.db.selectFrom('complaints').selectAll().where('id', '=', complaintId).executeTakeFirstOrThrow();
      const expected = stageOneTimeline(await schoolCalendar(server.db, server.fx.school.id), { receivedOn: row.received_on, lastIncidentOn: row.last_incident_on!, yearGroup: kuba.year_group });
      expect({ acknowledge: row.acknowledge_by, respond: row.respond_by }).toEqual({ acknowledge: expected.acknowledgeBy, respond: expected.respondBy });
      expect(DateTime.fromISO(row.respond_by).weekday).toBeLessThan(6);
      expect(await marta.mainText()).toContain(DateTime.fromISO(row.respond_by).setLocale('en-GB').toFormat('d MMMM yyyy'));
      // Her menu entry lists it with its stage.
      await openMenu(marta.page);
      await marta.click(marta.page.getByRole('navigation', { name: 'Menu' }).getByRole('link', { name: 'Concerns and complaints' }));
      await marta.click(marta.page.getByRole('link', { name: 'Your complaint about Jakub' }).first());

      const head = await journey.newTab({ viewport });
      await signInWithPassword(head, 'patel@brookfield.test');
      await head.click(head.page.getByRole('link', { name: 'A formal complaint was made: choose an investigating officer not connected with the matter' }).first());
      const officer = head.page.locator('form[action$="/officer"]');
      await officer.getByLabel('Investigating officer').selectOption({ label: 'Mr Okafor (teacher)' });
      await head.click(officer.getByRole('button', { name: 'Appoint' }));
      expect(head.status()).toBe(400);
      const refusal = await head.page.locator('#staff-error').innerText();
      expect(refusal).toContain('Gatepost cannot appoint Mr Okafor');
      expect(refusal).toContain('teaches the child’s class');
      expect(refusal).toContain('meeting');
      await head.page.locator('form[action$="/officer"]').getByLabel('Investigating officer').selectOption({ label: 'Dr Shah (governor)' });
      await head.click(head.page.locator('form[action$="/officer"]').getByRole('button', { name: 'Appoint' }));
      expect(await head.mainText()).toContain('Investigating officer appointed.');
      expect(await head.mainText()).toContain('Gatepost refused Mr Okafor');
      if (viewport === NARROW) await expectPageFits(head, NARROW.width);

      // Mr Okafor is not on the case team: the complaint is not there for him.
      const okafor = await journey.newTab({ viewport });
      await signInWithPassword(okafor, 'okafor@brookfield.test');
      await okafor.visit(`/complaints/${complaintId}`);
      expect(okafor.status()).toBe(404);

      const shah = await journey.newTab({ viewport });
      await signInWithPassword(shah, 'shah@brookfield.test');
      await shah.click(shah.page.getByRole('link', { name: 'You are the investigating officer for a formal complaint' }).first());
      await shah.page.getByLabel('Who was interviewed').fill('Mr Green, lunchtime supervisor');
      await shah.page.getByLabel('What they said').fill('The whole table was kept in after a lunchbox was thrown.');
      await shah.click(shah.page.getByRole('button', { name: 'Record the interview' }));
      expect(await shah.mainText()).toContain('Interview recorded.');
      const answers: Record<string, string> = {
        'The investigating officer’s independence': 'I am a governor with no link to Year 3 or the family.',
        'What happened': 'Kuba’s table was kept in for a week after one lunchbox was thrown.',
        'How the matter was handled': 'Nobody told the family why.',
        'Is it resolved, in your opinion?': 'Not yet: an apology and a clear rule would resolve it.',
        'Is the report fair?': 'Both sides heard.',
        'Is it full?': 'Every part answered.',
        'Is it proportionate and appropriate?': 'Yes.',
        'Is it timely?': '',
        'Has the investigation remained confidential?': 'Only the case team knew.',
        'Were there any barriers that prevented a full investigation?': 'None.',
      };
      for (const [label, answer] of Object.entries(answers)) await shah.page.getByLabel(label, { exact: true }).fill(answer);
      await shah.page.getByLabel('Partly upheld').check();
      await shah.click(shah.page.getByRole('button', { name: 'Issue the report' }));
      expect(shah.status()).toBe(400);
      expect(await shah.page.locator('#timely-error').innerText()).toContain('Answer “Is it timely?” before issuing the report');
      expect(await shah.page.getByLabel('What happened', { exact: true }).inputValue()).toBe(answers['What happened']);
      await shah.page.getByLabel('Is it timely?', { exact: true }).fill('Within the school’s limits.');
      await shah.click(shah.page.getByRole('button', { name: 'Issue the report' }));
      expect(await shah.mainText()).toContain('Report issued.');
      if (viewport === NARROW) await expectPageFits(shah, NARROW.width);

      // The governor's figures: from her home page, the year beside the one before, fitting a phone.
      await shah.visit('/');
      await shah.click(shah.page.getByRole('link', { name: 'How well we work with families' }));
      expect(await shah.page.getByRole('row', { name: /^Formal complaints/ }).innerText()).toMatch(/Formal complaints\s+0\s+fewer than 5/);
      if (viewport === NARROW) await expectPageFits(shah, NARROW.width);

      const since = server.sink.messages.length;
      await head.visit(`/complaints/${complaintId}`);
      const letter = head.page.getByLabel('The letter', { exact: true });
      expect(await letter.inputValue()).toContain('Partly upheld');
      await letter.fill(`${await letter.inputValue()}\n\nWe are sorry that nobody told you why.`);
      await head.click(head.page.getByRole('button', { name: 'Send it to the complainant' }));
      expect(await head.mainText()).toContain('Letter done.');
      const email = await server.nextEmail('marta@families.test', since);
      expect(email.text).toContain('We are sorry that nobody told you why.');
      expect(email.text).toContain(`/my-complaints/${complaintId}`); // her complaint's own page, not the concern behind it

      // The case team's list: on a phone (320 and 390 px) the stage, where it is and when it came in fold
      // under the child's name and nothing scrolls sideways; on a desktop each has its own column.
      await head.visit('/complaints');
      if (viewport === NARROW) {
        for (const width of [NARROW.width, 390]) {
          await head.page.setViewportSize({ width, height: NARROW.height });
          await expectPageFits(head, width);
          await expectTablesFit(head);
          expect(await head.page.getByRole('columnheader').allInnerTexts()).toEqual(['About', 'Next date']);
          expect(await head.page.getByRole('rowheader').first().innerText()).toMatch(/Jakub Nowak\s+Stage 1: .+\s+Received \d+ \w+ 2026/);
        }
        await head.page.setViewportSize(NARROW);
      } else {
        expect(await head.page.getByRole('columnheader').allInnerTexts()).toEqual(['About', 'Stage', 'Where it is', 'Received', 'Next date']);
        expect(await head.page.getByRole('rowheader').first().innerText()).toBe('Jakub Nowak');
      }

      await marta.visit(`/my-complaints/${complaintId}`);
      expect(await marta.mainText()).toContain('We are sorry that nobody told you why.');
      if (viewport === NARROW) await expectPageFits(marta, NARROW.width);
      for (const tab of [marta, head, okafor, shah]) await tab.done();
    },
    E2E_TIMEOUT * 3,
  );
});

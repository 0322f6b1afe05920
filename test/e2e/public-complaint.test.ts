import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { E2E_TIMEOUT, expectPageFits, fillDate, signInWithPassword, useBrowser, useJourney, journeyOn } from './support.ts';

const browser = useBrowser();
const NARROW = { width: 320, height: 640 };
const DESKTOP = { width: 1280, height: 900 };

/**
 * Journey 8 for a complaint from anyone (issue 14, point 5), in the browser with axe on every page: a
 * neighbour complains on the public form without signing in; the head takes it on; Dr Shah, not
 * connected with it, investigates and issues her report on the checklist; the head sends the outcome
 * letter, which reaches the neighbour by email. She never has a way into the staff pages.
 */
describe.each(journeyOn('sqlite'))('a complaint from the public form, through to the outcome letter, on %s', (dialect) => {
  const journey = useJourney(dialect, browser);

  it.each([
    ['320 px', NARROW],
    ['desktop', DESKTOP],
  ] as const)(
    'goes from the public form to the outcome letter by email (%s)',
    async (_size, viewport) => {
      const { server } = journey;
      const email = `joan.${viewport.width}@example.test`;
      const joan = await journey.newTab({ viewport });
      await joan.visit('/complain/100001');
      await joan.page.getByLabel('Your name').fill('Joan Pike');
      await joan.page.getByLabel('Your email address').fill(email);
      await joan.page.getByLabel('How are you connected with the school?').fill('I live next to the school');
      await joan.page.getByLabel('What would put it right?').fill('Ask parents not to park across driveways');
      await fillDate(joan.page, 'last_incident_on', DateTime.now().setZone('Europe/London').minus({ days: 2 }).toFormat('dd/MM/yyyy'));
      await joan.click(joan.page.getByRole('button', { name: /Send/ }));
      expect(joan.status()).toBe(400);
      expect(await joan.page.locator('#about-error').innerText()).toContain('Enter your complaint');
      expect(await joan.page.getByLabel('Your name').inputValue()).toBe('Joan Pike');
      expect(await joan.page.locator('[name="last_incident_on-year"]').inputValue()).not.toBe(''); // the date boxes keep what was typed
      await joan.page.getByLabel('Your complaint').fill('Cars block my drive at pick-up every day.');
      const since = server.sink.messages.length;
      await joan.click(joan.page.getByRole('button', { name: /Send/ }));
      expect(await joan.mainText()).toContain('We have received your complaint');
      if (viewport === NARROW) await expectPageFits(joan, NARROW.width);
      expect((await server.nextEmail(email, since)).text).toContain('Cars block my drive at pick-up every day.');

      const head = await journey.newTab({ viewport });
      await signInWithPassword(head, 'patel@brookfield.test');
      await head.click(head.page.getByRole('link', { name: 'A complaint was made on the public form: decide how it will be dealt with' }).first());
      await head.page.getByLabel('Take it on under the complaints procedure').check();
      await head.page.getByLabel('What the complainant is told').fill('Dr Shah, a governor, will look into it.');
      await head.click(head.page.getByRole('button', { name: 'Record and email them' }));
      expect(await head.mainText()).toContain('The complaint is recorded.');
      expect(await head.mainText()).toContain('Joan Pike (public form)');
      const complaintId = /complaints\/([^?#/]+)/.exec(head.page.url())![1]!;
      await head.page.locator('form[action$="/officer"]').getByLabel('Investigating officer').selectOption({ label: 'Dr Shah (governor)' });
      await head.page.locator('form[action$="/officer"]').getByLabel('Any interest they declare (optional)').fill('Joan is my neighbour');
      await head.click(head.page.locator('form[action$="/officer"]').getByRole('button', { name: 'Appoint' }));
      expect(head.status()).toBe(400);
      expect(await head.page.locator('#staff-error').innerText()).toContain('Dr Shah declared an interest: Joan is my neighbour');
      await head.page.locator('form[action$="/officer"]').getByLabel('Any interest they declare (optional)').fill('');
      await head.click(head.page.locator('form[action$="/officer"]').getByRole('button', { name: 'Appoint' }));
      expect(await head.mainText()).toContain('Investigating officer appointed.');
      if (viewport === NARROW) await expectPageFits(head, NARROW.width);

      const shah = await journey.newTab({ viewport });
      await signInWithPassword(shah, 'shah@brookfield.test');
      await shah.visit(`/complaints/${complaintId}`);
      const answers: Record<string, string> = {
        'The investigating officer’s independence': 'I have no link with the family or the street.',
        'What happened': 'Parents park across two driveways at 3pm.',
        'How the matter was handled': 'The office had not passed on earlier calls.',
        'Is it resolved, in your opinion?': 'A newsletter item and a member of staff at the gate.',
        'Is the report fair?': 'Both sides heard.',
        'Is it full?': 'Every part answered.',
        'Is it proportionate and appropriate?': 'Yes.',
        'Is it timely?': 'Within the school’s limits.',
        'Has the investigation remained confidential?': 'Only the case team knew.',
        'Were there any barriers that prevented a full investigation?': 'None.',
      };
      for (const [label, answer] of Object.entries(answers)) await shah.page.getByLabel(label, { exact: true }).fill(answer);
      await shah.page.getByLabel('Upheld', { exact: true }).check();
      await shah.click(shah.page.getByRole('button', { name: 'Issue the report' }));
      expect(await shah.mainText()).toContain('Report issued.');

      const before = server.sink.messages.length;
      await head.visit(`/complaints/${complaintId}`);
      const letter = head.page.getByLabel('The letter', { exact: true });
      expect(await letter.inputValue()).toContain('Dear Joan Pike,');
      await head.click(head.page.getByRole('button', { name: 'Send it to the complainant' }));
      expect(await head.mainText()).toContain('Letter done.');
      const outcome = await server.nextEmail(email, before);
      expect(outcome.text).toContain('Outcome: Upheld.');
      expect(outcome.text).toContain('A newsletter item and a member of staff at the gate.');
      await head.visit(`/complaints/${complaintId}/procedure`);
      expect(await head.mainText()).toContain('Joan Pike');

      // Joan has no account: the case's page is not hers to open.
      await joan.visit(`/complaints/${complaintId}`);
      expect(await joan.mainText()).not.toContain('Cars block my drive');
      for (const tab of [joan, head, shah]) await tab.done();
    },
    E2E_TIMEOUT * 3,
  );
});

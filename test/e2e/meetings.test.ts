import { describe, expect, it } from 'vitest';
import { DateTime } from 'luxon';
import { bookAppointments } from '../../src/features/evenings/booking-commands.ts';
import { openParentsEvening, typedDate } from './meetings-setup.ts';
import { E2E_TIMEOUT, signInByEmailLink, signInWithPassword, useBrowser, useJourney, journeyOn, fillDate } from './support.ts';

/**
 * A parents' evening, in the browser: the head looks over the published evening; Marta asks
 * Gatepost to book for her, sees times held with Mr Okafor (Jakub) and Ms Bell (Aleksandra) with
 * time to walk between rooms, and books them; Mr Okafor records the meeting from his schedule (a
 * note, an action for the school and one for Marta, the outcome and a follow-up date) and sends the
 * summary; a worry he heard goes to Mrs Adeyemi, the DSL, who reads it and sees who has read it;
 * Marta reads the summary by email and on Gatepost. axe checks every page on the way.
 */
const browser = useBrowser();

/** "4:20pm" as minutes after midnight. */
function minutesOf(time: string): number {
  const m = /^(\d{1,2}):(\d{2})(am|pm)$/.exec(time.trim());
  if (!m) throw new Error(`Not a time: ${time}`);
  return ((Number(m[1]) % 12) + (m[3] === 'pm' ? 12 : 0)) * 60 + Number(m[2]);
}

describe.each(journeyOn('sqlite'))('a parents’ evening booked for two children and recorded on %s', (dialect) => {
  const journey = useJourney(dialect, browser);

  it(
    'lets Marta book both teachers with “Book for me”, Mr Okafor record the meeting with actions, and Marta receive the summary',
    async () => {
      const { server } = journey;
      const evening = await openParentsEvening(server.db, server.fx);

      // The head looks over the evening.
      const head = await journey.newTab();
      await signInWithPassword(head, 'patel@brookfield.test');
      await head.click(head.page.getByRole('navigation', { name: 'Menu' }).getByRole('link', { name: 'Meetings' }));
      await head.click(head.page.getByRole('navigation', { name: 'In this section' }).getByRole('link', { name: 'Parents’ evenings' }));
      expect(new URL(head.page.url()).pathname).toBe('/evenings');
      await head.click(head.page.locator('main').getByRole('link', { name: evening.name }));
      expect(new URL(head.page.url()).pathname).toBe(`/evenings/${evening.id}`);
      const overview = await head.mainText();
      for (const words of ['3 Okafor', 'Reception Robins', 'Mr Okafor', 'Ms Bell', 'Classroom 3', '5 minutes']) expect(overview).toContain(words);
      // A parent rings: the head finds the family among those who have not booked.
      await head.page.getByRole('textbox', { name: 'Find a family' }).fill('dean');
      await head.click(head.page.getByRole('button', { name: 'Find' }));
      await expect(head.page.locator('#not-booked-found').innerText()).resolves.toBe('1 child matching “dean”. Show every class');
      await expect(head.page.locator('[id^="family-"]').allInnerTexts()).resolves.toEqual([expect.stringContaining('Lily Dean')]);

      // Marta lets Gatepost choose the times.
      const marta = await journey.newTab();
      await signInByEmailLink(marta, server, 'marta@families.test');
      const m = marta.page;
      await marta.click(m.getByRole('navigation', { name: 'Menu' }).getByRole('link', { name: 'Parents’ evenings' }));
      expect(new URL(m.url()).pathname).toBe('/parents-evenings');
      await marta.click(m.locator('main').getByRole('link', { name: evening.name }));
      expect(new URL(m.url()).pathname).toBe(`/parents-evenings/${evening.id}`);
      await expect(marta.mainText()).resolves.toContain('You have no appointments yet');
      await marta.click(m.getByRole('button', { name: 'Book for me' }));
      expect(new URL(m.url()).pathname).toBe(`/parents-evenings/${evening.id}/book-for-me`);
      const okafor = m.getByRole('checkbox', { name: /^Mr Okafor, for Jakub/ });
      const bell = m.getByRole('checkbox', { name: /^Ms Bell, for Aleksandra/ });
      await okafor.check();
      await bell.check();
      await expect(m.getByRole('checkbox').count()).resolves.toBe(2);
      await m.getByLabel('The earliest you can be there').selectOption({ label: '4:00pm' });
      await m.getByLabel('The latest you can stay until').selectOption({ label: '5:00pm' });
      await marta.click(m.getByRole('button', { name: 'Find times for me' }));

      expect(new URL(m.url()).pathname).toMatch(new RegExp(`^/parents-evenings/${evening.id}/holds/`));
      await expect(m.getByRole('heading', { level: 1 }).innerText()).resolves.toBe('Times held for you');
      const held = await m.locator('main ul.govuk-list > li').allInnerTexts();
      expect(held).toHaveLength(2);
      expect(held.join('\n')).toMatch(/Jakub Nowak with Mr Okafor/);
      expect(held.join('\n')).toMatch(/Aleksandra Nowak with Ms Bell/);
      await marta.click(m.getByRole('button', { name: 'Book these times' }));

      expect(new URL(m.url()).pathname).toBe(`/parents-evenings/${evening.id}`);
      await expect(m.locator('.govuk-notification-banner').innerText()).resolves.toContain('Your appointments are booked');
      const booked = m.locator('main li[id^="appointment-"]');
      await expect(booked.count()).resolves.toBe(2);
      const times = await booked.locator('strong').allInnerTexts();
      const spans = times.map((t) => {
        const [starts, ends] = t.split(' to ');
        return { starts: minutesOf(starts!), ends: minutesOf(ends!) };
      });
      spans.sort((a, b) => a.starts - b.starts);
      expect(spans[0]!.starts).not.toBe(spans[1]!.starts);
      expect(spans[0]!.starts).toBeGreaterThanOrEqual(16 * 60);
      expect(spans[1]!.ends).toBeLessThanOrEqual(17 * 60);
      expect(spans[1]!.starts - spans[0]!.ends).toBeGreaterThanOrEqual(evening.gapMinutes);
      const appointments = await booked.allInnerTexts();
      expect(appointments.join('\n')).toMatch(/Jakub Nowak with Mr Okafor/);
      expect(appointments.join('\n')).toMatch(/Aleksandra Nowak with Ms Bell/);

      // The evening comes: Jakub's appointment with Mr Okafor began five minutes ago (a meeting is
      // recorded as held, and its summary sent, only once it has started). The server runs on the real
      // clock, so the appointment's time is moved rather than the clock.
      const begun = Date.now() - 5 * 60_000;
      await server.db
        .updateTable('evening_bookings')
        .set({ starts_at: new Date(begun).toISOString(), ends_at: new Date(begun + 10 * 60_000).toISOString() })
        .where('evening_id', '=', evening.id)
        .where('staff_id', '=', server.fx.staff.teacher)
        .execute();

      // Mr Okafor records the meeting from his schedule.
      const teacher = await journey.newTab();
      await signInWithPassword(teacher, 'okafor@brookfield.test');
      const t = teacher.page;
      await teacher.click(t.getByRole('navigation', { name: 'Menu' }).getByRole('link', { name: 'Meetings' }));
      await teacher.click(t.getByRole('navigation', { name: 'In this section' }).getByRole('link', { name: 'Parents’ evenings' }));
      await teacher.click(t.locator(`#evening-${evening.id}`).getByRole('link', { name: /^Your schedule/ }));
      expect(new URL(t.url()).pathname).toBe(`/evenings/${evening.id}/schedule`);
      await expect(teacher.mainText()).resolves.toContain('1 appointment booked');
      const row = t.locator('main tr', { hasText: 'Jakub' });
      await expect(row.innerText()).resolves.toContain('Marta Nowak');
      await teacher.click(row.getByRole('button', { name: /^Record the meeting/ }));
      expect(new URL(t.url()).pathname).toMatch(/^\/meetings\/[^/]+\/record$/);
      const recordPath = new URL(t.url()).pathname;
      const meetingId = recordPath.split('/')[2]!;
      await expect(teacher.mainText()).resolves.toContain('Jakub Nowak');

      await t.getByLabel('Add a note').fill('Jakub reads confidently but rushes; spelling of common words is the next step.');
      await teacher.click(t.getByRole('button', { name: 'Save note' }));
      await expect(t.locator('.govuk-notification-banner').innerText()).resolves.toContain('Note saved.');

      // A worry heard in the meeting goes to the DSL: Mr Okafor no longer sees its words.
      await t.getByLabel('Add a note').fill('Marta mentioned Jakub is often alone at home after school until late.');
      await t.locator('#safeguarding').check(); // the note's box (the outcome and the referral have their own)
      await teacher.click(t.getByRole('button', { name: 'Save note' }));
      await expect(t.locator('.govuk-notification-banner').innerText()).resolves.toContain('Passed to the DSL');
      expect(await t.content()).not.toContain('alone at home');

      // Mrs Adeyemi, the DSL, is told at once, reads it, and sees who has read it.
      const dsl = await journey.newTab();
      await signInWithPassword(dsl, 'adeyemi@brookfield.test');
      await expect(dsl.mainText()).resolves.toContain('A safeguarding concern was recorded in a meeting note');
      await dsl.visit(recordPath);
      const concern = await dsl.mainText();
      expect(concern).toContain('alone at home after school');
      expect(concern).toContain('Safeguarding concern');
      await expect(dsl.page.getByRole('list', { name: 'Who has read this note' }).innerText()).resolves.toMatch(/^Mrs Adeyemi, once, last /);

      const addAction = async (owner: string, what: string, due: string) => {
        const label = (await t.locator('#owner option').allInnerTexts()).find((o) => o.replace(/[\u2066-\u2069]/g, '').startsWith(owner));
        expect(label, owner).toBeDefined();
        await t.getByLabel('Who will do it').selectOption({ label: label! });
        await t.getByLabel('What they will do').fill(what);
        await fillDate(t, 'due_on', due);
        await teacher.click(t.getByRole('button', { name: 'Add action' }));
        await expect(t.locator('.govuk-notification-banner').innerText()).resolves.toContain('Action added.');
      };
      await addAction('Mr Okafor', 'Send home a weekly spelling list', typedDate(evening.date, 7));
      await addAction('Marta Nowak', 'Practise the spelling list with Jakub for ten minutes a day', typedDate(evening.date, 28));
      const actions = t.getByRole('region', { name: 'Agreed actions' });
      await expect(actions.innerText()).resolves.toContain('Send home a weekly spelling list');
      await expect(actions.innerText()).resolves.toContain('Practise the spelling list with Jakub');

      await t.getByLabel('What was agreed, in plain words').fill('Jakub is doing well. We will work on spelling together, at school and at home.');
      await fillDate(t, 'follow_up_on', typedDate(evening.date, 35));
      await teacher.click(t.getByRole('button', { name: 'Save outcome' }));
      await expect(t.locator('.govuk-notification-banner').innerText()).resolves.toContain('Outcome and follow-up saved.');

      const since = server.sink.messages.length;
      await teacher.click(t.getByRole('button', { name: 'Send the thank-you and summary' }));
      await expect(t.locator('.govuk-notification-banner').innerText()).resolves.toContain('The thank-you and summary have been sent.');

      // Written up, it is on Mr Okafor's list of meetings.
      await teacher.click(t.getByRole('navigation', { name: 'Menu' }).getByRole('link', { name: 'Meetings' }));
      await expect(t.locator('main').innerText()).resolves.toContain('Jakub');

      // Marta receives it by email in Polish (the school's own words as written), the English beneath.
      const email = await server.nextEmail('marta@families.test', since);
      expect(email.subject).toMatch(/^Dziękujemy za spotkanie w sprawie: Jakub/);
      expect(email.text).toContain('Co ustaliliśmy:');
      expect(email.text).toContain('We will work on spelling together');
      expect(email.text).toMatch(/What the school will do:\n- Send home a weekly spelling list, by .+ \(Mr Okafor\)/);
      expect(email.text).toMatch(/What you will do:\n- Practise the spelling list with Jakub for ten minutes a day, by /);
      expect(email.text).toContain('We will follow this up on');
      const link = /See this summary on Gatepost: (\S+)/.exec(email.text)?.[1];
      expect(link).toBe(`${server.url}/my-meetings/${meetingId}`);

      // And on Gatepost.
      await marta.click(m.getByRole('navigation', { name: 'Menu' }).getByRole('link', { name: 'Meetings' }));
      expect(new URL(m.url()).pathname).toBe('/my-meetings');
      const listed = m.locator('main li.gp-card', { hasText: evening.name });
      await expect(listed.innerText()).resolves.toContain('Summary ready');
      await marta.click(listed.getByRole('link'));
      expect(new URL(m.url()).pathname).toBe(`/my-meetings/${meetingId}`);
      const summary = await marta.mainText();
      expect(summary).toContain('What we agreed');
      expect(summary).toContain('We will work on spelling together');
      const agreed = m.getByRole('region', { name: 'Agreed actions' });
      await expect(agreed.innerText()).resolves.toContain('Send home a weekly spelling list');
      expect(summary).toContain('We will follow up on');
      // Her own action is below the table, hers to tick off with a word on how it is going.
      const mine = m.locator('main .gp-card', { hasText: 'Practise the spelling list with Jakub for ten minutes a day' });
      await mine.getByLabel('How is it going? (optional)').fill('Ten minutes after tea, most days');
      await marta.click(mine.getByRole('button', { name: 'Mark as done' }));
      const ticked = await marta.mainText();
      expect(ticked).toContain('The school can see you have done it.');
      expect(ticked).toContain('Ten minutes after tea, most days');
      // Nothing of Mr Okafor's own note reaches the family.
      expect(await m.content()).not.toContain('rushes');

      // The appointment with Mr Okafor has happened: it can no longer be cancelled; Ms Bell's still can.
      await marta.visit(`/parents-evenings/${evening.id}`);
      const withOkafor = m.locator('main li[id^="appointment-"]', { hasText: 'Mr Okafor' });
      const withBell = m.locator('main li[id^="appointment-"]', { hasText: 'Ms Bell' });
      await expect(withOkafor.getByRole('link', { name: /^Cancel/ }).count()).resolves.toBe(0);
      await expect(withBell.getByRole('link', { name: /^Cancel/ }).count()).resolves.toBe(1);
      // Cancelling asks first; "No, keep it" keeps it.
      await marta.click(withBell.getByRole('link', { name: /^Cancel/ }));
      expect(await marta.mainText()).toContain('Cancel this appointment?');
      await marta.click(m.getByRole('link', { name: 'No, keep it' }));
      await expect(withBell.count()).resolves.toBe(1);
    },
    E2E_TIMEOUT * 2,
  );

  it(
    'books the time still free when another family took one of Marta’s choices a moment before, and offers the nearest free times for that one',
    async () => {
      const { server } = journey;
      const { fx } = server;
      // A second evening on the same day: Marta chooses times after her appointments at the first.
      const evening = await openParentsEvening(server.db, fx);
      const marta = await journey.newTab();
      await signInByEmailLink(marta, server, 'marta@families.test');
      const m = marta.page;
      await marta.visit(`/parents-evenings/${evening.id}`);
      await m.getByLabel('Mr Okafor, Classroom 3').selectOption({ label: '5:30pm' });
      await m.getByLabel('Ms Bell, Reception classroom').selectOption({ label: '5:50pm' });

      // While Marta looks, Sarah books Lily with Mr Okafor at 5:30pm.
      const at = DateTime.fromISO(`${evening.date}T17:30`, { zone: 'Europe/London' }).toUTC().toISO();
      const slot = await server.db
        .selectFrom('evening_slots')
        .select('id')
        .where('evening_id', '=', evening.id)
        .where('staff_id', '=', fx.staff.teacher)
        .where('starts_at', '=', at!)
        .executeTakeFirstOrThrow();
      const sarah = {
        schoolId: fx.school.id,
        eveningId: evening.id,
        carerId: fx.carers.sarah,
        now: new Date(),
        today: DateTime.now().setZone('Europe/London').toISODate()!,
        timeZone: 'Europe/London',
        baseUrl: server.url,
        dialect,
      };
      const taken = await bookAppointments(server.db, { ...sarah, actor: { kind: 'carer', id: fx.carers.sarah, schoolId: fx.school.id } }, [
        { pupilId: fx.pupils.lily, staffId: fx.staff.teacher, slotId: slot.id, mode: null },
      ]);
      expect(taken.ok).toBe(true);

      await marta.click(m.getByRole('button', { name: 'Book these appointments' }));
      expect(marta.status()).toBe(409);
      await expect(m.locator('.govuk-notification-banner').innerText()).resolves.toContain('We booked the times that were still free');
      const problem = await m.locator('.govuk-error-summary').innerText();
      expect(problem).toContain('Sorry, 5:30pm with Mr Okafor was just taken by someone else. The nearest free times are');
      const booked = await m.locator('main li[id^="appointment-"]').allInnerTexts();
      expect(booked).toHaveLength(1);
      expect(booked[0]).toMatch(/5:50pm to 6:00pm: Aleksandra Nowak with Ms Bell/);

      // She follows the error to the nearest times, offered as choices, and takes the first.
      await m.locator('.govuk-error-summary a').first().click();
      const offered = /The nearest free times? (?:is|are) (\d{1,2}:\d{2}[ap]m)/.exec(problem)![1]!;
      await m.getByRole('group', { name: 'Mr Okafor, Classroom 3' }).getByLabel(offered, { exact: true }).check();
      await marta.click(m.getByRole('button', { name: 'Book these appointments' }));
      await expect(m.locator('.govuk-notification-banner').innerText()).resolves.toContain('Your appointments are booked');
      await expect(m.locator('main li[id^="appointment-"]').count()).resolves.toBe(2);
    },
    E2E_TIMEOUT,
  );
});

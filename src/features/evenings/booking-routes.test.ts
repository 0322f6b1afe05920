import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { dialects } from '../../../test/support/db.ts';
import { startTestApp, type TestApp } from '../../../test/support/app.ts';
import { newId } from '../../platform/ids.ts';
import { cancelEveryBooking, emailAbout, liveBookings, makeBookingEvening, type TestEvening } from './booking-test-data.ts';

/** Carers book parents' evening appointments over HTTP: both databases, a clock the tests move. */
describe.each(dialects)("booking a parents' evening on %s", (dialect) => {
  let t: TestApp;
  let now = new Date('2026-11-10T12:00:00.000Z');
  let e: TestEvening;
  const field = (pupil: string, staff: string) => `slot_${pupil}_${staff}`;
  const emailsTo = (to: string) => t.sink.messages.filter((m) => m.to.includes(to));

  beforeAll(async () => {
    t = await startTestApp(dialect, { clock: () => now });
  });
  afterAll(async () => t?.close());
  beforeEach(async () => {
    // Each test starts with nobody booked: a carer's appointments are one per time across evenings.
    // (The clock stays before today: sessions are made at the real time and would seem idle.)
    now = new Date('2026-11-10T12:00:00.000Z');
    await cancelEveryBooking(t.db, now);
    t.sink.messages.length = 0;
    e = await makeBookingEvening(t.db, t.fx);
  });

  it('books Kuba’s and Ola’s teachers in one go, shows them, emails the times, and a second submit changes nothing', async () => {
    const { pupils, staff, carers } = t.fx;
    const marta = await t.as('carer', carers.marta);
    const page = await marta.get(`/parents-evenings/${e.id}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Jakub Nowak');
    expect(page.body).toContain('Aleksandra Nowak');
    expect(page.body).toContain(`name="${field(pupils.kuba, staff.teacher)}"`);
    expect(page.body).toContain(`name="${field(pupils.ola, staff.teacher3)}"`);
    expect(page.body).not.toContain(field(pupils.kuba, staff.teacher2)); // Ms Hall does not teach Kuba
    expect(page.body).toMatch(/govuk-fieldset__legend[^>]*>\s*How to meet <bdi>[^<]+<\/bdi>\s*</); // the teacher's name isolated in the question

    const form = {
      [field(pupils.kuba, staff.teacher)]: e.slot(staff.teacher, '16:00'),
      [field(pupils.ola, staff.teacher3)]: e.slot(staff.teacher3, '16:20'),
      [`mode_${pupils.ola}_${staff.teacher3}`]: 'video',
    };
    const booked = await marta.post(`/parents-evenings/${e.id}`, form);
    expect(booked.statusCode).toBe(303);
    expect(booked.headers.location).toBe(`/parents-evenings/${e.id}?done=booked`);
    const rows = await liveBookings(t.db, e.id, carers.marta);
    expect(rows.map((r) => [r.pupil_id, r.staff_id, r.starts_at, r.mode, r.status, r.booking_key])).toEqual([
      [pupils.kuba, staff.teacher, '2026-11-26T16:00:00.000Z', 'in_person', 'booked', `${pupils.kuba}:${carers.marta}`],
      [pupils.ola, staff.teacher3, '2026-11-26T16:20:00.000Z', 'video', 'booked', `${pupils.ola}:${carers.marta}`],
    ]);
    const attendees = await t.db.selectFrom('evening_attendees').selectAll().where('carer_id', '=', carers.marta).where('cancelled_at', 'is', null).execute();
    expect(attendees).toHaveLength(2);
    const audits = await t.db
      .selectFrom('audit_log')
      .select(['action', 'actor_id'])
      .where('action', '=', 'evening_booking.booked')
      .where(
        'entity_id',
        'in',
        rows.map((r) => r.id),
      )
      .execute();
    expect(audits).toEqual([
      { action: 'evening_booking.booked', actor_id: carers.marta },
      { action: 'evening_booking.booked', actor_id: carers.marta },
    ]);

    // Marta reads Polish: the email is in Polish (subject too), with the English beneath it.
    const email = await emailAbout(t.sink, 'marta@families.test', 'zarezerwowane');
    expect(email.subject).toBe("Autumn parents' evening: Państwa spotkania są zarezerwowane");
    expect(email.text).toMatch(/^Dzień dobry, Marta Nowak,/);
    expect(email.text).toContain('26 listopada 2026 16:00–16:10: Jakub Nowak, Mr Okafor, osobiście, Room 3');
    expect(email.text.indexOf('Po angielsku')).toBeGreaterThan(email.text.indexOf('26 listopada 2026'));
    expect(email.text).toContain("Your appointments at Autumn parents' evening (times are UK time):");
    expect(email.text).toContain('26 November 2026 at 4:00pm to 4:10pm: Jakub Nowak with Mr Okafor, in person, in Room 3');
    expect(email.text).toContain('Aleksandra Nowak with Ms Bell, by video call: https://meet.example.org/room-5');

    const shown = await marta.get(`/parents-evenings/${e.id}?done=booked`);
    expect(shown.body).toContain('Your appointments are booked');
    expect(shown.body).toContain('4:00pm to 4:10pm');
    expect(shown.body).toContain(`/parents-evenings/${e.id}/calendar.ics`);
    // Only a known outcome is announced; anything else in the address shows no banner.
    for (const [done, words] of [
      ['declined', 'You let the held times go.'],
      ['waiting', 'You are on the waiting list. We will email you if a time frees up.'],
    ]) {
      expect((await marta.get(`/parents-evenings/${e.id}?done=${done}`)).body).toContain(words);
    }
    const unknown = await marta.get(`/parents-evenings/${e.id}?done=constructor`);
    expect(unknown.statusCode).toBe(200);
    expect(unknown.body).not.toContain('govuk-notification-banner--success');

    // The same form again (a double click, a refresh): a success that books nothing more.
    const again = await marta.post(`/parents-evenings/${e.id}`, form);
    expect(again.statusCode).toBe(303);
    expect(await liveBookings(t.db, e.id, carers.marta)).toHaveLength(2);
  });

  it('refuses two of a carer’s appointments without the travel gap between them, keeping what was chosen', async () => {
    const { pupils, staff, carers } = t.fx;
    const tomasz = await t.as('carer', carers.tomasz);
    const res = await tomasz.post(`/parents-evenings/${e.id}`, {
      [field(pupils.kuba, staff.teacher)]: e.slot(staff.teacher, '16:00'),
      [field(pupils.ola, staff.teacher3)]: e.slot(staff.teacher3, '16:10'),
    });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('This leaves less than 5 minutes to get to or from your appointment with <bdi>Mr Okafor</bdi> at 4:00pm');
    expect(res.body).toContain(`value="${e.slot(staff.teacher, '16:00')}" selected`);
    expect(await liveBookings(t.db, e.id, carers.tomasz)).toHaveLength(0);
    // The gap holds against appointments already made, too.
    expect((await tomasz.post(`/parents-evenings/${e.id}`, { [field(pupils.kuba, staff.teacher)]: e.slot(staff.teacher, '16:00') })).statusCode).toBe(303);
    const later = await tomasz.post(`/parents-evenings/${e.id}`, { [field(pupils.ola, staff.teacher3)]: e.slot(staff.teacher3, '15:50') });
    expect(later.statusCode).toBe(400);
    expect(later.body).toContain('less than 5 minutes');
  });

  it('books the times still free when someone else took one first, and offers the nearest free times that fit for that one', async () => {
    const { pupils, staff, carers } = t.fx;
    const sarah = await t.as('carer', carers.sarah);
    expect((await sarah.post(`/parents-evenings/${e.id}`, { [field(pupils.lily, staff.teacher)]: e.slot(staff.teacher, '16:30') })).statusCode).toBe(303);

    const marta = await t.as('carer', carers.marta);
    const lost = await marta.post(`/parents-evenings/${e.id}`, {
      [field(pupils.kuba, staff.teacher)]: e.slot(staff.teacher, '16:30'),
      [field(pupils.ola, staff.teacher3)]: e.slot(staff.teacher3, '16:50'),
    });
    expect(lost.statusCode).toBe(409);
    expect(lost.body).toContain('There is a problem');
    expect(lost.body).toContain('We booked the times that were still free and emailed you them. Choose again where a time was just taken.');
    // Ola's time with Ms Bell at 4:50pm was free: it is booked, and shown as hers.
    expect((await liveBookings(t.db, e.id, carers.marta)).map((b) => [b.pupil_id, b.staff_id, b.starts_at])).toEqual([[pupils.ola, staff.teacher3, '2026-11-26T16:50:00.000Z']]);
    expect(lost.body).toContain('<bdi>Ms Bell</bdi>: booked for 4:50pm');
    // 4:40pm is nearest, but the 4:50pm just booked needs 5 minutes before it: not offered.
    expect(lost.body).toContain('Sorry, 4:30pm with <bdi>Mr Okafor</bdi> was just taken by someone else. The nearest free times are 4:00pm, 4:10pm and 4:20pm: choose one');
    expect(lost.body).not.toContain(`value="${e.slot(staff.teacher, '16:30')}"`);
    expect(lost.body).not.toContain(`value="${e.slot(staff.teacher, '16:40')}"`);
    const email = await emailAbout(t.sink, 'marta@families.test', 'zarezerwowane');
    expect(email.text).toContain('4:50pm to 5:00pm: Aleksandra Nowak with Ms Bell');
    expect(email.text).not.toContain('Mr Okafor');

    // She chooses 4:10pm: booked, beside the 4:50pm.
    const again = await marta.post(`/parents-evenings/${e.id}`, { [field(pupils.kuba, staff.teacher)]: e.slot(staff.teacher, '16:10') });
    expect(again.statusCode).toBe(303);
    expect((await liveBookings(t.db, e.id, carers.marta)).map((b) => b.starts_at)).toEqual(['2026-11-26T16:10:00.000Z', '2026-11-26T16:50:00.000Z']);
    for (let i = 0; i < 100 && emailsTo('marta@families.test').length < 2; i++) await new Promise((r) => setTimeout(r, 50));
    expect(emailsTo('marta@families.test').map((m) => m.text.includes('4:10pm to 4:20pm: Jakub Nowak with Mr Okafor'))).toEqual([false, true]);
  });

  it('books nothing when every time chosen was just taken', async () => {
    const { pupils, staff, carers } = t.fx;
    const sarah = await t.as('carer', carers.sarah);
    expect((await sarah.post(`/parents-evenings/${e.id}`, { [field(pupils.lily, staff.teacher)]: e.slot(staff.teacher, '16:30') })).statusCode).toBe(303);
    const marta = await t.as('carer', carers.marta);
    const lost = await marta.post(`/parents-evenings/${e.id}`, { [field(pupils.kuba, staff.teacher)]: e.slot(staff.teacher, '16:30') });
    expect(lost.statusCode).toBe(409);
    expect(lost.body).not.toContain('We booked the times');
    expect(lost.body).toContain('The nearest free times are 4:10pm, 4:20pm and 4:40pm: choose one');
    expect(await liveBookings(t.db, e.id, carers.marta)).toHaveLength(0);
  });

  it('offers the nearest free times after a time was just taken as choices of their own, with any other time still there', async () => {
    const { pupils, staff, carers } = t.fx;
    const sarah = await t.as('carer', carers.sarah);
    expect((await sarah.post(`/parents-evenings/${e.id}`, { [field(pupils.lily, staff.teacher)]: e.slot(staff.teacher, '16:30') })).statusCode).toBe(303);
    const marta = await t.as('carer', carers.marta);
    const slot = field(pupils.kuba, staff.teacher);
    const lost = await marta.post(`/parents-evenings/${e.id}`, { [slot]: e.slot(staff.teacher, '16:30') });
    expect(lost.statusCode).toBe(409);
    // Each nearest time is a radio of its own, none chosen for her; the error summary leads to the first.
    const radios = [...lost.body.matchAll(new RegExp(`<input class="govuk-radios__input" id="[^"]+" name="${slot}" type="radio" value="([^"]+)"`, 'g'))].map((m) => m[1]);
    expect(radios).toEqual([e.slot(staff.teacher, '16:10'), e.slot(staff.teacher, '16:20'), e.slot(staff.teacher, '16:40'), 'other']);
    expect(lost.body).toContain(`id="${slot}" name="${slot}" type="radio"`);
    expect(lost.body).toMatch(new RegExp(`<label class="govuk-label govuk-radios__label" for="${slot}">\\s*4:10pm\\s*</label>`));
    expect(lost.body).not.toMatch(new RegExp(`name="${slot}"[^>]*checked`));
    // Every other free time is still in the list, under "Another time".
    expect(lost.body).toContain('Another time');
    expect(lost.body).toContain(`<select class="govuk-select" id="other_${pupils.kuba}_${staff.teacher}" name="other_${pupils.kuba}_${staff.teacher}">`);
    expect(lost.body).toContain(`value="${e.slot(staff.teacher, '16:00')}"`);

    // She chooses 4:20pm directly.
    const chosen = await marta.post(`/parents-evenings/${e.id}`, { [slot]: e.slot(staff.teacher, '16:20'), [`other_${pupils.kuba}_${staff.teacher}`]: '' });
    expect(chosen.statusCode).toBe(303);
    expect((await liveBookings(t.db, e.id, carers.marta)).map((b) => b.starts_at)).toEqual(['2026-11-26T16:20:00.000Z']);
  });

  it('books the time chosen from the list when she picks "another time" instead of a nearest one', async () => {
    const { pupils, staff, carers } = t.fx;
    const marta = await t.as('carer', carers.marta);
    const other = await marta.post(`/parents-evenings/${e.id}`, { [field(pupils.kuba, staff.teacher)]: 'other', [`other_${pupils.kuba}_${staff.teacher}`]: e.slot(staff.teacher, '16:00') });
    expect(other.statusCode).toBe(303);
    expect((await liveBookings(t.db, e.id, carers.marta)).map((b) => b.starts_at)).toEqual(['2026-11-26T16:00:00.000Z']);
  });

  it('lists the evening’s sessions in time order on the booking page, and on the page that answers a lost race', async () => {
    const { pupils, staff, carers } = t.fx;
    const two = await makeBookingEvening(t.db, t.fx, {
      name: 'Two-day evening',
      sessions: [
        { date: '2026-11-27', starts: '15:30', ends: '15:50', slotMinutes: 10, breaks: [] },
        { date: '2026-11-26', starts: '16:00', ends: '16:20', slotMinutes: 10, breaks: [] },
      ],
    });
    const marta = await t.as('carer', carers.marta);
    const page = (await marta.get(`/parents-evenings/${two.id}`)).body;
    const first = page.indexOf('Thursday 26 November 2026, 4:00pm to 4:20pm');
    const second = page.indexOf('Friday 27 November 2026, 3:30pm to 3:50pm');
    expect(first).toBeGreaterThan(0);
    expect(second).toBeGreaterThan(first);
    const sarah = await t.as('carer', carers.sarah);
    expect((await sarah.post(`/parents-evenings/${two.id}`, { [field(pupils.lily, staff.teacher)]: two.slot(staff.teacher, '16:00', '2026-11-26') })).statusCode).toBe(303);
    const lost = await marta.post(`/parents-evenings/${two.id}`, { [field(pupils.kuba, staff.teacher)]: two.slot(staff.teacher, '16:00', '2026-11-26') });
    expect(lost.statusCode).toBe(409);
    expect(lost.body.indexOf('Friday 27 November 2026, 3:30pm to 3:50pm')).toBeGreaterThan(lost.body.indexOf('Thursday 26 November 2026, 4:00pm to 4:20pm'));
    expect(lost.body).toContain('Thursday 26 November 2026, 4:00pm to 4:20pm');
    for (let i = 0; i < 100 && emailsTo('sarah@families.test').length < 1; i++) await new Promise((r) => setTimeout(r, 50));
  });

  it('says the day of the week with each time of an evening over two days: the list, the radios, her appointments, the cancel page', async () => {
    const { pupils, staff, carers } = t.fx;
    const two = await makeBookingEvening(t.db, t.fx, {
      name: 'Two-day evening',
      sessions: [
        { date: '2026-11-26', starts: '16:00', ends: '16:20', slotMinutes: 10, breaks: [] },
        { date: '2026-11-27', starts: '15:30', ends: '15:50', slotMinutes: 10, breaks: [] },
      ],
    });
    const marta = await t.as('carer', carers.marta);
    const page = (await marta.get(`/parents-evenings/${two.id}`)).body;
    expect(page).toContain(`<option value="${two.slot(staff.teacher, '15:30', '2026-11-27')}">Friday 27 November 2026 at 3:30pm</option>`);
    const sarah = await t.as('carer', carers.sarah);
    expect((await sarah.post(`/parents-evenings/${two.id}`, { [field(pupils.lily, staff.teacher)]: two.slot(staff.teacher, '16:00', '2026-11-26') })).statusCode).toBe(303);
    const lost = await marta.post(`/parents-evenings/${two.id}`, { [field(pupils.kuba, staff.teacher)]: two.slot(staff.teacher, '16:00', '2026-11-26') });
    expect(lost.body).toMatch(/govuk-radios__label[^>]*>\s*Thursday 26 November 2026 at 4:10pm\s*</);
    expect((await marta.post(`/parents-evenings/${two.id}`, { [field(pupils.kuba, staff.teacher)]: two.slot(staff.teacher, '15:30', '2026-11-27') })).statusCode).toBe(303);
    const after = (await marta.get(`/parents-evenings/${two.id}`)).body;
    expect(after).toContain('<strong>Friday 27 November 2026, 3:30pm to 3:40pm</strong>');
    const [booking] = await liveBookings(t.db, two.id, carers.marta);
    const cancel = (await marta.get(`/parents-evenings/${two.id}/bookings/${booking!.id}/cancel`)).body;
    expect(cancel).toContain('Friday 27 November 2026, 3:30pm to 3:40pm');
    const list = (await marta.get('/parents-evenings')).body;
    expect(list).toContain('Friday 27 November 2026, 3:30pm to 3:40pm: <bdi>Jakub</bdi> with <bdi>Mr Okafor</bdi>');
    // In Polish too (her own language).
    const inPolish = await t.as('carer', carers.marta, undefined, { ownLanguage: true });
    expect((await inPolish.get(`/parents-evenings/${two.id}`)).body).toContain('<strong>piątek, 27 listopada 2026, 15:30–15:40</strong>');
  });

  it('books a time whose earlier booking was cancelled: a cancelled booking does not hold its slot', async () => {
    const { pupils, staff, carers } = t.fx;
    const sarah = await t.as('carer', carers.sarah);
    expect((await sarah.post(`/parents-evenings/${e.id}`, { [field(pupils.lily, staff.teacher)]: e.slot(staff.teacher, '16:30') })).statusCode).toBe(303);
    const [sarahs] = await liveBookings(t.db, e.id, carers.sarah);
    expect((await sarah.post(`/parents-evenings/${e.id}/bookings/${sarahs!.id}/cancel`)).statusCode).toBe(303);
    const marta = await t.as('carer', carers.marta);
    const answer = await marta.post(`/parents-evenings/${e.id}`, {
      [field(pupils.kuba, staff.teacher)]: e.slot(staff.teacher, '16:30'),
      [field(pupils.ola, staff.teacher3)]: e.slot(staff.teacher3, '16:50'),
    });
    expect(answer.statusCode).toBe(303);
    expect((await liveBookings(t.db, e.id, carers.marta)).map((b) => [b.pupil_id, b.staff_id, b.starts_at])).toEqual([
      [pupils.kuba, staff.teacher, '2026-11-26T16:30:00.000Z'],
      [pupils.ola, staff.teacher3, '2026-11-26T16:50:00.000Z'],
    ]);
    // Her confirmation lists both (waited for: it must not arrive during the next test).
    const email = await emailAbout(t.sink, 'marta@families.test', 'zarezerwowane', '4:30pm to 4:40pm');
    expect(email.text).toContain('4:30pm to 4:40pm: Jakub Nowak with Mr Okafor');
    expect(email.text).toContain('4:50pm to 5:00pm: Aleksandra Nowak with Ms Bell');
    // A second submit of the same choices books nothing more and is still a success.
    expect((await marta.post(`/parents-evenings/${e.id}`, { [field(pupils.kuba, staff.teacher)]: e.slot(staff.teacher, '16:30') })).statusCode).toBe(303);
    expect(await liveBookings(t.db, e.id, carers.marta)).toHaveLength(2);
  });

  it('isolates and escapes the teacher’s name in a booking error, beside the field and in the error summary', async () => {
    const { pupils, staff, carers } = t.fx;
    await t.db.updateTable('staff').set({ family_name: 'أوكافور <b>' }).where('id', '=', staff.teacher).execute();
    try {
      const sarah = await t.as('carer', carers.sarah);
      expect((await sarah.post(`/parents-evenings/${e.id}`, { [field(pupils.lily, staff.teacher)]: e.slot(staff.teacher, '16:30') })).statusCode).toBe(303);
      const marta = await t.as('carer', carers.marta);
      const slot = field(pupils.kuba, staff.teacher);
      const lost = await marta.post(`/parents-evenings/${e.id}`, { [slot]: e.slot(staff.teacher, '16:30') });
      expect(lost.statusCode).toBe(409);
      const taken = 'Sorry, 4:30pm with <bdi>Mr أوكافور &lt;b&gt;</bdi> was just taken by someone else.';
      // Beside the choices (the nearest free times are radios now: the macro's markup).
      expect(lost.body).toMatch(new RegExp(`<p id="${slot}-error" class="govuk-error-message">\\s*<span class="govuk-visually-hidden">Error:</span> ${taken.replace(/[.]/g, '\\.')}`));
      expect(lost.body).toMatch(new RegExp(`<a href="#${slot}">\\s*${taken.replace(/[.]/g, '\\.')}`));
      expect(lost.body).not.toContain('&lt;bdi&gt;');
      expect(lost.body).not.toContain('&amp;lt;');
      expect(lost.body).not.toContain('أوكافور <b>');
    } finally {
      await t.db.updateTable('staff').set({ family_name: 'Okafor' }).where('id', '=', staff.teacher).execute();
    }
  });

  it('refuses a teacher who does not teach the child, and a time of another teacher', async () => {
    const { pupils, staff, carers } = t.fx;
    const marta = await t.as('carer', carers.marta);
    const wrongTeacher = await marta.post(`/parents-evenings/${e.id}`, { [field(pupils.kuba, staff.teacher2)]: e.slot(staff.teacher2, '16:00') });
    expect(wrongTeacher.statusCode).toBe(400);
    expect(wrongTeacher.body).toContain('<bdi>Ms Hall</bdi> does not teach <bdi>Jakub Nowak</bdi>');
    const wrongSlot = await marta.post(`/parents-evenings/${e.id}`, { [field(pupils.kuba, staff.teacher)]: e.slot(staff.teacher2, '16:00') });
    expect(wrongSlot.statusCode).toBe(400);
    expect(wrongSlot.body).toContain('Choose one of the times listed for <bdi>Mr Okafor</bdi>');
    // Mr Okafor's own time, but at another of the school's evenings; and a time that does not exist.
    const other = await makeBookingEvening(t.db, t.fx, { name: 'Another evening', sessions: [{ date: '2026-11-27', starts: '15:30', ends: '15:50', slotMinutes: 10, breaks: [] }] });
    for (const slotId of [other.slot(staff.teacher, '15:30'), 'no-such-slot']) {
      const refused = await marta.post(`/parents-evenings/${e.id}`, { [field(pupils.kuba, staff.teacher)]: slotId });
      expect(refused.statusCode).toBe(400);
      expect(refused.body).toContain('Choose one of the times listed for <bdi>Mr Okafor</bdi>');
    }
    expect(await liveBookings(t.db, other.id)).toHaveLength(0);
    expect(await liveBookings(t.db, e.id, carers.marta)).toHaveLength(0);
    expect(await liveBookings(t.db, e.id)).toHaveLength(0);
  });

  it('keeps a restricted father away from his daughter’s evening altogether', async () => {
    const { pupils, staff, carers } = t.fx;
    const mark = await t.as('carer', carers.mark);
    const list = await mark.get('/parents-evenings');
    expect(list.statusCode).toBe(200);
    expect(list.body).not.toContain(`/parents-evenings/${e.id}`);
    expect(list.body).not.toContain('Lily');
    expect((await mark.get(`/parents-evenings/${e.id}`)).statusCode).toBe(404);
    expect((await mark.post(`/parents-evenings/${e.id}`, { [field(pupils.lily, staff.teacher)]: e.slot(staff.teacher, '16:00') })).statusCode).toBe(404);
    expect((await mark.get(`/parents-evenings/${e.id}/book-for-me`)).statusCode).toBe(404);
    expect(await liveBookings(t.db, e.id)).toHaveLength(0);
    // Lily's mother can book her.
    const sarah = await t.as('carer', carers.sarah);
    expect((await sarah.get('/parents-evenings')).body).toContain(`/parents-evenings/${e.id}`);
  });

  it('says when booking opens and when it closed; the office may still book for a carer who rings after it closes', async () => {
    const { pupils, staff, carers } = t.fx;
    e = await makeBookingEvening(t.db, t.fx, { opensAt: '2026-11-02T18:00:00.000Z', closesAt: '2026-11-15T12:00:00.000Z' });
    const marta = await t.as('carer', carers.marta);
    const form = { [field(pupils.kuba, staff.teacher)]: e.slot(staff.teacher, '16:00') };
    now = new Date('2026-11-01T12:00:00.000Z');
    const early = await marta.post(`/parents-evenings/${e.id}`, form);
    expect(early.statusCode).toBe(400);
    expect(early.body).toContain('Booking opens on 2 November 2026 at 6:00pm and closes on 15 November 2026 at midday');
    now = new Date('2026-11-16T13:00:00.000Z');
    const late = await marta.post(`/parents-evenings/${e.id}`, form);
    expect(late.statusCode).toBe(400);
    expect(late.body).toContain('Booking closed on 15 November 2026 at midday. To book now, ring the school office');
    expect(await liveBookings(t.db, e.id)).toHaveLength(0);

    t.sink.messages.length = 0;
    const office = await t.as('staff', staff.office);
    // Marta rings: the office finds her and follows the link from her page.
    const bookLink = `href="/evenings/${e.id}/book-for/${carers.marta}"`;
    expect((await office.get(`/carers/${carers.marta}`)).body).toContain(bookLink);
    expect((await (await t.as('staff', staff.teacher)).get(`/carers/${carers.marta}`)).body).not.toContain(bookLink);
    const page = await office.get(`/evenings/${e.id}/book-for/${carers.marta}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Booking for <bdi>Marta Nowak</bdi>');
    const booked = await office.post(`/evenings/${e.id}/book-for/${carers.marta}`, form);
    expect(booked.statusCode).toBe(303);
    // The office is told in its own words (the family is emailed).
    expect((await office.get(booked.headers.location as string)).body).toContain('Booked. The family has been emailed the times.');
    const rows = await liveBookings(t.db, e.id, carers.marta);
    expect(rows.map((r) => [r.booked_by_kind, r.booked_by_id])).toEqual([['staff', staff.office]]);
    const email = await emailAbout(t.sink, 'marta@families.test', 'zarezerwowane');
    expect(email.text).toContain('Ms Byrne at Brookfield Primary School booked this appointment for you.');
    // A teacher may not book for a family.
    expect((await (await t.as('staff', staff.teacher)).get(`/evenings/${e.id}/book-for/${carers.marta}`)).statusCode).toBe(404);
  });

  it('lets the school cancel with a reason: the family is emailed, the time is free again; a teacher only their own', async () => {
    const { pupils, staff, carers } = t.fx;
    const marta = await t.as('carer', carers.marta);
    await marta.post(`/parents-evenings/${e.id}`, { [field(pupils.kuba, staff.teacher)]: e.slot(staff.teacher, '16:00') });
    const [booking] = await liveBookings(t.db, e.id, carers.marta);
    const url = `/evenings/${e.id}/bookings/${booking!.id}/cancel`;

    expect((await (await t.as('staff', staff.teacher2)).get(url)).statusCode).toBe(404); // not Ms Hall's appointment
    expect((await (await t.as('staff', staff.governor)).get(url)).statusCode).toBe(404);
    const okafor = await t.as('staff', staff.teacher);
    const confirm = await okafor.get(url);
    expect(confirm.statusCode).toBe(200);
    expect(confirm.body).toContain('Marta Nowak');
    const noReason = await okafor.post(url, { reason: ' ' });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.body).toContain('Enter the reason, for the family');

    t.sink.messages.length = 0;
    const done = await okafor.post(url, { reason: 'Mr Okafor is unwell. Please choose another time.' });
    expect(done.statusCode).toBe(303);
    const cancelled = (await okafor.get(url)).body;
    expect(cancelled).toContain('The appointment is cancelled and the time is free again. The family has been told by email.');
    expect(cancelled).not.toContain('no email address');
    const row = await t.db.selectFrom('evening_bookings').selectAll().where('id', '=', booking!.id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ cancelled_by_kind: 'staff', cancelled_by_id: staff.teacher, cancel_reason: 'Mr Okafor is unwell. Please choose another time.' });
    const audited = await t.db.selectFrom('audit_log').select(['actor_id', 'after_json']).where('action', '=', 'evening_booking.cancelled').where('entity_id', '=', booking!.id).execute();
    expect(audited).toHaveLength(1);
    expect(audited[0]!.actor_id).toBe(staff.teacher);
    expect(JSON.parse(audited[0]!.after_json!)).toMatchObject({ cancel_reason: 'Mr Okafor is unwell. Please choose another time.' });
    const email = await emailAbout(t.sink, 'marta@families.test', 'odwołane');
    expect(email.subject).toBe("Autumn parents' evening: Państwa spotkanie z Mr Okafor zostało odwołane");
    expect(email.text).toContain('Powód: Mr Okafor is unwell. Please choose another time.');
    expect(email.text).toContain('The reason: Mr Okafor is unwell. Please choose another time.');
    expect(email.text).toContain('26 November 2026 at 4:00pm');
    // The time is free for anyone again.
    const sarah = await t.as('carer', carers.sarah);
    expect((await sarah.post(`/parents-evenings/${e.id}`, { [field(pupils.lily, staff.teacher)]: e.slot(staff.teacher, '16:00') })).statusCode).toBe(303);
    // A carer with no email address: the teacher is told to phone them.
    const sarahs = (await liveBookings(t.db, e.id, carers.sarah))[0]!;
    const email0 = (await t.db.selectFrom('carers').select('email').where('id', '=', carers.sarah).executeTakeFirstOrThrow()).email;
    await t.db.updateTable('carers').set({ email: null }).where('id', '=', carers.sarah).execute();
    try {
      const sarahUrl = `/evenings/${e.id}/bookings/${sarahs.id}/cancel`;
      expect((await okafor.get(sarahUrl)).body).toMatch(/has no email address: if you cancel, phone to tell them/);
      expect((await okafor.post(sarahUrl, { reason: 'Mr Okafor is unwell.' })).statusCode).toBe(303);
      const told = (await okafor.get(sarahUrl)).body;
      expect(told).toMatch(/has no email address: please phone to tell them/);
      expect(told).not.toContain('The family has been told by email');
    } finally {
      await t.db.updateTable('carers').set({ email: email0 }).where('id', '=', carers.sarah).execute();
    }
  });

  it('tells the first carer on the waiting list when a cancellation frees a time', async () => {
    const { pupils, staff, carers } = t.fx;
    const short = await makeBookingEvening(t.db, t.fx, { name: 'Short evening', sessions: [{ date: '2026-11-26', starts: '15:30', ends: '15:50', slotMinutes: 10, breaks: [] }] });
    const sarah = await t.as('carer', carers.sarah);
    const marta = await t.as('carer', carers.marta);
    const tomasz = await t.as('carer', carers.tomasz);
    expect((await sarah.post(`/parents-evenings/${short.id}`, { [field(pupils.lily, staff.teacher)]: short.slot(staff.teacher, '15:30') })).statusCode).toBe(303);
    expect((await marta.post(`/parents-evenings/${short.id}`, { [field(pupils.kuba, staff.teacher)]: short.slot(staff.teacher, '15:40') })).statusCode).toBe(303);

    const full = await tomasz.get(`/parents-evenings/${short.id}`);
    expect(full.body).toContain('<bdi>Mr Okafor</bdi> has no free times left');
    expect(full.body).toContain('Tell me if a time frees up');
    expect((await tomasz.post(`/parents-evenings/${short.id}/waiting-list`, { pupil_id: pupils.kuba, staff_id: staff.teacher })).statusCode).toBe(303);
    expect((await tomasz.post(`/parents-evenings/${short.id}/waiting-list`, { pupil_id: pupils.kuba, staff_id: staff.teacher })).statusCode).toBe(303);
    expect((await tomasz.get(`/parents-evenings/${short.id}`)).body).toContain('You are on the waiting list');
    // Ms Bell still has times: no waiting list for her.
    const notFull = await tomasz.post(`/parents-evenings/${short.id}/waiting-list`, { pupil_id: pupils.ola, staff_id: staff.teacher3 });
    expect(notFull.statusCode).toBe(400);
    expect(notFull.body).toContain('<bdi>Ms Bell</bdi> still has free times');

    t.sink.messages.length = 0;
    const [sarahs] = await liveBookings(t.db, short.id, carers.sarah);
    // The Cancel link asks first, and asking changes nothing.
    expect((await sarah.get(`/parents-evenings/${short.id}`)).body).toContain(`href="/parents-evenings/${short.id}/bookings/${sarahs!.id}/cancel"`);
    const asked = await sarah.get(`/parents-evenings/${short.id}/bookings/${sarahs!.id}/cancel`);
    expect(asked.body).toContain('Cancel this appointment?');
    expect(asked.body).toContain('Yes, cancel this appointment');
    expect(asked.body).toContain('The time will be free for other families to book.');
    expect(await liveBookings(t.db, short.id, carers.sarah)).toHaveLength(1);
    expect((await sarah.post(`/parents-evenings/${short.id}/bookings/${sarahs!.id}/cancel`)).statusCode).toBe(303);
    expect(await liveBookings(t.db, short.id, carers.sarah)).toHaveLength(0);
    const email = await emailAbout(t.sink, 'tomasz@families.test', 'is free');
    expect(email.subject).toBe('Short evening: a time with Mr Okafor is free');
    const waiting = await t.db.selectFrom('evening_waiting').selectAll().where('evening_id', '=', short.id).execute();
    expect(waiting).toHaveLength(1);
    expect(waiting[0]!.told_at).toBe(now.toISOString());
    // A carer cannot cancel someone else's appointment.
    const [martas] = await liveBookings(t.db, short.id, carers.marta);
    expect((await sarah.post(`/parents-evenings/${short.id}/bookings/${martas!.id}/cancel`)).statusCode).toBe(404);
    expect((await sarah.get(`/parents-evenings/${short.id}/bookings/${martas!.id}/cancel`)).statusCode).toBe(404);

    // Full for Marta: Ms Bell's one free time is when Marta is with Mr Okafor. She may wait for Ms Bell.
    await t.db.updateTable('evening_slots').set({ unavailable: 1 }).where('id', '=', short.slot(staff.teacher3, '15:30')).execute();
    expect((await marta.get(`/parents-evenings/${short.id}`)).body).toContain('<bdi>Ms Bell</bdi> has no free times left');
    expect((await marta.post(`/parents-evenings/${short.id}/waiting-list`, { pupil_id: pupils.ola, staff_id: staff.teacher3 })).statusCode).toBe(303);
    expect((await marta.get(`/parents-evenings/${short.id}`)).body).toContain('You are on the waiting list');
  });

  it('does not tell a father on the waiting list of a freed time when his child already has the one appointment (a "join" evening)', async () => {
    const { pupils, staff, carers } = t.fx;
    const short = await makeBookingEvening(t.db, t.fx, {
      name: 'Short joint evening',
      separatedCarers: 'join',
      sessions: [{ date: '2026-11-26', starts: '15:30', ends: '15:50', slotMinutes: 10, breaks: [] }],
    });
    const sarah = await t.as('carer', carers.sarah);
    expect((await sarah.post(`/parents-evenings/${short.id}`, { [field(pupils.lily, staff.teacher)]: short.slot(staff.teacher, '15:30') })).statusCode).toBe(303);
    expect((await (await t.as('carer', carers.marta)).post(`/parents-evenings/${short.id}`, { [field(pupils.kuba, staff.teacher)]: short.slot(staff.teacher, '15:40') })).statusCode).toBe(303);
    // Tomasz asked to wait for Mr Okafor before Marta booked Kuba's appointment.
    await t.db
      .insertInto('evening_waiting')
      .values({
        id: newId(),
        school_id: t.fx.school.id,
        evening_id: short.id,
        staff_id: staff.teacher,
        pupil_id: pupils.kuba,
        carer_id: carers.tomasz,
        created_at: now.toISOString(),
        told_at: null,
        removed_at: null,
      })
      .execute();
    t.sink.messages.length = 0;
    const [sarahs] = await liveBookings(t.db, short.id, carers.sarah);
    expect((await sarah.post(`/parents-evenings/${short.id}/bookings/${sarahs!.id}/cancel`)).statusCode).toBe(303);
    // Whoever is told is written to the outbox in the cancellation's own transaction.
    const toTomasz = await t.db.selectFrom('outbox').select('payload_json').where('recipient', '=', 'tomasz@families.test').where('payload_json', 'like', '%Short joint evening%').execute();
    expect(toTomasz).toHaveLength(0);
    const waiting = await t.db.selectFrom('evening_waiting').select('told_at').where('evening_id', '=', short.id).executeTakeFirstOrThrow();
    expect(waiting.told_at).toBeNull();
  });

  it('lets a separated father join the appointment the mother booked when the school keeps one per child', async () => {
    const { pupils, staff, carers } = t.fx;
    const joint = await makeBookingEvening(t.db, t.fx, { name: 'Joint evening', separatedCarers: 'join' });
    const marta = await t.as('carer', carers.marta);
    const tomasz = await t.as('carer', carers.tomasz);
    expect((await marta.post(`/parents-evenings/${joint.id}`, { [field(pupils.kuba, staff.teacher)]: joint.slot(staff.teacher, '16:00') })).statusCode).toBe(303);
    const [booking] = await liveBookings(t.db, joint.id, carers.marta);
    expect(booking!.booking_key).toBe(pupils.kuba);

    const page = await tomasz.get(`/parents-evenings/${joint.id}`);
    expect(page.body).toContain('<bdi>Jakub Nowak</bdi> already has an appointment with <bdi>Mr Okafor</bdi> at 4:00pm');
    expect(page.body).toContain(`/parents-evenings/${joint.id}/bookings/${booking!.id}/join`);
    // Booking a second appointment for Kuba with Mr Okafor is refused by the database; the answer says why.
    const second = await tomasz.post(`/parents-evenings/${joint.id}`, { [field(pupils.kuba, staff.teacher)]: joint.slot(staff.teacher, '16:30') });
    expect(second.statusCode).toBe(409);
    expect(second.body).toContain('booked by another of <bdi>Jakub Nowak</bdi>’s carers. You can join it instead');

    expect((await tomasz.post(`/parents-evenings/${joint.id}/bookings/${booking!.id}/join`)).statusCode).toBe(303);
    expect((await tomasz.post(`/parents-evenings/${joint.id}/bookings/${booking!.id}/join`)).statusCode).toBe(303);
    const attendees = await t.db.selectFrom('evening_attendees').select(['carer_id', 'joined']).where('booking_id', '=', booking!.id).where('cancelled_at', 'is', null).orderBy('joined').execute();
    expect(attendees).toEqual([
      { carer_id: carers.marta, joined: 0 },
      { carer_id: carers.tomasz, joined: 1 },
    ]);
    expect((await tomasz.get(`/parents-evenings/${joint.id}`)).body).toContain('(joined)');

    // Marta leaves: the appointment stays for Tomasz; when he leaves too, the time is free.
    expect((await marta.post(`/parents-evenings/${joint.id}/bookings/${booking!.id}/cancel`)).headers.location).toBe(`/parents-evenings/${joint.id}?done=left`);
    expect(await liveBookings(t.db, joint.id)).toHaveLength(1);
    expect((await tomasz.post(`/parents-evenings/${joint.id}/bookings/${booking!.id}/cancel`)).headers.location).toBe(`/parents-evenings/${joint.id}?done=cancelled`);
    expect(await liveBookings(t.db, joint.id)).toHaveLength(0);
    // At an evening where each carer books their own, there is nothing to join.
    await marta.post(`/parents-evenings/${e.id}`, { [field(pupils.kuba, staff.teacher)]: e.slot(staff.teacher, '16:00') });
    const [own] = await liveBookings(t.db, e.id, carers.marta);
    expect((await tomasz.post(`/parents-evenings/${e.id}/bookings/${own!.id}/join`)).statusCode).toBe(400);
  });

  it('lets a separated father choose, where the school allows either: join the mother’s appointment or book his own', async () => {
    const { pupils, staff, carers } = t.fx;
    const either = await makeBookingEvening(t.db, t.fx, { name: 'Either evening', separatedCarers: 'either' });
    const marta = await t.as('carer', carers.marta);
    const tomasz = await t.as('carer', carers.tomasz);
    expect((await marta.post(`/parents-evenings/${either.id}`, { [field(pupils.kuba, staff.teacher)]: either.slot(staff.teacher, '16:00') })).statusCode).toBe(303);
    const [booking] = await liveBookings(t.db, either.id, carers.marta);

    const page = await tomasz.get(`/parents-evenings/${either.id}`);
    expect(page.body).toContain('<bdi>Jakub Nowak</bdi> already has an appointment with <bdi>Mr Okafor</bdi> at 4:00pm, booked by another of <bdi>Jakub Nowak</bdi>’s carers.');
    expect(page.body).toContain('Join it</a>, or choose a time of your own.');
    expect(page.body).toContain(`/parents-evenings/${either.id}/bookings/${booking!.id}/join`);
    expect(page.body).toContain(`name="${field(pupils.kuba, staff.teacher)}"`);
    // He books his own time with Mr Okafor.
    expect((await tomasz.post(`/parents-evenings/${either.id}`, { [field(pupils.kuba, staff.teacher)]: either.slot(staff.teacher, '16:30') })).statusCode).toBe(303);
    const [his] = await liveBookings(t.db, either.id, carers.tomasz);
    expect(his).toMatchObject({ booking_key: `${pupils.kuba}:${carers.tomasz}` });
    expect(await liveBookings(t.db, either.id)).toHaveLength(2);
    // Or, having cancelled it, joins hers instead.
    expect((await tomasz.post(`/parents-evenings/${either.id}/bookings/${his!.id}/cancel`)).statusCode).toBe(303);
    expect((await tomasz.post(`/parents-evenings/${either.id}/bookings/${booking!.id}/join`)).statusCode).toBe(303);
    expect((await tomasz.get(`/parents-evenings/${either.id}`)).body).toContain('(joined)');
  });

  it('explains each choice for parents who live apart where the evening is set up', async () => {
    const head = await t.as('staff', t.fx.staff.head);
    const form = (await head.get('/evenings/new')).body;
    expect(form).toContain('Each parent books a time of their own with each teacher.');
    expect(form).toContain('The first parent to book chooses the time; the other sees it and can join.');
    expect(form).toContain('Either: join the other parent’s appointment or book their own');
  });

  it('gives the carer a calendar file and lists the evening with their appointments', async () => {
    const { pupils, staff, carers } = t.fx;
    const marta = await t.as('carer', carers.marta);
    await marta.post(`/parents-evenings/${e.id}`, { [field(pupils.kuba, staff.teacher)]: e.slot(staff.teacher, '16:00') });
    const ics = await marta.get(`/parents-evenings/${e.id}/calendar.ics`);
    expect(ics.statusCode).toBe(200);
    expect(ics.headers['content-type']).toContain('text/calendar');
    expect(ics.body).toContain('DTSTART:20261126T160000Z');
    expect(ics.body).toContain('Jakub with Mr Okafor');
    const list = await marta.get('/parents-evenings');
    expect(list.body).toContain(`href="/parents-evenings/${e.id}"`);
    expect(list.body).toContain('4:00pm to 4:10pm: <bdi>Jakub</bdi> with <bdi>Mr Okafor</bdi>');
    expect((await (await t.as('carer', carers.otherCarer, t.fx.other.id)).get(`/parents-evenings/${e.id}`)).statusCode).toBe(404);

    // Marta books Ola too; then an arrangement stops her hearing about Ola: the appointment about Ola
    // leaves her list, her page and her calendar file, Kuba's stays.
    expect((await marta.post(`/parents-evenings/${e.id}`, { [field(pupils.ola, staff.teacher3)]: e.slot(staff.teacher3, '16:30') })).statusCode).toBe(303);
    const restrictionId = newId();
    await t.db
      .insertInto('restrictions')
      .values({
        id: restrictionId,
        school_id: t.fx.school.id,
        pupil_id: pupils.ola,
        carer_id: carers.marta,
        kind: 'agreed_arrangement',
        stops_information: 1,
        stops_collection: 0,
        stops_contact: 0,
        details: 'Test',
        starts_on: '2026-11-01',
        ends_on: null,
        lifted_at: null,
        created_by: staff.head,
        created_at: now.toISOString(),
      })
      .execute();
    try {
      for (const page of [await marta.get('/parents-evenings'), await marta.get(`/parents-evenings/${e.id}`), await marta.get(`/parents-evenings/${e.id}/calendar.ics`)]) {
        expect(page.body).toContain('Jakub');
        expect(page.body).not.toContain('Aleksandra');
        expect(page.body).not.toContain('Ms Bell');
      }
    } finally {
      await t.db.deleteFrom('restrictions').where('id', '=', restrictionId).execute();
    }
  });

  it('books and shows the right times on the Sunday the clocks go back (25 October 2026)', async () => {
    const { pupils, staff, carers } = t.fx;
    now = new Date('2026-10-20T12:00:00.000Z');
    const autumn = await makeBookingEvening(t.db, t.fx, {
      name: 'Sunday evening',
      sessions: [{ date: '2026-10-25', starts: '15:30', ends: '17:00', slotMinutes: 10, breaks: [] }],
      opensAt: '2026-10-19T17:00:00.000Z',
      closesAt: '2026-10-25T11:00:00.000Z',
    });
    const marta = await t.as('carer', carers.marta);
    const page = await marta.get(`/parents-evenings/${autumn.id}`);
    expect(page.body).toContain('Sunday 25 October 2026, 3:30pm to 5:00pm');
    expect(page.body).toContain(`<option value="${autumn.slot(staff.teacher, '15:30')}">3:30pm</option>`);
    t.sink.messages.length = 0;
    expect((await marta.post(`/parents-evenings/${autumn.id}`, { [field(pupils.kuba, staff.teacher)]: autumn.slot(staff.teacher, '15:30') })).statusCode).toBe(303);
    const [row] = await liveBookings(t.db, autumn.id, carers.marta);
    expect(row!.starts_at).toBe('2026-10-25T15:30:00.000Z'); // GMT again by the afternoon
    const email = await emailAbout(t.sink, 'marta@families.test', 'Sunday evening');
    expect(email.text).toContain('25 October 2026 at 3:30pm to 3:40pm');
  });
});

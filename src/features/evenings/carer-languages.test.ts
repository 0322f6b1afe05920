import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dialects } from '../../../test/support/db.ts';
import { startTestApp, type TestApp } from '../../../test/support/app.ts';
import { textIn } from '../../platform/i18n/catalog.ts';
import { insertMeeting } from '../meetings/record-test-data.ts';
import { makeBookingEvening, type TestEvening } from './booking-test-data.ts';

/** A carer who reads Polish (Marta) or Urdu sees parents' evenings and meetings in their language. */
describe.each(dialects)('parents’ evenings and meetings in the carer’s language on %s', (dialect) => {
  let t: TestApp;
  const now = new Date('2026-11-10T12:00:00.000Z');
  let e: TestEvening;
  const field = (pupil: string, staff: string) => `slot_${pupil}_${staff}`;

  beforeAll(async () => {
    t = await startTestApp(dialect, { clock: () => now });
    e = await makeBookingEvening(t.db, t.fx);
  });
  afterAll(async () => t?.close());

  it('shows Marta the list, the booking page, book for me and the cancel question in Polish, times on the UK clock', async () => {
    const { pupils, staff, carers } = t.fx;
    const marta = await t.as('carer', carers.marta, undefined, { ownLanguage: true });

    const list = await marta.get('/parents-evenings');
    expect(list.body).toContain('<html lang="pl" dir="ltr"');
    expect(list.body).toContain('<h1 class="govuk-heading-l">Wywiadówki</h1>');
    expect(list.body).toContain('Zapisy są otwarte.');

    const page = await marta.get(`/parents-evenings/${e.id}`);
    expect(page.body).toContain('Wybierz godziny</h2>');
    expect(page.body).toContain('<option value="">Wybierz godzinę</option>');
    expect(page.body).toContain('>16:00</option>'); // 4:00pm, on the 24-hour clock Polish readers use
    expect(page.body).not.toContain('4:00pm');
    expect(page.body).toContain('Zarezerwuj te spotkania');

    const forMe = await marta.get(`/parents-evenings/${e.id}/book-for-me`);
    expect(forMe.body).toContain('<h1 class="govuk-heading-l">Zarezerwuj za mnie</h1>');
    expect(forMe.body).toContain('Znajdź dla mnie terminy');

    const booked = await marta.post(`/parents-evenings/${e.id}`, { [field(pupils.kuba, staff.teacher)]: e.slot(staff.teacher, '16:00') });
    expect(booked.statusCode).toBe(303);
    const done = await marta.get(booked.headers.location as string);
    expect(done.body).toContain('Państwa spotkania są zarezerwowane. Wysłaliśmy Państwu godziny e-mailem.');
    expect(done.body).toContain('16:00–16:10');
    const bookingId = /bookings\/([^/]+)\/cancel/.exec(done.body)![1]!;

    const ask = await marta.get(`/parents-evenings/${e.id}/bookings/${bookingId}/cancel`);
    expect(ask.body).toContain('<h1 class="govuk-heading-l">Odwołać to spotkanie?</h1>');
    expect(ask.body).toContain('Tak, odwołaj to spotkanie');
    expect(ask.body).toContain('Nie, zachowaj je');
    expect((await marta.post(`/parents-evenings/${e.id}/bookings/${bookingId}/cancel`)).statusCode).toBe(303);
  });

  it('says a mistake on the booking form in Polish beside the field, and the Zod messages too', async () => {
    const { pupils, staff, carers } = t.fx;
    const marta = await t.as('carer', carers.marta, undefined, { ownLanguage: true });
    const kuba = field(pupils.kuba, staff.teacher);
    // A time of another teacher's: not one of Mr Okafor's.
    const wrong = await marta.post(`/parents-evenings/${e.id}`, { [kuba]: e.slot(staff.teacher3, '16:00') });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.body).toContain('<h2 class="govuk-error-summary__title">');
    expect(wrong.body).toContain('Wystąpił problem');
    expect(wrong.body).toContain(
      `<p id="${kuba}-error" class="govuk-error-message"><span class="govuk-visually-hidden">Błąd:</span> Prosimy wybrać jedną z godzin podanych dla <bdi>Mr Okafor</bdi></p>`,
    );

    const noTeacher = await marta.post(`/parents-evenings/${e.id}/waiting-list`, {});
    expect(noTeacher.statusCode).toBe(400);
    expect(noTeacher.body).toContain('Prosimy wybrać nauczyciela');
    const noTimes = await marta.post(`/parents-evenings/${e.id}/book-for-me`, {});
    expect(noTimes.body).toContain('Prosimy wybrać najwcześniejszą godzinę');
  });

  it('counts by Polish plural rules: 1 spotkanie, 2 spotkania, 5 spotkań', async () => {
    const polish = textIn('pl');
    expect([1, 2, 5, 22].map((count) => polish('meetings.list.count', { count }))).toEqual(['1 spotkanie', '2 spotkania', '5 spotkań', '22 spotkania']);
    expect([1, 2, 5].map((count) => polish('evenings.email.booked.subject', { count, evening: 'X' }))).toEqual([
      'X: Państwa spotkanie jest zarezerwowane',
      'X: Państwa spotkania są zarezerwowane',
      'X: Państwa spotkania są zarezerwowane',
    ]);
    const { carers, pupils } = t.fx;
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push(await insertMeeting(t.db, t.fx, { pupilId: pupils.kuba, carerIds: [carers.marta], startsAt: `2026-11-2${i}T15:30:00.000Z` }));
    const marta = await t.as('carer', carers.marta, undefined, { ownLanguage: true });
    const list = await marta.get('/my-meetings');
    expect(list.body).toContain('<html lang="pl"');
    expect(list.body).toContain('<h1 class="govuk-heading-l">Spotkania</h1>');
    expect(list.body).toContain('5 spotkań');
    expect(list.body).toContain('Poproś o spotkanie');

    const meeting = await marta.get(`/my-meetings/${ids[0]}`);
    expect(meeting.body).toContain('<h1 class="govuk-heading-l">Spotkanie w sprawie: <bdi>Jakub</bdi></h1>');
    expect(meeting.body).toContain('Porządek spotkania');
    expect(meeting.body).toContain('Umówione');
    expect(meeting.body).toContain('20 listopada 2026 15:30');
  });

  it('lays the booking page out right to left for a carer who reads Urdu', async () => {
    const { carers } = t.fx;
    await t.db.updateTable('carers').set({ preferred_language: 'Urdu' }).where('id', '=', carers.sarah).execute();
    const sarah = await t.as('carer', carers.sarah, undefined, { ownLanguage: true });
    const page = await sarah.get(`/parents-evenings/${e.id}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<html lang="ur" dir="rtl"');
    expect(page.body).toContain('اپنے اوقات منتخب کریں');
  });
});

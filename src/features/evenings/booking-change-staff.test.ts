import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { dialects } from '../../../test/support/db.ts';
import { startTestApp, type TestApp } from '../../../test/support/app.ts';
import { cancelEveryBooking, emailAbout, liveBookings, makeBookingEvening, type TestEvening } from './booking-test-data.ts';

/**
 * The office changes a carer's appointment time for them (Marta phones Ms Byrne): the carers' own
 * "Change time" move, from the staff booking page, with the staff booking rules. And the carer's
 * calendar file lets a calendar app replace the old time: the same UID, a higher SEQUENCE.
 * Both databases, over HTTP.
 */
describe.each(dialects)('the office changing a carer’s appointment time on %s', (dialect) => {
  let t: TestApp;
  let now = new Date('2026-11-10T12:00:00.000Z');
  let e: TestEvening;
  const bookFor = (eveningId: string, carerId: string) => `/evenings/${eveningId}/book-for/${carerId}`;
  const changeUrl = (eveningId: string, carerId: string, bookingId: string) => `${bookFor(eveningId, carerId)}/bookings/${bookingId}/change`;
  async function book(carerId: string, eveningId: string, pupilId: string, staffId: string, slotId: string) {
    const carer = await t.as('carer', carerId);
    expect((await carer.post(`/parents-evenings/${eveningId}`, { [`slot_${pupilId}_${staffId}`]: slotId })).statusCode).toBe(303);
    const [row] = (await liveBookings(t.db, eveningId, carerId)).filter((b) => b.slot_id === slotId);
    return row!;
  }
  /** The VEVENT of this booking in a calendar file, unfolded. */
  function eventOf(ics: string, bookingId: string): Record<string, string> {
    const events = ics
      .replace(/\r\n[ \t]/g, '')
      .split('BEGIN:VEVENT')
      .slice(1);
    const event = events.find((v) => v.includes(`UID:evening-booking-${bookingId}@gatepost`));
    if (!event) throw new Error(`No event for ${bookingId} in:\n${ics}`);
    return Object.fromEntries(
      event
        .split('\r\n')
        .filter((l) => /^[A-Z-]+[:;]/.test(l))
        .map((l) => [l.split(/[:;]/, 1)[0]!, l.slice(l.indexOf(':') + 1)]),
    );
  }

  beforeAll(async () => {
    t = await startTestApp(dialect, { clock: () => now });
  });
  afterAll(async () => t?.close());
  beforeEach(async () => {
    now = new Date('2026-11-10T12:00:00.000Z');
    await cancelEveryBooking(t.db, now);
    t.sink.messages.length = 0;
    e = await makeBookingEvening(t.db, t.fx);
  });

  it('Ms Byrne moves Marta’s appointment to 4:30pm: 4:00pm free again, Marta emailed in Polish, the audit names Ms Byrne', async () => {
    const { pupils, staff, carers } = t.fx;
    const booking = await book(carers.marta, e.id, pupils.kuba, staff.teacher, e.slot(staff.teacher, '16:00'));
    t.sink.messages.length = 0;
    const byrne = await t.as('staff', staff.office);
    expect((await byrne.get(bookFor(e.id, carers.marta))).body).toContain(`href="${changeUrl(e.id, carers.marta, booking.id)}">Change time`);

    const page = await byrne.get(changeUrl(e.id, carers.marta, booking.id));
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Change the time');
    expect(page.body).toContain('for <bdi>Marta Nowak</bdi>');
    expect(page.body).toContain('Their time now');
    expect(page.body).toContain('4:00pm to 4:10pm');
    expect(page.body).toContain(`value="${e.slot(staff.teacher, '16:30')}"`);
    expect(page.body).toContain('They keep their current time until the new one is booked');

    const moved = await byrne.post(changeUrl(e.id, carers.marta, booking.id), { slot: e.slot(staff.teacher, '16:30') });
    expect(moved.statusCode).toBe(303);
    expect(moved.headers.location).toBe(`${bookFor(e.id, carers.marta)}?done=changed`);
    expect((await liveBookings(t.db, e.id, carers.marta)).map((r) => [r.id, r.starts_at, r.moves])).toEqual([[booking.id, '2026-11-26T16:30:00.000Z', 1]]);
    const audits = await t.db.selectFrom('audit_log').select(['actor_kind', 'actor_id']).where('entity_id', '=', booking.id).where('action', '=', 'evening_booking.moved').execute();
    expect(audits).toEqual([{ actor_kind: 'staff', actor_id: staff.office }]);
    expect((await byrne.get(`${bookFor(e.id, carers.marta)}?done=changed`)).body).toContain('The family has been emailed the new time.');

    // Marta's email is in Polish (with the English beneath) and says Ms Byrne changed it for her.
    const email = await emailAbout(t.sink, 'marta@families.test', 'nowa godzina', '4:30pm to 4:40pm');
    expect(email.text).toContain('16:30');
    expect(email.text).toContain('Ms Byrne at Brookfield Primary School zmienił(a) dla Państwa godzinę.');
    expect(email.text).toContain('Ms Byrne at Brookfield Primary School changed the time for you.');
    expect(email.text).toContain('It was at 4:00pm. That time is now free for others.');

    // 4:00pm is free: Sarah books it.
    await book(carers.sarah, e.id, pupils.lily, staff.teacher, e.slot(staff.teacher, '16:00'));
  });

  it('offers the nearest free times when the new time was just taken, and keeps the old one', async () => {
    const { pupils, staff, carers } = t.fx;
    const booking = await book(carers.marta, e.id, pupils.kuba, staff.teacher, e.slot(staff.teacher, '16:00'));
    await book(carers.sarah, e.id, pupils.lily, staff.teacher, e.slot(staff.teacher, '16:30'));
    const byrne = await t.as('staff', staff.office);
    const taken = await byrne.post(changeUrl(e.id, carers.marta, booking.id), { slot: e.slot(staff.teacher, '16:30') });
    expect(taken.statusCode).toBe(409);
    expect(taken.body).toContain('Sorry, 4:30pm with <bdi>Mr Okafor</bdi> was just taken by someone else. The nearest free times are 4:10pm, 4:20pm and 4:40pm');
    expect((await liveBookings(t.db, e.id, carers.marta)).map((r) => [r.id, r.starts_at])).toEqual([[booking.id, '2026-11-26T16:00:00.000Z']]);
  });

  it('lets the office change a time after the carers’ booking has closed, as staff booking does', async () => {
    const { pupils, staff, carers } = t.fx;
    const booking = await book(carers.marta, e.id, pupils.kuba, staff.teacher, e.slot(staff.teacher, '16:00'));
    now = new Date('2026-11-25T13:00:00.000Z'); // the carers' booking closed at noon
    const marta = await t.as('carer', carers.marta);
    expect((await marta.post(`/parents-evenings/${e.id}/bookings/${booking.id}/change`, { slot: e.slot(staff.teacher, '16:30') })).statusCode).toBe(400);
    const byrne = await t.as('staff', staff.office);
    expect((await byrne.get(bookFor(e.id, carers.marta))).body).toContain(changeUrl(e.id, carers.marta, booking.id));
    expect((await byrne.post(changeUrl(e.id, carers.marta, booking.id), { slot: e.slot(staff.teacher, '16:30') })).statusCode).toBe(303);
    expect((await liveBookings(t.db, e.id, carers.marta)).map((r) => r.starts_at)).toEqual(['2026-11-26T16:30:00.000Z']);

    // Once it has started, the office is told so in its own words (not sent to ring itself).
    now = new Date('2026-11-26T16:35:00.000Z');
    const started = await byrne.post(changeUrl(e.id, carers.marta, booking.id), { slot: e.slot(staff.teacher, '17:00') });
    expect(started.statusCode).toBe(400);
    expect(started.body).toContain('That appointment has already started, so its time cannot be changed');
    expect(started.body).not.toContain('Ring the school office');
  });

  it('is 404 for a teacher, who may not book for the family, and for another carer’s appointment; nothing moves', async () => {
    const { pupils, staff, carers } = t.fx;
    const booking = await book(carers.marta, e.id, pupils.kuba, staff.teacher, e.slot(staff.teacher, '16:00'));
    const okafor = await t.as('staff', staff.teacher);
    expect((await okafor.get(changeUrl(e.id, carers.marta, booking.id))).statusCode).toBe(404);
    expect((await okafor.post(changeUrl(e.id, carers.marta, booking.id), { slot: e.slot(staff.teacher, '16:30') })).statusCode).toBe(404);
    // Marta's appointment through Sarah's page: not Sarah's, so not there.
    const byrne = await t.as('staff', staff.office);
    expect((await byrne.get(changeUrl(e.id, carers.sarah, booking.id))).statusCode).toBe(404);
    expect((await byrne.post(changeUrl(e.id, carers.sarah, booking.id), { slot: e.slot(staff.teacher, '16:30') })).statusCode).toBe(404);
    expect((await liveBookings(t.db, e.id, carers.marta)).map((r) => r.starts_at)).toEqual(['2026-11-26T16:00:00.000Z']);
  });

  it('gives a moved appointment the same UID and a higher SEQUENCE in Marta’s and Mr Okafor’s calendar files', async () => {
    const { pupils, staff, carers } = t.fx;
    const booking = await book(carers.marta, e.id, pupils.kuba, staff.teacher, e.slot(staff.teacher, '16:00'));
    const marta = await t.as('carer', carers.marta);
    const okafor = await t.as('staff', staff.teacher);
    const before = eventOf((await marta.get(`/parents-evenings/${e.id}/calendar.ics`)).body, booking.id);
    const teacherBefore = eventOf((await okafor.get(`/evenings/${e.id}/schedule.ics`)).body, booking.id);
    expect(before.DTSTART).toBe('20261126T160000Z');
    expect(before.DTSTAMP).toBe('20261110T120000Z');
    expect(Number(before.SEQUENCE ?? 0)).toBe(0);

    now = new Date('2026-11-11T09:00:00.000Z');
    const byrne = await t.as('staff', staff.office);
    expect((await byrne.post(changeUrl(e.id, carers.marta, booking.id), { slot: e.slot(staff.teacher, '16:30') })).statusCode).toBe(303);
    const after = eventOf((await marta.get(`/parents-evenings/${e.id}/calendar.ics`)).body, booking.id);
    expect(after.UID).toBe(before.UID);
    expect(after.DTSTART).toBe('20261126T163000Z');
    expect(after.DTSTAMP).toBe('20261111T090000Z');
    expect(Number(after.SEQUENCE)).toBeGreaterThan(Number(before.SEQUENCE ?? 0));
    const teacherAfter = eventOf((await okafor.get(`/evenings/${e.id}/schedule.ics`)).body, booking.id);
    expect(teacherAfter.UID).toBe(teacherBefore.UID);
    expect(Number(teacherAfter.SEQUENCE)).toBeGreaterThan(Number(teacherBefore.SEQUENCE ?? 0));

    // Marta moves it again herself, then cancels it: each a newer version of the same event.
    expect((await marta.post(`/parents-evenings/${e.id}/bookings/${booking.id}/change`, { slot: e.slot(staff.teacher, '16:50') })).statusCode).toBe(303);
    const again = eventOf((await marta.get(`/parents-evenings/${e.id}/calendar.ics`)).body, booking.id);
    expect(Number(again.SEQUENCE)).toBe(Number(after.SEQUENCE) + 1);
    expect((await marta.post(`/parents-evenings/${e.id}/bookings/${booking.id}/cancel`, {})).statusCode).toBe(303);
    const cancelled = eventOf((await marta.get(`/parents-evenings/${e.id}/calendar.ics`)).body, booking.id);
    expect(cancelled.STATUS).toBe('CANCELLED');
    expect(Number(cancelled.SEQUENCE)).toBe(Number(again.SEQUENCE) + 1);
    // Mr Okafor's file too says it is cancelled, one version on, so his calendar drops it.
    const teacherCancelled = eventOf((await okafor.get(`/evenings/${e.id}/schedule.ics`)).body, booking.id);
    expect(teacherCancelled.UID).toBe(teacherBefore.UID);
    expect(teacherCancelled.STATUS).toBe('CANCELLED');
    expect(Number(teacherCancelled.SEQUENCE)).toBe(Number(cancelled.SEQUENCE));
  });
});

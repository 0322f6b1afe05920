import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { dialects } from '../../../test/support/db.ts';
import { startTestApp, type TestApp } from '../../../test/support/app.ts';
import { newId } from '../../platform/ids.ts';
import { cancelEveryBooking, emailAbout, liveBookings, makeBookingEvening, type TestEvening } from './booking-test-data.ts';

/**
 * "Change time": a carer moves their own appointment to another free time with the same teacher, in
 * one go — the new time secured and the old one freed, or nothing changed. Both databases, over HTTP.
 */
describe.each(dialects)('changing the time of a parents’ evening appointment on %s', (dialect) => {
  let t: TestApp;
  let now = new Date('2026-11-10T12:00:00.000Z');
  let e: TestEvening;
  const field = (pupil: string, staff: string) => `slot_${pupil}_${staff}`;
  const changeUrl = (eveningId: string, bookingId: string) => `/parents-evenings/${eveningId}/bookings/${bookingId}/change`;
  async function book(carerId: string, eveningId: string, pupilId: string, staffId: string, slotId: string) {
    const carer = await t.as('carer', carerId);
    expect((await carer.post(`/parents-evenings/${eveningId}`, { [field(pupilId, staffId)]: slotId })).statusCode).toBe(303);
    const [row] = (await liveBookings(t.db, eveningId, carerId)).filter((b) => b.slot_id === slotId);
    return row!;
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

  it('moves Marta’s appointment to 4:30pm: the same appointment at the new time, 4:00pm free again, an audit entry, an email and the teacher’s schedule', async () => {
    const { pupils, staff, carers } = t.fx;
    const booking = await book(carers.marta, e.id, pupils.kuba, staff.teacher, e.slot(staff.teacher, '16:00'));
    const marta = await t.as('carer', carers.marta);
    expect((await marta.get(`/parents-evenings/${e.id}`)).body).toContain(`href="${changeUrl(e.id, booking.id)}">Change time`);

    const page = await marta.get(changeUrl(e.id, booking.id));
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Change the time');
    expect(page.body).toContain('4:00pm to 4:10pm'); // her time now
    expect(page.body).toContain(`value="${e.slot(staff.teacher, '16:30')}"`);
    expect(page.body).not.toContain(`value="${e.slot(staff.teacher, '16:00')}"`); // not her own time again
    expect(page.body).toContain('You keep your current time until the new one is booked.');

    const moved = await marta.post(changeUrl(e.id, booking.id), { slot: e.slot(staff.teacher, '16:30') });
    expect(moved.statusCode).toBe(303);
    expect(moved.headers.location).toBe(`/parents-evenings/${e.id}?done=changed`);
    const rows = await liveBookings(t.db, e.id, carers.marta);
    expect(rows.map((r) => [r.id, r.slot_id, r.starts_at])).toEqual([[booking.id, e.slot(staff.teacher, '16:30'), '2026-11-26T16:30:00.000Z']]);
    const attendee = await t.db.selectFrom('evening_attendees').select('starts_at').where('booking_id', '=', booking.id).where('cancelled_at', 'is', null).executeTakeFirstOrThrow();
    expect(attendee.starts_at).toBe('2026-11-26T16:30:00.000Z');
    const audits = await t.db.selectFrom('audit_log').select(['action', 'actor_id']).where('entity_id', '=', booking.id).where('action', '=', 'evening_booking.moved').execute();
    expect(audits).toEqual([{ action: 'evening_booking.moved', actor_id: carers.marta }]);
    expect((await marta.get(`/parents-evenings/${e.id}?done=changed`)).body).toContain('The time is changed and your old time is free for others.');

    // Marta reads Polish: her email is in Polish, with the English beneath.
    const email = await emailAbout(t.sink, 'marta@families.test', 'nowa godzina', '4:30pm to 4:40pm');
    expect(email.text).toContain('16:30');
    expect(email.text).toContain('26 November 2026 at 4:30pm to 4:40pm: Jakub Nowak with Mr Okafor, in person, in Room 3');
    expect(email.text).toContain('It was at 4:00pm. That time is now free for others.');

    // The teacher's schedule has Kuba at 4:30pm; 4:00pm is free for another family to book.
    const schedule = (await (await t.as('staff', staff.teacher)).get(`/evenings/${e.id}/schedule`)).body;
    const row = schedule.slice(schedule.indexOf(`id="slot-${e.slot(staff.teacher, '16:30')}"`));
    expect(row.slice(0, row.indexOf('</tr>'))).toContain('<bdi>Jakub Nowak</bdi>');
    await book(carers.sarah, e.id, pupils.lily, staff.teacher, e.slot(staff.teacher, '16:00'));

    // The same form again (a double click): a success that changes nothing more.
    expect((await marta.post(changeUrl(e.id, booking.id), { slot: e.slot(staff.teacher, '16:30') })).statusCode).toBe(303);
    expect(await t.db.selectFrom('audit_log').select('id').where('entity_id', '=', booking.id).where('action', '=', 'evening_booking.moved').execute()).toHaveLength(1);
  });

  it('shows Marta the link and the page in Polish, times on the 24-hour clock', async () => {
    const { pupils, staff, carers } = t.fx;
    const booking = await book(carers.marta, e.id, pupils.kuba, staff.teacher, e.slot(staff.teacher, '16:00'));
    const marta = await t.as('carer', carers.marta, undefined, { ownLanguage: true });
    expect((await marta.get(`/parents-evenings/${e.id}`)).body).toContain(`href="${changeUrl(e.id, booking.id)}">Zmień godzinę`);
    const page = await marta.get(changeUrl(e.id, booking.id));
    expect(page.body).toContain('<h1 class="govuk-heading-l">Zmiana godziny</h1>');
    expect(page.body).toContain('16:00–16:10');
    expect(page.body).toContain('Zmień na tę godzinę');
    expect(page.body).not.toContain('4:30pm');
  });

  it('keeps the old time when someone took the new one a moment ago, and offers the nearest free times', async () => {
    const { pupils, staff, carers } = t.fx;
    const booking = await book(carers.marta, e.id, pupils.kuba, staff.teacher, e.slot(staff.teacher, '16:00'));
    const marta = await t.as('carer', carers.marta);
    expect((await marta.get(changeUrl(e.id, booking.id))).body).toContain(`value="${e.slot(staff.teacher, '16:30')}"`);
    // Sarah books 4:30pm with Mr Okafor while Marta's page is open.
    await book(carers.sarah, e.id, pupils.lily, staff.teacher, e.slot(staff.teacher, '16:30'));
    const taken = await marta.post(changeUrl(e.id, booking.id), { slot: e.slot(staff.teacher, '16:30') });
    expect(taken.statusCode).toBe(409);
    expect(taken.body).toContain('Sorry, 4:30pm with <bdi>Mr Okafor</bdi> was just taken by someone else. The nearest free times are 4:10pm, 4:20pm and 4:40pm: choose one');
    // The nearest times come first, as choices of their own, then every other free time.
    const body = taken.body;
    expect(body.indexOf(`value="${e.slot(staff.teacher, '16:20')}"`)).toBeLessThan(body.indexOf('or another time'));
    expect(body.indexOf(`value="${e.slot(staff.teacher, '15:30')}"`)).toBeGreaterThan(body.indexOf('or another time'));
    expect((await liveBookings(t.db, e.id, carers.marta)).map((r) => [r.id, r.starts_at])).toEqual([[booking.id, '2026-11-26T16:00:00.000Z']]);
    expect(await t.db.selectFrom('audit_log').select('id').where('entity_id', '=', booking.id).where('action', '=', 'evening_booking.moved').execute()).toHaveLength(0);
  });

  it('gives a time wanted at the same moment to one of them only; the other keeps what they had', async () => {
    const { pupils, staff, carers } = t.fx;
    const booking = await book(carers.marta, e.id, pupils.kuba, staff.teacher, e.slot(staff.teacher, '16:00'));
    const [marta, sarah] = await Promise.all([t.as('carer', carers.marta), t.as('carer', carers.sarah)]);
    for (const hhmm of ['16:30', '16:50', '17:10']) {
      const slot = e.slot(staff.teacher, hhmm);
      const before = (await liveBookings(t.db, e.id, carers.marta))[0]!.starts_at;
      const [move, other] = await Promise.all([marta.post(changeUrl(e.id, booking.id), { slot }), sarah.post(`/parents-evenings/${e.id}`, { [field(pupils.lily, staff.teacher)]: slot })]);
      expect([move.statusCode, other.statusCode].filter((c) => c === 303)).toHaveLength(1);
      const onSlot = (await liveBookings(t.db, e.id)).filter((b) => b.slot_id === slot);
      expect(onSlot).toHaveLength(1);
      const mine = await liveBookings(t.db, e.id, carers.marta);
      expect(mine).toHaveLength(1); // never both times, never none
      expect(mine[0]!.starts_at).toBe(move.statusCode === 303 ? onSlot[0]!.starts_at : before);
      await t.db.updateTable('evening_attendees').set({ cancelled_at: now.toISOString() }).where('carer_id', '=', carers.sarah).where('cancelled_at', 'is', null).execute();
      await t.db.updateTable('evening_bookings').set({ cancelled_at: now.toISOString() }).where('carer_id', '=', carers.sarah).where('cancelled_at', 'is', null).execute();
    }
  });

  it('refuses a new time that clashes with her appointment at another evening the same day, naming it', async () => {
    const { pupils, staff, carers } = t.fx;
    const year3 = await makeBookingEvening(t.db, t.fx, { name: 'Year 3 evening', classIds: [t.fx.classes.y3], teacherIds: [staff.teacher] });
    const reception = await makeBookingEvening(t.db, t.fx, {
      name: 'Reception evening',
      classIds: [t.fx.classes.reception],
      teacherIds: [staff.teacher3],
      sessions: [{ date: '2026-11-26', starts: '15:35', ends: '17:35', slotMinutes: 10, breaks: [] }],
    });
    await book(carers.marta, reception.id, pupils.ola, staff.teacher3, reception.slot(staff.teacher3, '16:05'));
    const booking = await book(carers.marta, year3.id, pupils.kuba, staff.teacher, year3.slot(staff.teacher, '17:00'));
    const marta = await t.as('carer', carers.marta);
    // The page offers only times that fit: not 4:00pm, which overlaps 4:05pm with Ms Bell.
    const page = await marta.get(changeUrl(year3.id, booking.id));
    expect(page.body).not.toContain(`value="${year3.slot(staff.teacher, '16:00')}"`);
    expect(page.body).toContain(`value="${year3.slot(staff.teacher, '16:30')}"`);
    const clash = await marta.post(changeUrl(year3.id, booking.id), { slot: year3.slot(staff.teacher, '16:00') });
    expect(clash.statusCode).toBe(400);
    expect(clash.body).toContain('This is at the same time as your appointment with <bdi>Ms Bell (Reception evening)</bdi> at 4:05pm');
    expect(clash.body).not.toContain('just taken');
    expect((await liveBookings(t.db, year3.id, carers.marta)).map((r) => r.starts_at)).toEqual(['2026-11-26T17:00:00.000Z']);
  });

  it('shows nothing to another family or to a restricted father: 404, and the appointment stays', async () => {
    const { pupils, staff, carers } = t.fx;
    const lilys = await book(carers.sarah, e.id, pupils.lily, staff.teacher, e.slot(staff.teacher, '16:00'));
    // Mark had been coming to Lily's appointment before the court order: he still may not touch it.
    await t.db
      .insertInto('evening_attendees')
      .values({ id: newId(), school_id: t.fx.school.id, booking_id: lilys.id, carer_id: carers.mark, starts_at: lilys.starts_at, joined: 1, cancelled_at: null })
      .execute();
    for (const who of [carers.marta, carers.mark]) {
      const carer = await t.as('carer', who);
      expect((await carer.get(changeUrl(e.id, lilys.id))).statusCode).toBe(404);
      expect((await carer.post(changeUrl(e.id, lilys.id), { slot: e.slot(staff.teacher, '16:30') })).statusCode).toBe(404);
    }
    expect((await liveBookings(t.db, e.id, carers.sarah)).map((r) => r.starts_at)).toEqual(['2026-11-26T16:00:00.000Z']);
    expect(t.sink.messages.filter((m) => m.subject.includes('new time'))).toHaveLength(0);
  });

  it('refuses once booking has closed, as the booking page does, and offers no link', async () => {
    const { pupils, staff, carers } = t.fx;
    const booking = await book(carers.marta, e.id, pupils.kuba, staff.teacher, e.slot(staff.teacher, '16:00'));
    now = new Date('2026-11-25T13:00:00.000Z'); // booking closed at noon
    const marta = await t.as('carer', carers.marta);
    expect((await marta.get(`/parents-evenings/${e.id}`)).body).not.toContain(changeUrl(e.id, booking.id));
    const page = await marta.get(changeUrl(e.id, booking.id));
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Booking closed on');
    expect(page.body).not.toContain('name="slot"');
    const refused = await marta.post(changeUrl(e.id, booking.id), { slot: e.slot(staff.teacher, '16:30') });
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain('Booking closed on');
    expect((await liveBookings(t.db, e.id, carers.marta)).map((r) => r.starts_at)).toEqual(['2026-11-26T16:00:00.000Z']);
  });

  it('asks for a time when none is chosen, and refuses another teacher’s time', async () => {
    const { pupils, staff, carers } = t.fx;
    const booking = await book(carers.marta, e.id, pupils.kuba, staff.teacher, e.slot(staff.teacher, '16:00'));
    const marta = await t.as('carer', carers.marta);
    const none = await marta.post(changeUrl(e.id, booking.id), {});
    expect(none.statusCode).toBe(400);
    expect(none.body).toContain('href="#slot">Choose a new time');
    const other = await marta.post(changeUrl(e.id, booking.id), { slot: e.slot(staff.teacher3, '16:30') });
    expect(other.statusCode).toBe(400);
    expect((await liveBookings(t.db, e.id, carers.marta)).map((r) => r.starts_at)).toEqual(['2026-11-26T16:00:00.000Z']);
  });

  it('points a carer who books the same teacher again to "Change time" rather than cancelling first', async () => {
    const { pupils, staff, carers } = t.fx;
    await book(carers.marta, e.id, pupils.kuba, staff.teacher, e.slot(staff.teacher, '16:00'));
    const marta = await t.as('carer', carers.marta);
    // A second tab still shows the form: she chooses 4:30pm there.
    const again = await marta.post(`/parents-evenings/${e.id}`, { [field(pupils.kuba, staff.teacher)]: e.slot(staff.teacher, '16:30') });
    expect(again.statusCode).toBe(400);
    expect(again.body).toContain('To move it, choose “Change time” beside it under Your appointments');
    expect(again.body).not.toContain('cancel it first');
  });

  it('moves the record Mr Okafor opened early to prepare; once he has written it up, the time can no longer change', async () => {
    const { pupils, staff, carers } = t.fx;
    const booking = await book(carers.marta, e.id, pupils.kuba, staff.teacher, e.slot(staff.teacher, '16:00'));
    const okafor = await t.as('staff', staff.teacher);
    expect((await okafor.post(`/evenings/bookings/${booking.id}/record`)).statusCode).toBe(303);
    const marta = await t.as('carer', carers.marta);
    expect((await marta.post(changeUrl(e.id, booking.id), { slot: e.slot(staff.teacher, '16:30') })).statusCode).toBe(303);
    const record = await t.db.selectFrom('meetings').select(['id', 'status', 'starts_at', 'ends_at']).where('evening_booking_id', '=', booking.id).executeTakeFirstOrThrow();
    expect(record).toMatchObject({ status: 'scheduled', starts_at: '2026-11-26T16:30:00.000Z', ends_at: '2026-11-26T16:40:00.000Z' });
    expect(await t.db.selectFrom('audit_log').select('action').where('entity_id', '=', record.id).where('action', '=', 'meeting.rescheduled').execute()).toHaveLength(1);
    // He meets the family early and writes it up: it has happened.
    await t.db.updateTable('meetings').set({ status: 'held' }).where('id', '=', record.id).execute();
    const page = await marta.get(changeUrl(e.id, booking.id));
    expect(page.body).toContain('That appointment has taken place and the teacher has written it up, so its time cannot be changed');
    expect(page.body).not.toContain('name="slot"');
    expect((await marta.post(changeUrl(e.id, booking.id), { slot: e.slot(staff.teacher, '17:00') })).statusCode).toBe(400);
    expect((await liveBookings(t.db, e.id, carers.marta)).map((r) => r.starts_at)).toEqual(['2026-11-26T16:30:00.000Z']);
  });

  it('moves a joined appointment for both parents and emails the other one the new time', async () => {
    const { pupils, staff, carers } = t.fx;
    const joint = await makeBookingEvening(t.db, t.fx, { name: 'Joint evening', separatedCarers: 'join' });
    const booking = await book(carers.marta, joint.id, pupils.kuba, staff.teacher, joint.slot(staff.teacher, '16:00'));
    const tomasz = await t.as('carer', carers.tomasz);
    expect((await tomasz.post(`/parents-evenings/${joint.id}/bookings/${booking.id}/join`)).statusCode).toBe(303);
    const page = await tomasz.get(changeUrl(joint.id, booking.id));
    expect(page.body).toContain('Another parent or carer is coming to this appointment.');
    expect((await tomasz.post(changeUrl(joint.id, booking.id), { slot: joint.slot(staff.teacher, '16:40') })).statusCode).toBe(303);
    const attendees = await t.db.selectFrom('evening_attendees').select(['carer_id', 'starts_at']).where('booking_id', '=', booking.id).where('cancelled_at', 'is', null).orderBy('joined').execute();
    expect(attendees).toEqual([
      { carer_id: carers.marta, starts_at: '2026-11-26T16:40:00.000Z' },
      { carer_id: carers.tomasz, starts_at: '2026-11-26T16:40:00.000Z' },
    ]);
    const toMarta = await emailAbout(t.sink, 'marta@families.test', 'nowa godzina', '4:40pm to 4:50pm');
    expect(toMarta.text).toContain('The other parent or carer coming to this appointment has changed its time.');
    expect(toMarta.text).toContain('4:40pm to 4:50pm');
  });
});

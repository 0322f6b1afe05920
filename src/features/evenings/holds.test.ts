import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { dialects } from '../../../test/support/db.ts';
import { startTestApp, type TestApp } from '../../../test/support/app.ts';
import { clashBetween } from './booking.ts';
import { makeBookingEvening, type TestEvening } from './booking-test-data.ts';

/** "Book for me": a compact schedule, held for two minutes, accepted or let go; both databases. */
describe.each(dialects)('book for me on %s', (dialect) => {
  let t: TestApp;
  let now = new Date('2026-11-10T12:00:00.000Z');
  let e: TestEvening;
  const pair = (pupil: string, staff: string) => `${pupil}_${staff}`;
  const holdOf = (holdId: string) => t.db.selectFrom('evening_bookings').selectAll().where('hold_id', '=', holdId).orderBy('starts_at').execute();
  const holdIdOf = (location: unknown) => String(location).split('/holds/')[1]!;

  beforeAll(async () => {
    t = await startTestApp(dialect, { clock: () => now });
  });
  afterAll(async () => t?.close());
  beforeEach(async () => {
    now = new Date('2026-11-10T12:00:00.000Z');
    await t.db.updateTable('evening_attendees').set({ cancelled_at: now.toISOString() }).where('cancelled_at', 'is', null).execute();
    await t.db.updateTable('evening_bookings').set({ cancelled_at: now.toISOString() }).where('cancelled_at', 'is', null).execute();
    e = await makeBookingEvening(t.db, t.fx);
  });

  async function askForTimes(earliest = '2026-11-26T15:30:00.000Z', latest = '2026-11-26T17:30:00.000Z') {
    const { pupils, staff, carers } = t.fx;
    const marta = await t.as('carer', carers.marta);
    const res = await marta.post(`/parents-evenings/${e.id}/book-for-me`, { earliest, latest, mode: 'in_person', pairs: [pair(pupils.kuba, staff.teacher), pair(pupils.ola, staff.teacher3)] });
    return { marta, res };
  }

  it('suggests times within the first day when the evening is held on two days, not from one day until the next', async () => {
    e = await makeBookingEvening(t.db, t.fx, {
      sessions: [
        { date: '2026-11-26', starts: '15:30', ends: '17:30', slotMinutes: 10, breaks: [] },
        { date: '2026-11-27', starts: '08:00', ends: '09:00', slotMinutes: 10, breaks: [] },
      ],
    });
    const body = (await (await t.as('carer', t.fx.carers.marta)).get(`/parents-evenings/${e.id}/book-for-me`)).body;
    const selected = (id: string) => {
      const select = body.slice(body.indexOf(`id="${id}"`), body.indexOf('</select>', body.indexOf(`id="${id}"`)));
      return /<option value="[^"]*" selected>([^<]*)<\/option>/.exec(select)?.[1];
    };
    expect(selected('earliest')).toBe('Thursday 26 November 2026 at 3:30pm');
    expect(selected('latest')).toBe('Thursday 26 November 2026 at 5:30pm');
    // The second day's times are still there to choose.
    expect(body).toContain('Friday 27 November 2026 at 9:00am</option>');
  });

  it('proposes the most compact schedule for both children, holds it, and books it when accepted', async () => {
    const { staff } = t.fx;
    // Mr Okafor is not free until 4:00pm; Ms Bell is free all evening.
    await t.db
      .updateTable('evening_slots')
      .set({ unavailable: 1 })
      .where(
        'id',
        'in',
        ['15:30', '15:40', '15:50'].map((at) => e.slot(staff.teacher, at)),
      )
      .execute();
    // The form: each teacher-and-child box isolates both names.
    const asking = (await (await t.as('carer', t.fx.carers.marta)).get(`/parents-evenings/${e.id}/book-for-me`)).body;
    expect(asking).toMatch(/govuk-checkboxes__label[^>]*>\s*<bdi>Mr Okafor<\/bdi>, for <bdi>Jakub Nowak<\/bdi>\s*<\/label>/);
    const { marta, res } = await askForTimes();
    expect(res.statusCode).toBe(303);
    const holdId = holdIdOf(res.headers.location);
    const held = await holdOf(holdId);
    // Ms Bell at 3:40pm, a 5-minute walk (one free slot), Mr Okafor at 4:00pm: 30 minutes from first to last.
    expect(held.map((b) => [b.staff_id, b.starts_at, b.status, b.hold_expires_at])).toEqual([
      [staff.teacher3, '2026-11-26T15:40:00.000Z', 'held', '2026-11-10T12:02:00.000Z'],
      [staff.teacher, '2026-11-26T16:00:00.000Z', 'held', '2026-11-10T12:02:00.000Z'],
    ]);
    const page = await marta.get(`/parents-evenings/${e.id}/holds/${holdId}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('These times are held for you until 12:02pm');
    expect(page.body).toContain('3:40pm to 3:50pm');
    expect(page.body).toContain('<bdi>Aleksandra Nowak</bdi> with <bdi>Ms Bell</bdi>');
    expect(asking).toMatch(/govuk-checkboxes__label[^>]*>\s*<bdi>Mr Okafor<\/bdi>, for <bdi>Jakub Nowak<\/bdi>\s*<\/label>/);
    // The evening page says so too, and no longer offers those times to anyone.
    expect((await marta.get(`/parents-evenings/${e.id}`)).body).toContain('Times are held for you until 12:02pm');

    t.sink.messages.length = 0;
    now = new Date('2026-11-10T12:01:30.000Z');
    const accepted = await marta.post(`/parents-evenings/${e.id}/holds/${holdId}`, { answer: 'accept' });
    expect(accepted.statusCode).toBe(303);
    expect(accepted.headers.location).toBe(`/parents-evenings/${e.id}?done=booked`);
    expect((await holdOf(holdId)).map((b) => [b.status, b.cancelled_at])).toEqual([
      ['booked', null],
      ['booked', null],
    ]);
    const email = await t.sink.waitFor('marta@families.test');
    expect(email.text).toContain('3:40pm to 3:50pm: Aleksandra Nowak with Ms Bell');
    // Accepting twice is harmless.
    expect((await marta.post(`/parents-evenings/${e.id}/holds/${holdId}`, { answer: 'accept' })).statusCode).toBe(303);
  });

  it('never holds a time that clashes with one the carer is booking in another tab at the same moment', async () => {
    const { pupils, staff, carers } = t.fx;
    const marta = await t.as('carer', carers.marta);
    for (let round = 0; round < 6; round++) {
      await t.db.updateTable('evening_attendees').set({ cancelled_at: now.toISOString() }).where('carer_id', '=', carers.marta).where('cancelled_at', 'is', null).execute();
      await t.db.updateTable('evening_bookings').set({ cancelled_at: now.toISOString() }).where('carer_id', '=', carers.marta).where('cancelled_at', 'is', null).execute();
      // Tab one: "book for me" with Mr Okafor (alone, it would propose 3:30pm). Tab two: Ms Bell at 3:40pm.
      await Promise.all([
        marta.post(`/parents-evenings/${e.id}/book-for-me`, { earliest: '2026-11-26T15:30:00.000Z', latest: '2026-11-26T17:30:00.000Z', mode: 'in_person', pairs: [pair(pupils.kuba, staff.teacher)] }),
        marta.post(`/parents-evenings/${e.id}`, { [`slot_${pupils.ola}_${staff.teacher3}`]: e.slot(staff.teacher3, '15:40') }),
      ]);
      const live = await t.db.selectFrom('evening_bookings').select(['starts_at', 'ends_at', 'staff_id']).where('carer_id', '=', carers.marta).where('cancelled_at', 'is', null).execute();
      const times = live.map((b) => ({ starts: b.starts_at, ends: b.ends_at, staffId: b.staff_id, label: '' }));
      for (const [i, a] of times.entries()) for (const b of times.slice(i + 1)) expect(clashBetween(a, b, 5), `round ${round}: ${a.starts} and ${b.starts}`).toBeNull();
    }
  });

  it('keeps held times from everyone else while the hold lasts', async () => {
    const { pupils, staff, carers } = t.fx;
    const { res } = await askForTimes();
    const held = await holdOf(holdIdOf(res.headers.location));
    const okafor = held.find((b) => b.staff_id === staff.teacher)!;
    const tomasz = await t.as('carer', carers.tomasz);
    const page = await tomasz.get(`/parents-evenings/${e.id}`);
    expect(page.body).not.toContain(`value="${okafor.slot_id}"`);
    const taken = await tomasz.post(`/parents-evenings/${e.id}`, { [`slot_${pupils.kuba}_${staff.teacher}`]: okafor.slot_id });
    expect(taken.statusCode).toBe(409);
    expect(taken.body).toContain('was just taken by someone else');
    const live = await t.db.selectFrom('evening_bookings').select('carer_id').where('slot_id', '=', okafor.slot_id).where('cancelled_at', 'is', null).execute();
    expect(live).toEqual([{ carer_id: carers.marta }]);
  });

  it('cannot accept a hold whose two minutes ran out; its times are free again', async () => {
    const { pupils, staff, carers } = t.fx;
    const { marta, res } = await askForTimes();
    const holdId = holdIdOf(res.headers.location);
    const okafor = (await holdOf(holdId)).find((b) => b.staff_id === staff.teacher)!;
    now = new Date('2026-11-10T12:02:00.000Z');
    const late = await marta.post(`/parents-evenings/${e.id}/holds/${holdId}`, { answer: 'accept' });
    expect(late.statusCode).toBe(409);
    expect(late.body).toContain('that time has run out');
    const rows = await holdOf(holdId);
    expect(rows.every((b) => b.status === 'held' && b.cancelled_at === now.toISOString() && b.cancelled_by_kind === 'system')).toBe(true);
    expect((await marta.get(`/parents-evenings/${e.id}/holds/${holdId}`)).body).toContain('These times are no longer held');
    // Someone else may now book the time that was held.
    const tomasz = await t.as('carer', carers.tomasz);
    expect((await tomasz.post(`/parents-evenings/${e.id}`, { [`slot_${pupils.kuba}_${staff.teacher}`]: okafor.slot_id })).statusCode).toBe(303);
  });

  it('releases held times lazily when someone else books after the hold ran out', async () => {
    const { pupils, staff, carers } = t.fx;
    const { res } = await askForTimes();
    const holdId = holdIdOf(res.headers.location);
    const okafor = (await holdOf(holdId)).find((b) => b.staff_id === staff.teacher)!;
    now = new Date('2026-11-10T12:05:00.000Z');
    const tomasz = await t.as('carer', carers.tomasz);
    expect((await tomasz.get(`/parents-evenings/${e.id}`)).body).toContain(`value="${okafor.slot_id}"`);
    expect((await tomasz.post(`/parents-evenings/${e.id}`, { [`slot_${pupils.kuba}_${staff.teacher}`]: okafor.slot_id })).statusCode).toBe(303);
    expect((await holdOf(holdId)).every((b) => b.cancelled_by_kind === 'system')).toBe(true);
    const released = await t.db.selectFrom('audit_log').select('actor_kind').where('action', '=', 'evening_booking.hold_released').where('entity_id', '=', okafor.id).execute();
    expect(released).toEqual([{ actor_kind: 'system' }]);
  });

  it('lets the carer decline, and a new proposal replaces an old one', async () => {
    const { marta, res } = await askForTimes();
    const first = holdIdOf(res.headers.location);
    const again = await askForTimes();
    const second = holdIdOf(again.res.headers.location);
    expect((await holdOf(first)).every((b) => b.cancelled_at !== null)).toBe(true);
    expect((await holdOf(second)).every((b) => b.cancelled_at === null)).toBe(true);
    const declined = await marta.post(`/parents-evenings/${e.id}/holds/${second}`, { answer: 'decline' });
    expect(declined.headers.location).toBe(`/parents-evenings/${e.id}?done=declined`);
    expect((await holdOf(second)).every((b) => b.cancelled_at !== null && b.cancelled_by_kind === 'carer')).toBe(true);
    expect((await marta.get(`/parents-evenings/${e.id}/holds/${second}`)).body).toContain('You let these times go');
    // Another carer cannot see or answer Marta's hold.
    const tomasz = await t.as('carer', t.fx.carers.tomasz);
    expect((await tomasz.get(`/parents-evenings/${e.id}/holds/${second}`)).statusCode).toBe(404);
  });

  it('says why when nothing fits, keeping the times the carer chose', async () => {
    const { staff } = t.fx;
    // Only 16:00-16:10 wanted: two appointments cannot fit in ten minutes.
    const { res } = await askForTimes('2026-11-26T16:00:00.000Z', '2026-11-26T16:10:00.000Z');
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('There is no way to fit 2 appointments between 4:00pm and 4:10pm with 5 minutes between them');
    expect(res.body).toContain('value="2026-11-26T16:00:00.000Z" selected');
    await t.db.updateTable('evening_slots').set({ unavailable: 1 }).where('staff_id', '=', staff.teacher).where('evening_id', '=', e.id).execute();
    const none = await askForTimes();
    expect(none.res.body).toContain('Mr Okafor has no free times between 3:30pm and 5:30pm');
    const marta = await t.as('carer', t.fx.carers.marta);
    const empty = await marta.post(`/parents-evenings/${e.id}/book-for-me`, { earliest: '2026-11-26T15:30:00.000Z', latest: '2026-11-26T17:30:00.000Z' });
    expect(empty.statusCode).toBe(400);
    expect(empty.body).toContain('Choose at least one teacher to see');
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dialects } from '../../../test/support/db.ts';
import { startTestApp, type TestApp } from '../../../test/support/app.ts';
import { book, makeEvening, slotsOfTeacher } from './setup-test-data.ts';

const NOW = new Date('2026-11-10T09:00:00Z');

describe.each(dialects)("a teacher's parents' evening schedule on %s", (dialect) => {
  let t: TestApp;
  let eveningId = '';
  let slots: Awaited<ReturnType<typeof slotsOfTeacher>> = [];
  let kubaBooking = '';
  beforeAll(async () => {
    t = await startTestApp(dialect, { clock: () => NOW });
    eveningId = await makeEvening(t.db, t.fx, { separatedCarers: 'join' });
    slots = await slotsOfTeacher(t.db, eveningId, t.fx.staff.teacher);
    kubaBooking = await book(t.db, t.fx, slots[0]!, { pupilId: t.fx.pupils.kuba, carerId: t.fx.carers.marta, joined: [t.fx.carers.tomasz] });
    await book(t.db, t.fx, slots[2]!, { pupilId: t.fx.pupils.lily, carerId: t.fx.carers.sarah, mode: 'phone' });
  });
  afterAll(async () => t?.close());

  const rowOf = (body: string, slotId: string) => {
    const from = body.indexOf(`id="slot-${slotId}"`);
    return body.slice(from, body.indexOf('</tr>', from));
  };

  it('shows Mr Okafor his appointments in school time: child, carers, way to meet and where, with cancel and record', async () => {
    const okafor = await t.as('staff', t.fx.staff.teacher);
    const page = await okafor.get(`/evenings/${eveningId}/schedule`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Your schedule');
    expect(page.body).toContain('26 November 2026');
    const kuba = rowOf(page.body, slots[0]!.id);
    expect(kuba).toContain('3:30pm to 3:40pm');
    expect(kuba).toContain('<bdi>Jakub Nowak</bdi>');
    expect(kuba).toContain('<bdi>Marta Nowak</bdi>, <bdi>Tomasz Nowak</bdi>'); // Tomasz joined Marta's appointment
    expect(kuba).toContain('In person');
    expect(kuba).toContain('Room 3');
    expect(kuba).toContain(`href="/evenings/${eveningId}/bookings/${kubaBooking}/cancel"`);
    expect(kuba).toContain(`action="/evenings/bookings/${kubaBooking}/record"`);
    expect(kuba).toContain(`name="_csrf" value="${okafor.csrf}"`);
    const lily = rowOf(page.body, slots[2]!.id);
    expect(lily).toContain('By phone');
    expect(lily).toContain('No phone number: ask the office'); // Sarah gave the school no mobile
    const free = rowOf(page.body, slots[1]!.id);
    expect(free).toContain('Free');
    expect(free).toContain(`action="/evenings/${eveningId}/slots/${slots[1]!.id}/unavailable"`);
    expect(page.body).not.toContain('style=');
    expect(page.body).toContain(`href="/evenings/${eveningId}/schedule.ics"`);
  });

  it('gives Mr Okafor his appointments as a calendar file', async () => {
    const okafor = await t.as('staff', t.fx.staff.teacher);
    const ics = await okafor.get(`/evenings/${eveningId}/schedule.ics`);
    expect(ics.statusCode).toBe(200);
    expect(ics.headers['content-type']).toContain('text/calendar');
    expect(ics.body).toContain('DTSTART:20261126T153000Z');
    expect(ics.body).toContain(`UID:evening-booking-${kubaBooking}@gatepost`);
    expect(ics.body).toContain('Jakub Nowak');
    expect(ics.body.match(/BEGIN:VEVENT/g)).toHaveLength(2);
  });

  it('lets leaders see any teacher’s schedule, a teacher only their own', async () => {
    const office = await t.as('staff', t.fx.staff.office);
    const his = await office.get(`/evenings/${eveningId}/teachers/${t.fx.staff.teacher}/schedule`);
    expect(his.statusCode).toBe(200);
    expect(his.body).toContain('Mr Okafor&#39;s schedule');
    expect(his.body).toContain('Jakub Nowak');
    expect(his.body).not.toContain('schedule.ics');
    const hall = await t.as('staff', t.fx.staff.teacher2);
    expect((await hall.get(`/evenings/${eveningId}/teachers/${t.fx.staff.teacher}/schedule`)).statusCode).toBe(404);
    expect((await hall.get(`/evenings/${eveningId}/teachers/${t.fx.staff.teacher2}/schedule`)).statusCode).toBe(200);
    // Not teaching at the evening: no schedule of their own.
    for (const who of [t.fx.staff.dsl, t.fx.staff.head]) {
      const client = await t.as('staff', who);
      expect((await client.get(`/evenings/${eveningId}/schedule`)).statusCode).toBe(404);
      expect((await client.get(`/evenings/${eveningId}/schedule.ics`)).statusCode).toBe(404);
    }
    expect((await office.get(`/evenings/${eveningId}/teachers/${t.fx.staff.dsl}/schedule`)).statusCode).toBe(404);
    const otherHead = await t.as('staff', t.fx.staff.otherHead, t.fx.other.id);
    expect((await otherHead.get(`/evenings/${eveningId}/teachers/${t.fx.staff.teacher}/schedule`)).statusCode).toBe(404);
    expect((await (await t.as('staff', t.fx.staff.governor)).get(`/evenings/${eveningId}/schedule`)).statusCode).toBe(404);
  });

  it('marks a free slot unavailable and available again, but not a booked one', async () => {
    const okafor = await t.as('staff', t.fx.staff.teacher);
    const free = slots[1]!;
    const off = await okafor.post(`/evenings/${eveningId}/slots/${free.id}/unavailable`);
    expect(off.statusCode).toBe(303);
    expect(off.headers.location).toBe(`/evenings/${eveningId}/schedule?done=unavailable#slot-${free.id}`);
    expect((await t.db.selectFrom('evening_slots').select('unavailable').where('id', '=', free.id).executeTakeFirstOrThrow()).unavailable).toBe(1);
    const page = await okafor.get(`/evenings/${eveningId}/schedule?done=unavailable`);
    expect(rowOf(page.body, free.id)).toContain('Unavailable');
    expect(rowOf(page.body, free.id)).toContain(`/slots/${free.id}/available`);
    // Pressed twice: nothing more happens.
    expect((await okafor.post(`/evenings/${eveningId}/slots/${free.id}/unavailable`)).statusCode).toBe(303);
    expect(await t.db.selectFrom('audit_log').select('id').where('action', '=', 'evening_slot.made_unavailable').where('entity_id', '=', free.id).execute()).toHaveLength(1);

    const booked = await okafor.post(`/evenings/${eveningId}/slots/${slots[0]!.id}/unavailable`);
    expect(booked.statusCode).toBe(409);
    expect(booked.body).toContain('This time is booked. To free it, cancel the appointment first (the family is then told)');
    expect(booked.body).toContain(`href="#slot-${slots[0]!.id}"`);
    expect((await t.db.selectFrom('evening_slots').select('unavailable').where('id', '=', slots[0]!.id).executeTakeFirstOrThrow()).unavailable).toBe(0);

    // Someone else's slot: 404 for another teacher; the office may, and returns to that teacher's schedule.
    const hall = await t.as('staff', t.fx.staff.teacher2);
    expect((await hall.post(`/evenings/${eveningId}/slots/${free.id}/available`)).statusCode).toBe(404);
    expect((await (await t.as('staff', t.fx.staff.senco)).post(`/evenings/${eveningId}/slots/${free.id}/available`)).statusCode).toBe(404);
    const office = await t.as('staff', t.fx.staff.office);
    const on = await office.post(`/evenings/${eveningId}/slots/${free.id}/available`);
    expect(on.headers.location).toBe(`/evenings/${eveningId}/teachers/${t.fx.staff.teacher}/schedule?done=available#slot-${free.id}`);
    expect((await t.db.selectFrom('evening_slots').select('unavailable').where('id', '=', free.id).executeTakeFirstOrThrow()).unavailable).toBe(0);
    const audits = await t.db.selectFrom('audit_log').select(['actor_id']).where('action', '=', 'evening_slot.made_available').where('entity_id', '=', free.id).execute();
    expect(audits).toEqual([{ actor_id: t.fx.staff.office }]);
  });
});

describe.each(dialects)("parents' evenings on the days the clocks change, on %s", (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(dialect, { clock: () => NOW });
  });
  afterAll(async () => t?.close());

  const cases = [
    { when: 'Sunday 25 October 2026, when the clocks go back', date: '2026-10-25', utc: '2026-10-25T17:00:00.000Z', opens: '2026-10-01', closes: '2026-10-24' },
    { when: 'Sunday 29 March 2026, when the clocks go forward', date: '2026-03-29', utc: '2026-03-29T16:00:00.000Z', opens: '2026-03-01', closes: '2026-03-28' },
  ];
  for (const c of cases) {
    it(`puts 5pm at the right instant and shows 5pm on ${c.when}`, async () => {
      const eveningId = await makeEvening(t.db, t.fx, {
        name: `Evening ${c.date}`,
        classIds: [t.fx.classes.y3],
        sessions: [{ date: c.date, starts: '17:00', ends: '18:00', slotMinutes: 10, breaks: [] }],
        bookingOpens: { date: c.opens, time: '18:00' },
        bookingCloses: { date: c.closes, time: '12:00' },
      });
      const slots = await slotsOfTeacher(t.db, eveningId, t.fx.staff.teacher);
      expect(slots).toHaveLength(6);
      expect(slots[0]!.starts_at).toBe(c.utc);
      expect(Date.parse(slots[5]!.ends_at) - Date.parse(slots[0]!.starts_at)).toBe(60 * 60_000);
      await book(t.db, t.fx, slots[0]!, { pupilId: t.fx.pupils.kuba, carerId: t.fx.carers.marta });
      const page = await (await t.as('staff', t.fx.staff.teacher)).get(`/evenings/${eveningId}/schedule`);
      expect(page.body).toContain('5:00pm to 5:10pm');
      expect(page.body).toContain('5:50pm to 6:00pm');
      expect(page.body).not.toMatch(/[46]:00pm to [46]:10pm/);
      const ics = await (await t.as('staff', t.fx.staff.teacher)).get(`/evenings/${eveningId}/schedule.ics`);
      expect(ics.body).toContain(`DTSTART:${c.utc.replace(/[-:]/g, '').replace('.000', '')}`);
      const edit = await (await t.as('staff', t.fx.staff.head)).get(`/evenings/${eveningId}/edit`);
      expect(edit.body).toContain('value="17:00"');
    });
  }
});

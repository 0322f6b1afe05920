import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { dialects } from '../../../test/support/db.ts';
import { startTestApp, type TestApp } from '../../../test/support/app.ts';
import { makeBookingEvening, type TestEvening } from './booking-test-data.ts';

/**
 * A carer's appointments the same day at two of the school's parents' evenings (one for Year 3 in
 * 10-minute slots from 3:30pm, one for Reception in 10-minute slots from 3:35pm): a time that overlaps,
 * or leaves less than the travel gap, is refused with the clash in words — never "just taken", which
 * is only for a time someone else took. Also when both are submitted at the same moment.
 */
describe.each(dialects)('booking across parents’ evenings on one day on %s', (dialect) => {
  let t: TestApp;
  const now = new Date('2026-11-10T12:00:00.000Z');
  let year3: TestEvening;
  let reception: TestEvening;
  const field = (pupil: string, staff: string) => `slot_${pupil}_${staff}`;
  const live = (carerId: string) => t.db.selectFrom('evening_bookings').select(['evening_id', 'starts_at']).where('carer_id', '=', carerId).where('cancelled_at', 'is', null).execute();

  beforeAll(async () => {
    t = await startTestApp(dialect, { clock: () => now });
    year3 = await makeBookingEvening(t.db, t.fx, { name: 'Year 3 evening', classIds: [t.fx.classes.y3], teacherIds: [t.fx.staff.teacher] });
    reception = await makeBookingEvening(t.db, t.fx, {
      name: 'Reception evening',
      classIds: [t.fx.classes.reception],
      teacherIds: [t.fx.staff.teacher3],
      sessions: [{ date: '2026-11-26', starts: '15:35', ends: '17:35', slotMinutes: 10, breaks: [] }],
    });
  });
  afterAll(async () => t?.close());
  beforeEach(async () => {
    await t.db.updateTable('evening_attendees').set({ cancelled_at: now.toISOString() }).where('cancelled_at', 'is', null).execute();
    await t.db.updateTable('evening_bookings').set({ cancelled_at: now.toISOString() }).where('cancelled_at', 'is', null).execute();
  });

  it('refuses 4:05pm at one evening when the carer has 4:00–4:10pm at another, naming it', async () => {
    const { pupils, staff, carers } = t.fx;
    const marta = await t.as('carer', carers.marta);
    expect((await marta.post(`/parents-evenings/${year3.id}`, { [field(pupils.kuba, staff.teacher)]: year3.slot(staff.teacher, '16:00') })).statusCode).toBe(303);
    const clash = await marta.post(`/parents-evenings/${reception.id}`, { [field(pupils.ola, staff.teacher3)]: reception.slot(staff.teacher3, '16:05') });
    expect(clash.statusCode).toBe(400);
    expect(clash.body).toContain('This is at the same time as your appointment with <bdi>Mr Okafor (Year 3 evening)</bdi> at 4:00pm');
    expect(clash.body).not.toContain('just taken');
    expect(await live(carers.marta)).toHaveLength(1);
  });

  it('offers a time with the same teacher at a second evening: an appointment at the first is not this one', async () => {
    const { pupils, staff, carers } = t.fx;
    const again = await makeBookingEvening(t.db, t.fx, { name: 'Year 3 reading evening', classIds: [t.fx.classes.y3], teacherIds: [t.fx.staff.teacher] });
    const marta = await t.as('carer', carers.marta);
    expect((await marta.post(`/parents-evenings/${year3.id}`, { [field(pupils.kuba, staff.teacher)]: year3.slot(staff.teacher, '16:00') })).statusCode).toBe(303);
    expect((await marta.get(`/parents-evenings/${year3.id}`)).body).not.toContain(`name="${field(pupils.kuba, staff.teacher)}"`);
    const page = (await marta.get(`/parents-evenings/${again.id}`)).body;
    expect(page).toContain('You have no appointments yet.');
    expect(page).toContain(`name="${field(pupils.kuba, staff.teacher)}"`);
  });

  it('keeps the travel gap between evenings, and books a time that leaves it', async () => {
    const { pupils, staff, carers } = t.fx;
    const farApart = await makeBookingEvening(t.db, t.fx, { name: 'Year 3 maths evening', classIds: [t.fx.classes.y3], teacherIds: [t.fx.staff.teacher], travelGapMinutes: 10 });
    const marta = await t.as('carer', carers.marta);
    expect((await marta.post(`/parents-evenings/${reception.id}`, { [field(pupils.ola, staff.teacher3)]: reception.slot(staff.teacher3, '16:05') })).statusCode).toBe(303);
    const overlap = await marta.post(`/parents-evenings/${farApart.id}`, { [field(pupils.kuba, staff.teacher)]: farApart.slot(staff.teacher, '16:10') });
    expect(overlap.statusCode).toBe(400);
    expect(overlap.body).toContain('This is at the same time as your appointment with <bdi>Ms Bell (Reception evening)</bdi> at 4:05pm');
    // 3:50–4:00pm leaves five minutes before 4:05pm; this evening allows ten to walk between rooms.
    const gap = await marta.post(`/parents-evenings/${farApart.id}`, { [field(pupils.kuba, staff.teacher)]: farApart.slot(staff.teacher, '15:50') });
    expect(gap.statusCode).toBe(400);
    expect(gap.body).toContain('This leaves less than 10 minutes to get to or from your appointment with <bdi>Ms Bell (Reception evening)</bdi> at 4:05pm');
    expect(await live(carers.marta)).toHaveLength(1);
    expect((await marta.post(`/parents-evenings/${farApart.id}`, { [field(pupils.kuba, staff.teacher)]: farApart.slot(staff.teacher, '16:30') })).statusCode).toBe(303);
    expect(await live(carers.marta)).toHaveLength(2);
  });

  it('refuses the same start time at another evening as a clash, not as a time someone took', async () => {
    const { pupils, staff, carers } = t.fx;
    const sameStart = await makeBookingEvening(t.db, t.fx, { name: 'Reception catch-up', classIds: [t.fx.classes.reception], teacherIds: [t.fx.staff.teacher3] });
    const marta = await t.as('carer', carers.marta);
    expect((await marta.post(`/parents-evenings/${year3.id}`, { [field(pupils.kuba, staff.teacher)]: year3.slot(staff.teacher, '16:30') })).statusCode).toBe(303);
    const clash = await marta.post(`/parents-evenings/${sameStart.id}`, { [field(pupils.ola, staff.teacher3)]: sameStart.slot(staff.teacher3, '16:30') });
    expect(clash.statusCode).toBe(400);
    expect(clash.body).toContain('This is at the same time as your appointment with <bdi>Mr Okafor (Year 3 evening)</bdi> at 4:30pm');
    expect(clash.body).not.toContain('just taken');
  });

  it('still says "just taken" when someone else took the time, and books it when nothing clashes', async () => {
    const { pupils, staff, carers } = t.fx;
    // Tomasz (Ola's father, who books his own appointments here) takes 4:05pm with Ms Bell first.
    const tomasz = await t.as('carer', carers.tomasz);
    expect((await tomasz.post(`/parents-evenings/${reception.id}`, { [field(pupils.ola, staff.teacher3)]: reception.slot(staff.teacher3, '16:05') })).statusCode).toBe(303);
    const marta = await t.as('carer', carers.marta);
    expect((await marta.post(`/parents-evenings/${year3.id}`, { [field(pupils.kuba, staff.teacher)]: year3.slot(staff.teacher, '17:00') })).statusCode).toBe(303);
    const taken = await marta.post(`/parents-evenings/${reception.id}`, { [field(pupils.ola, staff.teacher3)]: reception.slot(staff.teacher3, '16:05') });
    expect(taken.statusCode).toBe(409);
    expect(taken.body).toContain('4:05pm with <bdi>Ms Bell</bdi> was just taken by someone else');
    // The nearest free times offered leave room for her 5pm Year 3 appointment: not 4:55pm, 5:05pm.
    expect(taken.body).not.toMatch(/nearest free times are[^<]*4:55pm/);
    expect((await marta.post(`/parents-evenings/${reception.id}`, { [field(pupils.ola, staff.teacher3)]: reception.slot(staff.teacher3, '16:15') })).statusCode).toBe(303);
  });

  it('books at most one of two overlapping times submitted at the same moment at two evenings; the other is told of the clash', async () => {
    const { pupils, staff, carers } = t.fx;
    const tabs = await Promise.all([t.as('carer', carers.marta), t.as('carer', carers.marta)]);
    for (const [okafor, bell] of [
      ['16:00', '16:05'],
      ['16:40', '16:35'],
      ['17:10', '17:05'],
    ] as const) {
      const [a, b] = await Promise.all([
        tabs[0]!.post(`/parents-evenings/${year3.id}`, { [field(pupils.kuba, staff.teacher)]: year3.slot(staff.teacher, okafor) }),
        tabs[1]!.post(`/parents-evenings/${reception.id}`, { [field(pupils.ola, staff.teacher3)]: reception.slot(staff.teacher3, bell) }),
      ]);
      const codes = [a.statusCode, b.statusCode];
      expect(codes.filter((c) => c === 303)).toHaveLength(1);
      expect(codes.filter((c) => c === 400)).toHaveLength(1);
      const refused = a.statusCode === 400 ? a : b;
      expect(refused.body).toMatch(
        /This (is at the same time as|leaves less than 5 minutes to get to or from) your appointment with <bdi>(Mr Okafor \(Year 3 evening\)|Ms Bell \(Reception evening\))<\/bdi>/,
      );
      expect(refused.body).not.toContain('just taken');
      expect(await live(carers.marta)).toHaveLength(1);
      await t.db.updateTable('evening_attendees').set({ cancelled_at: now.toISOString() }).where('carer_id', '=', carers.marta).where('cancelled_at', 'is', null).execute();
      await t.db.updateTable('evening_bookings').set({ cancelled_at: now.toISOString() }).where('carer_id', '=', carers.marta).where('cancelled_at', 'is', null).execute();
    }
  });
});

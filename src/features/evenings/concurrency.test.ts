import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dialects } from '../../../test/support/db.ts';
import { startTestApp, type TestApp } from '../../../test/support/app.ts';
import { newId } from '../../platform/ids.ts';
import { carerLink, carerRow, pupilRow } from '../../../test/support/fixture.ts';
import { bookAppointments } from './booking-commands.ts';
import type { BookingContext } from './booking-context.ts';
import { setSlotAvailability } from './schedule-queries.ts';
import { liveBookingsOnSlot, makeBookingEvening, type TestEvening } from './booking-test-data.ts';

/**
 * Never double-booked: many carers at once for one slot, over HTTP and through the command, and one
 * carer booking two teachers at the same time in two tabs. The database's unique indexes decide;
 * the counts are read from the database afterwards.
 */
const CARERS = 30;

describe.each(dialects)('booking under concurrency on %s', (dialect) => {
  let t: TestApp;
  const now = new Date('2026-11-10T12:00:00.000Z');
  let e: TestEvening;
  const families: { carerId: string; pupilId: string }[] = [];

  beforeAll(async () => {
    t = await startTestApp(dialect, { clock: () => now });
    e = await makeBookingEvening(t.db, t.fx);
    const at = now.toISOString();
    for (let i = 0; i < CARERS; i++) {
      const pupilId = newId();
      const carerId = newId();
      await t.db
        .insertInto('pupils')
        .values(
          pupilRow(at, {
            id: pupilId,
            school_id: t.fx.school.id,
            upn: `C${String(i).padStart(12, '0')}`,
            given_name: `Child${i}`,
            family_name: 'Rush',
            date_of_birth: '2018-01-01',
            year_group: '3',
            class_id: t.fx.classes.y3,
          }),
        )
        .execute();
      await t.db
        .insertInto('carers')
        .values(carerRow(at, { id: carerId, school_id: t.fx.school.id, given_name: `Carer${i}`, family_name: 'Rush', email: `rush${i}@families.test` }))
        .execute();
      await t.db
        .insertInto('carer_pupils')
        .values(carerLink({ school_id: t.fx.school.id, carer_id: carerId, pupil_id: pupilId }))
        .execute();
      families.push({ carerId, pupilId });
    }
  });
  afterAll(async () => t?.close());

  it(`gives one slot to exactly one of ${CARERS} carers posting at once; every other is told it was taken`, async () => {
    const slotId = e.slot(t.fx.staff.teacher, '16:00');
    const clients = await Promise.all(families.map((f) => t.as('carer', f.carerId)));
    const answers = await Promise.all(clients.map((c, i) => c.post(`/parents-evenings/${e.id}`, { [`slot_${families[i]!.pupilId}_${t.fx.staff.teacher}`]: slotId })));
    const codes = answers.map((a) => a.statusCode);
    expect(codes.filter((c) => c === 303)).toHaveLength(1);
    expect(codes.filter((c) => c === 409)).toHaveLength(CARERS - 1);
    for (const lost of answers.filter((a) => a.statusCode === 409)) expect(lost.body).toContain('4:00pm with <bdi>Mr Okafor</bdi> was just taken by someone else');
    expect(await liveBookingsOnSlot(t.db, slotId)).toBe(1);
    const attendees = await t.db.selectFrom('evening_attendees').select('id').where('starts_at', '=', '2026-11-26T16:00:00.000Z').where('cancelled_at', 'is', null).execute();
    expect(attendees).toHaveLength(1);
  });

  it(`gives one slot to exactly one of ${CARERS} simultaneous calls of the booking command`, async () => {
    const slotId = e.slot(t.fx.staff.teacher, '16:30');
    const ctx = (carerId: string): BookingContext => ({
      schoolId: t.fx.school.id,
      eveningId: e.id,
      carerId,
      actor: { kind: 'carer', id: carerId, schoolId: t.fx.school.id },
      now,
      today: '2026-11-10',
      timeZone: 'Europe/London',
      baseUrl: 'http://gatepost.test',
      dialect,
    });
    // The carer who won the last race already has Mr Okafor for their child: leave them out.
    const winners = await t.db.selectFrom('evening_bookings').select('carer_id').where('evening_id', '=', e.id).where('cancelled_at', 'is', null).execute();
    const racing = families.filter((f) => !winners.some((w) => w.carer_id === f.carerId));
    expect(racing).toHaveLength(CARERS - 1);
    const results = await Promise.all(racing.map((f) => bookAppointments(t.db, ctx(f.carerId), [{ pupilId: f.pupilId, staffId: t.fx.staff.teacher, slotId, mode: null }])));
    const booked = results.filter((r) => r.ok && r.booked.length === 1);
    expect(booked).toHaveLength(1);
    expect(results.filter((r) => !r.ok && r.status === 409)).toHaveLength(CARERS - 2);
    expect(await liveBookingsOnSlot(t.db, slotId)).toBe(1);
  });

  it('lets one carer booking two teachers at the same moment in two tabs have at most one of them', async () => {
    const { pupils, staff, carers } = t.fx;
    const tabs = await Promise.all([t.as('carer', carers.marta), t.as('carer', carers.marta)]);
    for (const [okafor, bell] of [
      ['16:40', '16:40'],
      ['17:00', '17:10'],
      ['17:20', '17:20'],
    ] as const) {
      const [a, b] = await Promise.all([
        tabs[0]!.post(`/parents-evenings/${e.id}`, { [`slot_${pupils.kuba}_${staff.teacher}`]: e.slot(staff.teacher, okafor) }),
        tabs[1]!.post(`/parents-evenings/${e.id}`, { [`slot_${pupils.ola}_${staff.teacher3}`]: e.slot(staff.teacher3, bell) }),
      ]);
      expect([a.statusCode, b.statusCode].filter((c) => c === 303)).toHaveLength(1);
      const theirs = await t.db.selectFrom('evening_bookings').select(['staff_id', 'starts_at']).where('carer_id', '=', carers.marta).where('cancelled_at', 'is', null).execute();
      // Same time, or within the 5-minute travel gap: one appointment wins, the other is refused.
      expect(theirs).toHaveLength(1);
      await t.db.updateTable('evening_attendees').set({ cancelled_at: now.toISOString() }).where('carer_id', '=', carers.marta).where('cancelled_at', 'is', null).execute();
      await t.db.updateTable('evening_bookings').set({ cancelled_at: now.toISOString() }).where('carer_id', '=', carers.marta).where('cancelled_at', 'is', null).execute();
    }
  });

  it('makes a double submit harmless even when both arrive at once', async () => {
    const { pupils, staff, carers } = t.fx;
    const marta = await t.as('carer', carers.marta);
    const form = { [`slot_${pupils.kuba}_${staff.teacher}`]: e.slot(staff.teacher, '15:30'), [`slot_${pupils.ola}_${staff.teacher3}`]: e.slot(staff.teacher3, '15:50') };
    const answers = await Promise.all([marta.post(`/parents-evenings/${e.id}`, form), marta.post(`/parents-evenings/${e.id}`, form), marta.post(`/parents-evenings/${e.id}`, form)]);
    expect(answers.map((a) => a.statusCode)).toEqual([303, 303, 303]);
    const theirs = await t.db.selectFrom('evening_bookings').select('id').where('carer_id', '=', carers.marta).where('cancelled_at', 'is', null).execute();
    expect(theirs).toHaveLength(2);
  });

  it('never leaves a slot both booked and marked unavailable when a teacher marks it as a carer books it', async () => {
    const times = ['15:40', '15:50', '16:10', '16:20', '16:50', '17:10'];
    const booked = await t.db.selectFrom('evening_bookings').select('carer_id').where('evening_id', '=', e.id).where('cancelled_at', 'is', null).execute();
    const racing = families.filter((f) => !booked.some((b) => b.carer_id === f.carerId)).slice(0, times.length);
    const teacher = { kind: 'staff' as const, id: t.fx.staff.teacher, schoolId: t.fx.school.id };
    const outcomes = await Promise.all(
      times.map(async (hhmm, i) => {
        const f = racing[i]!;
        const slotId = e.slot(t.fx.staff.teacher, hhmm);
        const ctx: BookingContext = {
          schoolId: t.fx.school.id,
          eveningId: e.id,
          carerId: f.carerId,
          actor: { kind: 'carer', id: f.carerId, schoolId: t.fx.school.id },
          now,
          today: '2026-11-10',
          timeZone: 'Europe/London',
          baseUrl: 'http://gatepost.test',
          dialect,
        };
        const [booking, marking] = await Promise.all([
          bookAppointments(t.db, ctx, [{ pupilId: f.pupilId, staffId: t.fx.staff.teacher, slotId, mode: null }]),
          setSlotAvailability(t.db, teacher, t.fx.school.id, slotId, true, now),
        ]);
        return { slotId, booked: booking.ok && booking.booked.length === 1, marked: marking === 'done' };
      }),
    );
    for (const o of outcomes) {
      // Exactly one of the two wins: the booking, or the teacher's "unavailable".
      expect(o.booked !== o.marked).toBe(true);
      const slot = await t.db.selectFrom('evening_slots').select('unavailable').where('id', '=', o.slotId).executeTakeFirstOrThrow();
      expect(Number(slot.unavailable) === 1 && (await liveBookingsOnSlot(t.db, o.slotId)) > 0).toBe(false);
    }
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dialects } from '../../../test/support/db.ts';
import { startTestApp, type TestApp } from '../../../test/support/app.ts';
import { insertBooking } from './record-test-data.ts';
import { cancelByCarer } from '../evenings/booking-cancel.ts';
import { setOutcome } from './record-commands.ts';

const NOW = new Date('2026-11-23T10:00:00.000Z'); // before the sessions tests sign in with (real time), so they never look expired

describe.each(dialects)('records of parents’ evening appointments on %s', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(dialect, { clock: () => NOW });
  });
  afterAll(async () => t?.close());

  const meetingsOf = (bookingId: string) => t.db.selectFrom('meetings').selectAll().where('evening_booking_id', '=', bookingId).execute();

  it('makes one held meeting for the booking, however many clicks, with its teacher, child, carers and time', async () => {
    const { bookingId } = await insertBooking(t.db, t.fx, {
      teacherId: t.fx.staff.teacher,
      pupilId: t.fx.pupils.kuba,
      carerId: t.fx.carers.marta,
      joinerIds: [t.fx.carers.tomasz],
      startsAt: '2026-11-26T16:00:00.000Z',
    });
    const teacher = await t.as('staff', t.fx.staff.teacher);
    const answers = await Promise.all([1, 2, 3, 4].map(() => teacher.post(`/evenings/bookings/${bookingId}/record`)));
    const made = await meetingsOf(bookingId);
    expect(made).toHaveLength(1);
    const m = made[0]!;
    for (const a of answers) {
      expect(a.statusCode).toBe(303);
      expect(a.headers.location).toBe(`/meetings/${m.id}/record`);
    }
    expect(m).toMatchObject({
      kind: 'parents_evening',
      // Opened three days before the evening: scheduled, not yet held.
      status: 'scheduled',
      pupil_id: t.fx.pupils.kuba,
      topic: "Autumn parents' evening",
      starts_at: '2026-11-26T16:00:00.000Z',
      ends_at: '2026-11-26T16:10:00.000Z',
      created_by_id: t.fx.staff.teacher,
    });
    const carers = await t.db.selectFrom('meeting_carers').select('carer_id').where('meeting_id', '=', m.id).execute();
    expect(carers.map((c) => c.carer_id).sort()).toEqual([t.fx.carers.marta, t.fx.carers.tomasz].sort());
    const staff = await t.db.selectFrom('meeting_staff').select(['staff_id', 'role']).where('meeting_id', '=', m.id).execute();
    expect(staff).toEqual([{ staff_id: t.fx.staff.teacher, role: 'lead' }]);
    expect(await t.db.selectFrom('audit_log').select('id').where('action', '=', 'meeting.created_from_booking').execute()).toHaveLength(1);

    const page = await teacher.get(`/meetings/${m.id}/record`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Parents’ evening appointment');
    expect(page.body).toContain('26 November 2026 at 4:00pm');
    // No outcome before the appointment has started.
    const early = await teacher.post(`/meetings/${m.id}/record/outcome`, { outcome: 'Kuba is reading well; more times tables at home.' });
    expect(early.statusCode).toBe(400);
    expect(early.body).toContain('This meeting has not started yet (it starts on 26 November 2026 at 4:00pm). Record what was agreed once it has started');
    expect((await meetingsOf(bookingId))[0]).toMatchObject({ status: 'scheduled', outcome: null });

    // Once it has started the outcome is written, and then it has happened: Marta cannot cancel it.
    const during = new Date('2026-11-26T16:05:00.000Z');
    expect(
      await setOutcome(t.db, { staffId: t.fx.staff.teacher, schoolId: t.fx.school.id }, m.id, { outcome: 'Kuba is reading well; more times tables at home.', follow_up_on: null }, during),
    ).toEqual({ ok: true, passedOn: false });
    expect((await meetingsOf(bookingId))[0]).toMatchObject({ status: 'held' });
    const { eveningId } = await t.db.selectFrom('evening_bookings').select('evening_id as eveningId').where('id', '=', bookingId).executeTakeFirstOrThrow();
    const marta = t.fx.carers.marta;
    const ctx = {
      schoolId: t.fx.school.id,
      eveningId,
      now: NOW,
      timeZone: 'Europe/London',
      baseUrl: 'http://gatepost.test',
      carerId: marta,
      actor: { kind: 'carer' as const, id: marta, schoolId: t.fx.school.id },
    };
    expect(await cancelByCarer(t.db, ctx, bookingId)).toBe('held');
    const booking = await t.db.selectFrom('evening_bookings').select('cancelled_at').where('id', '=', bookingId).executeTakeFirstOrThrow();
    expect(booking.cancelled_at).toBeNull();
  });

  it('puts on the record only the parents still coming: one who booked and then left the shared appointment is not on it', async () => {
    const { bookingId } = await insertBooking(t.db, t.fx, {
      teacherId: t.fx.staff.teacher3,
      pupilId: t.fx.pupils.ola,
      carerId: t.fx.carers.marta,
      joinerIds: [t.fx.carers.tomasz],
      startsAt: '2026-11-26T16:30:00.000Z',
      eveningName: 'Shared evening',
    });
    await t.db.updateTable('evening_attendees').set({ cancelled_at: NOW.toISOString() }).where('booking_id', '=', bookingId).where('carer_id', '=', t.fx.carers.marta).execute();
    expect((await (await t.as('staff', t.fx.staff.teacher3)).post(`/evenings/bookings/${bookingId}/record`)).statusCode).toBe(303);
    const [m] = await meetingsOf(bookingId);
    expect(await t.db.selectFrom('meeting_carers').select('carer_id').where('meeting_id', '=', m!.id).execute()).toEqual([{ carer_id: t.fx.carers.tomasz }]);
  });

  it('lets the head start it, not another teacher; a cancelled booking has no record', async () => {
    const { bookingId } = await insertBooking(t.db, t.fx, {
      teacherId: t.fx.staff.teacher2,
      pupilId: t.fx.pupils.leo,
      carerId: t.fx.carers.grace,
      startsAt: '2026-11-26T17:00:00.000Z',
      eveningName: 'Spring evening',
    });
    expect((await (await t.as('staff', t.fx.staff.teacher)).post(`/evenings/bookings/${bookingId}/record`)).statusCode).toBe(404);
    expect((await (await t.as('staff', t.fx.staff.office)).post(`/evenings/bookings/${bookingId}/record`)).statusCode).toBe(404);
    expect(await meetingsOf(bookingId)).toHaveLength(0);
    const byHead = await (await t.as('staff', t.fx.staff.head)).post(`/evenings/bookings/${bookingId}/record`);
    expect(byHead.statusCode).toBe(303);
    const [m] = await meetingsOf(bookingId);
    // The booking's teacher leads it, whoever started the record.
    expect(await t.db.selectFrom('meeting_staff').select('staff_id').where('meeting_id', '=', m!.id).execute()).toEqual([{ staff_id: t.fx.staff.teacher2 }]);

    const cancelled = await insertBooking(t.db, t.fx, {
      teacherId: t.fx.staff.teacher3,
      pupilId: t.fx.pupils.ola,
      carerId: t.fx.carers.marta,
      startsAt: '2026-11-26T17:30:00.000Z',
      cancelled: true,
      eveningName: 'Cancelled evening',
    });
    expect((await (await t.as('staff', t.fx.staff.teacher3)).post(`/evenings/bookings/${cancelled.bookingId}/record`)).statusCode).toBe(404);
    expect((await (await t.as('staff', t.fx.staff.otherHead, t.fx.other.id)).post(`/evenings/bookings/${bookingId}/record`)).statusCode).toBe(404);
  });
});

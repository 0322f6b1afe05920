import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dialects, openTestDb, type TestDb } from '../../../test/support/db.ts';
import { makeFixture, type Fixture } from '../../../test/support/fixture.ts';
import { newId } from '../../platform/ids.ts';
import type { EmailPayload } from '../../platform/outbox/outbox.ts';
import { scheduleMeeting } from './meetings-schedule.ts';
import { planWithoutStatistics } from '../../db/query-plan.ts';
import { dueMeetingsStatement, sendMeetingReminders, tomorrowIn } from './reminders.ts';

describe('tomorrow in the school’s zone', () => {
  it('is 23 hours long when the clocks go forward and 25 when they go back', () => {
    expect(tomorrowIn(new Date('2027-03-27T12:00:00Z'), 'Europe/London')).toEqual({ date: '2027-03-28', from: '2027-03-28T00:00:00.000Z', to: '2027-03-28T23:00:00.000Z' });
    expect(tomorrowIn(new Date('2027-03-28T11:00:00Z'), 'Europe/London')).toEqual({ date: '2027-03-29', from: '2027-03-28T23:00:00.000Z', to: '2027-03-29T23:00:00.000Z' });
    expect(tomorrowIn(new Date('2026-10-24T12:00:00Z'), 'Europe/London')).toEqual({ date: '2026-10-25', from: '2026-10-24T23:00:00.000Z', to: '2026-10-26T00:00:00.000Z' });
    // Just before midnight in summer time, "tomorrow" is already the next-but-one UTC date.
    expect(tomorrowIn(new Date('2026-06-30T23:30:00Z'), 'Europe/London').date).toBe('2026-07-02');
  });
});

describe.each(dialects)('reminders the day before on %s', (dialect) => {
  let tdb: TestDb;
  let fx: Fixture;
  beforeAll(async () => {
    tdb = await openTestDb(dialect);
    fx = await makeFixture(tdb.db);
  });
  afterAll(async () => tdb?.close());

  const outbox = async (prefix: string) => {
    const rows = await tdb.db
      .selectFrom('outbox')
      .select(['idempotency_key', 'recipient', 'payload_json'])
      .where('idempotency_key', 'like', `email:reminder:${prefix}%`)
      .orderBy('recipient')
      .execute();
    return rows.map((r) => ({ key: r.idempotency_key, ...(JSON.parse(r.payload_json) as EmailPayload) }));
  };

  async function arrange(now: Date, startsAt: string, carerIds: string[], pupilId = fx.pupils.kuba) {
    const r = await scheduleMeeting(
      tdb.db,
      { kind: 'staff', id: fx.staff.teacher, schoolId: fx.school.id },
      {
        kind: 'appointment',
        topic: 'Reading',
        pupilId,
        carerIds,
        leadId: fx.staff.teacher,
        colleagueId: null,
        inviteLiaison: false,
        startsAt,
        endsAt: new Date(Date.parse(startsAt) + 20 * 60_000).toISOString(),
        mode: 'in_person',
        place: 'Room 3',
        videoLink: null,
        interpreterLanguage: null,
        agenda: ['Reading at home'],
      },
      { now, baseUrl: 'http://gatepost.test' },
    );
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    return r.id;
  }

  it('reminds each family member with an email once, only for arranged meetings starting tomorrow', async () => {
    const now = new Date('2026-11-23T18:00:00.000Z');
    const tomorrow = await arrange(now, '2026-11-24T15:30:00.000Z', [fx.carers.marta, fx.carers.tomasz]);
    await arrange(now, '2026-11-25T15:30:00.000Z', [fx.carers.marta]);
    const cancelled = await arrange(now, '2026-11-24T16:30:00.000Z', [fx.carers.marta]);
    await tdb.db.updateTable('meetings').set({ status: 'cancelled' }).where('id', '=', cancelled).execute();
    const ayaans = await arrange(now, '2026-11-24T09:00:00.000Z', [fx.carers.faduma], fx.pupils.ayaan); // no email: nothing to send her

    const first = await sendMeetingReminders(tdb.db, now, 'http://gatepost.test');
    const second = await sendMeetingReminders(tdb.db, now, 'http://gatepost.test');
    expect(first.meetings).toBe(2);
    expect(second.meetings).toBe(2); // written again, but the keys make it a no-op
    const sent = await outbox('meeting:');
    expect(sent.map((s) => [s.key, s.to])).toEqual([
      [`email:reminder:meeting:${tomorrow}:${fx.carers.marta}`, 'marta@families.test'],
      [`email:reminder:meeting:${tomorrow}:${fx.carers.tomasz}`, 'tomasz@families.test'],
    ]);
    const marta = sent[0]!;
    // Marta reads Polish: the reminder is in Polish (its subject too), the English beneath it.
    expect(marta.subject).toBe('Przypomnienie: jutro spotkanie w sprawie: Jakub, 24 listopada 2026 15:30');
    expect(marta.text).toMatch(/^Dzień dobry, Marta,/);
    expect(marta.text).toContain('Kiedy: 24 listopada 2026 15:30');
    expect(marta.text.indexOf('Po angielsku')).toBeGreaterThan(marta.text.indexOf('Kiedy:'));
    expect(marta.text).toContain('When: 24 November 2026 at 3:30pm');
    expect(marta.text).toContain('Where: Room 3');
    expect(marta.text).toContain('With: Mr Okafor');
    expect(marta.text).toContain('- Reading at home');
    expect(marta.text).toContain(`Add it to your calendar: http://gatepost.test/my-meetings/${tomorrow}/calendar.ics`);
    // Mr Okafor, leading both meetings tomorrow, is reminded of each once (Ayaan's too: the staff
    // still meet Mrs Warsame), with where to look and none of the agenda.
    const staff = await outbox('meeting-staff:');
    expect(staff.map((s) => [s.key, s.subject]).sort()).toEqual(
      [
        [`email:reminder:meeting-staff:${tomorrow}:${fx.staff.teacher}`, 'Reminder: Reading, about Jakub, tomorrow at 3:30pm'],
        [`email:reminder:meeting-staff:${ayaans}:${fx.staff.teacher}`, 'Reminder: Reading, about Ayaan, tomorrow at 9:00am'],
      ].sort(),
    );
    const kubas = staff.find((s) => s.key.includes(tomorrow))!;
    expect(kubas.text).toContain(`http://gatepost.test/meetings/${tomorrow}`);
    expect(kubas.text).not.toContain('Reading at home');
  });

  async function evening(name: string, date: string) {
    const id = newId();
    const at = '2026-09-01T09:00:00.000Z';
    await tdb.db
      .insertInto('evenings')
      .values({
        id,
        school_id: fx.school.id,
        name,
        modes: 'in_person,video',
        travel_gap_minutes: 5,
        separated_carers: 'join',
        booking_opens_at: at,
        booking_closes_at: at,
        published_at: at,
        created_by: fx.staff.head,
        created_at: at,
        updated_at: at,
      })
      .execute();
    const sessionId = newId();
    await tdb.db.insertInto('evening_sessions').values({ id: sessionId, school_id: fx.school.id, evening_id: id, date, starts: '15:00', ends: '19:00', slot_minutes: 10, breaks_json: '[]' }).execute();
    await tdb.db
      .insertInto('evening_teachers')
      .values([
        { evening_id: id, staff_id: fx.staff.teacher, school_id: fx.school.id, room: 'Room 3', video_link: null },
        { evening_id: id, staff_id: fx.staff.teacher3, school_id: fx.school.id, room: null, video_link: 'https://meet.example/bell' },
      ])
      .execute();
    return { id, sessionId };
  }

  async function book(
    ev: { id: string; sessionId: string },
    o: { staffId: string; pupilId: string; carerId: string; startsAt: string; mode?: 'in_person' | 'video'; status?: 'held' | 'booked'; cancelled?: boolean; joiners?: string[] },
  ) {
    const slotId = newId();
    const endsAt = new Date(Date.parse(o.startsAt) + 10 * 60_000).toISOString();
    await tdb.db
      .insertInto('evening_slots')
      .values({ id: slotId, school_id: fx.school.id, evening_id: ev.id, session_id: ev.sessionId, staff_id: o.staffId, starts_at: o.startsAt, ends_at: endsAt, unavailable: 0 })
      .execute();
    const bookingId = newId();
    const at = '2026-10-01T18:00:00.000Z';
    await tdb.db
      .insertInto('evening_bookings')
      .values({
        id: bookingId,
        school_id: fx.school.id,
        evening_id: ev.id,
        slot_id: slotId,
        staff_id: o.staffId,
        pupil_id: o.pupilId,
        carer_id: o.carerId,
        starts_at: o.startsAt,
        ends_at: endsAt,
        booking_key: `${o.pupilId}:${o.carerId}`,
        mode: o.mode ?? 'in_person',
        status: o.status ?? 'booked',
        hold_id: null,
        hold_expires_at: null,
        booked_by_kind: 'carer',
        booked_by_id: o.carerId,
        created_at: at,
        cancelled_at: o.cancelled ? at : null,
        cancelled_by_kind: o.cancelled ? 'carer' : null,
        cancelled_by_id: o.cancelled ? o.carerId : null,
        cancel_reason: null,
      })
      .execute();
    for (const [i, carerId] of [o.carerId, ...(o.joiners ?? [])].entries()) {
      await tdb.db
        .insertInto('evening_attendees')
        .values({ id: newId(), school_id: fx.school.id, booking_id: bookingId, carer_id: carerId, starts_at: o.startsAt, joined: i === 0 ? 0 : 1, cancelled_at: o.cancelled ? at : null })
        .execute();
    }
  }

  it('reminds families of an evening the day after the clocks go back, at the right local times, once each', async () => {
    const now = new Date('2026-10-25T12:00:00.000Z'); // Sunday: the clocks went back at 2am
    const ev = await evening('Autumn parents’ evening', '2026-10-26');
    await book(ev, { staffId: fx.staff.teacher, pupilId: fx.pupils.kuba, carerId: fx.carers.marta, startsAt: '2026-10-26T16:00:00.000Z', joiners: [fx.carers.tomasz] });
    await book(ev, { staffId: fx.staff.teacher3, pupilId: fx.pupils.ola, carerId: fx.carers.marta, startsAt: '2026-10-26T16:20:00.000Z', mode: 'video' });
    await book(ev, { staffId: fx.staff.teacher, pupilId: fx.pupils.lily, carerId: fx.carers.sarah, startsAt: '2026-10-26T16:10:00.000Z' });
    await book(ev, { staffId: fx.staff.teacher, pupilId: fx.pupils.lily, carerId: fx.carers.mark, startsAt: '2026-10-26T16:40:00.000Z' }); // a court order is in force
    await book(ev, { staffId: fx.staff.teacher, pupilId: fx.pupils.leo, carerId: fx.carers.grace, startsAt: '2026-10-26T16:50:00.000Z', cancelled: true });
    await book(ev, { staffId: fx.staff.teacher3, pupilId: fx.pupils.leo, carerId: fx.carers.grace, startsAt: '2026-10-26T17:00:00.000Z', status: 'held' });
    await book(ev, { staffId: fx.staff.teacher, pupilId: fx.pupils.leo, carerId: fx.carers.socialWorker, startsAt: '2026-10-25T17:00:00.000Z' }); // today, not tomorrow

    await sendMeetingReminders(tdb.db, now, 'http://gatepost.test');
    await sendMeetingReminders(tdb.db, now, 'http://gatepost.test');
    const sent = await outbox(`evening:${ev.id}`);
    expect(sent.map((s) => s.to)).toEqual(['marta@families.test', 'sarah@families.test', 'tomasz@families.test']);
    expect(sent.every((s) => s.key.includes(':2026-10-26:'))).toBe(true);
    const marta = sent[0]!;
    expect(marta.subject).toBe('Przypomnienie: jutro Autumn parents’ evening');
    expect(marta.text).toContain('Przypominamy o Państwa jutrzejszych spotkaniach – Autumn parents’ evening:');
    expect(marta.text).toContain('- 26 października 2026 16:00: Mr Okafor w sprawie: Jakub. Room 3');
    expect(marta.text).toContain('A reminder of your appointments at Autumn parents’ evening tomorrow:');
    expect(marta.text).toContain('- 26 October 2026 at 4:00pm: Mr Okafor about Jakub. Room 3');
    expect(marta.text).toContain('- 26 October 2026 at 4:20pm: Ms Bell about Aleksandra. By video call: https://meet.example/bell');
    expect(marta.text).toContain(`Add them to your calendar: http://gatepost.test/parents-evenings/${ev.id}/calendar.ics`);
    const tomasz = sent[2]!;
    expect(tomasz.text).toContain('4:00pm: Mr Okafor about Jakub');
    expect(tomasz.text).not.toContain('Aleksandra');
    expect(sent.find((s) => s.to === 'sarah@families.test')!.text).toContain('26 October 2026 at 4:10pm');
    // Each teacher once: how many appointments (a joined one counts once; cancelled and held ones not), from when.
    const teachers = await outbox(`evening-staff:${ev.id}`);
    expect(teachers.map((s) => s.subject).sort()).toEqual([
      'Reminder: Autumn parents’ evening tomorrow, 1 appointment from 4:20pm',
      'Reminder: Autumn parents’ evening tomorrow, 3 appointments from 4:00pm',
    ]);
    expect(teachers.every((s) => s.text.includes(`http://gatepost.test/evenings/${ev.id}/schedule`))).toBe(true);
  });

  it('reminds families of an evening the day after the clocks go forward at the right local time', async () => {
    const now = new Date('2027-03-28T11:00:00.000Z'); // Sunday noon, summer time since 1am
    const ev = await evening('Spring parents’ evening', '2027-03-29');
    await book(ev, { staffId: fx.staff.teacher, pupilId: fx.pupils.kuba, carerId: fx.carers.marta, startsAt: '2027-03-29T16:00:00.000Z' });
    await sendMeetingReminders(tdb.db, now, 'http://gatepost.test');
    const sent = await outbox(`evening:${ev.id}`);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.text).toContain('- 29 March 2027 at 5:00pm: Mr Okafor about Jakub. Room 3');
  });

  it('finds tomorrow’s meetings by their start time, not among every meeting the school has had, and reminds of tomorrow’s appointments only (every ten minutes)', async () => {
    const lastYear = await evening('Last spring’s parents’ evening', '2026-03-16');
    // Last year's bookings, cancelled and rebooked over and over, and the one that was kept.
    for (let i = 0; i < 60; i++) {
      const startsAt = new Date(Date.parse('2026-03-16T15:00:00Z') + i * 600_000).toISOString();
      await book(lastYear, { staffId: fx.staff.teacher, pupilId: fx.pupils.kuba, carerId: fx.carers.marta, startsAt, cancelled: i < 59 });
    }
    const ev = await evening('Summer parents’ evening', '2027-06-15');
    await book(ev, { staffId: fx.staff.teacher, pupilId: fx.pupils.lily, carerId: fx.carers.sarah, startsAt: '2027-06-15T15:00:00.000Z' });
    const now = new Date('2027-06-14T12:00:00.000Z');
    const meeting = await arrange(now, '2027-06-15T08:00:00.000Z', [fx.carers.marta]);
    const day = tomorrowIn(now, 'Europe/London');

    // A school that began empty: no statistics (SQLite gathers none unless asked). Tomorrow's meetings
    // are found by school and start time, not among every meeting that is not an appointment
    // (`evening_booking_id is null` in the statement took the unique appointment index).
    expect((await planWithoutStatistics(tdb.db, dueMeetingsStatement(tdb.db, fx.school.id, day).compile())).join('\n')).toMatch(/meetings_school_starts/);

    await sendMeetingReminders(tdb.db, now, 'http://gatepost.test');
    expect((await outbox(`evening:${ev.id}`)).map((s) => s.to)).toEqual(['sarah@families.test']);
    expect(await outbox(`evening:${lastYear.id}`)).toEqual([]);
    expect((await outbox(`meeting:${meeting}`)).map((s) => s.to)).toEqual(['marta@families.test']);
  });
});

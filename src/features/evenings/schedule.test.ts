import { describe, expect, it } from 'vitest';
import { scheduleEvents, scheduleRows, timeOfDay, type ScheduleSlot } from './schedule.ts';

const TZ = 'Europe/London';
const NOW = new Date('2026-11-10T09:00:00Z');
const place = { room: 'Room 3', videoLink: 'https://meet.example.org/okafor' };
const slot = (i: number, booking: ScheduleSlot['booking'] = null, unavailable = false): ScheduleSlot => ({
  slotId: `s${i}`,
  startsAt: new Date(Date.parse('2026-11-26T15:30:00Z') + i * 600_000).toISOString(),
  endsAt: new Date(Date.parse('2026-11-26T15:40:00Z') + i * 600_000).toISOString(),
  unavailable,
  booking,
});
const booking = (over: Partial<NonNullable<ScheduleSlot['booking']>>): NonNullable<ScheduleSlot['booking']> => ({
  id: 'b',
  status: 'booked',
  holdExpiresAt: null,
  mode: 'in_person',
  moves: 0,
  pupilName: 'Jakub Nowak',
  carers: [{ name: 'Marta Nowak', mobile: '07700900001' }],
  ...over,
});

describe("a teacher's schedule", () => {
  it('shows school times, whether a slot is free, unavailable, being booked or booked, and where each meeting is', () => {
    const [day] = scheduleRows(
      [
        slot(0, booking({ id: 'b0' })),
        slot(1, booking({ id: 'b1', mode: 'video', moves: 2 })),
        slot(
          2,
          booking({
            id: 'b2',
            mode: 'phone',
            carers: [
              { name: 'Marta Nowak', mobile: '07700900001' },
              { name: 'Tomasz Nowak', mobile: '07700900002' },
            ],
          }),
        ),
        slot(3, booking({ id: 'b3', status: 'held', holdExpiresAt: '2026-11-10T09:02:00.000Z' })),
        slot(4, booking({ id: 'b4', status: 'held', holdExpiresAt: '2026-11-10T08:58:00.000Z' })),
        slot(5, null, true),
      ],
      place,
      TZ,
      NOW,
    );
    expect(day!.date).toBe('26 November 2026');
    expect(day!.rows.map((r) => [r.time, r.state, r.where])).toEqual([
      ['3:30pm to 3:40pm', 'booked', 'Room 3'],
      ['3:40pm to 3:50pm', 'booked', 'https://meet.example.org/okafor'],
      ['3:50pm to 4:00pm', 'booked', 'Ring 07700900001 or 07700900002'],
      ['4:00pm to 4:10pm', 'held', ''],
      ['4:10pm to 4:20pm', 'free', ''], // the hold ran out
      ['4:20pm to 4:30pm', 'unavailable', ''],
    ]);
    expect(day!.rows[1]!.link).toBe('https://meet.example.org/okafor');
    expect(day!.rows[2]!.carers).toBe('Marta Nowak, Tomasz Nowak');
  });

  it('groups a two-day evening by day, and reads times in summer time too', () => {
    const days = scheduleRows([slot(0), { ...slot(0), slotId: 'x', startsAt: '2027-03-29T07:00:00.000Z', endsAt: '2027-03-29T07:10:00.000Z' }], place, TZ, NOW);
    expect(days.map((d) => d.date)).toEqual(['26 November 2026', '29 March 2027']);
    expect(days[1]!.rows[0]!.time).toBe('8:00am to 8:10am');
    expect(timeOfDay('2026-10-25T17:00:00.000Z', TZ)).toBe('5:00pm');
    expect(timeOfDay('2026-03-29T16:00:00.000Z', TZ)).toBe('5:00pm');
  });

  it('turns only booked appointments into calendar events, with where to meet and how often each was moved', () => {
    const events = scheduleEvents(
      "Autumn parents' evening",
      [slot(0, booking({ id: 'b0' })), slot(1, booking({ id: 'b1', mode: 'video', moves: 2 })), slot(2, booking({ id: 'b2', status: 'held', holdExpiresAt: '2026-11-10T09:02:00.000Z' })), slot(3)],
      place,
    );
    expect(events).toEqual([
      {
        uid: 'evening-booking-b0',
        title: "Autumn parents' evening: Jakub Nowak",
        description: 'Jakub Nowak with Marta Nowak. In person: Room 3.',
        location: 'Room 3',
        starts: '2026-11-26T15:30:00.000Z',
        ends: '2026-11-26T15:40:00.000Z',
        sequence: 0,
      },
      {
        uid: 'evening-booking-b1',
        title: "Autumn parents' evening: Jakub Nowak",
        description: 'Jakub Nowak with Marta Nowak. By video call: https://meet.example.org/okafor.',
        location: 'https://meet.example.org/okafor',
        starts: '2026-11-26T15:40:00.000Z',
        ends: '2026-11-26T15:50:00.000Z',
        sequence: 2,
      },
    ]);
  });
});

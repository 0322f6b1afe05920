import { DateTime } from 'luxon';
import type { FeatureRows, Who } from './types.ts';
import { makeBookingEvening } from '../../src/features/evenings/booking-test-data.ts';
import { bookAppointments, type BookingContext } from '../../src/features/evenings/booking-commands.ts';
import { proposeAndHold } from '../../src/features/evenings/holds.ts';
import type { TestApp } from '../support/app.ts';

/**
 * Parents' evenings, booking: every route, who may use it. From the issue: carers book for their own
 * children (the carer tried is Marta); the office books on behalf of a carer who phones in, as may
 * the head and senior leaders; a teacher cancels their own appointments, the head, senior leaders
 * and the office any.
 */
const CARER: Who[] = ['carer'];
const BOOK_FOR: Who[] = ['head', 'senior_leader', 'office'];
const CANCEL: Who[] = ['head', 'senior_leader', 'office', 'teacher'];

/** Two evenings open now (the matrix runs on the real clock): one where each carer books their own, one where they join. */
async function setup(t: TestApp): Promise<Record<string, string>> {
  const now = new Date();
  const day = (days: number) => DateTime.fromJSDate(now, { zone: 'Europe/London' }).plus({ days }).toISODate()!;
  const schoolTime = (date: string, hhmm: string) => DateTime.fromISO(`${date}T${hhmm}`, { zone: 'Europe/London' }).toUTC().toISO()!;
  const window = { opensAt: new Date(now.getTime() - 86_400_000).toISOString(), closesAt: new Date(now.getTime() + 30 * 86_400_000).toISOString() };
  const own = await makeBookingEvening(t.db, t.fx, { ...window, name: 'Matrix evening', sessions: [{ date: day(40), starts: '15:30', ends: '17:30', slotMinutes: 10, breaks: [] }] });
  const joint = await makeBookingEvening(t.db, t.fx, {
    ...window,
    name: 'Matrix joint evening',
    separatedCarers: 'join',
    sessions: [{ date: day(41), starts: '15:30', ends: '17:30', slotMinutes: 10, breaks: [] }],
  });
  const { pupils, staff, carers } = t.fx;
  const ctx = (carerId: string, eveningId: string): BookingContext => ({
    schoolId: t.fx.school.id,
    eveningId,
    carerId,
    actor: { kind: 'carer', id: carerId, schoolId: t.fx.school.id },
    now,
    today: day(0),
    timeZone: 'Europe/London',
    baseUrl: 'http://gatepost.test',
    dialect: t.dialect,
  });
  const booked = async (carerId: string, eveningId: string, pupilId: string, slotId: string) => {
    const result = await bookAppointments(t.db, ctx(carerId, eveningId), [{ pupilId, staffId: staff.teacher, slotId, mode: null }]);
    if (!result.ok || result.booked.length !== 1) throw new Error(`Matrix setup could not book: ${JSON.stringify(result)}`);
    return result.booked[0]!;
  };
  const martaBooking = await booked(carers.marta, own.id, pupils.kuba, own.slot(staff.teacher, '16:00', day(40)));
  const sarahBooking = await booked(carers.sarah, own.id, pupils.lily, own.slot(staff.teacher, '16:30', day(40)));
  const tomaszBooking = await booked(carers.tomasz, joint.id, pupils.kuba, joint.slot(staff.teacher, '16:00', day(41)));
  const hold = await proposeAndHold(t.db, ctx(carers.marta, own.id), {
    earliest: schoolTime(day(40), '15:30'),
    latest: schoolTime(day(40), '17:30'),
    mode: null,
    pairs: [`${pupils.ola}_${staff.teacher3}`],
  });
  if (!hold.ok) throw new Error(`Matrix setup could not hold: ${JSON.stringify(hold)}`);
  return { bookingEvening: own.id, jointEvening: joint.id, martaBooking, sarahBooking, tomaszBooking, holdId: hold.holdId };
}

export const eveningBookingRows: FeatureRows = {
  setup,
  rows: {
    'GET /parents-evenings': { allowed: CARER, url: () => '/parents-evenings' },
    'GET /parents-evenings/:eveningId': { allowed: CARER, url: (_f, ids) => `/parents-evenings/${ids.bookingEvening}` },
    'POST /parents-evenings/:eveningId': { allowed: CARER, url: (_f, ids) => `/parents-evenings/${ids.bookingEvening}` },
    'GET /parents-evenings/:eveningId/book-for-me': { allowed: CARER, url: (_f, ids) => `/parents-evenings/${ids.bookingEvening}/book-for-me` },
    'POST /parents-evenings/:eveningId/book-for-me': { allowed: CARER, url: (_f, ids) => `/parents-evenings/${ids.bookingEvening}/book-for-me` },
    'GET /parents-evenings/:eveningId/holds/:holdId': { allowed: CARER, url: (_f, ids) => `/parents-evenings/${ids.bookingEvening}/holds/${ids.holdId}` },
    'POST /parents-evenings/:eveningId/holds/:holdId': { allowed: CARER, url: (_f, ids) => `/parents-evenings/${ids.bookingEvening}/holds/${ids.holdId}` },
    'POST /parents-evenings/:eveningId/bookings/:bookingId/join': { allowed: CARER, url: (_f, ids) => `/parents-evenings/${ids.jointEvening}/bookings/${ids.tomaszBooking}/join` },
    'POST /parents-evenings/:eveningId/waiting-list': { allowed: CARER, url: (_f, ids) => `/parents-evenings/${ids.bookingEvening}/waiting-list` },
    'GET /parents-evenings/:eveningId/bookings/:bookingId/cancel': { allowed: CARER, url: (_f, ids) => `/parents-evenings/${ids.bookingEvening}/bookings/${ids.martaBooking}/cancel` },
    'POST /parents-evenings/:eveningId/bookings/:bookingId/cancel': { allowed: CARER, url: (_f, ids) => `/parents-evenings/${ids.bookingEvening}/bookings/${ids.martaBooking}/cancel` },
    'GET /parents-evenings/:eveningId/calendar.ics': { allowed: CARER, url: (_f, ids) => `/parents-evenings/${ids.bookingEvening}/calendar.ics` },
    'GET /evenings/:eveningId/book-for/:carerId': { allowed: BOOK_FOR, url: (f, ids) => `/evenings/${ids.bookingEvening}/book-for/${f.carers.marta}` },
    'POST /evenings/:eveningId/book-for/:carerId': { allowed: BOOK_FOR, url: (f, ids) => `/evenings/${ids.bookingEvening}/book-for/${f.carers.marta}` },
    'GET /evenings/:eveningId/bookings/:bookingId/cancel': { allowed: CANCEL, url: (_f, ids) => `/evenings/${ids.bookingEvening}/bookings/${ids.sarahBooking}/cancel` },
    'POST /evenings/:eveningId/bookings/:bookingId/cancel': { allowed: CANCEL, url: (_f, ids) => `/evenings/${ids.bookingEvening}/bookings/${ids.sarahBooking}/cancel` },
  },
};

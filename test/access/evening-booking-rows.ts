import { DateTime } from 'luxon';
import { mine, type FeatureRows, type Who } from './types.ts';
import { makeBookingEvening } from '../../src/features/evenings/booking-test-data.ts';
import { bookAppointments } from '../../src/features/evenings/booking-commands.ts';
import type { BookingContext } from '../../src/features/evenings/booking-context.ts';
import { proposeAndHold } from '../../src/features/evenings/holds.ts';
import type { TestApp } from '../support/app.ts';

/**
 * Parents' evenings, booking: every route, who may use it. From the issue: carers book for their own
 * children (the carer tried is Marta); the office books on behalf of a carer who phones in, and
 * changes the time of their appointment, as may the head and senior leaders; a teacher cancels their own appointments, the head, senior leaders
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
  // A hold lasts two minutes; the matrix takes longer than that on a busy machine, so this one lasts the run.
  await t.db
    .updateTable('evening_bookings')
    .set({ hold_expires_at: new Date(Date.now() + 6 * 3600_000).toISOString() })
    .where('hold_id', '=', hold.holdId)
    .execute();
  const evening = (name: string, days: number) => makeBookingEvening(t.db, t.fx, { ...window, name, sessions: [{ date: day(days), starts: '15:30', ends: '17:30', slotMinutes: 10, breaks: [] }] });
  // Marta books Kuba with Mr Okafor at one, then asks Gatepost to find a time with Ms Bell for Ola.
  const toBook = await evening('Matrix evening to book', 42);
  // Mr Okafor has no free time at one: Marta may wait for him.
  const full = await evening('Matrix full evening', 43);
  await t.db.updateTable('evening_slots').set({ unavailable: 1 }).where('evening_id', '=', full.id).where('staff_id', '=', staff.teacher).execute();
  const ids: Record<string, string> = {
    bookingEvening: own.id,
    jointEvening: joint.id,
    martaBooking,
    sarahBooking,
    tomaszBooking,
    holdId: hold.holdId,
    toBookEvening: toBook.id,
    toBookSlot: toBook.slot(staff.teacher, '16:00', day(42)),
    toBookEarliest: schoolTime(day(42), '15:30'),
    toBookLatest: schoolTime(day(42), '17:30'),
    fullEvening: full.id,
  };
  // Marta's appointment to move (the cancel rows cancel her one at the first evening).
  const toChange = await evening('Matrix evening to change a time', 47);
  Object.assign(ids, {
    changeEvening: toChange.id,
    changeBooking: await booked(carers.marta, toChange.id, pupils.kuba, toChange.slot(staff.teacher, '16:00', day(47))),
    changeSlot: toChange.slot(staff.teacher, '16:50', day(47)),
  });
  // An evening each for staff to book Kuba's time with Mr Okafor for Marta, and one each with Lily's appointment to cancel.
  for (const [i, who] of BOOK_FOR.entries()) {
    const e = await evening(`Matrix evening to book for (${who})`, 44 + i);
    Object.assign(ids, { [`bookForEvening.${who}`]: e.id, [`bookForSlot.${who}`]: e.slot(staff.teacher, '16:00', day(44 + i)) });
  }
  // An evening each for staff to move Marta's appointment for Kuba with Mr Okafor from 4:00pm to 4:50pm.
  for (const [i, who] of BOOK_FOR.entries()) {
    const e = await evening(`Matrix evening to change a time for (${who})`, 60 + i);
    Object.assign(ids, {
      [`changeForEvening.${who}`]: e.id,
      [`changeForBooking.${who}`]: await booked(carers.marta, e.id, pupils.kuba, e.slot(staff.teacher, '16:00', day(60 + i))),
      [`changeForSlot.${who}`]: e.slot(staff.teacher, '16:50', day(60 + i)),
    });
  }
  for (const [i, who] of CANCEL.entries()) {
    const e = await evening(`Matrix evening to cancel (${who})`, 50 + i);
    Object.assign(ids, { [`cancelEvening.${who}`]: e.id, [`cancelBooking.${who}`]: await booked(carers.sarah, e.id, pupils.lily, e.slot(staff.teacher, '16:30', day(50 + i))) });
  }
  return {
    ...ids,
    changeForEvening: ids['changeForEvening.head']!,
    changeForBooking: ids['changeForBooking.head']!,
    changeForSlot: ids['changeForSlot.head']!,
    bookForEvening: ids['bookForEvening.head']!,
    bookForSlot: ids['bookForSlot.head']!,
    cancelEvening: own.id,
    cancelBooking: sarahBooking,
  };
}

export const eveningBookingRows: FeatureRows = {
  setup,
  rows: {
    'GET /parents-evenings': { allowed: CARER, url: () => '/parents-evenings' },
    'GET /parents-evenings/:eveningId': { allowed: CARER, url: (_f, ids) => `/parents-evenings/${ids.bookingEvening}` },
    'POST /parents-evenings/:eveningId': {
      allowed: CARER,
      url: (_f, ids) => `/parents-evenings/${ids.toBookEvening}`,
      form: (f, ids) => ({ [`slot_${f.pupils.kuba}_${f.staff.teacher}`]: ids.toBookSlot! }),
    },
    'GET /parents-evenings/:eveningId/book-for-me': { allowed: CARER, url: (_f, ids) => `/parents-evenings/${ids.bookingEvening}/book-for-me` },
    'POST /parents-evenings/:eveningId/book-for-me': {
      allowed: CARER,
      url: (_f, ids) => `/parents-evenings/${ids.toBookEvening}/book-for-me`,
      form: (f, ids) => ({ earliest: ids.toBookEarliest!, latest: ids.toBookLatest!, pairs: `${f.pupils.ola}_${f.staff.teacher3}` }),
    },
    'GET /parents-evenings/:eveningId/holds/:holdId': { allowed: CARER, url: (_f, ids) => `/parents-evenings/${ids.bookingEvening}/holds/${ids.holdId}` },
    'POST /parents-evenings/:eveningId/holds/:holdId': { allowed: CARER, url: (_f, ids) => `/parents-evenings/${ids.bookingEvening}/holds/${ids.holdId}`, form: () => ({ answer: 'accept' }) },
    'POST /parents-evenings/:eveningId/bookings/:bookingId/join': { allowed: CARER, url: (_f, ids) => `/parents-evenings/${ids.jointEvening}/bookings/${ids.tomaszBooking}/join`, form: () => ({}) },
    'POST /parents-evenings/:eveningId/waiting-list': {
      allowed: CARER,
      url: (_f, ids) => `/parents-evenings/${ids.fullEvening}/waiting-list`,
      form: (f) => ({ pupil_id: f.pupils.kuba, staff_id: f.staff.teacher }),
    },
    'GET /parents-evenings/:eveningId/bookings/:bookingId/cancel': { allowed: CARER, url: (_f, ids) => `/parents-evenings/${ids.bookingEvening}/bookings/${ids.martaBooking}/cancel` },
    'POST /parents-evenings/:eveningId/bookings/:bookingId/cancel': {
      allowed: CARER,
      url: (_f, ids) => `/parents-evenings/${ids.bookingEvening}/bookings/${ids.martaBooking}/cancel`,
      form: () => ({}),
    },
    'GET /parents-evenings/:eveningId/bookings/:bookingId/change': { allowed: CARER, url: (_f, ids) => `/parents-evenings/${ids.changeEvening}/bookings/${ids.changeBooking}/change` },
    // Marta moves Kuba's appointment with Mr Okafor from 4:00pm to 4:50pm.
    'POST /parents-evenings/:eveningId/bookings/:bookingId/change': {
      allowed: CARER,
      url: (_f, ids) => `/parents-evenings/${ids.changeEvening}/bookings/${ids.changeBooking}/change`,
      form: (_f, ids) => ({ slot: ids.changeSlot! }),
    },
    // Marta asks for a Polish interpreter and says what else would help her, at the evening where she booked Kuba.
    'POST /parents-evenings/:eveningId/needs': {
      allowed: CARER,
      url: (_f, ids) => `/parents-evenings/${ids.bookingEvening}/needs`,
      form: (_f, _ids, who) => ({ interpreter: 'yes', interpreter_language: 'Polish', access_note: `Step-free access (${who})` }),
    },
    'GET /parents-evenings/:eveningId/calendar.ics': { allowed: CARER, url: (_f, ids) => `/parents-evenings/${ids.bookingEvening}/calendar.ics` },
    'GET /evenings/:eveningId/book-for/:carerId': { allowed: BOOK_FOR, url: (f, ids) => `/evenings/${ids.bookingEvening}/book-for/${f.carers.marta}` },
    'POST /evenings/:eveningId/book-for/:carerId': {
      allowed: BOOK_FOR,
      url: (f, ids, who) => `/evenings/${mine(ids, 'bookForEvening', who)}/book-for/${f.carers.marta}`,
      form: (f, ids, who) => ({ [`slot_${f.pupils.kuba}_${f.staff.teacher}`]: mine(ids, 'bookForSlot', who) }),
    },
    // Each records what would help Marta, as she said on the phone (a note of their own, so each is a change).
    'POST /evenings/:eveningId/book-for/:carerId/needs': {
      allowed: BOOK_FOR,
      url: (f, ids) => `/evenings/${ids.bookingEvening}/book-for/${f.carers.marta}/needs`,
      form: (_f, _ids, who) => ({ interpreter: 'yes', interpreter_language: 'Polish', access_note: `A hearing loop (${who})` }),
    },
    'GET /evenings/:eveningId/book-for/:carerId/bookings/:bookingId/change': {
      allowed: BOOK_FOR,
      url: (f, ids) => `/evenings/${ids.changeForEvening}/book-for/${f.carers.marta}/bookings/${ids.changeForBooking}/change`,
    },
    // Each moves Marta's appointment for Kuba with Mr Okafor to 4:50pm at an evening of their own.
    'POST /evenings/:eveningId/book-for/:carerId/bookings/:bookingId/change': {
      allowed: BOOK_FOR,
      url: (f, ids, who) => `/evenings/${mine(ids, 'changeForEvening', who)}/book-for/${f.carers.marta}/bookings/${mine(ids, 'changeForBooking', who)}/change`,
      form: (_f, ids, who) => ({ slot: mine(ids, 'changeForSlot', who) }),
    },
    'GET /evenings/:eveningId/bookings/:bookingId/cancel': { allowed: CANCEL, url: (_f, ids) => `/evenings/${ids.bookingEvening}/bookings/${ids.sarahBooking}/cancel` },
    // Each cancels Lily's appointment with Mr Okafor at an evening of their own.
    'POST /evenings/:eveningId/bookings/:bookingId/cancel': {
      allowed: CANCEL,
      url: (_f, ids, who) => `/evenings/${mine(ids, 'cancelEvening', who)}/bookings/${mine(ids, 'cancelBooking', who)}/cancel`,
      form: () => ({ reason: 'Mr Okafor is on a school trip that day' }),
    },
  },
};

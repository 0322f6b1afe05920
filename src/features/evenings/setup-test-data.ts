import type { Db } from '../../db/database.ts';
import type { MeetingMode } from '../../db/schema.ts';
import { newId } from '../../platform/ids.ts';
import type { Fixture } from '../../../test/support/fixture.ts';
import { createEvening, setPlaces } from './setup-commands.ts';
import type { EveningInput } from './setup.ts';

/** Test data for parents' evenings: an evening made through createEvening, and bookings written directly. */

export const eveningForm = {
  name: "Autumn parents' evening",
  s1_date: '2026-11-26',
  s1_starts: '15:30',
  s1_ends: '18:30',
  s1_slot_minutes: '10',
  s1_break_starts: '17:00',
  s1_break_ends: '17:20',
  s2_date: '2026-11-27',
  s2_starts: '08:00',
  s2_ends: '09:00',
  s2_slot_minutes: '10',
  modes: ['in_person', 'video', 'phone'],
  travel_gap: '5',
  separated_carers: 'own',
  opens_date: '2026-11-02',
  opens_time: '18:00',
  closes_date: '2026-11-25',
  closes_time: '12:00',
};

export function eveningInput(fx: Fixture, over: Partial<EveningInput> = {}): EveningInput {
  return {
    name: "Autumn parents' evening",
    sessions: [{ date: '2026-11-26', starts: '15:30', ends: '18:30', slotMinutes: 10, breaks: [{ starts: '17:00', ends: '17:20' }] }],
    classIds: [fx.classes.y3, fx.classes.y4, fx.classes.reception],
    teacherIds: [],
    modes: ['in_person', 'video', 'phone'],
    travelGapMinutes: 5,
    separatedCarers: 'own',
    bookingOpens: { date: '2026-11-02', time: '18:00' },
    bookingCloses: { date: '2026-11-25', time: '12:00' },
    ...over,
  };
}

/** An evening with rooms and links for every teacher; returns its id. */
export async function makeEvening(db: Db, fx: Fixture, over: Partial<EveningInput> = {}): Promise<string> {
  const made = await createEvening(db, { kind: 'system' }, fx.school.id, eveningInput(fx, over), new Date('2026-10-01T09:00:00Z'));
  if (!made.ok) throw new Error(`The test evening was refused: ${JSON.stringify(made.errors)}`);
  const teachers = await db.selectFrom('evening_teachers').select('staff_id').where('evening_id', '=', made.id).execute();
  await setPlaces(
    db,
    { kind: 'system' },
    fx.school.id,
    made.id,
    teachers.map((t, i) => ({ staffId: t.staff_id, room: `Room ${i + 3}`, videoLink: `https://meet.example.org/room-${i + 3}` })),
    new Date('2026-10-01T09:00:00Z'),
  );
  return made.id;
}

export async function slotsOfTeacher(db: Db, eveningId: string, staffId: string) {
  return db.selectFrom('evening_slots').selectAll().where('evening_id', '=', eveningId).where('staff_id', '=', staffId).orderBy('starts_at').execute();
}

/** A booked appointment, as the booking flow would leave it (with the carers who come). */
export async function book(
  db: Db,
  fx: Fixture,
  slot: { id: string; evening_id: string; staff_id: string; starts_at: string; ends_at: string },
  who: { pupilId: string; carerId: string; mode?: MeetingMode; joined?: string[]; status?: 'held' | 'booked'; holdExpiresAt?: string },
): Promise<string> {
  const id = newId();
  await db
    .insertInto('evening_bookings')
    .values({
      id,
      school_id: fx.school.id,
      evening_id: slot.evening_id,
      slot_id: slot.id,
      staff_id: slot.staff_id,
      pupil_id: who.pupilId,
      carer_id: who.carerId,
      starts_at: slot.starts_at,
      ends_at: slot.ends_at,
      booking_key: `${who.pupilId}:${who.carerId}`,
      mode: who.mode ?? 'in_person',
      status: who.status ?? 'booked',
      hold_id: who.status === 'held' ? newId() : null,
      hold_expires_at: who.holdExpiresAt ?? null,
      booked_by_kind: 'carer',
      booked_by_id: who.carerId,
      created_at: '2026-11-03T10:00:00.000Z',
      cancelled_at: null,
      cancelled_by_kind: null,
      cancelled_by_id: null,
      cancel_reason: null,
    })
    .execute();
  const attendees = [who.carerId, ...(who.joined ?? [])];
  await db
    .insertInto('evening_attendees')
    .values(
      attendees.map((carerId, i) => ({
        id: newId(),
        school_id: fx.school.id,
        booking_id: id,
        carer_id: carerId,
        starts_at: slot.starts_at,
        joined: i === 0 ? (0 as const) : (1 as const),
        cancelled_at: null,
      })),
    )
    .execute();
  return id;
}

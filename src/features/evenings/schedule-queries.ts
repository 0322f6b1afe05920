import type { Db } from '../../db/database.ts';
import { audit, type Actor } from '../../platform/audit/audit.ts';
import type { ScheduleSlot } from './schedule.ts';
import { needsAt } from './needs-queries.ts';

/** A teacher's slots at an evening with who booked them; marking a slot unavailable or available again. */

export async function scheduleOf(db: Db, schoolId: string, eveningId: string, staffId: string): Promise<ScheduleSlot[]> {
  const rows = await db
    .selectFrom('evening_slots')
    .leftJoin('evening_bookings', (j) => j.onRef('evening_bookings.slot_id', '=', 'evening_slots.id').on('evening_bookings.cancelled_at', 'is', null))
    .leftJoin('pupils', 'pupils.id', 'evening_bookings.pupil_id')
    .leftJoin('carers', 'carers.id', 'evening_bookings.carer_id')
    .select([
      'evening_slots.id as slot_id',
      'evening_slots.starts_at',
      'evening_slots.ends_at',
      'evening_slots.unavailable',
      'evening_bookings.id as booking_id',
      'evening_bookings.status',
      'evening_bookings.hold_expires_at',
      'evening_bookings.mode',
      'evening_bookings.moves',
      'pupils.given_name as pupil_given',
      'pupils.preferred_name as pupil_preferred',
      'pupils.family_name as pupil_family',
      'carers.id as carer_id',
      'carers.given_name as carer_given',
      'carers.family_name as carer_family',
      'carers.mobile as carer_mobile',
    ])
    .where('evening_slots.evening_id', '=', eveningId)
    .where('evening_slots.school_id', '=', schoolId)
    .where('evening_slots.staff_id', '=', staffId)
    .orderBy('evening_slots.starts_at')
    .execute();
  const bookingIds = rows.map((r) => r.booking_id).filter((id): id is string => !!id);
  const joined = bookingIds.length
    ? await db
        .selectFrom('evening_attendees')
        .innerJoin('carers', 'carers.id', 'evening_attendees.carer_id')
        .select(['evening_attendees.booking_id', 'carers.id', 'carers.given_name', 'carers.family_name', 'carers.mobile'])
        .where('evening_attendees.school_id', '=', schoolId)
        .where('evening_attendees.booking_id', 'in', bookingIds)
        .where('evening_attendees.joined', '=', 1)
        .where('evening_attendees.cancelled_at', 'is', null)
        .orderBy('carers.family_name')
        .execute()
    : [];
  // What each carer coming asked for to help them take part (interpreter, access): one read for the schedule.
  const carerIds = [...rows.map((r) => r.carer_id), ...joined.map((j) => j.id)].filter((id): id is string => !!id);
  const needs = carerIds.length ? await needsAt(db, schoolId, eveningId, carerIds) : new Map();
  return rows.map((r) => ({
    slotId: r.slot_id,
    startsAt: r.starts_at,
    endsAt: r.ends_at,
    unavailable: Number(r.unavailable) === 1,
    booking:
      r.booking_id && r.status && r.mode
        ? {
            id: r.booking_id,
            status: r.status,
            holdExpiresAt: r.hold_expires_at,
            mode: r.mode,
            moves: Number(r.moves ?? 0),
            pupilName: `${r.pupil_preferred ?? r.pupil_given ?? ''} ${r.pupil_family ?? ''}`.trim(),
            carers: [
              { id: r.carer_id ?? '', name: `${r.carer_given ?? ''} ${r.carer_family ?? ''}`.trim(), mobile: r.carer_mobile, needs: needs.get(r.carer_id ?? '') ?? null },
              ...joined.filter((j) => j.booking_id === r.booking_id).map((j) => ({ id: j.id, name: `${j.given_name} ${j.family_name}`, mobile: j.mobile, needs: needs.get(j.id) ?? null })),
            ],
          }
        : null,
  }));
}

/** One slot of an evening in this school, with its teacher. */
export async function slotOf(db: Db, schoolId: string, eveningId: string, slotId: string) {
  return db
    .selectFrom('evening_slots')
    .select(['id', 'staff_id', 'starts_at', 'unavailable'])
    .where('id', '=', slotId)
    .where('evening_id', '=', eveningId)
    .where('school_id', '=', schoolId)
    .executeTakeFirst();
}

/**
 * Mark a slot unavailable, or available again. A slot someone has booked (or is booking right now)
 * cannot be marked unavailable: the appointment must be cancelled first, so the carer is told.
 * The slot's row is locked first, so a booking being made at the same moment waits or is seen.
 */
export async function setSlotAvailability(db: Db, actor: Actor, schoolId: string, slotId: string, unavailable: boolean, now: Date): Promise<'done' | 'unchanged' | 'booked' | 'held'> {
  return db.transaction().execute(async (trx) => {
    await trx
      .updateTable('evening_slots')
      .set((eb) => ({ unavailable: eb.ref('unavailable') }))
      .where('id', '=', slotId)
      .where('school_id', '=', schoolId)
      .execute();
    if (unavailable) {
      const live = await trx
        .selectFrom('evening_bookings')
        .select(['status', 'hold_expires_at'])
        .where('slot_id', '=', slotId)
        .where('school_id', '=', schoolId)
        .where('cancelled_at', 'is', null)
        .executeTakeFirst();
      if (live?.status === 'booked') return 'booked';
      if (live && live.hold_expires_at && live.hold_expires_at > now.toISOString()) return 'held';
    }
    const r = await trx
      .updateTable('evening_slots')
      .set({ unavailable: unavailable ? 1 : 0 })
      .where('id', '=', slotId)
      .where('school_id', '=', schoolId)
      .where('unavailable', '=', unavailable ? 0 : 1)
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) !== 1) return 'unchanged';
    await audit(trx, actor, { schoolId, action: unavailable ? 'evening_slot.made_unavailable' : 'evening_slot.made_available', entity: 'evening_slot', entityId: slotId }, now);
    return 'done';
  });
}

/**
 * The teacher's appointments at this evening that were cancelled (each booking once: a time booked
 * again afterwards is a new booking). Their calendar file lists them as cancelled, so a calendar that
 * took the appointment from an earlier download removes it.
 */
export async function cancelledOf(db: Db, schoolId: string, eveningId: string, staffId: string) {
  const rows = await db
    .selectFrom('evening_bookings')
    .innerJoin('pupils', 'pupils.id', 'evening_bookings.pupil_id')
    .select(['evening_bookings.id', 'evening_bookings.starts_at', 'evening_bookings.ends_at', 'evening_bookings.moves', 'pupils.given_name', 'pupils.preferred_name', 'pupils.family_name'])
    .where('evening_bookings.school_id', '=', schoolId)
    .where('evening_bookings.evening_id', '=', eveningId)
    .where('evening_bookings.staff_id', '=', staffId)
    .where('evening_bookings.status', '=', 'booked')
    .where('evening_bookings.cancelled_at', 'is not', null)
    .orderBy('evening_bookings.starts_at')
    .execute();
  return rows.map((r) => ({ id: r.id, startsAt: r.starts_at, endsAt: r.ends_at, moves: Number(r.moves ?? 0), pupilName: `${r.preferred_name ?? r.given_name} ${r.family_name}` }));
}

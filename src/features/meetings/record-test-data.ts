import type { Db } from '../../db/database.ts';
import type { MeetingKind, MeetingStatus } from '../../db/schema.ts';
import { newId } from '../../platform/ids.ts';

/**
 * Test data for the record's tests: meetings and parents' evening bookings written straight into
 * the tables (the screens that make them belong to other parts of the feature).
 */
type Ids = { school: { id: string }; staff: Record<string, string> };

export type MeetingSeed = {
  pupilId?: string | null;
  leadId?: string;
  colleagueIds?: string[];
  carerIds?: string[];
  status?: MeetingStatus;
  kind?: MeetingKind;
  topic?: string;
  startsAt?: string;
  followUpOn?: string | null;
  schoolId?: string;
};

export async function insertMeeting(db: Db, fx: Ids, seed: MeetingSeed = {}): Promise<string> {
  const id = newId();
  const schoolId = seed.schoolId ?? fx.school.id;
  const startsAt = seed.startsAt ?? '2026-11-24T15:30:00.000Z';
  const leadId = seed.leadId ?? fx.staff.teacher!;
  await db
    .insertInto('meetings')
    .values({
      id,
      school_id: schoolId,
      kind: seed.kind ?? 'appointment',
      status: seed.status ?? 'scheduled',
      topic: seed.topic ?? 'Reading at home',
      outline: null,
      pupil_id: seed.pupilId === undefined ? null : seed.pupilId,
      urgent: 0,
      preferred_times: null,
      mode: 'in_person',
      interpreter_language: null,
      starts_at: startsAt,
      ends_at: new Date(new Date(startsAt).getTime() + 30 * 60_000).toISOString(),
      place: 'Room 3',
      video_link: null,
      evening_booking_id: null,
      requested_by_carer_id: null,
      possibly_difficult: 0,
      outcome: null,
      follow_up_on: seed.followUpOn ?? null,
      follow_up_done_at: null,
      summary_sent_at: null,
      summary_version: null,
      referred_to: null,
      referred_at: null,
      referral_note: null,
      created_by_kind: 'staff',
      created_by_id: leadId,
      created_at: '2026-11-20T09:00:00.000Z',
      updated_at: '2026-11-20T09:00:00.000Z',
    })
    .execute();
  await db
    .insertInto('meeting_staff')
    .values([
      { meeting_id: id, staff_id: leadId, school_id: schoolId, role: 'lead' as const },
      ...(seed.colleagueIds ?? []).map((s) => ({ meeting_id: id, staff_id: s, school_id: schoolId, role: 'colleague' as const })),
    ])
    .execute();
  if (seed.carerIds?.length) {
    await db
      .insertInto('meeting_carers')
      .values(seed.carerIds.map((c) => ({ meeting_id: id, carer_id: c, school_id: schoolId, prep_help_staff_id: null, prep_help_asked_at: null })))
      .execute();
  }
  return id;
}

export type BookingSeed = { teacherId: string; pupilId: string; carerId: string; joinerIds?: string[]; startsAt?: string; cancelled?: boolean; eveningName?: string };

/** An evening with one session and one slot, booked (and joined) by carers. */
export async function insertBooking(db: Db, fx: Ids, seed: BookingSeed): Promise<{ bookingId: string; eveningId: string }> {
  const schoolId = fx.school.id;
  const at = '2026-11-01T09:00:00.000Z';
  const startsAt = seed.startsAt ?? '2026-11-26T16:00:00.000Z';
  const endsAt = new Date(new Date(startsAt).getTime() + 10 * 60_000).toISOString();
  const eveningId = newId();
  const sessionId = newId();
  const slotId = newId();
  const bookingId = newId();
  await db
    .insertInto('evenings')
    .values({
      id: eveningId,
      school_id: schoolId,
      name: seed.eveningName ?? "Autumn parents' evening",
      modes: 'in_person',
      travel_gap_minutes: 5,
      separated_carers: 'join',
      booking_opens_at: at,
      booking_closes_at: '2026-11-25T18:00:00.000Z',
      published_at: at,
      created_by: fx.staff.head!,
      created_at: at,
      updated_at: at,
    })
    .execute();
  await db
    .insertInto('evening_sessions')
    .values({ id: sessionId, school_id: schoolId, evening_id: eveningId, date: startsAt.slice(0, 10), starts: '15:30', ends: '18:30', slot_minutes: 10, breaks_json: '[]' })
    .execute();
  await db
    .insertInto('evening_slots')
    .values({ id: slotId, school_id: schoolId, evening_id: eveningId, session_id: sessionId, staff_id: seed.teacherId, starts_at: startsAt, ends_at: endsAt, unavailable: 0 })
    .execute();
  await db
    .insertInto('evening_bookings')
    .values({
      id: bookingId,
      school_id: schoolId,
      evening_id: eveningId,
      slot_id: slotId,
      staff_id: seed.teacherId,
      pupil_id: seed.pupilId,
      carer_id: seed.carerId,
      starts_at: startsAt,
      ends_at: endsAt,
      booking_key: seed.pupilId,
      mode: 'in_person',
      status: 'booked',
      hold_id: null,
      hold_expires_at: null,
      booked_by_kind: 'carer',
      booked_by_id: seed.carerId,
      created_at: at,
      cancelled_at: seed.cancelled ? at : null,
      cancelled_by_kind: seed.cancelled ? 'carer' : null,
      cancelled_by_id: seed.cancelled ? seed.carerId : null,
      cancel_reason: null,
    })
    .execute();
  const attendees = [seed.carerId, ...(seed.joinerIds ?? [])];
  await db
    .insertInto('evening_attendees')
    .values(
      attendees.map((carerId, i) => ({
        id: newId(),
        school_id: schoolId,
        booking_id: bookingId,
        carer_id: carerId,
        starts_at: startsAt,
        joined: i === 0 ? (0 as const) : (1 as const),
        cancelled_at: seed.cancelled ? at : null,
      })),
    )
    .execute();
  return { bookingId, eveningId };
}

/** Wait until the outbox has nothing left to deliver, so the SMTP sink holds every email sent. */
export async function outboxSettled(db: Db, timeoutMs = 8000): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const left = await db.selectFrom('outbox').select('id').where('status', 'in', ['pending', 'sending']).executeTakeFirst();
    if (!left) return;
    if (Date.now() > until) throw new Error('The outbox still had emails to deliver');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Writing bookings: the rows, their attendees and audit entries, and the confirmation email, in the caller's transaction. */
import type { Db } from '../../db/database.ts';
import { insertTogether, type InsertPart } from '../../db/insert-in-chunks.ts';
import type { Instant, MeetingMode } from '../../db/schema.ts';
import { auditRows } from '../../platform/audit/audit.ts';
import { newId } from '../../platform/ids.ts';
import { enqueue, outboxRows, type OutboxItem } from '../../platform/outbox/outbox.ts';
import { bookingKey, type BookableChild } from './booking.ts';
import { bookedEmail, type AppointmentLine } from './booking-emails.ts';
import { bookedBy, type BookingContext } from './booking-context.ts';
import type { Evening } from './booking-queries.ts';

/** Insert bookings (booked, or held for "book for me") with their attendee rows and audit entries. */
export async function insertBookings(
  trx: Db,
  ctx: BookingContext,
  evening: Evening,
  items: { child: BookableChild; staffId: string; slotId: string; starts: Instant; ends: Instant; mode: MeetingMode }[],
  state: { status: 'booked' | 'held'; holdId: string | null; holdExpiresAt: Instant | null },
  /** Rows to write in the same statement (the confirmation email), given the new bookings' ids. */
  alsoInsert: (ids: string[]) => InsertPart[] = () => [],
  /** Nothing follows in the transaction: on PostgreSQL it commits straight behind the insert. */
  options: { endsTransaction?: boolean } = {},
): Promise<string[]> {
  const at = ctx.now.toISOString();
  const by = bookedBy(ctx);
  const rows = items.map((w) => ({
    id: newId(),
    school_id: ctx.schoolId,
    evening_id: ctx.eveningId,
    slot_id: w.slotId,
    staff_id: w.staffId,
    pupil_id: w.child.pupilId,
    carer_id: ctx.carerId,
    starts_at: w.starts,
    ends_at: w.ends,
    booking_key: bookingKey(w.child.pupilId, ctx.carerId, evening.separated_carers),
    mode: w.mode,
    status: state.status,
    hold_id: state.holdId,
    hold_expires_at: state.holdExpiresAt,
    booked_by_kind: by.kind,
    booked_by_id: by.id,
    created_at: at,
    cancelled_at: null,
    cancelled_by_kind: null,
    cancelled_by_id: null,
    cancel_reason: null,
  }));
  const audits = auditRows(
    ctx.actor,
    rows.map((r) => ({
      schoolId: ctx.schoolId,
      action: state.status === 'held' ? 'evening_booking.held' : 'evening_booking.booked',
      entity: 'evening_booking',
      entityId: r.id,
      after: {
        pupil_id: r.pupil_id,
        staff_id: r.staff_id,
        carer_id: r.carer_id,
        starts_at: r.starts_at,
        mode: r.mode,
        ...(r.hold_id ? { hold_id: r.hold_id, hold_expires_at: r.hold_expires_at } : {}),
      },
    })),
    ctx.now,
  );
  // The bookings, their attendees, audit entries and email: one statement on PostgreSQL (one round trip under the locks).
  await insertTogether(
    trx,
    ctx.dialect,
    [
      { table: 'evening_bookings', rows },
      {
        table: 'evening_attendees',
        rows: rows.map((r) => ({ id: newId(), school_id: ctx.schoolId, booking_id: r.id, carer_id: ctx.carerId, starts_at: r.starts_at, joined: 0 as const, cancelled_at: null })),
      },
      { table: 'audit_log', rows: audits },
      ...alsoInsert(rows.map((r) => r.id)),
    ],
    options,
  );
  return rows.map((r) => r.id);
}

/** The confirmation email to the carer (when the school has an address), in the caller's transaction. */
export async function enqueueConfirmation(trx: Db, ctx: BookingContext, evening: Evening, contact: { name: string; email: string | null }, firstId: string, lines: AppointmentLine[]): Promise<void> {
  const item = confirmation(ctx, evening, contact, firstId, lines);
  if (item) await enqueue(trx, [item], ctx.now);
}

/** The confirmation email's outbox row, to write with the bookings (insertTogether). */
export function confirmationPart(ctx: BookingContext, evening: Evening, contact: { name: string; email: string | null }, firstId: string, lines: AppointmentLine[]): InsertPart[] {
  const item = confirmation(ctx, evening, contact, firstId, lines);
  return item ? [{ table: 'outbox', rows: outboxRows([item], ctx.now), options: { onConflictDoNothing: 'idempotency_key' } }] : [];
}

function confirmation(ctx: BookingContext, evening: Evening, contact: { name: string; email: string | null }, firstId: string, lines: AppointmentLine[]): OutboxItem | null {
  if (!contact.email || lines.length === 0 || ctx.quiet) return null;
  const email = bookedEmail({
    carerName: contact.name,
    eveningName: evening.name,
    eveningId: evening.id,
    timeZone: ctx.timeZone,
    baseUrl: ctx.baseUrl,
    appointments: lines,
    bookedBy: ctx.actor.kind === 'staff' ? (ctx.bookedByName ?? 'The school') : null,
    needs: ctx.needs,
    mail: ctx.mail,
  });
  return { channel: 'email', schoolId: ctx.schoolId, key: `evening-booked:${firstId}:${ctx.carerId}`, ref: firstId, payload: { to: contact.email, ...email } };
}

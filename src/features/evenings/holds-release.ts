import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { auditMany } from '../../platform/audit/audit.ts';
import { prepared } from '../../db/prepared.ts';

const anyRunOut = prepared(['schoolId', 'at'], (db, q) =>
  db.selectFrom('evening_bookings').select('id').where('status', '=', 'held').where('hold_expires_at', '<=', q.at).where('cancelled_at', 'is', null).where('school_id', '=', q.schoolId).limit(1),
);

/**
 * Release "book for me" holds whose two minutes have run out: the bookings and their attendee rows
 * are cancelled by the system, freeing the slots. Called lazily: before anything is held, before a
 * hold is answered, and when a booking finds its time still taken (then it is tried once more).
 * Pages already show a run-out hold's time as free. On the hold_expires_at index the check finds
 * nothing, cheaply, almost every time: an accepted or released hold's expiry is cleared, so only
 * live holds are in that index range however many holds an evening has seen.
 */
/** Whether any hold has run out and is still standing (a read, outside any transaction). */
export async function holdsRunOut(db: Kysely<Database>, schoolId: string, now: Date): Promise<boolean> {
  return (await anyRunOut(db, { schoolId, at: now.toISOString() })).length > 0;
}

export async function releaseExpiredHolds(db: Kysely<Database>, schoolId: string, now: Date): Promise<number> {
  const at = now.toISOString();
  // A read first: nearly always nothing has run out, and a read is cheaper than an update.
  if ((await anyRunOut(db, { schoolId, at })).length === 0) return 0;
  const released = await db
    .updateTable('evening_bookings')
    .set({ cancelled_at: at, cancelled_by_kind: 'system', cancelled_by_id: null, hold_expires_at: null })
    .where('status', '=', 'held')
    .where('hold_expires_at', '<=', at)
    .where('cancelled_at', 'is', null)
    .where('school_id', '=', schoolId)
    .returning(['id', 'hold_id', 'carer_id', 'slot_id'])
    .execute();
  if (released.length === 0) return 0;
  await db
    .updateTable('evening_attendees')
    .set({ cancelled_at: at })
    .where(
      'booking_id',
      'in',
      released.map((r) => r.id),
    )
    .where('cancelled_at', 'is', null)
    .execute();
  await auditMany(
    db,
    { kind: 'system' },
    released.map((r) => ({
      schoolId,
      action: 'evening_booking.hold_released',
      entity: 'evening_booking',
      entityId: r.id,
      after: { hold_id: r.hold_id, carer_id: r.carer_id, reason: 'the hold ran out' },
    })),
    now,
  );
  return released.length;
}

import type { Db } from '../../db/database.ts';
import type { LocalDate } from '../../db/schema.ts';
import { prepared } from '../../db/prepared.ts';

/**
 * The one rule every other feature asks about a ban from the school premises (docs/concerns.md,
 * "Behaviour towards staff"): a carer is banned on a date when a premises_ban arrangement has started
 * by then (starts_on <= date) and has not been ended at a review. Batched for lists (the door register,
 * an evening's bookings): one query per chunk of ids, never one per carer.
 */
const CHUNK = 900; // ids per IN (...) list: under SQLite's bind limit

/** The rule: banned on a date when a ban not ended had started by then (the earliest start of those not ended). */
export const bannedOn = (earliestStart: LocalDate | undefined, date: LocalDate): boolean => earliestStart !== undefined && earliestStart <= date;

/** The earliest start of each carer's bans not ended (none: not banned, now or later). */
async function banStarts(db: Db, schoolId: string, carerIds: readonly string[]): Promise<Map<string, LocalDate>> {
  const ids = [...new Set(carerIds)];
  const starts = new Map<string, LocalDate>();
  for (let i = 0; i < ids.length; i += CHUNK) {
    for (const r of await bansNotEnded(db, { schoolId, carerIds: ids.slice(i, i + CHUNK) })) {
      const known = starts.get(r.carer_id);
      if (known === undefined || r.starts_on < known) starts.set(r.carer_id, r.starts_on);
    }
  }
  return starts;
}
// Prepared, with its plan kept on PostgreSQL: a booking page and a booking ask it for one carer, hundreds of times a second in a rush.
const bansNotEnded = prepared(
  ['schoolId', 'carerIds'],
  (db, q: { schoolId: string; carerIds: readonly string[] }) =>
    db
      .selectFrom('conduct_arrangements')
      .select(['carer_id', 'starts_on'])
      .where('school_id', '=', q.schoolId)
      .where('carer_id', 'in', q.carerIds)
      .where('kind', '=', 'premises_ban')
      .where('ended_at', 'is', null),
  { keepPlan: true }, // a read by key (src/db/kept-plans.ts)
);

export async function bannedFromPremises(db: Db, schoolId: string, carerIds: readonly string[], onDate: LocalDate): Promise<Set<string>> {
  const starts = await banStarts(db, schoolId, carerIds);
  return new Set([...starts].filter(([, start]) => bannedOn(start, onDate)).map(([carerId]) => carerId));
}

/** Whether one carer is banned from the premises on a date (bannedFromPremises for one). */
export async function isBannedFromPremises(db: Db, schoolId: string, carerId: string, onDate: LocalDate): Promise<boolean> {
  return (await bannedFromPremises(db, schoolId, [carerId], onDate)).has(carerId);
}

/** The days, of these, on which one carer is banned from the premises: one read for all of them. */
export async function daysBannedFromPremises(db: Db, schoolId: string, carerId: string, days: readonly LocalDate[]): Promise<Set<LocalDate>> {
  const start = (await banStarts(db, schoolId, [carerId])).get(carerId);
  return new Set(days.filter((day) => bannedOn(start, day)));
}

/**
 * Whom a banned carer is told to contact: their single point of contact's name while one is in force
 * (and still on the staff), otherwise null: the school office.
 */
export async function contactForCarer(db: Db, schoolId: string, carerId: string): Promise<string | null> {
  const row = await db
    .selectFrom('conduct_arrangements')
    .innerJoin('staff', 'staff.id', 'conduct_arrangements.contact_staff_id')
    .select(['staff.title', 'staff.given_name', 'staff.family_name'])
    .where('conduct_arrangements.school_id', '=', schoolId)
    .where('conduct_arrangements.carer_id', '=', carerId)
    .where('conduct_arrangements.kind', '=', 'single_contact')
    .where('conduct_arrangements.ended_at', 'is', null)
    .where('staff.archived_at', 'is', null)
    .executeTakeFirst();
  return row ? `${row.title ? `${row.title} ` : ''}${row.given_name} ${row.family_name}` : null;
}

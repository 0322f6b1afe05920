import type { Db } from '../../db/database.ts';
import type { LocalDate } from '../../db/schema.ts';

/**
 * The one rule every other feature asks about a ban from the school premises (docs/concerns.md,
 * "Behaviour towards staff"): a carer is banned on a date when a premises_ban arrangement has started
 * by then (starts_on <= date) and has not been ended at a review. Batched for lists (the door register,
 * an evening's bookings): one query per chunk of ids, never one per carer.
 */
const CHUNK = 900; // ids per IN (...) list: under SQLite's bind limit

export async function bannedFromPremises(db: Db, schoolId: string, carerIds: readonly string[], onDate: LocalDate): Promise<Set<string>> {
  const ids = [...new Set(carerIds)];
  const banned = new Set<string>();
  for (let i = 0; i < ids.length; i += CHUNK) {
    const rows = await db
      .selectFrom('conduct_arrangements')
      .select('carer_id')
      .where('school_id', '=', schoolId)
      .where('carer_id', 'in', ids.slice(i, i + CHUNK))
      .where('kind', '=', 'premises_ban')
      .where('starts_on', '<=', onDate)
      .where('ended_at', 'is', null)
      .execute();
    for (const r of rows) banned.add(r.carer_id);
  }
  return banned;
}

/** Whether one carer is banned from the premises on a date (bannedFromPremises for one). */
export async function isBannedFromPremises(db: Db, schoolId: string, carerId: string, onDate: LocalDate): Promise<boolean> {
  return (await bannedFromPremises(db, schoolId, [carerId], onDate)).has(carerId);
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

import type { Db } from '../../src/db/database.ts';
import type { LocalDate } from '../../src/db/schema.ts';
import { newId } from '../../src/platform/ids.ts';

/**
 * A head's decisions about a carer's behaviour, written straight into conduct_arrangements for tests of
 * the features that must honour them (the conduct feature's own tests go through the head's pages).
 */
export async function banFromPremises(db: Db, schoolId: string, carerId: string, setBy: string, startsOn: LocalDate, o: { endedAt?: string } = {}): Promise<string> {
  return arrangement(db, schoolId, carerId, setBy, 'premises_ban', null, startsOn, o.endedAt ?? null);
}

export async function singleContact(db: Db, schoolId: string, carerId: string, setBy: string, contactStaffId: string, startsOn: LocalDate): Promise<string> {
  return arrangement(db, schoolId, carerId, setBy, 'single_contact', contactStaffId, startsOn, null);
}

async function arrangement(db: Db, schoolId: string, carerId: string, setBy: string, kind: 'premises_ban' | 'single_contact', contact: string | null, startsOn: LocalDate, endedAt: string | null) {
  const id = newId();
  const at = '2026-11-20T10:00:00.000Z';
  await db
    .insertInto('conduct_arrangements')
    .values({
      id,
      school_id: schoolId,
      carer_id: carerId,
      kind,
      contact_staff_id: contact,
      reason: 'Threatened a member of staff at the gate',
      starts_on: startsOn,
      review_on: '2027-02-01',
      letter_subject: null,
      letter_text: null,
      letter_sent_by: null,
      set_by: setBy,
      reviewed_at: null,
      reviewed_by: null,
      ended_at: endedAt,
      ended_by: endedAt ? setBy : null,
      created_at: at,
      updated_at: at,
    })
    .execute();
  return id;
}

import type { Db } from '../../../db/database.ts';
import type { LocalDate } from '../../../db/schema.ts';
import { DFE_ROUTE, GROUNDS_LABELS, reviewState, type PublicLetters } from '../../conduct/index.ts';
import { sendLetter } from '../notify.ts';
import { letterToPublicComplainant } from './complainant.ts';

/**
 * A public complainant's complaint closed as serial or vexatious: the unreasonable-behaviour handling
 * carers have (features/conduct: closeComplaint, one closure per complaint, the stated reason and the
 * route to the DfE in a letter, reviewed by a date), with the letter emailed in English to the
 * address the complainant gave. The person who triages the complaint decides (the head, or for one
 * about the head whoever the settings name).
 */
export const lettersToPublicComplainant: PublicLetters = async (db, c, letter) => {
  const who = await db.selectFrom('public_complaints').select(['name', 'email']).where('id', '=', c.publicComplaintId).where('school_id', '=', c.schoolId).executeTakeFirstOrThrow();
  const prepared = letterToPublicComplainant({ id: c.ref, school_id: c.schoolId }, who, c.schoolName, c.key, letter);
  return { sentBy: 'email', subject: prepared.written!.subject, text: prepared.written!.text, send: (trx, now) => sendLetter(trx, prepared, now) };
};

/** What the public complaint's page shows of a closure: the form (taken on, not closed), or the closure and its review. */
export async function closureOf(db: Db, schoolId: string, caseId: string | null, today: LocalDate) {
  if (!caseId) return null;
  const closure = await db.selectFrom('complaint_closures').selectAll().where('school_id', '=', schoolId).where('complaint_id', '=', caseId).executeTakeFirst();
  return {
    closure: closure ? { ...closure, groundsLabel: GROUNDS_LABELS[closure.grounds], state: closure.reviewed_at ? null : reviewState(closure.review_on, today) } : null,
    grounds: Object.entries(GROUNDS_LABELS),
    dfeRoute: DFE_ROUTE,
  };
}

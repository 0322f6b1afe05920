import type { Db } from '../../db/database.ts';
import type { LocalDate, MeetingMode } from '../../db/schema.ts';
import { localDate } from '../../platform/calendar/time.ts';
import type { Text } from '../../platform/i18n/catalog.ts';
import { daysBannedFromPremises } from '../conduct/index.ts';

/**
 * A carer banned from the school premises (features/conduct, one rule) may meet a teacher at a
 * parents' evening only by phone or video, where the evening offers them: an appointment in person
 * is refused when it is booked (by the carer, by staff for them, or held for "book for me"), and the
 * booking page offers only the other ways. A ban is in force on a day when it has started by then and
 * is not ended, so a ban in force on an evening's last day is the one to tell them about.
 *
 * bannedAt: the local days of these instants on which the carer is banned from the premises.
 */
export async function bannedAt(db: Db, c: { schoolId: string; carerId: string; timeZone: string }, instants: readonly string[]): Promise<Set<LocalDate>> {
  return daysBannedFromPremises(
    db,
    c.schoolId,
    c.carerId,
    instants.map((i) => localDate(new Date(i), c.timeZone)),
  );
}

/** The ways a banned carer may still meet: all but in person. */
export const remoteModes = (modes: readonly MeetingMode[]): MeetingMode[] => modes.filter((m) => m !== 'in_person');

/** Beside the choice: in the carer's words, or in staff words (staff pages are in English). */
export function inPersonRefused(t: Text, byStaff: boolean, hasRemote: boolean): string {
  if (byStaff)
    return hasRemote
      ? 'This parent or carer is banned from the school premises: book a phone or video appointment instead'
      : 'This parent or carer is banned from the school premises and this evening has appointments in person only: arrange a phone call another way';
  return hasRemote ? t('evenings.error.banned') : t('evenings.banned.inPersonOnly');
}

// The community feature's public face: what other features may use.
import type { Db } from '../../db/database.ts';
import { suggestSupport } from './community.ts';
import { supportEntries } from './queries.ts';

export { communityRoutes } from './routes.ts';
export { carerCommunityRoutes } from './carer-routes.ts';
/** Who receives a family's messages and meeting requests first: single point of contact, else key worker, else null (the caller's default). */
export { familyContact, keyWorkerOf, routeFromCarer, type FamilyContact } from './queries.ts';
/** For the staff home page (features/home): buddy check-ins due and new families waiting for a buddy family. */
export { belongingToDo } from './queries.ts';
export { COMMUNITY_LEADS } from './community.ts';
/** For the periodic reminders job (main.ts): buddy matches due their four-week check-in, to the family liaison officer (else the head). */
export { sendBuddyCheckInReminders } from './reminders.ts';

/** For the meeting record (features/meetings): directory entries whose tags appear in the meeting's actions. */
export async function supportSuggestionsFor(db: Db, schoolId: string, texts: readonly string[]) {
  const entries = await supportEntries(db, schoolId);
  return suggestSupport(entries, texts).map(({ entry, matched }) => ({
    id: entry.id,
    name: entry.name,
    openingTimes: entry.opening_times,
    languages: entry.languages,
    contact: entry.contact,
    matched,
  }));
}
/** "Pass this to the DSL" beside a buddy match's check-in (features/safeguarding). */
export { communityCheckInForStaff } from './words-for-dsl.ts';
export { COMMUNITY_KEEPERS } from './community.ts';

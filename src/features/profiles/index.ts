// The profiles feature's public face: what other features (and the scheduler) may use.
import type { Db } from '../../db/database.ts';
import type { LocalDate } from '../../db/schema.ts';
import { carerMayHear, pupilsCarerMayHearAbout } from '../../platform/access/hear.ts';
import { prepared } from '../../db/prepared.ts';

export { profileRoutes } from './routes.ts';
export { profileTranslationRoutes } from './translation-routes.ts';
export { carerProfileRoutes } from './carer-routes.ts';
export { sendReviewReminders as sendProfileReviewReminders } from './commands.ts';

/**
 * For a carer's parents' evening booking page: the children with a profile that says how best to
 * support them, and where the carer reads it, so they can bring their questions. Only children
 * the carer may hear about for the profile (a restricted carer is never prompted).
 */
export async function supportPrompts(db: Db, q: { schoolId: string; carerId: string; pupilIds: readonly string[]; today: LocalDate }): Promise<{ pupilId: string; href: string }[]> {
  if (q.pupilIds.length === 0) return [];
  const ids = [...new Set(q.pupilIds)];
  // One read (every booking page asks): the access rule itself inside SQL (carerMayHear), not a second and third round trip.
  const rows = await withSupport(db, { schoolId: q.schoolId, carerId: q.carerId, today: q.today, ids });
  const found = new Set(rows.map((r) => r.pupil_id));
  return q.pupilIds.filter((id) => found.has(id)).map((pupilId) => ({ pupilId, href: `/children/${pupilId}/profile#support` }));
}
const withSupport = prepared(['schoolId', 'carerId', 'today', 'ids'], (db, q: { schoolId: string; carerId: string; today: string; ids: readonly string[] }) =>
  db
    .selectFrom('profiles')
    .innerJoin('profile_versions', (j) =>
      j.onRef('profile_versions.profile_id', '=', 'profiles.id').onRef('profile_versions.version', '=', 'profiles.version').onRef('profile_versions.school_id', '=', 'profiles.school_id'),
    )
    .innerJoin('carer_pupils', (j) => j.onRef('carer_pupils.pupil_id', '=', 'profiles.pupil_id').onRef('carer_pupils.school_id', '=', 'profiles.school_id'))
    .select('profiles.pupil_id')
    .where('profiles.school_id', '=', q.schoolId)
    .where('profiles.pupil_id', 'in', q.ids)
    .where('carer_pupils.carer_id', '=', q.carerId)
    .where('profile_versions.support', '!=', '')
    .where((eb) => carerMayHear(eb as unknown as Parameters<typeof carerMayHear>[0], 'profile', q.today as LocalDate)),
);

/** For a carer's page about one child: whether the carer may read that child's profile (and so be shown the way to it). */
export async function carerMayReadProfile(db: Db, q: { schoolId: string; carerId: string; pupilId: string; today: LocalDate }): Promise<boolean> {
  const may = await pupilsCarerMayHearAbout(db, { schoolId: q.schoolId, carerId: q.carerId, pupilIds: [q.pupilId], purpose: 'profile', today: q.today });
  return may.has(q.pupilId);
}
/** "Pass this to the DSL" beside a staff-only note on a profile (features/safeguarding). */
export { profileStaffNoteFinder, PROFILE_STAFF_SECTIONS, PROFILE_READ_ROLES } from './words-for-dsl.ts';

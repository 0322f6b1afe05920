import type { Db } from '../../db/database.ts';
import type { StaffRole } from '../../db/schema.ts';
import { hasAnyRole, type StaffUser } from '../../platform/access/roles.ts';
import { canSeePupil, type ScopeContext } from '../../platform/access/scope.ts';
import { staffWriterName, type PassedWords, type WordsFinder } from '../../platform/safeguarding/words.ts';
import { PROFILE_ROLES, STAFF_ONLY } from './profile.ts';

/**
 * A staff-only note on a pupil's one-page profile ("What is important to me: staff only"…), for "Pass
 * this to the DSL" (features/safeguarding). Found only for those who may open the profile page (its
 * roles, and may see the pupil); otherwise undefined, and the caller answers 404. The words are the
 * version in force's; who wrote them and when is the version that first had them as they are now.
 * 'gone': the note has been emptied since.
 */
export type ProfileStaffSection = (typeof STAFF_ONLY)[number];
export const PROFILE_STAFF_SECTIONS = STAFF_ONLY;
export const PROFILE_READ_ROLES: readonly StaffRole[] = PROFILE_ROLES.read;

export function profileStaffNoteFinder(section: ProfileStaffSection): WordsFinder {
  return async (db: Db, user: StaffUser, scope: ScopeContext, pupilId: string): Promise<PassedWords | 'gone' | undefined> => {
    if (!hasAnyRole(user, PROFILE_READ_ROLES) || !(await canSeePupil(db, user, pupilId, scope))) return undefined;
    const profile = await db.selectFrom('profiles').select(['id', 'version']).where('school_id', '=', user.schoolId).where('pupil_id', '=', pupilId).executeTakeFirst();
    if (!profile) return undefined;
    const versions = await db
      .selectFrom('profile_versions as v')
      .leftJoin('profile_proposals as p', (j) => j.onRef('p.id', '=', 'v.proposal_id').onRef('p.school_id', '=', 'v.school_id'))
      .select(['v.id', 'v.version', `v.${section} as words`, 'v.accepted_by', 'v.created_at', 'p.staff_id as proposer'])
      .where('v.school_id', '=', user.schoolId)
      .where('v.profile_id', '=', profile.id)
      .where('v.version', '<=', profile.version)
      .orderBy('v.version', 'desc')
      .execute();
    const current = versions[0];
    if (!current) return undefined;
    if (!current.words) return 'gone';
    // The version that first said it as it says now.
    let first = current;
    for (const v of versions.slice(1)) {
      if (v.words !== current.words) break;
      first = v;
    }
    const writerId = first.proposer ?? first.accepted_by;
    const writer = await db.selectFrom('staff').select(['title', 'family_name']).where('id', '=', writerId).where('school_id', '=', user.schoolId).executeTakeFirst();
    return {
      source: 'profile_staff_note',
      recordId: first.id,
      meetingId: null,
      pupilId,
      words: current.words,
      by: { kind: 'staff', id: writerId, name: staffWriterName(writer ?? { title: null, family_name: null }) },
      writtenAt: first.created_at,
      link: `/pupils/${pupilId}/profile#${section.replace('_staff', '')}`,
    };
  };
}

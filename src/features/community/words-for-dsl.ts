import type { Db } from '../../db/database.ts';
import { hasAnyRole, type StaffUser } from '../../platform/access/roles.ts';
import type { ScopeContext } from '../../platform/access/scope.ts';
import { staffWriterName, type PassedWords } from '../../platform/safeguarding/words.ts';
import { COMMUNITY_KEEPERS } from './community.ts';

/**
 * What the family liaison officer wrote at a buddy match's four-week check-in (how it is going), for
 * "Pass this to the DSL" (features/safeguarding). Found only for those who may open the community
 * page it is on (COMMUNITY_KEEPERS); otherwise undefined, and the caller answers 404. A match is
 * between two families, not about one child: no child is chosen for the writer.
 */
export async function communityCheckInForStaff(db: Db, user: StaffUser, _scope: ScopeContext, matchId: string): Promise<PassedWords | undefined> {
  if (!hasAnyRole(user, COMMUNITY_KEEPERS)) return undefined;
  const m = await db
    .selectFrom('buddy_matches as m')
    .leftJoin('staff as s', (j) => j.onRef('s.id', '=', 'm.checked_in_by').onRef('s.school_id', '=', 'm.school_id'))
    .select(['m.id', 'm.check_in_note', 'm.checked_in_by', 'm.checked_in_at', 's.title', 's.family_name'])
    .where('m.id', '=', matchId)
    .where('m.school_id', '=', user.schoolId)
    .executeTakeFirst();
  if (!m?.check_in_note || !m.checked_in_by) return undefined;
  return {
    source: 'buddy_check_in',
    recordId: m.id,
    meetingId: null,
    pupilId: null,
    words: m.check_in_note,
    by: { kind: 'staff', id: m.checked_in_by, name: staffWriterName(m) },
    writtenAt: m.checked_in_at,
    link: `/community#match-${m.id}`,
  };
}

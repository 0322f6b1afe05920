import type { Db } from '../../db/database.ts';
import { hasAnyRole, type StaffUser } from '../../platform/access/roles.ts';
import type { ScopeContext } from '../../platform/access/scope.ts';
import { staffWriterName, type PassedWords } from '../../platform/safeguarding/words.ts';
import { opportunityById } from './queries.ts';
import { VOLUNTEERING_ROLES } from './routes.ts';

/**
 * A volunteer's written risk assessment (a supervised volunteer's, recorded when approved), for "Pass
 * this to the DSL" (features/safeguarding). Found only for those who may open the volunteer's page
 * (VOLUNTEERING_ROLES, the volunteer and their role in this school); otherwise undefined, and the
 * caller answers 404. It is about an adult: no child is chosen for the writer.
 */
export async function riskAssessmentForStaff(db: Db, user: StaffUser, _scope: ScopeContext, volunteerId: string): Promise<PassedWords | undefined> {
  if (!hasAnyRole(user, VOLUNTEERING_ROLES)) return undefined;
  const v = await db
    .selectFrom('volunteers as v')
    .leftJoin('staff as s', (j) => j.onRef('s.id', '=', 'v.approved_by').onRef('s.school_id', '=', 'v.school_id'))
    .select(['v.id', 'v.opportunity_id', 'v.risk_assessment', 'v.approved_by', 's.title', 's.family_name'])
    .where('v.id', '=', volunteerId)
    .where('v.school_id', '=', user.schoolId)
    .executeTakeFirst();
  if (!v?.risk_assessment || !v.approved_by || !(await opportunityById(db, user.schoolId, v.opportunity_id))) return undefined;
  return {
    source: 'volunteer_risk_assessment',
    recordId: v.id,
    meetingId: null,
    pupilId: null,
    words: v.risk_assessment,
    by: { kind: 'staff', id: v.approved_by, name: staffWriterName(v) },
    writtenAt: null,
    link: `/volunteering/volunteers/${v.id}`,
  };
}

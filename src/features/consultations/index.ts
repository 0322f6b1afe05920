// The consultations feature's public face: what other features may use.
import type { Db } from '../../db/database.ts';
import { stillReached } from './sending.ts';
import { openInvitationsOf, reviewsDueOf } from './queries.ts';

export { consultationRoutes } from './routes.ts';
export { carerConsultationRoutes } from './carer-routes.ts';
export { consultationCommentForStaff, COMMENT_READERS } from './words-for-dsl.ts';

/** A member of staff's policy reviews due within 30 days or overdue, statutory yearly ones first (home page). */
export async function policyReviewsDue(db: Db, staff: { id: string; schoolId: string }, today: string) {
  return reviewsDueOf(db, staff.schoolId, staff.id, today);
}

/**
 * A carer's consultations still open, with their own links (home page); none once a restriction takes
 * them out of the audience. One read of the carer's open links (most carers have none: nothing more is
 * read); the audience question for each open one is asked side by side.
 */
export async function openConsultationsForCarer(db: Db, carer: { id: string; schoolId: string }, today: string) {
  const open = await openInvitationsOf(db, carer.schoolId, carer.id);
  if (open.length === 0) return [];
  const reached = await Promise.all(open.map((c) => stillReached(db, c, carer.id, today)));
  return open.filter((_, i) => reached[i]).map((c) => ({ title: c.title, closes_on: c.closes_on, href: `/consult/${c.token}` }));
}

// The consultations feature's public face: what other features may use.
import type { Db } from '../../db/database.ts';
import { stillReached } from './sending.ts';
import { consultationOf, consultationsOfCarer, reviewsDueOf } from './queries.ts';

export { consultationRoutes } from './routes.ts';
export { carerConsultationRoutes } from './carer-routes.ts';

/** A member of staff's policy reviews due within 30 days or overdue, statutory yearly ones first (home page). */
export async function policyReviewsDue(db: Db, staff: { id: string; schoolId: string }, today: string) {
  return reviewsDueOf(db, staff.schoolId, staff.id, today);
}

/** A carer's consultations still open, with their own links (home page); none once a restriction takes them out of the audience. */
export async function openConsultationsForCarer(db: Db, carer: { id: string; schoolId: string }, today: string) {
  const shown = [];
  for (const c of await consultationsOfCarer(db, carer.schoolId, carer.id)) {
    if (c.status !== 'open') continue;
    const consultation = await consultationOf(db, carer.schoolId, c.id);
    if (consultation && (await stillReached(db, consultation, carer.id, today))) shown.push({ title: c.title, closes_on: c.closes_on, href: `/consult/${c.token}` });
  }
  return shown;
}

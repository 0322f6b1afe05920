// The agreements feature's public face: what other features may use.
import type { Db } from '../../db/database.ts';
import type { LocalDate } from '../../db/schema.ts';
import { reviewDue, type ReviewDue } from './agreement.ts';
import { latestReview } from './queries.ts';

export { agreementRoutes } from './routes.ts';
export { agreementTranslationRoutes } from './translation-routes.ts';
export { agreementSigningRoutes } from './signing-routes.ts';
export { carerAgreementRoutes } from './carer-routes.ts';
export type { ReviewDue } from './agreement.ts';

/** For the head's home page: the governors' yearly review of the agreement, when it is due (or never done). Null when nothing is due yet. */
export async function agreementReviewReminder(db: Db, schoolId: string, today: LocalDate): Promise<ReviewDue | null> {
  const hasAgreement = await db.selectFrom('agreement_versions').select('id').where('school_id', '=', schoolId).where('status', '=', 'published').executeTakeFirst();
  if (!hasAgreement) return null;
  const due = reviewDue((await latestReview(db, schoolId))?.reviewed_on ?? null, today);
  return due.state === 'done' ? null : due;
}

// The agreements feature's public face: what other features may use.
import type { Db } from '../../db/database.ts';
import type { LocalDate } from '../../db/schema.ts';
import { reviewDue, type ReviewDue } from './agreement.ts';
import { latestReview, signingState } from './queries.ts';

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

/** For the welcome checklist (features/community): when this carer last signed, for any child, a version whose signatures still count; or null. */
export async function carerSignedCurrentOn(db: Db, schoolId: string, carerId: string): Promise<LocalDate | null> {
  const state = await signingState(db, schoolId);
  if (state.countsFrom === null) return null;
  const row = await db
    .selectFrom('agreement_signatures')
    .innerJoin('agreement_versions', 'agreement_versions.id', 'agreement_signatures.version_id')
    .select('agreement_signatures.signed_on')
    .where('agreement_signatures.school_id', '=', schoolId)
    .where('agreement_signatures.carer_id', '=', carerId)
    .where('agreement_signatures.signer', '=', 'carer')
    .where('agreement_versions.version', '>=', state.countsFrom)
    .orderBy('agreement_signatures.signed_on', 'desc')
    .executeTakeFirst();
  return row?.signed_on ?? null;
}

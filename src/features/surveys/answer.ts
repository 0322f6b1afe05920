import crypto from 'node:crypto';
import type { Kysely } from 'kysely';
import type { AnsweredVia, Database, SurveyInvitationTable, SurveyTable } from '../../db/schema.ts';
import { audit, type Actor } from '../../platform/audit/audit.ts';
import { AppError } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';

type Db = Kysely<Database>;
export type Answer = { questionId: string; value: string };

/**
 * Storing answers, kept apart from who gave them in an anonymous survey:
 * - the invitation is marked answered (a date and a route, for reminders and response rates);
 * - the response and its answers get random ids (not time-ordered like newId), a date and no time,
 *   and no invitation_id; the audit entry names the invitation, never the response.
 * In a named survey the response names its invitation (unique: one response per person).
 */
const randomId = () => crypto.randomUUID();

async function openSurveyOf(trx: Db, schoolId: string, surveyId: string): Promise<SurveyTable> {
  const survey = await trx.selectFrom('surveys').selectAll().where('id', '=', surveyId).where('school_id', '=', schoolId).executeTakeFirst();
  if (!survey) throw new AppError('not_found', 'Page not found');
  if (survey.status !== 'open') throw new AppError('conflict', survey.status === 'closed' ? 'This survey has closed.' : 'This survey has not been sent yet.');
  return survey;
}

async function markAnswered(trx: Db, invitation: SurveyInvitationTable, via: AnsweredVia, today: string): Promise<void> {
  const marked = await trx.updateTable('survey_invitations').set({ answered_on: today, answered_via: via }).where('id', '=', invitation.id).where('answered_on', 'is', null).executeTakeFirst();
  if (Number(marked.numUpdatedRows) !== 1) throw new AppError('conflict', 'already_answered');
}

async function storeResponse(trx: Db, survey: SurveyTable, invitationId: string | null, via: AnsweredVia, answers: Answer[], today: string): Promise<string> {
  const anonymous = survey.anonymous === 1;
  const responseId = anonymous ? randomId() : newId();
  await trx
    .insertInto('survey_responses')
    .values({ id: responseId, school_id: survey.school_id, survey_id: survey.id, invitation_id: anonymous ? null : invitationId, via, submitted_on: today })
    .execute();
  if (answers.length)
    await trx
      .insertInto('survey_answers')
      .values(answers.map((a) => ({ id: anonymous ? randomId() : newId(), school_id: survey.school_id, survey_id: survey.id, response_id: responseId, question_id: a.questionId, value: a.value })))
      .execute();
  // The first response locks anonymity (it is fixed from sending; this records when answers began).
  await trx.updateTable('surveys').set({ first_response_on: today }).where('id', '=', survey.id).where('first_response_on', 'is', null).execute();
  return responseId;
}

/** A person answers through their own link (or signed in), or the office keys in a named paper or phone answer for them. */
export async function answerInvitation(db: Db, actor: Actor, invitation: SurveyInvitationTable, answers: Answer[], via: AnsweredVia, today: string, now: Date): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const survey = await openSurveyOf(trx, invitation.school_id, invitation.survey_id);
    if (via !== 'online' && survey.anonymous === 1) throw new AppError('bad_request', 'In an anonymous survey, mark who returned a form and key in the form separately.');
    await markAnswered(trx, invitation, via, today);
    const responseId = await storeResponse(trx, survey, invitation.id, via, answers, today);
    await audit(
      trx,
      actor,
      {
        schoolId: survey.school_id,
        action: 'survey.answered',
        entity: 'survey_invitation',
        entityId: invitation.id,
        after: survey.anonymous === 1 ? { survey_id: survey.id, via } : { survey_id: survey.id, via, response_id: responseId, answers: answers.length },
      },
      now,
    );
  });
}

/** Anonymous survey, paper or phone: the office ticks off who returned a form (nothing of what it says). */
export async function markReturned(db: Db, actor: Actor, invitation: SurveyInvitationTable, via: AnsweredVia, today: string, now: Date): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await openSurveyOf(trx, invitation.school_id, invitation.survey_id);
    await markAnswered(trx, invitation, via, today);
    await audit(trx, actor, { schoolId: invitation.school_id, action: 'survey.returned', entity: 'survey_invitation', entityId: invitation.id, after: { survey_id: invitation.survey_id, via } }, now);
  });
}

/** Anonymous survey, paper or phone: the office keys in a form, named by nobody. */
export async function keyAnonymousForm(db: Db, actor: Actor, schoolId: string, surveyId: string, answers: Answer[], via: AnsweredVia, today: string, now: Date): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const survey = await openSurveyOf(trx, schoolId, surveyId);
    if (survey.anonymous !== 1) throw new AppError('bad_request', 'In a named survey, choose whose answers these are.');
    await storeResponse(trx, survey, null, via, answers, today);
    await audit(trx, actor, { schoolId, action: 'survey.form_keyed', entity: 'survey', entityId: surveyId, after: { via } }, now);
  });
}

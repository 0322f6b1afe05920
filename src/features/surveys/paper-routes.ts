import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { FeatureDeps } from '../../platform/deps.ts';
import type { AnsweredVia, SurveyTable } from '../../db/schema.ts';
import { staff } from '../../platform/access/policy.ts';
import { AppError } from '../../platform/errors.ts';
import type { FieldErrors } from '../../platform/web/forms.ts';
import { answerInvitation, keyAnonymousForm, markReturned } from './answer.ts';
import { AGREE_LABELS, AGREE_SCALE, bySection, ENGLISH_WORDS, pickedValues, readAnswers } from './questions.ts';
import { questionsOf } from './queries.ts';
import { actorOf, loadSurvey } from './routes.ts';
import { SURVEY_MANAGERS } from './access.ts';

const V = 'features/surveys/views';
const managers = staff(SURVEY_MANAGERS);
const WORDS = { required: 'Answer this question, or leave the form for later', choose: 'Choose one of the answers shown', tooLong: (max: number) => `The answer must be ${max} characters or fewer` };
const DONE: Record<string, string> = { keyed: 'Answers saved, marked as given on paper or by phone.', returned: 'Marked as answered.' };

/**
 * Paper and phone answers, keyed in by the office and marked as such. Named survey: choose the
 * person, key in their answers. Anonymous survey: tick off who returned a form, and key in forms
 * separately, so nothing ties a form to a name.
 */
export function surveyPaperRoutes(app: FastifyInstance, deps: FeatureDeps): void {
  const { db, clock } = deps;

  async function page(request: FastifyRequest, reply: FastifyReply, survey: SurveyTable, extra: { errors?: FieldErrors; values?: Record<string, unknown>; status?: number } = {}) {
    const waiting = await db
      .selectFrom('survey_invitations')
      .leftJoin('carers', 'carers.id', 'survey_invitations.carer_id')
      .leftJoin('staff', 'staff.id', 'survey_invitations.staff_id')
      .select(['survey_invitations.id', 'survey_invitations.channels', 'carers.given_name', 'carers.family_name', 'staff.given_name as staff_given', 'staff.family_name as staff_family'])
      .where('survey_invitations.survey_id', '=', survey.id)
      .where('survey_invitations.answered_on', 'is', null)
      .execute();
    const people = waiting
      .map((w) => ({ id: w.id, name: `${w.given_name ?? w.staff_given ?? ''} ${w.family_name ?? w.staff_family ?? ''}`.trim(), paper: w.channels.split(',').includes('paper') }))
      .sort((a, b) => Number(b.paper) - Number(a.paper) || a.name.localeCompare(b.name));
    const questions = await questionsOf(db, survey.id);
    return reply.code(extra.status ?? 200).page(`${V}/paper.njk`, {
      title: `Paper and phone answers: ${survey.title}`,
      survey,
      people,
      sections: bySection(questions),
      scale: AGREE_SCALE.map((v) => ({ value: v, text: AGREE_LABELS[v] })),
      values: extra.values ?? { via: 'paper' },
      picked: pickedValues(extra.values ?? {}),
      words: ENGLISH_WORDS,
      errors: extra.errors,
      done: DONE[(request.query as { done?: string }).done ?? ''],
      backLink: `/surveys/${survey.id}`,
    });
  }

  const viaOf = (v: unknown): AnsweredVia | null => (v === 'paper' || v === 'phone' ? v : null);

  async function invitationOf(survey: SurveyTable, id: unknown) {
    if (typeof id !== 'string' || !id) return undefined;
    return db.selectFrom('survey_invitations').selectAll().where('id', '=', id).where('survey_id', '=', survey.id).where('school_id', '=', survey.school_id).executeTakeFirst();
  }

  app.get('/surveys/:surveyId/paper', { config: { policy: managers } }, async (request, reply) => page(request, reply, await loadSurvey(deps, request)));

  app.post('/surveys/:surveyId/paper', { config: { policy: managers } }, async (request, reply) => {
    const survey = await loadSurvey(deps, request);
    const body = (request.body ?? {}) as Record<string, unknown>;
    const errors: FieldErrors = {};
    const via = viaOf(body.via);
    if (!via) errors.via = 'Select whether the answers came on paper or by phone';
    const invitation = survey.anonymous === 1 ? undefined : await invitationOf(survey, body.invitation);
    if (survey.anonymous === 0 && (!invitation || invitation.answered_on)) errors.invitation = 'Select whose answers these are (someone who has not answered yet)';
    const read = readAnswers(await questionsOf(db, survey.id), body, WORDS);
    if (!read.ok) Object.assign(errors, read.errors);
    if (Object.keys(errors).length || !read.ok || !via) return page(request, reply, survey, { errors, values: body, status: 400 });
    const now = clock();
    try {
      if (invitation) await answerInvitation(db, actorOf(request), invitation, read.answers, via, request.scope.today, now);
      else await keyAnonymousForm(db, actorOf(request), survey.school_id, survey.id, read.answers, via, request.scope.today, now);
    } catch (error) {
      if (error instanceof AppError && error.code === 'conflict' && error.message === 'already_answered')
        return page(request, reply, survey, { errors: { invitation: 'This person has answered already' }, values: body, status: 409 });
      throw error;
    }
    return reply.redirect(`/surveys/${survey.id}/paper?done=keyed`, 303);
  });

  app.post('/surveys/:surveyId/returned', { config: { policy: managers } }, async (request, reply) => {
    const survey = await loadSurvey(deps, request);
    const body = (request.body ?? {}) as Record<string, unknown>;
    const via = viaOf(body.via) ?? 'paper';
    if (survey.anonymous !== 1) return page(request, reply, survey, { errors: { returned: 'In a named survey, key in the person’s answers instead' }, status: 400 });
    const invitation = await invitationOf(survey, body.returned);
    if (!invitation || invitation.answered_on) return page(request, reply, survey, { errors: { returned: 'Select who returned a form (someone who has not answered yet)' }, status: 400 });
    await markReturned(db, actorOf(request), invitation, via, request.scope.today, clock());
    return reply.redirect(`/surveys/${survey.id}/paper?done=returned`, 303);
  });
}

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { FeatureDeps } from '../../platform/deps.ts';
import type { SurveyInvitationTable } from '../../db/schema.ts';
import { anyone, carers } from '../../platform/access/policy.ts';
import type { Actor } from '../../platform/audit/audit.ts';
import { localDate } from '../../platform/calendar/time.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { ENGLISH_COOKIE, textForCarer } from '../../platform/i18n/plugin.ts';
import { answerInvitation } from './answer.ts';
import { AGREE_SCALE, bySection, pickedValues, readAnswers } from './questions.ts';
import { invitationByToken, questionsIn, surveysOfCarer } from './queries.ts';

const V = 'features/surveys/views';

/**
 * Answering: each person's own link (/s/<token>) opens their survey without signing in; a signed-in
 * carer finds the same links under "Surveys". One response per person: a second submit is told it
 * has already been answered. Works without JavaScript at 320 px.
 */
export function carerSurveyRoutes(app: FastifyInstance, deps: FeatureDeps): void {
  const { db, clock } = deps;

  async function speakTo(request: FastifyRequest, invitation: SurveyInvitationTable) {
    if (request.user || request.cookies[ENGLISH_COOKIE] === '1') return;
    request.text = await textForCarer(db, invitation.school_id, invitation.language, clock());
  }

  async function load(request: FastifyRequest) {
    const invitation = await invitationByToken(db, (request.params as { token: string }).token);
    if (!invitation) throw notFound();
    // The token is the person's own (as a message's read link): whoever holds it answers as them, signed in or not.
    const survey = await db.selectFrom('surveys').selectAll().where('id', '=', invitation.survey_id).executeTakeFirstOrThrow();
    if (survey.status === 'draft') throw notFound();
    await speakTo(request, invitation);
    return { invitation, survey };
  }

  async function form(reply: FastifyReply, loaded: Awaited<ReturnType<typeof load>>, extra: { errors?: Record<string, string>; values?: Record<string, unknown>; status?: number } = {}) {
    const { invitation, survey } = loaded;
    const t = reply.request.text;
    const state = invitation.answered_on ? 'answered' : survey.status === 'closed' ? 'closed' : 'open';
    const { questions } = await questionsIn(db, survey.id, invitation.language);
    return reply.code(extra.status ?? 200).page(`${V}/answer.njk`, {
      title: survey.title,
      survey,
      state,
      action: `/s/${invitation.token}`,
      sections: bySection(questions),
      machine: questions.some((q) => q.machine),
      scale: AGREE_SCALE.map((v) => ({ value: v, text: t(`surveys.scale.${v}`) })),
      picked: pickedValues(extra.values ?? {}),
      words: { yes: t('surveys.answer.yes'), no: t('surveys.answer.no'), optional: t('surveys.answer.optional'), chooseAny: t('surveys.answer.chooseAny') },
      errors: extra.errors,
      backLink: reply.request.user?.kind === 'carer' ? '/my-surveys' : null,
    });
  }

  app.get('/my-surveys', { config: { policy: carers } }, async (request, reply) => {
    const rows = await surveysOfCarer(db, request.user!.id);
    return reply.page(`${V}/my-surveys.njk`, { title: request.text('surveys.mine.title'), rows });
  });

  app.get('/s/:token', { config: { policy: anyone } }, async (request, reply) => form(reply, await load(request)));

  app.post('/s/:token', { config: { policy: anyone } }, async (request, reply) => {
    const loaded = await load(request);
    const { invitation, survey } = loaded;
    if (invitation.answered_on || survey.status !== 'open') return form(reply, loaded, { status: 409 });
    const t = request.text;
    const body = (request.body ?? {}) as Record<string, unknown>;
    const { questions } = await questionsIn(db, survey.id, invitation.language);
    const read = readAnswers(questions, body, { required: t('surveys.answer.required'), choose: t('surveys.answer.choose'), tooLong: (max) => t('surveys.answer.tooLong', { max }) });
    if (!read.ok) return form(reply, loaded, { errors: read.errors, values: body, status: 400 });
    const school = await db.selectFrom('schools').select('time_zone').where('id', '=', invitation.school_id).executeTakeFirstOrThrow();
    const now = clock();
    const actor: Actor = invitation.carer_id
      ? { kind: 'carer', id: invitation.carer_id, schoolId: invitation.school_id, ip: request.ip }
      : { kind: 'staff', id: invitation.staff_id!, schoolId: invitation.school_id, ip: request.ip };
    try {
      await answerInvitation(db, actor, invitation, read.answers, 'online', localDate(now, school.time_zone), now);
    } catch (error) {
      // Answered a moment ago (a double click, or another tab): show the thank-you, store nothing twice.
      if (!(error instanceof AppError && error.code === 'conflict')) throw error;
    }
    return reply.redirect(`/s/${invitation.token}`, 303);
  });
}

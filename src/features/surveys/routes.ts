import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { FeatureDeps } from '../../platform/deps.ts';
import type { SurveyTable } from '../../db/schema.ts';
import { staff } from '../../platform/access/policy.ts';
import { hasAnyRole, ROLE_LABELS, STAFF_ROLES, type StaffUser } from '../../platform/access/roles.ts';
import type { Actor } from '../../platform/audit/audit.ts';
import { textsCanGo } from '../../platform/channels/sms.ts';
import { notFound } from '../../platform/errors.ts';
import { parseForm, type FieldErrors } from '../../platform/web/forms.ts';
import { classesOfSchool, YEAR_GROUP_LABELS, YEAR_GROUPS } from '../people/index.ts';
import { describeAudience, groupsOf, type AudienceWords } from '../messages/index.ts';
import { audienceOf } from './audience.ts';
import { addQuestion, closeSurvey, createSurvey, removeQuestion, setAnonymity } from './commands.ts';
import { NewSurveyForm } from './forms.ts';
import { MAX_REMINDERS, openSurvey, remindSurvey } from './invite.ts';
import { AGREE_LABELS, AGREE_SCALE, bySection, ENGLISH_WORDS, KIND_LABELS, QUESTION_KINDS, QuestionForm } from './questions.ts';
import { listSurveys, questionsOf, responseTotals, surveyOf } from './queries.ts';
import { TEMPLATES } from './templates.ts';
import { SURVEY_MANAGERS, SURVEY_READERS } from './access.ts';
import { surveyTranslationRows } from './translation-queries.ts';

const V = 'features/surveys/views';
const managers = staff(SURVEY_MANAGERS);
const readers = staff(SURVEY_READERS);

const DONE: Record<string, string> = {
  created: 'Survey created. Add or check its questions, then send it.',
  added: 'Question added.',
  removed: 'Question removed.',
  anonymity: 'Saved.',
  sent: 'Survey sent. Families on paper are listed on the paper answers page for the office.',
  reminded: 'Reminder sent to everyone who has not answered.',
  closed: 'Survey closed.',
};

export const actorOf = (request: FastifyRequest): Actor => {
  const user = request.user as StaffUser;
  return { kind: 'staff', id: user.id, schoolId: user.schoolId, ip: request.ip };
};

export async function loadSurvey(deps: FeatureDeps, request: FastifyRequest): Promise<SurveyTable> {
  const user = request.user as StaffUser;
  const survey = await surveyOf(deps.db, user.schoolId, (request.params as { surveyId: string }).surveyId);
  if (!survey) throw notFound();
  return survey;
}

export function surveyRoutes(app: FastifyInstance, deps: FeatureDeps): void {
  const { db, clock } = deps;

  async function newPage(request: FastifyRequest, extra: { errors?: FieldErrors; values?: Record<string, unknown> } = {}) {
    const user = request.user as StaffUser;
    const baselines = (await listSurveys(db, user.schoolId)).filter((s) => s.status !== 'draft');
    return {
      title: 'New survey',
      templates: TEMPLATES,
      classes: await classesOfSchool(db, user.schoolId),
      groups: await groupsOf(db, user.schoolId),
      years: YEAR_GROUPS.filter((y) => ['N', 'R', '1', '2', '3', '4', '5', '6'].includes(y)).map((y) => ({ value: y, text: YEAR_GROUP_LABELS[y] })),
      roles: STAFF_ROLES.map((r) => ({ value: r, text: ROLE_LABELS[r] })),
      baselines,
      errors: extra.errors,
      values: extra.values ?? { anonymous: 'yes', audience_kind: 'school' },
    };
  }

  /** Who a survey asks, after a label: staff roles, or the families of an audience (views/audience.njk in messages draws it). */
  async function audienceWords(survey: SurveyTable): Promise<AudienceWords & { label: string }> {
    const who = audienceOf(survey);
    if (who.kind === 'staff') return { label: 'Staff', words: who.audience.roles.map((r) => ROLE_LABELS[r]).join(', ') };
    const [classes, groups] = await Promise.all([classesOfSchool(db, survey.school_id), groupsOf(db, survey.school_id)]);
    const pupils =
      who.audience.kind === 'pupils'
        ? await db.selectFrom('pupils').select(['id', 'given_name', 'family_name']).where('school_id', '=', survey.school_id).where('id', 'in', who.audience.pupilIds).execute()
        : [];
    return {
      label: 'Families',
      ...describeAudience(
        who.audience,
        {
          classes: new Map(classes.map((c) => [c.id, c.name])),
          groups: new Map(groups.map((g) => [g.id, g.name])),
          pupils: new Map(pupils.map((p) => [p.id, `${p.given_name} ${p.family_name}`])),
        },
        { afterLabel: true },
      ),
    };
  }

  async function surveyPage(request: FastifyRequest, survey: SurveyTable, extra: { errors?: FieldErrors; values?: Record<string, unknown>; status?: number } = {}) {
    const user = request.user as StaffUser;
    const [questions, totals, translations, baseline] = await Promise.all([
      questionsOf(db, survey.id),
      responseTotals(db, survey.school_id, survey.id),
      surveyTranslationRows(db, survey, request.scope.today),
      survey.baseline_id ? surveyOf(db, survey.school_id, survey.baseline_id) : Promise.resolve(undefined),
    ]);
    return {
      title: survey.title,
      survey,
      sections: bySection(questions),
      questionCount: questions.length,
      totals,
      audience: await audienceWords(survey),
      translations,
      baseline,
      manager: hasAnyRole(user, SURVEY_MANAGERS),
      kinds: QUESTION_KINDS.map((k) => ({ value: k, text: KIND_LABELS[k] })),
      kindLabels: KIND_LABELS,
      scale: AGREE_SCALE.map((v) => AGREE_LABELS[v]),
      maxReminders: MAX_REMINDERS,
      done: DONE[(request.query as { done?: string }).done ?? ''],
      errors: extra.errors,
      values: extra.values ?? { required: 'yes' },
    };
  }

  app.get('/surveys', { config: { policy: readers } }, async (request, reply) => {
    const user = request.user as StaffUser;
    return reply.page(`${V}/list.njk`, { title: 'Surveys', surveys: await listSurveys(db, user.schoolId), manager: hasAnyRole(user, SURVEY_MANAGERS) });
  });

  app.get('/surveys/new', { config: { policy: managers } }, async (request, reply) => reply.page(`${V}/new.njk`, await newPage(request)));

  app.post('/surveys', { config: { policy: managers } }, async (request, reply) => {
    const user = request.user as StaffUser;
    const form = parseForm(NewSurveyForm, request.body);
    if (!form.ok) return reply.code(400).page(`${V}/new.njk`, await newPage(request, { errors: form.errors, values: form.values }));
    if (form.data.baselineId && !(await surveyOf(db, user.schoolId, form.data.baselineId)))
      return reply.code(400).page(`${V}/new.njk`, await newPage(request, { errors: { baseline_id: 'Select a survey from the list' }, values: request.body as Record<string, unknown> }));
    const id = await createSurvey(db, actorOf(request), user.schoolId, form.data, clock());
    return reply.redirect(`/surveys/${id}?done=created`, 303);
  });

  app.get('/surveys/:surveyId', { config: { policy: readers } }, async (request, reply) => {
    const survey = await loadSurvey(deps, request);
    return reply.page(`${V}/survey.njk`, await surveyPage(request, survey));
  });

  app.post('/surveys/:surveyId/questions', { config: { policy: managers } }, async (request, reply) => {
    const survey = await loadSurvey(deps, request);
    const form = parseForm(QuestionForm, request.body);
    if (!form.ok) return reply.code(400).page(`${V}/survey.njk`, await surveyPage(request, survey, { errors: form.errors, values: form.values }));
    await addQuestion(db, actorOf(request), survey.school_id, survey.id, form.data, clock());
    return reply.redirect(`/surveys/${survey.id}?done=added#questions`, 303);
  });

  app.post('/surveys/:surveyId/questions/:questionId/remove', { config: { policy: managers } }, async (request, reply) => {
    const survey = await loadSurvey(deps, request);
    await removeQuestion(db, actorOf(request), survey.school_id, survey.id, (request.params as { questionId: string }).questionId, clock());
    return reply.redirect(`/surveys/${survey.id}?done=removed#questions`, 303);
  });

  app.post('/surveys/:surveyId/anonymity', { config: { policy: managers } }, async (request, reply) => {
    const survey = await loadSurvey(deps, request);
    const value = (request.body as { anonymous?: unknown }).anonymous;
    if (value !== 'yes' && value !== 'no') return reply.code(400).page(`${V}/survey.njk`, await surveyPage(request, survey, { errors: { anonymous: 'Select whether answers are anonymous' } }));
    await setAnonymity(db, actorOf(request), survey.school_id, survey.id, value === 'yes', clock());
    return reply.redirect(`/surveys/${survey.id}?done=anonymity`, 303);
  });

  app.post('/surveys/:surveyId/send', { config: { policy: managers } }, async (request, reply) => {
    const survey = await loadSurvey(deps, request);
    await openSurvey(db, actorOf(request), survey.school_id, survey.id, {
      baseUrl: deps.config.baseUrl,
      schoolName: request.school!.name,
      today: request.scope.today,
      now: clock(),
      textsCanGo: textsCanGo(deps.config),
    });
    return reply.redirect(`/surveys/${survey.id}?done=sent`, 303);
  });

  app.post('/surveys/:surveyId/remind', { config: { policy: managers } }, async (request, reply) => {
    const survey = await loadSurvey(deps, request);
    await remindSurvey(db, actorOf(request), survey.school_id, survey.id, {
      baseUrl: deps.config.baseUrl,
      schoolName: request.school!.name,
      today: request.scope.today,
      now: clock(),
      textsCanGo: textsCanGo(deps.config),
    });
    return reply.redirect(`/surveys/${survey.id}?done=reminded`, 303);
  });

  app.post('/surveys/:surveyId/close', { config: { policy: managers } }, async (request, reply) => {
    const survey = await loadSurvey(deps, request);
    await closeSurvey(db, actorOf(request), survey.school_id, survey.id, clock());
    return reply.redirect(`/surveys/${survey.id}?done=closed`, 303);
  });

  app.get('/surveys/:surveyId/preview', { config: { policy: readers } }, async (request, reply) => {
    const survey = await loadSurvey(deps, request);
    const questions = await questionsOf(db, survey.id);
    return reply.page(`${V}/preview.njk`, {
      title: `Preview: ${survey.title}`,
      survey,
      sections: bySection(questions),
      scale: AGREE_SCALE.map((v) => ({ value: v, text: AGREE_LABELS[v] })),
      picked: {},
      words: ENGLISH_WORDS,
      backLink: `/surveys/${survey.id}`,
    });
  });
}

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { FeatureDeps } from '../../platform/deps.ts';
import type { SurveyTable } from '../../db/schema.ts';
import { staff } from '../../platform/access/policy.ts';
import type { StaffUser } from '../../platform/access/roles.ts';
import { audit } from '../../platform/audit/audit.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import type { FieldErrors } from '../../platform/web/forms.ts';
import { checkProblem, languageFromUrl, STATUS_LABELS, STATUS_TAGS, textDirection } from '../messages/index.ts';
import { optionsOf } from './questions.ts';
import { questionsOf } from './queries.ts';
import { actorOf, loadSurvey } from './routes.ts';
import { SURVEY_TRANSLATORS } from './access.ts';
import { languageStatus, surveyLanguages, translationsOf } from './translation-queries.ts';

const V = 'features/surveys/views';
const translators = staff(SURVEY_TRANSLATORS);
const DONE: Record<string, string> = {
  saved: 'Translation saved. Someone else needs to check it before it is marked as checked.',
  checked: 'Translation marked as checked.',
};
const closed = () => new AppError('conflict', 'This survey has been sent, so its translations can no longer change.');

/**
 * A survey's questions in another language: written by one person, checked by another (the same
 * rule as messages: checkProblem in features/messages/translation.ts). All questions of a language
 * are written and checked together, on one page.
 */
export function surveyTranslationRoutes(app: FastifyInstance, deps: FeatureDeps): void {
  const { db, clock } = deps;

  async function load(request: FastifyRequest): Promise<{ survey: SurveyTable; language: string }> {
    const survey = await loadSurvey(deps, request);
    const language = languageFromUrl((request.params as { language: string }).language);
    if (!language) throw notFound();
    return { survey, language };
  }

  async function page(request: FastifyRequest, reply: FastifyReply, survey: SurveyTable, language: string, extra: { errors?: FieldErrors; values?: Record<string, unknown>; status?: number } = {}) {
    const [questions, translations, readers] = await Promise.all([questionsOf(db, survey.id), translationsOf(db, survey.id, language), surveyLanguages(db, survey, request.scope.today)]);
    const byQuestion = new Map(translations.map((t) => [t.question_id, t]));
    const status = languageStatus(translations, questions.length);
    const user = request.user as StaffUser;
    const writers = new Set(translations.map((t) => t.written_by));
    const values =
      extra.values ??
      Object.fromEntries(
        questions.flatMap((q) => [
          [`text_${q.id}`, byQuestion.get(q.id)?.text ?? ''],
          [`options_${q.id}`, optionsOf(byQuestion.get(q.id)?.options_json ?? '[]').join('\n')],
        ]),
      );
    return reply.code(extra.status ?? 200).page(`${V}/translation.njk`, {
      title: `${language} translation: ${survey.title}`,
      survey,
      language,
      direction: textDirection(language),
      questions,
      readers: readers.get(language) ?? 0,
      status,
      statusLabel: STATUS_LABELS[status],
      statusTag: STATUS_TAGS[status],
      open: survey.status === 'draft',
      canCheck: survey.status === 'draft' && status === 'written' && translations.length >= questions.length && !(writers.size === 1 && writers.has(user.id)),
      checkedAt:
        translations
          .map((t) => t.updated_at)
          .sort()
          .at(-1) ?? '',
      values,
      errors: extra.errors,
      done: DONE[(request.query as { done?: string }).done ?? ''],
      backLink: `/surveys/${survey.id}`,
    });
  }

  app.get('/surveys/:surveyId/translations/:language', { config: { policy: translators } }, async (request, reply) => {
    const { survey, language } = await load(request);
    return page(request, reply, survey, language);
  });

  app.post('/surveys/:surveyId/translations/:language', { config: { policy: translators } }, async (request, reply) => {
    const { survey, language } = await load(request);
    if (survey.status !== 'draft') throw closed();
    const user = request.user as StaffUser;
    const body = (request.body ?? {}) as Record<string, unknown>;
    const questions = await questionsOf(db, survey.id);
    const errors: FieldErrors = {};
    const rows = questions.map((q) => {
      const text = String(body[`text_${q.id}`] ?? '').trim();
      const options = String(body[`options_${q.id}`] ?? '')
        .split(/\r?\n/)
        .map((o) => o.trim())
        .filter(Boolean);
      if (!text) errors[`text_${q.id}`] = `Enter question ${questions.indexOf(q) + 1} in ${language}`;
      else if (text.length > 500) errors[`text_${q.id}`] = 'The question must be 500 characters or fewer';
      if (q.options.length && options.length !== q.options.length) errors[`options_${q.id}`] = `Enter the ${q.options.length} choices in ${language}, one on each line, in the same order`;
      return { q, text, options };
    });
    if (Object.keys(errors).length) return page(request, reply, survey, language, { errors, values: body, status: 400 });
    const now = clock();
    await db.transaction().execute(async (trx) => {
      const current = await trx.selectFrom('surveys').select('status').where('id', '=', survey.id).executeTakeFirst();
      if (current?.status !== 'draft') throw closed();
      const existing = new Map((await translationsOf(trx, survey.id, language)).map((t) => [t.question_id, t]));
      for (const { q, text, options } of rows) {
        const before = existing.get(q.id);
        const fields = { text, options_json: JSON.stringify(options), source: 'person' as const, status: 'written' as const, written_by: user.id, checked_by: null, updated_at: now.toISOString() };
        if (before && before.text === text && before.options_json === fields.options_json) continue; // unchanged: keeps its check
        const id = before?.id ?? newId();
        if (before) await trx.updateTable('survey_question_translations').set(fields).where('id', '=', id).execute();
        else
          await trx
            .insertInto('survey_question_translations')
            .values({ id, school_id: survey.school_id, survey_id: survey.id, question_id: q.id, language, ...fields })
            .execute();
        await audit(
          trx,
          actorOf(request),
          {
            schoolId: survey.school_id,
            action: 'translation.written',
            entity: 'survey_question_translation',
            entityId: id,
            before: before ? { text: before.text, status: before.status } : undefined,
            after: { survey_id: survey.id, question_id: q.id, language, text, status: 'written' },
          },
          now,
        );
      }
    });
    return reply.redirect(`/surveys/${survey.id}/translations/${encodeURIComponent(language)}?done=saved`, 303);
  });

  app.post('/surveys/:surveyId/translations/:language/check', { config: { policy: translators } }, async (request, reply) => {
    const { survey, language } = await load(request);
    if (survey.status !== 'draft') throw closed();
    const user = request.user as StaffUser;
    const seen = String((request.body as { updated_at?: unknown }).updated_at ?? '');
    const now = clock();
    const problem = await db.transaction().execute(async (trx): Promise<string | null> => {
      const questions = await questionsOf(trx, survey.id);
      const translations = await translationsOf(trx, survey.id, language);
      if (translations.length < questions.length) return 'There is nothing to check yet: write every question in ' + language + ' first.';
      const latest =
        translations
          .map((t) => t.updated_at)
          .sort()
          .at(-1) ?? '';
      if (seen && latest !== seen) return 'The translation changed while you were reading it. Read it again before marking it as checked.';
      for (const t of translations) {
        const refused = checkProblem({ ...t, body: t.text }, user.id, language, '');
        if (refused) return refused;
      }
      for (const t of translations.filter((x) => x.status !== 'checked')) {
        await trx.updateTable('survey_question_translations').set({ status: 'checked', checked_by: user.id, updated_at: now.toISOString() }).where('id', '=', t.id).execute();
        await audit(
          trx,
          actorOf(request),
          {
            schoolId: survey.school_id,
            action: 'translation.checked',
            entity: 'survey_question_translation',
            entityId: t.id,
            before: { status: t.status },
            after: { language, status: 'checked', checked_by: user.id },
          },
          now,
        );
      }
      return null;
    });
    if (problem) return page(request, reply, survey, language, { errors: { check: problem }, status: 400 });
    return reply.redirect(`/surveys/${survey.id}/translations/${encodeURIComponent(language)}?done=checked`, 303);
  });
}

import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { FeatureDeps } from '../../platform/deps.ts';
import { staff } from '../../platform/access/policy.ts';
import { hasAnyRole, type StaffUser } from '../../platform/access/roles.ts';
import { notFound } from '../../platform/errors.ts';
import { passedByMe } from '../../platform/safeguarding/words.ts';
import { sendCsv } from '../../platform/web/csv.ts';
import { compareSurveys } from './comparison.ts';
import { bySection } from './questions.ts';
import { answerCountsAt, answerIdsOf, questionsAt, responseBreakdowns, surveyAndTotals, surveyOf, textsOf } from './queries.ts';
import { hiddenWords, showRates, summarise, summariseText, surveyShown, textOnResultsPage, textPage } from './results.ts';
import { loadSurvey } from './routes.ts';
import { GROUP_MINIMUM, SURVEY_MINIMUM } from './statistics.ts';
import { SURVEY_READERS } from './access.ts';

const V = 'features/surveys/views';
const readers = staff(SURVEY_READERS);
const pct = (x: number) => Math.round(100 * x);
/** ?page= on the free-text pages: anything not a page number is the first page. */
const PageQuery = z.object({ page: z.coerce.number().int().min(1).max(100_000).catch(1) }).catch({ page: 1 });

/** Results (aggregates only, suppressed below the minimums) and the before → after comparison. */
export function surveyResultsRoutes(app: FastifyInstance, deps: FeatureDeps): void {
  const { db, clock } = deps;

  /**
   * Four reads a page once the figures are kept (kept.ts): the signed-in user, their roles, the survey
   * with its totals (one read; a closed survey's totals are kept), and the pupils' year, SEND and EAL
   * (breakdowns.ts); the answer counts, a sent survey's questions and what the invitations fix are kept
   * under the totals that fix them.
   */
  /**
   * "Pass this to the DSL" beside each of these words a reader can see (features/safeguarding): the
   * link's answer for the words, and when this reader passed them on, by the words.
   */
  async function passesFor(user: StaffUser, schoolId: string, questionId: string, texts: readonly string[]) {
    const ids = await answerIdsOf(db, schoolId, questionId, texts);
    const passed = await passedByMe(
      db,
      user,
      'survey_answer',
      [...ids].map(([words, id]) => ({ id, words })),
    );
    return Object.fromEntries([...ids].map(([words, id]) => [words, { href: `/tell-the-dsl/survey-answers/${id}`, passedAt: passed[id] ?? null }]));
  }

  app.get('/surveys/:surveyId/results', { config: { policy: readers } }, async (request, reply) => {
    const user = request.user as StaffUser;
    const found = await surveyAndTotals(db, user.schoolId, (request.params as { surveyId: string }).surveyId, clock());
    if (!found) throw notFound();
    const { survey, totals } = found;
    const [questions, counts, breakdowns] = await Promise.all([questionsAt(db, survey), answerCountsAt(db, survey.school_id, survey.id, totals.responses), responseBreakdowns(db, survey, totals)]);
    const shown = surveyShown(totals.responses);
    const head = hasAnyRole(user, ['head']);
    const anonymous = survey.anonymous === 1;
    const none = new Map<string, number>();
    const results = await Promise.all(
      questions.map(async (q) => {
        const asked = counts.get(q.id) ?? none;
        const text = q.kind === 'short_text' || q.kind === 'long_text';
        const r = text ? textOnResultsPage(asked, anonymous, head) : summarise(q.kind, asked, q.options, [], anonymous, head);
        const share = 'share' in r && r.share ? { percent: pct(r.share.estimate), lower: pct(r.share.lower), upper: pct(r.share.upper) } : null;
        return { ...q, result: r, share, passes: shown && r.kind === 'text' && r.texts ? await passesFor(user, survey.school_id, q.id, r.texts) : null };
      }),
    );
    return reply.page(`${V}/results.njk`, {
      title: `Results: ${survey.title}`,
      survey,
      totals,
      rate: totals.invited ? Math.round((100 * totals.answered) / totals.invited) : 0,
      shown,
      minimum: SURVEY_MINIMUM,
      groupMinimum: GROUP_MINIMUM,
      sections: bySection(results),
      breakdowns: breakdowns.map((b) => ({
        name: b.name,
        groups: showRates(b.groups).map((g) => ({ ...g, hiddenText: g.invited === 0 ? 'No one in this group' : g.hidden ? hiddenWords(g.hidden) : null })),
      })),
      backLink: `/surveys/${survey.id}`,
    });
  });

  /** What people wrote to one free-text question, 50 a page, under the same rules as the results page (results.ts summariseText). */
  app.get('/surveys/:surveyId/answers/:questionId', { config: { policy: readers } }, async (request, reply) => {
    const user = request.user as StaffUser;
    const { surveyId, questionId } = request.params as { surveyId: string; questionId: string };
    const found = await surveyAndTotals(db, user.schoolId, surveyId, clock());
    if (!found) throw notFound();
    const { survey, totals } = found;
    const question = (await questionsAt(db, survey)).find((q) => q.id === questionId && (q.kind === 'short_text' || q.kind === 'long_text'));
    if (!question) throw notFound();
    const shown = surveyShown(totals.responses);
    const texts = shown ? textsOf((await answerCountsAt(db, survey.school_id, survey.id, totals.responses)).get(question.id)) : [];
    const result = summariseText(texts, survey.anonymous === 1, hasAnyRole(user, ['head']));
    const base = `/surveys/${survey.id}/answers/${question.id}`;
    const page = result.kind === 'text' && result.texts ? textPage(result.texts, PageQuery.parse(request.query).page, (n) => `${base}?page=${n}`) : null;
    return reply.page(`${V}/answers.njk`, {
      title: `What people wrote: ${question.text}`,
      survey,
      question,
      shown,
      minimum: SURVEY_MINIMUM,
      result,
      page,
      passes: page ? await passesFor(user, survey.school_id, question.id, page.texts) : null,
      backLink: `/surveys/${survey.id}/results`,
    });
  });

  async function comparison(request: Parameters<typeof loadSurvey>[1]) {
    const survey = await loadSurvey(deps, request);
    if (!survey.baseline_id) throw notFound();
    const baseline = await surveyOf(db, survey.school_id, survey.baseline_id);
    if (!baseline) throw notFound();
    return { survey, baseline, rows: await compareSurveys(db, baseline, survey) };
  }

  app.get('/surveys/:surveyId/comparison', { config: { policy: readers } }, async (request, reply) => {
    const { survey, baseline, rows } = await comparison(request);
    return reply.page(`${V}/comparison.njk`, { title: `Before and after: ${survey.title}`, survey, baseline, rows, minimum: SURVEY_MINIMUM, backLink: `/surveys/${survey.id}` });
  });

  app.get('/surveys/:surveyId/comparison.csv', { config: { policy: readers } }, async (request, reply) => {
    const { survey, baseline, rows } = await comparison(request);
    return sendCsv(
      reply,
      `before-after ${survey.title}`,
      [
        'Statement',
        `Before (${baseline.title}) % agree`,
        'Before: agreed',
        'Before: gave a view',
        'After % agree',
        'After: agreed',
        'After: gave a view',
        'Change (points)',
        'Lower 95%',
        'Upper 95%',
        'What it means',
        'Paired',
      ],
      rows.map((r) => [
        r.text,
        r.before.percent,
        r.before.agreeing,
        r.before.gaveView,
        r.after.percent,
        r.after.agreeing,
        r.after.gaveView,
        r.points,
        r.lower,
        r.upper,
        r.change.words,
        r.change.paired ? 'yes' : 'no',
      ]),
    );
  });
}

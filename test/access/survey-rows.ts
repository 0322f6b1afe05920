import { addQuestion, createSurvey } from '../../src/features/surveys/commands.ts';
import { openSurvey } from '../../src/features/surveys/invite.ts';
import { newId } from '../../src/platform/ids.ts';
import type { TestApp } from '../support/app.ts';
import { EVERYONE, mine, perPerson, type FeatureRows, type Row, type Who } from './types.ts';

/**
 * Surveys: the head, senior leaders and the office build, send and key in answers; governors also
 * read results and before → after; translations as messages (with the family liaison officer).
 * Everyone answers through a link of their own (the token is the key, signed in or not).
 */
const MANAGERS: Who[] = ['head', 'senior_leader', 'office'];
const READERS: Who[] = [...MANAGERS, 'governor'];
const TRANSLATORS: Who[] = [...MANAGERS, 'family_liaison'];
const ANSWERERS: Who[] = [...EVERYONE, 'other_head', 'other_carer'];

const survey = (path: string, allowed: Who[], key = 'open'): Row => ({ allowed, url: (_f, ids) => `/surveys/${ids[key]}${path}` });

export const surveyRows: FeatureRows = {
  rows: {
    'GET /surveys': { allowed: READERS, url: () => '/surveys' },
    'GET /surveys/new': { allowed: MANAGERS, url: () => '/surveys/new' },
    'POST /surveys': { allowed: MANAGERS, url: () => '/surveys', form: (_f, _ids, who) => ({ title: `A survey by ${who}`, anonymous: 'yes', audience_kind: 'school', template: 'pupils' }) },
    'GET /surveys/:surveyId': survey('', READERS),
    'POST /surveys/:surveyId/questions': { ...survey('/questions', MANAGERS, 'draft'), form: (_f, _ids, who) => ({ kind: 'yes_no', text: `Asked by ${who}?`, required: 'yes' }) },
    'POST /surveys/:surveyId/questions/:questionId/remove': {
      allowed: MANAGERS,
      url: (_f, ids, who) => `/surveys/${ids.draft}/questions/${mine(ids, 'question', who)}/remove`,
      form: () => ({}),
    },
    'POST /surveys/:surveyId/anonymity': { ...survey('/anonymity', MANAGERS, 'draft'), form: () => ({ anonymous: 'yes' }) },
    'GET /surveys/:surveyId/preview': survey('/preview', READERS, 'draft'),
    'POST /surveys/:surveyId/send': { allowed: MANAGERS, url: (_f, ids, who) => `/surveys/${mine(ids, 'sendable', who)}/send`, form: () => ({}) },
    'POST /surveys/:surveyId/remind': { allowed: MANAGERS, url: (_f, ids, who) => `/surveys/${mine(ids, 'remindable', who)}/remind`, form: () => ({}) },
    'POST /surveys/:surveyId/close': { allowed: MANAGERS, url: (_f, ids, who) => `/surveys/${mine(ids, 'closable', who)}/close`, form: () => ({}) },
    'GET /surveys/:surveyId/paper': survey('/paper', MANAGERS),
    'POST /surveys/:surveyId/paper': { ...survey('/paper', MANAGERS), form: () => ({ via: 'paper' }) },
    'POST /surveys/:surveyId/returned': { ...survey('/returned', MANAGERS), form: (_f, ids, who) => ({ returned: mine(ids, 'returnable', who), via: 'phone' }) },
    'GET /surveys/:surveyId/results': survey('/results', READERS),
    'GET /surveys/:surveyId/answers/:questionId': { allowed: READERS, url: (_f, ids) => `/surveys/${ids.withText}/answers/${ids.textQuestion}` },
    // "Pass this to the DSL" beside what a family wrote (features/safeguarding): whoever reads it on the results page (a named survey with enough answers).
    'GET /tell-the-dsl/survey-answers/:answerId': { allowed: READERS, url: (_f, ids) => `/tell-the-dsl/survey-answers/${ids.writtenAnswer}` },
    'POST /tell-the-dsl/survey-answers/:answerId': {
      allowed: READERS,
      url: (_f, ids) => `/tell-the-dsl/survey-answers/${ids.writtenAnswer}`,
      form: (_f, _ids, who) => ({ form_id: newId(), pupil: 'someone-else', what: `A family wrote about home (${who})`, happened_on: '20/11/2026' }),
    },
    'GET /surveys/:surveyId/comparison': survey('/comparison', READERS, 'followUp'),
    'GET /surveys/:surveyId/comparison.csv': survey('/comparison.csv', READERS, 'followUp'),
    'GET /surveys/:surveyId/translations/:language': survey('/translations/Polish', TRANSLATORS, 'translatable'),
    'POST /surveys/:surveyId/translations/:language': {
      ...survey('/translations/Polish', TRANSLATORS, 'translatable'),
      form: (_f, ids, who) => ({ [`text_${ids.translatableQuestion}`]: `Pytanie od ${who}?` }),
    },
    'POST /surveys/:surveyId/translations/:language/check': {
      allowed: TRANSLATORS,
      url: (_f, ids, who) => `/surveys/${mine(ids, 'checkable', who)}/translations/Polish/check`,
      form: () => ({}),
    },
    'GET /my-surveys': { allowed: ['carer'], url: () => '/my-surveys' },
    'GET /s/:token': { allowed: EVERYONE, url: (_f, ids) => `/s/${ids['surveyLink.carer']}` },
    'POST /s/:token': { allowed: EVERYONE, url: (_f, ids, who) => `/s/${mine(ids, 'surveyLink', who)}`, form: () => ({}) },
  },
  async setup(t: TestApp) {
    const school = t.fx.school.id;
    const head = { kind: 'staff' as const, id: t.fx.staff.head, schoolId: school };
    const ctx = { baseUrl: 'http://gatepost.test', schoolName: 'Brookfield', today: new Date().toISOString().slice(0, 10), now: new Date() };
    /** A survey of the whole school's families with one optional question: an empty form is a valid answer. */
    const make = async (title: string, open: boolean, baselineId: string | null = null) => {
      const id = await createSurvey(t.db, head, school, { title, intro: '', anonymous: true, audience: { kind: 'carers', audience: { kind: 'school' } }, template: null, baselineId }, new Date());
      const question = await addQuestion(
        t.db,
        head,
        school,
        id,
        { section: '', kind: 'agree', text: `${title}: we listen`, options: [], required: false, templateQuestion: 'matrix.listen' },
        new Date(),
      );
      if (open) await openSurvey(t.db, head, school, id, ctx);
      return { id, question };
    };
    const invitations = async (surveyId: string) => (await t.db.selectFrom('survey_invitations').select(['id', 'token']).where('survey_id', '=', surveyId).orderBy('id').execute()).map((i) => i);

    const open = await make('Open survey', true);
    const draft = await make('Draft survey', false);
    const followUp = await make('Follow-up survey', true, open.id);
    const translatable = await make('To translate', false);
    const openInvitations = await invitations(open.id);
    const withText = await createSurvey(
      t.db,
      head,
      school,
      { title: 'With free text', intro: '', anonymous: true, audience: { kind: 'carers', audience: { kind: 'school' } }, template: null, baselineId: null },
      new Date(),
    );
    const textQuestion = await addQuestion(t.db, head, school, withText, { section: '', kind: 'long_text', text: 'Anything else?', options: [], required: false }, new Date());
    await openSurvey(t.db, head, school, withText, ctx);
    // A named survey that ten families answered, each writing something: its results show what they wrote.
    const named = await createSurvey(
      t.db,
      head,
      school,
      { title: 'Named, with free text', intro: '', anonymous: false, audience: { kind: 'carers', audience: { kind: 'school' } }, template: null, baselineId: null },
      new Date(),
    );
    const namedQuestion = await addQuestion(t.db, head, school, named, { section: '', kind: 'long_text', text: 'Anything else?', options: [], required: false }, new Date());
    await openSurvey(t.db, head, school, named, ctx);
    const namedInvitations = await invitations(named);
    let writtenAnswer = '';
    for (let i = 0; i < 10; i++) {
      const response = newId();
      await t.db
        .insertInto('survey_responses')
        .values({ id: response, school_id: school, survey_id: named, invitation_id: namedInvitations[i]?.id ?? null, via: 'online', submitted_on: ctx.today })
        .execute();
      const answer = newId();
      await t.db
        .insertInto('survey_answers')
        .values({ id: answer, school_id: school, survey_id: named, response_id: response, question_id: namedQuestion, value: `Family ${i} wrote this` })
        .execute();
      if (i === 0) writtenAnswer = answer;
    }
    let next = 0;
    const ids: Record<string, string> = {
      writtenAnswer,
      withText,
      textQuestion,
      open: open.id,
      draft: draft.id,
      followUp: followUp.id,
      translatable: translatable.id,
      translatableQuestion: translatable.question,
    };
    Object.assign(
      ids,
      await perPerson('question', MANAGERS, async (who) =>
        addQuestion(t.db, head, school, draft.id, { section: '', kind: 'yes_no', text: `To remove by ${who}`, options: [], required: false }, new Date()),
      ),
      await perPerson('sendable', MANAGERS, async (who) => (await make(`To send by ${who}`, false)).id),
      await perPerson('remindable', MANAGERS, async (who) => (await make(`To remind by ${who}`, true)).id),
      await perPerson('closable', MANAGERS, async (who) => (await make(`To close by ${who}`, true)).id),
      await perPerson('returnable', MANAGERS, async () => openInvitations[next++]!.id),
      await perPerson('checkable', TRANSLATORS, async (who) => {
        const s = await make(`To check by ${who}`, false);
        const now = new Date().toISOString();
        await t.db
          .insertInto('survey_question_translations')
          .values({
            id: newId(),
            school_id: school,
            survey_id: s.id,
            question_id: s.question,
            language: 'Polish',
            text: 'Słuchamy',
            options_json: '[]',
            source: 'person',
            status: 'written',
            written_by: t.fx.staff.senco,
            checked_by: null,
            updated_at: now,
          })
          .execute();
        return s.id;
      }),
      await perPerson('surveyLink', ANSWERERS, async (who) => (await invitations((await make(`To answer by ${who}`, true)).id))[0]!.token),
    );
    return ids;
  },
};

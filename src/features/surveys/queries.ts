import type { Kysely } from 'kysely';
import { prepared } from '../../db/prepared.ts';
import type { Database, SurveyInvitationTable, SurveyTable } from '../../db/schema.ts';
import { keep, keepValue, keptValue } from './kept.ts';
import { optionsOf, type Question } from './questions.ts';

export { responseBreakdowns, type Breakdown } from './breakdowns.ts';

type Db = Kysely<Database>;

export async function surveyOf(db: Db, schoolId: string, surveyId: string): Promise<SurveyTable | undefined> {
  return db.selectFrom('surveys').selectAll().where('id', '=', surveyId).where('school_id', '=', schoolId).executeTakeFirst();
}

export async function listSurveys(db: Db, schoolId: string) {
  const surveys = await db.selectFrom('surveys').selectAll().where('school_id', '=', schoolId).orderBy('created_at', 'desc').execute();
  const counts = await db
    .selectFrom('survey_invitations')
    .select(['survey_id', (eb) => eb.fn.countAll<number | string>().as('invited'), (eb) => eb.fn.count<number | string>('answered_on').as('answered')])
    .where('school_id', '=', schoolId)
    .groupBy('survey_id')
    .execute();
  const bySurvey = new Map(counts.map((c) => [c.survey_id, { invited: Number(c.invited), answered: Number(c.answered) }]));
  return surveys.map((s) => ({ ...s, ...(bySurvey.get(s.id) ?? { invited: 0, answered: 0 }) }));
}

export async function questionsOf(db: Db, surveyId: string): Promise<Question[]> {
  const rows = await db.selectFrom('survey_questions').selectAll().where('survey_id', '=', surveyId).orderBy('position').execute();
  return rows.map((r) => ({ id: r.id, section: r.section, kind: r.kind, text: r.text, options: optionsOf(r.options_json), required: r.required === 1, template_question: r.template_question }));
}

/**
 * The questions as a results page reads them: a sent survey's questions never change (commands.ts
 * draftOf), so they are kept once it is sent; a draft's are read afresh.
 */
export function questionsAt(db: Db, survey: SurveyTable): Promise<Question[]> {
  if (survey.status === 'draft') return questionsOf(db, survey.id);
  return keep(db, `questions/${survey.school_id}/${survey.id}`, 'sent', () => questionsOf(db, survey.id));
}

/** The questions in a language: the checked (or machine) translation where there is one, else English. */
export async function questionsIn(db: Db, surveyId: string, language: string): Promise<{ questions: (Question & { translated: boolean; machine: boolean })[] }> {
  const questions = await questionsOf(db, surveyId);
  const translations = await db
    .selectFrom('survey_question_translations')
    .select(['question_id', 'text', 'options_json', 'source', 'status'])
    .where('survey_id', '=', surveyId)
    .where('language', '=', language)
    .where('status', '!=', 'requested')
    .execute();
  const byQuestion = new Map(translations.filter((t) => t.text.trim() !== '').map((t) => [t.question_id, t]));
  return {
    questions: questions.map((q) => {
      const t = byQuestion.get(q.id);
      if (!t) return { ...q, translated: false, machine: false };
      const options = optionsOf(t.options_json);
      return { ...q, text: t.text, options: options.length === q.options.length ? options : q.options, translated: true, machine: t.source === 'machine' && t.status !== 'checked' };
    }),
  };
}

export async function invitationByToken(db: Db, token: string): Promise<SurveyInvitationTable | undefined> {
  if (token.length > 100) return undefined;
  return db.selectFrom('survey_invitations').selectAll().where('token', '=', token).executeTakeFirst();
}

/** A signed-in carer's surveys: open ones first, with whether they have answered. */
export async function surveysOfCarer(db: Db, carerId: string) {
  return surveysOfCarerStatement(db, carerId).execute();
}

/** Found by the carer (index survey_invitations_carer, migration 0042), not by reading every invitation of every survey. */
export function surveysOfCarerStatement(db: Db, carerId: string) {
  return db
    .selectFrom('survey_invitations')
    .innerJoin('surveys', 'surveys.id', 'survey_invitations.survey_id')
    .select(['surveys.id', 'surveys.title', 'surveys.status', 'surveys.opened_at', 'survey_invitations.token', 'survey_invitations.answered_on'])
    .where('survey_invitations.carer_id', '=', carerId)
    .where('surveys.status', '!=', 'draft')
    .orderBy('surveys.opened_at', 'desc');
}

/**
 * How many gave each answer to each of the survey's questions: one GROUP BY for all of them, read
 * from the index survey_answers_survey alone (0025). Free text is counted the same way, the same
 * words together; `textsOf` turns those counts back into what people wrote (never who wrote it).
 */
export async function answerCounts(db: Db, schoolId: string, surveyId: string): Promise<Map<string, Map<string, number>>> {
  const rows = await db
    .selectFrom('survey_answers')
    .select(['question_id', 'value', (eb) => eb.fn.countAll<number | string>().as('n')])
    .where('school_id', '=', schoolId)
    .where('survey_id', '=', surveyId)
    .groupBy(['question_id', 'value'])
    .execute();
  const out = new Map<string, Map<string, number>>();
  for (const r of rows) {
    const m = out.get(r.question_id) ?? new Map<string, number>();
    m.set(r.value, Number(r.n));
    out.set(r.question_id, m);
  }
  return out;
}

/**
 * Answers are only ever added, a response and all its answers in one transaction, so a survey's
 * counts are fixed by how many responses it has: they are kept under that number for as long as it
 * holds (one more response and they are counted afresh).
 */
export function answerCountsAt(db: Db, schoolId: string, surveyId: string, responses: number): Promise<Map<string, Map<string, number>>> {
  return keep(db, `counts/${schoolId}/${surveyId}`, String(responses), () => answerCounts(db, schoolId, surveyId));
}

/** What people wrote to one free-text question, from its counts: each answer once per person who wrote it. */
export function textsOf(counts: ReadonlyMap<string, number> | undefined): string[] {
  const texts: string[] = [];
  for (const [value, n] of counts ?? []) for (let i = 0; i < n; i++) texts.push(value);
  return texts;
}

export async function responseTotals(db: Db, schoolId: string, surveyId: string): Promise<{ invited: number; answered: number; responses: number; paper: number; phone: number }> {
  const inv = await db
    .selectFrom('survey_invitations')
    .select([(eb) => eb.fn.countAll<number | string>().as('invited'), (eb) => eb.fn.count<number | string>('answered_on').as('answered')])
    .where('school_id', '=', schoolId)
    .where('survey_id', '=', surveyId)
    .executeTakeFirst();
  const resp = await db
    .selectFrom('survey_responses')
    .select(['via', (eb) => eb.fn.countAll<number | string>().as('n')])
    .where('school_id', '=', schoolId)
    .where('survey_id', '=', surveyId)
    .groupBy('via')
    .execute();
  const via = new Map(resp.map((r) => [r.via, Number(r.n)]));
  return {
    invited: Number(inv?.invited ?? 0),
    answered: Number(inv?.answered ?? 0),
    responses: [...via.values()].reduce((a, b) => a + b, 0),
    paper: via.get('paper') ?? 0,
    phone: via.get('phone') ?? 0,
  };
}

export type Totals = { invited: number; answered: number; responses: number; paper: number; phone: number };

/**
 * A survey and its totals in one read (the results page's first): who was asked and answered, from
 * the covering index survey_invitations_answered, and the responses, all and on paper or by phone
 * (each a count of a range of survey_responses_via, 0025). Compiled once (prepared.ts).
 */
const surveyWithTotals = prepared(['schoolId', 'surveyId'], (db, v) => {
  const invitations = db
    .selectFrom('survey_invitations')
    .select([(eb) => eb.fn.countAll<number | string>().as('invited'), (eb) => eb.fn.count<number | string>('answered_on').as('answered')])
    .where('school_id', '=', v.schoolId)
    .where('survey_id', '=', v.surveyId);
  const responses = (via?: 'paper' | 'phone') => {
    const all = db
      .selectFrom('survey_responses')
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .where('school_id', '=', v.schoolId)
      .where('survey_id', '=', v.surveyId);
    return via ? all.where('via', '=', via) : all;
  };
  return db
    .selectFrom('surveys')
    .innerJoin(invitations.as('inv'), (join) => join.onTrue())
    .selectAll('surveys')
    .select(['inv.invited', 'inv.answered', responses().as('responses'), responses('paper').as('paper'), responses('phone').as('phone')])
    .where('surveys.id', '=', v.surveyId)
    .where('surveys.school_id', '=', v.schoolId);
});

const surveyAlone = prepared(['schoolId', 'surveyId'], (db, v) => db.selectFrom('surveys').selectAll().where('id', '=', v.surveyId).where('school_id', '=', v.schoolId));

/** A closed survey's totals are kept once it has been closed a minute (an answer begun before it closed has been stored by then). */
const SETTLED_MS = 60_000;

/**
 * A survey and its totals. A closed survey takes no more answers (answer.ts) and sends no more
 * reminders, and nothing reopens it: its totals are fixed once it has settled, so they are kept under
 * its closing time and only the survey is read (still closed, at the same time) on later pages.
 */
export async function surveyAndTotals(db: Db, schoolId: string, surveyId: string, now: Date): Promise<{ survey: SurveyTable; totals: Totals } | undefined> {
  const key = `closed-totals/${schoolId}/${surveyId}`;
  const kept = keptValue<Totals>(db, key);
  if (kept) {
    const [survey] = await surveyAlone(db, { schoolId, surveyId });
    if (!survey) return undefined;
    if (survey.status === 'closed' && survey.closed_at === kept.version) return { survey, totals: kept.value };
  }
  const [row] = await surveyWithTotals(db, { schoolId, surveyId });
  if (!row) return undefined;
  const { invited, answered, responses, paper, phone, ...survey } = row;
  const totals = { invited: Number(invited), answered: Number(answered), responses: Number(responses), paper: Number(paper ?? 0), phone: Number(phone ?? 0) };
  if (survey.status === 'closed' && survey.closed_at && now.getTime() - Date.parse(survey.closed_at) > SETTLED_MS) keepValue(db, key, survey.closed_at, totals);
  return { survey, totals };
}

/**
 * For "Pass this to the DSL" beside what people wrote: one stored answer for each of these words to a
 * question (the first, when several people wrote the same). The words on a page, at most a page's 50.
 */
export async function answerIdsOf(db: Db, schoolId: string, questionId: string, texts: readonly string[]): Promise<Map<string, string>> {
  const values = [...new Set(texts)];
  if (values.length === 0) return new Map();
  const rows = await db
    .selectFrom('survey_answers')
    .select(['value', (eb) => eb.fn.min('id').as('id')])
    .where('school_id', '=', schoolId)
    .where('question_id', '=', questionId)
    .where('value', 'in', values)
    .groupBy('value')
    .execute();
  return new Map(rows.map((r) => [r.value, String(r.id)]));
}

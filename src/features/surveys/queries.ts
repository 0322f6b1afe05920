import type { Kysely } from 'kysely';
import type { Database, SurveyInvitationTable, SurveyTable, YearGroup } from '../../db/schema.ts';
import { carersWhoReadNothing } from '../messages/index.ts';
import { YEAR_GROUP_LABELS } from '../people/index.ts';
import { optionsOf, type Question } from './questions.ts';
import type { GroupRate } from './results.ts';

type Db = Kysely<Database>;
const CHUNK = 900;

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
  return db
    .selectFrom('survey_invitations')
    .innerJoin('surveys', 'surveys.id', 'survey_invitations.survey_id')
    .select(['surveys.id', 'surveys.title', 'surveys.status', 'surveys.opened_at', 'survey_invitations.token', 'survey_invitations.answered_on'])
    .where('survey_invitations.carer_id', '=', carerId)
    .where('surveys.status', '!=', 'draft')
    .orderBy('surveys.opened_at', 'desc')
    .execute();
}

/** How many answered each non-text question with each value. */
export async function answerCounts(db: Db, surveyId: string): Promise<Map<string, Map<string, number>>> {
  const rows = await db
    .selectFrom('survey_answers')
    .innerJoin('survey_questions', 'survey_questions.id', 'survey_answers.question_id')
    .select(['survey_answers.question_id', 'survey_answers.value', (eb) => eb.fn.countAll<number | string>().as('n')])
    .where('survey_answers.survey_id', '=', surveyId)
    .where('survey_questions.kind', 'not in', ['short_text', 'long_text'])
    .groupBy(['survey_answers.question_id', 'survey_answers.value'])
    .execute();
  const out = new Map<string, Map<string, number>>();
  for (const r of rows) {
    const m = out.get(r.question_id) ?? new Map<string, number>();
    m.set(r.value, Number(r.n));
    out.set(r.question_id, m);
  }
  return out;
}

/** What people wrote, per question (never who wrote it). */
export async function textAnswers(db: Db, surveyId: string): Promise<Map<string, string[]>> {
  const rows = await db
    .selectFrom('survey_answers')
    .innerJoin('survey_questions', 'survey_questions.id', 'survey_answers.question_id')
    .select(['survey_answers.question_id', 'survey_answers.value'])
    .where('survey_answers.survey_id', '=', surveyId)
    .where('survey_questions.kind', 'in', ['short_text', 'long_text'])
    .execute();
  const out = new Map<string, string[]>();
  for (const r of rows) out.set(r.question_id, [...(out.get(r.question_id) ?? []), r.value]);
  return out;
}

export async function responseTotals(db: Db, surveyId: string): Promise<{ invited: number; answered: number; responses: number; paper: number; phone: number }> {
  const inv = await db
    .selectFrom('survey_invitations')
    .select([(eb) => eb.fn.countAll<number | string>().as('invited'), (eb) => eb.fn.count<number | string>('answered_on').as('answered')])
    .where('survey_id', '=', surveyId)
    .executeTakeFirst();
  const resp = await db
    .selectFrom('survey_responses')
    .select(['via', (eb) => eb.fn.countAll<number | string>().as('n')])
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

export type Breakdown = { name: string; groups: GroupRate[] };
/** "Last term" for reach: the 14 weeks before the survey was sent. */
const TERM_MS = 14 * 7 * 24 * 3600 * 1000;

/**
 * Response rate by group, from the invitations (who was asked and whether they answered): year
 * (of the youngest child asked about), language, SEND, EAL, paper-only families, and families who
 * read none of the messages sent to them in the term before. Each breakdown splits the people asked.
 */
export async function responseBreakdowns(db: Db, survey: SurveyTable): Promise<Breakdown[]> {
  const invitations = await db.selectFrom('survey_invitations').select(['carer_id', 'pupil_ids', 'language', 'channels', 'answered_on']).where('survey_id', '=', survey.id).execute();
  if (survey.audience_kind !== 'carers' || invitations.length === 0) return [];
  const pupilIds = [...new Set(invitations.flatMap((i) => i.pupil_ids.split(',').filter(Boolean)))];
  const pupils = new Map<string, { year_group: YearGroup; send_status: string; eal: number; date_of_birth: string }>();
  for (let i = 0; i < pupilIds.length; i += CHUNK) {
    const rows = await db
      .selectFrom('pupils')
      .select(['id', 'year_group', 'send_status', 'eal', 'date_of_birth'])
      .where('id', 'in', pupilIds.slice(i, i + CHUNK))
      .execute();
    for (const r of rows) pupils.set(r.id, r);
  }
  const opened = survey.opened_at ? new Date(survey.opened_at) : new Date();
  const readNothing = await carersWhoReadNothing(db, survey.school_id, invitations.map((i) => i.carer_id!).filter(Boolean), new Date(opened.getTime() - TERM_MS).toISOString(), opened.toISOString());
  const tally = (name: string, groupOf: (i: (typeof invitations)[number]) => { key: string; label: string }): Breakdown => {
    const groups = new Map<string, GroupRate>();
    for (const i of invitations) {
      const g = groupOf(i);
      const row = groups.get(g.key) ?? { key: g.key, label: g.label, invited: 0, answered: 0 };
      row.invited += 1;
      if (i.answered_on) row.answered += 1;
      groups.set(g.key, row);
    }
    return { name, groups: [...groups.values()].sort((a, b) => a.label.localeCompare(b.label)) };
  };
  const children = (i: (typeof invitations)[number]) =>
    i.pupil_ids
      .split(',')
      .map((id) => pupils.get(id))
      .filter((p): p is NonNullable<typeof p> => !!p);
  const yesNo = (yes: boolean, yesLabel: string, noLabel: string) => (yes ? { key: 'yes', label: yesLabel } : { key: 'no', label: noLabel });
  return [
    tally('Year group (youngest child)', (i) => {
      const youngest = children(i).sort((a, b) => b.date_of_birth.localeCompare(a.date_of_birth))[0];
      return youngest ? { key: youngest.year_group, label: YEAR_GROUP_LABELS[youngest.year_group] } : { key: 'none', label: 'No child recorded' };
    }),
    tally('Language', (i) => ({ key: i.language, label: i.language })),
    tally('Special educational needs (SEND)', (i) =>
      yesNo(
        children(i).some((p) => p.send_status !== 'none'),
        'A child with SEND',
        'No child with SEND',
      ),
    ),
    tally('English as an additional language (EAL)', (i) =>
      yesNo(
        children(i).some((p) => p.eal === 1),
        'A child with EAL',
        'No child with EAL',
      ),
    ),
    tally('Paper-only families', (i) => yesNo(i.channels === 'paper', 'Reached on paper only', 'Reached otherwise')),
    tally('Read nothing last term', (i) => yesNo(!!i.carer_id && readNothing.has(i.carer_id), 'Read none of last term’s messages', 'Read something, or were sent nothing')),
  ];
}

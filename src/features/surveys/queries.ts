import type { Kysely } from 'kysely';
import type { Database, SurveyInvitationTable, SurveyTable } from '../../db/schema.ts';
import { carersWhoReadNothing } from '../messages/index.ts';
import { YEAR_GROUP_LABELS } from '../people/index.ts';
import { optionsOf, type Question } from './questions.ts';
import type { GroupRate } from './results.ts';

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
 * The last few results pages' figures, kept in memory (per database) under a version that changes
 * whenever they would: a kept value is never out of date, only counted again less often.
 */
const KEPT = 48;
const keptByDb = new WeakMap<Db, Map<string, { version: string; value: unknown }>>();

async function keep<T>(db: Db, key: string, version: string, compute: () => Promise<T>): Promise<T> {
  const kept = keptByDb.get(db) ?? new Map<string, { version: string; value: unknown }>();
  keptByDb.set(db, kept);
  const hit = kept.get(key);
  kept.delete(key);
  const value = hit && hit.version === version ? (hit.value as T) : await compute();
  kept.set(key, { version, value });
  while (kept.size > KEPT) kept.delete(kept.keys().next().value!);
  return value;
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

export type Breakdown = { name: string; groups: GroupRate[] };
/** "Last term" for reach: the 14 weeks before the survey was sent. */
const TERM_MS = 14 * 7 * 24 * 3600 * 1000;

type Kind = { pupil_ids: string; language: string; channels: string; invited: number; answered: number };
type Invited = { kinds: Kind[]; carers: { carer_id: string; answered: boolean }[] };

/**
 * Who was asked and who answered, from the invitations, grouped by children, language and channels
 * (one row per family and language, not one per person asked), and the carers asked. Invitations are
 * written once, when the survey is sent, and only ever marked answered: these are fixed by how many
 * were asked and how many answered, and kept under those two numbers.
 */
function invitedAt(db: Db, survey: SurveyTable, totals: { invited: number; answered: number }): Promise<Invited> {
  return keep(db, `invited/${survey.school_id}/${survey.id}`, `${totals.invited}/${totals.answered}`, async () => {
    const invitations = db.selectFrom('survey_invitations').where('school_id', '=', survey.school_id).where('survey_id', '=', survey.id);
    const [kinds, carers] = await Promise.all([
      invitations
        .select(['pupil_ids', 'language', 'channels', (eb) => eb.fn.countAll<number | string>().as('invited'), (eb) => eb.fn.count<number | string>('answered_on').as('answered')])
        .groupBy(['pupil_ids', 'language', 'channels'])
        .execute(),
      invitations.select(['carer_id', 'answered_on']).where('carer_id', 'is not', null).execute(),
    ]);
    return {
      kinds: kinds.map((k) => ({ ...k, invited: Number(k.invited), answered: Number(k.answered) })),
      carers: carers.map((c) => ({ carer_id: c.carer_id!, answered: c.answered_on !== null })),
    };
  });
}

/**
 * The carers asked who had read none of the messages sent to them in the term before the survey went
 * out, as things stood when it went out (a later read does not count: carersWhoReadNothing): fixed
 * once the survey is sent, so kept under how many were asked.
 */
function readNothingAt(db: Db, survey: SurveyTable, carerIds: string[], invited: number): Promise<Set<string>> {
  if (!survey.opened_at) return Promise.resolve(new Set());
  const opened = new Date(survey.opened_at);
  return keep(db, `read-nothing/${survey.school_id}/${survey.id}`, String(invited), () =>
    carersWhoReadNothing(db, survey.school_id, carerIds, new Date(opened.getTime() - TERM_MS).toISOString(), opened.toISOString()),
  );
}

type Key = { key: string; label: string };
function tally(name: string, rows: { key: Key; invited: number; answered: number }[]): Breakdown {
  const groups = new Map<string, GroupRate>();
  for (const r of rows) {
    const row = groups.get(r.key.key) ?? { key: r.key.key, label: r.key.label, invited: 0, answered: 0 };
    row.invited += r.invited;
    row.answered += r.answered;
    groups.set(r.key.key, row);
  }
  return { name, groups: [...groups.values()].sort((a, b) => a.label.localeCompare(b.label)) };
}
const yesNo = (yes: boolean, yesLabel: string, noLabel: string): Key => (yes ? { key: 'yes', label: yesLabel } : { key: 'no', label: noLabel });

/**
 * "Read nothing last term" by who answered: fixed by the invitations (kept under how many were asked
 * and answered) and the carers who had read nothing when the survey went out (readNothingAt).
 */
function readBreakdownAt(db: Db, survey: SurveyTable, totals: { invited: number; answered: number }, { kinds, carers }: Invited): Promise<Breakdown> {
  return keep(db, `read-breakdown/${survey.school_id}/${survey.id}`, `${totals.invited}/${totals.answered}`, async () => {
    const readNothing = await readNothingAt(
      db,
      survey,
      carers.map((c) => c.carer_id),
      totals.invited,
    );
    const key = (nothing: boolean) => yesNo(nothing, 'Read none of last term’s messages', 'Read something, or were sent nothing');
    const rows = carers.map((c) => ({ key: key(readNothing.has(c.carer_id)), invited: 1, answered: c.answered ? 1 : 0 }));
    // Staff are never in a carers' survey; an invitation without a carer counts as "read something, or sent nothing".
    const noCarer = kinds.reduce((n, k) => n + k.invited, 0) - carers.length;
    const noCarerAnswered = kinds.reduce((n, k) => n + k.answered, 0) - carers.filter((c) => c.answered).length;
    if (noCarer > 0) rows.push({ key: key(false), invited: noCarer, answered: noCarerAnswered });
    return tally('Read nothing last term', rows);
  });
}

/**
 * Response rate by group, from the invitations (who was asked and whether they answered): year
 * (of the youngest child asked about), language, SEND, EAL, paper-only families, and families who
 * read none of the messages sent to them in the term before. Each breakdown splits the people asked.
 *
 * Never out of date: the invitations and "read nothing" are kept only under what fixes them
 * (invitedAt, readBreakdownAt); the pupils' year, SEND and EAL are read afresh every time (one row a
 * pupil, five columns, tallied once per distinct family), so a change to a pupil shows on the next page.
 */
export async function responseBreakdowns(db: Db, survey: SurveyTable, totals: { invited: number; answered: number }): Promise<Breakdown[]> {
  if (survey.audience_kind !== 'carers') return [];
  const invited = await invitedAt(db, survey, totals);
  const { kinds } = invited;
  if (kinds.length === 0) return [];
  const [pupilRows, read] = await Promise.all([
    db.selectFrom('pupils').select(['id', 'year_group', 'send_status', 'eal', 'date_of_birth']).where('school_id', '=', survey.school_id).execute(),
    readBreakdownAt(db, survey, totals, invited),
  ]);
  const pupils = new Map(pupilRows.map((p) => [p.id, p]));

  // What each family's children say about it, worked out once per distinct list of children.
  const families = new Map<string, { year: Key; send: Key; eal: Key }>();
  const familyOf = (pupilIds: string) => {
    let f = families.get(pupilIds);
    if (f) return f;
    const children = pupilIds
      .split(',')
      .map((id) => pupils.get(id))
      .filter((p): p is NonNullable<typeof p> => !!p);
    const youngest = [...children].sort((a, b) => b.date_of_birth.localeCompare(a.date_of_birth))[0];
    f = {
      year: youngest ? { key: youngest.year_group, label: YEAR_GROUP_LABELS[youngest.year_group] } : { key: 'none', label: 'No child recorded' },
      send: yesNo(
        children.some((p) => p.send_status !== 'none'),
        'A child with SEND',
        'No child with SEND',
      ),
      eal: yesNo(
        children.some((p) => p.eal === 1),
        'A child with EAL',
        'No child with EAL',
      ),
    };
    families.set(pupilIds, f);
    return f;
  };
  const counted = kinds.map((k) => ({ ...k, family: familyOf(k.pupil_ids) }));
  const by = (keyOf: (k: (typeof counted)[number]) => Key) => counted.map((k) => ({ key: keyOf(k), invited: k.invited, answered: k.answered }));
  return [
    tally(
      'Year group (youngest child)',
      by((k) => k.family.year),
    ),
    tally(
      'Language',
      by((k) => ({ key: k.language, label: k.language })),
    ),
    tally(
      'Special educational needs (SEND)',
      by((k) => k.family.send),
    ),
    tally(
      'English as an additional language (EAL)',
      by((k) => k.family.eal),
    ),
    tally(
      'Paper-only families',
      by((k) => yesNo(k.channels === 'paper', 'Reached on paper only', 'Reached otherwise')),
    ),
    read,
  ];
}

import type { Kysely } from 'kysely';
import type { Database, SurveyTable } from '../../db/schema.ts';
import { describeChange, surveyShown, type Change, type Count, type PairedCounts } from './statistics.ts';
import { AGREE_SCALE } from './questions.ts';
import { questionsOf } from './queries.ts';

type Db = Kysely<Database>;

/**
 * Before → after: every agreement statement a follow-up shares with its baseline (the same template
 * question, or the same words), with % agree before and after, the change in percentage points and
 * its Newcombe 95% interval (paired when both surveys are named and the same people answered both),
 * and the words a governor reads. Suppressed below the survey minimum.
 */
export type Row = {
  text: string;
  before: { agreeing: number; gaveView: number; percent: number | null };
  after: { agreeing: number; gaveView: number; percent: number | null };
  change: Change;
  points: number | null;
  lower: number | null;
  upper: number | null;
  pairs: number;
};

const AGREEING = new Set(['strongly_agree', 'agree']);
const VIEW = new Set(AGREE_SCALE.filter((v) => v !== 'dont_know'));

async function agreeAnswers(db: Db, schoolId: string, surveyId: string, questionIds: string[]) {
  if (questionIds.length === 0) return [];
  return db
    .selectFrom('survey_answers')
    .innerJoin('survey_responses', 'survey_responses.id', 'survey_answers.response_id')
    .leftJoin('survey_invitations', 'survey_invitations.id', 'survey_responses.invitation_id')
    .select(['survey_answers.question_id', 'survey_answers.value', 'survey_invitations.carer_id', 'survey_invitations.staff_id'])
    .where('survey_answers.school_id', '=', schoolId)
    .where('survey_answers.survey_id', '=', surveyId)
    .where('survey_answers.question_id', 'in', questionIds)
    .execute();
}

function countOf(rows: { value: string }[]): Count {
  const views = rows.filter((r) => VIEW.has(r.value as never));
  return { successes: views.filter((r) => AGREEING.has(r.value)).length, total: views.length };
}

const pct = (c: Count) => (surveyShown(c.total) ? Math.round((100 * c.successes) / c.total) : null);
const points = (x: number | undefined) => (x === undefined ? null : Math.round(100 * x));

export async function compareSurveys(db: Db, baseline: SurveyTable, followUp: SurveyTable): Promise<Row[]> {
  const [beforeQs, afterQs] = await Promise.all([questionsOf(db, baseline.id), questionsOf(db, followUp.id)]);
  const keyOf = (q: { template_question: string | null; text: string }) => q.template_question ?? `text:${q.text.trim().toLowerCase()}`;
  const beforeByKey = new Map(beforeQs.filter((q) => q.kind === 'agree').map((q) => [keyOf(q), q]));
  const shared = afterQs.filter((q) => q.kind === 'agree' && beforeByKey.has(keyOf(q))).map((q) => ({ after: q, before: beforeByKey.get(keyOf(q))! }));
  const [beforeRows, afterRows] = await Promise.all([
    agreeAnswers(
      db,
      baseline.school_id,
      baseline.id,
      shared.map((s) => s.before.id),
    ),
    agreeAnswers(
      db,
      followUp.school_id,
      followUp.id,
      shared.map((s) => s.after.id),
    ),
  ]);
  const named = baseline.anonymous === 0 && followUp.anonymous === 0;
  // Each survey's answers split by question once, not filtered again for every statement.
  const byQuestion = <R extends { question_id: string }>(rows: R[]) => {
    const out = new Map<string, R[]>();
    for (const r of rows) {
      const list = out.get(r.question_id);
      if (list) list.push(r);
      else out.set(r.question_id, [r]);
    }
    return out;
  };
  const beforeOf = byQuestion(beforeRows);
  const afterOf = byQuestion(afterRows);
  return shared.map(({ before, after }) => {
    const b = beforeOf.get(before.id) ?? [];
    const a = afterOf.get(after.id) ?? [];
    const beforeCount = countOf(b);
    const afterCount = countOf(a);
    let pairs: PairedCounts | undefined;
    let pairCount = 0;
    if (named) {
      const person = (r: { carer_id: string | null; staff_id: string | null }) => r.carer_id ?? r.staff_id ?? '';
      const beforeBy = new Map(b.filter((r) => VIEW.has(r.value as never)).map((r) => [person(r), AGREEING.has(r.value)]));
      const p = { both: 0, afterOnly: 0, beforeOnly: 0, neither: 0 };
      for (const r of a.filter((x) => VIEW.has(x.value as never))) {
        const was = beforeBy.get(person(r));
        if (was === undefined) continue;
        const is = AGREEING.has(r.value);
        if (was && is) p.both += 1;
        else if (is) p.afterOnly += 1;
        else if (was) p.beforeOnly += 1;
        else p.neither += 1;
      }
      pairCount = p.both + p.afterOnly + p.beforeOnly + p.neither;
      // Pair only when most of those answering now also answered before; otherwise compare as two samples.
      if (pairCount >= Math.max(10, afterCount.total / 2)) pairs = p;
    }
    const change = describeChange(beforeCount, afterCount, pairs);
    return {
      text: after.text,
      before: { agreeing: beforeCount.successes, gaveView: beforeCount.total, percent: pct(beforeCount) },
      after: { agreeing: afterCount.successes, gaveView: afterCount.total, percent: pct(afterCount) },
      change,
      points: change.difference ? points(change.difference.estimate) : null,
      lower: change.difference ? points(change.difference.lower) : null,
      upper: change.difference ? points(change.difference.upper) : null,
      pairs: pairs ? pairCount : 0,
    };
  });
}

import type { Db } from '../../db/database.ts';
import { hasAnyRole, type StaffUser } from '../../platform/access/roles.ts';
import type { ScopeContext } from '../../platform/access/scope.ts';
import type { PassedWords } from '../../platform/safeguarding/words.ts';
import { SURVEY_READERS } from './access.ts';
import { GROUP_MINIMUM, surveyShown } from './statistics.ts';

/**
 * What a family wrote in answer to a free-text question, for "Pass this to the DSL"
 * (features/safeguarding): a parent can write about home in a survey's box. Found only for those who
 * may read it on the results page, by the same rules (results.ts summariseText): the survey's readers,
 * once the survey has enough answers to be shown; in an anonymous survey the head alone, and only once
 * at least GROUP_MINIMUM people have written something. Otherwise undefined: 404.
 *
 * The person passing it on never learns who wrote it ("A parent or carer"): the results page does not
 * say. In a named survey the report keeps the carer, so the DSL, and only the DSL, can see who; in an
 * anonymous one nobody is kept, as nobody was ever stored.
 */
export async function surveyAnswerForStaff(db: Db, user: StaffUser, _scope: ScopeContext, answerId: string): Promise<PassedWords | undefined> {
  if (!hasAnyRole(user, SURVEY_READERS)) return undefined;
  const a = await db
    .selectFrom('survey_answers as a')
    .innerJoin('survey_questions as q', (j) => j.onRef('q.id', '=', 'a.question_id').onRef('q.survey_id', '=', 'a.survey_id'))
    .innerJoin('surveys as s', (j) => j.onRef('s.id', '=', 'a.survey_id').onRef('s.school_id', '=', 'a.school_id'))
    .innerJoin('survey_responses as r', (j) => j.onRef('r.id', '=', 'a.response_id').onRef('r.school_id', '=', 'a.school_id'))
    .leftJoin('survey_invitations as i', (j) => j.onRef('i.id', '=', 'r.invitation_id').onRef('i.school_id', '=', 'r.school_id'))
    .select(['a.id', 'a.survey_id', 'a.question_id', 'a.value', 'q.kind', 's.anonymous', 'r.submitted_on', 'i.carer_id'])
    .where('a.id', '=', answerId)
    .where('a.school_id', '=', user.schoolId)
    .executeTakeFirst();
  if (!a || (a.kind !== 'short_text' && a.kind !== 'long_text') || !a.value.trim()) return undefined;
  const [responses, written] = await Promise.all([
    db
      .selectFrom('survey_responses')
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .where('school_id', '=', user.schoolId)
      .where('survey_id', '=', a.survey_id)
      .executeTakeFirst(),
    db
      .selectFrom('survey_answers')
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .where('school_id', '=', user.schoolId)
      .where('question_id', '=', a.question_id)
      .where('value', '!=', '')
      .executeTakeFirst(),
  ]);
  if (!surveyShown(Number(responses?.n ?? 0))) return undefined;
  const anonymous = Number(a.anonymous) === 1;
  if (anonymous && (!hasAnyRole(user, ['head']) || Number(written?.n ?? 0) < GROUP_MINIMUM)) return undefined;
  return {
    source: 'survey_answer',
    recordId: a.id,
    meetingId: null,
    pupilId: null,
    words: a.value,
    by: { kind: 'carer', id: anonymous ? null : (a.carer_id ?? null), name: 'A parent or carer' },
    writtenAt: null,
    link: `/surveys/${a.survey_id}/answers/${a.question_id}`,
  };
}

import type { Kysely } from 'kysely';
import type { Database, QuestionKind, SurveyTable } from '../../db/schema.ts';
import { audit, type Actor } from '../../platform/audit/audit.ts';
import { AppError } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import { templateOf } from './templates.ts';
import type { SurveyAudience } from './audience.ts';

type Db = Kysely<Database>;
export type NewSurvey = { title: string; intro: string; anonymous: boolean; audience: SurveyAudience; template: string | null; baselineId: string | null };
export type NewQuestion = { section: string; kind: QuestionKind; text: string; options: string[]; required: boolean; templateQuestion?: string | null };

const staffActor = (actor: Actor) => (actor.kind === 'staff' ? actor.id : null);

/** A new draft survey; from a template, its questions are copied with a link to each template question. */
export async function createSurvey(db: Db, actor: Actor, schoolId: string, input: NewSurvey, now: Date): Promise<string> {
  const createdBy = staffActor(actor);
  if (!createdBy) throw new AppError('bad_request', 'Only staff create surveys');
  const template = input.template ? templateOf(input.template) : undefined;
  if (input.template && !template) throw new AppError('bad_request', 'There is no such template');
  if (template && template.audience !== input.audience.kind) throw new AppError('bad_request', `This template is for ${template.audience === 'staff' ? 'staff' : 'parents and carers'}`);
  const id = newId();
  const at = now.toISOString();
  await db.transaction().execute(async (trx) => {
    if (input.baselineId) {
      const baseline = await trx.selectFrom('surveys').select('id').where('id', '=', input.baselineId).where('school_id', '=', schoolId).executeTakeFirst();
      if (!baseline) throw new AppError('bad_request', 'There is no such survey to follow up');
    }
    await trx
      .insertInto('surveys')
      .values({
        id,
        school_id: schoolId,
        title: input.title,
        intro: input.intro,
        audience_kind: input.audience.kind,
        audience_json: JSON.stringify(input.audience.audience),
        anonymous: input.anonymous ? 1 : 0,
        status: 'draft',
        baseline_id: input.baselineId,
        opened_at: null,
        closed_at: null,
        first_response_on: null,
        reminders_sent: 0,
        created_by: createdBy,
        created_at: at,
        updated_at: at,
      })
      .execute();
    const questions = (template?.questions ?? []).map((q, i) => ({
      id: newId(),
      school_id: schoolId,
      survey_id: id,
      position: i + 1,
      section: q.section,
      kind: q.kind,
      text: q.text,
      options_json: JSON.stringify(q.options ?? []),
      required: q.required ? (1 as const) : (0 as const),
      template_question: q.key,
      created_at: at,
    }));
    if (questions.length) await trx.insertInto('survey_questions').values(questions).execute();
    await audit(
      trx,
      actor,
      {
        schoolId,
        action: 'survey.created',
        entity: 'survey',
        entityId: id,
        after: { title: input.title, anonymous: input.anonymous, audience: input.audience, template: input.template, baseline_id: input.baselineId, questions: questions.length },
      },
      now,
    );
  });
  return id;
}

async function draftOf(trx: Db, schoolId: string, surveyId: string): Promise<SurveyTable> {
  const survey = await trx.selectFrom('surveys').selectAll().where('id', '=', surveyId).where('school_id', '=', schoolId).executeTakeFirst();
  if (!survey) throw new AppError('not_found', 'Page not found');
  if (survey.status !== 'draft') throw new AppError('conflict', 'This survey has been sent, so its questions can no longer change.');
  return survey;
}

export async function addQuestion(db: Db, actor: Actor, schoolId: string, surveyId: string, q: NewQuestion, now: Date): Promise<string> {
  return db.transaction().execute(async (trx) => {
    await draftOf(trx, schoolId, surveyId);
    const last = await trx
      .selectFrom('survey_questions')
      .select((eb) => eb.fn.max('position').as('p'))
      .where('survey_id', '=', surveyId)
      .executeTakeFirst();
    const id = newId();
    const row = {
      id,
      school_id: schoolId,
      survey_id: surveyId,
      position: Number(last?.p ?? 0) + 1,
      section: q.section,
      kind: q.kind,
      text: q.text,
      options_json: JSON.stringify(q.options),
      required: q.required ? (1 as const) : (0 as const),
      template_question: q.templateQuestion ?? null,
      created_at: now.toISOString(),
    };
    await trx.insertInto('survey_questions').values(row).execute();
    await audit(
      trx,
      actor,
      { schoolId, action: 'survey.question_added', entity: 'survey_question', entityId: id, after: { survey_id: surveyId, kind: q.kind, text: q.text, section: q.section, required: q.required } },
      now,
    );
    return id;
  });
}

export async function removeQuestion(db: Db, actor: Actor, schoolId: string, surveyId: string, questionId: string, now: Date): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await draftOf(trx, schoolId, surveyId);
    const q = await trx.selectFrom('survey_questions').selectAll().where('id', '=', questionId).where('survey_id', '=', surveyId).executeTakeFirst();
    if (!q) throw new AppError('not_found', 'Page not found');
    // A draft's question has no answers; its translations go with it.
    await trx.deleteFrom('survey_question_translations').where('question_id', '=', questionId).execute();
    await trx.deleteFrom('survey_questions').where('id', '=', questionId).execute();
    await audit(trx, actor, { schoolId, action: 'survey.question_removed', entity: 'survey_question', entityId: questionId, before: { survey_id: surveyId, kind: q.kind, text: q.text } }, now);
  });
}

/** Anonymous or named: chosen at creation, may change only while nobody has answered (a draft). */
export async function setAnonymity(db: Db, actor: Actor, schoolId: string, surveyId: string, anonymous: boolean, now: Date): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const survey = await trx.selectFrom('surveys').selectAll().where('id', '=', surveyId).where('school_id', '=', schoolId).executeTakeFirst();
    if (!survey) throw new AppError('not_found', 'Page not found');
    const changed = await trx
      .updateTable('surveys')
      .set({ anonymous: anonymous ? 1 : 0, updated_at: now.toISOString() })
      .where('id', '=', surveyId)
      .where('first_response_on', 'is', null)
      .where('status', '=', 'draft')
      .executeTakeFirst();
    if (Number(changed.numUpdatedRows) !== 1) throw new AppError('conflict', 'Whether the survey is anonymous is locked once it has been sent.');
    await audit(trx, actor, { schoolId, action: 'survey.anonymity_set', entity: 'survey', entityId: surveyId, before: { anonymous: survey.anonymous === 1 }, after: { anonymous } }, now);
  });
}

export async function closeSurvey(db: Db, actor: Actor, schoolId: string, surveyId: string, now: Date): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const changed = await trx
      .updateTable('surveys')
      .set({ status: 'closed', closed_at: now.toISOString(), updated_at: now.toISOString() })
      .where('id', '=', surveyId)
      .where('school_id', '=', schoolId)
      .where('status', '=', 'open')
      .executeTakeFirst();
    if (Number(changed.numUpdatedRows) !== 1) throw new AppError('conflict', 'Only an open survey can be closed.');
    await audit(trx, actor, { schoolId, action: 'survey.closed', entity: 'survey', entityId: surveyId, before: { status: 'open' }, after: { status: 'closed' } }, now);
  });
}

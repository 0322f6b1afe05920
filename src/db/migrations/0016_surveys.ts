import { sql, type CreateTableBuilder, type Kysely } from 'kysely';

/**
 * Surveys (issue 15): a survey of carers or staff, its questions (sections, kinds, a link to the
 * template question it was copied from), their translations (written → checked by a second person,
 * as messages), who was invited (one token each), and the answers.
 *
 * Anonymity by construction: survey_invitations says who was asked and whether (and on which day,
 * by which route) they answered; survey_responses and survey_answers say what was answered. In an
 * anonymous survey nothing joins the two: survey_responses.invitation_id is null, its id is random
 * (not time-ordered), it carries a date and never a time, and no audit entry names it.
 *
 * Tenancy as 0008: (school_id, x_id) → parent (school_id, id); closed sets have CHECKs.
 */
const FLAG = sql`in (0, 1)`;
const oneOf = (column: string, values: string[]) => sql.raw(`"${column}" in (${values.map((v) => `'${v}'`).join(', ')})`);
const schoolKeys = (t: CreateTableBuilder<any, any>, table: string, keys: [string, string][]) =>
  keys.reduce((b, [column, parent]) => b.addForeignKeyConstraint(`${table}_${column}_school_fk`, ['school_id', column], parent, ['school_id', 'id']), t);

export const SURVEY_AUDIENCES = ['carers', 'staff'];
export const SURVEY_STATUSES = ['draft', 'open', 'closed'];
export const QUESTION_KINDS = ['agree', 'single', 'multiple', 'yes_no', 'short_text', 'long_text'];
export const ANSWERED_VIA = ['online', 'paper', 'phone'];

export async function up(db: Kysely<any>): Promise<void> {
  const owned = <T extends string>(t: CreateTableBuilder<T, never>) =>
    t.addColumn('id', 'text', (c) => c.primaryKey().notNull()).addColumn('school_id', 'text', (c) => c.notNull().references('schools.id'));

  const surveys = owned(db.schema.createTable('surveys'))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('intro', 'text', (c) => c.notNull())
    .addColumn('audience_kind', 'text', (c) => c.notNull())
    .addColumn('audience_json', 'text', (c) => c.notNull())
    .addColumn('anonymous', 'integer', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('baseline_id', 'text')
    .addColumn('opened_at', 'text')
    .addColumn('closed_at', 'text')
    .addColumn('first_response_on', 'text')
    .addColumn('reminders_sent', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('surveys_school_id_unique', ['school_id', 'id'])
    .addCheckConstraint('surveys_audience_kind_check', oneOf('audience_kind', SURVEY_AUDIENCES))
    .addCheckConstraint('surveys_status_check', oneOf('status', SURVEY_STATUSES))
    .addCheckConstraint('surveys_anonymous_check', sql`"anonymous" ${FLAG}`)
    .addCheckConstraint('surveys_reminders_check', sql`"reminders_sent" between 0 and 2`);
  await schoolKeys(surveys, 'surveys', [
    ['baseline_id', 'surveys'],
    ['created_by', 'staff'],
  ]).execute();
  await db.schema.createIndex('surveys_school_created').on('surveys').columns(['school_id', 'created_at']).execute();

  const questions = owned(db.schema.createTable('survey_questions'))
    .addColumn('survey_id', 'text', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('section', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('options_json', 'text', (c) => c.notNull())
    .addColumn('required', 'integer', (c) => c.notNull())
    .addColumn('template_question', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('survey_questions_school_id_unique', ['school_id', 'id'])
    .addCheckConstraint('survey_questions_kind_check', oneOf('kind', QUESTION_KINDS))
    .addCheckConstraint('survey_questions_required_check', sql`"required" ${FLAG}`);
  await schoolKeys(questions, 'survey_questions', [['survey_id', 'surveys']]).execute();
  await db.schema.createIndex('survey_questions_survey').on('survey_questions').columns(['survey_id', 'position']).execute();

  const translations = owned(db.schema.createTable('survey_question_translations'))
    .addColumn('survey_id', 'text', (c) => c.notNull())
    .addColumn('question_id', 'text', (c) => c.notNull())
    .addColumn('language', 'text', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('options_json', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('written_by', 'text')
    .addColumn('checked_by', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('survey_question_translations_unique', ['question_id', 'language'])
    .addCheckConstraint('survey_question_translations_source_check', oneOf('source', ['person', 'machine']))
    .addCheckConstraint('survey_question_translations_status_check', oneOf('status', ['requested', 'written', 'checked']));
  await schoolKeys(translations, 'survey_question_translations', [
    ['survey_id', 'surveys'],
    ['question_id', 'survey_questions'],
    ['written_by', 'staff'],
    ['checked_by', 'staff'],
  ]).execute();
  await db.schema.createIndex('survey_question_translations_survey').on('survey_question_translations').columns(['survey_id', 'language']).execute();

  const invitations = owned(db.schema.createTable('survey_invitations'))
    .addColumn('survey_id', 'text', (c) => c.notNull())
    .addColumn('carer_id', 'text')
    .addColumn('staff_id', 'text')
    .addColumn('token', 'text', (c) => c.notNull().unique())
    .addColumn('pupil_ids', 'text', (c) => c.notNull())
    .addColumn('language', 'text', (c) => c.notNull())
    .addColumn('channels', 'text', (c) => c.notNull())
    .addColumn('invited_at', 'text', (c) => c.notNull())
    .addColumn('answered_on', 'text')
    .addColumn('answered_via', 'text')
    .addColumn('reminded', 'integer', (c) => c.notNull().defaultTo(0))
    .addUniqueConstraint('survey_invitations_school_id_unique', ['school_id', 'id'])
    .addUniqueConstraint('survey_invitations_carer_unique', ['survey_id', 'carer_id'])
    .addUniqueConstraint('survey_invitations_staff_unique', ['survey_id', 'staff_id'])
    .addCheckConstraint('survey_invitations_answered_via_check', oneOf('answered_via', ANSWERED_VIA))
    .addCheckConstraint('survey_invitations_one_person_check', sql`("carer_id" is null) <> ("staff_id" is null)`);
  await schoolKeys(invitations, 'survey_invitations', [
    ['survey_id', 'surveys'],
    ['carer_id', 'carers'],
    ['staff_id', 'staff'],
  ]).execute();

  const responses = owned(db.schema.createTable('survey_responses'))
    .addColumn('survey_id', 'text', (c) => c.notNull())
    .addColumn('invitation_id', 'text', (c) => c.unique())
    .addColumn('via', 'text', (c) => c.notNull())
    .addColumn('submitted_on', 'text', (c) => c.notNull())
    .addUniqueConstraint('survey_responses_school_id_unique', ['school_id', 'id'])
    .addCheckConstraint('survey_responses_via_check', oneOf('via', ANSWERED_VIA));
  await schoolKeys(responses, 'survey_responses', [
    ['survey_id', 'surveys'],
    ['invitation_id', 'survey_invitations'],
  ]).execute();
  await db.schema.createIndex('survey_responses_survey').on('survey_responses').columns(['survey_id']).execute();

  const answers = owned(db.schema.createTable('survey_answers'))
    .addColumn('survey_id', 'text', (c) => c.notNull())
    .addColumn('response_id', 'text', (c) => c.notNull())
    .addColumn('question_id', 'text', (c) => c.notNull())
    .addColumn('value', 'text', (c) => c.notNull());
  await schoolKeys(answers, 'survey_answers', [
    ['survey_id', 'surveys'],
    ['response_id', 'survey_responses'],
    ['question_id', 'survey_questions'],
  ]).execute();
  await db.schema.createIndex('survey_answers_question').on('survey_answers').columns(['question_id', 'value']).execute();
  await db.schema.createIndex('survey_answers_response').on('survey_answers').columns(['response_id']).execute();
}

export async function down(): Promise<void> {
  throw new Error('Gatepost migrations only go forward');
}

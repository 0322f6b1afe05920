import type { Kysely } from 'kysely';

/**
 * Issue 15, the results page for a large survey: its answers counted in the database, one GROUP BY
 * for all the questions. survey_answers_survey (school, survey, question) serves the counts, the free
 * text and the before → after comparison. It leaves out the answer itself: PostgreSQL cannot index a
 * value over 2,704 bytes, and a long answer (up to 4,000 characters, more bytes in Polish or Arabic)
 * would have been refused with the carer's words lost. It replaces
 * survey_answers_question (question, value), which nothing else used, so a submitted answer still
 * updates two indexes besides the table's own. survey_invitations_answered (school, survey, carer,
 * answered) and survey_responses_via (school, survey, via) let the totals and the "read nothing"
 * breakdown count who was asked and who answered from an index alone.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('survey_answers_survey').on('survey_answers').columns(['school_id', 'survey_id', 'question_id']).execute();
  await db.schema.dropIndex('survey_answers_question').execute();
  await db.schema.createIndex('survey_invitations_answered').on('survey_invitations').columns(['school_id', 'survey_id', 'carer_id', 'answered_on']).execute();
  await db.schema.createIndex('survey_responses_via').on('survey_responses').columns(['school_id', 'survey_id', 'via']).execute();
}

export async function down(): Promise<void> {
  throw new Error('Gatepost migrations only go forward');
}

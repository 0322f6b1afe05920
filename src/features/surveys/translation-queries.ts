import type { Kysely } from 'kysely';
import type { Database, SurveyQuestionTranslationTable, SurveyTable } from '../../db/schema.ts';
import { recipientsFor, STATUS_LABELS, STATUS_TAGS, statusOf, type TranslationStatus } from '../messages/index.ts';
import { audienceOf } from './audience.ts';

type Db = Kysely<Database>;

/** How many people the survey asks read each language other than English: from the audience before sending, from the invitations after. */
export async function surveyLanguages(db: Db, survey: SurveyTable, today: string): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  if (survey.status !== 'draft') {
    const rows = await db
      .selectFrom('survey_invitations')
      .select(['language', (eb) => eb.fn.countAll<number | string>().as('n')])
      .where('survey_id', '=', survey.id)
      .groupBy('language')
      .execute();
    for (const r of rows) if (r.language !== 'English') counts.set(r.language, Number(r.n));
    return counts;
  }
  const who = audienceOf(survey);
  if (who.kind === 'staff') return counts;
  const { recipients } = await recipientsFor(db, survey.school_id, 'letter', who.audience, today, 'survey');
  for (const r of recipients) if (r.language !== 'English') counts.set(r.language, (counts.get(r.language) ?? 0) + 1);
  return counts;
}

export async function translationsOf(db: Db, surveyId: string, language: string): Promise<SurveyQuestionTranslationTable[]> {
  return db.selectFrom('survey_question_translations').selectAll().where('survey_id', '=', surveyId).where('language', '=', language).execute();
}

/** One language's status for the whole survey: checked only when every question's translation is. */
export function languageStatus(translations: SurveyQuestionTranslationTable[], questionCount: number): TranslationStatus {
  if (translations.length === 0 || questionCount === 0) return 'none';
  const each = translations.map((t) => statusOf(t));
  if (translations.length >= questionCount && each.every((s) => s === 'checked')) return 'checked';
  if (each.includes('machine')) return 'machine';
  return 'written';
}

export async function surveyTranslationRows(db: Db, survey: SurveyTable, today: string) {
  const readers = await surveyLanguages(db, survey, today);
  const questionCount = Number(
    (
      await db
        .selectFrom('survey_questions')
        .select((eb) => eb.fn.countAll<number | string>().as('n'))
        .where('survey_id', '=', survey.id)
        .executeTakeFirst()
    )?.n ?? 0,
  );
  const all = await db.selectFrom('survey_question_translations').selectAll().where('survey_id', '=', survey.id).execute();
  const languages = [...new Set([...readers.keys(), ...all.map((t) => t.language)])].sort();
  return languages.map((language) => {
    const status = languageStatus(
      all.filter((t) => t.language === language),
      questionCount,
    );
    return { language, readers: readers.get(language) ?? 0, status, label: STATUS_LABELS[status], tag: STATUS_TAGS[status] };
  });
}

import type { Db } from '../../db/database.ts';
import { audit, type Actor } from '../../platform/audit/audit.ts';
import { catalogOf } from '../../platform/i18n/catalog.ts';
import { carerLanguage, ENGLISH, type CarerLanguage } from '../../platform/i18n/languages.ts';
import { forgetSchoolTexts } from '../../platform/i18n/queries.ts';
import type { LanguageCheck } from './wording.ts';

/** How many of the school's carers (not archived) read each language, by language code; a language Gatepost lacks counts as English. */
export async function readersByLanguage(db: Db, schoolId: string): Promise<{ byCode: Map<string, number>; without: number }> {
  const rows = await db
    .selectFrom('carers')
    .select(['preferred_language', (eb) => eb.fn.countAll<number>().as('n')])
    .where('school_id', '=', schoolId)
    .where('archived_at', 'is', null)
    .groupBy('preferred_language')
    .execute();
  const byCode = new Map<string, number>();
  let without = 0;
  for (const row of rows) {
    const language = carerLanguage(row.preferred_language);
    byCode.set(language.code, (byCode.get(language.code) ?? 0) + Number(row.n));
    if (language.code === ENGLISH && row.preferred_language.trim().toLowerCase() !== 'english') without += Number(row.n);
  }
  return { byCode, without };
}

export async function languageChecks(db: Db, schoolId: string): Promise<Map<string, LanguageCheck>> {
  const rows = await db.selectFrom('language_checks').select(['language', 'checked_by', 'checked_on']).where('school_id', '=', schoolId).execute();
  return new Map(rows.map((r) => [r.language, { checked_by: r.checked_by, checked_on: r.checked_on }]));
}

/** The school's own words in one language: key → text. */
export async function ownWords(db: Db, schoolId: string, code: string): Promise<Map<string, string>> {
  const rows = await db.selectFrom('school_texts').select(['key', 'text']).where('school_id', '=', schoolId).where('language', '=', code).execute();
  return new Map(rows.map((r) => [r.key, r.text]));
}

/** How many strings the school has reworded, by language code. */
export async function ownWordCounts(db: Db, schoolId: string): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom('school_texts')
    .select(['language', (eb) => eb.fn.countAll<number>().as('n')])
    .where('school_id', '=', schoolId)
    .groupBy('language')
    .execute();
  return new Map(rows.map((r) => [r.language, Number(r.n)]));
}

/** A fluent speaker checked this language's words: replaces the last check; the audit log keeps every one. */
export async function recordLanguageCheck(db: Db, actor: Actor & { kind: 'staff' }, language: CarerLanguage, check: LanguageCheck, now: Date): Promise<void> {
  const at = now.toISOString();
  await db.transaction().execute(async (trx) => {
    const before = await trx.selectFrom('language_checks').select(['checked_by', 'checked_on']).where('school_id', '=', actor.schoolId).where('language', '=', language.code).executeTakeFirst();
    await trx
      .insertInto('language_checks')
      .values({ school_id: actor.schoolId, language: language.code, ...check, recorded_by: actor.id, recorded_at: at })
      .onConflict((oc) => oc.columns(['school_id', 'language']).doUpdateSet({ ...check, recorded_by: actor.id, recorded_at: at }))
      .execute();
    await audit(trx, actor, { schoolId: actor.schoolId, action: 'language_check.recorded', entity: 'language_check', entityId: language.code, before, after: check }, now);
  });
}

/**
 * The school's own words for one string in one language (`text` null: back to Gatepost's words).
 * Carer pages in this process see the change at once (forgetSchoolTexts). Returns whether anything changed.
 */
export async function setOwnWords(db: Db, actor: Actor & { kind: 'staff' }, language: CarerLanguage, key: string, text: string | null, now: Date): Promise<boolean> {
  const changed = await db.transaction().execute(async (trx) => {
    const where = { school_id: actor.schoolId, language: language.code, key };
    const before = await trx.selectFrom('school_texts').select('text').where('school_id', '=', where.school_id).where('language', '=', where.language).where('key', '=', key).executeTakeFirst();
    if ((before?.text ?? null) === text) return false;
    if (text === null) {
      await trx.deleteFrom('school_texts').where('school_id', '=', where.school_id).where('language', '=', where.language).where('key', '=', key).execute();
    } else {
      const row = { text, updated_by: actor.id, updated_at: now.toISOString() };
      await trx
        .insertInto('school_texts')
        .values({ ...where, ...row })
        .onConflict((oc) => oc.columns(['school_id', 'language', 'key']).doUpdateSet(row))
        .execute();
    }
    await audit(
      trx,
      actor,
      {
        schoolId: actor.schoolId,
        action: text === null ? 'school_text.cleared' : 'school_text.saved',
        entity: 'school_text',
        entityId: language.code,
        before: before ? { words: before.text } : undefined,
        after: { in_english: catalogOf(ENGLISH).get(key) ?? key, words: text ?? catalogOf(language.code).get(key) ?? null },
      },
      now,
    );
    return true;
  });
  if (changed) forgetSchoolTexts(actor.schoolId);
  return changed;
}

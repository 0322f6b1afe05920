import type { Db } from '../../db/database.ts';
import { isUniqueViolation } from '../../db/database.ts';
import { audit, type Actor } from '../../platform/audit/audit.ts';
import { newId } from '../../platform/ids.ts';
import { DEFAULT_GLOSSARY, type GlossaryEntry } from './clear-language.ts';

/**
 * The school's glossary: school words and the plain words to use instead. It is advice, not a
 * record, so terms may be removed; every change still leaves an audit entry, written in the same
 * transaction. The defaults are seeded once per school, on the first visit to the glossary page;
 * the 'glossary.seeded' audit entry marks that it happened, so a school that removes every term
 * does not get the defaults back.
 */
export type GlossaryRow = { id: string; term: string; plain: string };

const SEEDED = 'glossary.seeded';

const byTerm = (a: { term: string }, b: { term: string }) => a.term.localeCompare(b.term, 'en-GB', { sensitivity: 'base' });

/** Every term of the school, in alphabetical order, for the glossary page. */
export async function listGlossary(db: Db, schoolId: string): Promise<GlossaryRow[]> {
  const rows = await db.selectFrom('glossary').select(['id', 'term', 'plain']).where('school_id', '=', schoolId).execute();
  return rows.sort(byTerm);
}

async function hasBeenSeeded(db: Db, schoolId: string): Promise<boolean> {
  return !!(await seededStatement(db, schoolId).executeTakeFirst());
}

/**
 * The audit entry written when the school first opened its glossary, looked up by its record
 * (entity 'glossary', no id: the audit log's entity index). By school and action alone it read the
 * school's whole audit log, oldest first, on every letter's preview until the glossary was opened.
 */
export function seededStatement(db: Db, schoolId: string) {
  return db.selectFrom('audit_log').select('id').where('entity', '=', 'glossary').where('entity_id', 'is', null).where('school_id', '=', schoolId).where('action', '=', SEEDED).limit(1);
}

/**
 * The glossary the clear-language advice uses: the school's own terms, or the defaults while the
 * school has never opened its glossary (so advice works from the first day, without a write).
 */
export async function glossaryFor(db: Db, schoolId: string): Promise<GlossaryEntry[]> {
  const rows = await listGlossary(db, schoolId);
  if (rows.length > 0 || (await hasBeenSeeded(db, schoolId))) return rows.map(({ term, plain }) => ({ term, plain }));
  return [...DEFAULT_GLOSSARY];
}

/**
 * Give a school the default terms if its glossary is empty and has never been seeded: one
 * transaction, one audit entry. Two first visits at once are harmless: the unique key on
 * (school, term) skips the second's rows, and only a seeding that inserted rows is audited.
 */
export async function seedGlossaryIfNew(db: Db, actor: Actor, schoolId: string, now: Date): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const any = await trx.selectFrom('glossary').select('id').where('school_id', '=', schoolId).limit(1).executeTakeFirst();
    if (any || (await hasBeenSeeded(trx, schoolId))) return false;
    const result = await trx
      .insertInto('glossary')
      .values(DEFAULT_GLOSSARY.map((g) => ({ id: newId(), school_id: schoolId, term: g.term, plain: g.plain })))
      .onConflict((oc) => oc.columns(['school_id', 'term']).doNothing())
      .executeTakeFirst();
    const inserted = Number(result.numInsertedOrUpdatedRows ?? 0n);
    if (inserted === 0) return false;
    await audit(trx, actor, { schoolId, action: SEEDED, entity: 'glossary', entityId: null, after: { terms: inserted } }, now);
    return true;
  });
}

export type AddResult = { ok: true; id: string } | { ok: false; existing: string };

/**
 * Add a term. A term already in the glossary in any letter case ('pta' when 'PTA' is there) is
 * refused with the existing spelling; the unique key catches two offices adding it at once.
 */
export async function addTerm(db: Db, actor: Actor, schoolId: string, entry: GlossaryEntry, now: Date): Promise<AddResult> {
  const existing = await sameTerm(db, schoolId, entry.term);
  if (existing) return { ok: false, existing };
  const id = newId();
  try {
    await db.transaction().execute(async (trx) => {
      await trx.insertInto('glossary').values({ id, school_id: schoolId, term: entry.term, plain: entry.plain }).execute();
      await audit(trx, actor, { schoolId, action: 'glossary.term_added', entity: 'glossary_term', entityId: id, after: entry }, now);
    });
  } catch (error) {
    if (isUniqueViolation(error)) return { ok: false, existing: entry.term };
    throw error;
  }
  return { ok: true, id };
}

async function sameTerm(db: Db, schoolId: string, term: string): Promise<string | null> {
  const rows = await db.selectFrom('glossary').select('term').where('school_id', '=', schoolId).execute();
  return rows.find((r) => r.term.toLowerCase() === term.toLowerCase())?.term ?? null;
}

/** Change a term's plain words. 'missing' when the term is not (or no longer) in this school's glossary. */
export async function changePlain(db: Db, actor: Actor, schoolId: string, termId: string, plain: string, now: Date): Promise<'changed' | 'unchanged' | 'missing'> {
  return db.transaction().execute(async (trx) => {
    const before = await trx.selectFrom('glossary').select(['term', 'plain']).where('id', '=', termId).where('school_id', '=', schoolId).executeTakeFirst();
    if (!before) return 'missing';
    if (before.plain === plain) return 'unchanged';
    const result = await trx.updateTable('glossary').set({ plain }).where('id', '=', termId).where('school_id', '=', schoolId).executeTakeFirst();
    if (Number(result.numUpdatedRows) === 0) return 'missing';
    await audit(trx, actor, { schoolId, action: 'glossary.term_changed', entity: 'glossary_term', entityId: termId, before, after: { term: before.term, plain } }, now);
    return 'changed';
  });
}

/** Remove a term, keeping what it said in the audit entry. 'missing' when it was already gone. */
export async function removeTerm(db: Db, actor: Actor, schoolId: string, termId: string, now: Date): Promise<'removed' | 'missing'> {
  return db.transaction().execute(async (trx) => {
    const before = await trx.selectFrom('glossary').select(['term', 'plain']).where('id', '=', termId).where('school_id', '=', schoolId).executeTakeFirst();
    if (!before) return 'missing';
    const result = await trx.deleteFrom('glossary').where('id', '=', termId).where('school_id', '=', schoolId).executeTakeFirst();
    if (Number(result.numDeletedRows) === 0) return 'missing';
    await audit(trx, actor, { schoolId, action: 'glossary.term_removed', entity: 'glossary_term', entityId: termId, before }, now);
    return 'removed';
  });
}

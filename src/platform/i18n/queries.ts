import type { Db } from '../../db/database.ts';
import type { Catalog } from './catalog.ts';

/**
 * A school's own words, by language. Every carer page needs them, so they are read once per school
 * and kept for a short while; a change made here is seen at once in this process (forgetSchoolTexts)
 * and within HOLD_MS in other app processes.
 */
const HOLD_MS = 30_000;
const held = new Map<string, { at: number; texts: Map<string, Catalog> }>();

export async function schoolTexts(db: Db, schoolId: string, now: Date): Promise<Map<string, Catalog>> {
  const kept = held.get(schoolId);
  if (kept && now.getTime() - kept.at < HOLD_MS && now.getTime() >= kept.at) return kept.texts;
  const rows = await db.selectFrom('school_texts').select(['language', 'key', 'text']).where('school_id', '=', schoolId).execute();
  const texts = new Map<string, Map<string, string>>();
  for (const row of rows) {
    const catalog = texts.get(row.language) ?? new Map<string, string>();
    catalog.set(row.key, row.text);
    texts.set(row.language, catalog);
  }
  if (held.size > 1000) held.clear();
  held.set(schoolId, { at: now.getTime(), texts });
  return texts;
}

export function forgetSchoolTexts(schoolId: string): void {
  held.delete(schoolId);
}

import type { Db } from '../../db/database.ts';
import type { Text } from '../../platform/i18n/catalog.ts';
import type { Actor } from '../../platform/audit/audit.ts';
import type { FieldErrors } from '../../platform/web/forms.ts';
import { hasNeeds, languageOptions, NEEDS_FIELDS, NEEDS_MARK, needsForCarer, needsLines, needsValues, readNeeds, sameNeeds, type Needs } from './needs.ts';
import { needsOfCarer, saveNeeds } from './needs-queries.ts';

type Who = { schoolId: string; eveningId: string; carerId: string };

/**
 * What "Help at your appointments" shows (views/needs-part.njk): what was typed when a form came back
 * with an error, else what is stored, else the school's record of the carer's language.
 */
export async function needsPart(db: Db, q: Who, t: Text, posted?: Record<string, unknown>, pageErrors?: Record<string, unknown>) {
  const found = await needsOfCarer(db, q);
  if (!found) return null;
  const typed = posted && posted[NEEDS_MARK] !== undefined;
  const values = typed ? Object.fromEntries(NEEDS_FIELDS.map((f) => [f, typeof posted[f] === 'string' ? posted[f] : ''])) : needsValues(found.stored, found.carer);
  // Only the part's own errors: it is drawn once for each set of values (part()), and a page's other
  // errors (a time just taken, by teacher) would make every drawing a new one.
  const errors = Object.fromEntries(NEEDS_FIELDS.filter((f) => pageErrors?.[f]).map((f) => [f, pageErrors![f]]));
  return {
    values,
    languages: languageOptions(found.carer.preferredLanguage, values.interpreter_language ?? '', t),
    stored: found.stored,
    errors,
    // What they asked for, in words: shown instead of the form once the evening has taken place.
    asked: { carer: needsForCarer(found.stored, t), staff: needsLines(found.stored) },
  };
}
export type NeedsPart = NonNullable<Awaited<ReturnType<typeof needsPart>>>;

/**
 * The part of a posted form, checked against the carer's record (their own language is on the list).
 * Null: the form does not carry the part. Errors are catalog keys.
 */
export async function neededFrom(db: Db, q: Who, body: unknown): Promise<{ ok: true; needs: Needs; stored: Needs | null } | { ok: false; errors: FieldErrors } | null> {
  const values = body && typeof body === 'object' ? (body as Record<string, unknown>) : {};
  if (values[NEEDS_MARK] === undefined) return null;
  const found = await needsOfCarer(db, q);
  const read = readNeeds(body, found?.carer.preferredLanguage ?? null);
  return read?.ok ? { ...read, stored: found?.stored ?? null } : (read ?? null);
}

/**
 * Save what a booking form carried, once something was booked (or held) with it. Nothing asked and
 * nothing stored (most bookings in a rush) writes nothing.
 */
export async function saveIfAsked(db: Db, actor: Actor, q: Who, read: Awaited<ReturnType<typeof neededFrom>>, now: Date): Promise<void> {
  if (!read?.ok) return;
  if (read.stored ? sameNeeds(read.stored, read.needs) : !hasNeeds(read.needs)) return;
  await saveNeeds(db, actor, q, read.needs, now);
}

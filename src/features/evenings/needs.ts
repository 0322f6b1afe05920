import { z } from 'zod';
import type { FieldErrors } from '../../platform/web/forms.ts';
import { languageName } from '../../platform/i18n/names.ts';
import type { Text } from '../../platform/i18n/catalog.ts';
import { COMMON_LANGUAGES } from '../people/index.ts';
import { askedForWords } from '../meetings/index.ts';

/**
 * "Help at your appointments": what a carer asks for at a parents' evening, once per evening for all
 * their appointments there. An interpreter in a language from the school's list, and anything else
 * that would help them take part (step-free access, a hearing loop, a quiet room…).
 * Plain rules and the form; the table is `evening_needs` (needs-queries.ts).
 */

export const NOTE_MAX = 300;

export type Needs = { interpreterLanguage: string | null; accessNote: string | null };
export const NO_NEEDS: Needs = { interpreterLanguage: null, accessNote: null };

export const hasNeeds = (n: Needs | null | undefined): boolean => !!n && (n.interpreterLanguage !== null || n.accessNote !== null);
export const sameNeeds = (a: Needs, b: Needs): boolean => a.interpreterLanguage === b.interpreterLanguage && a.accessNote === b.accessNote;

const isEnglish = (name: string | null | undefined) => (name ?? '').trim().toLowerCase() === 'english';

/**
 * The languages an interpreter may be asked for: the list the school records carers' languages from
 * (features/people), without English; and the carer's own recorded language when the school wrote
 * one that is not on it.
 */
export function interpreterLanguages(preferred: string | null | undefined): string[] {
  const list = COMMON_LANGUAGES.filter((l) => !isEnglish(l));
  const own = (preferred ?? '').trim();
  if (own && !isEnglish(own) && !list.some((l) => l.toLowerCase() === own.toLowerCase())) list.push(own);
  return list;
}

/** The name as the list holds it ("polish" → "Polish"), or null when it is not on the list. */
export function listedLanguage(name: string, preferred: string | null | undefined): string | null {
  const wanted = name.trim().toLowerCase();
  return interpreterLanguages(preferred).find((l) => l.toLowerCase() === wanted) ?? null;
}

/**
 * Once the evening has taken place (its last session's date is before today in the school's zone),
 * what would have helped at it can no longer be changed, by the carer or the office: the form is not
 * shown and a change is refused. An evening with no sessions has not taken place.
 */
export function needsClosed(sessions: readonly { date: string }[], today: string): boolean {
  const last = sessions.reduce<string | null>((l, s) => (l === null || s.date > l ? s.date : l), null);
  return last !== null && last < today;
}

/** The field names, the same on every form that carries the part (booking, "book for me", on its own). */
export const NEEDS_FIELDS = ['interpreter', 'interpreter_language', 'access_note'] as const;
/** A hidden field saying the form carries the part: without it, a form leaves the carer's needs as they are. */
export const NEEDS_MARK = 'needs_part';

// Messages are catalog keys: a carer reads them in their language, staff in English (the English catalog).
const NeedsForm = z.object({
  interpreter: z.enum(['yes', 'no'], { error: 'evenings.needs.error.interpreter' }).optional(),
  interpreter_language: z.string({ error: 'evenings.needs.error.unknownLanguage' }).trim().max(60, 'evenings.needs.error.unknownLanguage').optional(),
  access_note: z.string({ error: 'evenings.needs.error.noteTooLong' }).trim().max(NOTE_MAX, 'evenings.needs.error.noteTooLong').optional(),
});

export type NeedsRead = { ok: true; needs: Needs } | { ok: false; errors: FieldErrors };

/**
 * The part of a form, read and checked: "Yes" needs a language from the list; the note is at most
 * 300 characters. Null when the form does not carry the part. Errors are catalog keys, by field.
 * No answer to "Do you need an interpreter?" is "No".
 */
export function readNeeds(body: unknown, preferred: string | null | undefined): NeedsRead | null {
  const values = body && typeof body === 'object' ? (body as Record<string, unknown>) : {};
  if (values[NEEDS_MARK] === undefined) return null;
  const parsed = NeedsForm.safeParse(Object.fromEntries(NEEDS_FIELDS.filter((f) => values[f] !== undefined && values[f] !== '').map((f) => [f, values[f]])));
  const errors: FieldErrors = {};
  if (!parsed.success) {
    for (const issue of parsed.error.issues) errors[String(issue.path[0])] ??= issue.message;
    return { ok: false, errors };
  }
  const d = parsed.data;
  let language: string | null = null;
  if (d.interpreter === 'yes') {
    if (!d.interpreter_language) errors.interpreter_language = 'evenings.needs.error.chooseLanguage';
    else {
      language = listedLanguage(d.interpreter_language, preferred);
      if (!language) errors.interpreter_language = 'evenings.needs.error.unknownLanguage';
    }
  }
  if (Object.keys(errors).length) return { ok: false, errors };
  return { ok: true, needs: { interpreterLanguage: language, accessNote: d.access_note ? d.access_note : null } };
}

/** What the form shows: what is stored, or (nothing stored yet) their recorded language, with "Yes" when the school recorded that they need an interpreter. */
export function needsValues(stored: Needs | null, carer: { preferredLanguage: string | null; interpreterNeeded: boolean }): Record<string, string> {
  const own = carer.preferredLanguage && !isEnglish(carer.preferredLanguage) ? (listedLanguage(carer.preferredLanguage, carer.preferredLanguage) ?? '') : '';
  if (stored) {
    return { interpreter: stored.interpreterLanguage ? 'yes' : 'no', interpreter_language: stored.interpreterLanguage ?? own, access_note: stored.accessNote ?? '' };
  }
  // "Yes" only with a language to go with it: a "Yes" with none would stop their booking until they chose one.
  return { interpreter: carer.interpreterNeeded && own ? 'yes' : '', interpreter_language: own, access_note: '' };
}

/** The <select>'s options: each language in the reader's words ("Polski" on a Polish page), its value the school's name. */
export function languageOptions(preferred: string | null | undefined, chosen: string, t: Text): { value: string; text: string; selected: boolean }[] {
  const options = interpreterLanguages(preferred).map((l) => ({ value: l, text: languageName(t.code, l), selected: l.toLowerCase() === chosen.trim().toLowerCase() }));
  return [{ value: '', text: t('evenings.needs.chooseLanguage'), selected: !options.some((o) => o.selected) }, ...options];
}

/**
 * What they asked for, for the carer in their words ("You asked for an interpreter in Polish.", the
 * note): in the booking confirmation, and (features/meetings) the reminder the day before. The words
 * live with the reminders: meetings may not reach back into evenings.
 */
export const needsForCarer = (n: Needs | null | undefined, t: Text): string[] => askedForWords(n, t);

/** "Interpreter needed: Polish" and the note, for staff (English). */
export function needsLines(n: Needs | null | undefined): string[] {
  if (!n) return [];
  return [n.interpreterLanguage ? `Interpreter needed: ${n.interpreterLanguage}` : null, n.accessNote ? `To help them take part: ${n.accessNote}` : null].filter((l): l is string => l !== null);
}

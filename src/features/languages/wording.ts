import { parse, TYPE, type MessageFormatElement } from '@formatjs/icu-messageformat-parser';
import type { LocalDate } from '../../db/schema.ts';
import { formatDate } from '../../platform/calendar/time.ts';
import type { CarerLanguage } from '../../platform/i18n/languages.ts';

/**
 * The rules of a school's own words, as plain functions: an override must be a message the pages
 * can show (FormatJS ICU syntax) and must use the same placeholders as the English, so "{name}"
 * still becomes the child's name. Problems come back as a sentence for beside the field.
 */

/** The placeholder names a message uses ({name}, {count, plural, …}), nested ones included. */
export function placeholdersOf(elements: MessageFormatElement[], into = new Set<string>()): Set<string> {
  for (const e of elements) {
    if (e.type === TYPE.literal || e.type === TYPE.pound) continue;
    if (e.type === TYPE.tag) {
      placeholdersOf(e.children, into);
      continue;
    }
    into.add(e.value);
    if (e.type === TYPE.plural || e.type === TYPE.select) for (const option of Object.values(e.options)) placeholdersOf(option.value, into);
  }
  return into;
}

/** What each parser complaint means, in words for a head teacher. */
const SYNTAX: Record<string, string> = {
  EXPECT_ARGUMENT_CLOSING_BRACE: 'a { is not closed with }',
  EMPTY_ARGUMENT: 'there is nothing between { and }',
  MALFORMED_ARGUMENT: 'a placeholder’s name is not written as in the English',
  EXPECT_ARGUMENT_TYPE: 'a placeholder’s comma is not followed by plural or select, as in the English',
  INVALID_ARGUMENT_TYPE: 'a placeholder’s comma is not followed by plural or select, as in the English',
  UNMATCHED_CLOSING_TAG: 'a tag is closed that was never opened',
  UNCLOSED_TAG: 'a tag is not closed',
  MISSING_OTHER_CLAUSE: 'a choice needs an "other {…}" part, as in the English',
  EXPECT_PLURAL_ARGUMENT_SELECTOR: 'a plural is missing its cases, such as one {…} other {…}',
  EXPECT_SELECT_ARGUMENT_SELECTOR: 'a choice is missing its cases, such as other {…}',
  EXPECT_PLURAL_ARGUMENT_OFFSET_VALUE: 'a plural’s offset is not a number',
  DUPLICATE_PLURAL_ARGUMENT_SELECTOR: 'a plural has the same case twice',
  DUPLICATE_SELECT_ARGUMENT_SELECTOR: 'a choice has the same case twice',
};

const placeholderList = (names: string[]) => names.map((n) => `{${n}}`).join(', ');

/** Tags (<b>…</b>) and the placeholders written as a number, date or time, with their kind. */
function formatsOf(elements: MessageFormatElement[], into = { tags: new Set<string>(), kinds: new Set<string>() }) {
  for (const e of elements) {
    if (e.type === TYPE.tag) {
      into.tags.add(e.value);
      formatsOf(e.children, into);
    } else if (e.type === TYPE.number) into.kinds.add(`${e.value} number`);
    else if (e.type === TYPE.date) into.kinds.add(`${e.value} date`);
    else if (e.type === TYPE.time) into.kinds.add(`${e.value} time`);
    else if (e.type === TYPE.plural || e.type === TYPE.select) for (const option of Object.values(e.options)) formatsOf(option.value, into);
  }
  return into;
}

/** A tag or a number/date/time the English does not have would stop the page being drawn: refuse it. */
function formatProblem(english: MessageFormatElement[], typed: MessageFormatElement[]): string | null {
  const want = formatsOf(english);
  const have = formatsOf(typed);
  const tag = [...have.tags].find((name) => !want.tags.has(name));
  if (tag !== undefined) return `Remove <${tag}>: Gatepost’s words cannot have tags in angle brackets < >`;
  const kind = [...have.kinds].find((k) => !want.kinds.has(k));
  if (kind !== undefined) {
    const [name, as] = kind.split(' ');
    return `Write {${name}} as in the English: Gatepost cannot show it as a ${as}`;
  }
  return null;
}

export type OverrideCheck = { ok: true } | { ok: false; problem: string };

/** Whether `typed` can stand in for the English message `english`: readable, and the same placeholders. */
export function checkOverride(english: string, typed: string): OverrideCheck {
  let elements: MessageFormatElement[];
  try {
    elements = parse(typed);
  } catch (error) {
    const kind = (error as Error).message;
    const at = (error as { location?: { start?: { offset?: number } } }).location?.start?.offset;
    const where = typeof at === 'number' ? ` (near character ${at + 1})` : '';
    const what = SYNTAX[kind] ?? 'the curly brackets { } are not written as in the English';
    return { ok: false, problem: `Gatepost cannot read these words: ${what}${where}. Write a placeholder exactly as in the English, for example {name}` };
  }
  const englishElements = parse(english);
  const format = formatProblem(englishElements, elements);
  if (format) return { ok: false, problem: format };
  const want = [...placeholdersOf(englishElements)].sort();
  const have = [...placeholdersOf(elements)].sort();
  const missing = want.filter((n) => !have.includes(n));
  const extra = have.filter((n) => !want.includes(n));
  if (missing.length === 0 && extra.length === 0) return { ok: true };
  const parts = [missing.length ? `keep ${placeholderList(missing)}` : '', extra.length ? `remove ${placeholderList(extra)}, which the English does not have` : ''].filter(Boolean);
  const expected = want.length ? `The English uses ${placeholderList(want)}` : 'The English has no placeholders';
  return { ok: false, problem: `Use the same placeholders as the English: ${parts.join(' and ')}. ${expected}` };
}

/** A school's record of a fluent speaker's check. */
export type LanguageCheck = { checked_by: string; checked_on: LocalDate };

/** "Checked by Ana Silva, a fluent speaker, on 3 December 2026" or who wrote it and that nobody has checked it. */
export function statusWords(language: CarerLanguage, check: LanguageCheck | undefined): string {
  if (check) return `Checked by ${check.checked_by}, a fluent speaker, on ${formatDate(check.checked_on)}`;
  const { writtenBy, checkedBy, checkedOn } = language.status;
  if (checkedBy === writtenBy) return `Written and checked by ${writtenBy}`;
  if (checkedBy) return `Written by ${writtenBy}, checked by ${checkedBy}${checkedOn ? ` on ${formatDate(checkedOn)}` : ''}`;
  return `Written by ${writtenBy}, not yet checked`;
}

/** How much of the English a language's catalog has: keys translated of the English keys. */
export function completeness(englishKeys: readonly string[], catalog: ReadonlyMap<string, string>): { translated: number; total: number; percent: number } {
  const translated = englishKeys.filter((k) => catalog.has(k)).length;
  const total = englishKeys.length;
  return { translated, total, percent: total === 0 ? 100 : Math.floor((translated / total) * 100) };
}

/** How often pages fell back to English for each language, from catalog.ts's "code key" → count. */
export function fallbacksByLanguage(missing: ReadonlyMap<string, number>): Map<string, number> {
  const byCode = new Map<string, number>();
  for (const [entry, count] of missing) {
    const code = entry.split(' ')[0]!;
    byCode.set(code, (byCode.get(code) ?? 0) + count);
  }
  return byCode;
}

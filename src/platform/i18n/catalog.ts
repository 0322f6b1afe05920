import fs from 'node:fs';
import path from 'node:path';
import { IntlMessageFormat } from 'intl-messageformat';
import { ENGLISH, languageByCode } from './languages.ts';

/**
 * The carer's side in the carer's language. Strings live beside the pages that use them, one file
 * per language: `src/features/evenings/i18n/pl.json` holds the Polish strings of the booking pages.
 * Each file is a flat object of key → ICU message ("{count, plural, one {# appointment} other {# appointments}}");
 * keys are unique across all files of a language. FormatJS's intl-messageformat does plurals,
 * select (gender, kind) and numbers by each language's CLDR rules; nothing here counts by hand.
 *
 * A key a language lacks falls back to English and is counted (missingStrings), so the school and
 * the tests see what is untranslated.
 */
const SRC = path.resolve(import.meta.dirname, '../..');

export type Catalog = ReadonlyMap<string, string>;

function loadCatalogs(): Map<string, Map<string, string>> {
  const catalogs = new Map<string, Map<string, string>>();
  const files = (fs.readdirSync(SRC, { recursive: true }) as string[]).filter((f) => /(^|[\\/])i18n[\\/][a-z]{2,3}\.json$/.test(f)).sort();
  for (const file of files) {
    const code = path.basename(file, '.json');
    if (!languageByCode(code)) throw new Error(`${file}: no language with code "${code}" in platform/i18n/languages.ts`);
    const strings = JSON.parse(fs.readFileSync(path.join(SRC, file), 'utf8')) as Record<string, unknown>;
    const catalog = catalogs.get(code) ?? new Map<string, string>();
    for (const [key, text] of Object.entries(strings)) {
      if (typeof text !== 'string') throw new Error(`${file}: "${key}" is not a string`);
      if (catalog.has(key)) throw new Error(`${file}: "${key}" is also in another ${code} catalog`);
      catalog.set(key, text);
    }
    catalogs.set(code, catalog);
  }
  return catalogs;
}

const CATALOGS = loadCatalogs();

/** The built-in strings of one language (empty for a language without files). */
export function catalogOf(code: string): Catalog {
  return CATALOGS.get(code) ?? new Map();
}

/** Every key of the English catalog: the strings there are. */
export function englishKeys(): string[] {
  return [...catalogOf(ENGLISH).keys()];
}

const missing = new Map<string, number>();

/** How often each language fell back to English, by "code key", since the process started. */
export function missingStrings(): ReadonlyMap<string, number> {
  return missing;
}

export function forgetMissingStrings(): void {
  missing.clear();
}

const formats = new Map<string, IntlMessageFormat>();
function compiled(message: string, code: string): IntlMessageFormat {
  const id = `${code}\u0000${message}`;
  let format = formats.get(id);
  if (!format) {
    if (formats.size > 20_000) formats.clear();
    format = new IntlMessageFormat(message, code);
    formats.set(id, format);
  }
  return format;
}

/** Words for one person: `text('home.title')`, `text('evenings.count', { count: 3 })`. */
export type Text = ((key: string, values?: Record<string, unknown>) => string) & { code: string; dir: 'ltr' | 'rtl' };

/**
 * Text in a language, with the school's own words first (`overrides`: key → message, in that
 * language, then in English for keys the school reworded only in English).
 */
export function textIn(code: string, overrides: { own?: Catalog; english?: Catalog } = {}): Text {
  const language = languageByCode(code) ?? languageByCode(ENGLISH)!;
  const own = catalogOf(language.code);
  const english = catalogOf(ENGLISH);
  const text = (key: string, values?: Record<string, unknown>): string => {
    let message = overrides.own?.get(key) ?? own.get(key);
    let formatCode = language.code;
    if (message === undefined) {
      if (language.code !== ENGLISH) missing.set(`${language.code} ${key}`, (missing.get(`${language.code} ${key}`) ?? 0) + 1);
      message = overrides.english?.get(key) ?? english.get(key);
      formatCode = ENGLISH;
    }
    if (message === undefined) {
      missing.set(`${ENGLISH} ${key}`, (missing.get(`${ENGLISH} ${key}`) ?? 0) + 1);
      return key;
    }
    // Most strings have no placeholders, plurals or quotes to undo: those are the string itself.
    if (!message.includes('{') && !message.includes("'")) return message;
    return String(compiled(message, formatCode).format(values as never));
  };
  return Object.assign(text, { code: language.code, dir: language.dir });
}

export const english: Text = textIn(ENGLISH);

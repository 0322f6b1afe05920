import path from 'node:path';
import { createRequire } from 'node:module';
import nunjucks from 'nunjucks';
import { formatDate, formatInstant } from '../calendar/time.ts';
import { remembered } from '../remembered.ts';
import { english, type Text } from '../i18n/catalog.ts';
import { dateIn, instantIn } from '../i18n/dates.ts';
import { isSignLanguage, languageUse } from '../i18n/names.ts';
import { dateBoxes, dateBoxesInError } from '../calendar/typed.ts';
import { withDateParts } from './forms.ts';

const require = createRequire(import.meta.url);
const srcRoot = path.resolve(import.meta.dirname, '../..');
const govukRoot = path.resolve(path.dirname(require.resolve('govuk-frontend/package.json')), 'dist');

/**
 * Templates are named from src/, e.g. 'features/people/views/pupil.njk', and GOV.UK Frontend
 * macros from its dist folder, e.g. 'govuk/components/button/macro.njk'. Autoescape is on.
 */
export function createTemplates(options: { watch?: boolean } = {}): nunjucks.Environment {
  const env = new nunjucks.Environment(new nunjucks.FileSystemLoader([srcRoot, govukRoot], { watch: options.watch ?? false, noCache: false }), {
    autoescape: true,
    throwOnUndefined: false,
  });
  // Words and dates in the reader's language: `t` is the page's (a carer's own language), English by default.
  env.addGlobal('t', english);
  const readerOf = (context: unknown): Text => (context as { ctx?: { t?: Text } } | undefined)?.ctx?.t ?? english;
  env.addFilter('date', function (this: unknown, d: string | null | undefined) {
    const t = readerOf(this);
    return t.code === 'en' ? formatDate(d) : dateIn(t.code, d as never);
  });
  env.addFilter('instant', function (this: unknown, d: string | null | undefined, tz: string = 'Europe/London') {
    const t = readerOf(this);
    return t.code === 'en' ? formatInstant(d, tz) : instantIn(t.code, d, tz);
  });
  env.addFilter('yesno', function (this: unknown, v: unknown) {
    return readerOf(this)(v ? 'common.yes' : 'common.no');
  });
  // Text people typed is never marked safe as it is: these escape it first, then add the line breaks.
  env.addFilter('lines', (parts: unknown) => new nunjucks.runtime.SafeString(escapedLines(parts)));
  env.addFilter('multiline', (text: unknown) => new nunjucks.runtime.SafeString(escapedLines(String(text ?? '').split(/\r\n|\r|\n/))));
  // A carer's recorded language on a staff page: "reads Polish" ("speaks Polish"), but "uses British Sign
  // Language"; and whether it is a sign language (then a "Reads" label says "Language").
  env.addFilter('languageUse', (name: unknown, verb: 'reads' | 'speaks' = 'reads') => languageUse(String(name ?? ''), verb));
  env.addGlobal('isSignLanguage', (name: unknown) => isSignLanguage(String(name ?? '')));
  // A person's name inside other words (a sentence, a list, a summary list's html value): isolated from
  // the text around it, so a right-to-left name cannot reorder the punctuation and numbers beside it
  // (WCAG 1.3.2). Escaped here first; text already marked safe is not escaped twice.
  env.addFilter('bdi', (name: unknown) => new nunjucks.runtime.SafeString(isolatedName(name)));
  // The same where no markup can go (a drop-down list's options, a page title): the name between the
  // Unicode marks that isolate it (FSI … PDI), as plain text, escaped like any other.
  env.addFilter('isolated', (name: unknown) => isolatedText(name));
  // t(key, values) with the people's names among the values (pupil, child, teacher, carer, owner, name, helper) isolated
  // the same way: the words are escaped, then each name goes in as <bdi>name</bdi>. A letter written in two
  // languages names the reader of each column: tNamed(key, values, t).
  env.addGlobal('tNamed', function (this: unknown, key: string, values: Record<string, unknown> = {}, reader?: Text) {
    return namedHtml(reader ?? readerOf(this), key, values);
  });
  // GOV.UK's templates trim every component's output. Nunjucks' own trim is the regex
  // /^\s*|\s*$/g, which tries \s*$ from every character: on a form it took half the time
  // of drawing the page. String.prototype.trim removes the same white space in one pass.
  env.addFilter('trim', (text: unknown) => {
    const trimmed = String(text ?? '').trim();
    return text instanceof nunjucks.runtime.SafeString ? new nunjucks.runtime.SafeString(trimmed) : trimmed;
  });
  // The date input (views/date-input.njk): what each box shows, and which boxes an error highlights.
  const dateValue = (values: unknown, name: string) => (values && typeof values === 'object' ? withDateParts(values as Record<string, unknown>)[name] : undefined);
  env.addGlobal('dateInputBoxes', (values: unknown, name: string) => dateBoxes(dateValue(values, name)));
  env.addGlobal('dateInputWrong', (values: unknown, name: string) => dateBoxesInError(dateValue(values, name)));
  // The skip link and menu are the same for everyone with the same school and menu: drawn once each.
  const headers = remembered<nunjucks.runtime.SafeString>(500);
  env.addGlobal('pageHeader', (schoolName: string, nav: unknown, t: Text = english) =>
    headers(JSON.stringify([schoolName, nav, t.code]), () => new nunjucks.runtime.SafeString(env.render('platform/web/views/header.njk', { schoolName, nav, t }))),
  );
  // A part of a page whose HTML depends only on the values given it and the reader's language, drawn
  // once for each set of values: `{{ part("features/…/views/x-part.njk", { a: a, b: b }) }}`. The part
  // sees those values and `t`, nothing else of the page (no CSRF token, nothing of the person not given),
  // and imports the macros it uses itself. For a part most pages draw alike: in a booking rush,
  // "Help at your appointments" (GOV.UK radios, a select of 40 languages, a textarea) was a quarter
  // of drawing the booking page.
  const parts = remembered<nunjucks.runtime.SafeString>(500);
  env.addGlobal('part', function (this: unknown, template: string, values: Record<string, unknown>) {
    const t = readerOf(this);
    return parts(JSON.stringify([template, t.code, values]), () => new nunjucks.runtime.SafeString(env.render(template, { ...values, t })));
  });
  return env;
}

/** Each non-empty part escaped, joined with <br>: a multi-line address or a note, drawn as lines. */
export function escapedLines(parts: unknown): string {
  const list = Array.isArray(parts) ? parts : [parts];
  return list
    .filter((p) => p !== null && p !== undefined && String(p) !== '')
    .map((p) => escapeHtml(String(p)))
    .join('<br>');
}

/** A name in <bdi>, escaped (unless already safe); nothing at all for an empty name. */
export function isolatedName(name: unknown): string {
  if (name === null || name === undefined || String(name) === '') return '';
  const html = name instanceof nunjucks.runtime.SafeString ? String(name) : escapeHtml(String(name));
  return `<bdi>${html}</bdi>`;
}

/** A name as plain text isolated from the words around it (U+2068 FIRST STRONG ISOLATE … U+2069 POP DIRECTIONAL ISOLATE). */
export function isolatedText(name: unknown): string {
  if (name === null || name === undefined || String(name) === '') return '';
  return `\u2068${String(name)}\u2069`;
}

/** Text already escaped, with markup of ours in it: a template draws it as it is, never escaped twice. */
export type Html = nunjucks.runtime.SafeString;

/**
 * tNamed for code: words for a page with people's names among the values (an error message, say), drawn by
 * namedText, so the words are escaped and each name isolated. A template draws it as it is, with `text:` or
 * `{{ }}` alike; another namedHtml's phrase among the values goes in as it is too.
 */
export function namedHtml(t: Text, key: string, values: Record<string, unknown>): Html {
  return new nunjucks.runtime.SafeString(namedText(t, key, values));
}

/**
 * namedHtml for words that are not in the catalogue (English, for staff): named`Enter a room for ${teacher.name}`.
 * The words are escaped and each value is a name, isolated; a value already drawn (Html, from named or namedHtml)
 * goes in as it is, and a list of values is joined by "; " (`${reasons}`, each reason drawn by namedWords).
 */
export function named(words: TemplateStringsArray, ...names: unknown[]): Html {
  return namedWords(words, names);
}

/** named`…` for words and names given apart: words[0], names[0], words[1], … (a reason kept as data, say). */
export function namedWords(words: readonly string[], names: readonly unknown[]): Html {
  const value = (v: unknown): string => (Array.isArray(v) ? v.map(value).join('; ') : v instanceof nunjucks.runtime.SafeString ? String(v) : isolatedName(v));
  return new nunjucks.runtime.SafeString(words.map((w, i) => escapeHtml(w) + (i < names.length ? value(names[i]) : '')).join(''));
}

const NAME_KEYS = new Set(['pupil', 'child', 'teacher', 'carer', 'owner', 'name', 'helper']);
const MARK = /\uE000(\d+)\uE001/g;

/**
 * A translated string with its name values marked (private-use characters), escaped, then each mark swapped for the isolated name.
 * A list among the values (any key) is a list of names, or of phrases already drawn by tNamed: each is isolated, joined by "; ".
 * A phrase already drawn (namedHtml) as another value goes in as it is, not isolated: it is words, not a name.
 */
export function namedText(t: Text, key: string, values: Record<string, unknown>): string {
  const parts: string[] = [];
  const mark = (html: string) => `\uE000${parts.push(html) - 1}\uE001`;
  const name = (v: unknown) => mark(isolatedName(v));
  const given = (v: unknown) => v !== null && v !== undefined && String(v) !== '';
  const marked = Object.fromEntries(
    Object.entries(values).map(([k, v]) => {
      if (Array.isArray(v)) return [k, v.filter(given).map(name).join('; ')];
      if (NAME_KEYS.has(k) && given(v)) return [k, name(v)];
      return v instanceof nunjucks.runtime.SafeString ? [k, mark(String(v))] : [k, v];
    }),
  );
  return escapeHtml(t(key, marked)).replace(MARK, (_, i: string) => parts[Number(i)]!);
}

const ENTITIES: Record<string, string> = { '&': '&amp;', '"': '&quot;', "'": '&#39;', '<': '&lt;', '>': '&gt;' };

/** The same escaping Nunjucks' autoescape does. */
export function escapeHtml(text: string): string {
  return text.replace(/[&"'<>]/g, (c) => ENTITIES[c]!);
}

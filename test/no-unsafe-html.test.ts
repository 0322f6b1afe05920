import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createTemplates, named, namedHtml, namedWords } from '../src/platform/web/nunjucks.ts';
import { errorList } from '../src/platform/web/forms.ts';
import { english } from '../src/platform/i18n/catalog.ts';

/**
 * No text a person typed is ever marked safe. Templates escape everything unless told not to, so the
 * ways round it are few: `| safe`, a SafeString made in code, and the `html:` parameter of a GOV.UK
 * macro fed with text joined by `+` or `join`, or with a variable the template did not draw itself. Each place that does one of these is on the reviewed
 * list below, with why it is safe; a new one fails this test until someone has looked at it.
 */
const REVIEWED: Record<string, string> = {
  // The <option>s of a booking page, built in code with every value escaped (booking-page.ts optionsHtml).
  'src/features/evenings/views/book-evening.njk: {{ tc.optionsHtml | safe }}': 'escaped in optionsHtml',
  // A language's name with its own name beside it in its own script and direction; both names are escaped.
  'src/features/languages/views/languages.njk: title: { html: (row.language.name | escape)': 'both names escaped; code and dir are from languages.ts',
  // Times are made by the server from slot rows ("16:10"), never typed.
  'src/features/evenings/views/schedule.njk: r.time': 'server-made time',
  // A group's id is made by the server (its name is escaped).
  'src/features/messages/views/groups.njk: href="/groups/\' + g.id + \'"': 'server-made id',
  // The layout's header (school name and menu) is a template rendered with autoescape, remembered.
  'src/platform/web/nunjucks.ts: new nunjucks.runtime.SafeString(env.render(': 'a rendered template',
  // The trim filter keeps a SafeString safe (its text was escaped before).
  'src/platform/web/nunjucks.ts: text instanceof nunjucks.runtime.SafeString ? new nunjucks.runtime.SafeString(trimmed)': 'keeps safeness only',
  // lines / multiline escape every part, then join with <br>.
  "src/platform/web/nunjucks.ts: env.addFilter('lines'": 'escapes each part',
  "src/platform/web/nunjucks.ts: env.addFilter('multiline'": 'escapes, then adds <br>',
  // bdi escapes the name (isolatedName) unless it is already safe; tNamed and namedHtml (for code: errors that
  // name a person) escape the words and each name. A page's errors may be such Html (PageErrors in forms.ts).
  "src/platform/web/nunjucks.ts: env.addFilter('bdi'": 'escapes the name, then wraps it in <bdi>',
  'src/platform/web/nunjucks.ts: return new nunjucks.runtime.SafeString(namedText(': 'escapes the words and each name',
  // named`words ${name}` (namedWords): the same for English words in code, each part escaped, each value isolated
  // (a value already Html goes in as it is; a list's items so, joined by "; ").
  'src/platform/web/nunjucks.ts: return new nunjucks.runtime.SafeString(words.map((w, i) => escapeHtml(w) + (i < names.length ? value(names[i])': 'escapes the words and each name',
};

const root = path.resolve(import.meta.dirname, '..');

function files(dir: string): string[] {
  return readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap((e) => {
    const rel = `${dir}/${e.name}`;
    if (e.isDirectory()) return files(rel);
    return /\.(njk|ts)$/.test(e.name) && !e.name.endsWith('.test.ts') ? [rel] : [];
  });
}

/**
 * What is left of a template expression once its quoted strings, `(x | escape)` groups and macro
 * calls (a macro's output is escaped as it is drawn) are taken out.
 */
function withoutSafeParts(expression: string): string {
  let rest = expression.replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'/g, '""');
  for (let before = ''; before !== rest;) {
    before = rest;
    rest = rest
      .replace(/\([^()]*\|\s*(?:escape|urlencode|bdi)\s*\)/g, '""')
      .replace(/\b(?!join\b)\w+\([^()]*\)/g, '""')
      .replace(/(^|[^\w])\(([^()]*)\)/g, '$1$2');
  }
  // `a if condition else b`: the condition is not drawn.
  return rest.replace(/\bif\b.*?\belse\b/g, ' ');
}

/** The value of an `html:` parameter: up to the comma or brace that closes it, strings and brackets respected. */
function htmlValue(text: string, from: number): string {
  let depth = 0;
  let quote: string | null = null;
  for (let i = from; i < text.length; i++) {
    const c = text[i]!;
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = null;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') {
      if (depth === 0) return text.slice(from, i);
      depth--;
    } else if (c === ',' && depth === 0) return text.slice(from, i);
  }
  return text.slice(from);
}

type Finding = { file: string; line: number; text: string };

function findings(): Finding[] {
  const found: Finding[] = [];
  for (const file of files('src')) {
    const lines = readFileSync(path.join(root, file), 'utf8').split('\n');
    lines.forEach((text, i) => {
      const risky: boolean[] = [];
      risky.push(/\|\s*safe\b/.test(text));
      risky.push(/markSafe|SafeString\(/.test(text));
      if (file.endsWith('.njk')) {
        for (const m of text.matchAll(/\bhtml:\s*/g)) {
          const value = htmlValue(text, m.index + m[0].length);
          // A macro's output, e.g. who(name, detail): everything in it is escaped as the macro draws it.
          const rest = /^\s*\w+\(.*\)\s*$/.test(value) && !/\)\s*[+|]/.test(value) ? '' : withoutSafeParts(value);
          risky.push((/\+/.test(rest) && /[A-Za-z_]/.test(rest)) || /\|\s*join\(/.test(rest));
          // A bare variable is safe only when this template drew it: `{% set name %}…{% endset %}`.
          const bare = /^\s*([A-Za-z_][\w.]*)\s*$/.exec(value)?.[1];
          if (bare) risky.push(!new RegExp(`\\{%-?\\s*set\\s+${bare.replace(/\./g, '\\.')}\\s*-?%\\}`).test(lines.join('\n')));
        }
        // {% set x = '<b>' + name %}: markup joined to text outside a {% set %} block.
        const set = /\{%-?\s*set\s+\w+\s*=\s*(.*)%\}/.exec(text);
        if (set && /</.test(set[1]!) && /\+/.test(withoutSafeParts(set[1]!).replace(/""/g, ''))) risky.push(/[A-Za-z_]/.test(withoutSafeParts(set[1]!).replace(/""/g, '')));
      }
      if (risky.some(Boolean)) found.push({ file, line: i + 1, text: text.trim() });
    });
  }
  return found;
}

function reviewed(f: Finding): boolean {
  return Object.keys(REVIEWED).some((key) => {
    const [file, snippet] = [key.slice(0, key.indexOf(': ')), key.slice(key.indexOf(': ') + 2)];
    return file === f.file && f.text.includes(snippet);
  });
}

describe('text people typed is never marked safe', () => {
  it('every | safe, SafeString and html: built by joining text is on the reviewed list', () => {
    const unreviewed = findings()
      .filter((f) => !reviewed(f))
      .map((f) => `${f.file}:${f.line}: ${f.text}`);
    expect(unreviewed).toEqual([]);
  });

  it('every entry on the reviewed list still matches something (the list does not rot)', () => {
    const all = findings();
    const stale = Object.keys(REVIEWED).filter((key) => {
      const [file, snippet] = [key.slice(0, key.indexOf(': ')), key.slice(key.indexOf(': ') + 2)];
      return !all.some((f) => f.file === file && f.text.includes(snippet));
    });
    expect(stale).toEqual([]);
  });

  it('the bdi filter and tNamed escape a name once and isolate it', () => {
    const env = createTemplates();
    expect(env.renderString('{{ n | bdi }}|{{ "" | bdi }}|{{ (n | bdi) | bdi }}', { n: 'فاطمة <b>&' })).toBe('<bdi>فاطمة &lt;b&gt;&amp;</bdi>||<bdi><bdi>فاطمة &lt;b&gt;&amp;</bdi></bdi>');
    expect(env.renderString('{{ tNamed("evenings.page.pupilWith", { pupil: p, teacher: "Mr <i>" }) }}', { p: 'فاطمة خان' })).toBe('<bdi>فاطمة خان</bdi> with <bdi>Mr &lt;i&gt;</bdi>');
    // A list: each item isolated (a phrase tNamed drew is not escaped twice), joined by "; ".
    expect(env.renderString('{{ tNamed("evenings.forMe.full", { teachers: [tNamed("evenings.forMe.teacherFor", { teacher: "Mr <i>", pupil: p }), "Ms Bell", ""] }) }}', { p: 'فاطمة' })).toBe(
      'No free times left with: <bdi><bdi>Mr &lt;i&gt;</bdi>, for <bdi>فاطمة</bdi></bdi>; <bdi>Ms Bell</bdi>.',
    );
  });

  it('an error that names a person (namedHtml) is escaped once, its names isolated, beside the field and in the error summary', () => {
    const env = createTemplates();
    // A phrase namedHtml drew, among another's values, goes in as it is: not escaped twice, not isolated as a name.
    const clash = namedHtml(english, 'evenings.error.chooseAnother', { problem: namedHtml(english, 'evenings.error.overlapWith', { teacher: 'Mr <b>', time: '4:00pm' }) });
    expect(String(clash)).toBe('This is at the same time as your appointment with <bdi>Mr &lt;b&gt;</bdi> at 4:00pm. Choose another time');
    // The same for English words in code: the words escaped, each value isolated.
    expect(String(named`A <room> for ${'فاطمة <i>'} & ${'Mr Okafor'}`)).toBe('A &lt;room&gt; for <bdi>فاطمة &lt;i&gt;</bdi> &amp; <bdi>Mr Okafor</bdi>');
    // Reasons kept as data (namedWords), a list of them among named's values: each drawn once, joined by "; ".
    const reasons = [namedWords(['', ' declared an interest: <b>'], ['Dr <i>']), namedWords(['', ' teaches & marks'], ['فاطمة'])];
    expect(String(named`Gatepost cannot appoint ${'Dr <i>'}: ${reasons}`)).toBe(
      'Gatepost cannot appoint <bdi>Dr &lt;i&gt;</bdi>: <bdi>Dr &lt;i&gt;</bdi> declared an interest: &lt;b&gt;; <bdi>فاطمة</bdi> teaches &amp; marks',
    );
    const errors = { slot: clash, note: 'Enter <i>a</i> note' };
    const page = env.renderString(
      '{% from "govuk/components/error-message/macro.njk" import govukErrorMessage %}{% from "govuk/components/error-summary/macro.njk" import govukErrorSummary %}' +
        '{{ govukErrorSummary({ titleText: "There is a problem", errorList: list }) }}{{ govukErrorMessage({ text: errors.slot }) }}{{ govukErrorMessage({ text: errors.note }) }}',
      { errors, list: errorList(errors) },
    );
    expect(page.match(/with <bdi>Mr &lt;b&gt;<\/bdi> at 4:00pm/g)).toHaveLength(2);
    // A plain error stays plain text, escaped, in both places.
    expect(page.match(/Enter &lt;i&gt;a&lt;\/i&gt; note/g)).toHaveLength(2);
    expect(page).not.toContain('&lt;bdi&gt;');
    expect(page).not.toContain('&amp;lt;');
  });

  it('the lines and multiline filters escape each part before adding line breaks', () => {
    const env = createTemplates();
    expect(env.renderString('{{ parts | lines }}', { parts: ['<b id="x">', null, 'BF1 & 2', ''] })).toBe('&lt;b id=&quot;x&quot;&gt;<br>BF1 &amp; 2');
    expect(env.renderString('{{ text | multiline }}', { text: '<meta http-equiv=refresh>\nline two' })).toBe('&lt;meta http-equiv=refresh&gt;<br>line two');
  });
});

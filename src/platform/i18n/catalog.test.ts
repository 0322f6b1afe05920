import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse, TYPE, type MessageFormatElement } from '@formatjs/icu-messageformat-parser';
import { catalogOf, englishKeys, forgetMissingStrings, missingStrings, textIn } from './catalog.ts';
import { CARER_LANGUAGES, carerLanguage } from './languages.ts';
import { dateIn, instantIn, weekdayInstantIn } from './dates.ts';

/** The argument names a message uses ({name}, {count, plural, …}), nested ones included. */
function argumentsOf(elements: MessageFormatElement[], into = new Set<string>()): Set<string> {
  for (const e of elements) {
    if (e.type === TYPE.literal || e.type === TYPE.pound) continue;
    if (e.type === TYPE.tag) {
      argumentsOf(e.children, into);
      continue;
    }
    into.add(e.value);
    if (e.type === TYPE.plural || e.type === TYPE.select) for (const option of Object.values(e.options)) argumentsOf(option.value, into);
  }
  return into;
}

describe('the carer-side catalogs', () => {
  it('has every English string in every language marked complete, with the same placeholders', () => {
    const problems: string[] = [];
    for (const language of CARER_LANGUAGES.filter((l) => l.complete && l.code !== 'en')) {
      const catalog = catalogOf(language.code);
      for (const key of englishKeys()) {
        const message = catalog.get(key);
        if (message === undefined) {
          problems.push(`${language.name}: ${key} is missing`);
          continue;
        }
        const want = [...argumentsOf(parse(catalogOf('en').get(key)!))].sort();
        const have = [...argumentsOf(parse(message))].sort();
        if (want.join() !== have.join()) problems.push(`${language.name}: ${key} uses {${have.join(', ')}}, English uses {${want.join(', ')}}`);
      }
      for (const key of catalog.keys()) if (!catalogOf('en').has(key)) problems.push(`${language.name}: ${key} is not an English string (renamed or removed?)`);
    }
    expect(problems).toEqual([]);
  });

  it('uses only strings that exist: every t("…") in the pages and code names an English key', () => {
    const src = path.resolve(import.meta.dirname, '../..');
    const files = (fs.readdirSync(src, { recursive: true }) as string[]).filter((f) => /\.(njk|ts)$/.test(f) && !f.endsWith('.test.ts'));
    const unknown: string[] = [];
    for (const file of files) {
      const text = fs.readFileSync(path.join(src, file), 'utf8');
      for (const match of text.matchAll(/\bt\(\s*["']([A-Za-z0-9_.-]+)["']/g)) if (!catalogOf('en').has(match[1]!)) unknown.push(`${file}: ${match[1]}`);
    }
    expect(unknown).toEqual([]);
  });

  it('gives every translated banner a translated title: GOV.UK’s own is “Success” or “Important”, in English', () => {
    const src = path.resolve(import.meta.dirname, '../..');
    const views = (fs.readdirSync(src, { recursive: true }) as string[]).filter((f) => f.endsWith('.njk'));
    const english: string[] = [];
    for (const file of views) {
      const text = fs.readFileSync(path.join(src, file), 'utf8');
      for (const call of text.matchAll(/govukNotificationBanner\(\{([^}]*(?:\}[^)][^}]*)*)\}\)/g)) {
        if (/\bt\(/.test(call[1]!) && !/title(Text|Html):/.test(call[1]!)) english.push(`${file}: ${call[0].slice(0, 120)}`);
      }
    }
    expect(english).toEqual([]);
  });
});

describe('words for a carer', () => {
  it('speaks the carer’s language, plural rules included, and falls back to English counting what is missing', () => {
    forgetMissingStrings();
    const polish = textIn('pl', {
      own: new Map([['test.meetings', '{count, plural, one {# spotkanie} few {# spotkania} many {# spotkań} other {# spotkania}}']]),
      english: new Map([['test.only.english', 'Only in English, {name}']]),
    });
    expect(polish('common.nav.home')).toBe('Strona główna');
    expect([1, 2, 5, 22, 25].map((count) => polish('test.meetings', { count }))).toEqual(['1 spotkanie', '2 spotkania', '5 spotkań', '22 spotkania', '25 spotkań']);
    expect(polish('test.only.english', { name: 'Marta' })).toBe('Only in English, Marta');
    expect(missingStrings().get('pl test.only.english')).toBe(1);
    expect(polish.dir).toBe('ltr');
    expect(textIn('ur').dir).toBe('rtl');
    expect(textIn('ar')('common.nav.home')).toBe('الصفحة الرئيسية');
  });

  it('reads the school’s record of a language, any case; English when Gatepost has no catalog for it', () => {
    expect(carerLanguage('polish').code).toBe('pl');
    expect(carerLanguage('Tigrinya').code).toBe('en');
    expect(carerLanguage(null).code).toBe('en');
  });

  it('writes dates in the reader’s language on the school’s clock', () => {
    expect(dateIn('en', '2026-12-09')).toBe('9 December 2026');
    expect(dateIn('pl', '2026-12-09')).toBe('9 grudnia 2026');
    // 16:20 in London on a winter evening, 17:20 in summer (BST): the school's clock, not UTC.
    expect(instantIn('pl', '2026-12-09T16:20:00.000Z', 'Europe/London')).toBe('9 grudnia 2026 16:20');
    expect(instantIn('pl', '2026-06-09T16:20:00.000Z', 'Europe/London')).toBe('9 czerwca 2026 17:20');
    // With the day of the week, for a family planning around work (an event's sessions).
    expect(weekdayInstantIn('en', '2026-11-19T18:00:00.000Z', 'Europe/London')).toBe('Thursday 19 November 2026 at 6:00pm');
    expect(weekdayInstantIn('uk', '2026-11-19T09:00:00.000Z', 'Europe/London')).toBe('четвер, 19 листопада 2026 р. о 9:00');
  });
});

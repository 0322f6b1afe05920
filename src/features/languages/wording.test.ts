import { describe, expect, it } from 'vitest';
import { languageByCode } from '../../platform/i18n/languages.ts';
import { checkOverride, completeness, fallbacksByLanguage, statusWords } from './wording.ts';

describe('the school’s own words', () => {
  it('accepts words with the English placeholders, plurals and choices included', () => {
    expect(checkOverride('{school} · Gatepost', 'Szkoła {school}')).toEqual({ ok: true });
    expect(checkOverride('{count, plural, one {# slot} other {# slots}}', '{count, plural, one {# termin} few {# terminy} many {# terminów} other {# terminu}}')).toEqual({ ok: true });
    expect(checkOverride('Parents’ evenings', 'Family consultation evenings')).toEqual({ ok: true });
  });

  it('says where the curly brackets went wrong, in words', () => {
    const open = checkOverride('{school} · Gatepost', 'Szkoła {school');
    expect(open).toEqual({ ok: false, problem: expect.stringContaining('a { is not closed with }') });
    expect(checkOverride('{n, plural, one {#} other {#}}', '{n, plural, one {#}}')).toEqual({ ok: false, problem: expect.stringContaining('"other {…}"') });
  });

  it('refuses words that lose or invent a placeholder, naming which', () => {
    expect(checkOverride('{school} · Gatepost', 'Gatepost')).toEqual({ ok: false, problem: 'Use the same placeholders as the English: keep {school}. The English uses {school}' });
    expect(checkOverride('Home', 'Start {name}')).toEqual({
      ok: false,
      problem: 'Use the same placeholders as the English: remove {name}, which the English does not have. The English has no placeholders',
    });
  });

  it('refuses tags and numbers, dates or times the English does not have, which would stop the page being drawn', () => {
    expect(checkOverride('{school} · Gatepost', '<b>{school}</b>')).toEqual({ ok: false, problem: 'Remove <b>: Gatepost’s words cannot have tags in angle brackets < >' });
    expect(checkOverride('{school} · Gatepost', '{school, date}')).toEqual({ ok: false, problem: 'Write {school} as in the English: Gatepost cannot show it as a date' });
    expect(checkOverride('{count, plural, one {# slot} other {# slots}}', '{count, plural, other {{count, number} terminy}}')).toEqual({
      ok: false,
      problem: 'Write {count} as in the English: Gatepost cannot show it as a number',
    });
    expect(checkOverride('{count, number} slots', 'Terminy: {count, number}')).toEqual({ ok: true });
  });
});

describe('a language’s standing', () => {
  it('names the school’s check when there is one, otherwise who wrote it', () => {
    const polish = languageByCode('pl')!;
    expect(statusWords(polish, undefined)).toBe('Written by the Gatepost team, not yet checked');
    expect(statusWords(polish, { checked_by: 'Ana Silva', checked_on: '2026-12-03' })).toBe('Checked by Ana Silva, a fluent speaker, on 3 December 2026');
    expect(statusWords(languageByCode('en')!, undefined)).toBe('Written and checked by the Gatepost team');
  });

  it('counts the English strings a catalog has, and the fallbacks per language', () => {
    expect(
      completeness(
        ['a', 'b', 'c'],
        new Map([
          ['a', 'x'],
          ['z', 'y'],
        ]),
      ),
    ).toEqual({ translated: 1, total: 3, percent: 33 });
    expect(
      fallbacksByLanguage(
        new Map([
          ['pl a', 2],
          ['pl b', 1],
          ['ur a', 4],
        ]),
      ),
    ).toEqual(
      new Map([
        ['pl', 3],
        ['ur', 4],
      ]),
    );
  });
});

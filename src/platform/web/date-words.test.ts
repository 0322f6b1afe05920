import { describe, expect, it } from 'vitest';
import { textIn } from '../i18n/catalog.ts';
import { CARER_LANGUAGES, ENGLISH } from '../i18n/languages.ts';
import { dateErrorIn } from './date-words.ts';

const boxes = (day: string, month: string, year: string) => ({ 'when-day': day, 'when-month': month, 'when-year': year });

describe("a date's error in the reader's language", () => {
  it('gives GOV.UK’s messages in English, the same words dateField gives staff', () => {
    const t = textIn(ENGLISH);
    const label = 'the date of the last thing that happened';
    expect(dateErrorIn(t, boxes('', '', ''), 'when', label)).toBe('Enter the date of the last thing that happened');
    expect(dateErrorIn(t, boxes('3', '', '2026'), 'when', label)).toBe('The date of the last thing that happened must include a month');
    expect(dateErrorIn(t, boxes('', '', '2026'), 'when', label)).toBe('The date of the last thing that happened must include a day and month');
    expect(dateErrorIn(t, boxes('3', '11', '26'), 'when', label)).toBe('Year must include 4 numbers');
    expect(dateErrorIn(t, boxes('31', '2', '2026'), 'when', label)).toBe('The date of the last thing that happened must be a real date');
    expect(dateErrorIn(t, { when: '31/02/2026' }, 'when', label)).toBe('The date of the last thing that happened must be a real date');
    // A date that reads has no date error: its problem is something else, for the page to word.
    expect(dateErrorIn(t, boxes('3', '11', '2026'), 'when', label)).toBeNull();
  });

  it('words each problem in Polish, naming the boxes left empty', () => {
    const t = textIn('pl');
    const label = t('concerns.error.lastIncidentLabel');
    expect(dateErrorIn(t, boxes('', '', ''), 'when', label)).toBe('Prosimy wpisać dzień, miesiąc i rok (data ostatniego zdarzenia)');
    expect(dateErrorIn(t, boxes('3', '', '2026'), 'when', label)).toBe('Data ostatniego zdarzenia: prosimy wpisać także miesiąc');
    expect(dateErrorIn(t, boxes('3', '', ''), 'when', label)).toBe('Data ostatniego zdarzenia: prosimy wpisać także miesiąc i rok');
    expect(dateErrorIn(t, boxes('3', '11', '26'), 'when', label)).toBe('Rok musi mieć 4 cyfry');
    expect(dateErrorIn(t, boxes('31', '2', '2026'), 'when', label)).toBe('Data ostatniego zdarzenia musi być prawdziwą datą');
  });

  it('has every message in every carer language, none of them left in English', () => {
    const english = textIn(ENGLISH);
    const cases = [
      boxes('', '', ''),
      boxes('', '11', '2026'),
      boxes('3', '', '2026'),
      boxes('3', '11', ''),
      boxes('', '', '2026'),
      boxes('3', '', ''),
      boxes('', '11', ''),
      boxes('3', '11', '26'),
      boxes('31', '2', '2026'),
    ];
    for (const language of CARER_LANGUAGES.filter((l) => l.code !== ENGLISH)) {
      const t = textIn(language.code);
      const label = t('concerns.error.lastIncidentLabel');
      for (const posted of cases) {
        const words = dateErrorIn(t, posted, 'when', label)!;
        expect(words, `${language.code} ${JSON.stringify(posted)}`).not.toBe(dateErrorIn(english, posted, 'when', english('concerns.error.lastIncidentLabel')));
        expect(words).not.toMatch(/[{}]|must|Enter|Year/);
      }
    }
  });
});

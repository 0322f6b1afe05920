import { describe, expect, it } from 'vitest';
import { CARER_LANGUAGES } from './languages.ts';
import { isSignLanguage, languageName, languageUse } from './names.ts';
import { LANGUAGE_CODES } from '../channels/translate.ts';

describe('language names', () => {
  it('names Polish as each reader calls it (CLDR)', () => {
    expect(languageName('en', 'polish')).toBe('Polish');
    expect(languageName('pl', 'Polish')).toBe('Polski');
    expect(languageName('pl', 'Polish', { inSentence: true })).toBe('polski');
  });

  it('names British Sign Language, which CLDR lacks, in every carer language: in its own words, not the English', () => {
    for (const { code } of CARER_LANGUAGES) {
      const heading = languageName(code, 'British Sign Language');
      const inSentence = languageName(code, 'british sign language', { inSentence: true });
      expect(heading, code).toBeTruthy();
      expect(inSentence, code).toBeTruthy();
      if (code !== 'en') expect(heading, code).not.toBe('British Sign Language');
    }
    expect(languageName('pl', 'British Sign Language')).toBe('Brytyjski język migowy');
    expect(languageName('pl', 'British Sign Language', { inSentence: true })).toBe('brytyjski język migowy');
    expect(languageName('en', 'British Sign Language', { inSentence: true })).toBe('British Sign Language');
    // A page language without its own name for it: the English.
    expect(languageName('tr', 'British Sign Language')).toBe('British Sign Language');
  });

  it('has no machine-translation code for British Sign Language: it has no written form', () => {
    expect(Object.keys(LANGUAGE_CODES).map((l) => l.toLowerCase())).not.toContain('british sign language');
  });

  it('knows a sign language is used, not read: "uses British Sign Language", and "reads Polish" as before', () => {
    for (const sign of ['British Sign Language', 'british sign language', ' Irish Sign Language ', 'BSL', 'American Sign Language']) expect(isSignLanguage(sign), sign).toBe(true);
    for (const other of ['Polish', 'English', 'Signalese', '', null, undefined]) expect(isSignLanguage(other), String(other)).toBe(false);
    expect(languageUse('British Sign Language')).toBe('uses British Sign Language');
    expect(languageUse('British Sign Language', 'speaks')).toBe('uses British Sign Language');
    expect(languageUse('Polish')).toBe('reads Polish');
    expect(languageUse('Polish', 'speaks')).toBe('speaks Polish');
  });
});

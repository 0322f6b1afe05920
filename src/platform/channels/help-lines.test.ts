import { describe, expect, it } from 'vitest';
import { helpLine, isRightToLeft } from './help-lines.ts';
import { LANGUAGE_CODES } from './translate.ts';

const ENGLISH = 'This message is in English. To get help with it in {language}, contact the school office — we can arrange an interpreter.';

describe('help lines', () => {
  const others = Object.keys(LANGUAGE_CODES).filter((l) => l !== 'English');

  it.each(others)('has a line in %s, not in English', (language) => {
    const line = helpLine(language);
    expect(line).toBeTruthy();
    expect(line).not.toBe(ENGLISH);
    expect(line).not.toMatch(/\b(English|school office|contact|interpreter)\b/i);
    expect(line!.length).toBeLessThan(200);
  });

  it('uses each language’s own script', () => {
    expect(helpLine('Arabic')).toMatch(/\p{Script=Arabic}/u);
    expect(helpLine('Urdu')).toMatch(/\p{Script=Arabic}/u);
    expect(helpLine('Bengali')).toMatch(/\p{Script=Bengali}/u);
    expect(helpLine('Punjabi')).toMatch(/\p{Script=Gurmukhi}/u);
    expect(helpLine('Tigrinya')).toMatch(/\p{Script=Ethiopic}/u);
    expect(helpLine('Ukrainian')).toMatch(/\p{Script=Cyrillic}/u);
    expect(helpLine('Polish')).toContain('polskim');
  });

  it('has no line for English or a language it does not know, and ignores case', () => {
    expect(helpLine('English')).toBeNull();
    expect(helpLine('Klingon')).toBeNull();
    expect(helpLine(' polish ')).toBe(helpLine('Polish'));
  });

  it('knows which languages read right to left', () => {
    expect(others.filter(isRightToLeft)).toEqual(['Urdu', 'Arabic']);
    expect(isRightToLeft('arabic')).toBe(true);
    expect(isRightToLeft('English')).toBe(false);
  });
});

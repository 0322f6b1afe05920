import { describe, expect, it } from 'vitest';
import { MAX_SMS_PARTS, smsParts, smsProblem } from './sms.ts';

describe('how many messages a text takes', () => {
  it('counts GSM-7 texts: 160 in one message, then 153 per part', () => {
    expect(smsParts('School closed today.')).toEqual({ encoding: 'GSM-7', characters: 20, parts: 1 });
    expect(smsParts('a'.repeat(160))).toEqual({ encoding: 'GSM-7', characters: 160, parts: 1 });
    expect(smsParts('a'.repeat(161))).toEqual({ encoding: 'GSM-7', characters: 161, parts: 2 });
    expect(smsParts('a'.repeat(306)).parts).toBe(2);
    expect(smsParts('a'.repeat(459)).parts).toBe(3);
    expect(smsParts('a'.repeat(460)).parts).toBe(4);
    expect(smsParts('Café £5, Ñ, ü, @ and ¿').encoding).toBe('GSM-7');
  });

  it('counts extension characters such as € as two', () => {
    expect(smsParts('Trip: €20')).toEqual({ encoding: 'GSM-7', characters: 10, parts: 1 });
    expect(smsParts('€'.repeat(80))).toEqual({ encoding: 'GSM-7', characters: 160, parts: 1 });
    expect(smsParts('€'.repeat(81)).parts).toBe(2);
    expect(smsParts('[{~}]|^\\').characters).toBe(16);
    // An extension character never straddles two parts: 152 + € moves the € to part 2.
    expect(smsParts('a'.repeat(152) + '€' + 'a'.repeat(152)).parts).toBe(3);
  });

  it('switches to UCS-2 for Polish letters and emoji: 70 in one message, then 67 per part', () => {
    expect(smsParts('Szkoła zamknięta')).toEqual({ encoding: 'UCS-2', characters: 16, parts: 1 });
    expect(smsParts('ł'.repeat(70)).parts).toBe(1);
    expect(smsParts('ł'.repeat(71)).parts).toBe(2);
    expect(smsParts('ł'.repeat(201)).parts).toBe(3);
    expect(smsParts('ł'.repeat(202)).parts).toBe(4);
    expect(smsParts('Well done 🎉')).toEqual({ encoding: 'UCS-2', characters: 12, parts: 1 });
    expect(smsParts('“Quotes”').encoding).toBe('UCS-2');
  });

  it('explains when a text is longer than three messages, with figures for its encoding', () => {
    expect(MAX_SMS_PARTS).toBe(3);
    expect(smsProblem('a'.repeat(459))).toBeNull();
    expect(smsProblem('a'.repeat(612))).toBe(
      'This text would be sent as 4 messages (612 characters). Keep urgent texts to 3 messages: 459 characters, or 201 if it uses characters such as ł or emoji.',
    );
    expect(smsProblem('ł'.repeat(201))).toBeNull();
    expect(smsProblem('Szkoła ' + 'a'.repeat(250))).toBe(
      'This text would be sent as 4 messages (257 characters). It uses "ł", so keep urgent texts to 3 messages: 201 characters (459 without such characters).',
    );
    expect(smsProblem('🎉' + 'a'.repeat(200))).toContain('It uses "🎉"');
    expect(smsProblem('a\t'.repeat(120))).toContain('an unusual space or control character (U+0009)');
  });
});

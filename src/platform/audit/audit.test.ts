import { describe, expect, it } from 'vitest';
import { actionWords, changeLines } from './describe.ts';

describe('the audit log in words', () => {
  it('says what happened and what changed, with times in the school’s zone', () => {
    expect(actionWords('pupil.updated')).toBe('Pupil updated');
    expect(actionWords('carer.sign_in_code_issued')).toBe('Carer sign in code issued');
    expect(changeLines('{"family_name":"Nowak","eal":0}', '{"family_name":"Nowak-Smith","eal":1}', 'Europe/London')).toEqual(['family name: Nowak → Nowak-Smith', 'eal: no → yes']);
    expect(changeLines(null, '{"expires_at":"2026-12-07T17:05:02.580Z"}', 'Europe/London')).toEqual(['expires at: 7 December 2026 at 5:05pm']);
  });
});

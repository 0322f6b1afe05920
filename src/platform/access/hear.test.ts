import { describe, expect, it } from 'vitest';
import { defaultMayReceiveInformation, HEAR_PURPOSES, mayHear } from './hear.ts';
import { expectedAnswer, LINK_CASES, RESTRICTION_CASES, type LinkCase, type RestrictionCase } from './hear-cases.ts';

const links = Object.keys(LINK_CASES) as LinkCase[];
const restrictions = Object.keys(RESTRICTION_CASES) as RestrictionCase[];
const cases = HEAR_PURPOSES.flatMap((purpose) => links.flatMap((link) => restrictions.map((restriction) => ({ purpose, link, restriction, expected: expectedAnswer(purpose, link, restriction) }))));

describe('may this carer hear about this child, for this purpose (every purpose × link × restriction)', () => {
  it.each(cases)('$purpose, $link, restriction $restriction: $expected', ({ purpose, link, restriction, expected }) => {
    const decision = mayHear(LINK_CASES[link], RESTRICTION_CASES[restriction], purpose);
    expect(decision.may ? 'hears' : decision.reason).toBe(expected);
  });

  it('a contact-only court order keeps a parent off every meeting email and booking, but not off newsletters, letters, urgent notices or the portal', () => {
    const father = LINK_CASES['father with parental responsibility, lives apart, asked for copies'];
    const contactOnly = RESTRICTION_CASES['stops contact only'];
    expect(mayHear(father, contactOnly, 'meeting_summary')).toEqual({ may: false, reason: 'restriction' });
    expect(mayHear(father, contactOnly, 'meeting_invitation')).toEqual({ may: false, reason: 'restriction' });
    expect(mayHear(father, contactOnly, 'booking')).toEqual({ may: false, reason: 'restriction' });
    expect(mayHear(father, contactOnly, 'newsletter')).toEqual({ may: true });
    expect(mayHear(father, contactOnly, 'portal')).toEqual({ may: true });
  });

  it('two restrictions in force: the stricter answer', () => {
    const mother = LINK_CASES['mother with parental responsibility, lives with the child'];
    expect(mayHear(mother, [...RESTRICTION_CASES['stops collection only'], ...RESTRICTION_CASES['stops contact only']], 'meeting_agenda')).toEqual({ may: false, reason: 'restriction' });
  });
});

describe('the default for "may receive information" (DfE guidance)', () => {
  it.each([
    { who: 'parent with parental responsibility living with the child', pr: true, lives: true, expected: true },
    { who: 'parent with parental responsibility living apart', pr: true, lives: false, expected: true },
    { who: 'grandparent raising the child, no parental responsibility', pr: false, lives: true, expected: true },
    { who: 'foster carer', pr: false, lives: true, expected: true },
    { who: 'family friend, emergency contact only', pr: false, lives: false, expected: false },
  ])('$who: $expected', ({ pr, lives, expected }) => {
    expect(defaultMayReceiveInformation({ parentalResponsibility: pr, livesWith: lives })).toBe(expected);
  });
});

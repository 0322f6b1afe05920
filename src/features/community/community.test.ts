import { describe, expect, it } from 'vitest';
import { checkInOn, contactsShared, mayPair, matchState, postcodeDistrict, suggestBuddies, suggestSupport, welcomeChecklist, type BuddyFamily } from './community.ts';

const family = (carerId: string, o: Partial<BuddyFamily> = {}): BuddyFamily => ({
  carerId,
  name: carerId,
  language: 'English',
  district: 'BF1',
  children: [{ pupilId: `${carerId}-child`, yearGroup: '3', homeLanguage: null }],
  restrictedFrom: [],
  ...o,
});

describe('buddy families', () => {
  it('compares only the postcode district (the outward code)', () => {
    expect(postcodeDistrict('bf1 2ab')).toBe('BF1');
    expect(postcodeDistrict('SW1A1AA')).toBe('SW1A');
    expect(postcodeDistrict('M1 1AE')).toBe('M1');
    expect(postcodeDistrict('not a postcode')).toBeNull();
    expect(postcodeDistrict(null)).toBeNull();
  });

  it('suggests a family with a child in the same year, the same home language first, then the same district', () => {
    const newcomer = family('olena', { language: 'Ukrainian', district: 'BF2', children: [{ pupilId: 'm', yearGroup: '3', homeLanguage: 'Ukrainian' }] });
    const sameLanguage = family('iryna', { language: 'Ukrainian', district: 'BF9', children: [{ pupilId: 's', yearGroup: '3', homeLanguage: 'Ukrainian' }] });
    const sameDistrict = family('anna', { district: 'BF2' });
    const otherYear = family('zoe', { language: 'Ukrainian', children: [{ pupilId: 'z', yearGroup: '5', homeLanguage: 'Ukrainian' }] });
    const suggestions = suggestBuddies(newcomer, [sameDistrict, otherYear, sameLanguage]);
    expect(suggestions.map((s) => s.buddy.carerId)).toEqual(['iryna', 'anna']);
    expect(suggestions[0]).toMatchObject({ language: 'Ukrainian', sameDistrict: false, years: ['3'] });
    expect(suggestions[1]).toMatchObject({ language: null, sameDistrict: true });
  });

  it('never pairs across a restriction, nor with a family restricted from either child, nor a family with itself', () => {
    // Mark Dean may not hear about Lily; Sarah Dean is Lily's mother.
    const sarah = family('sarah', { children: [{ pupilId: 'lily', yearGroup: '3', homeLanguage: null }] });
    const mark = family('mark', { children: [{ pupilId: 'lily', yearGroup: '3', homeLanguage: null }], restrictedFrom: ['lily'] });
    expect(mayPair(sarah, mark)).toBe(false);
    // A carer restricted from the other family's child.
    const other = family('other', { children: [{ pupilId: 'tom', yearGroup: '3', homeLanguage: null }], restrictedFrom: ['lily'] });
    expect(mayPair(sarah, other)).toBe(false);
    expect(suggestBuddies(sarah, [mark, other])).toEqual([]);
    // A carer restricted from their own child is never matched with anyone.
    const newcomer = family('new');
    const restrictedOwn = family('own', { children: [{ pupilId: 'own-child', yearGroup: '3', homeLanguage: null }], restrictedFrom: ['own-child'] });
    expect(suggestBuddies(newcomer, [restrictedOwn])).toEqual([]);
    expect(mayPair(newcomer, newcomer)).toBe(false);
    // Two carers of one child are one family, not buddies.
    const marta = family('marta', { children: [{ pupilId: 'kuba', yearGroup: '3', homeLanguage: 'Polish' }] });
    const tomasz = family('tomasz', { children: [{ pupilId: 'kuba', yearGroup: '3', homeLanguage: 'Polish' }] });
    expect(mayPair(marta, tomasz)).toBe(false);
  });

  it('shows contact details only once both families said yes, and never after a no', () => {
    const none = { newcomer_consent_at: null, buddy_consent_at: null, declined_at: null };
    expect(contactsShared(none)).toBe(false);
    expect(contactsShared({ ...none, newcomer_consent_at: 'x' })).toBe(false);
    expect(contactsShared({ ...none, buddy_consent_at: 'x' })).toBe(false);
    expect(contactsShared({ ...none, newcomer_consent_at: 'x', buddy_consent_at: 'y' })).toBe(true);
    expect(contactsShared({ newcomer_consent_at: 'x', buddy_consent_at: 'y', declined_at: 'z' })).toBe(false);
    expect(matchState({ ...none, newcomer_consent_at: 'x' })).toBe('waiting');
    expect(matchState({ ...none, declined_at: 'z' })).toBe('declined');
  });

  it('sets the check-in four weeks after the match', () => {
    expect(checkInOn('2026-11-26')).toBe('2026-12-24');
  });
});

describe('support directory suggestions', () => {
  const entries = [
    { name: 'Brookfield Food Bank', tags: 'food bank, food, money' },
    { name: 'ESOL at the library', tags: 'English classes; esol' },
    { name: 'Housing advice', tags: 'housing' },
  ];
  it('suggests an entry when an action mentions one of its words, as a whole word, any case', () => {
    const found = suggestSupport(entries, ['Mum will go to English classes at the library', 'School will ask about the FOOD bank']);
    expect(found.map((f) => f.entry.name)).toEqual(['Brookfield Food Bank', 'ESOL at the library']);
    expect(found[0]!.matched).toEqual(['food bank', 'food']);
    expect(suggestSupport(entries, ['Rehousing is not a word we match on'])).toEqual([]);
    expect(suggestSupport(entries, [])).toEqual([]);
  });
});

describe('welcome checklist', () => {
  it('lists the four steps and the agreement, with when and who helped', () => {
    const list = welcomeChecklist([{ step: 'forms_done', done_on: '2026-11-20', helpedBy: 'Ms Carys Lewis', note: 'With an interpreter' }], '2026-11-21');
    expect(list.map((i) => [i.step, i.done])).toEqual([
      ['induction_visit', false],
      ['forms_done', true],
      ['met_teacher', false],
      ['buddy_offered', false],
      ['agreement_signed', true],
    ]);
    expect(list[1]).toMatchObject({ doneOn: '2026-11-20', helpedBy: 'Ms Carys Lewis' });
    expect(welcomeChecklist([], null).at(-1)!.done).toBe(false);
  });
});

describe('the carer words in Ukrainian', () => {
  it('say that both families agreed, not "you both (women)"', async () => {
    const { default: uk } = await import('./i18n/uk.json', { with: { type: 'json' } });
    expect(uk['community.match.agreed']).toBe("Обидві сім'ї погодилися. Ось їхні дані:");
  });
});

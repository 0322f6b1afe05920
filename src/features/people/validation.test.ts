import { restrictionForm } from './forms.ts';
import { describe, expect, it } from 'vitest';
import { dateOfBirth, parseRelationship, parseSendStatus, parseYearGroup, personName, optionalPhone, yearOrder } from './validation.ts';

describe('people field rules', () => {
  it('keeps names in any script exactly', () => {
    for (const name of ['Zoë', 'Łukasz', 'محمد', "O'Brien-Smith", 'Nguyễn Thị']) {
      expect(personName('first name').parse(`  ${name} `)).toBe(name.normalize('NFC'));
    }
  });
  it('refuses markup and over-long names with a message naming the field', () => {
    expect(personName('first name').safeParse('<script>').error?.issues[0]?.message).toBe('First name must not contain < > { } or \\');
    expect(personName('last name').safeParse('x'.repeat(101)).error?.issues[0]?.message).toBe('Last name must be 100 characters or fewer');
  });
  it('reads dates the way records systems export them and refuses a birth in the future', () => {
    for (const typed of ['27/03/2019', '27 March 2019', '27 Mar 2019', '2019-03-27']) expect(dateOfBirth('2026-11-23').parse(typed)).toBe('2019-03-27');
    expect(dateOfBirth('2026-11-23').safeParse('31/02/2019').error?.issues[0]?.message).toBe('There is no 31 February 2019: write a real date, like 9/12/2026 or 9 December 2026');
    expect(dateOfBirth('2026-11-23').safeParse('01/01/2027').error?.issues[0]?.message).toBe('Date of birth must be in the past');
  });
  it('reads a restriction’s dates as typed, and says what is wrong with one that is not real', () => {
    const form = { carer_id: 'c1', kind: 'court_order', stops: 'contact', details: 'No contact' };
    expect(restrictionForm.parse({ ...form, starts_on: '23 Nov 2026', ends_on: '1/9/2027' })).toMatchObject({ starts_on: '2026-11-23', ends_on: '2027-09-01' });
    expect(restrictionForm.parse({ ...form, starts_on: '2026-11-23', ends_on: '' })).toMatchObject({ ends_on: null });
    const wrong = restrictionForm.safeParse({ ...form, starts_on: '', ends_on: '31/9/2027' }).error?.issues.map((i) => [i.path[0], i.message]);
    expect(wrong).toEqual([
      ['starts_on', 'Enter the start date'],
      ['ends_on', 'There is no 31 September 2027: write a real date, like 9/12/2026 or 9 December 2026'],
    ]);
  });
  it('reads a restriction’s dates from GOV.UK’s three boxes, naming the box that is missing', () => {
    const form = { carer_id: 'c1', kind: 'court_order', stops: 'contact', details: 'No contact' };
    expect(restrictionForm.parse({ ...form, starts_on: { day: '23', month: '11', year: '2026' }, ends_on: { day: '', month: '', year: '' } })).toMatchObject({
      starts_on: '2026-11-23',
      ends_on: null,
    });
    const wrong = restrictionForm.safeParse({ ...form, starts_on: { day: '23', month: '', year: '2026' } }).error?.issues.map((i) => [i.path[0], i.message]);
    expect(wrong).toEqual([['starts_on', 'The start date must include a month']]);
  });
  it('understands year groups, SEN codes and relationships in their common spellings', () => {
    expect(['Year 3', 'Y3', '3', 'NC Year 3'].map(parseYearGroup)).toEqual(['3', '3', '3', '3']);
    expect(['R', 'Reception', 'N1', 'Nursery'].map(parseYearGroup)).toEqual(['R', 'R', 'N', 'N']);
    expect(parseYearGroup('Year 14')).toBeNull();
    expect(['N', 'K', 'E', 'EHCP'].map(parseSendStatus)).toEqual(['none', 'sen_support', 'ehcp', 'ehcp']);
    expect(['Mum', 'Step-Father', 'Foster Carer', 'Grandmother'].map(parseRelationship)).toEqual(['mother', 'step_parent', 'foster_carer', 'grandparent']);
  });
  it('stores phone numbers in one shape', () => {
    expect(optionalPhone.parse('+44 7700 900 123')).toBe('07700900123');
    expect(optionalPhone.safeParse('123').success).toBe(false);
  });
});

describe('year groups in school order', () => {
  it('puts Nursery and Reception before Year 1, Year 10 after Year 9, and no year group last', () => {
    const years = ['10', 'R', '6', null, '1', 'N', '9'] as const;
    expect([...years].sort((a, b) => yearOrder(a) - yearOrder(b))).toEqual(['N', 'R', '1', '6', '9', '10', null]);
  });
});

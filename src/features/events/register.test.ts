import { describe, expect, it } from 'vitest';
import { carersOnForm, doorChild, familyMatches, filterRegister, nameMatches, noneFound, readRegisterFilter, registerUrl, type DoorChild } from './register.ts';

const row = (name: string, o: { saidYes?: boolean; came?: boolean; firstTime?: boolean; children?: DoorChild[] } = {}) => ({ name, children: [], saidYes: false, came: false, firstTime: false, ...o });
const child = (given: string, family: string, preferred: string | null = null) => doorChild({ id: given, given_name: given, preferred_name: preferred, family_name: family, year_group: '3' });

describe('finding a family on the register at the door', () => {
  it('finds a name from any part of it, in any case, with or without accents or apostrophes', () => {
    expect(nameMatches('Marta Nowak', 'now')).toBe(true);
    expect(nameMatches('Marta Nowak', 'NOWAK')).toBe(true);
    expect(nameMatches('Marta Nowak', 'marta now')).toBe(true);
    expect(nameMatches('Zofia Wójcik', 'wojcik')).toBe(true);
    expect(nameMatches('Siobhán O’Brien', 'obrien')).toBe(true);
    expect(nameMatches('Anne-Marie Jones', 'anne marie')).toBe(true);
    expect(nameMatches('Marta Nowak', 'nowak grace')).toBe(false);
  });

  it('finds a family by a child’s first, preferred or last name, as the carer is often known at the door', () => {
    const marta = { name: 'Marta Nowak', children: [child('Jakub', 'Nowak', 'Kuba'), child('Aleksandra', 'Nowak', 'Ola')] };
    expect(child('Jakub', 'Nowak', 'Kuba')).toMatchObject({ name: 'Kuba Nowak', year: 'Year 3' });
    expect(familyMatches(marta, 'kuba')).toBe(true);
    expect(familyMatches(marta, 'JAKUB')).toBe(true);
    expect(familyMatches(marta, 'ola nowak')).toBe(true);
    expect(familyMatches(marta, 'marta kuba')).toBe(true);
    expect(familyMatches({ name: 'Olena Shevchenko', children: [child('Mykhailo', 'Łysenko')] }, 'mykhailo lysenko')).toBe(true);
    expect(familyMatches(marta, 'lily')).toBe(false);
    // Words from two different children are not one child's name.
    expect(familyMatches(marta, 'kuba aleksandra')).toBe(false);
    const rows = [row('Sarah Dean', { children: [child('Lily', 'Dean')] }), row('Mark Dean'), row('Marta Nowak', { children: marta.children })];
    expect(filterRegister(rows, { q: 'lily', who: 'all' }).map((r) => r.name)).toEqual(['Sarah Dean']);
    expect(filterRegister(rows, { q: 'kuba', who: 'all' }).map((r) => r.name)).toEqual(['Marta Nowak']);
  });

  it('shows those who said yes, those not ticked yet, or those here for the first time, in the register’s order', () => {
    const rows = [row('Marta Nowak', { saidYes: true, came: true }), row('Grace Mensah', { came: true, firstTime: true }), row('Tomasz Nowak')];
    expect(filterRegister(rows, { q: '', who: 'all' }).map((r) => r.name)).toEqual(['Marta Nowak', 'Grace Mensah', 'Tomasz Nowak']);
    expect(filterRegister(rows, { q: '', who: 'yes' }).map((r) => r.name)).toEqual(['Marta Nowak']);
    expect(filterRegister(rows, { q: '', who: 'unmarked' }).map((r) => r.name)).toEqual(['Tomasz Nowak']);
    expect(filterRegister(rows, { q: '', who: 'first' }).map((r) => r.name)).toEqual(['Grace Mensah']);
    expect(filterRegister(rows, { q: 'nowak', who: 'unmarked' }).map((r) => r.name)).toEqual(['Tomasz Nowak']);
  });

  it('reads the address leniently: a word it does not know, or a list, shows everyone; a long search is cut', () => {
    expect(readRegisterFilter({ q: '  Marta   Nowak ', who: 'yes' })).toEqual({ q: 'Marta Nowak', who: 'yes' });
    expect(readRegisterFilter({ who: 'everyone!' })).toEqual({ q: '', who: 'all' });
    expect(readRegisterFilter({ q: ['a', 'b'], who: ['yes'] })).toEqual({ q: '', who: 'all' });
    expect(readRegisterFilter({ q: 'x'.repeat(500) }).q).toHaveLength(100);
  });

  it('keeps the filter in the address after saving, and says when nobody fits', () => {
    expect(registerUrl('/r', { q: 'Nowak', who: 'unmarked' }, { done: 'register' })).toBe('/r?done=register&q=Nowak&who=unmarked');
    expect(registerUrl('/r', { q: '', who: 'all' })).toBe('/r');
    expect(noneFound({ q: 'Zed', who: 'unmarked' })).toBe('No family called “Zed” is still to be ticked.');
    expect(noneFound({ q: '', who: 'first' })).toBe('No family is here for the first time.');
  });

  it('changes only the families on the form that was saved', () => {
    expect(carersOnForm({ shown: ['a', 'b', 'x'] }, ['a', 'b', 'c'])).toEqual(['a', 'b']);
    expect(carersOnForm({ shown: 'c' }, ['a', 'b', 'c'])).toEqual(['c']);
    expect(carersOnForm({}, ['a', 'b', 'c'])).toEqual(['a', 'b', 'c']);
  });
});

import { describe, expect, it } from 'vitest';
import type { YearGroup } from '../../db/schema.ts';
import { currentVersion, familyGroups, hasSigned, inSchoolOrder, pupilSigns, reviewDue, signaturesCountFrom, summarise, textBlocks, VersionForm, type Obligation } from './agreement.ts';

const v = (version: number, status: 'draft' | 'published', asks: 0 | 1) => ({ id: `v${version}`, version, status, asks_resigning: asks });

describe('which version counts', () => {
  it('the current version is the latest published one; a draft is never shown', () => {
    expect(currentVersion([v(1, 'published', 1), v(2, 'published', 0), v(3, 'draft', 1)])?.version).toBe(2);
    expect(currentVersion([v(1, 'draft', 1)])).toBeNull();
  });
  it('signatures count from the latest version that asked for re-signing; the first always asks', () => {
    expect(signaturesCountFrom([v(1, 'published', 0)])).toBe(1);
    expect(signaturesCountFrom([v(1, 'published', 1), v(2, 'published', 0)])).toBe(1);
    expect(signaturesCountFrom([v(1, 'published', 1), v(2, 'published', 0), v(3, 'published', 1), v(4, 'draft', 1)])).toBe(3);
    expect(signaturesCountFrom([])).toBeNull();
  });
  it('a signature on an older version no longer counts once a version asks again', () => {
    expect(hasSigned([1], 1)).toBe(true);
    expect(hasSigned([1, 2], 3)).toBe(false);
    expect(hasSigned([4], 3)).toBe(true);
    expect(hasSigned([1], null)).toBe(false);
  });
});

describe('who signs', () => {
  it('pupils sign from Year 3 up', () => {
    expect(['N', 'R', '1', '2'].map((y) => pupilSigns(y as never))).toEqual([false, false, false, false]);
    expect(['3', '6', '11'].map((y) => pupilSigns(y as never))).toEqual([true, true, true]);
  });
  it('groups of families: home language, EAL, SEND, paper only', () => {
    expect(familyGroups({ homeLanguage: 'Somali', eal: 1, send: 'none', carerHasEmail: false, paperCopies: 1 })).toEqual([
      'Home language: Somali',
      'English as an additional language',
      'Paper only (no email, or asked for paper)',
    ]);
    expect(familyGroups({ homeLanguage: null, eal: 0, send: 'ehcp', carerHasEmail: true, paperCopies: 0 })).toEqual(['Home language: English', 'Special educational needs (SEND)']);
  });
});

describe('who has not signed', () => {
  const CLASS_YEARS: Record<string, YearGroup> = { Nursery: 'N', Reception: 'R', '1 Hall': '1', '3 Okafor': '3', '6 Byrne': '6', '6 Ali': '6' };
  const o = (className: string, signer: 'carer' | 'pupil', signed: boolean, groups: string[] = [], how: Obligation['how'] = signed ? 'portal' : null): Obligation => ({
    pupilId: 'p',
    pupilName: 'P',
    className,
    classYear: CLASS_YEARS[className] ?? null,
    signer,
    carerId: signer === 'carer' ? 'c' : null,
    carerName: null,
    signed,
    how,
    groups,
  });
  it('counts carers and pupils by class, and carers by group; paper signatures are counted', () => {
    const s = summarise([
      o('3 Okafor', 'carer', true, ['Home language: Polish']),
      o('3 Okafor', 'carer', false, ['Home language: Polish']),
      o('3 Okafor', 'pupil', true),
      o('Nursery', 'carer', true, ['Paper only'], 'paper'),
    ]);
    expect(s.byClass).toEqual([
      { name: 'Nursery', carers: { name: 'Carers', due: 1, signed: 1 }, pupils: null },
      { name: '3 Okafor', carers: { name: 'Carers', due: 2, signed: 1 }, pupils: { name: 'Pupils', due: 1, signed: 1 } },
    ]);
    expect(s.byGroup).toEqual([
      { name: 'Home language: Polish', due: 2, signed: 1 },
      { name: 'Paper only', due: 1, signed: 1 },
    ]);
    expect(s.paper).toBe(1);
    expect([s.carers.signed, s.carers.due, s.pupils.signed, s.pupils.due]).toEqual([2, 3, 1, 1]);
  });
  it('lists classes in school order, Nursery and Reception first, not alphabetically; classes of one year by name; no class last', () => {
    const classes = ['6 Byrne', 'No class', 'Reception', '3 Okafor', '1 Hall', '6 Ali', 'Nursery'];
    const schoolOrder = ['Nursery', 'Reception', '1 Hall', '3 Okafor', '6 Ali', '6 Byrne', 'No class'];
    expect(summarise(classes.map((c) => o(c, 'carer', false))).byClass.map((c) => c.name)).toEqual(schoolOrder);
    expect(inSchoolOrder(classes.map((c) => o(c, 'carer', false))).map((x) => x.className)).toEqual(schoolOrder);
  });
});

describe('the governors’ yearly review', () => {
  it('is due a year after the last, shown from a month before, and overdue after', () => {
    expect(reviewDue(null, '2026-11-26')).toEqual({ dueOn: null, state: 'never' });
    expect(reviewDue('2026-01-10', '2026-11-26')).toEqual({ dueOn: '2027-01-10', state: 'done' });
    expect(reviewDue('2025-12-20', '2026-11-26')).toEqual({ dueOn: '2026-12-20', state: 'soon' });
    expect(reviewDue('2025-10-01', '2026-11-26')).toEqual({ dueOn: '2026-10-01', state: 'overdue' });
  });
});

describe('the draft form', () => {
  it('keeps promises in order with their measures, skipping blank slots', () => {
    const r = VersionForm.safeParse({ title: 'Ours', carers_text: 'a', pupils_text: 'b', promise_1: 'Tell you in advance', measure_1: 'agenda_ahead', promise_3: 'Be welcoming', measure_3: '' });
    expect(r.success && r.data.promises).toEqual([
      { text: 'Tell you in advance', measure: 'agenda_ahead' },
      { text: 'Be welcoming', measure: null },
    ]);
  });
  it('refuses a measure that is not on the list, and a measure without a promise', () => {
    expect(VersionForm.safeParse({ title: 'Ours', carers_text: 'a', pupils_text: 'b', promise_1: 'x', measure_1: 'drop table' }).success).toBe(false);
    const r = VersionForm.safeParse({ title: 'Ours', carers_text: 'a', pupils_text: 'b', promise_1: 'x', measure_2: 'praise_families' });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.path).toEqual(['promise_2']);
  });
});

describe('the agreement text in blocks', () => {
  it('makes lines starting "- " a list, keeps headings and other lines as paragraphs, and drops blanks', () => {
    const text = 'Our agreement\n\nWhat the school will do:\n- Tell you in advance\n- Share good news\n\nWhat we ask of carers:\r\n– Read at home\n• Come on time\nThank you.';
    expect(textBlocks(text)).toEqual([
      { kind: 'paragraph', lines: ['Our agreement'] },
      { kind: 'paragraph', lines: ['What the school will do:'] },
      { kind: 'list', items: ['Tell you in advance', 'Share good news'] },
      { kind: 'paragraph', lines: ['What we ask of carers:'] },
      { kind: 'list', items: ['Read at home', 'Come on time'] },
      { kind: 'paragraph', lines: ['Thank you.'] },
    ]);
  });
  it('leaves a dash inside a line, or a dash alone, as written', () => {
    expect(textBlocks('Well-being - every day\n-\n-5 degrees')).toEqual([{ kind: 'paragraph', lines: ['Well-being - every day', '-', '-5 degrees'] }]);
  });
});

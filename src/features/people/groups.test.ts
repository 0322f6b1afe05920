import { describe, expect, it } from 'vitest';
import { shareByGroup } from './groups.ts';

describe('a share by group of families', () => {
  const labels = { all: 'All pupils', language: (l: string) => `Home language: ${l}` };

  it('counts a member in each of its groups once, in school and alphabetical order, and rounds to a whole percentage', () => {
    const rows = shareByGroup(
      [
        { children: [{ yearGroup: '6', send: 'none', eal: true }], language: 'Urdu', counted: true },
        { children: [{ yearGroup: '6', send: 'ehcp', eal: false }], language: 'English', counted: false },
        { children: [{ yearGroup: 'R', send: 'none', eal: true }], language: 'Arabic', counted: true },
      ],
      labels,
    );
    expect(rows.map((r) => [r.group, r.of, r.counted, r.share])).toEqual([
      ['All pupils', 3, 2, 67],
      ['Reception', 1, 1, 100],
      ['Year 6', 2, 1, 50],
      ['Home language: English', 1, 0, 0],
      ['Home language: Arabic', 1, 1, 100],
      ['Home language: Urdu', 1, 1, 100],
      ['SEND (SEN support or EHCP)', 1, 0, 0],
      ['English as an additional language', 2, 2, 100],
    ]);
  });

  it('leaves out a language it does not know, and gives no rows for nobody', () => {
    expect(shareByGroup([{ children: [{ yearGroup: '1', send: 'none', eal: true }], language: null, counted: false }], labels).map((r) => r.group)).toEqual([
      'All pupils',
      'Year 1',
      'English as an additional language',
    ]);
    expect(shareByGroup([], labels)).toEqual([]);
  });
});

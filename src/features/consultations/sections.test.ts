import { describe, expect, it } from 'vitest';
import { aYearOn, reviewsToRemind, splitSections } from './sections.ts';

describe('splitting a policy into sections', () => {
  it('starts a section at each "## " heading, with any opening words as an introduction', () => {
    const text = 'Our aims for everyone.\n\n## Rewards\nHouse points and praise.\n\n## Sanctions\nA quiet word first.\r\nThen a call home.';
    expect(splitSections(text)).toEqual([
      { heading: 'Introduction', body: 'Our aims for everyone.' },
      { heading: 'Rewards', body: 'House points and praise.' },
      { heading: 'Sanctions', body: 'A quiet word first.\nThen a call home.' },
    ]);
  });

  it('splits a text with no headings at its paragraphs', () => {
    expect(splitSections('First part.\n\nSecond part.')).toEqual([
      { heading: 'Part 1', body: 'First part.' },
      { heading: 'Part 2', body: 'Second part.' },
    ]);
  });
});

describe('reminding owners of reviews', () => {
  const p = (title: string, next: string, statutory: 0 | 1) => ({ id: title, title, next_review_on: next, statutory_yearly: statutory });

  it('lists overdue and soon-due reviews, statutory yearly ones first, and leaves later ones out', () => {
    const due = reviewsToRemind([p('Uniform', '2026-12-01', 0), p('Charging', '2026-12-20', 1), p('Behaviour', '2026-11-30', 1), p('Trips', '2027-06-01', 0)], '2026-12-06');
    expect(due.map((d) => [d.title, d.overdue])).toEqual([
      ['Behaviour', true],
      ['Charging', false],
      ['Uniform', true],
    ]);
  });

  it('moves the next review a year on, 29 February to 28 February', () => {
    expect(aYearOn('2026-12-06')).toBe('2027-12-06');
    expect(aYearOn('2028-02-29')).toBe('2029-02-28');
  });
});

import { describe, expect, it } from 'vitest';
import { closureProblems, stillToCome, termProblems, termsRunningOut, type Closure, type Term } from './term-dates.ts';

const autumn: Term = { id: 'a', name: 'Autumn term 2026', starts_on: '2026-09-02', ends_on: '2026-12-18' };
const spring: Term = { id: 's', name: 'Spring term 2027', starts_on: '2027-01-05', ends_on: '2027-03-26' };
const inset: Closure = { id: 'i', reason: 'INSET day', starts_on: '2027-01-05', ends_on: '2027-01-05' };

describe('term dates, as rules', () => {
  it('refuses a term that ends before it starts, runs over 18 weeks, overlaps another or repeats a name', () => {
    expect(termProblems({ name: 'Summer term 2027', starts_on: '2027-04-12', ends_on: '2027-04-11' }, [autumn, spring])).toEqual({
      ends_on: 'The last day of term must be the same as or after the first day',
    });
    expect(termProblems({ name: 'Summer term 2027', starts_on: '2027-04-12', ends_on: '2027-09-01' }, [autumn, spring]).ends_on).toBe('A term is at most 18 weeks long: check the dates');
    expect(termProblems({ name: 'Summer term 2027', starts_on: '2027-03-20', ends_on: '2027-07-21' }, [autumn, spring])).toEqual({
      starts_on: 'These dates overlap Spring term 2027 (5 January 2027 to 26 March 2027)',
    });
    expect(termProblems({ name: 'spring term 2027', starts_on: '2027-04-12', ends_on: '2027-07-21' }, [autumn, spring]).name).toContain('There is already a term called');
    expect(termProblems({ name: 'Summer term 2027', starts_on: '2027-04-12', ends_on: '2027-07-21' }, [autumn, spring])).toEqual({});
  });

  it('refuses a closure outside every term, overlapping another, back to front or longer than two weeks', () => {
    expect(closureProblems({ reason: 'INSET day', starts_on: '2026-12-21', ends_on: '2026-12-21' }, [autumn, spring], []).closed_from).toContain('No term includes these days');
    expect(closureProblems({ reason: 'Snow', starts_on: '2027-01-04', ends_on: '2027-01-06' }, [autumn, spring], [inset])).toEqual({
      closed_from: 'The school is already closed then: INSET day (5 January 2027)',
    });
    expect(closureProblems({ reason: 'Snow', starts_on: '2027-01-07', ends_on: '2027-01-06' }, [autumn, spring], [inset]).closed_to).toContain('same as or after');
    expect(closureProblems({ reason: 'Works', starts_on: '2027-02-01', ends_on: '2027-02-20' }, [autumn, spring], [inset]).closed_to).toContain('at most two weeks');
    expect(closureProblems({ reason: 'Polling day', starts_on: '2027-05-06', ends_on: '2027-05-06' }, [autumn, spring], [inset]).closed_from).toBeDefined(); // no summer term yet
    expect(closureProblems({ reason: 'Bank holiday', starts_on: '2026-11-02', ends_on: '2026-11-02' }, [autumn, spring], [inset])).toEqual({});
  });

  it('shows what is still to come in date order, and warns six weeks before the last term ends', () => {
    expect(stillToCome([spring, autumn], '2026-12-19').map((t) => t.id)).toEqual(['s']);
    expect(stillToCome([spring, autumn], '2026-12-18').map((t) => t.id)).toEqual(['a', 's']);
    expect(termsRunningOut([autumn, spring], '2027-02-11')).toBeNull();
    expect(termsRunningOut([autumn, spring], '2027-02-12')).toBe('2027-03-26');
    expect(termsRunningOut([], '2027-02-12')).toBe('2027-02-12');
  });
});

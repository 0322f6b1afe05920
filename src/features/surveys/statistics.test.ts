import { describe, expect, it } from 'vitest';
import { describeChange, hiddenGroups, newcombeDifference, newcombePairedDifference, percentAgree, surveyShown, wilsonInterval, type Estimate } from './statistics.ts';

/** Rounded to 4 places, as the papers print them. */
function four(e: Estimate | null): [number, number, number] | null {
  return e && ([e.estimate, e.lower, e.upper].map((x) => Math.round(x * 10000) / 10000) as [number, number, number]);
}

describe('Wilson score interval (Newcombe 1998a, Table I, method 3)', () => {
  it.each([
    [81, 263, 0.308, 0.2553, 0.3662],
    [15, 148, 0.1014, 0.0624, 0.1605],
    [0, 20, 0, 0, 0.1611],
    [1, 29, 0.0345, 0.0061, 0.1718],
  ])('%i of %i', (successes, total, estimate, lower, upper) => {
    expect(four(wilsonInterval({ successes, total }))).toEqual([estimate, lower, upper]);
  });

  it('gives no figure for no answers, and an upper limit of 1 when everybody agrees', () => {
    expect(wilsonInterval({ successes: 0, total: 0 })).toBeNull();
    expect(wilsonInterval({ successes: 20, total: 20 })!.upper).toBe(1);
  });

  it('refuses counts that are not counts', () => {
    expect(() => wilsonInterval({ successes: 5, total: 4 })).toThrow(RangeError);
    expect(() => wilsonInterval({ successes: -1, total: 4 })).toThrow(RangeError);
    expect(() => wilsonInterval({ successes: 1.5, total: 4 })).toThrow(RangeError);
  });
});

describe('Newcombe hybrid score interval, independent samples (Newcombe 1998, Table II, method 10)', () => {
  it.each([
    [56, 70, 48, 80, 0.2, 0.0524, 0.3339],
    [9, 10, 3, 10, 0.6, 0.1705, 0.809],
    [5, 56, 0, 29, 0.0893, -0.0381, 0.1926],
    [0, 10, 0, 20, 0, -0.1611, 0.2775],
    [0, 10, 0, 10, 0, -0.2775, 0.2775],
    [10, 10, 0, 20, 1, 0.6791, 1],
    [10, 10, 0, 10, 1, 0.6075, 1],
  ])('%i/%i − %i/%i', (r1, n1, r2, n2, estimate, lower, upper) => {
    const d = newcombeDifference({ successes: r1, total: n1 }, { successes: r2, total: n2 });
    expect(four(d)).toEqual([estimate, lower, upper]);
  });

  it('is the mirror image when the two are swapped', () => {
    const d = newcombeDifference({ successes: 48, total: 80 }, { successes: 56, total: 70 })!;
    expect(four(d)).toEqual([-0.2, -0.3339, -0.0524]);
  });

  it('gives no figure when either side has no answers', () => {
    expect(newcombeDifference({ successes: 0, total: 0 }, { successes: 3, total: 10 })).toBeNull();
  });
});

describe('Newcombe hybrid score interval, paired (Newcombe 1998b, method 10)', () => {
  it('36 agreed both times, 12 only after, 2 only before, 4 neither (Newcombe 1998b example)', () => {
    // The paper prints 0.1852 (0.0506 to 0.3170); computed here 0.3173 at the top, within rounding of
    // the paper's intermediate values.
    const d = newcombePairedDifference({ both: 36, afterOnly: 12, beforeOnly: 2, neither: 4 })!;
    expect(d.estimate).toBeCloseTo(0.1852, 4);
    expect(d.lower).toBeCloseTo(0.0506, 4);
    expect(d.upper).toBeCloseTo(0.317, 3);
  });

  it('complete response before and after consolidation therapy (Cavo et al. 2012, in Fagerland, Lydersen and Laake 2017, ch. 8)', () => {
    expect(four(newcombePairedDifference({ both: 59, afterOnly: 6, beforeOnly: 16, neither: 80 }))).toEqual([-0.0621, -0.1186, -0.0046]);
  });

  it('is narrower than the independent interval when people answer consistently', () => {
    const paired = newcombePairedDifference({ both: 36, afterOnly: 12, beforeOnly: 2, neither: 4 })!;
    const independent = newcombeDifference({ successes: 48, total: 54 }, { successes: 38, total: 54 })!;
    expect(paired.upper - paired.lower).toBeLessThan(independent.upper - independent.lower);
  });

  it('gives no figure for no pairs, and stays within −1 and 1', () => {
    expect(newcombePairedDifference({ both: 0, afterOnly: 0, beforeOnly: 0, neither: 0 })).toBeNull();
    const all = newcombePairedDifference({ both: 0, afterOnly: 10, beforeOnly: 0, neither: 0 })!;
    expect(all.estimate).toBe(1);
    expect(all.upper).toBeLessThanOrEqual(1);
  });
});

describe('% agree', () => {
  it('counts strongly agree and agree out of those who gave a view, with don’t know apart', () => {
    const result = percentAgree({ stronglyAgree: 10, agree: 14, disagree: 20, stronglyDisagree: 6, dontKnow: 30 });
    expect(result.agreeing).toBe(24);
    expect(result.gaveView).toBe(50);
    expect(result.dontKnow).toBe(30);
    expect(result.share!.estimate).toBe(0.48);
    expect(result.share!.lower).toBeLessThan(0.48);
    expect(result.share!.upper).toBeGreaterThan(0.48);
  });

  it('has no figure when everybody said don’t know', () => {
    const result = percentAgree({ stronglyAgree: 0, agree: 0, disagree: 0, stronglyDisagree: 0, dontKnow: 12 });
    expect(result.share).toBeNull();
    expect(result.dontKnow).toBe(12);
  });
});

describe('small-number suppression', () => {
  it('shows nothing for a survey of fewer than 10 responses', () => {
    expect(surveyShown(9)).toBe(false);
    expect(surveyShown(10)).toBe(true);
    const hidden = hiddenGroups([
      { key: 'Year 7', responses: 5 },
      { key: 'Year 8', responses: 4 },
    ]);
    expect([...hidden.entries()]).toEqual([
      ['Year 7', 'survey-too-small'],
      ['Year 8', 'survey-too-small'],
    ]);
  });

  it('shows every group of 5 or more when none is small', () => {
    expect(
      hiddenGroups([
        { key: 'Year 7', responses: 5 },
        { key: 'Year 8', responses: 12 },
      ]).size,
    ).toBe(0);
  });

  it('the subtraction attack: one small group hidden alone could be worked out, so the next smallest goes too', () => {
    // Total 40 is shown; EAL 3 is small. Showing "not EAL 37" would give EAL away as 40 − 37.
    const groups = [
      { key: 'English at home', responses: 37 },
      { key: 'EAL', responses: 3 },
    ];
    const hidden = hiddenGroups(groups);
    expect(hidden.get('EAL')).toBe('group-too-small');
    expect(hidden.get('English at home')).toBe('could-be-worked-out');
  });

  it('hides the next smallest group, not the biggest', () => {
    const hidden = hiddenGroups([
      { key: 'Year 7', responses: 30 },
      { key: 'Year 8', responses: 3 },
      { key: 'Year 9', responses: 8 },
      { key: 'Year 10', responses: 20 },
    ]);
    expect(new Set(hidden.keys())).toEqual(new Set(['Year 8', 'Year 9']));
    expect(hidden.get('Year 9')).toBe('could-be-worked-out');
    // What is shown plus the total no longer pins down either hidden group.
    const shown = 30 + 20;
    expect(61 - shown).toBe(11);
  });

  it('keeps hiding while the hidden groups together come to fewer than 5', () => {
    // Two hidden groups of 1 and 2 would still say "3 people in these two groups".
    const hidden = hiddenGroups([
      { key: 'A', responses: 1 },
      { key: 'B', responses: 2 },
      { key: 'C', responses: 6 },
      { key: 'D', responses: 20 },
    ]);
    expect(new Set(hidden.keys())).toEqual(new Set(['A', 'B', 'C']));
  });

  it('never hides a group of nobody and never needs to when two small groups hide each other', () => {
    const hidden = hiddenGroups([
      { key: 'A', responses: 0 },
      { key: 'B', responses: 3 },
      { key: 'C', responses: 4 },
      { key: 'D', responses: 20 },
    ]);
    expect(new Set(hidden.keys())).toEqual(new Set(['B', 'C']));
  });
});

describe('the words a governor reads', () => {
  const count = (successes: number, total: number) => ({ successes, total });

  it('calls a change real only when its interval excludes zero', () => {
    const up = describeChange(count(24, 100), count(47, 100));
    expect(up.words).toBe('a real improvement');
    expect(up.difference!.lower).toBeGreaterThan(0);
    const down = describeChange(count(47, 100), count(24, 100));
    expect(down.words).toBe('a real fall');
    expect(down.difference!.upper).toBeLessThan(0);
  });

  it('says "no clear change" when the interval includes zero with enough answers', () => {
    const flat = describeChange(count(50, 100), count(55, 100));
    expect(flat.words).toBe('no clear change');
    expect(flat.difference!.lower).toBeLessThan(0);
    expect(flat.difference!.upper).toBeGreaterThan(0);
  });

  it('says "too few answers to tell" and shows no figure when either survey is suppressed', () => {
    const few = describeChange(count(2, 9), count(9, 9));
    expect(few).toEqual({ verdict: 'too-few', words: 'too few answers to tell', difference: null, paired: false });
  });

  it('uses the paired interval when the same named people answered both', () => {
    const pairs = { both: 36, afterOnly: 12, beforeOnly: 2, neither: 4 };
    const change = describeChange(count(38, 54), count(48, 54), pairs);
    expect(change.paired).toBe(true);
    expect(change.words).toBe('a real improvement');
    expect(change.difference!.lower).toBeCloseTo(0.0506, 4);
  });

  it('is "too few answers to tell" with fewer than 10 pairs', () => {
    const change = describeChange(count(30, 50), count(40, 50), { both: 3, afterOnly: 4, beforeOnly: 0, neither: 1 });
    expect(change.verdict).toBe('too-few');
  });
});

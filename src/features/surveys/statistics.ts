// Survey statistics: plain functions over counts. No database, no HTTP.
//
// - Wilson score interval for one proportion (Wilson 1927; Newcombe 1998a, method 3).
// - Newcombe hybrid score interval for the difference of two independent proportions
//   (Newcombe 1998, Statistics in Medicine 17:873-890, method 10).
// - Newcombe hybrid score interval for the difference of two paired proportions
//   (Newcombe 1998, Statistics in Medicine 17:2635-2650, method 10, with the corrected phi).
// - "% agree" on the five-point agreement scale.
// - Small-number suppression, including complementary suppression (the subtraction attack).
// - The words a governor reads for a change.
//
// All intervals are 95% two-sided. Proportions are fractions (0..1); turning them into
// percentages and rounding them is the page's job.

/** z for a 95% two-sided interval. */
const Z = 1.959963984540054;

/** A count of "yes" out of a total. */
export interface Count {
  readonly successes: number;
  readonly total: number;
}

/** A point estimate with its 95% interval, all as fractions. */
export interface Estimate {
  readonly estimate: number;
  readonly lower: number;
  readonly upper: number;
}

function checkCount({ successes, total }: Count): void {
  if (!Number.isInteger(successes) || !Number.isInteger(total) || successes < 0 || total < 0 || successes > total) {
    throw new RangeError(`not a count: ${successes} of ${total}`);
  }
}

/**
 * Wilson score 95% interval for successes/total. Null when total is 0 (no answers, no figure).
 * Stays inside 0..1 and is sensible at 0 and at total, unlike the textbook "p ± 1.96 se".
 */
export function wilsonInterval(count: Count): Estimate | null {
  checkCount(count);
  const { successes: r, total: n } = count;
  if (n === 0) return null;
  const p = r / n;
  const z2 = Z * Z;
  const centre = 2 * n * p + z2;
  const spread = Z * Math.sqrt(z2 + 4 * n * p * (1 - p));
  const denominator = 2 * (n + z2);
  return {
    estimate: p,
    lower: r === 0 ? 0 : (centre - spread) / denominator,
    upper: r === n ? 1 : (centre + spread) / denominator,
  };
}

/**
 * Newcombe's hybrid score 95% interval for after − before, two independent samples
 * (different people, or anonymous answers that cannot be paired). Null when either has no answers.
 */
export function newcombeDifference(after: Count, before: Count): Estimate | null {
  const a = wilsonInterval(after);
  const b = wilsonInterval(before);
  if (!a || !b) return null;
  const d = a.estimate - b.estimate;
  return {
    estimate: d,
    lower: Math.max(-1, d - Math.hypot(a.estimate - a.lower, b.upper - b.estimate)),
    upper: Math.min(1, d + Math.hypot(a.upper - a.estimate, b.estimate - b.lower)),
  };
}

/** The same named people asked twice: how many agreed both times, only after, only before, neither. */
export interface PairedCounts {
  readonly both: number;
  readonly afterOnly: number;
  readonly beforeOnly: number;
  readonly neither: number;
}

/**
 * Newcombe's hybrid score 95% interval for after − before when the same people answered both
 * (paired; Newcombe 1998b method 10). Pairing narrows the interval when people answer consistently.
 * Null when there are no pairs.
 */
export function newcombePairedDifference(pairs: PairedCounts): Estimate | null {
  const { both: a, afterOnly: b, beforeOnly: c, neither: d } = pairs;
  for (const v of [a, b, c, d]) {
    if (!Number.isInteger(v) || v < 0) throw new RangeError(`not a count: ${v}`);
  }
  const n = a + b + c + d;
  if (n === 0) return null;
  const after = wilsonInterval({ successes: a + b, total: n })!;
  const before = wilsonInterval({ successes: a + c, total: n })!;
  const p1 = after.estimate;
  const p2 = before.estimate;
  // Correlation between the two answers, with Newcombe's correction: ad − bc is shrunk by n/2
  // towards zero when positive, and phi is 0 when any margin is empty.
  const product = (a + b) * (c + d) * (a + c) * (b + d);
  const cross = a * d - b * c;
  const corrected = cross > n / 2 ? cross - n / 2 : cross < 0 ? cross : 0;
  const phi = product === 0 ? 0 : corrected / Math.sqrt(product);
  const dl1 = p1 - after.lower;
  const du1 = after.upper - p1;
  const dl2 = p2 - before.lower;
  const du2 = before.upper - p2;
  const diff = (b - c) / n;
  return {
    estimate: diff,
    lower: Math.max(-1, diff - Math.sqrt(Math.max(0, dl1 * dl1 - 2 * phi * dl1 * du2 + du2 * du2))),
    upper: Math.min(1, diff + Math.sqrt(Math.max(0, du1 * du1 - 2 * phi * du1 * dl2 + dl2 * dl2))),
  };
}

/** Answers to one statement on the agreement scale. */
export interface AgreementCounts {
  readonly stronglyAgree: number;
  readonly agree: number;
  readonly disagree: number;
  readonly stronglyDisagree: number;
  readonly dontKnow: number;
}

/** "% agree": strongly agree + agree out of those who gave a view; "don't know" counted apart. */
export interface PercentAgree {
  readonly agreeing: number;
  /** Everyone who chose strongly agree, agree, disagree or strongly disagree. */
  readonly gaveView: number;
  readonly dontKnow: number;
  /** Null when nobody gave a view. */
  readonly share: Estimate | null;
}

export function percentAgree(counts: AgreementCounts): PercentAgree {
  const agreeing = counts.stronglyAgree + counts.agree;
  const gaveView = agreeing + counts.disagree + counts.stronglyDisagree;
  return {
    agreeing,
    gaveView,
    dontKnow: counts.dontKnow,
    share: wilsonInterval({ successes: agreeing, total: gaveView }),
  };
}

/** No figure at all for a survey with fewer responses than this (as Parent View publishes). */
export const SURVEY_MINIMUM = 10;
/** No breakdown for a group with fewer responses than this. */
export const GROUP_MINIMUM = 5;

/** Whether a whole survey has enough responses for any figure to be shown. */
export function surveyShown(responses: number): boolean {
  return responses >= SURVEY_MINIMUM;
}

/** One group in a breakdown (a year, a language, SEND...). */
export interface Group {
  readonly key: string;
  readonly responses: number;
}

/** Why a group's figure is hidden. */
export type HiddenBecause = 'survey-too-small' | 'group-too-small' | 'could-be-worked-out';

/**
 * Which groups of one breakdown to hide. The groups must split the survey's responses between
 * them (each response in exactly one group; an "unknown" group counts as a group), so that
 * the survey total minus the shown groups is what the hidden ones add up to.
 *
 * - Survey under SURVEY_MINIMUM: every group hidden.
 * - A group under GROUP_MINIMUM: hidden.
 * - Complementary: if the hidden groups could be worked out by subtraction (only one hidden, or
 *   the hidden ones together come to fewer than GROUP_MINIMUM), the next smallest shown group is
 *   hidden too, and so on.
 *
 * Returns the keys hidden with the reason; a key not in the map is shown.
 */
export function hiddenGroups(groups: readonly Group[]): Map<string, HiddenBecause> {
  const hidden = new Map<string, HiddenBecause>();
  const total = groups.reduce((sum, g) => sum + g.responses, 0);
  if (!surveyShown(total)) {
    for (const g of groups) hidden.set(g.key, 'survey-too-small');
    return hidden;
  }
  // An empty group reveals nothing about anybody, and hiding it protects nobody.
  const candidates = groups.filter((g) => g.responses > 0);
  for (const g of candidates) if (g.responses < GROUP_MINIMUM) hidden.set(g.key, 'group-too-small');
  const shownBySize = candidates.filter((g) => !hidden.has(g.key)).sort((x, y) => x.responses - y.responses);
  const hiddenTotal = () => candidates.filter((g) => hidden.has(g.key)).reduce((sum, g) => sum + g.responses, 0);
  while (hidden.size > 0 && shownBySize.length > 0 && (hidden.size < 2 || hiddenTotal() < GROUP_MINIMUM)) {
    hidden.set(shownBySize.shift()!.key, 'could-be-worked-out');
  }
  return hidden;
}

/** What a change means, in words a governor understands. */
export type ChangeVerdict = 'real-improvement' | 'real-fall' | 'no-clear-change' | 'too-few';

const VERDICT_WORDS: Record<ChangeVerdict, string> = {
  'real-improvement': 'a real improvement',
  'real-fall': 'a real fall',
  'no-clear-change': 'no clear change',
  'too-few': 'too few answers to tell',
};

/** A before → after comparison of one statement's "% agree". */
export interface Change {
  readonly verdict: ChangeVerdict;
  readonly words: string;
  /** after − before with its 95% interval; null when the figures are suppressed. */
  readonly difference: Estimate | null;
  readonly paired: boolean;
}

/**
 * Compare "% agree" before and after. With `pairs` (the same named people answered both) the paired
 * interval is used; otherwise the independent one. A change is called real only when its interval
 * excludes zero; either survey under SURVEY_MINIMUM views, or fewer than SURVEY_MINIMUM pairs, is
 * "too few answers to tell" and shows no figure.
 */
export function describeChange(before: Count, after: Count, pairs?: PairedCounts): Change {
  const pairCount = pairs ? pairs.both + pairs.afterOnly + pairs.beforeOnly + pairs.neither : 0;
  const usePairs = pairs !== undefined && surveyShown(pairCount);
  if (!surveyShown(before.total) || !surveyShown(after.total) || (pairs !== undefined && !usePairs)) {
    return { verdict: 'too-few', words: VERDICT_WORDS['too-few'], difference: null, paired: false };
  }
  const difference = usePairs ? newcombePairedDifference(pairs) : newcombeDifference(after, before);
  const verdict: ChangeVerdict = difference === null ? 'too-few' : difference.lower > 0 ? 'real-improvement' : difference.upper < 0 ? 'real-fall' : 'no-clear-change';
  return { verdict, words: VERDICT_WORDS[verdict], difference, paired: usePairs };
}

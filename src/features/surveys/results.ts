import type { QuestionKind } from '../../db/schema.ts';
import { GROUP_MINIMUM, hiddenGroups, percentAgree, surveyShown, wilsonInterval, type Estimate, type HiddenBecause } from './statistics.ts';
import { AGREE_LABELS, AGREE_SCALE, type AgreeValue } from './questions.ts';

/**
 * What a results page shows, from counts: one summariser per kind of question, the response rate by
 * group with small and complementary suppression (statistics.ts), and who may read free text.
 */
export type Bar = { label: string; count: number; percent: number };
export type QuestionResult =
  | { kind: 'agree'; bars: Bar[]; agreeing: number; gaveView: number; dontKnow: number; share: Estimate | null }
  | { kind: 'yes_no'; bars: Bar[]; yes: number; total: number; share: Estimate | null }
  | { kind: 'choice'; bars: Bar[]; total: number; multiple: boolean }
  | { kind: 'text'; answers: number; texts: string[] | null; why: string | null; paged?: boolean };

const percent = (n: number, of: number) => (of === 0 ? 0 : Math.round((100 * n) / of));

export function summariseAgree(counts: Map<string, number>): QuestionResult {
  const c = (v: AgreeValue) => counts.get(v) ?? 0;
  const p = percentAgree({ stronglyAgree: c('strongly_agree'), agree: c('agree'), disagree: c('disagree'), stronglyDisagree: c('strongly_disagree'), dontKnow: c('dont_know') });
  const all = AGREE_SCALE.reduce((s, v) => s + c(v), 0);
  return {
    kind: 'agree',
    bars: AGREE_SCALE.map((v) => ({ label: AGREE_LABELS[v], count: c(v), percent: percent(c(v), all) })),
    agreeing: p.agreeing,
    gaveView: p.gaveView,
    dontKnow: p.dontKnow,
    share: p.share,
  };
}

export function summariseYesNo(counts: Map<string, number>): QuestionResult {
  const yes = counts.get('yes') ?? 0;
  const no = counts.get('no') ?? 0;
  return {
    kind: 'yes_no',
    bars: [
      { label: 'Yes', count: yes, percent: percent(yes, yes + no) },
      { label: 'No', count: no, percent: percent(no, yes + no) },
    ],
    yes,
    total: yes + no,
    share: wilsonInterval({ successes: yes, total: yes + no }),
  };
}

/** Choice answers are stored as option positions ("0", or "0,2" for several). */
export function summariseChoice(counts: Map<string, number>, options: string[], multiple: boolean): QuestionResult {
  const perOption = options.map(() => 0);
  let total = 0;
  for (const [value, n] of counts) {
    total += n;
    for (const i of value.split(',').map(Number)) if (Number.isInteger(i) && i >= 0 && i < options.length) perOption[i]! += n;
  }
  return { kind: 'choice', multiple, total, bars: options.map((label, i) => ({ label, count: perOption[i]!, percent: percent(perOption[i]!, total) })) };
}

/**
 * Free text. Named survey: the survey's readers see it. Anonymous: only the head, and only once at
 * least GROUP_MINIMUM people have written something (so a lone comment cannot be placed).
 */
export function summariseText(texts: string[], anonymous: boolean, readerIsHead: boolean): QuestionResult {
  if (!anonymous) return { kind: 'text', answers: texts.length, texts, why: null };
  if (!readerIsHead) return { kind: 'text', answers: texts.length, texts: null, why: 'In an anonymous survey only the head teacher reads what people wrote.' };
  if (texts.length < GROUP_MINIMUM)
    return { kind: 'text', answers: texts.length, texts: null, why: `Shown once at least ${GROUP_MINIMUM} people have written something, so that no one can be recognised.` };
  return { kind: 'text', answers: texts.length, texts: [...texts].sort(), why: null };
}

/** Free text a page: a large survey's thousands of answers are read 50 at a time (answers.njk), not all drawn at once. */
export const TEXT_PAGE_SIZE = 50;

/** On the results page, free text is listed only when it fits on one page; more, and the page links to the answers pages instead. */
export function onResultsPage(r: QuestionResult): QuestionResult {
  return r.kind === 'text' && r.texts && r.texts.length > TEXT_PAGE_SIZE ? { ...r, texts: null, paged: true } : r;
}

/**
 * A free-text question on the results page, from its counts (the same words together): what
 * onResultsPage(summariseText(...)) gives, without writing out every answer when there are more than
 * fit on one page and the reader may read them (the page then only links to the answers pages).
 */
export function textOnResultsPage(counts: ReadonlyMap<string, number> | undefined, anonymous: boolean, readerIsHead: boolean): QuestionResult {
  let answers = 0;
  for (const n of counts?.values() ?? []) answers += n;
  if (answers > TEXT_PAGE_SIZE && (!anonymous || readerIsHead)) return { kind: 'text', answers, texts: null, why: null, paged: true };
  const texts: string[] = [];
  for (const [value, n] of counts ?? []) for (let i = 0; i < n; i++) texts.push(value);
  return onResultsPage(summariseText(texts, anonymous, readerIsHead));
}

/** One page of what people wrote (in alphabetical order, never the order they answered in), and GOV.UK pagination's links. */
export function textPage(texts: string[], asked: number, href: (page: number) => string) {
  const pages = Math.max(1, Math.ceil(texts.length / TEXT_PAGE_SIZE));
  const page = Math.min(Math.max(1, asked), pages);
  const from = (page - 1) * TEXT_PAGE_SIZE;
  const items: ({ number: number; href: string; current: boolean } | { ellipsis: true })[] = [];
  for (let n = 1; n <= pages; n++) {
    if (n === 1 || n === pages || Math.abs(n - page) <= 1) items.push({ number: n, href: href(n), current: n === page });
    else if (!('ellipsis' in (items.at(-1) ?? {}))) items.push({ ellipsis: true });
  }
  return {
    page,
    pages,
    texts: texts.slice(from, from + TEXT_PAGE_SIZE),
    first: texts.length === 0 ? 0 : from + 1,
    last: Math.min(from + TEXT_PAGE_SIZE, texts.length),
    pagination: pages > 1 ? { previous: page > 1 ? { href: href(page - 1) } : undefined, next: page < pages ? { href: href(page + 1) } : undefined, items } : null,
  };
}

export function summarise(kind: QuestionKind, counts: Map<string, number>, options: string[], texts: string[], anonymous: boolean, readerIsHead: boolean): QuestionResult {
  switch (kind) {
    case 'agree':
      return summariseAgree(counts);
    case 'yes_no':
      return summariseYesNo(counts);
    case 'single':
    case 'multiple':
      return summariseChoice(counts, options, kind === 'multiple');
    case 'short_text':
    case 'long_text':
      return summariseText(texts, anonymous, readerIsHead);
  }
}

/** One group of people asked (Year 3, Polish, SEND…): how many were asked and how many answered. */
export type GroupRate = { key: string; label: string; invited: number; answered: number };
export type ShownRate = GroupRate & { rate: number | null; hidden: HiddenBecause | null };

const HIDDEN_WORDS: Record<HiddenBecause, string> = {
  'survey-too-small': 'Not shown: fewer than 10 answers in the whole survey',
  'group-too-small': `Not shown: fewer than ${GROUP_MINIMUM} answers`,
  'could-be-worked-out': 'Not shown: it could be worked out from the others',
};
export const hiddenWords = (h: HiddenBecause) => HIDDEN_WORDS[h];

/** A breakdown's groups (they split the people asked: each in one group), with suppression applied to who answered. */
export function showRates(groups: GroupRate[]): ShownRate[] {
  const hidden = hiddenGroups(groups.map((g) => ({ key: g.key, responses: g.answered })));
  return groups.map((g) => {
    const h = hidden.get(g.key) ?? null;
    // A group where nobody answered says so (0%): that is who the survey missed.
    return { ...g, hidden: h, rate: h ? null : percent(g.answered, g.invited) };
  });
}

export { surveyShown };

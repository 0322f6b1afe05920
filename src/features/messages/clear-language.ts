/**
 * Clear-language advice for staff writing to families: how easy the writing is to read, which
 * sentences are long, and which school words (jargon, acronyms) have plainer alternatives in the
 * school's glossary. Advice only: nothing here ever stops a message being sent.
 *
 * Pure functions: no database, no HTTP. The composer and the "Check my writing" page both show
 * what `adviceFor` returns.
 */

export type GlossaryEntry = { term: string; plain: string };
export type JargonHit = { term: string; plain: string; count: number };

export type Band = 'very easy' | 'easy' | 'fairly easy' | 'plain English' | 'fairly difficult' | 'difficult' | 'very difficult';

export type Readability = {
  /** Flesch reading ease, rounded and kept between 0 and 100 (higher is easier). */
  score: number;
  band: Band;
  words: number;
  sentences: number;
  /** Sentences of more than LONG_SENTENCE_WORDS words, as written. */
  longSentences: string[];
};

export type Advice = {
  /** Nothing to check (blank text): show no advice. */
  empty: boolean;
  readability: Readability;
  jargon: JargonHit[];
  /** Short plain sentences for the page: what to look at, or that it reads clearly. */
  tips: string[];
  /** True when the score reaches TARGET_SCORE, no sentence is long and no jargon was found. */
  clear: boolean;
};

/** Plain English, on Flesch's scale, starts at 60. */
export const TARGET_SCORE = 60;
/** A sentence longer than this is hard to follow (the GOV.UK style guide says 25 words). */
export const LONG_SENTENCE_WORDS = 25;

// ---------------------------------------------------------------------------------------------
// Syllables
// ---------------------------------------------------------------------------------------------

/** Common words the rules below get wrong (mostly compounds with a silent e inside). */
const SYLLABLE_EXCEPTIONS: Record<string, number> = {
  every: 2,
  everyone: 3,
  everything: 3,
  everybody: 4,
  everywhere: 3,
  someone: 2,
  something: 2,
  sometimes: 2,
  somewhere: 2,
  homework: 2,
  business: 2,
  hundred: 2,
  wednesday: 2,
  interesting: 3,
  evening: 2,
  therefore: 2,
  science: 2,
  quiet: 2,
  create: 2,
  created: 3,
  safeguard: 2,
  safeguarding: 3,
  timetable: 3,
  timetables: 3,
};

const VOWEL_GROUP = /[aeiouy]+/g;

/**
 * Syllables in one English word (lower or mixed case letters; anything else is ignored).
 * A small rule-based counter, right for most everyday words and close for the rest:
 *  1. a short list of common exceptions (every, something, Wednesday…);
 *  2. 'qu' counts as a consonant ('quite' has one syllable);
 *  3. endings: '-es' is silent after most consonants ('makes') but sounded after s, x, z, ch, sh,
 *     c, g and consonant + l or r ('boxes', 'places', 'tables', 'centres'); '-ed' is silent except after t, d and
 *     consonant + l or r ('jumped' but 'wanted', 'settled'); a final e is silent ('make', 'the') except
 *     in consonant + '-le' and '-re' ('table', 'centre'); an e before -ly, -ment, -ful, -less, -ness
 *     is silent ('lovely', 'statement');
 *  4. count the groups of vowels (a e i o u, and y when not first: 'happy', not 'yes');
 *  5. add one where two vowels are said apart: i + a/o/u not after c, g, s, t or x ('media',
 *     'radio', 'stadium', but 'nation', 'special'); u + a not after g ('usual', not 'language');
 *     a final '-ea' ('idea', 'area'); a vowel + '-ing' ('being', 'going');
 *  6. every word has at least one syllable.
 */
export function countSyllables(word: string): number {
  let w = word.toLowerCase().replace(/[^a-z]/g, '');
  if (w.length === 0) return 0;
  const known = SYLLABLE_EXCEPTIONS[w];
  if (known !== undefined) return known;
  if (w.length <= 2) return 1;

  w = w.replace(/qu/g, 'q');
  if (/[^aeiouy]es$/.test(w) && w.length > 3 && !/(?:[sxzcg]|ch|sh|[^aeiouy][lr])es$/.test(w)) w = `${w.slice(0, -2)}s`;
  else if (/[^aeiouy]ed$/.test(w) && w.length > 3 && !/(?:[td]|[^aeiouy][lr])ed$/.test(w)) w = `${w.slice(0, -2)}d`;
  else if (/[^aeiouy]e$/.test(w) && !/[^aeiouy][lr]e$/.test(w)) w = w.slice(0, -1);
  w = w.replace(/([^aeiouyl])e(ly|ments?|fully|ful|less|ness)$/, '$1$2');
  if (w.startsWith('y')) w = `j${w.slice(1)}`; // a first y is a consonant: 'yes', 'year'

  let count = (w.match(VOWEL_GROUP) ?? []).length;
  count += (w.match(/[^cgstx]i[aou]/g) ?? []).length;
  count += (w.match(/[^g]ua/g) ?? []).length;
  if (w.length > 3 && /[^aeiouy]ea$/.test(w)) count += 1;
  if (/[aeiouy]ing$/.test(w)) count += 1;
  return Math.max(1, count);
}

/** Two consonants that can start an English word: 'STOP' is read as a word, 'PTA' letter by letter. */
const WORD_ONSETS = new Set([
  'bl',
  'br',
  'ch',
  'cl',
  'cr',
  'dr',
  'dw',
  'fl',
  'fr',
  'gl',
  'gn',
  'gr',
  'kn',
  'ph',
  'pl',
  'pr',
  'sc',
  'sh',
  'sk',
  'sl',
  'sm',
  'sn',
  'sp',
  'st',
  'sw',
  'th',
  'tr',
  'tw',
  'wh',
  'wr',
]);

/**
 * Is this all-capitals run read letter by letter ('PTA', 'EHCP', 'DSL') rather than as a word
 * ('SENCO', 'INSET', 'STOP')? Yes when it has no vowel, has two letters, or has up to four letters
 * and either starts with two consonants no English word starts with or has three consonants in a row.
 */
function isInitialism(caps: string): boolean {
  const w = caps.toLowerCase();
  if (!/[aeiouy]/.test(w)) return true;
  if (w.length <= 2) return true;
  if (w.length > 4) return false;
  const startsOddly = /^[^aeiou]{2}/.test(w) && !WORD_ONSETS.has(w.slice(0, 2));
  return startsOddly || /[^aeiou]{3}/.test(w);
}

/** Syllables in one written word as it would be read aloud: words, initialisms and numbers. */
function syllablesInToken(token: string): number {
  let total = 0;
  for (const part of token.replace(/['’]/g, '').split(/[-‐‑]/)) {
    for (const run of part.match(/\p{L}+|\p{N}+/gu) ?? []) {
      if (/^\p{N}+$/u.test(run))
        total += Math.min(run.length, 4); // '3' three, '30' thir-ty, '2026' about four
      else if (!/[aeiouyAEIOUY]/.test(run))
        total += /^[a-zA-Z]+$/.test(run) ? run.length : 1; // 'DSL', 'pm': said letter by letter
      else if (run.length > 1 && !/\p{Ll}/u.test(run) && isInitialism(run)) total += run.length;
      else total += countSyllables(run);
    }
  }
  return Math.max(1, total);
}

// ---------------------------------------------------------------------------------------------
// Sentences, words and the score
// ---------------------------------------------------------------------------------------------

const WORD = /[\p{L}\p{N}]+(?:['’‐‑-][\p{L}\p{N}]+)*/gu;
/** Abbreviations followed by a full stop that do not end a sentence ('Mrs. Patel'). */
const TITLES = new Set(['mr', 'mrs', 'ms', 'miss', 'mx', 'dr', 'prof', 'rev', 'st', 'no']);

function wordsOf(text: string): string[] {
  return text.match(WORD) ?? [];
}

/**
 * Sentences: each line is at least one (greetings, list items and sign-offs are lines without a
 * full stop); within a line, a sentence ends at . ! ? … followed by a space and then anything but a
 * lower-case letter ('e.g. this' and '3.30 p.m. on Friday' do not end one), except after a title.
 */
export function sentencesOf(text: string): string[] {
  const sentences: string[] = [];
  for (const line of text.split(/\r?\n/)) {
    const ends = /[.!?…]+["'”’)\]]*\s+/g;
    let start = 0;
    for (let m = ends.exec(line); m; m = ends.exec(line)) {
      const after = line[m.index + m[0].length] ?? '';
      const before = /([\p{L}]+)$/u.exec(line.slice(start, m.index))?.[1]?.toLowerCase() ?? '';
      if (/\p{Ll}/u.test(after) || (m[0].startsWith('.') && TITLES.has(before))) continue;
      sentences.push(line.slice(start, m.index + m[0].length).trim());
      start = m.index + m[0].length;
    }
    sentences.push(line.slice(start).trim());
  }
  return sentences.filter((s) => wordsOf(s).length > 0);
}

/** Flesch's bands, from the 1948 table; 60–69 is his 'standard', called plain English here. */
function bandOf(score: number): Band {
  if (score >= 90) return 'very easy';
  if (score >= 80) return 'easy';
  if (score >= 70) return 'fairly easy';
  if (score >= 60) return 'plain English';
  if (score >= 50) return 'fairly difficult';
  if (score >= 30) return 'difficult';
  return 'very difficult';
}

/**
 * Flesch reading ease: 206.835 − 1.015 × (words per sentence) − 84.6 × (syllables per word),
 * rounded and kept within 0–100. Text with no words scores 100 ('very easy'): `adviceFor` marks it
 * as empty so that nothing is shown.
 */
export function readability(text: string): Readability {
  const sentences = sentencesOf(text);
  const words = sentences.flatMap(wordsOf);
  if (words.length === 0) return { score: 100, band: 'very easy', words: 0, sentences: 0, longSentences: [] };
  const syllables = words.reduce((sum, w) => sum + syllablesInToken(w), 0);
  const raw = 206.835 - 1.015 * (words.length / sentences.length) - 84.6 * (syllables / words.length);
  const score = Math.min(100, Math.max(0, Math.round(raw)));
  return {
    score,
    band: bandOf(score),
    words: words.length,
    sentences: sentences.length,
    longSentences: sentences.filter((s) => wordsOf(s).length > LONG_SENTENCE_WORDS),
  };
}

// ---------------------------------------------------------------------------------------------
// Jargon
// ---------------------------------------------------------------------------------------------

/**
 * Acronyms that are also English words: in shouted text ('PLEASE SEND IN YOUR FORMS') they are
 * the word, so they count only when the words beside them are not in capitals too.
 */
const ACRONYMS_THAT_ARE_WORDS = new Set(['SEND', 'RE', 'PE', 'IT', 'TA', 'MAT', 'LA']);

const isAcronym = (term: string): boolean => /\p{Lu}/u.test(term) && !/\p{Ll}/u.test(term);
const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const normalise = (term: string): string => term.trim().replace(/\s+/g, ' ');

/**
 * A term's pattern: whole words only (no 'TA' in 'TAKE' or 'data'), capitals exactly for
 * acronyms ('SEND' but not 'send'), any case for words and phrases ('Pupil Premium'). Words of a
 * phrase may be split by spaces, line breaks or hyphens ('home school agreement'); an acronym may
 * take a plural s ('TAs') and a space before a final number ('KS 2'); a word or phrase may take
 * a plural s or es ('assessments').
 */
function patternFor(term: string): RegExp {
  const acronym = isAcronym(term);
  let body = term
    .split(/[\s‐‑-]+/)
    .map(escape)
    .join('[\\s‐‑-]+');
  if (acronym) body = `${body.replace(/(\p{L})(\p{N})/gu, '$1\\s?$2')}s?`;
  else if (/\p{L}$/u.test(term)) body = `${body}(?:e?s)?`;
  return new RegExp(`(?<![\\p{L}\\p{N}])${body}(?![\\p{L}\\p{N}])`, acronym ? 'gu' : 'giu');
}

function neighbourWords(text: string, start: number, end: number): string[] {
  const before = /([\p{L}\p{N}]+)[^\p{L}\p{N}\n]*$/u.exec(text.slice(Math.max(0, start - 40), start))?.[1];
  const after = /^[^\p{L}\p{N}\n]*([\p{L}\p{N}]+)/u.exec(text.slice(end, end + 40))?.[1];
  return [before, after].filter((w): w is string => !!w);
}

/**
 * The glossary's terms found in the text, in order of first appearance, each with its plain
 * suggestion and how many times it appears. Where terms overlap the longest wins ('phonics
 * screening check' rather than 'phonics screening').
 */
export function findJargon(text: string, glossary: readonly GlossaryEntry[]): JargonHit[] {
  const seen = new Set<string>();
  const entries: GlossaryEntry[] = [];
  for (const entry of glossary) {
    const term = normalise(entry.term);
    const key = isAcronym(term) ? term : term.toLowerCase();
    if (!term || seen.has(key)) continue;
    seen.add(key);
    entries.push({ term, plain: entry.plain });
  }
  const acronyms = new Set(entries.filter((e) => isAcronym(e.term)).map((e) => e.term));
  const shouted = (word: string) => /\p{Lu}\p{Lu}/u.test(word) && !/\p{Ll}/u.test(word) && !acronyms.has(word.replace(/s$/, ''));

  const matches: { start: number; end: number; entry: number }[] = [];
  entries.forEach((entry, index) => {
    for (const m of text.matchAll(patternFor(entry.term))) {
      const start = m.index;
      const end = start + m[0].length;
      if (ACRONYMS_THAT_ARE_WORDS.has(entry.term) && neighbourWords(text, start, end).some(shouted)) continue;
      matches.push({ start, end, entry: index });
    }
  });
  matches.sort((a, b) => a.start - b.start || b.end - b.start - (a.end - a.start));

  const hits = new Map<number, JargonHit>();
  let reached = 0;
  for (const m of matches) {
    if (m.start < reached) continue;
    reached = m.end;
    const entry = entries[m.entry]!;
    const hit = hits.get(m.entry) ?? { term: entry.term, plain: entry.plain, count: 0 };
    hit.count += 1;
    hits.set(m.entry, hit);
  }
  return [...hits.values()];
}

// ---------------------------------------------------------------------------------------------
// Advice
// ---------------------------------------------------------------------------------------------

const plural = (n: number, one: string, many: string) => (n === 1 ? one : many);

/** Readability and jargon together, with a few plain tips: what the composer and checker show. */
export function adviceFor(text: string, glossary: readonly GlossaryEntry[]): Advice {
  const r = readability(text);
  const jargon = r.words === 0 ? [] : findJargon(text, glossary);
  const tips: string[] = [];
  if (r.words > 0 && r.score < TARGET_SCORE) {
    tips.push(`It scores ${r.score} out of 100 (${r.band}). Aim for ${TARGET_SCORE} or more: use shorter sentences and everyday words.`);
  }
  const long = r.longSentences.length;
  if (long > 0) {
    tips.push(`${long} ${plural(long, 'sentence has', 'sentences have')} more than ${LONG_SENTENCE_WORDS} words. Try splitting ${plural(long, 'it', 'them')} up.`);
  }
  if (jargon.length > 0) {
    tips.push(`${jargon.length} school ${plural(jargon.length, 'word', 'words')} families may not know. Use the plain words, or explain ${plural(jargon.length, 'it', 'them')} the first time.`);
  }
  const clear = r.words > 0 && tips.length === 0;
  if (clear) tips.push('This reads clearly. Most families should find it easy to follow.');
  return { empty: r.words === 0, readability: r, jargon, tips, clear };
}

// ---------------------------------------------------------------------------------------------
// The glossary a school starts with
// ---------------------------------------------------------------------------------------------

/**
 * School words and plainer ones to use instead. A school gets these the first time anyone opens
 * its glossary, and then changes them as it likes.
 */
export const DEFAULT_GLOSSARY: readonly GlossaryEntry[] = [
  { term: 'EHCP', plain: 'education, health and care plan (the legal plan for the extra help your child gets)' },
  { term: 'SEND', plain: 'special educational needs and disabilities' },
  { term: 'SEN', plain: 'special educational needs' },
  { term: 'SENCO', plain: 'the teacher in charge of extra help for children who need it' },
  { term: 'SENDCo', plain: 'the teacher in charge of extra help for children who need it' },
  { term: 'DSL', plain: 'the member of staff in charge of keeping children safe' },
  { term: 'INSET', plain: 'staff training day (school is closed to children)' },
  { term: 'EYFS', plain: 'nursery and Reception (the early years)' },
  { term: 'Early Years Foundation Stage', plain: 'nursery and Reception' },
  { term: 'KS1', plain: 'Years 1 and 2 (ages 5 to 7)' },
  { term: 'Key Stage 1', plain: 'Years 1 and 2 (ages 5 to 7)' },
  { term: 'KS2', plain: 'Years 3 to 6 (ages 7 to 11)' },
  { term: 'Key Stage 2', plain: 'Years 3 to 6 (ages 7 to 11)' },
  { term: 'KS3', plain: 'Years 7 to 9 (ages 11 to 14)' },
  { term: 'KS4', plain: 'Years 10 and 11 (the GCSE years)' },
  { term: 'SATs', plain: 'the national tests children take in Year 6' },
  { term: 'phonics screening check', plain: 'the short Year 1 check where your child reads 40 words aloud to a teacher' },
  { term: 'PTA', plain: 'the parents’ and teachers’ group that runs events and raises money' },
  { term: 'MLE', plain: 'the school’s learning website' },
  { term: 'VLE', plain: 'the school’s learning website' },
  { term: 'PPA', plain: 'teachers’ planning time (another adult teaches the class)' },
  { term: 'TA', plain: 'teaching assistant' },
  { term: 'HLTA', plain: 'senior teaching assistant' },
  { term: 'LSA', plain: 'learning support assistant (an adult who helps children in class)' },
  { term: 'FSM', plain: 'free school meals' },
  { term: 'pupil premium', plain: 'extra money the school gets to help some children' },
  { term: 'Ofsted', plain: 'the school inspectors (Ofsted)' },
  { term: 'curriculum', plain: 'what your child learns' },
  { term: 'assessment', plain: 'checking how your child is getting on' },
  { term: 'attainment', plain: 'how well your child is doing' },
  { term: 'intervention', plain: 'extra help in a small group or one to one' },
  { term: 'differentiation', plain: 'changing work so that it suits each child' },
  { term: 'reading age', plain: 'how well your child reads, compared with other children' },
  { term: 'home-school agreement', plain: 'the promises the school, parents and pupils make to each other' },
  { term: 'CPD', plain: 'staff training' },
  { term: 'RE', plain: 'religious education' },
  { term: 'PSHE', plain: 'lessons about health, feelings, relationships and growing up' },
  { term: 'RSE', plain: 'relationships and sex education' },
  { term: 'EAL', plain: 'learning English as an extra language' },
  { term: 'MFL', plain: 'languages lessons, like French or Spanish' },
  { term: 'SLT', plain: 'the school’s leaders (the head and senior staff)' },
  { term: 'persistent absence', plain: 'missing a lot of school (1 day in 10 or more)' },
  { term: 'CAMHS', plain: 'the NHS service for children’s mental health' },
  { term: 'statutory', plain: 'required by law' },
  { term: 'provision', plain: 'the help or support we give' },
];

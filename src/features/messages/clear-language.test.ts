import { describe, expect, it } from 'vitest';
import { adviceFor, countSyllables, DEFAULT_GLOSSARY, findJargon, readability, sentencesOf, type GlossaryEntry } from './clear-language.ts';

const terms = (text: string, glossary: readonly GlossaryEntry[] = DEFAULT_GLOSSARY) => findJargon(text, glossary).map((j) => j.term);

describe('counting syllables', () => {
  it.each([
    ['the', 1],
    ['school', 1],
    ['please', 1],
    ['quite', 1],
    ['makes', 1],
    ['jumped', 1],
    ['played', 1],
    ['whole', 1],
    ['yes', 1],
    ['parents', 2],
    ['children', 2],
    ['because', 2],
    ['table', 2],
    ['little', 2],
    ['boxes', 2],
    ['places', 2],
    ['wanted', 2],
    ['needed', 2],
    ['being', 2],
    ['going', 2],
    ['lovely', 2],
    ['statement', 2],
    ['centre', 2],
    ['every', 2],
    ['family', 3],
    ['together', 3],
    ['beautiful', 3],
    ['assessment', 3],
    ['idea', 3],
    ['usual', 3],
    ['radio', 3],
    ['education', 4],
    ['curriculum', 4],
    ['information', 4],
  ])('%s has %i', (word, expected) => {
    expect(countSyllables(word)).toBe(expected);
  });

  it('ignores case and punctuation, and gives every word at least one syllable', () => {
    expect(countSyllables('School')).toBe(1);
    expect(countSyllables('rhythm')).toBe(1);
    expect(countSyllables('')).toBe(0);
  });
});

describe('sentences', () => {
  it('ends a sentence at . ! ? and at a line break, but not after a title or before a lower-case word', () => {
    expect(sentencesOf('Dear parents,\nMrs. Patel will be there at 3.30 p.m. on Friday. Bring a coat! Any questions?')).toEqual([
      'Dear parents,',
      'Mrs. Patel will be there at 3.30 p.m. on Friday.',
      'Bring a coat!',
      'Any questions?',
    ]);
  });
});

describe('readability', () => {
  const plain = 'Please bring your child’s PE kit on Monday. We will play games outside if it is dry. Thank you for your help.';
  const bureaucratic =
    'Following consultation with the SENCO regarding differentiation of the curriculum, targeted intervention provision for pupils with SEND will be reviewed in accordance with each EHCP and the outcomes of ongoing formative assessment, with attainment data disseminated at the next INSET.';

  it('scores a short, plain message as easy and a long, jargon-heavy one as very difficult', () => {
    const easy = readability(plain);
    expect(easy.score).toBeGreaterThanOrEqual(80);
    expect(['easy', 'very easy']).toContain(easy.band);
    expect(easy).toMatchObject({ words: 22, sentences: 3, longSentences: [] });

    const hard = readability(bureaucratic);
    expect(hard.score).toBeLessThan(30);
    expect(hard.band).toBe('very difficult');
    expect(hard.sentences).toBe(1);
    expect(hard.longSentences).toEqual([bureaucratic]);
  });

  it('follows the Flesch formula', () => {
    // 'The cat sat on the mat.': 6 words, 1 sentence, 6 syllables → 206.835 − 6.09 − 84.6 = 116 → 100.
    expect(readability('The cat sat on the mat.').score).toBe(100);
    // 10 words of 3 syllables in one sentence: 206.835 − 10.15 − 253.8 < 0 → 0.
    expect(readability('Educational families considering curriculum ambitiously, collaborating beautifully, organising happily, celebrating.').score).toBe(0);
    // 'Parents evening is on Thursday.' 5 words, 8 syllables: 206.835 − 5.075 − 135.36 = 66.4.
    expect(readability('Parents evening is on Thursday.')).toMatchObject({ score: 66, band: 'plain English' });
  });

  it('lists only sentences over 25 words', () => {
    const sentence = (n: number) => `Word ${Array.from({ length: n - 1 }, () => 'word').join(' ')}.`;
    const twentyFive = sentence(25);
    const twentySix = sentence(26);
    expect(readability(`${twentyFive} ${twentySix}`).longSentences).toEqual([twentySix]);
  });

  it('has nothing to say about blank text', () => {
    expect(readability('  \n ')).toMatchObject({ words: 0, sentences: 0, longSentences: [] });
    expect(adviceFor('   ', DEFAULT_GLOSSARY)).toMatchObject({ empty: true, jargon: [], tips: [], clear: false });
  });
});

describe('finding jargon', () => {
  it('finds acronyms and phrases, counting each, in the order they first appear', () => {
    const hits = findJargon('The SENCO will update the EHCP. Ask the SENCO about the phonics screening check.', DEFAULT_GLOSSARY);
    expect(hits).toEqual([
      { term: 'SENCO', plain: expect.any(String), count: 2 },
      { term: 'EHCP', plain: expect.any(String), count: 1 },
      { term: 'phonics screening check', plain: expect.any(String), count: 1 },
    ]);
  });

  it('matches whole words only: no TA in TAKE, data or STAY', () => {
    expect(terms('Please TAKE the data home and STAY for tea. Our TAs and the TA’s table.')).toEqual(['TA']);
    expect(findJargon('TAKE data STAY', DEFAULT_GLOSSARY)).toEqual([]);
    expect(terms('SEN and SEND')).toEqual(['SEN', 'SEND']);
    expect(terms('SENDCo')).toEqual(['SENDCo']);
  });

  it('is exact about capitals for acronyms and relaxed for words and phrases', () => {
    expect(terms('send it to the ta and the pta, re: the trip')).toEqual([]);
    expect(terms('Pupil Premium and pupil premium; the Curriculum; OFSTED')).toEqual(['pupil premium', 'curriculum', 'Ofsted']);
    expect(findJargon('Pupil Premium and pupil premium', DEFAULT_GLOSSARY)[0]?.count).toBe(2);
  });

  it('knows the key stages however they are written', () => {
    expect(terms('KS1/KS2 results')).toEqual(['KS1', 'KS2']);
    expect(terms('Children in Key Stage 2, key stage 1 and KS 2')).toEqual(['Key Stage 2', 'Key Stage 1', 'KS2']);
    expect(terms('KS12 and KS1A')).toEqual([]);
  });

  it('matches phrases across line breaks and hyphens, and plurals', () => {
    expect(terms('the home school\nagreement')).toEqual(['home-school agreement']);
    expect(terms('assessments and interventions')).toEqual(['assessment', 'intervention']);
  });

  it('prefers the longest term where terms overlap', () => {
    const glossary = [
      { term: 'phonics screening', plain: 'a reading check' },
      { term: 'phonics screening check', plain: 'the Year 1 reading check' },
    ];
    expect(findJargon('The phonics screening check is in June.', glossary)).toEqual([{ term: 'phonics screening check', plain: 'the Year 1 reading check', count: 1 }]);
  });

  it('does not read shouted words as acronyms', () => {
    expect(terms('PLEASE SEND IN YOUR FORMS')).toEqual([]);
    expect(terms('Support for pupils with SEND. INSET DAY on Friday.')).toEqual(['SEND', 'INSET']);
  });

  it('takes terms from the school’s own glossary, with any characters safely', () => {
    const glossary = [
      { term: 'C++ club (KS2)', plain: 'coding club' },
      { term: 'R.E.', plain: 'religious education' },
    ];
    expect(terms('Join C++ club (KS2) after R.E. today', glossary)).toEqual(['C++ club (KS2)', 'R.E.']);
    expect(terms('RxE', glossary)).toEqual([]);
  });
});

describe('advice', () => {
  it('gives tips for difficult writing and says so when writing is clear', () => {
    const hard = adviceFor(
      'Following consultation with the SENCO regarding differentiation of the curriculum, targeted intervention provision for pupils with SEND will be reviewed in accordance with each EHCP and the outcomes of ongoing formative assessment.',
      DEFAULT_GLOSSARY,
    );
    expect(hard.clear).toBe(false);
    expect(hard.tips).toHaveLength(3);
    expect(hard.tips[0]).toMatch(/Aim for 60 or more/);
    expect(hard.tips[1]).toBe('1 sentence has more than 25 words. Try splitting it up.');
    expect(hard.tips[2]).toMatch(/^8 school words families may not know/);

    const easy = adviceFor('School is closed on Friday. We will open again on Monday.', DEFAULT_GLOSSARY);
    expect(easy).toMatchObject({ empty: false, clear: true, jargon: [] });
    expect(easy.tips).toEqual(['This reads clearly. Most families should find it easy to follow.']);
  });
});

describe('the default glossary', () => {
  it('has at least 25 distinct terms, each with plain words that fit the form’s limits', () => {
    expect(DEFAULT_GLOSSARY.length).toBeGreaterThanOrEqual(25);
    expect(new Set(DEFAULT_GLOSSARY.map((g) => g.term.toLowerCase())).size).toBe(DEFAULT_GLOSSARY.length);
    for (const g of DEFAULT_GLOSSARY) {
      expect(g.term.length).toBeLessThanOrEqual(40);
      expect(g.plain.length).toBeGreaterThan(0);
      expect(g.plain.length).toBeLessThanOrEqual(200);
    }
  });

  it('does not flag its own plain words', () => {
    for (const g of DEFAULT_GLOSSARY) {
      const flagged = terms(g.plain).filter((t) => !g.plain.includes(`(${t})`));
      expect(flagged, `${g.term}: ${g.plain}`).toEqual([]);
    }
  });
});

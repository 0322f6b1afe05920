import { describe, expect, it } from 'vitest';
import { readAnswers, type Question } from './questions.ts';
import { showRates, summariseAgree, summariseChoice, summariseText } from './results.ts';

const WORDS = { required: 'Answer this question', choose: 'Choose one of the answers shown', tooLong: (max: number) => `At most ${max}` };
const q = (id: string, kind: Question['kind'], required = true, options: string[] = []): Question => ({ id, section: '', kind, text: id, options, required, template_question: null });

describe('survey results from counts', () => {
  it('% agree is strongly agree + agree of those who gave a view, with “don’t know” apart and a Wilson interval', () => {
    const r = summariseAgree(
      new Map([
        ['strongly_agree', 10],
        ['agree', 14],
        ['disagree', 20],
        ['strongly_disagree', 6],
        ['dont_know', 25],
      ]),
    );
    if (r.kind !== 'agree') throw new Error('not agree');
    expect(r).toMatchObject({ agreeing: 24, gaveView: 50, dontKnow: 25 });
    expect(Math.round(r.share!.estimate * 100)).toBe(48);
    expect(r.share!.lower).toBeGreaterThan(0.34);
    expect(r.share!.upper).toBeLessThan(0.62);
  });

  it('several choices count once per option', () => {
    const r = summariseChoice(
      new Map([
        ['0,2', 3],
        ['0', 1],
      ]),
      ['Email', 'Text', 'Paper'],
      true,
    );
    if (r.kind !== 'choice') throw new Error('not choice');
    expect(r.bars.map((b) => b.count)).toEqual([4, 0, 3]);
  });

  it('anonymous free text: the head only, and only from 5 answers', () => {
    expect(summariseText(['a', 'b', 'c', 'd', 'e'], true, false)).toMatchObject({ texts: null });
    expect(summariseText(['a', 'b', 'c', 'd'], true, true)).toMatchObject({ texts: null, answers: 4 });
    expect(summariseText(['a', 'b', 'c', 'd', 'e'], true, true)).toMatchObject({ texts: ['a', 'b', 'c', 'd', 'e'] });
    expect(summariseText(['a'], false, false)).toMatchObject({ texts: ['a'] });
  });

  it('response rate by group hides a small group (1 to 4 answers) and the one it could be worked out from, but shows a group nobody answered as 0%', () => {
    const shown = showRates([
      { key: 'pl', label: 'Polish', invited: 10, answered: 3 },
      { key: 'so', label: 'Somali', invited: 12, answered: 6 },
      { key: 'en', label: 'English', invited: 100, answered: 40 },
      { key: 'ur', label: 'Urdu', invited: 7, answered: 0 },
    ]);
    expect(shown.find((g) => g.key === 'ur')).toMatchObject({ rate: 0, hidden: null });
    expect(
      showRates([
        { key: 'pl', label: 'Polish', invited: 10, answered: 1 },
        { key: 'en', label: 'English', invited: 100, answered: 40 },
      ]).find((g) => g.key === 'pl'),
    ).toMatchObject({ rate: null, hidden: 'group-too-small' });
    expect(shown.find((g) => g.key === 'pl')).toMatchObject({ rate: null, hidden: 'group-too-small' });
    expect(shown.find((g) => g.key === 'so')).toMatchObject({ rate: null, hidden: 'could-be-worked-out' });
    expect(shown.find((g) => g.key === 'en')).toMatchObject({ rate: 40, hidden: null });
  });
});

describe('reading one person’s answers', () => {
  const questions = [q('a', 'agree'), q('b', 'multiple', false, ['x', 'y']), q('c', 'long_text', false), q('d', 'yes_no')];
  it('asks for required answers beside each question and refuses values not offered', () => {
    const r = readAnswers(questions, { q_b: ['1', '7'], q_d: 'maybe' }, WORDS);
    expect(r).toEqual({ ok: false, errors: { q_a: 'Answer this question', q_b: 'Choose one of the answers shown', q_d: 'Choose one of the answers shown' } });
  });
  it('keeps what was given, in order', () => {
    const r = readAnswers(questions, { q_a: 'dont_know', q_b: ['1', '0'], q_c: ' More meetings after work ', q_d: 'yes' }, WORDS);
    expect(r).toEqual({
      ok: true,
      answers: [
        { questionId: 'a', value: 'dont_know' },
        { questionId: 'b', value: '0,1' },
        { questionId: 'c', value: 'More meetings after work' },
        { questionId: 'd', value: 'yes' },
      ],
    });
  });
});

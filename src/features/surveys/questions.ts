import { z } from 'zod';
import type { QuestionKind } from '../../db/schema.ts';
import { checkbox } from '../../platform/web/forms.ts';

/**
 * Questions and answers as plain values: the kinds, the agreement scale, the builder's form, and
 * reading one person's answers from a form (one error per question, beside it).
 */
export const QUESTION_KINDS: readonly QuestionKind[] = ['agree', 'single', 'multiple', 'yes_no', 'short_text', 'long_text'];

export const KIND_LABELS: Record<QuestionKind, string> = {
  agree: 'A statement to agree or disagree with',
  single: 'Choose one',
  multiple: 'Choose any that apply',
  yes_no: 'Yes or no',
  short_text: 'A short answer',
  long_text: 'A longer answer in their own words',
};

/** The agreement scale, in the order it is shown; the stored values. */
export const AGREE_SCALE = ['strongly_agree', 'agree', 'disagree', 'strongly_disagree', 'dont_know'] as const;
export type AgreeValue = (typeof AGREE_SCALE)[number];
export const AGREE_LABELS: Record<AgreeValue, string> = {
  strongly_agree: 'Strongly agree',
  agree: 'Agree',
  disagree: 'Disagree',
  strongly_disagree: 'Strongly disagree',
  dont_know: 'Don’t know',
};

export type Question = {
  id: string;
  section: string;
  kind: QuestionKind;
  text: string;
  options: string[];
  required: boolean;
  template_question: string | null;
};

export function optionsOf(json: string): string[] {
  const parsed = z.array(z.string()).safeParse(JSON.parse(json || '[]'));
  return parsed.success ? parsed.data : [];
}

/** Questions grouped by section, in order (a section heading once). */
export function bySection<T extends { section: string }>(questions: T[]): { section: string; questions: T[] }[] {
  const out: { section: string; questions: T[] }[] = [];
  for (const q of questions) {
    const last = out[out.length - 1];
    if (last && last.section === q.section) last.questions.push(q);
    else out.push({ section: q.section, questions: [q] });
  }
  return out;
}

const MAX_TEXT = { short_text: 200, long_text: 4000 } as const;

/** The builder's "add a question" form. */
export const QuestionForm = z
  .object({
    section: z.string().trim().max(120, 'The section name must be 120 characters or fewer').default(''),
    kind: z.enum(QUESTION_KINDS as [QuestionKind, ...QuestionKind[]], { error: 'Select what kind of question it is' }),
    text: z.string({ error: 'Enter the question' }).trim().min(1, 'Enter the question').max(500, 'The question must be 500 characters or fewer'),
    options: z.string().default(''),
    required: checkbox,
  })
  .transform((v, ctx) => {
    const options = v.options
      .split(/\r?\n/)
      .map((o) => o.trim())
      .filter((o) => o !== '');
    const choice = v.kind === 'single' || v.kind === 'multiple';
    if (choice && options.length < 2) ctx.addIssue({ code: 'custom', path: ['options'], message: 'Enter at least two choices, one on each line' });
    if (options.some((o) => o.length > 200)) ctx.addIssue({ code: 'custom', path: ['options'], message: 'Each choice must be 200 characters or fewer' });
    if (new Set(options).size !== options.length) ctx.addIssue({ code: 'custom', path: ['options'], message: 'Each choice must be different' });
    return { section: v.section, kind: v.kind, text: v.text, options: choice ? options : [], required: v.required === 1 };
  });

export type AnswerWords = {
  required: string;
  choose: string;
  tooLong: (max: number) => string;
};

/**
 * One person's answers from the form (field `q_<id>`), checked against the questions. Returns the
 * values to store (only questions answered), or an error beside each question that needs one.
 */
export function readAnswers(
  questions: Question[],
  body: Record<string, unknown>,
  words: AnswerWords,
): { ok: true; answers: { questionId: string; value: string }[] } | { ok: false; errors: Record<string, string> } {
  const answers: { questionId: string; value: string }[] = [];
  const errors: Record<string, string> = {};
  for (const q of questions) {
    const raw = body[`q_${q.id}`];
    const values = (Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]).map((v) => (typeof v === 'string' ? v.trim() : '')).filter((v) => v !== '');
    const field = `q_${q.id}`;
    if (values.length === 0) {
      if (q.required) errors[field] = words.required;
      continue;
    }
    switch (q.kind) {
      case 'agree':
        if (values.length !== 1 || !(AGREE_SCALE as readonly string[]).includes(values[0]!)) errors[field] = words.choose;
        else answers.push({ questionId: q.id, value: values[0]! });
        break;
      case 'yes_no':
        if (values.length !== 1 || !['yes', 'no'].includes(values[0]!)) errors[field] = words.choose;
        else answers.push({ questionId: q.id, value: values[0]! });
        break;
      case 'single': {
        const i = Number(values[0]);
        if (values.length !== 1 || !Number.isInteger(i) || i < 0 || i >= q.options.length) errors[field] = words.choose;
        else answers.push({ questionId: q.id, value: String(i) });
        break;
      }
      case 'multiple': {
        const picked = [...new Set(values.map(Number))].sort((a, b) => a - b);
        if (picked.some((i) => !Number.isInteger(i) || i < 0 || i >= q.options.length)) errors[field] = words.choose;
        else answers.push({ questionId: q.id, value: picked.join(',') });
        break;
      }
      case 'short_text':
      case 'long_text': {
        const text = values.join('\n');
        const max = MAX_TEXT[q.kind];
        if (text.length > max) errors[field] = words.tooLong(max);
        else answers.push({ questionId: q.id, value: text });
        break;
      }
    }
  }
  return Object.keys(errors).length ? { ok: false, errors } : { ok: true, answers };
}

/** What was typed or picked, per field, as lists (so a page can re-tick boxes and refill text). */
export function pickedValues(body: Record<string, unknown>): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [key, value] of Object.entries(body)) {
    if (!key.startsWith('q_')) continue;
    out[key] = (Array.isArray(value) ? value : [value]).filter((v): v is string => typeof v === 'string');
  }
  return out;
}

/** The answer form's own words in English (staff pages: preview, paper answers). Carers' pages use surveys.answer.* in their language. */
export const ENGLISH_WORDS = { yes: 'Yes', no: 'No', optional: '(optional)', chooseAny: 'Select all that apply.' };

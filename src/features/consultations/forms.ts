import { z } from 'zod';
import { dateField, requiredDate } from '../../platform/calendar/typed.ts';
import { checkbox, optionalText, text } from '../../platform/web/forms.ts';
import { audienceFromForm } from '../messages/index.ts';

/** The forms of the register and of consultations, checked at the edge; dates through the one shared reader (9/12/2026, 9 Dec 2026, 2026-12-09…). */
const date = (label: string) => requiredDate(`Enter ${label}`);

export const PolicyForm = z.object({
  title: text('the policy’s title', 150),
  owner: z.string({ error: 'Choose who owns the policy' }).min(1, 'Choose who owns the policy'),
  statutory_yearly: checkbox,
  last_reviewed_on: dateField('the last review date', { optional: true }),
  next_review_on: date('the next review date'),
  body: text('the policy’s text', 100_000),
});
export type PolicyInput = z.output<typeof PolicyForm>;

const list = z
  .union([z.string(), z.array(z.string())])
  .optional()
  .transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]));

/** Who a consultation is for: chosen as a message's audience is. */
export const ConsultForm = z
  .object({
    audience_kind: z.enum(['school', 'years', 'classes', 'group'], { error: 'Select who it is for' }),
    years: list,
    class_ids: list,
    group_id: z.string().optional(),
    closes_on: date('the closing date'),
    translate_comments: checkbox,
    intro: optionalText('the opening words', 2000),
  })
  .transform((v, ctx) => {
    const audience = audienceFromForm(v);
    if (!audience.success) {
      ctx.addIssue({ code: 'custom', path: ['audience_kind'], message: audience.error.issues[0]?.message ?? 'Select who it is for' });
      return z.NEVER;
    }
    return { closesOn: v.closes_on, translateComments: v.translate_comments, intro: v.intro, audience: audience.data };
  });
export type ConsultInput = z.output<typeof ConsultForm>;

export const CommentForm = z.object({
  section: z.string({ error: 'Choose a section' }).min(1, 'Choose a section'),
  comment: text('your comment', 5000),
});

const commentId = z.string({ error: 'Choose a comment' }).min(1, 'Choose a comment').max(100, 'Choose a comment');
/** A carer changing their own comment (the comment's id and its new words). */
export const ChangeForm = z.object({ comment_id: commentId, comment: text('your comment', 5000) });
export const WithdrawForm = z.object({ comment_id: commentId });

export const ThemeForm = z.object({ title: text('the theme', 200) });
export const ThemeAnswerForm = z.object({ answer: text('the school’s answer', 5000) });
export const AssignForm = z.object({ theme: z.string({ error: 'Choose a theme' }).min(1, 'Choose a theme') });
export const EnglishForm = z.object({ english: optionalText('the English version', 5000) });
export const AdoptForm = z.object({ summary: text('what changed in the policy', 5000) });

import { z } from 'zod';
import type { Flag } from '../../db/schema.ts';
import { LANGUAGE_CODES } from '../../platform/channels/translate.ts';
import { checkbox } from '../../platform/web/forms.ts';

/**
 * A carer's own choices for non-urgent messages: email, Gatepost, paper; the language they read most
 * easily; whether they want an interpreter. Texts are not offered: only urgent notices go by text,
 * to everyone with a mobile, whatever is chosen here.
 */
export type Held = { email: string | null; mobile: string | null; preferred_language: string };
export type Preferences = { channel_email: Flag; channel_app: Flag; paper_copies: Flag; preferred_language: string; interpreter_needed: Flag };

/** The languages to choose from; a language the office recorded that is not in the list stays choosable. */
export function languageChoices(current: string): string[] {
  const names = Object.keys(LANGUAGE_CODES);
  return names.includes(current) ? names : [...names, current];
}

export const NO_EMAIL = 'The school has no email address for you. Tell the office your email address, or untick email';
export const NONE_CHOSEN = 'Choose at least one way to get messages from school';

export function preferencesForm(held: Held) {
  const languages = languageChoices(held.preferred_language);
  return z
    .object({
      // Checked on the field itself, so it shows beside the box even when other answers are missing too.
      channel_email: checkbox.refine((v) => v === 0 || !!held.email, NO_EMAIL),
      channel_app: checkbox,
      paper_copies: checkbox,
      preferred_language: z
        .string({ error: 'Select the language you read most easily' })
        .trim()
        .refine((v) => languages.includes(v), 'Select the language you read most easily'),
      interpreter_needed: z.enum(['yes', 'no'], { error: 'Select whether you would like an interpreter at meetings' }).transform((v): Flag => (v === 'yes' ? 1 : 0)),
    })
    .superRefine((v, ctx) => {
      if (!v.channel_email && !v.channel_app && !v.paper_copies) ctx.addIssue({ code: 'custom', path: ['channel_email'], message: NONE_CHOSEN });
    });
}

/** What the form shows at first: the carer's record as it is. */
export function formValues(p: Preferences): Record<string, unknown> {
  return { ...p, interpreter_needed: p.interpreter_needed ? 'yes' : 'no' };
}

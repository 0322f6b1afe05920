import { z } from 'zod';
import type { Flag } from '../../db/schema.ts';
import { LANGUAGE_CODES } from '../../platform/channels/translate.ts';
import { checkbox } from '../../platform/web/forms.ts';
import { english, type Text } from '../../platform/i18n/catalog.ts';
import { languageName } from '../../platform/i18n/names.ts';

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

/** The choices in the select, each named in the page's language ("Polski" on a Polish page) */
export function languageItems(current: string, t: Text): { value: string; text: string }[] {
  return languageChoices(current).map((value) => ({ value, text: languageName(t.code, value) }));
}

/** The form, its messages in the carer's words (`t`: request.text). */
export function preferencesForm(held: Held, t: Text = english) {
  const languages = languageChoices(held.preferred_language);
  const chooseLanguage = t('messages.prefs.error.language');
  return z
    .object({
      // Checked on the field itself, so it shows beside the box even when other answers are missing too.
      channel_email: checkbox.refine((v) => v === 0 || !!held.email, t('messages.prefs.error.noEmail')),
      channel_app: checkbox,
      paper_copies: checkbox,
      preferred_language: z
        .string({ error: chooseLanguage })
        .trim()
        .refine((v) => languages.includes(v), chooseLanguage),
      interpreter_needed: z.enum(['yes', 'no'], { error: t('messages.prefs.error.interpreter') }).transform((v): Flag => (v === 'yes' ? 1 : 0)),
    })
    .superRefine((v, ctx) => {
      if (!v.channel_email && !v.channel_app && !v.paper_copies) ctx.addIssue({ code: 'custom', path: ['channel_email'], message: t('messages.prefs.error.noneChosen') });
    });
}

/** What the form shows at first: the carer's record as it is. */
export function formValues(p: Preferences): Record<string, unknown> {
  return { ...p, interpreter_needed: p.interpreter_needed ? 'yes' : 'no' };
}

import { z } from 'zod';
import { isRightToLeft } from '../../platform/channels/help-lines.ts';
import { LANGUAGE_CODES } from '../../platform/channels/translate.ts';
import type { MessageTranslationTable } from '../../db/schema.ts';

/**
 * Translations of a message, one per language: requested → written (by a person, or fetched from
 * the translation service) → checked by a second person. A machine translation is shown as
 * "machine translated" everywhere until a person checks it.
 */
export type TranslationStatus = 'none' | 'requested' | 'written' | 'machine' | 'checked';

export const STATUS_LABELS: Record<TranslationStatus, string> = {
  none: 'None',
  requested: 'Requested',
  written: 'Written',
  machine: 'Machine translated (unchecked)',
  checked: 'Checked',
};

export const STATUS_TAGS: Record<TranslationStatus, string> = {
  none: 'govuk-tag--grey',
  requested: 'govuk-tag--blue',
  written: 'govuk-tag--yellow',
  machine: 'govuk-tag--orange',
  checked: 'govuk-tag--green',
};

type Row = Pick<MessageTranslationTable, 'source' | 'status'>;

export function statusOf(t: Row | null | undefined): TranslationStatus {
  if (!t) return 'none';
  if (t.status === 'checked') return 'checked';
  if (t.status === 'requested') return 'requested';
  return t.source === 'machine' ? 'machine' : 'written';
}

/**
 * Why this person may not mark this translation as checked, or null when they may: there must be a
 * written translation, and a person's translation is checked by someone other than its writer.
 */
export function whyNotCheck(t: Pick<MessageTranslationTable, 'source' | 'status' | 'body' | 'written_by'> | null | undefined, checkerId: string, language: string): string | null {
  if (!t || t.status === 'requested' || t.body.trim() === '') return 'There is nothing to check yet: write the translation first.';
  if (t.source === 'person' && t.written_by === checkerId)
    return 'You wrote this translation, so someone else must check it. Ask a colleague who reads ' + language + ' to check it against the English.';
  return null;
}

/** The language named in a URL: one of the school's languages (any case), not English; else null. */
export function languageFromUrl(param: string): string | null {
  const want = param.trim().toLowerCase();
  const name = Object.keys(LANGUAGE_CODES).find((n) => n.toLowerCase() === want);
  return name && name !== 'English' ? name : null;
}

/** lang and dir for HTML holding text in this language. */
export function textDirection(language: string): { lang: string; dir: 'rtl' | 'ltr' } {
  return { lang: LANGUAGE_CODES[language] ?? 'en', dir: isRightToLeft(language) ? 'rtl' : 'ltr' };
}

/** Whether a message's translations may still be added or changed. */
export function translationsOpen(status: 'draft' | 'scheduled' | 'sent'): boolean {
  return status === 'draft' || status === 'scheduled';
}

export const TranslationForm = z.object({
  subject: z.string({ error: 'Enter the subject in this language' }).trim().min(1, 'Enter the subject in this language').max(150, 'The subject must be 150 characters or fewer'),
  body: z.string({ error: 'Enter the message in this language' }).trim().min(1, 'Enter the message in this language').max(20_000, 'The message must be 20,000 characters or fewer'),
});
export type TranslationInput = z.output<typeof TranslationForm>;

/** Paragraphs of lines, so pages can show line breaks without inline styles. */
export function paragraphs(text: string): string[][] {
  return text
    .replace(/\r\n?/g, '\n')
    .trim()
    .split(/\n\s*\n/)
    .map((p) => p.split('\n').map((l) => l.trimEnd()))
    .filter((p) => p.some((l) => l !== ''));
}

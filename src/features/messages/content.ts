import type { MessageKind } from '../../db/schema.ts';
import { helpLine, isRightToLeft } from '../../platform/channels/help-lines.ts';
import { english, type Text } from '../../platform/i18n/catalog.ts';
import { LANGUAGE_CODES } from '../../platform/channels/translate.ts';
import { namesTogether } from './recipients.ts';

/**
 * What one carer reads: the message in their language when a translation exists, otherwise English
 * with one line in their language saying how to get help; always naming the children it is about.
 */
export type Translation = { language: string; subject: string; body: string; source: 'person' | 'machine'; status: 'requested' | 'written' | 'checked' };
export type Letter = {
  language: string;
  translated: boolean;
  machineTranslated: boolean;
  rtl: boolean;
  subject: string;
  about: string | null;
  body: string;
  help: string | null;
};

/** A translation can be used once someone has written it (or a machine has, marked as such). */
export function usableTranslation(translations: Translation[], language: string): Translation | null {
  return translations.find((t) => t.language === language && t.status !== 'requested' && t.body.trim() !== '') ?? null;
}

export function letterFor(message: { subject: string; body: string }, translations: Translation[], language: string, childNames: string[]): Letter {
  const t = language === 'English' ? null : usableTranslation(translations, language);
  // "Aleksandra i Jakub" in a Polish letter; "Aleksandra and Jakub" in English.
  const code = t ? LANGUAGE_CODES[language] : undefined;
  const about = childNames.length === 0 ? null : code ? new Intl.ListFormat(code, { type: 'conjunction' }).format(childNames) : namesTogether(childNames);
  return {
    language: t ? language : 'English',
    translated: !!t,
    machineTranslated: t?.source === 'machine' && t.status !== 'checked',
    rtl: t ? isRightToLeft(language) : false,
    subject: about ? `${about}: ${t?.subject ?? message.subject}` : (t?.subject ?? message.subject),
    about,
    body: t?.body ?? message.body,
    help: t ? null : helpLine(language),
  };
}

/**
 * The subject as written, except praise: the school stores "Good news from Mr Okafor" in English, and
 * a carer reads it in their own words ("Dobre wieści od Mr Okafor") from the teacher's name.
 */
export function subjectFor(message: { kind: MessageKind; subject: string; author_title?: string | null; author_family_name?: string | null }, t: Text): string {
  if (message.kind !== 'praise' || !message.author_family_name) return message.subject;
  return t('messages.praise.subject', { name: `${message.author_title ?? ''} ${message.author_family_name}`.trim() });
}

export type Links = { read: string; acknowledge: string | null; unsubscribe: string | null };

/** The email's text in the words of `t` (the carer's language; English by default); the letter itself as chosen by letterFor. */
export function emailText(letter: Letter, schoolName: string, links: Links, t: Text = english): string {
  const lines: string[] = [];
  if (letter.help) lines.push(letter.help, '');
  if (letter.about) lines.push(t('messages.email.about', { names: letter.about }), '');
  lines.push(letter.body.trim(), '');
  if (letter.machineTranslated) lines.push(t('messages.email.machine'), '');
  lines.push(t('messages.email.read', { link: links.read }));
  if (links.acknowledge) lines.push(t('messages.email.acknowledge', { link: links.acknowledge }));
  lines.push('', `${schoolName}`);
  if (links.unsubscribe) lines.push('', t('messages.email.stop', { link: links.unsubscribe }));
  return lines.join('\n');
}

const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** The HTML part, in the words of `t`; the letter's paragraphs carry their own direction, the help line its own language. */
export function emailHtml(letter: Letter, schoolName: string, links: Links, t: Text = english): string {
  const dir = letter.rtl ? ' dir="rtl"' : '';
  const paragraphs = letter.body
    .trim()
    .split(/\n{2,}/)
    .map((p) => `<p${dir}>${escape(p).replace(/\n/g, '<br>')}</p>`)
    .join('\n');
  const body = letter.translated ? '' : ' lang="en" dir="ltr"';
  return [
    `<!DOCTYPE html><html lang="${t.code}" dir="${t.dir}"><body style="font-family: system-ui, Arial, sans-serif; font-size: 19px; line-height: 1.4; max-width: 40em">`,
    `<p style="font-weight: bold">${escape(schoolName)}</p>`,
    letter.help ? `<p>${escape(letter.help)}</p>` : '',
    letter.about ? `<p><strong>${escape(t('messages.email.about', { names: letter.about }))}</strong></p>` : '',
    `<div${body}>`,
    paragraphs,
    '</div>',
    letter.machineTranslated ? `<p><em>${escape(t('messages.email.machine'))}</em></p>` : '',
    `<p><a href="${escape(links.read)}">${escape(t('messages.email.readLink'))}</a></p>`,
    links.acknowledge ? `<p><a href="${escape(links.acknowledge)}">${escape(t('messages.email.acknowledgeLink'))}</a></p>` : '',
    links.unsubscribe ? `<p style="font-size: 16px"><a href="${escape(links.unsubscribe)}">${escape(t('messages.email.stopLink'))}</a> ${escape(t('messages.email.stopNote'))}</p>` : '',
    '</body></html>',
  ].join('\n');
}

/** The text message for an urgent notice: short, naming the school. */
export function smsText(message: { subject: string; body: string }, schoolName: string): string {
  return `${schoolName}: ${message.body.trim()}`;
}

/**
 * A newsletter or letter by text, for a carer with a mobile but no email (when the school chooses
 * texts): the subject in their language and a short link that opens it in Gatepost without signing in.
 */
export function linkSmsText(letter: { subject: string }, schoolName: string, readLink: string): string {
  return `${schoolName}: ${letter.subject.trim()}. Read it here: ${readLink}`;
}

/** Whether a kind is essential (urgent): those ignore opt-outs and go by text. */
export function isEssential(kind: MessageKind): boolean {
  return kind === 'urgent';
}

import type { MessageKind } from '../../db/schema.ts';
import { helpLine, isRightToLeft } from '../../platform/channels/help-lines.ts';
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
  const about = childNames.length > 0 ? namesTogether(childNames) : null;
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

export type Links = { read: string; acknowledge: string | null; unsubscribe: string | null };

export function emailText(letter: Letter, schoolName: string, links: Links): string {
  const lines: string[] = [];
  if (letter.help) lines.push(letter.help, '');
  if (letter.about) lines.push(`About: ${letter.about}`, '');
  lines.push(letter.body.trim(), '');
  if (letter.machineTranslated) lines.push('(Machine translated: the school has not checked this translation yet.)', '');
  lines.push(`Read it on Gatepost: ${links.read}`);
  if (links.acknowledge) lines.push(`Please tell us you have read it: ${links.acknowledge}`);
  lines.push('', `${schoolName}`);
  if (links.unsubscribe) lines.push('', `Stop these emails (you will still get urgent notices): ${links.unsubscribe}`);
  return lines.join('\n');
}

const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export function emailHtml(letter: Letter, schoolName: string, links: Links): string {
  const dir = letter.rtl ? ' dir="rtl"' : '';
  const paragraphs = letter.body
    .trim()
    .split(/\n{2,}/)
    .map((p) => `<p${dir}>${escape(p).replace(/\n/g, '<br>')}</p>`)
    .join('\n');
  return [
    `<!DOCTYPE html><html lang="en"><body style="font-family: system-ui, Arial, sans-serif; font-size: 19px; line-height: 1.4; max-width: 40em">`,
    `<p style="font-weight: bold">${escape(schoolName)}</p>`,
    letter.help ? `<p>${escape(letter.help)}</p>` : '',
    letter.about ? `<p><strong>About: ${escape(letter.about)}</strong></p>` : '',
    paragraphs,
    letter.machineTranslated ? '<p><em>Machine translated: the school has not checked this translation yet.</em></p>' : '',
    `<p><a href="${escape(links.read)}">Read it on Gatepost</a></p>`,
    links.acknowledge ? `<p><a href="${escape(links.acknowledge)}">Tell us you have read it</a></p>` : '',
    links.unsubscribe ? `<p style="font-size: 16px"><a href="${escape(links.unsubscribe)}">Stop these emails</a> (you will still get urgent notices)</p>` : '',
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

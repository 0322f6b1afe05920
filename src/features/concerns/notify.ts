import type { Db } from '../../db/database.ts';
import type { LocalDate } from '../../db/schema.ts';
import { helpLine } from '../../platform/channels/help-lines.ts';
import { LANGUAGE_CODES, type Translator } from '../../platform/channels/translate.ts';
import { enqueue, type OutboxItem } from '../../platform/outbox/outbox.ts';
import { absoluteLink } from '../../platform/web/links.ts';
import { bilingualEmail, type Email } from '../../platform/i18n/email.ts';
import type { Text } from '../../platform/i18n/catalog.ts';
import { ENGLISH } from '../../platform/i18n/languages.ts';
import { english } from '../../platform/i18n/catalog.ts';
import { textForCarer, textForSchool } from '../../platform/i18n/plugin.ts';
import type { CarerLetterIn, SchoolWords } from './concerns.ts';
import { carerMayHearAbout, carerOf } from './queries.ts';

/**
 * Telling the carer who raised a concern: by email when they take emails, else by text when they
 * take texts, else only on Gatepost (the page says so, and staff see it). Never when they may no
 * longer hear about the child (platform/access/hear.ts, purpose 'complaint'): a restriction made
 * since stops every word. The email and text are in the carer's language when Gatepost has it (the
 * catalog in ./i18n, the English beneath in an email). What a person at the school wrote (SchoolWords)
 * is machine translated in that letter when it can be (marked as such), otherwise left in English
 * with the help line from the catalog. For a language Gatepost has no catalog for, the whole letter
 * is machine translated when it can be (marked as such, English below), otherwise English with the
 * help line written for that language (platform/channels/help-lines.ts).
 *
 * Prepared before the transaction (the translation is a call to another service), written into the
 * outbox inside it.
 */
export type NotifyContext = { now: Date; today: LocalDate; baseUrl: string; translator: Translator | null };
/** `written`: the letter as written for the carer (their language, the English beneath), kept to print when it goes on paper. */
export type PreparedLetter = { items: OutboxItem[]; channel: 'email' | 'sms' | 'paper' | 'none' | 'not_allowed'; written?: Email };

/**
 * What a letter is about. `concernId` is its outbox reference (a conduct letter gives its own record's id).
 * `pupilId`: the child it is about, so a carer who may no longer hear about the child is told nothing; a
 * letter about the carer themselves (the conduct feature's) has none. `path`: the page the letter links to
 * (the concern's by default; null for no link). `orPaper`: a carer who takes no emails gets the letter on
 * paper (channel 'paper', `written` to print) instead of a text message.
 */
export type LetterFor = {
  schoolId: string;
  schoolName: string;
  concernId: string;
  carerId: string;
  pupilId: string | null;
  key: string;
  path?: string | null;
  orPaper?: boolean;
};

export async function prepareLetter(db: Db, ctx: NotifyContext, c: LetterFor, letter: CarerLetterIn): Promise<PreparedLetter> {
  if (c.pupilId && !(await carerMayHearAbout(db, c.schoolId, c.carerId, c.pupilId, ctx.today))) return { items: [], channel: 'not_allowed' };
  const carer = await carerOf(db, c.schoolId, c.carerId);
  if (!carer || (carer.archived_at && !c.orPaper)) return { items: [], channel: 'none' };
  // A complaint's letters link to the complaint's own page; a concern's, to the concern.
  const link = c.path === null ? null : absoluteLink(ctx.baseUrl, c.path ?? `/my-concerns/${c.concernId}`);
  const [own, inEnglish] = await Promise.all([textForCarer(db, c.schoolId, carer.preferred_language, ctx.now), textForSchool(db, c.schoolId, ENGLISH, ctx.now)]);
  const byEmail = !!carer.email && carer.channel_email === 1 && !carer.archived_at;
  if (byEmail || c.orPaper) {
    // The school's own words in a letter in the carer's language: machine translated where that can be done.
    const translations = new Map<string, string | null>();
    if (own.code !== ENGLISH) {
      for (const w of letter(own).lines.filter(isSchoolWords)) {
        if (!translations.has(w.schoolWrote)) translations.set(w.schoolWrote, await translated(ctx.translator, w.schoolWrote, carer.preferred_language));
      }
    }
    const leftInEnglish = [...translations.values()].some((v) => v === null);
    const email = (t: Text): Email => {
      const l = letter(t);
      const lines = l.lines.map((line) => {
        if (typeof line === 'string') return line;
        const inLanguage = t.code === ENGLISH ? null : translations.get(line.schoolWrote);
        return inLanguage ? `${inLanguage}\n(${t('concerns.letter.machine')})` : line.schoolWrote;
      });
      // The help line, from the catalog, when some of the school's words could only go in English.
      const help = t.code !== ENGLISH && leftInEnglish ? [t('concerns.letter.helpLine'), ''] : [];
      return {
        subject: l.subject,
        text: [
          ...help,
          t('concerns.email.dear', { name: carer.given_name }),
          '',
          ...lines.flatMap((line) => [line, '']),
          ...(link ? [t('concerns.email.seeIt', { link }), ''] : []),
          c.schoolName,
        ].join('\n'),
      };
    };
    let mail = bilingualEmail(own, email, inEnglish);
    if (own.code === ENGLISH) {
      // A language Gatepost has no catalog for: the whole letter goes as English letters do.
      const inLanguage = await translated(ctx.translator, mail.text, carer.preferred_language);
      const text = inLanguage
        ? [inLanguage, '', `(Machine translated into ${carer.preferred_language}: the school has not checked this translation. The English is below.)`, '', '---', '', mail.text].join('\n')
        : [helpLine(carer.preferred_language), mail.text].filter(Boolean).join('\n\n');
      mail = { subject: mail.subject, text };
    }
    if (!byEmail) return { channel: 'paper', items: [], written: mail };
    return {
      channel: 'email',
      items: [{ channel: 'email', schoolId: c.schoolId, key: `${c.key}:${carer.id}`, ref: c.concernId, payload: { to: carer.email!, subject: mail.subject, text: mail.text } }],
      written: mail,
    };
  }
  if (carer.mobile && carer.channel_sms === 1) {
    return {
      channel: 'sms',
      items: [{ channel: 'sms', schoolId: c.schoolId, key: `${c.key}:${carer.id}`, ref: c.concernId, payload: { to: carer.mobile, text: [letter(own).sms, link].filter(Boolean).join(' ') } }],
    };
  }
  return { items: [], channel: 'none' };
}

function isSchoolWords(line: string | SchoolWords): line is SchoolWords {
  return typeof line !== 'string';
}

export async function sendLetter(trx: Db, letter: PreparedLetter, now: Date): Promise<void> {
  if (letter.items.length) await enqueue(trx, letter.items, now);
}

async function translated(translator: Translator | null, text: string, language: string): Promise<string | null> {
  const code = LANGUAGE_CODES[language];
  if (!translator || !code || code === 'en') return null;
  try {
    return await translator.translate(text, code, 'en');
  } catch {
    return null; // English with the help line in their language instead
  }
}

/**
 * Letters about a carer themselves (the conduct feature's, wired in src/app.ts: conduct cannot import
 * concerns, which reaches conduct through meetings and community). No child, so no "may they hear about
 * the child" check, and no link; by email when they take emails, otherwise on paper, with the same
 * letter (their language, the English beneath) to print.
 */
export function lettersAboutCarer(translator: Translator | null) {
  return async (
    db: Db,
    c: { schoolId: string; schoolName: string; today: LocalDate; carerId: string; ref: string; key: string; now: Date },
    letter: CarerLetterIn,
  ): Promise<{ sentBy: 'email' | 'paper'; subject: string; text: string; send: (trx: Db, now: Date) => Promise<void> }> => {
    const prepared = await prepareLetter(
      db,
      { now: c.now, today: c.today, baseUrl: '', translator },
      { schoolId: c.schoolId, schoolName: c.schoolName, concernId: c.ref, carerId: c.carerId, pupilId: null, key: c.key, path: null, orPaper: true },
      letter,
    );
    const written = prepared.written ?? { subject: letter(english).subject, text: '' };
    return { sentBy: prepared.channel === 'email' ? 'email' : 'paper', subject: written.subject, text: written.text, send: (trx, now) => sendLetter(trx, prepared, now) };
  };
}

import { english, type Text } from './catalog.ts';
import { ENGLISH } from './languages.ts';

export type Email = { subject: string; text: string };

/**
 * An email to a carer in their language with the English beneath it (for a partner or a helper who
 * reads English, and so the school can see what was said): `build` writes the email once with the
 * words it is given. The subject is in the carer's language only. In English, the English alone.
 */
export function bilingualEmail(t: Text, build: (t: Text) => Email, inEnglish: Text = english): Email {
  const own = build(t);
  if (t.code === ENGLISH) return own;
  const plain = build(inEnglish);
  return { subject: own.subject, text: `${own.text.trimEnd()}\n\n----------\n${t('common.email.inEnglish')}\n\n${plain.text}` };
}

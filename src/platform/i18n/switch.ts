import type { FastifyRequest } from 'fastify';
import { ENGLISH, carerLanguage } from './languages.ts';

export type LanguageSwitch = { href: string; text: string; lang: string; dir: 'ltr' | 'rtl' };

/**
 * The link at the top of a carer's page to the other of their two languages: "English" on a Polish
 * page, "Polski" on the same page in English. Nobody else has one (staff pages are in English; a
 * carer whose language is English or one Gatepost lacks has nothing to switch to).
 */
export function languageSwitch(request: FastifyRequest): LanguageSwitch | null {
  const user = request.user;
  if (user?.kind !== 'carer') return null;
  const own = carerLanguage(user.language);
  if (own.code === ENGLISH) return null;
  const next = encodeURIComponent(request.url);
  const showingOwn = request.text.code === own.code;
  return showingOwn
    ? { href: `/language?to=${ENGLISH}&next=${next}`, text: 'English', lang: ENGLISH, dir: 'ltr' }
    : { href: `/language?to=${own.code}&next=${next}`, text: own.native, lang: own.code, dir: own.dir };
}

import { LANGUAGE_CODES } from '../channels/translate.ts';

/**
 * A language's name as the reader calls it: "Polish" on an English page, "Polski" on a Polish one,
 * "پولش" on an Urdu one (CLDR names through Intl.DisplayNames). A name Gatepost has no code for is
 * shown as the school recorded it. The school's record may be in any case ("arabic").
 *
 * `inSentence`: the name as it stands inside a sentence ("un interpret de arabă", "tłumacz (język:
 * arabski)", "một thông dịch viên tiếng Ả Rập"), not capitalised as a heading or a list item is.
 */
const namers = new Map<string, Intl.DisplayNames>();
const CODE_BY_NAME = new Map(Object.entries(LANGUAGE_CODES).map(([name, code]) => [name.toLowerCase(), code]));

/**
 * Names CLDR does not have (Intl.DisplayNames knows no British Sign Language, "bfi"), as each carer
 * language writes them: as a heading or list item, and inside a sentence. Not in LANGUAGE_CODES, so
 * nothing offers them as a language to machine translate into. Have a speaker check any change.
 */
const OWN_NAMES: Record<string, Record<string, { h: string; s: string }>> = {
  'british sign language': {
    en: { h: 'British Sign Language', s: 'British Sign Language' },
    pl: { h: 'Brytyjski język migowy', s: 'brytyjski język migowy' },
    ur: { h: 'برطانوی اشاروں کی زبان', s: 'برطانوی اشاروں کی زبان' },
    so: { h: 'Luqadda Dhegoolaha ee Ingiriiska', s: 'luqadda dhegoolaha ee Ingiriiska' },
    ar: { h: 'لغة الإشارة البريطانية', s: 'لغة الإشارة البريطانية' },
    ro: { h: 'Limba semnelor britanică', s: 'limba semnelor britanică' },
    bn: { h: 'ব্রিটিশ সাংকেতিক ভাষা', s: 'ব্রিটিশ সাংকেতিক ভাষা' },
    pa: { h: 'ਬ੍ਰਿਟਿਸ਼ ਸੰਕੇਤਕ ਭਾਸ਼ਾ', s: 'ਬ੍ਰਿਟਿਸ਼ ਸੰਕੇਤਕ ਭਾਸ਼ਾ' },
    pt: { h: 'Língua gestual britânica', s: 'língua gestual britânica' },
    uk: { h: 'Британська мова жестів', s: 'британська мова жестів' },
    vi: { h: 'Ngôn ngữ ký hiệu Anh', s: 'ngôn ngữ ký hiệu Anh' },
  },
};

/** Names already worked out, by page language, code and form: Intl.DisplayNames is slow, and every carer home page shows one. */
const shownNames = new Map<string, string>();

export function languageName(pageCode: string, englishName: string | null | undefined, options: { inSentence?: boolean } = {}): string {
  const name = (englishName ?? '').trim();
  const own = OWN_NAMES[name.toLowerCase()];
  if (own) {
    const shown = own[pageCode] ?? own.en!;
    return options.inSentence ? shown.s : shown.h;
  }
  const code = CODE_BY_NAME.get(name.toLowerCase());
  if (!code) return name;
  const key = `${pageCode}|${code}|${options.inSentence ? 's' : 'h'}`;
  let found = shownNames.get(key);
  if (found === undefined) {
    found = nameIn(pageCode, code, options.inSentence === true) ?? '';
    shownNames.set(key, found);
  }
  return found || name;
}

function nameIn(pageCode: string, code: string, inSentence: boolean): string | null {
  let namer = namers.get(pageCode);
  if (!namer) {
    namer = new Intl.DisplayNames([pageCode], { type: 'language', fallback: 'none' });
    namers.set(pageCode, namer);
  }
  const shown = namer.of(code);
  if (!shown) return null;
  // CLDR writes Vietnamese names as "Tiếng Ả Rập" (a heading's capital); inside a sentence it is "tiếng Ả Rập".
  if (inSentence) return pageCode === 'vi' ? shown.replace(/^Tiếng /, 'tiếng ') : shown;
  return shown.charAt(0).toLocaleUpperCase(pageCode) + shown.slice(1);
}

/**
 * A sign language (British Sign Language, Irish Sign Language, BSL): a carer recorded with one uses it
 * rather than reads it, and it has no written form, so letters to them stay in English.
 */
export function isSignLanguage(name: string | null | undefined): boolean {
  const n = (name ?? '').trim().toLowerCase();
  return /\bsign(ed)? language\b/.test(n) || /^(bsl|isl|asl|auslan)$/.test(n);
}

/**
 * How staff pages say what a carer's recorded language is to them: "reads Polish" (or "speaks Polish",
 * as the page puts it), but "uses British Sign Language".
 */
export function languageUse(name: string | null | undefined, verb: 'reads' | 'speaks' = 'reads'): string {
  const n = (name ?? '').trim();
  return `${isSignLanguage(n) ? 'uses' : verb} ${n}`;
}

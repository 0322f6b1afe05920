/**
 * The languages a carer can read Gatepost in. `name` is how staff record a carer's language
 * (carers.preferred_language); `code` names the catalog files (`i18n/<code>.json` beside the
 * pages that use them); `native` is what the carer sees on the switch; `dir` lays the page out.
 *
 * `complete`: every string of the carer's side is in the catalog (a test fails otherwise).
 * `status`: who wrote the catalog and whether a fluent speaker has checked it. A school can record
 * its own check (Settings → Languages); until someone has, a school sees "not yet checked".
 */
export type CarerLanguage = {
  name: string;
  code: string;
  native: string;
  dir: 'ltr' | 'rtl';
  complete: boolean;
  status: { writtenBy: string; checkedBy: string | null; checkedOn: string | null };
};

const TEAM = 'the Gatepost team';
const unchecked = { writtenBy: TEAM, checkedBy: null, checkedOn: null };

export const ENGLISH = 'en';

export const CARER_LANGUAGES: readonly CarerLanguage[] = [
  { name: 'English', code: 'en', native: 'English', dir: 'ltr', complete: true, status: { writtenBy: TEAM, checkedBy: TEAM, checkedOn: null } },
  { name: 'Polish', code: 'pl', native: 'Polski', dir: 'ltr', complete: true, status: unchecked },
  { name: 'Urdu', code: 'ur', native: 'اردو', dir: 'rtl', complete: true, status: unchecked },
  { name: 'Somali', code: 'so', native: 'Soomaali', dir: 'ltr', complete: true, status: unchecked },
  { name: 'Arabic', code: 'ar', native: 'العربية', dir: 'rtl', complete: true, status: unchecked },
  { name: 'Romanian', code: 'ro', native: 'Română', dir: 'ltr', complete: true, status: unchecked },
  { name: 'Bengali', code: 'bn', native: 'বাংলা', dir: 'ltr', complete: true, status: unchecked },
  { name: 'Punjabi', code: 'pa', native: 'ਪੰਜਾਬੀ', dir: 'ltr', complete: true, status: unchecked },
  { name: 'Portuguese', code: 'pt', native: 'Português', dir: 'ltr', complete: true, status: unchecked },
  { name: 'Ukrainian', code: 'uk', native: 'Українська', dir: 'ltr', complete: true, status: unchecked },
  { name: 'Vietnamese', code: 'vi', native: 'Tiếng Việt', dir: 'ltr', complete: true, status: unchecked },
];

const BY_CODE = new Map(CARER_LANGUAGES.map((l) => [l.code, l]));
const BY_NAME = new Map(CARER_LANGUAGES.map((l) => [l.name.toLowerCase(), l]));

/** The interface language for a carer's recorded language ("Polish" → Polish); English when Gatepost has no catalog for it. */
export function carerLanguage(preferredLanguage: string | null | undefined): CarerLanguage {
  return BY_NAME.get((preferredLanguage ?? '').trim().toLowerCase()) ?? BY_CODE.get(ENGLISH)!;
}

export function languageByCode(code: string): CarerLanguage | undefined {
  return BY_CODE.get(code);
}

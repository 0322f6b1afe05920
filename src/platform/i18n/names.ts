import { LANGUAGE_CODES } from '../channels/translate.ts';

/**
 * A language's name as the reader calls it: "Polish" on an English page, "Polski" on a Polish one,
 * "پولش" on an Urdu one (CLDR names through Intl.DisplayNames). A name Gatepost has no code for is
 * shown as the school recorded it.
 */
const namers = new Map<string, Intl.DisplayNames>();
export function languageName(pageCode: string, englishName: string | null | undefined): string {
  const name = englishName ?? '';
  const code = LANGUAGE_CODES[name];
  if (!code) return name;
  let namer = namers.get(pageCode);
  if (!namer) {
    namer = new Intl.DisplayNames([pageCode], { type: 'language', fallback: 'none' });
    namers.set(pageCode, namer);
  }
  const shown = namer.of(code);
  if (!shown) return name;
  return shown.charAt(0).toLocaleUpperCase(pageCode) + shown.slice(1);
}

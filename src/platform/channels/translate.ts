import { errorText, isTimeout, networkReason } from './sms.ts';

/**
 * Machine translation through a LibreTranslate server: POST {url}/translate with
 * { q, source, target, format, api_key? } answers { translatedText }, or { error } with a 4xx/5xx.
 * Check the server's GET /languages: not every server offers every language below (Tigrinya
 * especially), and a language it lacks answers 400 with an error we pass on.
 */
export class TranslationError extends Error {
  constructor(
    message: string,
    /** The HTTP status, or null when there was no answer (timeout, unreachable). */
    readonly status: number | null,
  ) {
    super(message);
    this.name = 'TranslationError';
  }
}

export type TranslatorOptions = { url: string; key?: string | undefined; timeoutMs?: number };
export type Translator = {
  translate(text: string, target: string, source?: string, format?: 'text' | 'html'): Promise<string>;
};

export function createTranslator({ url, key, timeoutMs = 15_000 }: TranslatorOptions): Translator {
  const endpoint = `${url.replace(/\/+$/, '')}/translate`;
  return {
    async translate(text, target, source = 'en', format = 'text') {
      if (text.trim() === '' || target === source) return text;
      let status: number;
      let answer: string;
      try {
        const res = await fetch(endpoint, {
          method: 'POST',
          headers: { 'content-type': 'application/json', accept: 'application/json' },
          body: JSON.stringify({ q: text, source, target, format, ...(key ? { api_key: key } : {}) }),
          signal: AbortSignal.timeout(timeoutMs),
        });
        status = res.status;
        answer = await res.text();
      } catch (error) {
        if (isTimeout(error)) {
          throw new TranslationError(`The translation service did not answer in time (waited ${timeoutMs / 1000} s)`, null);
        }
        throw new TranslationError(`The translation service could not be reached: ${networkReason(error)}`, null);
      }
      if (status < 200 || status >= 300) {
        throw new TranslationError(`The translation service could not translate to ${target} (HTTP ${status}: ${errorText(answer)})`, status);
      }
      let translated: unknown;
      try {
        translated = (JSON.parse(answer) as { translatedText?: unknown }).translatedText;
      } catch {
        translated = undefined;
      }
      if (typeof translated !== 'string') {
        throw new TranslationError('The translation service answered without a translation', status);
      }
      return translated;
    },
  };
}

/** The languages the school's families use, by the names staff choose from, to ISO 639-1 codes. */
export const LANGUAGE_CODES: Record<string, string> = {
  English: 'en',
  Polish: 'pl',
  Urdu: 'ur',
  Somali: 'so',
  Romanian: 'ro',
  Arabic: 'ar',
  Bengali: 'bn',
  Portuguese: 'pt',
  Punjabi: 'pa',
  Turkish: 'tr',
  Lithuanian: 'lt',
  Ukrainian: 'uk',
  Spanish: 'es',
  French: 'fr',
  Tigrinya: 'ti',
};

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { FeatureDeps } from '../../platform/deps.ts';
import { staff } from '../../platform/access/policy.ts';
import { localDate } from '../../platform/calendar/time.ts';
import { dateField } from '../../platform/calendar/typed.ts';
import { AppError } from '../../platform/errors.ts';
import { catalogOf, englishKeys, missingStrings } from '../../platform/i18n/catalog.ts';
import { CARER_LANGUAGES, ENGLISH, languageByCode, type CarerLanguage } from '../../platform/i18n/languages.ts';
import { parseForm, text, type FieldErrors } from '../../platform/web/forms.ts';
import { languageChecks, ownWordCounts, ownWords, readersByLanguage, recordLanguageCheck, setOwnWords } from './queries.ts';
import { checkOverride, completeness, fallbacksByLanguage, statusWords } from './wording.ts';

const V = 'features/languages/views';
const headOnly = staff(['head']);
/** Strings shown at once on a language's page; the filter box finds the rest. */
const SHOWN = 60;
const MAX_WORDS = 2000;

const CheckForm = z.object({
  checked_by: text('the name of the fluent speaker who checked it', 120),
  checked_on: dateField('the date they checked it'),
});
const WordsForm = z.object({
  key: z.string().max(200),
  text: z.string({ error: 'Enter the words' }).max(MAX_WORDS, `The words must be ${MAX_WORDS} characters or fewer`),
  q: z.string().max(200).optional(),
  action: z.enum(['save', 'clear']).default('save'),
});

/** A field's id for a string: "common.nav.evenings" → "words-common-nav-evenings". */
export const fieldId = (key: string) => `words-${key.replace(/[^A-Za-z0-9_-]/g, '-')}`;

const firstOf = (v: unknown): string => (typeof v === 'string' ? v : Array.isArray(v) && typeof v[0] === 'string' ? v[0] : '');

function languageOf(request: FastifyRequest): CarerLanguage {
  const language = languageByCode((request.params as { code: string }).code);
  if (!language) throw new AppError('not_found', 'Gatepost has no language with this code. Go back to Languages and choose one from the list.');
  return language;
}

function staffActor(request: FastifyRequest) {
  const user = request.user!;
  return { kind: 'staff' as const, id: user.id, schoolId: user.schoolId, ip: request.ip };
}

/**
 * Settings → Languages: the head sees, for every language a carer can read Gatepost in, who reads
 * it, how complete and how checked its words are and how often pages fell back to English; records
 * a fluent speaker's check; and changes any string to the school's own words (in English too).
 */
export function languagesRoutes(app: FastifyInstance, deps: FeatureDeps): void {
  const { db, clock } = deps;

  app.get('/settings/languages', { config: { policy: headOnly } }, async (request, reply) => {
    const schoolId = request.user!.schoolId;
    const [readers, checks, own] = await Promise.all([readersByLanguage(db, schoolId), languageChecks(db, schoolId), ownWordCounts(db, schoolId)]);
    const fellBack = fallbacksByLanguage(missingStrings());
    const keys = englishKeys();
    const rows = CARER_LANGUAGES.map((language) => ({
      language,
      readers: readers.byCode.get(language.code) ?? 0,
      ...completeness(keys, catalogOf(language.code)),
      status: statusWords(language, checks.get(language.code)),
      fellBack: fellBack.get(language.code) ?? 0,
      own: own.get(language.code) ?? 0,
    }));
    return reply.page(`${V}/languages.njk`, { title: 'Languages', rows, without: readers.without });
  });

  async function languagePage(request: FastifyRequest, reply: FastifyReply, extra: { errors?: FieldErrors; values?: Record<string, unknown>; typed?: Record<string, string>; q?: string } = {}) {
    const language = languageOf(request);
    const schoolId = request.user!.schoolId;
    const query = request.query as Record<string, unknown>;
    const q = (extra.q ?? firstOf(query.q)).trim().slice(0, 200);
    const [own, checks, readers] = await Promise.all([ownWords(db, schoolId, language.code), languageChecks(db, schoolId), readersByLanguage(db, schoolId)]);
    const english = catalogOf(ENGLISH);
    const builtIn = catalogOf(language.code);
    const needle = q.toLowerCase();
    const typed = extra.typed ?? {};
    // What was just typed comes first, so its error shows even when the filter finds many strings.
    const found = englishKeys().filter((key) => !(key in typed) && (!needle || (english.get(key) ?? '').toLowerCase().includes(needle) || key.toLowerCase().includes(needle)));
    const matching = [...Object.keys(typed).filter((key) => english.has(key)), ...found];
    const strings = matching.slice(0, SHOWN).map((key) => ({
      key,
      id: fieldId(key),
      english: english.get(key) ?? '',
      builtIn: builtIn.get(key) ?? null,
      own: own.get(key) ?? null,
      value: typed[key] ?? own.get(key) ?? '',
    }));
    return reply.page(`${V}/language.njk`, {
      title: `${language.name}: the school’s own words`,
      backLink: '/settings/languages',
      language,
      isEnglish: language.code === ENGLISH,
      status: statusWords(language, checks.get(language.code)),
      readers: readers.byCode.get(language.code) ?? 0,
      ownCount: own.size,
      q,
      strings,
      matching: matching.length,
      shown: SHOWN,
      saved: firstOf(query.saved),
      values: {},
      ...extra,
    });
  }

  app.get('/settings/languages/:code', { config: { policy: headOnly } }, async (request, reply) => languagePage(request, reply));

  app.post('/settings/languages/:code/check', { config: { policy: headOnly } }, async (request, reply) => {
    const language = languageOf(request);
    if (language.code === ENGLISH) throw new AppError('not_found', 'English is Gatepost’s own language: there is no check to record.');
    const form = parseForm(CheckForm, request.body);
    const errors: FieldErrors = form.ok ? {} : { ...form.errors };
    const today = localDate(clock(), request.school?.time_zone ?? 'Europe/London');
    if (form.ok && form.data.checked_on > today) errors.checked_on = 'The date they checked it must be today or in the past';
    if (!form.ok || Object.keys(errors).length) return languagePage(request, reply.code(400), { errors, values: form.ok ? (request.body as Record<string, unknown>) : form.values });
    await recordLanguageCheck(db, staffActor(request), language, { checked_by: form.data.checked_by.replace(/\s+/g, ' '), checked_on: form.data.checked_on }, clock());
    return reply.redirect(`/settings/languages/${language.code}?saved=check`, 303);
  });

  app.post('/settings/languages/:code/words', { config: { policy: headOnly } }, async (request, reply) => {
    const language = languageOf(request);
    const form = parseForm(WordsForm, request.body);
    const english = form.ok ? catalogOf(ENGLISH).get(form.data.key) : undefined;
    if (!form.ok || english === undefined) {
      if (!form.ok && form.errors.text && typeof form.values.key === 'string' && catalogOf(ENGLISH).has(form.values.key)) {
        const key = form.values.key;
        return languagePage(request, reply.code(400), { errors: { [fieldId(key)]: form.errors.text }, typed: { [key]: firstOf(form.values.text) }, q: firstOf(form.values.q) });
      }
      throw new AppError('bad_request', 'This phrase is not one Gatepost has: it may have been renamed. Go back to the list and find it again.');
    }
    const { key, q = '' } = form.data;
    const words = form.data.action === 'clear' ? '' : form.data.text.trim();
    if (words) {
      const check = checkOverride(english, words);
      if (!check.ok) return languagePage(request, reply.code(400), { errors: { [fieldId(key)]: check.problem }, typed: { [key]: form.data.text }, q });
    }
    const changed = await setOwnWords(db, staffActor(request), language, key, words || null, clock());
    const back = new URLSearchParams({ ...(q ? { q } : {}), saved: words ? 'words' : changed ? 'cleared' : 'unchanged' });
    return reply.redirect(`/settings/languages/${language.code}?${back.toString()}#${fieldId(key)}`, 303);
  });
}

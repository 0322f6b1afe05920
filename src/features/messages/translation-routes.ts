import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { FeatureDeps } from '../../platform/deps.ts';
import type { MessageTable, MessageTranslationTable } from '../../db/schema.ts';
import { staff } from '../../platform/access/policy.ts';
import type { StaffUser } from '../../platform/access/roles.ts';
import { audit, changedFields, type Actor } from '../../platform/audit/audit.ts';
import { createTranslator, LANGUAGE_CODES, TranslationError } from '../../platform/channels/translate.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { isSignLanguage } from '../../platform/i18n/names.ts';
import { newId } from '../../platform/ids.ts';
import { parseForm, type FieldErrors } from '../../platform/web/forms.ts';
import { KIND_LABELS } from './audience.ts';
import { COMPOSERS } from './compose.ts';
import { checkProblem, languageFromUrl, paragraphs, STATUS_LABELS, STATUS_TAGS, statusOf, textDirection, TranslationForm, translationsOpen } from './translation.ts';
import { languagesRead, lockMessageForChange, messageVisibleTo, translationsWithNames, type TranslationRow } from './translation-queries.ts';
import { volunteerRefusal } from './volunteer-translation.ts';
import { askVolunteer, latestRequest, pupilNamesOf, type TranslatorsFor } from './volunteer-translation-commands.ts';
import { z } from 'zod';

const REQUEST_WORDS: Record<string, string> = {
  asked: 'asked',
  written: 'wrote it',
  declined: 'said they could not do it',
  cancelled: 'was asked, then someone else was',
};
const AskForm = z.object({ volunteer_id: z.string({ error: 'Choose a volunteer' }).trim().min(1, 'Choose a volunteer') });

const V = 'features/messages/views';
/** The same people as the message page: whoever may open the message may work on its translations. */
const composers = staff(COMPOSERS);

const LIST_DONE: Record<string, string> = {
  requested: 'Translation requested.',
  checked: 'Translation marked as checked.',
};
const PAGE_DONE: Record<string, string> = {
  saved: 'Translation saved. Someone else needs to check it before it is marked as checked.',
  asked: 'Volunteer asked. They have been sent an email with a link to write the translation.',
  machine: 'Machine translation saved. Families see that it was machine translated until a person checks it.',
};

const closed = () => new AppError('conflict', 'This message has been sent, so its translations can no longer be changed.');
const noReaders = (language: string) => new AppError('bad_request', `No one who receives this reads ${language}`);
const NO_SERVICE = 'No translation service is set up for Gatepost, so machine translation is not available. Ask a person to write the translation instead.';
const PERSON_WROTE_IT = 'A person has written or checked this translation. Change it here rather than replacing it with a machine translation.';

/** A machine translation may fill an empty or requested translation, or replace an unchecked machine one: never a person's work. */
function machineMayReplace(t: Pick<MessageTranslationTable, 'source' | 'status' | 'body'> | null | undefined): boolean {
  return !t || t.status === 'requested' || t.body.trim() === '' || (t.source === 'machine' && t.status !== 'checked');
}

type Page = { errors?: FieldErrors; values?: Record<string, unknown>; machineErrors?: Record<string, string>; status?: number; volunteerId?: string };

/** `volunteers`: who may be asked to translate (volunteering's translatorsFor, from app.ts); without it, nobody is offered. */
export function translationRoutes(app: FastifyInstance, deps: FeatureDeps, volunteers: { translatorsFor: TranslatorsFor } = { translatorsFor: async () => [] }): void {
  const { translatorsFor } = volunteers;
  const { db, clock, dialect, config } = deps;
  const translator = config.translate.url ? createTranslator({ url: config.translate.url, key: config.translate.key }) : null;

  function actorOf(request: FastifyRequest): Actor {
    const user = request.user as StaffUser;
    return { kind: 'staff', id: user.id, schoolId: user.schoolId, ip: request.ip };
  }

  async function load(request: FastifyRequest): Promise<{ user: StaffUser; message: MessageTable; language: string | null }> {
    const user = request.user as StaffUser;
    const params = request.params as { messageId: string; language?: string };
    const message = await messageVisibleTo(db, user, params.messageId);
    if (params.language === undefined) return { user, message, language: null };
    const language = languageFromUrl(params.language);
    if (!language) throw notFound();
    return { user, message, language };
  }

  async function listPage(request: FastifyRequest, reply: FastifyReply, message: MessageTable, extra: Page = {}) {
    const [readers, translations] = await Promise.all([languagesRead(db, message, request.scope.today), translationsWithNames(db, message.id)]);
    const byLanguage = new Map(translations.map((t) => [t.language, t]));
    const names = [...new Set([...[...readers.keys()].filter((l) => l in LANGUAGE_CODES), ...translations.map((t) => t.language)])].sort();
    const rows = names.map((language) => {
      const t = byLanguage.get(language) ?? null;
      const status = statusOf(t);
      return { language, readers: readers.get(language) ?? 0, t, status, label: STATUS_LABELS[status], tag: STATUS_TAGS[status], machineAllowed: machineMayReplace(t) };
    });
    const done = LIST_DONE[(request.query as { done?: string }).done ?? ''];
    return reply.code(extra.status ?? 200).page(`${V}/translations.njk`, {
      title: `Translations: ${message.subject}`,
      message,
      kinds: KIND_LABELS,
      rows,
      // Languages no translation can be held in: written ones are read by some who receive it; a sign language
      // (British Sign Language) is not read at all, so it is said apart, never as "also read by".
      otherLanguages: [...readers.keys()].filter((l) => !(l in LANGUAGE_CODES) && !isSignLanguage(l)).sort(),
      signLanguages: [...readers.keys()].filter((l) => !(l in LANGUAGE_CODES) && isSignLanguage(l)).sort(),
      open: translationsOpen(message.status),
      machineAvailable: !!translator,
      machineErrors: extra.machineErrors ?? {},
      // The error summary links to the button the error is beside.
      errors: Object.fromEntries(Object.entries(extra.machineErrors ?? {}).map(([language, text]) => [`machine-${language}`, text])),
      done,
    });
  }

  async function languagePage(request: FastifyRequest, reply: FastifyReply, message: MessageTable, language: string, extra: Page = {}) {
    const [readers, translations] = await Promise.all([languagesRead(db, message, request.scope.today), translationsWithNames(db, message.id)]);
    const t: TranslationRow | null = translations.find((x) => x.language === language) ?? null;
    const count = readers.get(language) ?? 0;
    if (!t && count === 0) throw noReaders(language);
    const status = statusOf(t);
    const open = translationsOpen(message.status) && count > 0;
    const user = request.user as StaffUser;
    const checkable = open && !!t && t.status === 'written' && t.body.trim() !== '';
    const done = PAGE_DONE[(request.query as { done?: string }).done ?? ''];
    // "Ask a volunteer": for a language with no checked translation, while the message is open.
    const askable = open && status !== 'checked';
    const [refusal, translators, asked] = askable
      ? await Promise.all([
          pupilNamesOf(db, user.schoolId).then((pupils) => volunteerRefusal(message, pupils)),
          translatorsFor(db, user.schoolId, language, request.scope.today),
          latestRequest(db, user.schoolId, message.id, language),
        ])
      : [null, [], undefined];
    return reply.code(extra.status ?? 200).page(`${V}/translation.njk`, {
      askable,
      volunteerRefusal: refusal,
      volunteerItems: translators.map((v) => ({ value: v.volunteerId, text: v.name + (v.email ? '' : ' (no email: tell them it is waiting)'), checked: extra.volunteerId === v.volunteerId })),
      asked: asked ? { name: `${asked.given_name} ${asked.family_name}`, words: REQUEST_WORDS[asked.status], at: asked.answered_at ?? asked.asked_at } : null,
      title: `${language} translation: ${message.subject}`,
      message,
      kinds: KIND_LABELS,
      language,
      direction: textDirection(language),
      // Not `t`: that is the page's words (platform/i18n).
      translation: t,
      status,
      statusLabel: STATUS_LABELS[status],
      statusTag: STATUS_TAGS[status],
      readers: count,
      sent: message.status === 'sent',
      open,
      canCheck: checkable && checkProblem(t, user.id, language, '') === null,
      // The writer is not offered a button that can only refuse them: they are told who must check it instead.
      checkNote: checkable && t.source === 'person' && t.written_by === user.id ? checkProblem(t, user.id, language, '') : null,
      machineAllowed: machineMayReplace(t),
      machineAvailable: !!translator,
      original: paragraphs(message.body),
      preview: t && t.body.trim() !== '' ? paragraphs(t.body) : [],
      values: extra.values ?? { subject: t?.subject ?? '', body: t?.body ?? '', updated_at: t && t.status !== 'requested' ? t.updated_at : 'new' },
      checkedAt: t?.updated_at ?? '',
      errors: extra.errors,
      done,
    });
  }

  /** The message again, locked, inside the transaction; refuses once it has been sent. */
  async function stillOpen(trx: typeof db, messageId: string): Promise<MessageTable> {
    const current = await lockMessageForChange(trx, dialect, messageId);
    if (!current) throw notFound();
    if (!translationsOpen(current.status)) throw closed();
    return current;
  }

  async function mustBeRead(request: FastifyRequest, message: MessageTable, language: string): Promise<void> {
    if (!translationsOpen(message.status)) throw closed();
    const readers = await languagesRead(db, message, request.scope.today);
    if (!readers.has(language)) throw noReaders(language);
  }

  const findTranslation = (trx: typeof db, messageId: string, language: string) =>
    trx.selectFrom('message_translations').selectAll().where('message_id', '=', messageId).where('language', '=', language).executeTakeFirst();

  const summary = (t: Partial<MessageTranslationTable>) => ({
    source: t.source,
    status: t.status,
    subject: t.subject,
    body: t.body,
    written_by: t.written_by,
    written_by_carer: t.written_by_carer,
    checked_by: t.checked_by,
  });

  app.get('/messages/:messageId/translations', { config: { policy: composers } }, async (request, reply) => {
    const { message } = await load(request);
    return listPage(request, reply, message);
  });

  app.post('/messages/:messageId/translations/:language/request', { config: { policy: composers } }, async (request, reply) => {
    const { user, message, language } = await load(request);
    await mustBeRead(request, message, language!);
    const now = clock();
    await db.transaction().execute(async (trx) => {
      await stillOpen(trx, message.id);
      if (await findTranslation(trx, message.id, language!)) return; // already requested or written: nothing to do
      const row = {
        id: newId(),
        school_id: user.schoolId,
        message_id: message.id,
        language: language!,
        subject: '',
        body: '',
        source: 'person' as const,
        status: 'requested' as const,
        written_by: null,
        checked_by: null,
        updated_at: now.toISOString(),
      };
      await trx.insertInto('message_translations').values(row).execute();
      await audit(
        trx,
        actorOf(request),
        { schoolId: user.schoolId, action: 'translation.requested', entity: 'message_translation', entityId: row.id, after: { message_id: message.id, language: language!, status: 'requested' } },
        now,
      );
    });
    return reply.redirect(`/messages/${message.id}/translations?done=requested`, 303);
  });

  app.get('/messages/:messageId/translations/:language', { config: { policy: composers } }, async (request, reply) => {
    const { message, language } = await load(request);
    return languagePage(request, reply, message, language!);
  });

  app.post('/messages/:messageId/translations/:language', { config: { policy: composers } }, async (request, reply) => {
    const { user, message, language } = await load(request);
    await mustBeRead(request, message, language!);
    const form = parseForm(TranslationForm, request.body);
    if (!form.ok) return languagePage(request, reply, message, language!, { errors: form.errors, values: form.values, status: 400 });
    const seen = String((request.body as { updated_at?: unknown }).updated_at ?? '');
    const now = clock();
    const result = await db.transaction().execute(async (trx) => {
      await stillOpen(trx, message.id);
      const existing = await findTranslation(trx, message.id, language!);
      // Someone else saved a version after this person opened the page: do not overwrite it unseen.
      // The form carries the version it was opened on ('new' when there was none yet).
      if (existing && existing.status !== 'requested' && seen && existing.updated_at !== seen) return { changedBy: existing.updated_at };
      const fields = {
        subject: form.data.subject,
        body: form.data.body,
        source: 'person' as const,
        status: 'written' as const,
        written_by: user.id,
        written_by_carer: null,
        checked_by: null,
        updated_at: now.toISOString(),
      };
      const id = existing?.id ?? newId();
      if (existing) await trx.updateTable('message_translations').set(fields).where('id', '=', id).execute();
      else
        await trx
          .insertInto('message_translations')
          .values({ id, school_id: user.schoolId, message_id: message.id, language: language!, ...fields })
          .execute();
      const change = existing ? changedFields(summary(existing), summary(fields)) : { before: undefined, after: summary(fields) };
      await audit(
        trx,
        actorOf(request),
        {
          schoolId: user.schoolId,
          action: 'translation.written',
          entity: 'message_translation',
          entityId: id,
          before: change.before,
          after: { message_id: message.id, language: language!, ...change.after },
        },
        now,
      );
      return { changedBy: null };
    });
    if (result.changedBy) {
      const errors = { body: 'Someone else changed this translation while you were writing. Their version is shown above; your writing is below. Save again to replace theirs.' };
      return languagePage(request, reply, message, language!, { errors, values: { ...form.data, updated_at: result.changedBy }, status: 409 });
    }
    return reply.redirect(`/messages/${message.id}/translations/${encodeURIComponent(language!)}?done=saved`, 303);
  });

  app.post('/messages/:messageId/translations/:language/check', { config: { policy: composers } }, async (request, reply) => {
    const { user, message, language } = await load(request);
    if (!translationsOpen(message.status)) throw closed();
    const seen = String((request.body as { updated_at?: unknown }).updated_at ?? '');
    const now = clock();
    const problem = await db.transaction().execute(async (trx): Promise<string | null> => {
      await stillOpen(trx, message.id);
      const existing = await findTranslation(trx, message.id, language!);
      const refused = checkProblem(existing, user.id, language!, seen);
      if (refused || !existing || existing.status === 'checked') return refused;
      await trx.updateTable('message_translations').set({ status: 'checked', checked_by: user.id, updated_at: now.toISOString() }).where('id', '=', existing.id).execute();
      await audit(
        trx,
        actorOf(request),
        {
          schoolId: user.schoolId,
          action: 'translation.checked',
          entity: 'message_translation',
          entityId: existing.id,
          before: { status: existing.status, checked_by: null },
          after: { message_id: message.id, language: language!, source: existing.source, status: 'checked', checked_by: user.id },
        },
        now,
      );
      return null;
    });
    if (problem) return languagePage(request, reply, message, language!, { errors: { check: problem }, status: 400 });
    return reply.redirect(`/messages/${message.id}/translations?done=checked`, 303);
  });

  app.post('/messages/:messageId/translations/:language/volunteer', { config: { policy: composers } }, async (request, reply) => {
    const { user, message, language } = await load(request);
    await mustBeRead(request, message, language!);
    const form = parseForm(AskForm, request.body);
    if (!form.ok) return languagePage(request, reply, message, language!, { errors: form.errors, status: 400 });
    const result = await askVolunteer(
      db,
      dialect,
      { kind: 'staff', id: user.id, schoolId: user.schoolId, ip: request.ip },
      { messageId: message.id, language: language!, volunteerId: form.data.volunteer_id },
      { today: request.scope.today, now: clock(), baseUrl: config.baseUrl, schoolName: request.school?.name ?? 'Gatepost', translatorsFor },
    );
    if (!result.ok) return languagePage(request, reply, message, language!, { errors: { volunteer_id: result.problem }, volunteerId: form.data.volunteer_id, status: 409 });
    return reply.redirect(`/messages/${message.id}/translations/${encodeURIComponent(language!)}?done=asked`, 303);
  });

  app.post('/messages/:messageId/translations/:language/machine', { config: { policy: composers } }, async (request, reply) => {
    const { user, message, language } = await load(request);
    const fromList = (request.body as { from?: unknown }).from === 'list';
    const fail = (text: string, status: number) =>
      fromList ? listPage(request, reply, message, { machineErrors: { [language!]: text }, status }) : languagePage(request, reply, message, language!, { errors: { machine: text }, status });
    if (!translator) return fail(NO_SERVICE, 400);
    await mustBeRead(request, message, language!);
    if (!machineMayReplace(await findTranslation(db, message.id, language!))) return fail(PERSON_WROTE_IT, 409);

    // Ask the service before opening a transaction: it may take seconds, and nothing is saved if it fails.
    const code = LANGUAGE_CODES[language!]!;
    let subject: string;
    let body: string;
    try {
      subject = (await translator.translate(message.subject, code)).trim();
      body = (await translator.translate(message.body, code)).trim();
    } catch (error) {
      if (error instanceof TranslationError) return fail(`${error.message}. Nothing was saved.`, 400);
      throw error;
    }
    if (!subject || !body) return fail('The translation service answered with an empty translation. Nothing was saved.', 400);

    const now = clock();
    const result = await db.transaction().execute(async (trx) => {
      const current = await stillOpen(trx, message.id);
      // The English changed while the service was working: the translation would not match it.
      if (current.subject !== message.subject || current.body !== message.body) return 'The message changed while it was being translated. Nothing was saved: try again.';
      const existing = await findTranslation(trx, message.id, language!);
      if (!machineMayReplace(existing)) return PERSON_WROTE_IT;
      const fields = { subject, body, source: 'machine' as const, status: 'written' as const, written_by: user.id, written_by_carer: null, checked_by: null, updated_at: now.toISOString() };
      const id = existing?.id ?? newId();
      if (existing) await trx.updateTable('message_translations').set(fields).where('id', '=', id).execute();
      else
        await trx
          .insertInto('message_translations')
          .values({ id, school_id: user.schoolId, message_id: message.id, language: language!, ...fields })
          .execute();
      await audit(
        trx,
        actorOf(request),
        {
          schoolId: user.schoolId,
          action: 'translation.machine_translated',
          entity: 'message_translation',
          entityId: id,
          before: existing ? summary(existing) : undefined,
          after: { message_id: message.id, language: language!, ...summary(fields) },
        },
        now,
      );
      return null;
    });
    if (result) return fail(result, 409);
    return reply.redirect(`/messages/${message.id}/translations/${encodeURIComponent(language!)}?done=machine`, 303);
  });
}

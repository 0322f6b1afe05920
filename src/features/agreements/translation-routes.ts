import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { FeatureDeps } from '../../platform/deps.ts';
import type { AgreementVersionTable } from '../../db/schema.ts';
import { staff } from '../../platform/access/policy.ts';
import type { StaffUser } from '../../platform/access/roles.ts';
import { audit, changedFields } from '../../platform/audit/audit.ts';
import { notFound } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import { parseForm, type FieldErrors } from '../../platform/web/forms.ts';
import { checkProblem, languageFromUrl, STATUS_LABELS, STATUS_TAGS, textDirection, TranslationForm, statusOf } from '../messages/index.ts';
import { agreementText, AGREEMENT_ROLES, staffActor } from './routes.ts';
import { carerLanguages, findTranslation, promisesOf, translationsOf, versionById } from './queries.ts';
import { textBlocks } from './agreement.ts';

const V = 'features/agreements/views';

/**
 * Translations of an agreement version: written by a person, then checked by a second person (the
 * flow and its rules come from features/messages). Families are shown a translation once checked.
 */
export function agreementTranslationRoutes(app: FastifyInstance, deps: FeatureDeps): void {
  const { db, clock } = deps;
  const policy = staff(AGREEMENT_ROLES.translate);

  async function load(request: FastifyRequest): Promise<{ user: StaffUser; v: AgreementVersionTable; language: string }> {
    const user = request.user as StaffUser;
    const params = request.params as { versionId: string; language: string };
    const v = await versionById(db, user.schoolId, params.versionId);
    const language = languageFromUrl(params.language);
    if (!v || !language) throw notFound();
    return { user, v, language };
  }

  async function page(
    request: FastifyRequest,
    reply: FastifyReply,
    v: AgreementVersionTable,
    language: string,
    extra: { errors?: FieldErrors; values?: Record<string, unknown>; status?: number } = {},
  ) {
    const user = request.user as StaffUser;
    const [translations, promises, readers] = await Promise.all([translationsOf(db, v.id), promisesOf(db, v.id), carerLanguages(db, user.schoolId)]);
    const t = translations.find((x) => x.language === language) ?? null;
    const status = statusOf(t);
    const { done } = request.query as { done?: string };
    return reply.code(extra.status ?? 200).page(`${V}/translation.njk`, {
      title: `${language} translation: ${v.title} (version ${v.version})`,
      backLink: `/agreements/versions/${v.id}`,
      v,
      language,
      direction: textDirection(language),
      translation: t,
      status,
      statusLabel: STATUS_LABELS[status],
      statusTag: STATUS_TAGS[status],
      readers: readers.get(language) ?? 0,
      canCheck: !!t && t.status === 'written' && checkProblem(t, user.id, language, '') === null,
      original: textBlocks(agreementText(v, promises)),
      preview: t && t.body.trim() !== '' ? textBlocks(t.body) : [],
      values: extra.values ?? { subject: t?.subject ?? '', body: t?.body ?? '', updated_at: t?.updated_at ?? 'new' },
      checkedAt: t?.updated_at ?? '',
      errors: extra.errors,
      done:
        done === 'saved'
          ? 'Translation saved. Someone else needs to check it before families see it.'
          : done === 'checked'
            ? 'Translation marked as checked: families who read ' + language + ' now see it.'
            : undefined,
    });
  }

  app.get('/agreements/versions/:versionId/translations/:language', { config: { policy } }, async (request, reply) => {
    const { v, language } = await load(request);
    return page(request, reply, v, language);
  });

  app.post('/agreements/versions/:versionId/translations/:language', { config: { policy } }, async (request, reply) => {
    const { user, v, language } = await load(request);
    const form = parseForm(TranslationForm, request.body);
    if (!form.ok) return page(request, reply, v, language, { errors: form.errors, values: form.values, status: 400 });
    const seen = String((request.body as { updated_at?: unknown }).updated_at ?? '');
    const now = clock();
    const changedBy = await db.transaction().execute(async (trx) => {
      const existing = await findTranslation(trx, v.id, language);
      if (existing && seen && existing.updated_at !== seen) return existing.updated_at;
      const fields = { subject: form.data.subject, body: form.data.body, source: 'person' as const, status: 'written' as const, written_by: user.id, checked_by: null, updated_at: now.toISOString() };
      const id = existing?.id ?? newId();
      if (existing) await trx.updateTable('agreement_translations').set(fields).where('id', '=', id).execute();
      else
        await trx
          .insertInto('agreement_translations')
          .values({ id, school_id: user.schoolId, version_id: v.id, language, ...fields })
          .execute();
      const change = existing ? changedFields({ ...existing }, fields) : { before: undefined, after: fields };
      await audit(
        trx,
        staffActor(request),
        {
          schoolId: user.schoolId,
          action: 'agreement.translation_written',
          entity: 'agreement_translation',
          entityId: id,
          before: change.before,
          after: { version_id: v.id, language, ...change.after },
        },
        now,
      );
      return null;
    });
    if (changedBy) {
      const errors = { body: 'Someone else changed this translation while you were writing. Their version is shown above; your writing is below. Save again to replace theirs.' };
      return page(request, reply, v, language, { errors, values: { ...form.data, updated_at: changedBy }, status: 409 });
    }
    return reply.redirect(`/agreements/versions/${v.id}/translations/${encodeURIComponent(language)}?done=saved`, 303);
  });

  app.post('/agreements/versions/:versionId/translations/:language/check', { config: { policy } }, async (request, reply) => {
    const { user, v, language } = await load(request);
    const seen = String((request.body as { updated_at?: unknown }).updated_at ?? '');
    const now = clock();
    const problem = await db.transaction().execute(async (trx): Promise<string | null> => {
      const existing = await findTranslation(trx, v.id, language);
      const why = checkProblem(existing, user.id, language, '');
      if (why) return why;
      if (existing!.status === 'checked') return null;
      if (seen && existing!.updated_at !== seen) return 'The translation changed while you were reading it. Read it again before marking it as checked.';
      await trx
        .updateTable('agreement_translations')
        .set({ status: 'checked', checked_by: user.id, updated_at: now.toISOString() })
        .where('id', '=', existing!.id)
        .where('updated_at', '=', existing!.updated_at)
        .execute();
      await audit(
        trx,
        staffActor(request),
        {
          schoolId: user.schoolId,
          action: 'agreement.translation_checked',
          entity: 'agreement_translation',
          entityId: existing!.id,
          before: { status: existing!.status },
          after: { version_id: v.id, language, status: 'checked', checked_by: user.id },
        },
        now,
      );
      return null;
    });
    if (problem) return page(request, reply, v, language, { errors: { check: problem }, status: 400 });
    return reply.redirect(`/agreements/versions/${v.id}/translations/${encodeURIComponent(language)}?done=checked`, 303);
  });
}

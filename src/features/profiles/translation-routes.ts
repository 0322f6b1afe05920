import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { FeatureDeps } from '../../platform/deps.ts';
import { staff } from '../../platform/access/policy.ts';
import type { StaffUser } from '../../platform/access/roles.ts';
import { notFound } from '../../platform/errors.ts';
import { parseForm, type FieldErrors } from '../../platform/web/forms.ts';
import { checkProblem, paragraphs, STATUS_LABELS, STATUS_TAGS, statusOf, textDirection, TranslationForm } from '../messages/index.ts';
import { checkWordsTranslation, writeWordsTranslation } from './commands.ts';
import { profileOf, pupilOf, wordsAt, type WordsRow } from './queries.ts';
import { PROFILE_ROLES, staffActor } from './routes.ts';

const V = 'features/profiles/views';
/** Only the translation's text: the write → check flow and its form are messages'. */
const EnglishForm = TranslationForm.pick({ body: true });

/**
 * A carer's own words in their language, translated into English by one person and checked by a
 * second (the rules are messages' checkProblem). Staff see the English in the profile once checked.
 */
export function profileTranslationRoutes(app: FastifyInstance, deps: FeatureDeps): void {
  const { db, clock } = deps;
  const policy = staff(PROFILE_ROLES.read);

  async function load(request: FastifyRequest): Promise<{ user: StaffUser; pupilId: string; pupilName: string; words: WordsRow }> {
    const user = request.user as StaffUser;
    const { pupilId, carerId } = request.params as { pupilId: string; carerId: string };
    const [pupil, profile] = await Promise.all([pupilOf(db, user.schoolId, pupilId), profileOf(db, user.schoolId, pupilId)]);
    if (!pupil || !profile) throw notFound();
    const words = (await wordsAt(db, profile, profile.version)).find((w) => w.carer_id === carerId && w.language !== 'English');
    if (!words) throw notFound();
    return { user, pupilId, pupilName: pupil.name, words };
  }

  const problemFor = (checkerId: string, language: string, seen: string) => (w: Pick<WordsRow, 'translation_status' | 'translation_source' | 'written_by' | 'updated_at' | 'translation'>) =>
    checkProblem({ status: w.translation_status, source: w.translation_source, written_by: w.written_by, updated_at: w.updated_at, body: w.translation }, checkerId, language, seen);

  async function page(request: FastifyRequest, reply: FastifyReply, extra: { errors?: FieldErrors; values?: Record<string, unknown>; status?: number } = {}) {
    const { user, pupilId, pupilName, words } = await load(request);
    const status = statusOf({ source: words.translation_source, status: words.translation_status });
    const { done } = request.query as { done?: string };
    return reply.code(extra.status ?? 200).page(`${V}/translation.njk`, {
      title: `${words.carer_name}’s words about ${pupilName}, in English`,
      pupilName,
      backLink: `/pupils/${pupilId}/profile`,
      action: `/pupils/${pupilId}/profile/words/${words.carer_id}`,
      words,
      direction: textDirection(words.language),
      original: paragraphs(words.words),
      preview: words.translation.trim() !== '' ? paragraphs(words.translation) : [],
      statusLabel: STATUS_LABELS[status],
      statusTag: STATUS_TAGS[status],
      canCheck: words.translation_status === 'written' && problemFor(user.id, words.language, '')(words) === null,
      values: extra.values ?? { body: words.translation, updated_at: words.updated_at },
      checkedAt: words.updated_at,
      errors: extra.errors,
      done:
        done === 'saved'
          ? 'Translation saved. Someone else needs to check it before it is shown in the profile.'
          : done === 'checked'
            ? 'Translation checked: the profile shows it beside the words.'
            : undefined,
    });
  }

  app.get('/pupils/:pupilId/profile/words/:carerId', { config: { policy } }, async (request, reply) => page(request, reply));

  app.post('/pupils/:pupilId/profile/words/:carerId', { config: { policy } }, async (request, reply) => {
    const { words, pupilId } = await load(request);
    const form = parseForm(EnglishForm, request.body);
    if (!form.ok) return page(request, reply, { errors: form.errors, values: form.values, status: 400 });
    const seen = String((request.body as { updated_at?: unknown }).updated_at ?? '');
    const saved = await writeWordsTranslation(db, staffActor(request), words.id, form.data.body, seen, clock());
    if (!saved.ok) return page(request, reply, { errors: { [saved.field]: saved.message }, values: { body: form.data.body, updated_at: words.updated_at }, status: 409 });
    return reply.redirect(`/pupils/${pupilId}/profile/words/${words.carer_id}?done=saved`, 303);
  });

  app.post('/pupils/:pupilId/profile/words/:carerId/check', { config: { policy } }, async (request, reply) => {
    const { user, words, pupilId } = await load(request);
    const seen = String((request.body as { updated_at?: unknown }).updated_at ?? '');
    const checked = await checkWordsTranslation(db, staffActor(request), words.id, problemFor(user.id, words.language, seen), clock());
    if (!checked.ok) return page(request, reply, { errors: { check: checked.message }, status: 400 });
    return reply.redirect(`/pupils/${pupilId}/profile/words/${words.carer_id}?done=checked`, 303);
  });
}

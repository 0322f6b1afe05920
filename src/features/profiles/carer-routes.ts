import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { FeatureDeps } from '../../platform/deps.ts';
import type { ProfileTable } from '../../db/schema.ts';
import { carers } from '../../platform/access/policy.ts';
import { pupilsCarerMayHearAbout, whoMayHear } from '../../platform/access/hear.ts';
import type { CarerUser } from '../../platform/access/roles.ts';
import { notFound } from '../../platform/errors.ts';
import { parseForm, type FieldErrors } from '../../platform/web/forms.ts';
import { textDirection } from '../messages/index.ts';
import { CarerProposalForm, forCarers, sectionsOf, SHARED } from './profile.ts';
import { propose } from './commands.ts';
import { currentWords, profileOf, proposalsOf, pupilOf, versionOf, wordsAt, type PupilFacts } from './queries.ts';

const V = 'features/profiles/views';
/** The headings in the carer's language (catalog keys). */
const HEADING_KEYS = { admire: 'profiles.heading.admire', important: 'profiles.heading.important', support: 'profiles.heading.support', pupil_voice: 'profiles.heading.pupilVoice' };

/**
 * A carer's side of their child's profile, in their language: the shared headings (never the
 * staff-only notes), their own words, and a form to propose changes. Only a carer who may hear
 * about the child for the profile (platform/access, purpose 'profile'): a restricted carer is told
 * nothing is here, whatever the link.
 */
export function carerProfileRoutes(app: FastifyInstance, deps: FeatureDeps): void {
  const { db, clock, config } = deps;

  async function load(request: FastifyRequest): Promise<{ carer: CarerUser; pupil: PupilFacts; profile: ProfileTable | undefined }> {
    const carer = request.user as CarerUser;
    const { pupilId } = request.params as { pupilId: string };
    const may = await pupilsCarerMayHearAbout(db, { schoolId: carer.schoolId, carerId: carer.id, pupilIds: [pupilId], purpose: 'profile', today: request.scope.today });
    if (!may.has(pupilId)) throw notFound();
    const pupil = await pupilOf(db, carer.schoolId, pupilId);
    if (!pupil) throw notFound();
    return { carer, pupil, profile: await profileOf(db, carer.schoolId, pupilId) };
  }

  const language = (carer: CarerUser) => carer.language ?? 'English';

  app.get('/children/:pupilId/profile', { config: { policy: carers } }, async (request, reply) => {
    const { carer, pupil, profile } = await load(request);
    const t = request.text;
    if (!profile) return reply.page(`${V}/carer-profile.njk`, { title: t('profiles.title', { child: pupil.given }), pupil, profile: null, backLink: `/children/${pupil.id}` });
    const [version, words, pending] = await Promise.all([versionOf(db, profile, profile.version), currentWords(db, carer.schoolId, profile.id, carer.id), proposalsOf(db, profile, 'pending')]);
    const shared = forCarers(sectionsOf(version));
    const { done } = request.query as { done?: string };
    // The other carers' accepted words, only of a carer who may themselves hear about the child for the profile now.
    const others = (await wordsAt(db, profile, profile.version)).filter((w) => w.carer_id !== carer.id);
    const stillHear = others.length
      ? new Set(
          (await whoMayHear(db, { schoolId: carer.schoolId, pupilIds: [pupil.id], purpose: 'profile', today: request.scope.today, carerIds: others.map((w) => w.carer_id) }))
            .filter((a) => a.decision.may)
            .map((a) => a.carerId),
        )
      : new Set<string>();
    return reply.page(`${V}/carer-profile.njk`, {
      title: t('profiles.title', { child: pupil.given }),
      backLink: `/children/${pupil.id}`,
      pupil,
      profile,
      headings: SHARED.map((s) => ({ section: s, key: HEADING_KEYS[s], text: shared[s] })),
      words: words ? { text: words.words, direction: textDirection(words.language) } : null,
      waiting: pending.some((p) => p.carer_id === carer.id),
      others: others.filter((w) => stillHear.has(w.carer_id)).map((w) => ({ name: w.carer_name, text: w.words, direction: textDirection(w.language) })),
      done: done === 'proposed',
    });
  });

  async function formPage(
    request: FastifyRequest,
    reply: FastifyReply,
    loaded: { carer: CarerUser; pupil: PupilFacts; profile: ProfileTable },
    extra: { errors?: FieldErrors; values?: Record<string, unknown>; status?: number } = {},
  ) {
    const { carer, pupil, profile } = loaded;
    const [version, words] = await Promise.all([versionOf(db, profile, profile.version), currentWords(db, carer.schoolId, profile.id, carer.id)]);
    const shared = forCarers(sectionsOf(version));
    return reply.code(extra.status ?? 200).page(`${V}/carer-propose.njk`, {
      title: request.text('profiles.propose.title', { child: pupil.given }),
      backLink: `/children/${pupil.id}/profile`,
      pupil,
      sections: SHARED,
      headingKeys: HEADING_KEYS,
      direction: textDirection(language(carer)),
      values: extra.values ?? { ...shared, words: words?.words ?? '', note: '' },
      errors: extra.errors,
    });
  }

  async function withProfile(request: FastifyRequest) {
    const loaded = await load(request);
    if (!loaded.profile) throw notFound();
    return loaded as { carer: CarerUser; pupil: PupilFacts; profile: ProfileTable };
  }

  app.get('/children/:pupilId/profile/propose', { config: { policy: carers } }, async (request, reply) => formPage(request, reply, await withProfile(request)));

  app.post('/children/:pupilId/profile/propose', { config: { policy: carers } }, async (request, reply) => {
    const loaded = await withProfile(request);
    const form = parseForm(CarerProposalForm, request.body);
    if (!form.ok) {
      const errors = Object.fromEntries(Object.entries(form.errors).map(([field, key]) => [field, request.text(key)]));
      return formPage(request, reply, loaded, { errors, values: form.values, status: 400 });
    }
    const { carer } = loaded;
    const made = await propose(db, { kind: 'carer', id: carer.id, schoolId: carer.schoolId, ip: request.ip }, loaded.profile, form.data, {
      now: clock(),
      baseUrl: config.baseUrl,
      language: language(carer),
    });
    if (!made.ok) return formPage(request, reply, loaded, { errors: { admire: request.text('profiles.error.nothing') }, values: form.data, status: 400 });
    deps.pokeOutbox();
    return reply.redirect(`/children/${loaded.pupil.id}/profile?done=proposed`, 303);
  });
}

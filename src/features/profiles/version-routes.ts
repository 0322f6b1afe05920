import type { FastifyInstance } from 'fastify';
import type { FeatureDeps } from '../../platform/deps.ts';
import type { Policy } from '../../platform/access/policy.ts';
import type { StaffUser } from '../../platform/access/roles.ts';
import { notFound } from '../../platform/errors.ts';
import { textDirection } from '../messages/index.ts';
import { HEADINGS, SHARED, sectionsOf } from './profile.ts';
import { profileOf, pupilOf, versionOf, versionsOf, wordsAt } from './queries.ts';

const V = 'features/profiles/views';

/** One past version of a profile on its own page, as it stood then: the sections, the staff-only notes, and the family's words in force. */
export function profileVersionRoutes(app: FastifyInstance, deps: FeatureDeps, read: Policy): void {
  const { db } = deps;
  app.get('/pupils/:pupilId/profile/versions/:version', { config: { policy: read } }, async (request, reply) => {
    const user = request.user as StaffUser;
    const params = request.params as { pupilId: string; version: string };
    const pupil = await pupilOf(db, user.schoolId, params.pupilId);
    const profile = pupil ? await profileOf(db, user.schoolId, pupil.id) : undefined;
    const number = Number(params.version);
    if (!pupil || !profile || !Number.isInteger(number)) throw notFound();
    const [version, words, versions] = await Promise.all([versionOf(db, profile, number), wordsAt(db, profile, number), versionsOf(db, profile)]);
    if (!version) throw notFound();
    const sections = sectionsOf(version);
    const row = versions.find((v) => v.version === number);
    return reply.page(`${V}/version.njk`, {
      title: `${pupil.name}’s profile, version ${number}`,
      backLink: `/pupils/${pupil.id}/profile#versions`,
      pupil,
      number,
      current: profile.version,
      row,
      headings: SHARED.map((s) => ({ section: s, heading: HEADINGS[s], text: sections[s], staffOnly: s === 'pupil_voice' ? '' : sections[`${s}_staff`] })),
      words: words.map((w) => ({ carer: w.carer_name, language: w.language, words: w.words, direction: textDirection(w.language) })),
    });
  });
}

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { FeatureDeps } from '../../platform/deps.ts';
import { carers } from '../../platform/access/policy.ts';
import type { CarerUser } from '../../platform/access/roles.ts';
import { notFound } from '../../platform/errors.ts';
import { parseForm, type FieldErrors } from '../../platform/web/forms.ts';
import { answerMatch, endMatchByFamily, setOptIn } from './buddy-commands.ts';
import { ConsentForm, contactsShared, matchState, OptInForm } from './community.ts';
import { carerName, carerOf, keyWorkerOf, matchesOfCarer, optInOf, supportEntries } from './queries.ts';

const V = 'features/community/views';

/**
 * The carer's side: who their key worker is, the buddy scheme (opting in, saying yes or no to a
 * match, the other family's details only once both said yes, and ending the match when they no
 * longer want to share theirs), and the school's local support.
 */
export function carerCommunityRoutes(app: FastifyInstance, deps: FeatureDeps): void {
  const { db, clock, config } = deps;

  async function page(request: FastifyRequest, reply: FastifyReply, extra: { errors?: FieldErrors; values?: Record<string, unknown>; form?: string } = {}) {
    const carer = request.user as CarerUser;
    const [keyWorker, optIn, matches, entries] = await Promise.all([
      keyWorkerOf(db, carer.schoolId, carer.id),
      optInOf(db, carer.schoolId, carer.id),
      matchesOfCarer(db, carer.schoolId, carer.id),
      supportEntries(db, carer.schoolId),
    ]);
    const shown = await Promise.all(
      matches.map(async (m) => {
        const mine = m.newcomer_id === carer.id ? m.newcomer_consent_at : m.buddy_consent_at;
        const otherId = m.newcomer_id === carer.id ? m.buddy_id : m.newcomer_id;
        // Consent gating: the other family's name and details only once both families have said yes.
        const other = contactsShared(m) ? await carerOf(db, carer.schoolId, otherId) : null;
        return {
          id: m.id,
          state: matchState(m),
          answered: !!mine,
          endedByMe: m.ended_by_carer === carer.id,
          // Suggested or agreed: the carer is already taking part, so is not asked again whether she would like to.
          live: matchState(m) === 'waiting' || matchState(m) === 'agreed',
          other: other ? { name: carerName(other), email: other.email, mobile: other.mobile } : null,
        };
      }),
    );
    const { done } = request.query as { done?: string };
    return reply.code(extra.errors ? 400 : 200).page(`${V}/carer.njk`, {
      title: request.text('community.title'),
      keyWorker: keyWorker ? { name: keyWorker.name } : null,
      wants: (extra.values?.wants as string | undefined) ?? optIn?.wants ?? 'none',
      matches: shown,
      matched: shown.some((m) => m.live),
      entries,
      form: extra.form,
      errors: extra.errors ?? {},
      done: done === 'saved' || done === 'answered' || done === 'ended' ? done : null,
    });
  }

  app.get('/my-community', { config: { policy: carers } }, async (request, reply) => page(request, reply));

  app.post('/my-community/buddy', { config: { policy: carers } }, async (request, reply) => {
    const carer = request.user as CarerUser;
    const form = parseForm(OptInForm, request.body);
    if (!form.ok) return page(request, reply, { form: 'buddy', errors: { wants: request.text('community.error.wants') }, values: {} });
    await setOptIn(db, { carerId: carer.id, schoolId: carer.schoolId, ip: request.ip }, form.data.wants, clock());
    return reply.redirect('/my-community?done=saved', 303);
  });

  app.post('/my-community/matches/:matchId', { config: { policy: carers } }, async (request, reply) => {
    const carer = request.user as CarerUser;
    const { matchId } = request.params as { matchId: string };
    const form = parseForm(ConsentForm, request.body);
    if (!form.ok) {
      const mine = await matchesOfCarer(db, carer.schoolId, carer.id);
      if (!mine.some((m) => m.id === matchId)) throw notFound();
      return page(request, reply, { form: `match-${matchId}`, errors: { [`answer-${matchId}`]: request.text('community.error.answer') } });
    }
    const done = await answerMatch(db, { carerId: carer.id, schoolId: carer.schoolId, ip: request.ip }, matchId, form.data.answer, { now: clock(), baseUrl: config.baseUrl });
    if (done === 'not_found') throw notFound();
    deps.pokeOutbox();
    return reply.redirect('/my-community?done=answered', 303);
  });

  app.post('/my-community/matches/:matchId/end', { config: { policy: carers } }, async (request, reply) => {
    const carer = request.user as CarerUser;
    const { matchId } = request.params as { matchId: string };
    const done = await endMatchByFamily(db, { carerId: carer.id, schoolId: carer.schoolId, ip: request.ip }, matchId, { now: clock(), baseUrl: config.baseUrl });
    if (done === 'not_found') throw notFound();
    deps.pokeOutbox();
    return reply.redirect('/my-community?done=ended', 303);
  });
}

import type { FastifyInstance } from 'fastify';
import type { FeatureDeps } from '../../platform/deps.ts';
import { carers } from '../../platform/access/policy.ts';
import type { CarerUser } from '../../platform/access/roles.ts';
import { notFound } from '../../platform/errors.ts';
import { instantDateIn } from '../../platform/i18n/dates.ts';
import { languageName } from '../../platform/i18n/names.ts';
import { translationRequestsOfVolunteer, type VolunteerRequestItem } from '../messages/index.ts';
import { offer, withdraw } from './commands.ts';
import { assignmentsOfCarer, offersOfCarer, opportunitiesOf, opportunityById, translatorsFor } from './queries.ts';

const V = 'features/volunteering/views';

/** A carer sees the school's open roles and offers themselves; the office then does the checks. */
export function carerVolunteeringRoutes(app: FastifyInstance, deps: FeatureDeps): void {
  const { db, clock } = deps;

  app.get('/my-volunteering', { config: { policy: carers } }, async (request, reply) => {
    const carer = request.user as CarerUser;
    const [roles, offers, assignments, requests] = await Promise.all([
      opportunitiesOf(db, carer.schoolId),
      offersOfCarer(db, carer.schoolId, carer.id),
      assignmentsOfCarer(db, carer.schoolId, carer.id),
      translationRequestsOfVolunteer(db, carer.schoolId, carer.id, request.scope.today, clock(), translatorsFor),
    ]);
    // An approved volunteer sees what the office has put them down for, so the page says what happens next.
    const mine = new Map(offers.map((o) => [o.opportunity_id, { ...o, assignments: assignments.get(o.id) ?? [] }]));
    const { done } = request.query as { done?: string };
    // A translating volunteer sees the messages waiting for them and those done lately, each linked to its page.
    const timeZone = request.school?.time_zone ?? 'Europe/London';
    const shown = (item: VolunteerRequestItem) => ({
      ...item,
      language: languageName(request.text.code, item.language, { inSentence: true }),
      askedOn: instantDateIn(request.text.code, item.askedAt, timeZone),
      // volunteering.translations.state.written, .checked, .sent, .declined, .cancelled, .taken
      stateKey: `volunteering.translations.state.${item.state}`,
    });
    const translator = roles.some((r) => r.kind === 'translating' && mine.get(r.id)?.status === 'approved');
    return reply.page(`${V}/mine.njk`, {
      title: request.text('volunteering.title'),
      roles: roles.filter((r) => r.status === 'open' || mine.has(r.id)).map((r) => ({ ...r, offer: mine.get(r.id) ?? null })),
      translations: translator || requests.waiting.length || requests.recent.length ? { waiting: requests.waiting.map(shown), recent: requests.recent.map(shown) } : null,
      done: done === 'offered' ? 'volunteering.done' : done === 'withdrawn' ? 'volunteering.withdrawnDone' : null,
    });
  });

  app.post('/my-volunteering/:opportunityId/offer', { config: { policy: carers } }, async (request, reply) => {
    const carer = request.user as CarerUser;
    const role = await opportunityById(db, carer.schoolId, (request.params as { opportunityId: string }).opportunityId);
    if (!role) throw notFound();
    const note =
      String(((request.body ?? {}) as Record<string, unknown>).note ?? '')
        .trim()
        .slice(0, 1000) || null;
    await offer(db, { kind: 'carer', id: carer.id, schoolId: carer.schoolId, ip: request.ip }, role.id, note, clock());
    return reply.redirect('/my-volunteering?done=offered', 303);
  });

  app.post('/my-volunteering/:opportunityId/withdraw', { config: { policy: carers } }, async (request, reply) => {
    const carer = request.user as CarerUser;
    const role = await opportunityById(db, carer.schoolId, (request.params as { opportunityId: string }).opportunityId);
    if (!role) throw notFound();
    await withdraw(db, { kind: 'carer', id: carer.id, schoolId: carer.schoolId, ip: request.ip }, role.id, clock());
    return reply.redirect('/my-volunteering?done=withdrawn', 303);
  });
}

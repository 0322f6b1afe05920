import type { FastifyInstance } from 'fastify';
import type { FeatureDeps } from '../../platform/deps.ts';
import { carers } from '../../platform/access/policy.ts';
import type { CarerUser } from '../../platform/access/roles.ts';
import { notFound } from '../../platform/errors.ts';
import { offer, withdraw } from './commands.ts';
import { assignmentsOfCarer, offersOfCarer, opportunitiesOf, opportunityById } from './queries.ts';

const V = 'features/volunteering/views';

/** A carer sees the school's open roles and offers themselves; the office then does the checks. */
export function carerVolunteeringRoutes(app: FastifyInstance, deps: FeatureDeps): void {
  const { db, clock } = deps;

  app.get('/my-volunteering', { config: { policy: carers } }, async (request, reply) => {
    const carer = request.user as CarerUser;
    const [roles, offers, assignments] = await Promise.all([opportunitiesOf(db, carer.schoolId), offersOfCarer(db, carer.schoolId, carer.id), assignmentsOfCarer(db, carer.schoolId, carer.id)]);
    // An approved volunteer sees what the office has put them down for, so the page says what happens next.
    const mine = new Map(offers.map((o) => [o.opportunity_id, { ...o, assignments: assignments.get(o.id) ?? [] }]));
    const { done } = request.query as { done?: string };
    return reply.page(`${V}/mine.njk`, {
      title: request.text('volunteering.title'),
      roles: roles.filter((r) => r.status === 'open' || mine.has(r.id)).map((r) => ({ ...r, offer: mine.get(r.id) ?? null })),
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

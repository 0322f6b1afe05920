import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { FeatureDeps } from '../../platform/deps.ts';
import { staff } from '../../platform/access/policy.ts';
import { CAPABILITIES, type StaffUser } from '../../platform/access/roles.ts';
import { audit } from '../../platform/audit/audit.ts';
import { notFound } from '../../platform/errors.ts';
import { parseForm } from '../../platform/web/forms.ts';
import { completeRestriction } from './commands.ts';
import { restrictionDetailsForm } from './forms.ts';
import { getPupil } from './queries.ts';
import { restrictionOf, restrictionsToComplete } from './restriction-queries.ts';
import { RESTRICTIONS_TO_COMPLETE } from './restrictions.ts';

const V = 'features/people/views';
const restricting = staff(CAPABILITIES.manageRestrictions, 'restricted');

/**
 * Restrictions an import recorded from the records system: in force at once, waiting for the head or
 * DSL to say what the order says. They see the list and complete each one.
 */
export function restrictionRoutes(app: FastifyInstance, deps: FeatureDeps): void {
  const { db, clock } = deps;
  const actorOf = (request: FastifyRequest) => {
    const user = request.user as StaffUser;
    return { kind: 'staff' as const, id: user.id, schoolId: user.schoolId, ip: request.ip };
  };

  app.get(RESTRICTIONS_TO_COMPLETE, { config: { policy: restricting } }, async (request, reply) => {
    const rows = await restrictionsToComplete(db, request.user!.schoolId);
    return reply.page(`${V}/restrictions-to-complete.njk`, { title: 'Court orders to complete', rows });
  });

  async function formContext(request: FastifyRequest) {
    const { pupilId, restrictionId } = request.params as { pupilId: string; restrictionId: string };
    const schoolId = request.user!.schoolId;
    const [pupil, restriction] = await Promise.all([getPupil(db, schoolId, pupilId), restrictionOf(db, schoolId, pupilId, restrictionId)]);
    if (!pupil || !restriction || restriction.details_pending !== 1 || restriction.lifted_at) throw notFound();
    return { title: 'Complete the court order', pupil, restriction, formAction: `/pupils/${pupil.id}/restrictions/${restriction.id}/details` };
  }

  app.get('/pupils/:pupilId/restrictions/:restrictionId/details', { config: { policy: restricting } }, async (request, reply) => {
    const context = await formContext(request);
    const { restriction: r } = context;
    // Reading what the records system said about an order is itself a record, as on the pupil's page.
    await audit(db, actorOf(request), { schoolId: r.school_id, action: 'restriction.viewed', entity: 'pupil', entityId: r.pupil_id }, clock());
    const stops = [r.stops_information ? 'information' : null, r.stops_collection ? 'collection' : null, r.stops_contact ? 'contact' : null].filter(Boolean);
    return reply.page(`${V}/restriction-new.njk`, { ...context, values: { kind: r.kind, stops, starts_on: r.starts_on, ends_on: r.ends_on ?? '' } });
  });

  app.post('/pupils/:pupilId/restrictions/:restrictionId/details', { config: { policy: restricting } }, async (request, reply) => {
    const context = await formContext(request);
    const form = parseForm(restrictionDetailsForm, request.body);
    if (!form.ok) return reply.code(400).page(`${V}/restriction-new.njk`, { ...context, values: form.values, errors: form.errors });
    const stops = new Set(form.data.stops);
    await completeRestriction(
      db,
      actorOf(request),
      request.user!.schoolId,
      context.pupil.id,
      context.restriction.id,
      {
        kind: form.data.kind,
        stops_information: stops.has('information') ? 1 : 0,
        stops_collection: stops.has('collection') ? 1 : 0,
        stops_contact: stops.has('contact') ? 1 : 0,
        details: form.data.details,
        starts_on: form.data.starts_on,
        ends_on: form.data.ends_on,
      },
      clock(),
    );
    return reply.redirect(`/pupils/${context.pupil.id}?saved=restriction`, 303);
  });
}

import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { FeatureDeps } from '../../../platform/deps.ts';
import { anyone, staff } from '../../../platform/access/policy.ts';
import type { StaffUser } from '../../../platform/access/roles.ts';
import { audit } from '../../../platform/audit/audit.ts';
import { networkOf } from '../../../platform/auth/network.ts';
import { countAttempt, waitBefore, type Counted } from '../../../platform/auth/rate-limit.ts';
import { waitWords } from '../../../platform/auth/sign-in-limits.ts';
import { notFound } from '../../../platform/errors.ts';
import { parseForm, type FieldErrors } from '../../../platform/web/forms.ts';
import { staffNameOf } from '../queries.ts';
import { decidePublicComplaint, DecisionForm, makePublicComplaint, PUBLIC_COMPLAINT_LIMITS, PublicComplaintForm, publicComplaintOf, schoolByUrn, whoTheFormIsFor } from './public.ts';
import { settingsFor } from './queries.ts';

const V = 'features/concerns/complaints/views';

/**
 * The public complaint form (no sign-in), and the head's triage of what comes in on it.
 * /complain/:urn — the school by its URN, as its website's complaints page links to it.
 */
export function publicComplaintRoutes(app: FastifyInstance, deps: FeatureDeps): void {
  const { db, clock, config } = deps;

  async function school(request: FastifyRequest) {
    const { urn } = request.params as { urn: string };
    const found = await schoolByUrn(db, urn);
    if (!found) throw notFound();
    return found;
  }
  async function formPage(request: FastifyRequest, extra: { errors?: FieldErrors; values?: Record<string, unknown> } = {}) {
    const s = await school(request);
    const settings = await settingsFor(db, s.id);
    const { urn } = request.params as { urn: string };
    return {
      title: `Make a complaint to ${s.name}`,
      schoolName: s.name,
      urn,
      forParents: whoTheFormIsFor(settings) === 'parents',
      limits: settings.limits,
      errors: extra.errors,
      values: extra.values ?? {},
    };
  }

  app.get('/complain/:urn', { config: { policy: anyone } }, async (request, reply) => reply.page(`${V}/public-new.njk`, await formPage(request)));
  app.post('/complain/:urn', { config: { policy: anyone } }, async (request, reply) => {
    const s = await school(request);
    const form = parseForm(PublicComplaintForm, request.body);
    if (!form.ok) return reply.code(400).page(`${V}/public-new.njk`, await formPage(request, form));
    const counted: Counted[] = [
      { bucket: 'public-complaint:network', key: `${s.id} ${networkOf(request.ip)}`, rule: PUBLIC_COMPLAINT_LIMITS.network },
      { bucket: 'public-complaint:email', key: `${s.id} ${form.data.email}`, rule: PUBLIC_COMPLAINT_LIMITS.email },
    ];
    const wait = await waitBefore(db, counted, clock());
    if (wait > 0) {
      return reply
        .code(429)
        .header('retry-after', String(wait))
        .page(
          `${V}/public-new.njk`,
          await formPage(request, { errors: { about: `Several complaints have been sent from here. Wait ${waitWords(wait)}, then send it again` }, values: request.body as Record<string, unknown> }),
        );
    }
    const made = await makePublicComplaint(db, s, form.data, { now: clock(), baseUrl: config.baseUrl, ip: request.ip });
    if (!made.ok) return reply.code(400).page(`${V}/public-new.njk`, await formPage(request, { errors: { [made.field]: made.message }, values: request.body as Record<string, unknown> }));
    await countAttempt(db, counted, clock());
    deps.pokeOutbox();
    return reply.redirect(`/complain/${(request.params as { urn: string }).urn}/sent`, 303);
  });
  app.get('/complain/:urn/sent', { config: { policy: anyone } }, async (request, reply) => {
    const s = await school(request);
    return reply.page(`${V}/public-sent.njk`, { title: 'We have received your complaint', schoolName: s.name });
  });

  // The head's triage.
  const head = staff(['head']);
  async function opened(request: FastifyRequest) {
    const user = request.user as StaffUser;
    const { publicId } = request.params as { publicId: string };
    const found = await publicComplaintOf(db, user.schoolId, publicId);
    if (!found) throw notFound();
    return found;
  }
  async function triagePage(request: FastifyRequest, extra: { errors?: FieldErrors; values?: Record<string, unknown>; done?: string } = {}) {
    const user = request.user as StaffUser;
    const complaint = await opened(request);
    await audit(
      db,
      { kind: 'staff', id: user.id, schoolId: user.schoolId, ip: request.ip },
      { schoolId: user.schoolId, action: 'public_complaint.viewed', entity: 'public_complaint', entityId: complaint.id },
      clock(),
    );
    return {
      title: `Complaint from ${complaint.name}`,
      backLink: '/complaints',
      complaint,
      decidedBy: await staffNameOf(db, user.schoolId, complaint.decided_by),
      caseId: (await db.selectFrom('complaints').select('id').where('school_id', '=', user.schoolId).where('public_complaint_id', '=', complaint.id).executeTakeFirst())?.id ?? null,
      errors: extra.errors,
      values: extra.values ?? {},
      done: extra.done,
    };
  }
  app.get('/complaints/public/:publicId', { config: { policy: head } }, async (request, reply) => {
    const { done } = request.query as { done?: unknown };
    return reply.page(`${V}/public-complaint.njk`, await triagePage(request, { done: typeof done === 'string' ? done : undefined }));
  });
  app.post('/complaints/public/:publicId/decision', { config: { policy: head } }, async (request, reply) => {
    const user = request.user as StaffUser;
    const complaint = await opened(request);
    const form = parseForm(DecisionForm, request.body);
    if (!form.ok) return reply.code(400).page(`${V}/public-complaint.njk`, await triagePage(request, form));
    const decided = await decidePublicComplaint(db, { staffId: user.id, schoolId: user.schoolId, ip: request.ip }, complaint, form.data, clock());
    if (!decided.ok)
      return reply.code(400).page(`${V}/public-complaint.njk`, await triagePage(request, { errors: { [decided.field]: decided.message }, values: request.body as Record<string, unknown> }));
    deps.pokeOutbox();
    return reply.redirect(decided.caseId ? `/complaints/${decided.caseId}?done=made` : `/complaints/public/${complaint.id}?done=decided`, 303);
  });
}

import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { FeatureDeps } from '../../../platform/deps.ts';
import { anyone, staff } from '../../../platform/access/policy.ts';
import { STAFF_ROLES, type StaffUser } from '../../../platform/access/roles.ts';
import { markAlertsSeen } from '../../../platform/alerts/alerts.ts';
import { audit } from '../../../platform/audit/audit.ts';
import { networkOf } from '../../../platform/auth/network.ts';
import { countAttempt, waitBefore, type Counted } from '../../../platform/auth/rate-limit.ts';
import { waitWords } from '../../../platform/auth/sign-in-limits.ts';
import { notFound } from '../../../platform/errors.ts';
import { safeguardingReadings } from '../../../platform/safeguarding/safeguarding.ts';
import { parseForm, type FieldErrors } from '../../../platform/web/forms.ts';
import { closeComplaint, ClosureForm, reviewClosure } from '../../conduct/index.ts';
import { madeLate } from '../complaint-timeline.ts';
import { closureOf, lettersToPublicComplainant } from './public-closure.ts';
import { staffNameOf } from '../queries.ts';
import { decidePublicComplaint, DecisionForm, makePublicComplaint, PUBLIC_COMPLAINT_LIMITS, PublicComplaintForm, publicComplaintOf, schoolByUrn, whoTheFormIsFor } from './public.ts';
import { auditWordsRead, markPublicWords, PUBLIC_WORDS, publicComplaintLink, readerOf, readsWords } from './public-triage.ts';
import { complaintForStaff, settingsFor } from './queries.ts';

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

  // The triage: the head's, or for a complaint about the head whoever the settings name (public-triage.ts).
  // The DSL and deputies read a complaint whose words are marked as safeguarding; nobody else sees it here.
  const anyStaff = staff(STAFF_ROLES);
  async function opened(request: FastifyRequest, allow: readonly ('triager' | 'dsl')[] = ['triager', 'dsl']) {
    const user = request.user as StaffUser;
    const { publicId } = request.params as { publicId: string };
    const found = await publicComplaintOf(db, user.schoolId, publicId);
    if (!found) throw notFound();
    const as = readerOf(user, found, await settingsFor(db, user.schoolId));
    if (!as || !allow.includes(as)) throw notFound();
    return { complaint: found, as };
  }
  async function triagePage(request: FastifyRequest, extra: { errors?: FieldErrors; values?: Record<string, unknown>; done?: string; form?: string } = {}) {
    const user = request.user as StaffUser;
    const { complaint, as } = await opened(request);
    const actor = { kind: 'staff' as const, id: user.id, schoolId: user.schoolId, ip: request.ip };
    await audit(db, actor, { schoolId: user.schoolId, action: 'public_complaint.viewed', entity: 'public_complaint', entityId: complaint.id }, clock());
    const words = readsWords(user, complaint);
    if (words && complaint.safeguarding) await auditWordsRead(db, actor, complaint, clock());
    await markAlertsSeen(db, user.schoolId, user.id, publicComplaintLink(complaint.id), clock());
    const caseId = (await db.selectFrom('complaints').select('id').where('school_id', '=', user.schoolId).where('public_complaint_id', '=', complaint.id).executeTakeFirst())?.id ?? null;
    return {
      title: `Complaint from ${complaint.name}`,
      backLink: as === 'triager' ? '/complaints' : '/',
      complaint,
      triager: as === 'triager',
      words,
      late: complaint.last_incident_on ? madeLate(complaint.received_on, complaint.last_incident_on) : false,
      readings: words && complaint.safeguarding ? ((await safeguardingReadings(db, user.schoolId, PUBLIC_WORDS, [complaint.id]))[complaint.id] ?? []) : [],
      decidedBy: await staffNameOf(db, user.schoolId, complaint.decided_by),
      caseId,
      closing: as === 'triager' ? await closureOf(db, user.schoolId, caseId, request.scope.today) : null,
      errors: extra.errors,
      values: extra.values ?? {},
      done: extra.done,
      form: extra.form,
    };
  }
  app.get('/complaints/public/:publicId', { config: { policy: anyStaff } }, async (request, reply) => {
    const { done } = request.query as { done?: unknown };
    return reply.page(`${V}/public-complaint.njk`, await triagePage(request, { done: typeof done === 'string' ? done : undefined }));
  });
  app.post('/complaints/public/:publicId/decision', { config: { policy: anyStaff } }, async (request, reply) => {
    const user = request.user as StaffUser;
    const { complaint } = await opened(request, ['triager']);
    const form = parseForm(DecisionForm, request.body);
    if (!form.ok) return reply.code(400).page(`${V}/public-complaint.njk`, await triagePage(request, form));
    const decided = await decidePublicComplaint(db, { staffId: user.id, schoolId: user.schoolId, ip: request.ip }, complaint, form.data, clock());
    if (!decided.ok)
      return reply.code(400).page(`${V}/public-complaint.njk`, await triagePage(request, { errors: { [decided.field]: decided.message }, values: request.body as Record<string, unknown> }));
    deps.pokeOutbox();
    return reply.redirect(decided.caseId ? `/complaints/${decided.caseId}?done=made` : `/complaints/public/${complaint.id}?done=decided`, 303);
  });
  // Marking the words as safeguarding: whoever triages it, or once taken on the case's lead or investigating officer.
  app.post('/complaints/public/:publicId/safeguarding', { config: { policy: anyStaff } }, async (request, reply) => {
    const user = request.user as StaffUser;
    const { publicId } = request.params as { publicId: string };
    const complaint = await publicComplaintOf(db, user.schoolId, publicId);
    if (!complaint) throw notFound();
    const caseRow = await db.selectFrom('complaints').select('id').where('school_id', '=', user.schoolId).where('public_complaint_id', '=', complaint.id).executeTakeFirst();
    const onCase = caseRow ? await complaintForStaff(db, user, caseRow.id) : null;
    const triager = readerOf(user, complaint, await settingsFor(db, user.schoolId)) === 'triager';
    if (!triager && !(onCase && (onCase.role === 'lead' || onCase.role === 'officer'))) throw notFound();
    const marked = await markPublicWords(db, { staffId: user.id, schoolId: user.schoolId, ip: request.ip }, complaint, { now: clock(), baseUrl: config.baseUrl });
    if (marked === 'marked') deps.pokeOutbox();
    return reply.redirect(triager ? `/complaints/public/${complaint.id}?done=safeguarding` : `/complaints/${caseRow!.id}?done=safeguarding`, 303);
  });

  // Closing it as serial or vexatious, as a carer's complaint is closed (features/conduct), and reviewing that by its date.
  const by = (request: FastifyRequest) => ({ staffId: (request.user as StaffUser).id, schoolId: (request.user as StaffUser).schoolId, ip: request.ip });
  app.post('/complaints/public/:publicId/closure', { config: { policy: anyStaff } }, async (request, reply) => {
    const { complaint } = await opened(request, ['triager']);
    const again = (errors: FieldErrors) => triagePage(request, { errors, values: request.body as Record<string, unknown>, form: 'closure' });
    const form = parseForm(ClosureForm, request.body);
    if (!form.ok) return reply.code(400).page(`${V}/public-complaint.njk`, await again(form.errors));
    const d = form.data;
    const done = await closeComplaint(
      db,
      by(request),
      { publicComplaintId: complaint.id },
      { complaint: d.complaint, grounds: d.grounds, reason: d.closure_reason, dfe_route: d.dfe_route, review_on: d.closure_review_on },
      { now: clock(), letters: () => Promise.reject(new Error('A public complainant has no carer record')), publicLetters: lettersToPublicComplainant },
    );
    if (!done.ok) return reply.code(400).page(`${V}/public-complaint.njk`, await again({ [{ reason: 'closure_reason', review_on: 'closure_review_on' }[done.field] ?? done.field]: done.message }));
    deps.pokeOutbox();
    return reply.redirect(`/complaints/public/${complaint.id}?done=closed#closure`, 303);
  });
  app.post('/complaints/public/:publicId/closure/:closureId/review', { config: { policy: anyStaff } }, async (request, reply) => {
    const { complaint } = await opened(request, ['triager']);
    const { closureId } = request.params as { closureId: string };
    const done = await reviewClosure(db, by(request), { publicComplaintId: complaint.id }, closureId, { now: clock() });
    if (!done.ok) return reply.code(400).page(`${V}/public-complaint.njk`, await triagePage(request, { errors: { closure: done.message }, form: 'closure-review' }));
    return reply.redirect(`/complaints/public/${complaint.id}?done=closure-reviewed#closure`, 303);
  });
}

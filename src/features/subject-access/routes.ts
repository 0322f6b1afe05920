import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { FeatureDeps } from '../../platform/deps.ts';
import { staff } from '../../platform/access/policy.ts';
import type { Actor } from '../../platform/audit/audit.ts';
import { audit } from '../../platform/audit/audit.ts';
import { schoolCalendar } from '../../platform/calendar/calendar-queries.ts';
import { notFound } from '../../platform/errors.ts';
import { parseForm, type FieldErrors } from '../../platform/web/forms.ts';
import { dueTag } from './due-dates.ts';
import { closedWords, correctRequest } from './correct.ts';
import { CorrectForm, ExtendForm, KIND_WORDS, RefuseForm, REQUEST_KEEPERS, RequestForm, SentForm, UUID } from './forms.ts';
import { newId } from '../../platform/ids.ts';
import { choicesOf, extendRequest, markIdentityChecked, markSent, recordRequest, refuseRequest, requestOf, requestsOf, type Changed } from './queries.ts';
import { cautionsFor, restrictedRequests } from './cautions.ts';

const V = 'features/subject-access/views';
const keepers = staff(REQUEST_KEEPERS);
const CLOSED_SHOWN = 20;
const DONE: Record<string, string> = {
  recorded: 'The request has been recorded. Its due date is below.',
  identity: 'Their identity is now marked as checked.',
  extended: 'The request has been extended as complex. Tell the person who asked, with the reason, within the first month.',
  sent: 'The request is marked as sent.',
  corrected: 'The details are corrected. The due date below is worked out again from them.',
  unchanged: 'Nothing was changed: the details were already as you saved them.',
  refused: 'The request is marked as refused. Tell the person who asked why, and that they may complain to the ICO.',
};
type Values = Record<string, unknown>;

/**
 * Subject access and education record requests (`/subject-access`): the head, senior leaders and the
 * office record each request the day it comes, see the open ones by due date, and mark each extended
 * (complex), sent or refused, or correct its details while it is open. Every change, and every opening
 * of a request, is in the audit log.
 */
export function subjectAccessRoutes(app: FastifyInstance, deps: FeatureDeps): void {
  const { db, clock } = deps;
  const actorOf = (request: FastifyRequest): Actor & { kind: 'staff' } => ({ kind: 'staff', id: request.user!.id, schoolId: request.user!.schoolId, ip: request.ip });
  const idOf = (request: FastifyRequest) => (request.params as { accessRequestId: string }).accessRequestId;

  app.get('/subject-access', { config: { policy: keepers } }, async (request, reply) => {
    const schoolId = request.user!.schoolId;
    const today = request.scope.today;
    const { open, closed } = await requestsOf(db, schoolId, { closedLimit: CLOSED_SHOWN });
    const restricted = await restrictedRequests(db, schoolId, open, today);
    return reply.page(`${V}/list.njk`, {
      title: 'Subject access and education record requests',
      open: open.map((r) => ({ ...r, kindWords: KIND_WORDS[r.kind], tag: dueTag(today, r.due_on), restricted: restricted.has(r.id) })),
      closed: closed.map((r) => ({ ...r, kindWords: KIND_WORDS[r.kind] })),
      closedShown: CLOSED_SHOWN,
    });
  });

  async function newPage(request: FastifyRequest, reply: FastifyReply, extra: { errors?: FieldErrors; values?: Values } = {}) {
    const { pupils, carers } = await choicesOf(db, request.user!.schoolId);
    const values = { ...(extra.values ?? {}) };
    if (typeof values.form_id !== 'string' || !UUID.test(values.form_id)) values.form_id = newId();
    return reply.code(extra.errors ? 400 : 200).page(`${V}/new.njk`, {
      title: 'Record a request for information',
      pupils,
      carers,
      values,
      errors: extra.errors,
      termsRunOut: Boolean(extra.errors?.received_on?.includes('/settings/term-dates')),
    });
  }

  app.get('/subject-access/new', { config: { policy: keepers } }, async (request, reply) => newPage(request, reply));

  app.post('/subject-access/new', { config: { policy: keepers } }, async (request, reply) => {
    const form = parseForm(RequestForm, request.body);
    if (!form.ok) return newPage(request, reply, { errors: form.errors, values: form.values });
    const calendar = await schoolCalendar(db, request.user!.schoolId);
    const recorded = await recordRequest(db, actorOf(request), form.data, calendar, request.scope.today, clock());
    if (!recorded.ok) return newPage(request, reply, { errors: recorded.errors, values: request.body as Values });
    return reply.redirect(`/subject-access/${recorded.id}?done=recorded`, 303);
  });

  async function requestPage(request: FastifyRequest, reply: FastifyReply, extra: { errors?: FieldErrors; values?: Values } = {}) {
    const schoolId = request.user!.schoolId;
    const today = request.scope.today;
    const r = await requestOf(db, schoolId, idOf(request));
    if (!r) throw notFound();
    // Who saw a request about a child or a family, and when: the audit keeps each opening.
    if (request.method === 'GET') await audit(db, actorOf(request), { schoolId, action: 'access_request.viewed', entity: 'access_request', entityId: r.id }, clock());
    return reply.code(extra.errors ? 400 : 200).page(`${V}/request.njk`, {
      title: `${KIND_WORDS[r.kind]} from ${r.requester}`,
      r: { ...r, kindWords: KIND_WORDS[r.kind], tag: r.status === 'open' ? dueTag(today, r.due_on) : null },
      cautions: await cautionsFor(db, schoolId, r, today),
      done: DONE[(request.query as { done?: string }).done ?? ''],
      values: extra.values ?? {},
      errors: extra.errors,
    });
  }

  app.get('/subject-access/:accessRequestId', { config: { policy: keepers } }, async (request, reply) => requestPage(request, reply));

  const answer = async (request: FastifyRequest, reply: FastifyReply, changed: Changed, done: string) => {
    if (!changed.ok && 'missing' in changed) throw notFound();
    if (!changed.ok) return requestPage(request, reply, { errors: changed.errors, values: request.body as Values });
    return reply.redirect(`/subject-access/${idOf(request)}?done=${done}`, 303);
  };

  async function correctPage(request: FastifyRequest, reply: FastifyReply, extra: { errors?: FieldErrors; values?: Values } = {}) {
    const schoolId = request.user!.schoolId;
    const r = await requestOf(db, schoolId, idOf(request));
    if (!r) throw notFound();
    const { pupils, carers } = await choicesOf(db, schoolId, { pupilId: r.pupil_id, carerId: r.requester_carer_id });
    const saved = {
      kind: r.kind,
      requester: r.requester_carer_id ? 'carer' : 'outside',
      carer_id: r.requester_carer_id,
      requester_name: r.requester_name,
      requester_contact: r.requester_contact,
      about: r.about,
      pupil_id: r.pupil_id,
      about_other: r.about_other,
      received_on: r.received_on,
    };
    return reply.code(extra.errors ? 400 : 200).page(`${V}/correct.njk`, {
      title: 'Correct the details',
      r: { ...r, kindWords: KIND_WORDS[r.kind] },
      closed: r.status === 'open' ? null : closedWords(r.status),
      pupils,
      carers,
      values: extra.values ?? saved,
      errors: extra.errors,
      termsRunOut: Boolean(extra.errors?.received_on?.includes('/settings/term-dates')),
    });
  }

  app.get('/subject-access/:accessRequestId/correct', { config: { policy: keepers } }, async (request, reply) => correctPage(request, reply));

  app.post('/subject-access/:accessRequestId/correct', { config: { policy: keepers } }, async (request, reply) => {
    const form = parseForm(CorrectForm, request.body);
    if (!form.ok) return correctPage(request, reply, { errors: form.errors, values: form.values });
    const calendar = await schoolCalendar(db, request.user!.schoolId);
    const corrected = await correctRequest(db, actorOf(request), idOf(request), form.data, calendar, request.scope.today, clock());
    if (!corrected.ok && 'missing' in corrected) throw notFound();
    if (!corrected.ok) return correctPage(request, reply, { errors: corrected.errors, values: request.body as Values });
    return reply.redirect(`/subject-access/${idOf(request)}?done=${corrected.changed?.length ? 'corrected' : 'unchanged'}`, 303);
  });

  app.post('/subject-access/:accessRequestId/identity', { config: { policy: keepers } }, async (request, reply) =>
    answer(request, reply, await markIdentityChecked(db, actorOf(request), idOf(request), clock()), 'identity'),
  );

  app.post('/subject-access/:accessRequestId/extend', { config: { policy: keepers } }, async (request, reply) => {
    const form = parseForm(ExtendForm, request.body);
    if (!form.ok) return requestPage(request, reply, { errors: form.errors, values: form.values });
    return answer(request, reply, await extendRequest(db, actorOf(request), idOf(request), form.data.complex_reason, clock()), 'extended');
  });

  app.post('/subject-access/:accessRequestId/sent', { config: { policy: keepers } }, async (request, reply) => {
    const form = parseForm(SentForm, request.body);
    if (!form.ok) return requestPage(request, reply, { errors: form.errors, values: form.values });
    return answer(request, reply, await markSent(db, actorOf(request), idOf(request), form.data.sent_on, request.scope.today, clock()), 'sent');
  });

  app.post('/subject-access/:accessRequestId/refuse', { config: { policy: keepers } }, async (request, reply) => {
    const form = parseForm(RefuseForm, request.body);
    if (!form.ok) return requestPage(request, reply, { errors: form.errors, values: form.values });
    return answer(request, reply, await refuseRequest(db, actorOf(request), idOf(request), form.data.refused_reason, clock()), 'refused');
  });
}

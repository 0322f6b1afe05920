import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { passedByMe } from '../../platform/safeguarding/words.ts';
import type { FeatureDeps } from '../../platform/deps.ts';
import type { StaffRole } from '../../db/schema.ts';
import { staff } from '../../platform/access/policy.ts';
import type { StaffUser } from '../../platform/access/roles.ts';
import type { Actor } from '../../platform/audit/audit.ts';
import { notFound } from '../../platform/errors.ts';
import { parseForm, type FieldErrors } from '../../platform/web/forms.ts';
import { restrictionsOnCarer } from '../../platform/access/hear.ts';
import { bannedFromPremises } from '../conduct/index.ts';
import { comingEvents } from '../events/index.ts';
import { AssignForm, OPPORTUNITY_KIND_LABELS, OpportunityForm, readApproval, reviewState, STATUS_LABELS, TRANSLATION_LANGUAGES } from './volunteer.ts';
import { addOpportunity, approve, decline, putOn } from './commands.ts';
import { assignmentsOf, languagesOf, opportunitiesOf, opportunityById, volunteerById, volunteersOf } from './queries.ts';

const V = 'features/volunteering/views';

/** Who records volunteers' checks and approvals (test/access/volunteering-rows.ts says the same, by hand). */
export const VOLUNTEERING_ROLES: readonly StaffRole[] = ['head', 'senior_leader', 'office', 'family_liaison'];
const policy = staff(VOLUNTEERING_ROLES);
const DONE: Record<string, string> = {
  added: 'Role added. Carers can offer themselves from their portal.',
  approved: 'Approval recorded.',
  declined: 'Recorded as not taken up.',
  put: 'Put on the activity.',
};
const BANNED = 'They are banned from the school premises: a volunteer cannot be approved while the ban is in force';
/** What a restriction stops, in words for the approval page. */
function stopsWords(s: { information: boolean; contact: boolean; collection: boolean }): string {
  const words = [s.information && 'information', s.contact && 'contact', s.collection && 'collecting the child'].filter(Boolean);
  return words.length ? `stops ${words.join(', ')}` : 'in force';
}
type Extra = { errors?: FieldErrors; values?: Record<string, unknown>; status?: number };

function actorOf(request: FastifyRequest): Actor & { kind: 'staff' } {
  const user = request.user as StaffUser;
  return { kind: 'staff', id: user.id, schoolId: user.schoolId, ip: request.ip };
}

export function volunteeringRoutes(app: FastifyInstance, deps: FeatureDeps): void {
  const { db, clock } = deps;
  const done = (request: FastifyRequest) => DONE[(request.query as { done?: string }).done ?? ''];

  async function listPage(request: FastifyRequest, reply: FastifyReply, extra: Extra) {
    const user = request.user as StaffUser;
    const today = request.scope.today;
    const [roles, volunteers] = await Promise.all([opportunitiesOf(db, user.schoolId), volunteersOf(db, user.schoolId)]);
    const rows = volunteers.map((v) => ({ ...v, name: `${v.given_name} ${v.family_name}`, statusLabel: STATUS_LABELS[v.status], review: reviewState(v, today) }));
    return reply.code(extra.status ?? 200).page(`${V}/list.njk`, {
      title: 'Volunteering',
      roles: roles.map((r) => ({ ...r, kindLabel: OPPORTUNITY_KIND_LABELS[r.kind], count: volunteers.filter((v) => v.opportunity_id === r.id && v.status === 'approved').length })),
      offered: rows.filter((v) => v.status === 'offered'),
      approved: rows.filter((v) => v.status === 'approved'),
      reviewsDue: rows.filter((v) => v.review.state === 'soon' || v.review.state === 'overdue'),
      other: rows.filter((v) => v.status === 'declined' || v.status === 'withdrawn'),
      kinds: Object.entries(OPPORTUNITY_KIND_LABELS).map(([value, text]) => ({ value, text })),
      done: done(request),
      errors: extra.errors,
      values: extra.values ?? {},
    });
  }

  app.get('/volunteering', { config: { policy } }, async (request, reply) => listPage(request, reply, {}));

  app.post('/volunteering/opportunities', { config: { policy } }, async (request, reply) => {
    const form = parseForm(OpportunityForm, request.body);
    if (!form.ok) return listPage(request, reply, { errors: form.errors, values: form.values, status: 400 });
    await addOpportunity(db, actorOf(request), { kind: form.data.kind, title: form.data.title, description: form.data.description, needsDbs: form.data.needs_dbs === 'yes' }, clock());
    return reply.redirect('/volunteering?done=added', 303);
  });

  async function volunteerHere(request: FastifyRequest) {
    const user = request.user as StaffUser;
    const v = await volunteerById(db, user.schoolId, (request.params as { volunteerId: string }).volunteerId);
    if (!v) throw notFound();
    const role = await opportunityById(db, user.schoolId, v.opportunity_id);
    if (!role) throw notFound();
    return { v, role };
  }

  async function volunteerPage(request: FastifyRequest, reply: FastifyReply, extra: Extra & { assignErrors?: FieldErrors; assignValues?: Record<string, unknown> } = {}) {
    const { v, role } = await volunteerHere(request);
    const today = request.scope.today;
    // What stands against the carer being on the school site: a ban from the premises (features/conduct) and any restriction in force (platform/access).
    const [assignments, events, banned, restrictions, languages] = await Promise.all([
      assignmentsOf(db, v.school_id, v.id),
      comingEvents(db, v.school_id, clock().toISOString()),
      bannedFromPremises(db, v.school_id, [v.carer_id], today),
      restrictionsOnCarer(db, { schoolId: v.school_id, carerId: v.carer_id, today }),
      languagesOf(db, v.school_id, v.id),
    ]);
    // A risk assessment this member of staff has already passed to the DSL: when, instead of the link again (their own only).
    const riskPassed = (await passedByMe(db, request.user as StaffUser, 'volunteer_risk_assessment', [{ id: v.id, words: v.risk_assessment }]))[v.id];
    const chosen = extra.values ? ([] as unknown[]).concat(extra.values.languages ?? []).map(String) : languages;
    return reply.code(extra.status ?? 200).page(`${V}/volunteer.njk`, {
      title: `${v.given_name} ${v.family_name}: ${role.title}`,
      backLink: '/volunteering',
      v,
      role,
      statusLabel: STATUS_LABELS[v.status],
      riskPassed,
      review: reviewState(v, today),
      assignments,
      events,
      // A translator works from home: a ban from the premises does not stop their approval.
      banned: banned.has(v.carer_id) && role.kind !== 'translating',
      translating: role.kind === 'translating',
      languages,
      languageItems: TRANSLATION_LANGUAGES.map((l) => ({ value: l, text: l, checked: chosen.includes(l) })),
      restrictions: restrictions.map((r) => ({ ...r, stopsWords: stopsWords(r.stops) })),
      done: done(request),
      errors: { ...(extra.errors ?? {}), ...(extra.assignErrors ?? {}) },
      values: extra.values ?? {
        supervised: v.supervised === null ? '' : v.supervised ? 'yes' : 'no',
        dbs_certificate: v.dbs_certificate ?? '',
        dbs_checked_on: v.dbs_checked_on ?? '',
        barred_list_checked: v.barred_list_checked ? 'yes' : '',
        risk_assessment: v.risk_assessment ?? '',
        risk_assessed_on: v.risk_assessed_on ?? '',
        review_on: v.review_on ?? '',
      },
      assignValues: extra.assignValues ?? { on_date: today },
    });
  }

  app.get('/volunteering/volunteers/:volunteerId', { config: { policy } }, async (request, reply) => volunteerPage(request, reply));

  app.post('/volunteering/volunteers/:volunteerId/approve', { config: { policy } }, async (request, reply) => {
    const { v, role } = await volunteerHere(request);
    const body = (request.body ?? {}) as Record<string, unknown>;
    const read = readApproval(body, role, request.scope.today);
    if (!read.ok) return volunteerPage(request, reply, { errors: read.errors, values: body, status: 400 });
    const result = await approve(db, actorOf(request), v.id, read.approval, request.scope.today, clock());
    if (result === 'banned') return volunteerPage(request, reply, { errors: { supervised: BANNED }, values: body, status: 409 });
    if (result === 'closed') return volunteerPage(request, reply, { errors: { supervised: 'This offer was not taken up: it cannot be approved' }, values: body, status: 409 });
    return reply.redirect(`/volunteering/volunteers/${v.id}?done=approved`, 303);
  });

  app.post('/volunteering/volunteers/:volunteerId/decline', { config: { policy } }, async (request, reply) => {
    const { v } = await volunteerHere(request);
    await decline(db, actorOf(request), v.id, clock());
    return reply.redirect(`/volunteering/volunteers/${v.id}?done=declined`, 303);
  });

  app.post('/volunteering/volunteers/:volunteerId/activities', { config: { policy } }, async (request, reply) => {
    const { v } = await volunteerHere(request);
    const form = parseForm(AssignForm, request.body);
    if (!form.ok) return volunteerPage(request, reply, { assignErrors: form.errors, assignValues: form.values, status: 400 });
    const put = await putOn(db, actorOf(request), v.id, form.data, request.scope.today, clock());
    if (!put.ok) return volunteerPage(request, reply, { assignErrors: { activity: put.message }, assignValues: request.body as Record<string, unknown>, status: 409 });
    return reply.redirect(`/volunteering/volunteers/${v.id}?done=put`, 303);
  });
}

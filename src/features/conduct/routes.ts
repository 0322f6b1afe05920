import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { FeatureDeps } from '../../platform/deps.ts';
import { staff } from '../../platform/access/policy.ts';
import type { StaffUser } from '../../platform/access/roles.ts';
import { audit } from '../../platform/audit/audit.ts';
import { notFound } from '../../platform/errors.ts';
import { parseForm, type FieldErrors } from '../../platform/web/forms.ts';
import { closeComplaint, recordBan, recordIncident, reviewArrangement, reviewClosure, setSingleContact, type By, type CarerLetters, type Done } from './commands.ts';
import { BanForm, ClosureForm, CONDUCT_DECIDERS, CONDUCT_READERS, ContactForm, DFE_ROUTE, draftBanLetter, GROUNDS_LABELS, IncidentForm, KIND_LABELS, ReviewForm, reviewState } from './conduct.ts';
import { carerOf, conductList, conductOf, contactChoices, staffNameOf } from './queries.ts';
import { passedByMe } from '../../platform/safeguarding/words.ts';

const V = 'features/conduct/views';
const readers = staff(CONDUCT_READERS);
const deciders = staff(CONDUCT_DECIDERS);

type Extra = { form?: string; errors?: FieldErrors; values?: Record<string, unknown>; done?: string };

/** Unreasonable behaviour: the head's list, one carer's record, incidents, a single point of contact, a ban, reviews, closing a complaint. */
/** `letters`: how a letter reaches the carer in their language (concerns' lettersAboutCarer, given by src/app.ts). */
export function conductRoutes(app: FastifyInstance, deps: FeatureDeps, letters: CarerLetters): void {
  const { db, clock } = deps;
  const ctx = () => ({ now: clock(), letters });
  const byOf = (request: FastifyRequest): By => {
    const user = request.user as StaffUser;
    return { staffId: user.id, schoolId: user.schoolId, ip: request.ip };
  };
  const carerIdOf = (request: FastifyRequest) => (request.params as { carerId: string }).carerId;
  const back = (carerId: string, done: string) => `/carers/${carerId}/conduct?done=${done}`;

  async function page(request: FastifyRequest, reply: FastifyReply, extra: Extra = {}) {
    const user = request.user as StaffUser;
    const carerId = carerIdOf(request);
    const carer = await carerOf(db, user.schoolId, carerId);
    if (!carer) throw notFound();
    const today = request.scope.today;
    const [record, choices, headName, school] = await Promise.all([
      conductOf(db, user.schoolId, carerId),
      contactChoices(db, user.schoolId),
      staffNameOf(db, user.schoolId, user.id),
      db.selectFrom('schools').select('name').where('id', '=', user.schoolId).executeTakeFirstOrThrow(),
    ]);
    const carerName = `${carer.title ? `${carer.title} ` : ''}${carer.given_name} ${carer.family_name}`;
    // What this member of staff has already passed to the DSL from here: when, instead of the link again (their own only).
    const [incidentsPassed, arrangementsPassed] = await Promise.all([
      passedByMe(
        db,
        user,
        'conduct_incident',
        record.incidents.map((i) => ({ id: i.id, words: i.what })),
      ),
      passedByMe(
        db,
        user,
        'conduct_arrangement',
        record.arrangements.map((a) => ({ id: a.id, words: a.reason })),
      ),
    ]);
    const isHead = user.roles.includes('head');
    const banDraft = draftBanLetter({ schoolName: school.name, headName: headName ?? '', startsOn: today, reviewOn: today });
    const errors = extra.errors ?? {};
    const values = extra.values ?? {};
    return reply.code(extra.errors ? 400 : 200).page(`${V}/carer.njk`, {
      title: `Behaviour towards staff: ${carerName}`,
      backLink: '/conduct',
      carer: { id: carer.id, name: carerName, byEmail: !!carer.email && carer.channel_email === 1 },
      record: {
        ...record,
        arrangements: record.arrangements.map((a) => ({ ...a, kindLabel: KIND_LABELS[a.kind], state: a.ended_at ? null : reviewState(a.review_on, today) })),
        closures: record.closures.map((c) => ({ ...c, groundsLabel: GROUNDS_LABELS[c.grounds], state: c.reviewed_at ? null : reviewState(c.review_on, today) })),
      },
      openComplaints: record.complaints.filter((c) => !c.closed),
      passed: { incidents: incidentsPassed, arrangements: arrangementsPassed },
      choices,
      isHead,
      form: extra.form,
      errors,
      values,
      done: extra.done,
      defaults: { dfe_route: DFE_ROUTE, letter: banDraft },
      grounds: Object.entries(GROUNDS_LABELS),
    });
  }
  /** The form again with its errors: a command's field (review_on, reason) is named as this form names it (contact_review_on…). */
  const FIELD_NAMES: Record<string, Record<string, string>> = {
    contact: { reason: 'contact_reason', review_on: 'contact_review_on' },
    ban: { reason: 'ban_reason', review_on: 'ban_review_on' },
    closure: { reason: 'closure_reason', review_on: 'closure_review_on' },
  };
  const again = (request: FastifyRequest, reply: FastifyReply, form: string, done: Done | { ok: false; errors: FieldErrors; values: Record<string, unknown> }) => {
    const field = (f: string) => FIELD_NAMES[form]?.[f] ?? f;
    const errors = 'errors' in done ? done.errors : done.ok ? {} : { [field(done.field)]: done.message };
    return page(request, reply, { form, errors, values: 'values' in done ? done.values : (request.body as Record<string, unknown>) });
  };

  app.get('/conduct', { config: { policy: readers } }, async (request, reply) => {
    const user = request.user as StaffUser;
    const carers = await conductList(db, user.schoolId);
    return reply.page(`${V}/list.njk`, { title: 'Behaviour towards staff', carers, kindLabels: KIND_LABELS });
  });

  app.get('/carers/:carerId/conduct', { config: { policy: readers } }, async (request, reply) => {
    const user = request.user as StaffUser;
    const { done } = request.query as { done?: unknown };
    // Reading what is recorded about a person's behaviour is itself recorded.
    await audit(
      db,
      { kind: 'staff', id: user.id, schoolId: user.schoolId, ip: request.ip },
      { schoolId: user.schoolId, action: 'conduct.viewed', entity: 'carer', entityId: carerIdOf(request) },
      clock(),
    );
    return page(request, reply, { done: typeof done === 'string' ? done : undefined });
  });

  app.post('/carers/:carerId/conduct/incidents', { config: { policy: readers } }, async (request, reply) => {
    const form = parseForm(IncidentForm, request.body);
    if (!form.ok) return again(request, reply, 'incident', form);
    const done = await recordIncident(db, byOf(request), carerIdOf(request), form.data, ctx());
    if (!done.ok) return again(request, reply, 'incident', done);
    return reply.redirect(back(carerIdOf(request), 'incident'), 303);
  });

  app.post('/carers/:carerId/conduct/contact', { config: { policy: deciders } }, async (request, reply) => {
    const form = parseForm(ContactForm, request.body);
    if (!form.ok) return again(request, reply, 'contact', form);
    const d = form.data;
    const done = await setSingleContact(db, byOf(request), carerIdOf(request), { contact: d.contact, reason: d.contact_reason, review_on: d.contact_review_on }, ctx());
    if (!done.ok) return again(request, reply, 'contact', done);
    deps.pokeOutbox();
    return reply.redirect(back(carerIdOf(request), `contact-${done.sentBy}`), 303);
  });

  app.post('/carers/:carerId/conduct/ban', { config: { policy: deciders } }, async (request, reply) => {
    const form = parseForm(BanForm, request.body);
    if (!form.ok) return again(request, reply, 'ban', form);
    const d = form.data;
    const done = await recordBan(db, byOf(request), carerIdOf(request), { reason: d.ban_reason, starts_on: d.starts_on, review_on: d.ban_review_on, letter: d.letter }, ctx());
    if (!done.ok) return again(request, reply, 'ban', done);
    deps.pokeOutbox();
    return reply.redirect(back(carerIdOf(request), `ban-${done.sentBy}`), 303);
  });

  app.post('/carers/:carerId/conduct/arrangements/:arrangementId/review', { config: { policy: deciders } }, async (request, reply) => {
    const { arrangementId } = request.params as { arrangementId: string };
    const form = parseForm(ReviewForm, request.body);
    const formName = `review-${arrangementId}`;
    if (!form.ok) return again(request, reply, formName, form);
    const reviewOn = form.data.decision === 'continue' ? form.data.review_on : null;
    const done = await reviewArrangement(db, byOf(request), carerIdOf(request), arrangementId, { decision: form.data.decision, review_on: reviewOn }, ctx());
    if (!done.ok) return again(request, reply, formName, done);
    return reply.redirect(back(carerIdOf(request), form.data.decision === 'end' ? 'ended' : 'reviewed'), 303);
  });

  app.get('/carers/:carerId/conduct/arrangements/:arrangementId/letter', { config: { policy: readers } }, async (request, reply) => {
    const user = request.user as StaffUser;
    const { arrangementId } = request.params as { arrangementId: string };
    const carerId = carerIdOf(request);
    const [arrangement, carer] = await Promise.all([
      db.selectFrom('conduct_arrangements').selectAll().where('school_id', '=', user.schoolId).where('carer_id', '=', carerId).where('id', '=', arrangementId).executeTakeFirst(),
      carerOf(db, user.schoolId, carerId),
    ]);
    if (!arrangement || !carer || !arrangement.letter_text) throw notFound();
    const address = [carer.address_line1, carer.address_line2, carer.town, carer.postcode].filter(Boolean);
    return reply.page(`${V}/letter.njk`, {
      title: arrangement.letter_subject ?? 'Letter',
      backLink: `/carers/${carerId}/conduct`,
      carerName: `${carer.title ? `${carer.title} ` : ''}${carer.given_name} ${carer.family_name}`,
      address,
      arrangement,
    });
  });

  app.post('/carers/:carerId/conduct/closures', { config: { policy: deciders } }, async (request, reply) => {
    const form = parseForm(ClosureForm, request.body);
    if (!form.ok) return again(request, reply, 'closure', form);
    const d = form.data;
    const done = await closeComplaint(
      db,
      byOf(request),
      carerIdOf(request),
      { complaint: d.complaint, grounds: d.grounds, reason: d.closure_reason, dfe_route: d.dfe_route, review_on: d.closure_review_on },
      ctx(),
    );
    if (!done.ok) return again(request, reply, 'closure', done);
    deps.pokeOutbox();
    return reply.redirect(back(carerIdOf(request), `closed-${done.sentBy}`), 303);
  });

  app.post('/carers/:carerId/conduct/closures/:closureId/review', { config: { policy: deciders } }, async (request, reply) => {
    const { closureId } = request.params as { closureId: string };
    const done = await reviewClosure(db, byOf(request), carerIdOf(request), closureId, ctx());
    if (!done.ok) return again(request, reply, `closure-${closureId}`, done);
    return reply.redirect(back(carerIdOf(request), 'closure-reviewed'), 303);
  });
}

import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { FeatureDeps } from '../../../platform/deps.ts';
import { carers } from '../../../platform/access/policy.ts';
import { pupilsCarerMayHearAbout } from '../../../platform/access/hear.ts';
import type { CarerUser } from '../../../platform/access/roles.ts';
import { createTranslator } from '../../../platform/channels/translate.ts';
import { notFound } from '../../../platform/errors.ts';
import { parseForm, type FieldErrors } from '../../../platform/web/forms.ts';
import { childrenOfCarer } from '../../people/index.ts';
import { carerMayHearAbout, childName, pupilOf } from '../queries.ts';
import { SLIPPABLE, toPanel } from './case.ts';
import { inCarerWords } from '../carer-routes.ts';
import { DFE_STAGES } from '../complaint-timeline.ts';
import type { Text } from '../../../platform/i18n/catalog.ts';
import { CarerComplaintForm, makeComplaint } from './make.ts';
import { complaintForCarer, sentLettersOf, settingsFor } from './queries.ts';

const V = 'features/concerns/complaints/views';

/** The complaint form's errors in the carer's words (the form's own messages are English for staff). */
function complaintErrors(errors: FieldErrors | undefined, t: Text, values?: Record<string, unknown>): FieldErrors | undefined {
  const words = inCarerWords(errors, t, values);
  if (!errors || !words) return words;
  const own: Record<string, string> = { complaint: 'concerns.complaint.error.complaint', would_like: 'concerns.complaint.error.putRight' };
  for (const [field, key] of Object.entries(own)) if (errors[field] && !/characters or fewer/.test(errors[field])) words[field] = t(key);
  if (errors.pupil === 'Choose one of your children') words.pupil = t('concerns.complaint.error.notYourChild');
  return words;
}

/** A stage's name: the school's own words, or ours in the carer's language while it keeps the DfE's. */
function stageName(stage: { key: string; label: string }, t: Text): string {
  return DFE_STAGES.some((d) => d.key === stage.key && d.label === stage.label) ? t('concerns.complaint.stageName', { stage: stage.key }) : stage.label;
}

/**
 * Formal complaints, for the complainant: make one directly, and follow their own case — its stage,
 * its dates (and every date that moved, with why), and the letters sent. Only about a child they may
 * still hear about: a carer restricted from the child never sees a complaint about them.
 */
export function carerComplaintRoutes(app: FastifyInstance, deps: FeatureDeps): void {
  const { db, clock, config } = deps;
  const translator = config.translate.url ? createTranslator({ url: config.translate.url, key: config.translate.key, timeoutMs: 8_000 }) : null;
  const ctx = () => ({ now: clock(), baseUrl: config.baseUrl, translator });

  async function newPage(request: FastifyRequest, extra: { errors?: FieldErrors; values?: Record<string, unknown> } = {}) {
    const carer = request.user as CarerUser;
    const children = await childrenOfCarer(db, carer, request.scope, carer.id);
    const may = await pupilsCarerMayHearAbout(db, { schoolId: carer.schoolId, carerId: carer.id, pupilIds: children.map((c) => c.id), purpose: 'complaint', today: request.scope.today });
    const settings = await settingsFor(db, carer.schoolId);
    return {
      title: request.text('concerns.escalate.title'),
      backLink: '/my-concerns',
      children: children.filter((c) => may.has(c.id)).map((c) => ({ id: c.id, name: `${c.preferred_name || c.given_name} ${c.family_name}` })),
      stages: settings.stages.map((s) => ({ ...s, label: stageName(s, request.text) })),
      limits: settings.limits,
      errors: complaintErrors(extra.errors, request.text, extra.values),
      values: extra.values ?? {},
    };
  }
  async function mine(request: FastifyRequest) {
    const carer = request.user as CarerUser;
    const { complaintId } = request.params as { complaintId: string };
    const complaint = await complaintForCarer(db, carer, complaintId);
    if (!complaint?.pupil_id || !(await carerMayHearAbout(db, carer.schoolId, carer.id, complaint.pupil_id, request.scope.today))) throw notFound();
    return { ...complaint, pupil_id: complaint.pupil_id };
  }

  app.get('/my-complaints/new', { config: { policy: carers } }, async (request, reply) => reply.page(`${V}/my-new.njk`, await newPage(request)));
  app.post('/my-complaints', { config: { policy: carers } }, async (request, reply) => {
    const carer = request.user as CarerUser;
    const form = parseForm(CarerComplaintForm, request.body);
    if (!form.ok) return reply.code(400).page(`${V}/my-new.njk`, await newPage(request, form));
    const made = await makeComplaint(db, carer.schoolId, { kind: 'carer', carerId: carer.id, ip: request.ip }, form.data, ctx());
    if (!made.ok) return reply.code(400).page(`${V}/my-new.njk`, await newPage(request, { errors: { [made.field]: made.message }, values: request.body as Record<string, unknown> }));
    deps.pokeOutbox();
    return reply.redirect(`/my-complaints/${made.id}?done=made`, 303);
  });

  app.get('/my-complaints/:complaintId', { config: { policy: carers } }, async (request, reply) => {
    const complaint = await mine(request);
    const [pupil, letters, settings, moved] = await Promise.all([
      pupilOf(db, complaint.school_id, complaint.pupil_id),
      sentLettersOf(db, complaint.school_id, complaint.id),
      settingsFor(db, complaint.school_id),
      db
        .selectFrom('complaint_events')
        .select(['body', 'created_at'])
        .where('school_id', '=', complaint.school_id)
        .where('complaint_id', '=', complaint.id)
        .where('kind', '=', 'slip')
        .orderBy('created_at')
        .execute(),
    ]);
    const { done } = request.query as { done?: unknown };
    return reply.page(`${V}/my-complaint.njk`, {
      title: request.text('concerns.complaint.pageTitle', { child: childName(pupil) }),
      child: childName(pupil),
      backLink: '/my-concerns',
      complaint,
      // The answer's date gone by with no answer yet: said so, not only the date.
      answerLate: complaint.status === 'open' && complaint.respond_by < request.scope.today,
      stage: stageName(settings.stages.find((s) => s.key === complaint.stage) ?? { key: complaint.stage, label: complaint.stage }, request.text),
      letters,
      moved,
      slippable: SLIPPABLE,
      mayAskForPanel: complaint.stage === 'stage_1' && complaint.status === 'answered' && settings.stages.some((s) => s.key === 'stage_2'),
      done: typeof done === 'string' ? done : undefined,
    });
  });

  app.post('/my-complaints/:complaintId/panel', { config: { policy: carers } }, async (request, reply) => {
    const complaint = await mine(request);
    const carer = request.user as CarerUser;
    const settings = await settingsFor(db, carer.schoolId);
    await toPanel(db, complaint, { carerId: carer.id, schoolId: carer.schoolId, ip: request.ip }, ctx(), settings.limits);
    deps.pokeOutbox();
    return reply.redirect(`/my-complaints/${complaint.id}?done=panel`, 303);
  });
}

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { FeatureDeps } from '../../platform/deps.ts';
import { anyone, carers } from '../../platform/access/policy.ts';
import type { CarerUser } from '../../platform/access/roles.ts';
import { notFound } from '../../platform/errors.ts';
import { parseForm, type FieldErrors } from '../../platform/web/forms.ts';
import type { Text } from '../../platform/i18n/catalog.ts';
import { CARER_LANGUAGES, ENGLISH } from '../../platform/i18n/languages.ts';
import { addComment, editComment, stillOpen, withdrawComment } from './comments.ts';
import { stillReached } from './sending.ts';
import { ChangeForm, CommentForm, WithdrawForm } from './forms.ts';
import { commentsOf, consultationOf, consultationsOfCarer, documentOf, inviteeByToken, policyOf, sectionsOf, themesOf } from './queries.ts';
import { sendDocument } from './routes.ts';

const V = 'features/consultations/views';

/** A comment form's errors in the carer's words (the form's own messages are English for staff). */
function inCarerWords(errors: FieldErrors | undefined, t: Text): FieldErrors | undefined {
  if (!errors) return errors;
  return Object.fromEntries(
    Object.entries(errors).map(([field, message]) => {
      const tooLong = /(\d+(?:,\d+)?) characters or fewer/.exec(message);
      if (tooLong) return [field, t('consultations.error.tooLong', { max: Number(tooLong[1]!.replace(',', '')) })];
      if (field === 'comment') return [field, t('consultations.error.comment')];
      if (field === 'section') return [field, t('consultations.error.section')];
      return [field, message];
    }),
  );
}

/**
 * Consultations, for carers: each reached carer has a link of their own (/consult/<token>), from the
 * email or text or from their home page when signed in. They read the policy section by section,
 * comment on any section in their own language, and see only their own comments. A carer taken out
 * of the audience since (a restriction in force) finds the link no longer works.
 */
export function carerConsultationRoutes(app: FastifyInstance, deps: FeatureDeps): void {
  const { db, clock } = deps;

  async function invited(request: FastifyRequest) {
    const { token } = request.params as { token: string };
    const invitee = await inviteeByToken(db, token);
    if (!invitee) throw notFound();
    const consultation = await consultationOf(db, invitee.school_id, invitee.consultation_id);
    if (!consultation || !(await stillReached(db, consultation, invitee.carer_id, request.scope.today))) throw notFound();
    return { invitee, consultation };
  }

  async function page(request: FastifyRequest, reply: FastifyReply, extra: { errors?: FieldErrors; values?: Record<string, unknown>; status?: number; editing?: string; said?: FieldErrors } = {}) {
    const { invitee, consultation } = await invited(request);
    const [sections, own, policy] = await Promise.all([
      sectionsOf(db, consultation.id),
      commentsOf(db, consultation.id, { carerId: invitee.carer_id }),
      policyOf(db, consultation.school_id, consultation.policy_id),
    ]);
    const section = extra.editing ? null : typeof extra.values?.section === 'string' ? extra.values.section : null;
    const open = stillOpen(consultation, request.scope.today);
    // Form errors come in staff English and are put in the carer's words; `said` is already in them.
    const errors = extra.said ?? inCarerWords(extra.errors, request.text);
    return reply.code(extra.status ?? 200).page(`${V}/have-your-say.njk`, {
      title: request.text('consultations.say.title', { title: consultation.title.replace(/^Consultation: /, '') }),
      consultation,
      token: invitee.token,
      language:
        !invitee.preferred_language || invitee.preferred_language === 'English'
          ? ''
          : request.text.code === ENGLISH
            ? invitee.preferred_language
            : (CARER_LANGUAGES.find((l) => l.name === invitee.preferred_language)?.native ?? invitee.preferred_language),
      sections: sections.map((s) => ({
        ...s,
        own: own.filter((c) => c.section_id === s.id).map((c) => (c.id === extra.editing ? { ...c, errors, values: extra.values } : c)),
        errors: s.id === section ? errors : undefined,
        values: s.id === section ? extra.values : undefined,
      })),
      open,
      errors,
      document: policy?.document_name ? { name: policy.document_name } : null,
      done: (request.query as { done?: string }).done,
      backLink: request.user?.kind === 'carer' ? '/my-consultations' : undefined,
    });
  }

  app.get('/consult/:token', { config: { policy: anyone } }, async (request, reply) => page(request, reply));

  app.post('/consult/:token', { config: { policy: anyone } }, async (request, reply) => {
    const { invitee, consultation } = await invited(request);
    // Closed (by the school, or its closing day passed): say so, rather than ask for the comment again.
    const closed = () => page(request, reply, { said: { comment: request.text('consultations.say.closed') }, values: request.body as Record<string, unknown>, status: 409 });
    if (!stillOpen(consultation, request.scope.today)) return closed();
    const form = parseForm(CommentForm, request.body);
    if (!form.ok) return page(request, reply, { ...form, status: 400 });
    const done = await addComment(db, { kind: 'carer', carerId: invitee.carer_id, language: invitee.preferred_language }, consultation, form.data.section, form.data.comment, clock(), request.ip);
    if (!done.ok && done.field === 'closed') return closed();
    if (!done.ok) return page(request, reply, { errors: { [done.field === 'section' ? 'comment' : done.field]: done.message }, values: request.body as Record<string, unknown>, status: 400 });
    return reply.redirect(`/consult/${invitee.token}?done=commented#section-${form.data.section}`, 303);
  });

  // The policy's document as a file, for whoever holds the link (the consultation's audience).
  app.get('/consult/:token/document', { config: { policy: anyone } }, async (request, reply) => {
    const { consultation } = await invited(request);
    return sendDocument(reply, await documentOf(db, consultation.school_id, consultation.policy_id));
  });

  // A carer changes or withdraws their own comment until the consultation closes (audited).
  const changed = (token: string, done: string, sectionId?: string) => `/consult/${token}?done=${done}${sectionId ? `#section-${sectionId}` : ''}`;
  app.post('/consult/:token/change', { config: { policy: anyone } }, async (request, reply) => {
    const { invitee, consultation } = await invited(request);
    const form = parseForm(ChangeForm, request.body);
    const editing = typeof (request.body as { comment_id?: unknown })?.comment_id === 'string' ? (request.body as { comment_id: string }).comment_id : undefined;
    if (!form.ok) return page(request, reply, { ...form, editing, status: 400 });
    const done = await editComment(db, invitee.carer_id, consultation, form.data.comment_id, form.data.comment, request.scope.today, clock(), request.ip);
    if (!done.ok) {
      if (done.field === 'missing') throw notFound();
      const message = done.field === 'closed' ? request.text('consultations.error.closed') : request.text('consultations.error.changedMeanwhile');
      return page(request, reply, { said: { comment: message }, values: request.body as Record<string, unknown>, editing, status: 409 });
    }
    return reply.redirect(changed(invitee.token, 'edited', done.sectionId), 303);
  });

  app.post('/consult/:token/withdraw', { config: { policy: anyone } }, async (request, reply) => {
    const { invitee, consultation } = await invited(request);
    const form = parseForm(WithdrawForm, request.body);
    if (!form.ok) throw notFound();
    const done = await withdrawComment(db, invitee.carer_id, consultation, form.data.comment_id, request.scope.today, clock(), request.ip);
    if (!done.ok) {
      if (done.field === 'missing') throw notFound();
      return page(request, reply, { said: { comment: request.text('consultations.error.closed') }, values: {}, editing: form.data.comment_id, status: 409 });
    }
    return reply.redirect(changed(invitee.token, 'withdrawn', done.sectionId), 303);
  });

  app.get('/consult/:token/you-said-we-did', { config: { policy: anyone } }, async (request, reply) => {
    const { consultation } = await invited(request);
    if (consultation.status !== 'adopted') throw notFound();
    return reply.page(`${V}/said-did.njk`, {
      title: request.text('consultations.saidDid.title', { title: consultation.title.replace(/^Consultation: /, '') }),
      consultation,
      themes: await themesOf(db, consultation.id),
      staffView: false,
    });
  });

  app.get('/my-consultations', { config: { policy: carers } }, async (request, reply) => {
    const carer = request.user as CarerUser;
    const mine = await consultationsOfCarer(db, carer.schoolId, carer.id);
    const shown = [];
    for (const c of mine) {
      const consultation = await consultationOf(db, carer.schoolId, c.id);
      if (consultation && (await stillReached(db, consultation, carer.id, request.scope.today))) shown.push(c);
    }
    return reply.page(`${V}/my-consultations.njk`, { title: request.text('consultations.my.title'), consultations: shown });
  });
}

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { FeatureDeps } from '../../platform/deps.ts';
import { anyone, carers } from '../../platform/access/policy.ts';
import type { CarerUser } from '../../platform/access/roles.ts';
import { notFound } from '../../platform/errors.ts';
import { parseForm, type FieldErrors } from '../../platform/web/forms.ts';
import type { Text } from '../../platform/i18n/catalog.ts';
import { CARER_LANGUAGES, ENGLISH } from '../../platform/i18n/languages.ts';
import { addComment, stillReached } from './commands.ts';
import { CommentForm } from './forms.ts';
import { commentsOf, consultationOf, consultationsOfCarer, inviteeByToken, sectionsOf, themesOf } from './queries.ts';

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

  async function page(request: FastifyRequest, reply: FastifyReply, extra: { errors?: FieldErrors; values?: Record<string, unknown>; status?: number } = {}) {
    const { invitee, consultation } = await invited(request);
    const [sections, own] = await Promise.all([sectionsOf(db, consultation.id), commentsOf(db, consultation.id, { carerId: invitee.carer_id })]);
    const section = typeof extra.values?.section === 'string' ? extra.values.section : null;
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
        own: own.filter((c) => c.section_id === s.id),
        errors: s.id === section ? inCarerWords(extra.errors, request.text) : undefined,
        values: s.id === section ? extra.values : undefined,
      })),
      open: consultation.status === 'open',
      done: (request.query as { done?: string }).done,
      backLink: request.user?.kind === 'carer' ? '/my-consultations' : undefined,
    });
  }

  app.get('/consult/:token', { config: { policy: anyone } }, async (request, reply) => page(request, reply));

  app.post('/consult/:token', { config: { policy: anyone } }, async (request, reply) => {
    const { invitee, consultation } = await invited(request);
    const form = parseForm(CommentForm, request.body);
    if (!form.ok) return page(request, reply, { ...form, status: 400 });
    const done = await addComment(db, { kind: 'carer', carerId: invitee.carer_id, language: invitee.preferred_language }, consultation, form.data.section, form.data.comment, clock(), request.ip);
    if (!done.ok) return page(request, reply, { errors: { [done.field === 'section' ? 'comment' : done.field]: done.message }, values: request.body as Record<string, unknown>, status: 400 });
    return reply.redirect(`/consult/${invitee.token}?done=commented#section-${form.data.section}`, 303);
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

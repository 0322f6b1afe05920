import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { FeatureDeps } from '../../platform/deps.ts';
import { allStaff, staff } from '../../platform/access/policy.ts';
import type { StaffUser } from '../../platform/access/roles.ts';
import { createTranslator, LANGUAGE_CODES, TranslationError } from '../../platform/channels/translate.ts';
import { notFound } from '../../platform/errors.ts';
import { passedByMe } from '../../platform/safeguarding/words.ts';
import { parseForm, type FieldErrors } from '../../platform/web/forms.ts';
import { checkUpload, rememberUploadName, safeFileName, uploadOf } from '../../platform/web/uploads.ts';
import { classesOfSchool, YEAR_GROUP_LABELS, YEAR_GROUPS } from '../people/index.ts';
import type { StaffActor } from './common.ts';
import { addComment, addTheme, answerTheme, assignTheme, checkEnglish, commentWords, setEnglish } from './comments.ts';
import { attachDocument, createPolicy, markReviewed, POLICY_DOCUMENT, updatePolicy } from './policies.ts';
import { adoptPolicy, openConsultation } from './sending.ts';
import { AdoptForm, AssignForm, CommentForm, ConsultForm, EnglishForm, PolicyForm, ThemeAnswerForm, ThemeForm } from './forms.ts';
import { commentsForSchool, commentsOf, consultationOf, consultationsOfPolicy, documentOf, invitedCount, policiesOf, policyOf, sectionsOf, staffChoices, themesOf } from './queries.ts';
import { splitSections } from './sections.ts';

const V = 'features/consultations/views';
/** Who keeps the register: adds policies, changes them, records a review. */
export const POLICY_KEEPERS = ['head', 'senior_leader', 'office'] as const;
/** Who puts a policy out for consultation, reads every comment, groups and answers them, adopts. */
export const CONSULTERS = ['head', 'senior_leader'] as const;
/** Who may write or ask for an English version of a comment (a second of them checks it). */
export const TRANSLATORS = ['head', 'senior_leader', 'office', 'family_liaison'] as const;

const everyone = allStaff();
const keepers = staff(POLICY_KEEPERS);
const consulters = staff(CONSULTERS);
const translators = staff(TRANSLATORS);

/** A stored date as a person in a UK office types it ("30/9/2027"), to edit; the form reads it back through the shared date reader. */
const asTyped = (d: string | null) => (d ? `${Number(d.slice(8, 10))}/${Number(d.slice(5, 7))}/${d.slice(0, 4)}` : '');

type Extra = { errors?: FieldErrors; values?: Record<string, unknown>; form?: string; status?: number };

/** The policies register and consultations, for staff. */
export function consultationRoutes(app: FastifyInstance, deps: FeatureDeps): void {
  const { db, clock, config } = deps;
  const translator = config.translate.url ? createTranslator({ url: config.translate.url, key: config.translate.key, timeoutMs: 8_000 }) : null;
  const byOf = (request: FastifyRequest): StaffActor => {
    const user = request.user as StaffUser;
    return { staffId: user.id, schoolId: user.schoolId, ip: request.ip };
  };
  const isAny = (request: FastifyRequest, roles: readonly string[]) => (request.user as StaffUser).roles.some((r) => roles.includes(r));
  async function policyHere(request: FastifyRequest) {
    const { policyId } = request.params as { policyId: string };
    const policy = await policyOf(db, (request.user as StaffUser).schoolId, policyId);
    if (!policy) throw notFound();
    return policy;
  }
  async function consultationHere(request: FastifyRequest) {
    const { consultationId } = request.params as { consultationId: string };
    const consultation = await consultationOf(db, (request.user as StaffUser).schoolId, consultationId);
    if (!consultation) throw notFound();
    return consultation;
  }
  const sendCtx = (request: FastifyRequest) => ({ baseUrl: config.baseUrl, schoolName: request.school?.name ?? 'The school', today: request.scope.today, now: clock() });

  // The register.
  app.get('/policies', { config: { policy: everyone } }, async (request, reply) => {
    const policies = await policiesOf(db, (request.user as StaffUser).schoolId);
    return reply.page(`${V}/register.njk`, { title: 'Policies', policies, today: request.scope.today, canKeep: isAny(request, POLICY_KEEPERS), done: (request.query as { done?: string }).done });
  });

  async function policyForm(request: FastifyRequest, reply: FastifyReply, action: string, extra: Extra & { values: Record<string, unknown> }) {
    const owners = await staffChoices(db, (request.user as StaffUser).schoolId);
    return reply
      .code(extra.status ?? 200)
      .page(`${V}/policy-form.njk`, { title: action === '/policies' ? 'Add a policy' : 'Change a policy', action, owners, errors: extra.errors, values: extra.values, backLink: '/policies' });
  }

  app.get('/policies/new', { config: { policy: keepers } }, async (request, reply) => policyForm(request, reply, '/policies', { values: { owner: (request.user as StaffUser).id } }));

  app.post('/policies', { config: { policy: keepers } }, async (request, reply) => {
    const form = parseForm(PolicyForm, request.body);
    if (!form.ok) return policyForm(request, reply, '/policies', { ...form, status: 400 });
    const done = await createPolicy(db, byOf(request), form.data, clock());
    if (!done.ok) return policyForm(request, reply, '/policies', { errors: { [done.field]: done.message }, values: request.body as Record<string, unknown>, status: 400 });
    return reply.redirect(`/policies/${done.id}?done=added`, 303);
  });

  async function policyPage(request: FastifyRequest, reply: FastifyReply, extra: Extra = {}) {
    const policy = await policyHere(request);
    const user = request.user as StaffUser;
    const [consultations, owners] = await Promise.all([consultationsOfPolicy(db, user.schoolId, policy.id), staffChoices(db, user.schoolId)]);
    const owner = owners.find((o) => o.id === policy.owner_id);
    return reply.code(extra.status ?? 200).page(`${V}/policy.njk`, {
      title: policy.title,
      policy,
      owner,
      sections: splitSections(policy.body),
      consultations,
      canKeep: isAny(request, POLICY_KEEPERS),
      canConsult: isAny(request, CONSULTERS),
      today: request.scope.today,
      errors: extra.errors,
      documentKinds: POLICY_DOCUMENT.kinds,
      documentMb: POLICY_DOCUMENT.maxBytes / 1_000_000,
      done: (request.query as { done?: string }).done,
      backLink: '/policies',
    });
  }

  app.get('/policies/:policyId', { config: { policy: everyone } }, async (request, reply) => policyPage(request, reply));

  // The policy's document as a file (PDF, Word, OpenDocument or text), kept with the policy; staff read it here, carers from their link.
  app.post('/policies/:policyId/document', { config: { policy: keepers, uploads: true }, onRequest: rememberUploadName }, async (request, reply) => {
    const policy = await policyHere(request);
    const { name, bytes } = uploadOf(request);
    const checked = checkUpload(name, bytes, POLICY_DOCUMENT);
    if (!checked.ok) return policyPage(request, reply, { errors: { file: checked.message }, status: 400 });
    await attachDocument(db, byOf(request), policy, { name: name!, type: checked.type, bytes: bytes! }, clock());
    return reply.redirect(`/policies/${policy.id}?done=document#document`, 303);
  });

  app.get('/policies/:policyId/document', { config: { policy: everyone } }, async (request, reply) => {
    const policy = await policyHere(request);
    return sendDocument(reply, await documentOf(db, policy.school_id, policy.id));
  });

  app.get('/policies/:policyId/edit', { config: { policy: keepers } }, async (request, reply) => {
    const policy = await policyHere(request);
    return policyForm(request, reply, `/policies/${policy.id}`, {
      values: {
        ...policy,
        owner: policy.owner_id,
        statutory_yearly: policy.statutory_yearly ? 'yes' : undefined,
        last_reviewed_on: asTyped(policy.last_reviewed_on),
        next_review_on: asTyped(policy.next_review_on),
      },
    });
  });

  app.post('/policies/:policyId', { config: { policy: keepers } }, async (request, reply) => {
    const policy = await policyHere(request);
    const form = parseForm(PolicyForm, request.body);
    if (!form.ok) return policyForm(request, reply, `/policies/${policy.id}`, { ...form, status: 400 });
    const done = await updatePolicy(db, byOf(request), policy, form.data, clock());
    if (!done.ok) return policyForm(request, reply, `/policies/${policy.id}`, { errors: { [done.field]: done.message }, values: request.body as Record<string, unknown>, status: 400 });
    return reply.redirect(`/policies/${policy.id}?done=changed`, 303);
  });

  app.post('/policies/:policyId/reviewed', { config: { policy: keepers } }, async (request, reply) => {
    const policy = await policyHere(request);
    await markReviewed(db, byOf(request), policy, request.scope.today, clock());
    return reply.redirect(`/policies/${policy.id}?done=reviewed`, 303);
  });

  // Putting a policy out for consultation.
  async function consultForm(request: FastifyRequest, reply: FastifyReply, extra: Extra) {
    const policy = await policyHere(request);
    const user = request.user as StaffUser;
    const [classes, groups] = await Promise.all([
      classesOfSchool(db, user.schoolId),
      db.selectFrom('carer_groups').select(['id', 'name']).where('school_id', '=', user.schoolId).orderBy('name').execute(),
    ]);
    return reply.code(extra.status ?? 200).page(`${V}/consult-form.njk`, {
      title: `Consult on: ${policy.title}`,
      policy,
      sections: splitSections(policy.body),
      years: YEAR_GROUPS.map((y) => ({ value: y, text: YEAR_GROUP_LABELS[y] })),
      classes,
      groups,
      errors: extra.errors,
      values: extra.values ?? { audience_kind: 'school' },
      backLink: `/policies/${policy.id}`,
    });
  }

  app.get('/policies/:policyId/consult', { config: { policy: consulters } }, async (request, reply) => consultForm(request, reply, {}));

  app.post('/policies/:policyId/consult', { config: { policy: consulters } }, async (request, reply) => {
    const policy = await policyHere(request);
    const form = parseForm(ConsultForm, request.body);
    if (!form.ok) return consultForm(request, reply, { ...form, status: 400 });
    const done = await openConsultation(db, byOf(request), policy, form.data, sendCtx(request));
    if (!done.ok) return consultForm(request, reply, { errors: { [done.field]: done.message }, values: request.body as Record<string, unknown>, status: 400 });
    deps.pokeOutbox();
    return reply.redirect(`/consultations/${done.id}?done=opened`, 303);
  });

  // One consultation.
  async function consultationPage(request: FastifyRequest, reply: FastifyReply, extra: Extra = {}) {
    const consultation = await consultationHere(request);
    const user = request.user as StaffUser;
    const reader = isAny(request, CONSULTERS);
    const [policy, sections, themes, invited] = await Promise.all([
      policyOf(db, user.schoolId, consultation.policy_id),
      sectionsOf(db, consultation.id),
      themesOf(db, consultation.id),
      invitedCount(db, consultation.id),
    ]);
    // Everyone's comments for those who read them; one's own for other staff.
    const all = reader || isAny(request, TRANSLATORS) ? await commentsForSchool(db, consultation) : null;
    const own = await commentsOf(db, consultation.id, { staffId: user.id });
    const passed = all
      ? await passedByMe(
          db,
          user,
          'consultation_comment',
          all.map((c) => ({ id: c.id, words: commentWords(c) })),
        )
      : {};
    const bySection = (id: string) => (all ?? []).filter((c) => c.section_id === id);
    return reply.code(extra.status ?? 200).page(`${V}/consultation.njk`, {
      title: consultation.title,
      consultation,
      policy,
      sections: sections.map((s) => ({ ...s, comments: bySection(s.id), own: own.filter((c) => c.section_id === s.id) })),
      themes,
      invited,
      commentCount: all?.length ?? null,
      reader,
      passed,
      translator: isAny(request, TRANSLATORS),
      machineAvailable: !!translator,
      me: user.id,
      errors: extra.errors,
      values: extra.values ?? {},
      form: extra.form,
      done: (request.query as { done?: string }).done,
      backLink: policy ? `/policies/${policy.id}` : '/policies',
    });
  }
  const back = (id: string, done: string, anchor = '') => `/consultations/${id}?done=${done}${anchor}`;

  app.get('/consultations/:consultationId', { config: { policy: everyone } }, async (request, reply) => consultationPage(request, reply));

  app.post('/consultations/:consultationId/comments', { config: { policy: everyone } }, async (request, reply) => {
    const consultation = await consultationHere(request);
    const form = parseForm(CommentForm, request.body);
    if (!form.ok) return consultationPage(request, reply, { ...form, form: `comment-${String((request.body as { section?: unknown })?.section ?? '')}`, status: 400 });
    const done = await addComment(db, { kind: 'staff', staffId: byOf(request).staffId }, consultation, form.data.section, form.data.comment, clock(), request.ip);
    if (!done.ok)
      return consultationPage(request, reply, {
        errors: { [done.field === 'closed' ? 'comment' : done.field]: done.message },
        values: request.body as Record<string, unknown>,
        form: `comment-${form.data.section}`,
        status: 400,
      });
    return reply.redirect(back(consultation.id, 'commented', `#section-${form.data.section}`), 303);
  });

  app.post('/consultations/:consultationId/themes', { config: { policy: consulters } }, async (request, reply) => {
    const consultation = await consultationHere(request);
    const form = parseForm(ThemeForm, request.body);
    if (!form.ok) return consultationPage(request, reply, { ...form, form: 'theme', status: 400 });
    await addTheme(db, byOf(request), consultation, form.data.title, clock());
    return reply.redirect(back(consultation.id, 'theme', '#themes'), 303);
  });

  app.post('/consultations/:consultationId/comments/:commentId/theme', { config: { policy: consulters } }, async (request, reply) => {
    const consultation = await consultationHere(request);
    const { commentId } = request.params as { commentId: string };
    const form = parseForm(AssignForm, request.body);
    if (!form.ok) return consultationPage(request, reply, { ...form, form: `assign-${commentId}`, status: 400 });
    const done = await assignTheme(db, byOf(request), consultation, commentId, form.data.theme, clock());
    if (!done.ok) return consultationPage(request, reply, { errors: { [done.field]: done.message }, values: request.body as Record<string, unknown>, form: `assign-${commentId}`, status: 400 });
    return reply.redirect(back(consultation.id, 'themed', `#comment-${commentId}`), 303);
  });

  app.post('/consultations/:consultationId/themes/:themeId', { config: { policy: consulters } }, async (request, reply) => {
    const consultation = await consultationHere(request);
    const { themeId } = request.params as { themeId: string };
    const form = parseForm(ThemeAnswerForm, request.body);
    if (!form.ok) return consultationPage(request, reply, { ...form, form: `answer-${themeId}`, status: 400 });
    await answerTheme(db, byOf(request), consultation, themeId, form.data.answer, clock());
    return reply.redirect(back(consultation.id, 'answered', '#themes'), 303);
  });

  // The English version of a comment in another language: from the service, or typed; a second person checks it.
  app.post('/consultations/:consultationId/comments/:commentId/english', { config: { policy: translators } }, async (request, reply) => {
    const consultation = await consultationHere(request);
    const { commentId } = request.params as { commentId: string };
    const comment = (await commentsForSchool(db, consultation)).find((c) => c.id === commentId);
    if (!comment) throw notFound();
    const form = parseForm(EnglishForm, request.body);
    if (!form.ok) return consultationPage(request, reply, { ...form, form: `english-${commentId}`, status: 400 });
    let english = form.data.english;
    if (!english) {
      const fail = (message: string) => consultationPage(request, reply, { errors: { english: message }, values: request.body as Record<string, unknown>, form: `english-${commentId}`, status: 400 });
      if (!translator) return fail('There is no translation service: type the English version');
      const code = LANGUAGE_CODES[comment.language];
      if (!code) return fail(`The translation service does not know ${comment.language}: type the English version`);
      try {
        english = (await translator.translate(comment.body, 'en', code)).trim();
      } catch (error) {
        if (error instanceof TranslationError) return fail(`${error.message}. Nothing was saved.`);
        throw error;
      }
      if (!english) return fail('The translation service answered with an empty translation. Nothing was saved.');
    }
    await setEnglish(db, byOf(request), commentId, english, clock());
    return reply.redirect(back(consultation.id, 'english', `#comment-${commentId}`), 303);
  });

  app.post('/consultations/:consultationId/comments/:commentId/check', { config: { policy: translators } }, async (request, reply) => {
    const consultation = await consultationHere(request);
    const { commentId } = request.params as { commentId: string };
    const comment = (await commentsForSchool(db, consultation)).find((c) => c.id === commentId);
    if (!comment) throw notFound();
    const done = await checkEnglish(db, byOf(request), commentId, clock());
    if (!done.ok) return consultationPage(request, reply, { errors: { [done.field]: done.message }, values: {}, form: `english-${commentId}`, status: 409 });
    return reply.redirect(back(consultation.id, 'checked', `#comment-${commentId}`), 303);
  });

  // Adopting the revised policy: "You said, we did" to the same audience.
  app.post('/consultations/:consultationId/adopt', { config: { policy: consulters } }, async (request, reply) => {
    const consultation = await consultationHere(request);
    const form = parseForm(AdoptForm.extend({ revised: z.string().trim().max(100_000, 'The revised text must be 100,000 characters or fewer').optional() }), request.body);
    if (!form.ok) return consultationPage(request, reply, { ...form, form: 'adopt', status: 400 });
    const done = await adoptPolicy(db, byOf(request), consultation, { summary: form.data.summary, revised: form.data.revised || null }, sendCtx(request));
    if (!done.ok) return consultationPage(request, reply, { errors: { [done.field]: done.message }, values: request.body as Record<string, unknown>, form: 'adopt', status: 409 });
    deps.pokeOutbox();
    return reply.redirect(`/consultations/${consultation.id}/you-said-we-did?done=adopted`, 303);
  });

  app.get('/consultations/:consultationId/you-said-we-did', { config: { policy: everyone } }, async (request, reply) => {
    const consultation = await consultationHere(request);
    const themes = await themesOf(db, consultation.id);
    return reply.page(`${V}/said-did.njk`, {
      title: `You said, we did: ${consultation.title.replace(/^Consultation: /, '')}`,
      consultation,
      themes,
      staffView: true,
      done: (request.query as { done?: string }).done,
      backLink: `/consultations/${consultation.id}`,
    });
  });
}

/** A policy's document as a download (never shown inline: the browser saves it). */
export function sendDocument(reply: FastifyReply, doc: { name: string | null; type: string; bytes: Buffer } | undefined) {
  if (!doc) throw notFound();
  return reply
    .header('content-type', doc.type)
    .header('content-disposition', `attachment; filename="${safeFileName(doc.name)}"`)
    .header('x-content-type-options', 'nosniff')
    .header('cache-control', 'no-store')
    .send(doc.bytes);
}

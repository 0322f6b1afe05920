import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { FeatureDeps } from '../../platform/deps.ts';
import type { AgreementVersionTable, StaffRole } from '../../db/schema.ts';
import { staff } from '../../platform/access/policy.ts';
import { STAFF_ROLES, hasAnyRole, type StaffUser } from '../../platform/access/roles.ts';
import type { Actor } from '../../platform/audit/audit.ts';
import { notFound } from '../../platform/errors.ts';
import { parseForm, type FieldErrors } from '../../platform/web/forms.ts';
import { schoolCalendar } from '../../platform/calendar/calendar-queries.ts';
import { formatDate } from '../../platform/calendar/time.ts';
import { inSchoolOrder, lines, percentOf, PROMISE_SLOTS, PublishForm, reviewDue, ReviewForm, summarise, VersionForm } from './agreement.ts';
import { evidenceFor, MEASURES, periodFor } from './measures.ts';
import { publish, recordReview, saveDraft, sendReminders, startDraft } from './commands.ts';
import { carerLanguages, latestReview, obligations, promisesOf, reviewsOf, signingState, translationsOf, versionById, versionsOf } from './queries.ts';
import { STATUS_LABELS, STATUS_TAGS, statusOf } from '../messages/index.ts';

const V = 'features/agreements/views';

/** Who may do what with the agreement (the access matrix rows in test/access/agreement-rows.ts say the same, by hand). */
export const AGREEMENT_ROLES = {
  read: STAFF_ROLES,
  write: ['head', 'senior_leader'],
  translate: ['head', 'senior_leader', 'office', 'family_liaison'],
  signatures: ['head', 'senior_leader', 'office', 'family_liaison', 'senco'],
  remind: ['head', 'senior_leader', 'office', 'family_liaison'],
  review: ['head', 'governor'],
} as const satisfies Record<string, readonly StaffRole[]>;

const MEASURE_OPTIONS = Object.entries(MEASURES).map(([value, m]) => ({ value, text: m.label, hint: m.describes }));
const DONE: Record<string, string> = {
  saved: 'Draft saved.',
  published: 'Version published.',
  reviewed: 'Review recorded.',
};

export function staffActor(request: FastifyRequest): Actor & { kind: 'staff' } {
  const user = request.user as StaffUser;
  return { kind: 'staff', id: user.id, schoolId: user.schoolId, ip: request.ip };
}

/** The agreement in English as plain text, for translators to work from. */
export function agreementText(version: Pick<AgreementVersionTable, 'title' | 'carers_text' | 'pupils_text'>, promises: { text: string }[]): string {
  return [
    version.title,
    '',
    'What the school will do:',
    ...promises.map((p) => `- ${p.text}`),
    '',
    'What we ask of carers:',
    ...lines(version.carers_text).map((l) => `- ${l}`),
    '',
    'What we ask of pupils:',
    ...lines(version.pupils_text).map((l) => `- ${l}`),
  ].join('\n');
}

export function agreementRoutes(app: FastifyInstance, deps: FeatureDeps): void {
  const { db, clock, config } = deps;
  const done = (request: FastifyRequest) => DONE[(request.query as { done?: string }).done ?? ''];

  async function version(request: FastifyRequest): Promise<AgreementVersionTable> {
    const user = request.user as StaffUser;
    const v = await versionById(db, user.schoolId, (request.params as { versionId: string }).versionId);
    if (!v) throw notFound();
    return v;
  }

  app.get('/agreements', { config: { policy: staff(AGREEMENT_ROLES.read) } }, async (request, reply) => {
    const user = request.user as StaffUser;
    const today = request.scope.today;
    const [versions, state, review] = await Promise.all([versionsOf(db, user.schoolId), signingState(db, user.schoolId), latestReview(db, user.schoolId)]);
    const summary = state.current ? summarise(await obligations(db, user.schoolId, today)) : null;
    return reply.page(`${V}/overview.njk`, {
      title: 'Home-school agreement',
      versions,
      current: state.current,
      countsFrom: state.countsFrom,
      draft: versions.find((v) => v.status === 'draft') ?? null,
      summary,
      percentOf,
      review,
      due: reviewDue(review?.reviewed_on ?? null, today),
      formatDate,
      may: {
        write: hasAnyRole(user, AGREEMENT_ROLES.write),
        signatures: hasAnyRole(user, AGREEMENT_ROLES.signatures),
        teacher: user.roles.includes('teacher'),
      },
    });
  });

  app.post('/agreements/versions', { config: { policy: staff(AGREEMENT_ROLES.write) } }, async (request, reply) => {
    const id = await startDraft(db, staffActor(request), clock());
    return reply.redirect(`/agreements/versions/${id}/edit`, 303);
  });

  async function versionPage(request: FastifyRequest, reply: FastifyReply, v: AgreementVersionTable, extra: { errors?: FieldErrors; values?: Record<string, unknown>; status?: number } = {}) {
    const user = request.user as StaffUser;
    const [promises, translations, readers, state] = await Promise.all([promisesOf(db, v.id), translationsOf(db, v.id), carerLanguages(db, user.schoolId), signingState(db, user.schoolId)]);
    const byLanguage = new Map(translations.map((t) => [t.language, t]));
    const languages = [...new Set([...readers.keys(), ...byLanguage.keys()])].sort();
    return reply.code(extra.status ?? 200).page(`${V}/version.njk`, {
      title: `${v.title} (version ${v.version})`,
      backLink: '/agreements',
      v,
      promises: promises.map((p) => ({ ...p, measureLabel: p.measure ? MEASURES[p.measure].label : null })),
      carers: lines(v.carers_text),
      pupils: lines(v.pupils_text),
      translations: languages.map((language) => {
        const t = byLanguage.get(language);
        const status = statusOf(t);
        return { language, readers: readers.get(language) ?? 0, label: STATUS_LABELS[status], tag: STATUS_TAGS[status], checker: t?.checker_name ?? null };
      }),
      isCurrent: state.current?.id === v.id,
      mayWrite: hasAnyRole(user, AGREEMENT_ROLES.write),
      mayTranslate: hasAnyRole(user, AGREEMENT_ROLES.translate),
      formatDate,
      done: done(request),
      errors: extra.errors,
      values: extra.values ?? {},
    });
  }

  app.get('/agreements/versions/:versionId', { config: { policy: staff(AGREEMENT_ROLES.read) } }, async (request, reply) => versionPage(request, reply, await version(request)));

  async function editPage(_request: FastifyRequest, reply: FastifyReply, v: AgreementVersionTable, extra: { errors?: FieldErrors; values?: Record<string, unknown>; status?: number } = {}) {
    const promises = await promisesOf(db, v.id);
    const values =
      extra.values ??
      Object.fromEntries([
        ['title', v.title],
        ['carers_text', v.carers_text],
        ['pupils_text', v.pupils_text],
        ...promises.flatMap((p, i) => [
          [`promise_${i + 1}`, p.text],
          [`measure_${i + 1}`, p.measure ?? ''],
        ]),
      ]);
    return reply.code(extra.status ?? 200).page(`${V}/edit.njk`, {
      title: `Change the draft (version ${v.version})`,
      backLink: `/agreements/versions/${v.id}`,
      v,
      slots: Array.from({ length: PROMISE_SLOTS }, (_, i) => i + 1),
      measures: MEASURE_OPTIONS,
      errors: extra.errors,
      values,
    });
  }

  app.get('/agreements/versions/:versionId/edit', { config: { policy: staff(AGREEMENT_ROLES.write) } }, async (request, reply) => {
    const v = await version(request);
    if (v.status !== 'draft') return reply.redirect(`/agreements/versions/${v.id}`, 303);
    return editPage(request, reply, v);
  });

  app.post('/agreements/versions/:versionId/edit', { config: { policy: staff(AGREEMENT_ROLES.write) } }, async (request, reply) => {
    const v = await version(request);
    const form = parseForm(VersionForm, request.body);
    if (!form.ok) return editPage(request, reply, v, { errors: form.errors, values: form.values, status: 400 });
    const saved = await saveDraft(db, staffActor(request), v, form.data, clock());
    if (!saved.ok) return editPage(request, reply, v, { errors: { [saved.field]: saved.message }, values: request.body as Record<string, unknown>, status: 409 });
    return reply.redirect(`/agreements/versions/${v.id}?done=saved`, 303);
  });

  app.post('/agreements/versions/:versionId/publish', { config: { policy: staff(AGREEMENT_ROLES.write) } }, async (request, reply) => {
    const v = await version(request);
    const form = parseForm(PublishForm, request.body);
    if (!form.ok) return versionPage(request, reply, v, { errors: form.errors, values: form.values, status: 400 });
    const done = await publish(db, staffActor(request), v, form.data, clock());
    if (!done.ok) return versionPage(request, reply, v, { errors: { [done.field]: done.message }, values: request.body as Record<string, unknown>, status: 400 });
    return reply.redirect(`/agreements/versions/${v.id}?done=published`, 303);
  });

  app.get('/agreements/signatures', { config: { policy: staff(AGREEMENT_ROLES.signatures) } }, async (request, reply) => {
    const user = request.user as StaffUser;
    const state = await signingState(db, user.schoolId);
    const all = state.current ? await obligations(db, user.schoolId, request.scope.today) : [];
    const { sent } = request.query as { sent?: string };
    const [count, paper] = (sent ?? '').split('-').map((n) => Number(n));
    return reply.page(`${V}/signatures.njk`, {
      title: 'Who has signed the agreement',
      backLink: '/agreements',
      current: state.current,
      summary: summarise(all),
      percentOf,
      missing: inSchoolOrder(all.filter((o) => !o.signed)),
      mayRemind: hasAnyRole(user, AGREEMENT_ROLES.remind),
      sent: sent !== undefined && Number.isFinite(count) ? { count, paper: Number.isFinite(paper) ? paper : 0 } : null,
    });
  });

  app.post('/agreements/reminders', { config: { policy: staff(AGREEMENT_ROLES.remind) } }, async (request, reply) => {
    const result = await sendReminders(db, staffActor(request), { today: request.scope.today, now: clock(), baseUrl: config.baseUrl, schoolName: request.school?.name ?? 'The school' });
    deps.pokeOutbox();
    return reply.redirect(`/agreements/signatures?sent=${result?.sent ?? 0}-${result?.paper ?? 0}`, 303);
  });

  app.get('/agreements/evidence', { config: { policy: staff(AGREEMENT_ROLES.read) } }, async (request, reply) => {
    const user = request.user as StaffUser;
    const state = await signingState(db, user.schoolId);
    const [calendar, terms] = await Promise.all([
      schoolCalendar(db, user.schoolId),
      db.selectFrom('school_terms').select(['name', 'starts_on', 'ends_on']).where('school_id', '=', user.schoolId).execute(),
    ]);
    const period = periodFor(terms, request.scope.today);
    const ctx = { schoolId: user.schoolId, period, calendar, timeZone: request.school?.time_zone ?? 'Europe/London' };
    const promises = state.current ? await promisesOf(db, state.current.id) : [];
    const shown = await Promise.all(
      promises.map(async (p) => ({ text: p.text, measure: p.measure ? MEASURES[p.measure].label : null, evidence: p.measure ? await evidenceFor(db, p.measure, ctx) : null })),
    );
    return reply.page(`${V}/evidence.njk`, { title: 'The school’s side, with evidence', backLink: '/agreements', current: state.current, promises: shown, period, formatDate });
  });

  async function reviewsPage(request: FastifyRequest, reply: FastifyReply, extra: { errors?: FieldErrors; values?: Record<string, unknown>; status?: number } = {}) {
    const user = request.user as StaffUser;
    const reviews = await reviewsOf(db, user.schoolId);
    return reply.code(extra.status ?? 200).page(`${V}/reviews.njk`, {
      title: 'Governors’ yearly review',
      backLink: '/agreements',
      reviews,
      due: reviewDue(reviews[0]?.reviewed_on ?? null, request.scope.today),
      mayRecord: hasAnyRole(user, AGREEMENT_ROLES.review),
      formatDate,
      done: done(request),
      errors: extra.errors,
      values: extra.values ?? { reviewed_on: request.scope.today },
    });
  }

  app.get('/agreements/reviews', { config: { policy: staff(AGREEMENT_ROLES.read) } }, async (request, reply) => reviewsPage(request, reply));

  app.post('/agreements/reviews', { config: { policy: staff(AGREEMENT_ROLES.review) } }, async (request, reply) => {
    const form = parseForm(ReviewForm, request.body);
    if (!form.ok) return reviewsPage(request, reply, { errors: form.errors, values: form.values, status: 400 });
    const done = await recordReview(db, staffActor(request), form.data, { today: request.scope.today, now: clock() });
    if (!done.ok) return reviewsPage(request, reply, { errors: { [done.field]: done.message }, values: request.body as Record<string, unknown>, status: 400 });
    return reply.redirect('/agreements/reviews?done=reviewed', 303);
  });
}

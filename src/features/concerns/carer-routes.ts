import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { FeatureDeps } from '../../platform/deps.ts';
import { carers } from '../../platform/access/policy.ts';
import { pupilsCarerMayHearAbout } from '../../platform/access/hear.ts';
import type { CarerUser } from '../../platform/access/roles.ts';
import { createTranslator } from '../../platform/channels/translate.ts';
import { notFound } from '../../platform/errors.ts';
import { dateErrorIn } from '../../platform/web/date-words.ts';
import { parseForm, type FieldErrors } from '../../platform/web/forms.ts';
import { childrenOfCarer } from '../people/index.ts';
import { answerConcern } from './answer.ts';
import type { Text } from '../../platform/i18n/catalog.ts';
import { AnswerForm, CarerConcernForm, carerSees, CONTACT_BY_LABELS, replyBy, replyState } from './concerns.ts';
import { schoolCalendar } from '../../platform/calendar/calendar-queries.ts';
import { childName, concernForCarer, concernsOfCarer, entriesOf, hasReplied, pupilOf, staffNameOf } from './queries.ts';
import { raiseConcern } from './raise.ts';
import { complaintOf, EscalateForm, escalateConcern } from './escalate.ts';
import { mayEscalate } from './complaint-timeline.ts';
import { complaintsOfCarer } from './complaints/queries.ts';

const V = 'features/concerns/views';

/** Which carer-side message each field's error is, in the carer's words (the forms' own messages are English for staff). */
const ERROR_KEYS: Record<string, string> = {
  pupil: 'concerns.error.pupil',
  what_happened: 'concerns.error.what_happened',
  would_like: 'concerns.error.would_like',
  contact_by: 'concerns.error.contact_by',
  answer: 'concerns.error.answer',
  why: 'concerns.error.tooLong',
  last_incident_on: 'concerns.error.last_incident_on',
  unresolved: 'concerns.error.unresolved',
};
const SPECIAL_ERRORS: [RegExp, string][] = [
  [/must be today or before/, 'concerns.error.future'],
  [/once the school has answered/, 'concerns.error.notYet'],
  [/already been made/, 'concerns.error.already'],
];

/** The date fields of the carer's forms, by the key of the field's name in the carer's words (for GOV.UK's date messages). */
const DATE_LABELS: Record<string, string> = { last_incident_on: 'concerns.error.lastIncidentLabel' };

/** The forms' errors in the carer's words; `values` (what was posted) words a date's problem exactly: a box left empty, not a real date. */
export function inCarerWords(errors: FieldErrors | undefined, t: Text, values?: Record<string, unknown>): FieldErrors | undefined {
  if (!errors) return errors;
  return Object.fromEntries(
    Object.entries(errors).map(([field, message]) => {
      const dateLabel = DATE_LABELS[field];
      const dateWords = dateLabel && values ? dateErrorIn(t, values, field, t(dateLabel)) : null;
      if (dateWords) return [field, dateWords];
      const tooLong = /(\d+) characters or fewer/.exec(message);
      if (tooLong) return [field, t('concerns.error.tooLong', { max: Number(tooLong[1]) })];
      const special = SPECIAL_ERRORS.find(([pattern]) => pattern.test(message));
      const key = special?.[1] ?? ERROR_KEYS[field];
      return [field, key ? t(key, { max: 0 }) : message];
    }),
  );
}

/**
 * Concerns, for carers: raise one about one of their children, see their own, and answer "is it
 * resolved?" with one click. Only about children they may hear about (purpose 'complaint'): a
 * carer restricted from a child never sees, raises or hears of a concern about them.
 */
export function carerConcernRoutes(app: FastifyInstance, deps: FeatureDeps): void {
  const { db, clock, config } = deps;
  const translator = config.translate.url ? createTranslator({ url: config.translate.url, key: config.translate.key, timeoutMs: 8_000 }) : null;

  async function myChildren(request: FastifyRequest) {
    const carer = request.user as CarerUser;
    const children = await childrenOfCarer(db, carer, request.scope, carer.id);
    const may = await pupilsCarerMayHearAbout(db, { schoolId: carer.schoolId, carerId: carer.id, pupilIds: children.map((c) => c.id), purpose: 'complaint', today: request.scope.today });
    return children.filter((c) => may.has(c.id)).map((c) => ({ id: c.id, name: `${c.preferred_name || c.given_name} ${c.family_name}` }));
  }
  async function newPage(request: FastifyRequest, extra: { errors?: FieldErrors; values?: Record<string, unknown> } = {}) {
    const { pupil } = request.query as { pupil?: unknown };
    return {
      title: request.text('concerns.new.title'),
      backLink: '/',
      children: await myChildren(request),
      contactBy: Object.keys(CONTACT_BY_LABELS),
      errors: inCarerWords(extra.errors, request.text),
      values: extra.values ?? { pupil: typeof pupil === 'string' ? pupil : '' },
    };
  }
  async function mine(request: FastifyRequest) {
    const carer = request.user as CarerUser;
    const { concernId } = request.params as { concernId: string };
    const concern = await concernForCarer(db, carer, concernId, request.scope.today);
    if (!concern) throw notFound();
    return concern;
  }

  // One menu entry for both: a family's concerns, then their formal complaints (stage, dates, letters).
  app.get('/my-concerns', { config: { policy: carers } }, async (request, reply) => {
    const carer = request.user as CarerUser;
    const [concerns, complaints] = await Promise.all([concernsOfCarer(db, carer, request.scope.today), complaintsOfCarer(db, carer, request.scope.today)]);
    // A complaint made directly is kept on a concern record of its own: show it once, as the complaint.
    const direct = new Set(complaints.filter((c) => c.direct).map((c) => c.concern_id));
    return reply.page(`${V}/my-concerns.njk`, { title: request.text('concerns.list.bothTitle'), concerns: concerns.filter((c) => !direct.has(c.id)), complaints, today: request.scope.today });
  });
  app.get('/my-complaints', { config: { policy: carers } }, async (_request, reply) => reply.redirect('/my-concerns#complaints', 303));

  app.get('/my-concerns/new', { config: { policy: carers } }, async (request, reply) => reply.page(`${V}/raise.njk`, await newPage(request)));

  app.post('/my-concerns', { config: { policy: carers } }, async (request, reply) => {
    const carer = request.user as CarerUser;
    const form = parseForm(CarerConcernForm, request.body);
    if (!form.ok) return reply.code(400).page(`${V}/raise.njk`, await newPage(request, form));
    const d = form.data;
    const children = await myChildren(request);
    if (!children.some((c) => c.id === d.pupil))
      return reply.code(400).page(`${V}/raise.njk`, await newPage(request, { errors: { pupil: 'Choose one of your children' }, values: request.body as Record<string, unknown> }));
    const raised = await raiseConcern(
      db,
      { kind: 'carer', carerId: carer.id, ip: request.ip },
      { schoolId: carer.schoolId, pupilId: d.pupil, carerId: carer.id, receivedVia: 'portal', contactBy: d.contact_by, whatHappened: d.what_happened, wouldLike: d.would_like, safeguarding: 0 },
      { now: clock(), baseUrl: config.baseUrl, translator },
    );
    if (!raised.ok) return reply.code(400).page(`${V}/raise.njk`, await newPage(request, { errors: { [raised.field]: raised.message }, values: request.body as Record<string, unknown> }));
    deps.pokeOutbox();
    return reply.redirect(`/my-concerns/${raised.id}?done=raised`, 303);
  });

  async function detail(request: FastifyRequest, extra: { errors?: FieldErrors; values?: Record<string, unknown> } = {}) {
    const concern = await mine(request);
    const [pupil, ownerName, entries, complaint, calendar, replied] = await Promise.all([
      pupilOf(db, concern.school_id, concern.pupil_id),
      staffNameOf(db, concern.school_id, concern.owner_id),
      entriesOf(db, concern, false),
      complaintOf(db, concern),
      schoolCalendar(db, concern.school_id),
      hasReplied(db, concern),
    ]);
    const reply = replyBy(calendar, concern.raised_on);
    const { done } = request.query as { done?: unknown };
    return {
      title: request.text('concerns.page.title', { child: childName(pupil) }),
      backLink: '/my-concerns',
      concern,
      child: childName(pupil),
      ownerName,
      // The two promises while the school is still working on it: the first reply (until it is given), and the aim to resolve it.
      stillWithSchool: concern.status === 'new' || concern.status === 'open',
      today: request.scope.today,
      replyBy: replyState(reply, replied, concern.status, request.scope.today) === 'replied' ? null : reply,
      entries: entries.filter(carerSees),
      complaint,
      mayEscalate: !complaint && mayEscalate(concern.status, concern.reopened_count, 'carer'),
      doneText: typeof done === 'string' && ['raised', 'resolved', 'reopened', 'complaint'].includes(done) ? request.text(`concerns.done.${done}`) : undefined,
      errors: inCarerWords(extra.errors, request.text, extra.values),
      values: extra.values ?? {},
    };
  }

  app.get('/my-concerns/:concernId', { config: { policy: carers } }, async (request, reply) => reply.page(`${V}/my-concern.njk`, await detail(request)));

  app.post('/my-concerns/:concernId/complaint', { config: { policy: carers } }, async (request, reply) => {
    const carer = request.user as CarerUser;
    const concern = await mine(request);
    const form = parseForm(EscalateForm, request.body);
    if (!form.ok) return reply.code(400).page(`${V}/my-concern.njk`, await detail(request, form));
    const made = await escalateConcern(db, { kind: 'carer', carerId: carer.id, ip: request.ip }, concern, form.data, { now: clock(), baseUrl: config.baseUrl, translator });
    if (!made.ok) return reply.code(400).page(`${V}/my-concern.njk`, await detail(request, { errors: { [made.field]: made.message }, values: request.body as Record<string, unknown> }));
    deps.pokeOutbox();
    return reply.redirect(`/my-concerns/${concern.id}?done=complaint`, 303);
  });

  app.post('/my-concerns/:concernId/answer', { config: { policy: carers } }, async (request, reply) => {
    const carer = request.user as CarerUser;
    const concern = await mine(request);
    const form = parseForm(AnswerForm, request.body);
    if (!form.ok) return reply.code(400).page(`${V}/my-concern.njk`, await detail(request, form));
    const answered = await answerConcern(db, { id: carer.id, schoolId: carer.schoolId, ip: request.ip }, concern, form.data, { now: clock(), baseUrl: config.baseUrl });
    if (answered === 'reopened') deps.pokeOutbox();
    return reply.redirect(`/my-concerns/${concern.id}?done=${answered}`, 303);
  });
}

import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { FeatureDeps } from '../../platform/deps.ts';
import { staff } from '../../platform/access/policy.ts';
import type { StaffUser } from '../../platform/access/roles.ts';
import { createTranslator } from '../../platform/channels/translate.ts';
import { notFound } from '../../platform/errors.ts';
import { parseForm } from '../../platform/web/forms.ts';
import { addEntry, closeConcern, markEntrySafeguarding, triageConcern, type StaffBy } from './commands.ts';
import { CloseForm, ContactForm, CONTACT_BY_LABELS, LOGGERS, NoteForm, RECEIVED_LABELS, StaffConcernForm, STATUS_LABELS, TRIAGERS, TriageForm, CATEGORY_LABELS } from './concerns.ts';
import { schoolCalendar } from '../../platform/calendar/calendar-queries.ts';
import { renderConcern, type PageExtra } from './page.ts';
import { carersOfPupil, concernForStaff, concernsForStaff, fullName, pupilOf } from './queries.ts';
import { raiseConcern } from './raise.ts';
import { EscalateForm, escalateConcern } from './escalate.ts';

const V = 'features/concerns/views';
/** Everyone on the staff but governors; each concern is then checked (mayOpenConcern). */
const loggers = staff(LOGGERS);
/** Passing a concern on (owner, category, due date) is for the head and senior leaders. */
const triagers = staff(TRIAGERS);

/** Concerns, for staff: the list, one concern, logging one for a family, triage, contacts, notes, safeguarding, closing. */
export function concernRoutes(app: FastifyInstance, deps: FeatureDeps): void {
  const { db, clock, config } = deps;
  const translator = config.translate.url ? createTranslator({ url: config.translate.url, key: config.translate.key, timeoutMs: 8_000 }) : null;
  const ctx = () => ({ now: clock(), baseUrl: config.baseUrl, translator });
  const byOf = (request: FastifyRequest): StaffBy => {
    const user = request.user as StaffUser;
    return { staffId: user.id, schoolId: user.schoolId, ip: request.ip };
  };
  async function opened(request: FastifyRequest) {
    const { concernId } = request.params as { concernId: string };
    const found = await concernForStaff(db, request.user as StaffUser, concernId);
    if (!found) throw notFound();
    return found;
  }
  const back = (id: string, done: string) => `/concerns/${id}?done=${done}`;
  const again = (request: FastifyRequest, form: string, errors: Record<string, string>): PageExtra => ({ errors, values: request.body as Record<string, unknown>, form });

  app.get('/concerns', { config: { policy: loggers } }, async (request, reply) => {
    const { show } = request.query as { show?: unknown };
    const all = show === 'all';
    const user = request.user as StaffUser;
    const concerns = await concernsForStaff(db, user, all ? 'all' : 'open', await schoolCalendar(db, user.schoolId), request.scope.today);
    return reply.page(`${V}/list.njk`, { title: 'Concerns from families', concerns, all, today: request.scope.today, statusLabels: STATUS_LABELS, categoryLabels: CATEGORY_LABELS });
  });

  app.get('/concerns/:concernId', { config: { policy: loggers } }, async (request, reply) => {
    const found = await opened(request);
    const { done } = request.query as { done?: unknown };
    return renderConcern(db, request, reply, found, clock(), { done: typeof done === 'string' ? done : undefined });
  });

  app.post('/concerns/:concernId/pass-on', { config: { policy: triagers } }, async (request, reply) => {
    const found = await opened(request);
    const form = parseForm(TriageForm, request.body);
    if (!form.ok) return renderConcern(db, request, reply, found, clock(), { ...form, form: 'triage' });
    const done = await triageConcern(db, byOf(request), found.concern, form.data, ctx());
    if (!done.ok) return renderConcern(db, request, reply, found, clock(), again(request, 'triage', { [done.field]: done.message }));
    deps.pokeOutbox();
    return reply.redirect(back(found.concern.id, 'passed-on'), 303);
  });

  app.post('/concerns/:concernId/contacts', { config: { policy: loggers } }, async (request, reply) => {
    const found = await opened(request);
    if (!found.mayWork) throw notFound();
    const form = parseForm(ContactForm, request.body);
    if (!form.ok) return renderConcern(db, request, reply, found, clock(), { ...form, form: 'contact' });
    const { contact_how, contact_body, contact_safeguarding } = form.data;
    await addEntry(db, byOf(request), found.concern, { kind: 'contact', body: contact_body, contactHow: contact_how, safeguarding: contact_safeguarding }, ctx());
    if (contact_safeguarding) deps.pokeOutbox();
    return reply.redirect(back(found.concern.id, contact_safeguarding ? 'safeguarding' : 'contact'), 303);
  });

  app.post('/concerns/:concernId/notes', { config: { policy: loggers } }, async (request, reply) => {
    const found = await opened(request);
    const form = parseForm(NoteForm, request.body);
    if (!form.ok) return renderConcern(db, request, reply, found, clock(), { ...form, form: 'note' });
    const { note_body, note_safeguarding } = form.data;
    await addEntry(db, byOf(request), found.concern, { kind: 'note', body: note_body, contactHow: null, safeguarding: note_safeguarding }, ctx());
    if (note_safeguarding) deps.pokeOutbox();
    return reply.redirect(back(found.concern.id, note_safeguarding ? 'safeguarding' : 'note'), 303);
  });

  app.post('/concerns/:concernId/entries/:entryId/safeguarding', { config: { policy: loggers } }, async (request, reply) => {
    const found = await opened(request);
    const { entryId } = request.params as { entryId: string };
    const marked = await markEntrySafeguarding(db, byOf(request), found.concern.id, entryId, ctx());
    if (marked === 'missing') throw notFound();
    if (marked === 'marked') deps.pokeOutbox();
    return reply.redirect(back(found.concern.id, 'safeguarding'), 303);
  });

  app.post('/concerns/:concernId/close', { config: { policy: loggers } }, async (request, reply) => {
    const found = await opened(request);
    if (!found.mayWork) throw notFound();
    const form = parseForm(CloseForm, request.body);
    if (!form.ok) return renderConcern(db, request, reply, found, clock(), { ...form, form: 'close' });
    const closed = await closeConcern(db, byOf(request), found.concern, form.data, ctx());
    if (!closed.ok) return renderConcern(db, request, reply, found, clock(), again(request, 'close', { [closed.field]: closed.message }));
    deps.pokeOutbox();
    return reply.redirect(back(found.concern.id, 'closed'), 303);
  });

  app.post('/concerns/:concernId/complaint', { config: { policy: triagers } }, async (request, reply) => {
    const found = await opened(request);
    const form = parseForm(EscalateForm, request.body);
    if (!form.ok) return renderConcern(db, request, reply, found, clock(), { ...form, form: 'complaint' });
    const made = await escalateConcern(db, { kind: 'staff', staffId: byOf(request).staffId, ip: request.ip }, found.concern, form.data, ctx());
    if (!made.ok) return renderConcern(db, request, reply, found, clock(), again(request, 'complaint', { [made.field]: made.message }));
    deps.pokeOutbox();
    return reply.redirect(back(found.concern.id, 'complaint'), 303);
  });

  // Logging a concern for a family: the pupil in the address is checked against the person's reach (guard.ts).
  async function logPage(request: FastifyRequest, extra: PageExtra = {}) {
    const user = request.user as StaffUser;
    const { pupilId } = request.params as { pupilId: string };
    const [pupil, carers] = await Promise.all([pupilOf(db, user.schoolId, pupilId), carersOfPupil(db, user.schoolId, pupilId, request.scope.today)]);
    return {
      title: 'Log a concern for a family',
      backLink: `/pupils/${pupilId}`,
      pupil: { ...pupil, name: fullName(pupil) },
      carers,
      received: Object.entries(RECEIVED_LABELS).filter(([k]) => k !== 'portal'),
      contactBy: Object.entries(CONTACT_BY_LABELS),
      errors: extra.errors,
      values: extra.values ?? {},
    };
  }

  app.get('/pupils/:pupilId/concerns/new', { config: { policy: loggers } }, async (request, reply) => reply.page(`${V}/log.njk`, await logPage(request)));

  app.post('/pupils/:pupilId/concerns', { config: { policy: loggers } }, async (request, reply) => {
    const user = request.user as StaffUser;
    const { pupilId } = request.params as { pupilId: string };
    const form = parseForm(StaffConcernForm, request.body);
    if (!form.ok) return reply.code(400).page(`${V}/log.njk`, await logPage(request, form));
    const d = form.data;
    const raised = await raiseConcern(
      db,
      { kind: 'staff', staffId: user.id, ip: request.ip },
      {
        schoolId: user.schoolId,
        pupilId,
        carerId: d.carer,
        receivedVia: d.received_via,
        contactBy: d.contact_by,
        whatHappened: d.what_happened,
        wouldLike: d.would_like,
        safeguarding: d.safeguarding,
      },
      ctx(),
    );
    if (!raised.ok) return reply.code(400).page(`${V}/log.njk`, await logPage(request, { errors: { [raised.field]: raised.message }, values: request.body as Record<string, unknown> }));
    deps.pokeOutbox();
    // The person who logged it may open it (mayOpenConcern), and sees it was acknowledged.
    return reply.redirect(back(raised.id, `logged-${raised.told}`), 303);
  });
}

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { FeatureDeps } from '../../platform/deps.ts';
import { signedIn, staff } from '../../platform/access/policy.ts';
import { hasAnyRole } from '../../platform/access/roles.ts';
import type { Actor } from '../../platform/audit/audit.ts';
import { allDayCalendarFile } from '../../platform/calendar/ics.ts';
import { dateIn } from '../../platform/i18n/dates.ts';
import { notFound } from '../../platform/errors.ts';
import { parseForm, type FieldErrors } from '../../platform/web/forms.ts';
import { addClosure, addTerm, changeClosure, changeTerm, removeTermDate, termDatesOf } from './queries.ts';
import { ClosureForm, dateRange, stillToCome, TERM_DATE_KEEPERS, TermForm, termsRunningOut } from './term-dates.ts';

const V = 'features/term-dates/views';
const keepers = staff(TERM_DATE_KEEPERS);
const DONE: Record<string, string> = {
  term: 'The term has been added.',
  closure: 'The closure has been added. Families see it on their term dates page.',
  removed: 'It has been removed.',
  'term-changed': 'The term has been changed.',
  'closure-changed': 'The closure has been changed. Families see the new dates on their term dates page.',
};

/**
 * Term dates: everyone signed in reads them (`/term-dates`, in a carer's language, and as a calendar
 * file); the head, senior leaders and the office keep them (`/settings/term-dates`).
 */
export function termDateRoutes(app: FastifyInstance, deps: FeatureDeps): void {
  const { db, clock } = deps;
  const actorOf = (request: FastifyRequest): Actor & { kind: 'staff' } => ({ kind: 'staff', id: request.user!.id, schoolId: request.user!.schoolId, ip: request.ip });

  app.get('/term-dates', { config: { policy: signedIn } }, async (request, reply) => {
    const { terms, closures } = await termDatesOf(db, request.user!.schoolId);
    const today = request.scope.today;
    const code = request.text.code;
    const range = (r: { starts_on: string; ends_on: string }) =>
      r.starts_on === r.ends_on ? dateIn(code, r.starts_on) : request.text('termDates.range', { from: dateIn(code, r.starts_on), to: dateIn(code, r.ends_on) });
    return reply.page(`${V}/term-dates.njk`, {
      title: request.text('termDates.title'),
      terms: stillToCome(terms, today).map((t) => ({ ...t, when: range(t) })),
      closures: stillToCome(closures, today).map((c) => ({ ...c, when: range(c) })),
      mayChange: hasAnyRole(request.user, TERM_DATE_KEEPERS),
    });
  });

  app.get('/term-dates/calendar.ics', { config: { policy: signedIn } }, async (request, reply) => {
    const { terms, closures } = await termDatesOf(db, request.user!.schoolId);
    const today = request.scope.today;
    const file = allDayCalendarFile([
      ...stillToCome(terms, today).map((t) => ({ uid: `term-${t.id}`, title: t.name, firstDay: t.starts_on, lastDay: t.ends_on })),
      ...stillToCome(closures, today).map((c) => ({ uid: `closure-${c.id}`, title: `${request.text('termDates.closedEvent')}: ${c.reason}`, firstDay: c.starts_on, lastDay: c.ends_on })),
    ]);
    return reply.type('text/calendar; charset=utf-8').header('Content-Disposition', 'attachment; filename="term-dates.ics"').send(file);
  });

  async function settingsPage(request: FastifyRequest, reply: FastifyReply, extra: { errors?: FieldErrors; values?: Record<string, unknown> } = {}) {
    const { terms, closures } = await termDatesOf(db, request.user!.schoolId);
    const today = request.scope.today;
    const runningOut = termsRunningOut(terms, today);
    return reply.code(extra.errors ? 400 : 200).page(`${V}/settings.njk`, {
      title: 'Term dates',
      terms: terms.map((t) => ({ ...t, when: dateRange(t.starts_on, t.ends_on), past: t.ends_on < today })),
      closures: closures.map((c) => ({ ...c, when: dateRange(c.starts_on, c.ends_on), past: c.ends_on < today })),
      runningOut: runningOut === null ? null : terms.length === 0 ? 'none' : dateRange(runningOut, runningOut),
      done: DONE[(request.query as { done?: string }).done ?? ''],
      values: extra.values ?? {},
      errors: extra.errors,
    });
  }

  app.get('/settings/term-dates', { config: { policy: keepers } }, async (request, reply) => settingsPage(request, reply));

  app.post('/settings/term-dates/terms', { config: { policy: keepers } }, async (request, reply) => {
    const form = parseForm(TermForm, request.body);
    if (!form.ok) return settingsPage(request, reply, { errors: form.errors, values: form.values });
    const added = await addTerm(db, actorOf(request), form.data, clock());
    if (!added.ok) return settingsPage(request, reply, { errors: added.errors, values: request.body as Record<string, unknown> });
    return reply.redirect('/settings/term-dates?done=term', 303);
  });

  app.post('/settings/term-dates/closures', { config: { policy: keepers } }, async (request, reply) => {
    const form = parseForm(ClosureForm, request.body);
    if (!form.ok) return settingsPage(request, reply, { errors: form.errors, values: form.values });
    const closure = { reason: form.data.reason, starts_on: form.data.closed_from, ends_on: form.data.closed_to ?? form.data.closed_from };
    const added = await addClosure(db, actorOf(request), closure, clock());
    if (!added.ok) return settingsPage(request, reply, { errors: added.errors, values: request.body as Record<string, unknown> });
    return reply.redirect('/settings/term-dates?done=closure', 303);
  });

  app.post('/settings/term-dates/terms/:schoolTermId/remove', { config: { policy: keepers } }, async (request, reply) => {
    await removeTermDate(db, actorOf(request), 'school_terms', (request.params as { schoolTermId: string }).schoolTermId, clock());
    return reply.redirect('/settings/term-dates?done=removed', 303);
  });

  app.post('/settings/term-dates/closures/:schoolClosureId/remove', { config: { policy: keepers } }, async (request, reply) => {
    await removeTermDate(db, actorOf(request), 'school_closures', (request.params as { schoolClosureId: string }).schoolClosureId, clock());
    return reply.redirect('/settings/term-dates?done=removed', 303);
  });

  // Changing a term or a closure: the form starts from what is saved; a refusal keeps what was typed.
  type Values = Record<string, unknown>;
  const termId = (request: FastifyRequest) => (request.params as { schoolTermId: string }).schoolTermId;
  const closureId = (request: FastifyRequest) => (request.params as { schoolClosureId: string }).schoolClosureId;

  async function changeTermPage(request: FastifyRequest, reply: FastifyReply, extra: { errors?: FieldErrors; values?: Values } = {}) {
    const term = (await termDatesOf(db, request.user!.schoolId)).terms.find((t) => t.id === termId(request));
    if (!term) throw notFound();
    return reply.code(extra.errors ? 400 : 200).page(`${V}/change-term.njk`, {
      title: `Change ${term.name}`,
      term: { ...term, when: dateRange(term.starts_on, term.ends_on) },
      values: extra.values ?? { name: term.name, starts_on: term.starts_on, ends_on: term.ends_on },
      errors: extra.errors,
    });
  }

  async function changeClosurePage(request: FastifyRequest, reply: FastifyReply, extra: { errors?: FieldErrors; values?: Values } = {}) {
    const closure = (await termDatesOf(db, request.user!.schoolId)).closures.find((c) => c.id === closureId(request));
    if (!closure) throw notFound();
    return reply.code(extra.errors ? 400 : 200).page(`${V}/change-closure.njk`, {
      title: `Change the closure: ${closure.reason}`,
      closure: { ...closure, when: dateRange(closure.starts_on, closure.ends_on) },
      values: extra.values ?? { reason: closure.reason, closed_from: closure.starts_on, closed_to: closure.ends_on === closure.starts_on ? '' : closure.ends_on },
      errors: extra.errors,
    });
  }

  app.get('/settings/term-dates/terms/:schoolTermId/change', { config: { policy: keepers } }, async (request, reply) => changeTermPage(request, reply));

  app.post('/settings/term-dates/terms/:schoolTermId/change', { config: { policy: keepers } }, async (request, reply) => {
    const form = parseForm(TermForm, request.body);
    if (!form.ok) return changeTermPage(request, reply, { errors: form.errors, values: form.values });
    const changed = await changeTerm(db, actorOf(request), termId(request), form.data, clock());
    if (!changed.ok && 'missing' in changed) throw notFound();
    if (!changed.ok) return changeTermPage(request, reply, { errors: changed.errors, values: request.body as Values });
    return reply.redirect('/settings/term-dates?done=term-changed', 303);
  });

  app.get('/settings/term-dates/closures/:schoolClosureId/change', { config: { policy: keepers } }, async (request, reply) => changeClosurePage(request, reply));

  app.post('/settings/term-dates/closures/:schoolClosureId/change', { config: { policy: keepers } }, async (request, reply) => {
    const form = parseForm(ClosureForm, request.body);
    if (!form.ok) return changeClosurePage(request, reply, { errors: form.errors, values: form.values });
    const closure = { reason: form.data.reason, starts_on: form.data.closed_from, ends_on: form.data.closed_to ?? form.data.closed_from };
    const changed = await changeClosure(db, actorOf(request), closureId(request), closure, clock());
    if (!changed.ok && 'missing' in changed) throw notFound();
    if (!changed.ok) return changeClosurePage(request, reply, { errors: changed.errors, values: request.body as Values });
    return reply.redirect('/settings/term-dates?done=closure-changed', 303);
  });
}

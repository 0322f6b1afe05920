import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { FeatureDeps } from '../../platform/deps.ts';
import type { StaffRole } from '../../db/schema.ts';
import { staff } from '../../platform/access/policy.ts';
import { hasAnyRole, type StaffUser } from '../../platform/access/roles.ts';
import type { Actor } from '../../platform/audit/audit.ts';
import { formatInstant } from '../../platform/calendar/time.ts';
import { notFound } from '../../platform/errors.ts';
import { parseForm, type FieldErrors } from '../../platform/web/forms.ts';
import { classesOfSchool, YEAR_GROUP_LABELS, YEAR_GROUPS } from '../people/index.ts';
import { describeAudience } from '../messages/index.ts';
import { GROUP_MINIMUM } from '../surveys/index.ts';
import { comingAndPast, EVENT_KIND_LABELS, EventForm, firstTimes, groupBreakdown, hideSmallGroups, neverCame, readSessions, SESSION_SLOTS, ticked } from './event.ts';
import { eventChangeRoutes } from './change-routes.ts';
import { carersOnForm, filterRegister, isFiltered, noneFound, readRegisterFilter, REGISTER_SHOWS, registerUrl } from './register.ts';
import { createEvent, markRegister, publishEvent, sendReminders } from './commands.ts';
import { staffEventHelpers } from './route-helpers.ts';
import { allAttendance, carerNames, eventsOf, familyFacts, invitationsToPastEvents, inviteesOf, registerOf, sessionById, sessionsOf, type SchoolEvent } from './queries.ts';

const V = 'features/events/views';

/** Who may do what with events (test/access/event-rows.ts says the same, by hand). */
export const EVENT_ROLES = {
  read: ['head', 'senior_leader', 'office', 'family_liaison', 'teacher'],
  manage: ['head', 'senior_leader', 'office', 'family_liaison'],
  register: ['head', 'senior_leader', 'office', 'family_liaison', 'teacher'],
} as const satisfies Record<string, readonly StaffRole[]>;

const DONE: Record<string, string> = {
  created: 'Event saved. Check it, then send it to families.',
  published: 'Event sent to families.',
  reminded: 'Reminders are on their way.',
  register: 'Register saved.',
  changed: 'Changes saved.',
  changedTold: 'Changes saved. Families who answered are being told of the new place or times.',
  cancelled: 'Event cancelled. Families who answered are being told.',
};
type Extra = { errors?: FieldErrors; values?: Record<string, unknown>; status?: number };

function actorOf(request: FastifyRequest): Actor & { kind: 'staff' } {
  const user = request.user as StaffUser;
  return { kind: 'staff', id: user.id, schoolId: user.schoolId, ip: request.ip };
}

export function eventRoutes(app: FastifyInstance, deps: FeatureDeps): void {
  const { db, clock } = deps;
  const { zone, eventHere, sendContext } = staffEventHelpers(deps);
  const when = (request: FastifyRequest) => (s: { starts_at: string; ends_at: string }) =>
    `${formatInstant(s.starts_at, zone(request))} to ${formatInstant(s.ends_at, zone(request)).split(' at ').pop()}`;

  app.get('/events', { config: { policy: staff(EVENT_ROLES.read) } }, async (request, reply) => {
    const user = request.user as StaffUser;
    const { coming, past } = comingAndPast(await eventsOf(db, user.schoolId), clock());
    const shown = (e: (typeof coming)[number]) => ({ ...e, kindLabel: EVENT_KIND_LABELS[e.kind], times: e.sessions.map(when(request)) });
    return reply.page(`${V}/list.njk`, {
      title: 'Events for families',
      coming: coming.map(shown),
      past: past.map(shown),
      mayManage: hasAnyRole(user, EVENT_ROLES.manage),
    });
  });

  async function newPage(request: FastifyRequest, reply: FastifyReply, extra: Extra) {
    const user = request.user as StaffUser;
    const [classes, groups] = await Promise.all([
      classesOfSchool(db, user.schoolId),
      db.selectFrom('carer_groups').select(['id', 'name']).where('school_id', '=', user.schoolId).orderBy('name').execute(),
    ]);
    return reply.code(extra.status ?? 200).page(`${V}/new.njk`, {
      title: 'New event',
      backLink: '/events',
      kinds: Object.entries(EVENT_KIND_LABELS).map(([value, text]) => ({ value, text })),
      years: YEAR_GROUPS.map((y) => ({ value: y, text: YEAR_GROUP_LABELS[y] })),
      classes,
      groups,
      slots: Array.from({ length: SESSION_SLOTS }, (_, i) => i + 1),
      errors: extra.errors,
      values: extra.values ?? { audience_kind: 'school' },
    });
  }

  app.get('/events/new', { config: { policy: staff(EVENT_ROLES.manage) } }, async (request, reply) => newPage(request, reply, {}));

  app.post('/events', { config: { policy: staff(EVENT_ROLES.manage) } }, async (request, reply) => {
    const body = (request.body ?? {}) as Record<string, unknown>;
    const form = parseForm(EventForm, body);
    const sessions = readSessions(body, zone(request));
    const values = { ...body, years: [body.years ?? []].flat(), class_ids: [body.class_ids ?? []].flat() };
    if (!form.ok || Object.keys(sessions.errors).length) return newPage(request, reply, { errors: { ...(form.ok ? {} : form.errors), ...sessions.errors }, values, status: 400 });
    const id = await createEvent(db, actorOf(request), form.data, sessions.sessions, clock());
    return reply.redirect(`/events/${id}?done=created`, 303);
  });

  async function eventPage(request: FastifyRequest, reply: FastifyReply, extra: Extra = {}) {
    const user = request.user as StaffUser;
    const event = await eventHere(request);
    const [sessions, invitees, attendance, classes, groups] = await Promise.all([
      sessionsOf(db, user.schoolId, [event.id]),
      inviteesOf(db, user.schoolId, event.id),
      allAttendance(db, user.schoolId),
      classesOfSchool(db, user.schoolId),
      db.selectFrom('carer_groups').select(['id', 'name']).where('school_id', '=', user.schoolId).execute(),
    ]);
    const sessionIds = new Set(sessions.map((s) => s.id));
    const firsts = firstTimes(attendance);
    const here = attendance.filter((a) => sessionIds.has(a.sessionId));
    const came = new Set(here.map((a) => a.carerId));
    const firstHere = new Set(here.filter((a) => firsts.has(`${a.sessionId}:${a.carerId}`)).map((a) => a.carerId));
    const saidYes = new Set(invitees.filter((i) => i.answer === 'yes').map((i) => i.carerId));
    const breakdown = hideSmallGroups(groupBreakdown(await familyFacts(db, user.schoolId, invitees), saidYes, came, firstHere));
    // A session not held yet has nobody who came: it shows who is expected (said yes), not "Came 0".
    const nowIso = clock().toISOString();
    const held = (s: { starts_at: string }) => s.starts_at <= nowIso;
    const { done } = request.query as { done?: string };
    return reply.code(extra.status ?? 200).page(`${V}/event.njk`, {
      title: event.title,
      backLink: '/events',
      event,
      kindLabel: EVENT_KIND_LABELS[event.kind],
      audience: describeAudience(event.audience, { classes: new Map(classes.map((c) => [c.id, c.name])), groups: new Map(groups.map((g) => [g.id, g.name])), pupils: new Map() }),
      sessions: sessions.map((s) => ({
        ...s,
        when: when(request)(s),
        yes: invitees.filter((i) => i.answer === 'yes' && i.sessionId === s.id).length,
        people: invitees.filter((i) => i.answer === 'yes' && i.sessionId === s.id).reduce((n, i) => n + (i.attending ?? 0), 0),
        held: held(s),
        came: here.filter((a) => a.sessionId === s.id).length,
        firstTime: here.filter((a) => a.sessionId === s.id && firsts.has(`${a.sessionId}:${a.carerId}`)).length,
      })),
      invited: invitees.length,
      said: { yes: saidYes.size, no: invitees.filter((i) => i.answer === 'no').length, waiting: invitees.filter((i) => !i.answer).length },
      breakdown,
      anyHeld: sessions.some(held),
      groupMinimum: GROUP_MINIMUM,
      may: { manage: hasAnyRole(user, EVENT_ROLES.manage), register: hasAnyRole(user, EVENT_ROLES.register) },
      done: DONE[done ?? ''],
      errors: extra.errors,
    });
  }

  app.get('/events/:schoolEventId', { config: { policy: staff(EVENT_ROLES.read) } }, async (request, reply) => eventPage(request, reply));

  app.post('/events/:schoolEventId/publish', { config: { policy: staff(EVENT_ROLES.manage) } }, async (request, reply) => {
    const event = await eventHere(request);
    if (event.status !== 'draft') return reply.redirect(`/events/${event.id}`, 303);
    const sent = await publishEvent(db, actorOf(request), event, sendContext(request));
    if (!sent.ok) return eventPage(request, reply, { errors: { publish: sent.message }, status: 400 });
    deps.pokeOutbox();
    return reply.redirect(`/events/${event.id}?done=published`, 303);
  });

  app.post('/events/:schoolEventId/reminders', { config: { policy: staff(EVENT_ROLES.manage) } }, async (request, reply) => {
    const event = await eventHere(request);
    if (event.status !== 'published') return reply.redirect(`/events/${event.id}`, 303);
    await sendReminders(db, actorOf(request), event, sendContext(request));
    deps.pokeOutbox();
    return reply.redirect(`/events/${event.id}?done=reminded`, 303);
  });

  async function sessionHere(request: FastifyRequest, event: SchoolEvent) {
    const session = await sessionById(db, event.school_id, (request.params as { eventSessionId: string }).eventSessionId);
    if (!session || session.event_id !== event.id) throw notFound();
    return session;
  }

  /** The register lists everyone the event was sent to: those who said yes to this session first. */
  async function registerRows(event: SchoolEvent, sessionId: string) {
    const [invitees, marks, attendance] = await Promise.all([inviteesOf(db, event.school_id, event.id), registerOf(db, event.school_id, sessionId), allAttendance(db, event.school_id)]);
    const ticks = new Map(marks.map((m) => [m.carer_id, m.attended === 1]));
    const firsts = firstTimes(attendance);
    const everCame = new Set(attendance.map((a) => a.carerId));
    return invitees
      .map((i) => ({
        carerId: i.carerId,
        name: i.name,
        saidYes: i.answer === 'yes' && i.sessionId === sessionId,
        attending: i.answer === 'yes' && i.sessionId === sessionId ? i.attending : null,
        came: ticks.get(i.carerId) ?? false,
        firstTime: firsts.has(`${sessionId}:${i.carerId}`) || !everCame.has(i.carerId),
      }))
      .sort((a, b) => Number(b.saidYes) - Number(a.saidYes) || a.name.localeCompare(b.name));
  }

  // At the door: a name search and "who to show" (register.ts), a GET form that keeps what was typed.
  app.get('/events/:schoolEventId/sessions/:eventSessionId/register', { config: { policy: staff(EVENT_ROLES.register) } }, async (request, reply) => {
    const event = await eventHere(request);
    const session = await sessionHere(request, event);
    const { done, q, who } = request.query as { done?: string; q?: string; who?: string };
    const filter = readRegisterFilter({ q, who });
    const all = await registerRows(event, session.id);
    const url = `/events/${event.id}/sessions/${session.id}/register`;
    return reply.page(`${V}/register.njk`, {
      title: `Register: ${event.title}`,
      backLink: `/events/${event.id}`,
      event,
      session: { ...session, when: when(request)(session) },
      url,
      rows: filterRegister(all, filter),
      total: all.length,
      ticked: all.filter((r) => r.came).length,
      filter,
      filtered: isFiltered(filter),
      noneFound: noneFound(filter),
      shows: Object.entries(REGISTER_SHOWS).map(([value, text]) => ({ value, text, checked: value === filter.who })),
      done: DONE[done ?? ''],
    });
  });

  app.post('/events/:schoolEventId/sessions/:eventSessionId/register', { config: { policy: staff(EVENT_ROLES.register) } }, async (request, reply) => {
    const event = await eventHere(request);
    const session = await sessionHere(request, event);
    const body = (request.body ?? {}) as Record<string, unknown>;
    // Only the families on the form that was saved: a filtered form leaves the others as they were.
    const listed = carersOnForm(
      body,
      (await inviteesOf(db, event.school_id, event.id)).map((i) => i.carerId),
    );
    await markRegister(db, actorOf(request), session, listed, ticked(body, new Set(listed)), clock());
    const back = readRegisterFilter({ q: body.q, who: body.who });
    return reply.redirect(registerUrl(`/events/${event.id}/sessions/${session.id}/register`, back, { done: 'register' }), 303);
  });

  // "Who never comes?": families asked to events that have happened who came to none, and attendance by group over all of them.
  app.get('/events/attendance', { config: { policy: staff(EVENT_ROLES.manage) } }, async (request, reply) => {
    const user = request.user as StaffUser;
    const [invitedTo, attendance] = await Promise.all([invitationsToPastEvents(db, user.schoolId, clock().toISOString()), allAttendance(db, user.schoolId)]);
    const everCame = new Set(attendance.map((a) => a.carerId));
    const never = neverCame(invitedTo, everCame);
    const names = await carerNames(db, user.schoolId, [...invitedTo.keys()]);
    const invitees = await db
      .selectFrom('event_invitees')
      .select(['carer_id', 'pupil_ids_json'])
      .where('school_id', '=', user.schoolId)
      .where('carer_id', 'in', [...invitedTo.keys(), ''])
      .execute();
    const pupilsOf = new Map<string, Set<string>>();
    for (const i of invitees) for (const p of JSON.parse(i.pupil_ids_json) as string[]) pupilsOf.set(i.carer_id, (pupilsOf.get(i.carer_id) ?? new Set()).add(p));
    const facts = await familyFacts(
      db,
      user.schoolId,
      [...invitedTo.keys()].map((id) => ({ carerId: id, language: names.get(id)?.language ?? 'English', pupilIds: [...(pupilsOf.get(id) ?? [])] })),
    );
    const firsts = new Set(attendance.map((a) => a.carerId));
    return reply.page(`${V}/attendance.njk`, {
      title: 'Who comes to events',
      backLink: '/events',
      breakdown: hideSmallGroups(groupBreakdown(facts, new Set(), everCame, firsts)),
      groupMinimum: GROUP_MINIMUM,
      never: never.map((n) => ({ ...n, name: names.get(n.carerId)?.name ?? 'A carer', language: names.get(n.carerId)?.language ?? '' })),
    });
  });

  eventChangeRoutes(app, deps);
}

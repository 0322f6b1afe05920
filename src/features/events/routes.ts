import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { FeatureDeps } from '../../platform/deps.ts';
import { staff } from '../../platform/access/policy.ts';
import { hasAnyRole, type StaffUser } from '../../platform/access/roles.ts';
import { parseForm, type FieldErrors } from '../../platform/web/forms.ts';
import { classesOfSchool, YEAR_GROUP_LABELS, YEAR_GROUPS } from '../people/index.ts';
import { describeAudience } from '../messages/index.ts';
import { GROUP_MINIMUM } from '../surveys/index.ts';
import { comingAndPast, EVENT_KIND_LABELS, EventForm, firstTimes, groupBreakdown, hideSmallGroups, neverCame, readSessions, SESSION_SLOTS } from './event.ts';
import { eventChangeRoutes } from './change-routes.ts';
import { eventRegisterRoutes } from './register-routes.ts';
import { createEvent, publishEvent, sendReminders } from './commands.ts';
import { actorOf, EVENT_ROLES, staffEventHelpers } from './route-helpers.ts';
import { allAttendance, carerNames, eventsOf, familyFacts, invitationsToPastEvents, inviteesOf, sessionsOf } from './queries.ts';

const V = 'features/events/views';

export { EVENT_ROLES };

const DONE: Record<string, string> = {
  created: 'Event saved. Check it, then send it to families.',
  published: 'Event sent to families.',
  reminded: 'Reminders are on their way.',
  changed: 'Changes saved.',
  changedTold: 'Changes saved. Families who answered are being told of the new place or times.',
  cancelled: 'Event cancelled. Families who answered are being told.',
};
type Extra = { errors?: FieldErrors; values?: Record<string, unknown>; status?: number };

export function eventRoutes(app: FastifyInstance, deps: FeatureDeps): void {
  const { db, clock } = deps;
  const { zone, eventHere, sendContext, when } = staffEventHelpers(deps);

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
    // Families who came without being asked (walk-ins added at the door) are in the sessions' counts, not the groups'.
    const asked = new Set(invitees.map((i) => i.carerId));
    const walkIns = [...came].filter((id) => !asked.has(id));
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
      walkIns: { came: walkIns.length, firstTime: walkIns.filter((id) => firstHere.has(id)).length },
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
  eventRegisterRoutes(app, deps);
}

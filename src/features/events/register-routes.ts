import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { FeatureDeps } from '../../platform/deps.ts';
import { staff } from '../../platform/access/policy.ts';
import type { StaffUser } from '../../platform/access/roles.ts';
import { canSeeCarer } from '../../platform/access/scope.ts';
import { localDate } from '../../platform/calendar/time.ts';
import { notFound } from '../../platform/errors.ts';
import { bannedFromPremises } from '../conduct/index.ts';
import { firstTimes, ticked } from './event.ts';
import { carersOnForm, filterRegister, isFiltered, noneFound, readRegisterFilter, REGISTER_SHOWS, registerUrl } from './register.ts';
import { addWalkIn, markRegister } from './commands.ts';
import { doorChildren, familiesFound, walkInFamilies } from './register-queries.ts';
import { actorOf, EVENT_ROLES, staffEventHelpers } from './route-helpers.ts';
import { allAttendance, inviteesOf, registerOf, sessionById, type SchoolEvent } from './queries.ts';

const V = 'features/events/views';
const REGISTER = EVENT_ROLES.register;
/** At most this many of the school's families are offered as walk-ins for one search: more, and the page asks for more of the name. */
export const WALK_IN_LIMIT = 10;

const DONE: Record<string, string> = {
  register: 'Register saved.',
  walkIn: 'Added to the register and ticked as came.',
  walkInFirst: 'Added to the register and ticked as came: their first time at an event.',
};

/**
 * The register at the door (register.ts says how a search and "who to show" work): every family the
 * event was sent to, those who said yes to this session first, and families who came without being
 * asked (walk-ins). Each family shows its children the event is for (a walk-in, all its children), so that "I'm Kuba's mum" finds
 * Marta; a search that fits a family of the school not on the register offers to add them as came.
 */
export function eventRegisterRoutes(app: FastifyInstance, deps: FeatureDeps): void {
  const { db, clock } = deps;
  const { eventHere, when } = staffEventHelpers(deps);

  async function sessionHere(request: FastifyRequest, event: SchoolEvent) {
    const session = await sessionById(db, event.school_id, (request.params as { eventSessionId: string }).eventSessionId);
    if (!session || session.event_id !== event.id) throw notFound();
    return session;
  }

  /** The families on the register: those asked (their children as the invitation named them) and walk-ins. */
  async function onRegister(event: SchoolEvent, sessionId: string) {
    const [invitees, marks] = await Promise.all([inviteesOf(db, event.school_id, event.id), registerOf(db, event.school_id, sessionId)]);
    const asked = new Set(invitees.map((i) => i.carerId));
    const walkIns = await walkInFamilies(
      db,
      event.school_id,
      marks.filter((m) => !asked.has(m.carer_id)).map((m) => m.carer_id),
    );
    return { invitees, marks, walkIns };
  }

  async function registerRows(request: FastifyRequest, event: SchoolEvent, sessionId: string) {
    const [{ invitees, marks, walkIns }, attendance] = await Promise.all([onRegister(event, sessionId), allAttendance(db, event.school_id)]);
    const children = await doorChildren(db, request.user as StaffUser, request.scope, [...invitees, ...walkIns]);
    const ticks = new Map(marks.map((m) => [m.carer_id, m.attended === 1]));
    const firsts = firstTimes(attendance);
    const everCame = new Set(attendance.map((a) => a.carerId));
    const row = (carerId: string, name: string, yes: boolean, attending: number | null, walkIn: boolean) => ({
      carerId,
      name,
      children: children.get(carerId) ?? [],
      saidYes: yes,
      attending: yes ? attending : null,
      walkIn,
      came: ticks.get(carerId) ?? false,
      // Came to this session, their first time at any event; apart from a family not ticked who has never come to one.
      firstTime: (ticks.get(carerId) ?? false) && firsts.has(`${sessionId}:${carerId}`),
      neverCame: !everCame.has(carerId),
    });
    return [...invitees.map((i) => row(i.carerId, i.name, i.answer === 'yes' && i.sessionId === sessionId, i.attending, false)), ...walkIns.map((w) => row(w.carerId, w.name, false, null, true))].sort(
      (a, b) => Number(b.saidYes) - Number(a.saidYes) || a.name.localeCompare(b.name),
    );
  }

  // At the door: a name search (the carer's or a child's) and "who to show", a GET form that keeps what was typed.
  app.get('/events/:schoolEventId/sessions/:eventSessionId/register', { config: { policy: staff(REGISTER) } }, async (request, reply) => {
    const event = await eventHere(request);
    const session = await sessionHere(request, event);
    const { done, q, who } = request.query as { done?: string; q?: string; who?: string };
    const filter = readRegisterFilter({ q, who });
    const all = await registerRows(request, event, session.id);
    const url = `/events/${event.id}/sessions/${session.id}/register`;
    // A family of the school the search fits who is not on the register: offered as a walk-in.
    const found =
      event.status === 'published' ? await familiesFound(db, request.user as StaffUser, request.scope, filter.q, new Set(all.map((r) => r.carerId)), WALK_IN_LIMIT) : { families: [], more: false };
    // Staff at the door must see a ban from the premises (features/conduct) in force on the session's day: a red tag by the name.
    const day = localDate(new Date(session.starts_at), request.school?.time_zone ?? 'Europe/London');
    const banned = await bannedFromPremises(db, event.school_id, [...all.map((r) => r.carerId), ...found.families.map((f) => f.carerId)], day);
    return reply.page(`${V}/register.njk`, {
      title: `Register: ${event.title}`,
      backLink: `/events/${event.id}`,
      event,
      session: { ...session, when: when(request)(session) },
      url,
      rows: filterRegister(all, filter).map((r) => ({ ...r, banned: banned.has(r.carerId) })),
      total: all.length,
      ticked: all.filter((r) => r.came).length,
      filter,
      filtered: isFiltered(filter),
      noneFound: noneFound(filter),
      shows: Object.entries(REGISTER_SHOWS).map(([value, text]) => ({ value, text, checked: value === filter.who })),
      found: { ...found, families: found.families.map((f) => ({ ...f, banned: banned.has(f.carerId) })) },
      done: DONE[done ?? ''],
    });
  });

  app.post('/events/:schoolEventId/sessions/:eventSessionId/register', { config: { policy: staff(REGISTER) } }, async (request, reply) => {
    const event = await eventHere(request);
    const session = await sessionHere(request, event);
    const body = (request.body ?? {}) as Record<string, unknown>;
    // Only the families on the form that was saved: a filtered form leaves the others as they were.
    const { invitees, walkIns } = await onRegister(event, session.id);
    const listed = carersOnForm(
      body,
      [...invitees, ...walkIns].map((i) => i.carerId),
    );
    await markRegister(db, actorOf(request), session, listed, ticked(body, new Set(listed)), clock());
    const back = readRegisterFilter({ q: body.q, who: body.who });
    return reply.redirect(registerUrl(`/events/${event.id}/sessions/${session.id}/register`, back, { done: 'register' }), 303);
  });

  // A walk-in: a family of the school who was not on the register came; ticked as came, audited.
  app.post('/events/:schoolEventId/sessions/:eventSessionId/register/walk-ins/:carerId', { config: { policy: staff(REGISTER) } }, async (request, reply) => {
    const event = await eventHere(request);
    const session = await sessionHere(request, event);
    const { carerId } = request.params as { carerId: string };
    if (!(await canSeeCarer(db, request.user as StaffUser, carerId, request.scope))) throw notFound();
    const body = (request.body ?? {}) as Record<string, unknown>;
    const back = readRegisterFilter({ q: body.q, who: body.who });
    const url = `/events/${event.id}/sessions/${session.id}/register`;
    if (event.status !== 'published') return reply.redirect(registerUrl(url, back), 303);
    const added = await addWalkIn(db, actorOf(request), session, carerId, clock());
    if (!added.added) return reply.redirect(registerUrl(url, back), 303);
    return reply.redirect(registerUrl(url, back, { done: added.firstTime ? 'walkInFirst' : 'walkIn' }), 303);
  });
}

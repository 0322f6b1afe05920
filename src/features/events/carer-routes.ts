import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { FeatureDeps } from '../../platform/deps.ts';
import { carers } from '../../platform/access/policy.ts';
import type { CarerUser } from '../../platform/access/roles.ts';
import { calendarFile } from '../../platform/calendar/ics.ts';
import { notFound } from '../../platform/errors.ts';
import { timeIn, weekdayInstantIn } from '../../platform/i18n/dates.ts';
import type { FieldErrors } from '../../platform/web/forms.ts';
import { localDate } from '../../platform/calendar/time.ts';
import { bannedFromPremises, contactForCarer } from '../conduct/index.ts';
import { childrenOfCarer } from '../people/index.ts';
import { heldAtSchool, MAX_ATTENDING, readRsvp } from './event.ts';
import { answer } from './commands.ts';
import { invitationsOf, type Invitation } from './queries.ts';

const V = 'features/events/views';

/**
 * Events for a carer: those sent to them, while they may still hear about a child the event was for
 * (a restriction made since stops it showing); one answer each — a session and how many are coming,
 * or no — on a plain form that works without JavaScript; a calendar file for the session chosen.
 */
export function carerEventRoutes(app: FastifyInstance, deps: FeatureDeps): void {
  const { db, clock } = deps;
  const zone = (request: FastifyRequest) => request.school?.time_zone ?? 'Europe/London';

  async function mine(request: FastifyRequest): Promise<Invitation[]> {
    const carer = request.user as CarerUser;
    const [all, children] = await Promise.all([invitationsOf(db, carer.schoolId, carer.id), childrenOfCarer(db, carer, request.scope, carer.id)]);
    const mayHear = new Set(children.map((c) => c.id));
    return all.filter((i) => i.pupilIds.some((id) => mayHear.has(id)));
  }

  async function one(request: FastifyRequest): Promise<Invitation> {
    const id = (request.params as { schoolEventId: string }).schoolEventId;
    const found = (await mine(request)).find((i) => i.id === id);
    if (!found) throw notFound();
    return found;
  }

  /**
   * The sessions a carer banned from the premises (features/conduct) may not say yes to: each session
   * of an event held at school on a day their ban is in force; and whom they are told to contact.
   */
  async function barred(request: FastifyRequest, invitation: Invitation): Promise<{ sessions: Set<string>; contact: string | null }> {
    const carer = request.user as CarerUser;
    const none = { sessions: new Set<string>(), contact: null };
    if (!heldAtSchool(invitation.kind)) return none;
    const days = invitation.sessions.map((s) => ({ id: s.id, day: localDate(new Date(s.starts_at), zone(request)) }));
    const sessions = new Set<string>();
    for (const day of new Set(days.map((d) => d.day))) if ((await bannedFromPremises(db, carer.schoolId, [carer.id], day)).has(carer.id)) for (const d of days) if (d.day === day) sessions.add(d.id);
    if (sessions.size === 0) return none;
    return { sessions, contact: await contactForCarer(db, carer.schoolId, carer.id) };
  }

  const sessionText = (request: FastifyRequest, s: { starts_at: string; ends_at: string }) =>
    `${weekdayInstantIn(request.text.code, s.starts_at, zone(request))} – ${timeIn(request.text.code, s.ends_at, zone(request))}`;

  app.get('/my-events', { config: { policy: carers } }, async (request, reply) => {
    const now = clock().toISOString();
    const rows = (await mine(request)).map((i) => ({
      ...i,
      past: i.sessions.every((s) => s.ends_at < now),
      when: i.sessions.map((s) => sessionText(request, s)),
      chosen: i.sessions.find((s) => s.id === i.session_id),
    }));
    return reply.page(`${V}/my-events.njk`, {
      title: request.text('events.mine.title'),
      coming: rows.filter((r) => !r.past),
      past: rows.filter((r) => r.past),
      chosenText: (r: (typeof rows)[number]) => (r.chosen ? sessionText(request, r.chosen) : ''),
    });
  });

  async function page(request: FastifyRequest, invitation: Invitation, extra: { errors?: FieldErrors; values?: Record<string, unknown> } = {}) {
    const now = clock().toISOString();
    const { done } = request.query as { done?: string };
    const ban = await barred(request, invitation);
    const open = invitation.status === 'published' && invitation.sessions.some((s) => s.starts_at > now);
    // Every session is over: the page says so, and offers no calendar link.
    const happened = invitation.status !== 'cancelled' && invitation.sessions.length > 0 && invitation.sessions.every((s) => s.ends_at <= now);
    return {
      happened,
      title: invitation.title,
      backLink: '/my-events',
      invitation,
      open,
      sessions: invitation.sessions.map((s) => ({ id: s.id, text: sessionText(request, s), past: s.starts_at <= now, barred: ban.sessions.has(s.id) })),
      // Banned from the premises on the day of a session: that session is not offered, and the page says why and whom to contact.
      banned: ban.sessions.size > 0,
      banContact: ban.contact,
      chosen: invitation.answer === 'yes' ? invitation.sessions.find((s) => s.id === invitation.session_id) : undefined,
      chosenText:
        invitation.answer === 'yes' && invitation.session_id
          ? sessionText(
              request,
              invitation.sessions.find((s) => s.id === invitation.session_id)!,
            )
          : '',
      max: MAX_ATTENDING,
      done: done === 'answered',
      errors: extra.errors,
      values: extra.values ?? { choice: invitation.answer === 'no' ? 'no' : (invitation.session_id ?? ''), attending: invitation.attending ? String(invitation.attending) : '1' },
    };
  }

  app.get('/my-events/:schoolEventId', { config: { policy: carers } }, async (request, reply) => reply.page(`${V}/my-event.njk`, await page(request, await one(request))));

  app.post('/my-events/:schoolEventId/answer', { config: { policy: carers } }, async (request, reply) => {
    const carer = request.user as CarerUser;
    const invitation = await one(request);
    const body = (request.body ?? {}) as Record<string, unknown>;
    const now = clock().toISOString();
    const upcoming = invitation.sessions.filter((s) => s.starts_at > now).map((s) => s.id);
    const ban = await barred(request, invitation);
    const read = readRsvp(body, upcoming);
    // Refused here, not only hidden: a yes to a session on the premises while the carer is banned from them.
    if (read.ok && read.rsvp.answer === 'yes' && ban.sessions.has(read.rsvp.sessionId))
      return reply.code(400).page(`${V}/my-event.njk`, await page(request, invitation, { errors: { choice: request.text('events.error.banned') }, values: body }));
    if (!read.ok) {
      const errors = { [read.field]: request.text(read.problem === 'choice' ? 'events.error.choice' : 'events.error.attending', { max: MAX_ATTENDING }) };
      return reply.code(400).page(`${V}/my-event.njk`, await page(request, invitation, { errors, values: body }));
    }
    const saved = invitation.status === 'published' && (await answer(db, { kind: 'carer', id: carer.id, schoolId: carer.schoolId, ip: request.ip }, invitation.id, read.rsvp, clock()));
    if (!saved) return reply.code(400).page(`${V}/my-event.njk`, await page(request, invitation, { errors: { choice: request.text('events.error.closed') }, values: body }));
    return reply.redirect(`/my-events/${invitation.id}?done=answered`, 303);
  });

  app.get('/my-events/:schoolEventId/calendar.ics', { config: { policy: carers } }, async (request, reply) => {
    const invitation = await one(request);
    const chosen = invitation.answer === 'yes' ? invitation.sessions.filter((s) => s.id === invitation.session_id) : invitation.sessions;
    const file = calendarFile(
      chosen.map((s) => ({
        uid: `event-${s.id}`,
        title: invitation.title,
        description: invitation.description,
        location: invitation.place,
        starts: s.starts_at,
        ends: s.ends_at,
        cancelled: invitation.status === 'cancelled',
      })),
    );
    return reply.type('text/calendar; charset=utf-8').header('Content-Disposition', 'attachment; filename="event.ics"').send(file);
  });
}

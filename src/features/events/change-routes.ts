import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { DateTime } from 'luxon';
import type { FeatureDeps } from '../../platform/deps.ts';
import { staff } from '../../platform/access/policy.ts';
import type { StaffUser } from '../../platform/access/roles.ts';
import { formatInstant } from '../../platform/calendar/time.ts';
import { parseForm, type FieldErrors } from '../../platform/web/forms.ts';
import { classesOfSchool, YEAR_GROUP_LABELS, YEAR_GROUPS } from '../people/index.ts';
import { EVENT_KIND_LABELS, EventForm, readSessionSlots, SESSION_SLOTS } from './event.ts';
import { cancelEvent, changeEvent } from './changes.ts';
import { staffEventHelpers } from './route-helpers.ts';
import { inviteesOf, sessionsOf, type SchoolEvent } from './queries.ts';

const V = 'features/events/views';
const MANAGE = ['head', 'senior_leader', 'office', 'family_liaison'] as const;

/**
 * Changing and cancelling an event (staff who manage events). The change form is the new-event form
 * filled in; a sent event keeps its audience. Cancelling asks to confirm on a page of its own.
 */
export function eventChangeRoutes(app: FastifyInstance, deps: FeatureDeps): void {
  const { db } = deps;
  const { zone, eventHere, sendContext } = staffEventHelpers(deps);

  /** The form as it stands: the session times in the school's zone, as a person would type them. */
  async function valuesOf(request: FastifyRequest, event: SchoolEvent): Promise<Record<string, unknown>> {
    const sessions = await sessionsOf(db, event.school_id, [event.id]);
    const local = (at: string) => DateTime.fromISO(at, { zone: zone(request) });
    const values: Record<string, unknown> = { kind: event.kind, title: event.title, description: event.description, place: event.place, audience_kind: event.audience.kind };
    const a = event.audience as { kind: string; years?: string[]; classIds?: string[]; groupId?: string };
    values.years = a.years ?? [];
    values.class_ids = a.classIds ?? [];
    values.group_id = a.groupId ?? '';
    sessions.forEach((s, i) => {
      values[`session_${i + 1}_date`] = local(s.starts_at).toISODate();
      values[`session_${i + 1}_start`] = local(s.starts_at).toFormat('HH:mm');
      values[`session_${i + 1}_end`] = local(s.ends_at).toFormat('HH:mm');
    });
    return values;
  }

  async function changePage(request: FastifyRequest, reply: FastifyReply, event: SchoolEvent, extra: { errors?: FieldErrors; values?: Record<string, unknown>; status?: number }) {
    const user = request.user as StaffUser;
    const [classes, groups] = await Promise.all([
      classesOfSchool(db, user.schoolId),
      db.selectFrom('carer_groups').select(['id', 'name']).where('school_id', '=', user.schoolId).orderBy('name').execute(),
    ]);
    return reply.code(extra.status ?? 200).page(`${V}/new.njk`, {
      title: `Change: ${event.title}`,
      backLink: `/events/${event.id}`,
      action: `/events/${event.id}/edit`,
      saveText: 'Save the changes',
      audienceFixed: event.status !== 'draft',
      changeHint: event.status === 'published' ? 'Families who have answered are told of a new place or new times, in their own language. Who it is for stays as it was sent.' : undefined,
      kinds: Object.entries(EVENT_KIND_LABELS).map(([value, text]) => ({ value, text })),
      years: YEAR_GROUPS.map((y) => ({ value: y, text: YEAR_GROUP_LABELS[y] })),
      classes,
      groups,
      slots: Array.from({ length: SESSION_SLOTS }, (_, i) => i + 1),
      errors: extra.errors,
      values: extra.values ?? (await valuesOf(request, event)),
    });
  }

  app.get('/events/:schoolEventId/edit', { config: { policy: staff(MANAGE) } }, async (request, reply) => {
    const event = await eventHere(request);
    if (event.status === 'cancelled') return reply.redirect(`/events/${event.id}`, 303);
    return changePage(request, reply, event, {});
  });

  app.post('/events/:schoolEventId/edit', { config: { policy: staff(MANAGE) } }, async (request, reply) => {
    const event = await eventHere(request);
    if (event.status === 'cancelled') return reply.redirect(`/events/${event.id}`, 303);
    const body = (request.body ?? {}) as Record<string, unknown>;
    // A sent event keeps the families it was sent to, whatever the form says.
    const fixed = event.status === 'draft' ? body : { ...body, ...audienceFields(event) };
    const form = parseForm(EventForm, fixed);
    const read = readSessionSlots(body, zone(request));
    const values = { ...fixed, years: [fixed.years ?? []].flat(), class_ids: [fixed.class_ids ?? []].flat() };
    if (!form.ok || Object.keys(read.errors).length) return changePage(request, reply, event, { errors: { ...(form.ok ? {} : form.errors), ...read.errors }, values, status: 400 });
    const user = request.user as StaffUser;
    const saved = await changeEvent(db, { kind: 'staff', id: user.id, schoolId: user.schoolId, ip: request.ip }, event, form.data, read.slots, sendContext(request));
    if (!saved.ok) return changePage(request, reply, event, { errors: saved.errors, values, status: 400 });
    if (saved.told) deps.pokeOutbox();
    return reply.redirect(`/events/${event.id}?done=${saved.told ? 'changedTold' : 'changed'}`, 303);
  });

  app.get('/events/:schoolEventId/cancel', { config: { policy: staff(MANAGE) } }, async (request, reply) => {
    const event = await eventHere(request);
    if (event.status === 'cancelled') return reply.redirect(`/events/${event.id}`, 303);
    const [sessions, invitees] = await Promise.all([sessionsOf(db, event.school_id, [event.id]), inviteesOf(db, event.school_id, event.id)]);
    return reply.page(`${V}/cancel.njk`, {
      title: `Cancel ${event.title}?`,
      backLink: `/events/${event.id}`,
      event,
      times: sessions.map((s) => formatInstant(s.starts_at, zone(request))),
      answered: event.status === 'published' ? invitees.filter((i) => i.answer).length : 0,
    });
  });

  app.post('/events/:schoolEventId/cancel', { config: { policy: staff(MANAGE) } }, async (request, reply) => {
    const event = await eventHere(request);
    const reason = String((request.body as Record<string, unknown> | undefined)?.reason ?? '')
      .trim()
      .slice(0, 1000);
    const user = request.user as StaffUser;
    const done = await cancelEvent(db, { kind: 'staff', id: user.id, schoolId: user.schoolId, ip: request.ip }, event, reason, sendContext(request));
    if (done.told) deps.pokeOutbox();
    return reply.redirect(`/events/${event.id}${done.ok ? '?done=cancelled' : ''}`, 303);
  });
}

/** The audience fields of the form, as a sent event has them (so the form reads them back unchanged). */
function audienceFields(event: SchoolEvent): Record<string, unknown> {
  const a = event.audience as { kind: string; years?: string[]; classIds?: string[]; groupId?: string };
  return { audience_kind: a.kind, years: a.years ?? [], class_ids: a.classIds ?? [], group_id: a.groupId ?? '' };
}

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { staff } from '../../platform/access/policy.ts';
import { hasAnyRole, type StaffUser } from '../../platform/access/roles.ts';
import type { FeatureDeps } from '../../platform/deps.ts';
import { notFound } from '../../platform/errors.ts';
import { actorOf, eveningFrom, EVENING_LEADERS, EVENING_VIEWERS } from './setup-access.ts';
import type { PageErrors } from '../../platform/web/forms.ts';
import { YEAR_GROUP_LABELS, yearOrder } from '../people/index.ts';
import { scheduleRoutes } from './schedule-routes.ts';
import { eveningStatus, sessionLines, MODE_LABELS, MODES, readPlaces } from './setup.ts';
import { formValuesOf, readEveningForm } from './setup-form.ts';
import { bookedByGroup, familiesNotBooked, notBookedView, teacherCounts } from './setup-overview.ts';
import { eveningNeeds } from './needs-overview.ts';
import { createEvening, publishEvening, setPlaces, updateEvening } from './setup-commands.ts';
import { eveningsTaughtBy, inputOf, listEvenings, setupChoices, type EveningDetail } from './setup-queries.ts';

const V = 'features/evenings/views';
const leaders = staff(EVENING_LEADERS);
const viewers = staff(EVENING_VIEWERS);

/** Parents' evenings: a leader sets one up; staff see the list and an overview; teachers see their schedule. */
export function eveningSetupRoutes(app: FastifyInstance, deps: FeatureDeps): void {
  const { db, clock } = deps;

  async function formPage(request: FastifyRequest, reply: FastifyReply, ctx: { values: Record<string, unknown>; errors?: PageErrors; evening?: EveningDetail }) {
    const user = request.user as StaffUser;
    const choices = await setupChoices(db, user.schoolId);
    const years = [...new Set(choices.classes.map((c) => c.year_group))].sort((a, b) => yearOrder(a) - yearOrder(b));
    const chosen = new Set([ctx.values.class_ids ?? []].flat());
    let first = true;
    const classGroups = years.map((y) => ({
      label: YEAR_GROUP_LABELS[y],
      classes: choices.classes
        .filter((c) => c.year_group === y)
        .map((c) => {
          const id = first ? 'class_ids' : `class_ids-${c.id}`;
          first = false;
          return { id, value: c.id, name: c.name, teachers: c.teacherNames.join(', ') || 'No class teacher', checked: chosen.has(c.id) };
        }),
    }));
    const title = ctx.evening ? `Change ${ctx.evening.evening.name}` : 'Set up a parents’ evening';
    return reply.code(ctx.errors ? 400 : 200).page(`${V}/setup-form.njk`, {
      title,
      action: ctx.evening ? `/evenings/${ctx.evening.evening.id}/edit` : '/evenings/new',
      backLink: ctx.evening ? `/evenings/${ctx.evening.evening.id}` : '/evenings',
      values: ctx.values,
      errors: ctx.errors,
      classGroups,
      teachers: choices.teachers,
      modes: MODES.map((m) => ({ value: m, text: MODE_LABELS[m] })),
      sessions: [1, 2, 3],
      editing: !!ctx.evening,
    });
  }

  app.get('/evenings', { config: { policy: viewers } }, async (request, reply) => {
    const user = request.user as StaffUser;
    const now = clock();
    const mine = await eveningsTaughtBy(db, user.schoolId, user.id);
    const evenings = (await listEvenings(db, user.schoolId)).map((e) => ({ ...e, status: eveningStatus(e, now), mine: mine.has(e.id) }));
    return reply.page(`${V}/evening-list.njk`, { title: 'Parents’ evenings', evenings, leader: hasAnyRole(user, EVENING_LEADERS) });
  });

  app.get('/evenings/new', { config: { policy: leaders } }, async (request, reply) => formPage(request, reply, { values: formValuesOf(null) }));

  app.post('/evenings/new', { config: { policy: leaders } }, async (request, reply) => {
    const user = request.user as StaffUser;
    const form = readEveningForm(request.body, request.school!.time_zone);
    if (!form.ok) return formPage(request, reply, { values: form.values, errors: form.errors });
    const made = await createEvening(db, actorOf(request), user.schoolId, form.data, clock());
    if (!made.ok) return formPage(request, reply, { values: request.body as Record<string, unknown>, errors: made.errors });
    return reply.redirect(`/evenings/${made.id}/rooms?done=created`, 303);
  });

  app.get('/evenings/:eveningId', { config: { policy: viewers } }, async (request, reply) => {
    const user = request.user as StaffUser;
    const detail = await eveningFrom(deps, request);
    const now = clock();
    const counts = await teacherCounts(db, user.schoolId, detail.evening.id, now);
    const teachers = detail.teachers.map((t) => ({ ...t, counts: counts.get(t.staffId) ?? { slots: 0, unavailable: 0, booked: 0, held: 0, free: 0 } }));
    const [waiting, byGroup, needs] = await Promise.all([
      familiesNotBooked(db, user, request.scope, user.schoolId, detail.evening.id),
      bookedByGroup(db, user, request.scope, user.schoolId, detail.evening.id),
      eveningNeeds(db, user, request.scope, user.schoolId, detail.evening.id, request.school!.time_zone),
    ]);
    const query = request.query as { done?: string; q?: unknown; class?: unknown };
    const done = query.done;
    return reply.page(`${V}/evening-overview.njk`, {
      title: detail.evening.name,
      backLink: '/evenings',
      detail,
      sessionLines: sessionLines(detail.sessions),
      modeWords: detail.modes.map((m) => MODE_LABELS[m]).join(', '),
      status: eveningStatus(detail.evening, now),
      teachers,
      notBooked: notBookedView(waiting, query),
      byGroup,
      needs,
      leader: hasAnyRole(user, EVENING_LEADERS),
      teachesHere: detail.teachers.some((t) => t.staffId === user.id),
      done,
    });
  });

  app.get('/evenings/:eveningId/edit', { config: { policy: leaders } }, async (request, reply) => {
    const detail = await eveningFrom(deps, request);
    const choices = await setupChoices(db, detail.evening.school_id);
    // Teachers are shown as chosen only when they differ from the classes' own teachers.
    const derived = new Set(choices.classes.filter((c) => detail.classes.some((d) => d.id === c.id)).flatMap((c) => c.teacherIds));
    const chosen = detail.teachers.length !== derived.size || detail.teachers.some((t) => !derived.has(t.staffId));
    return formPage(request, reply, { values: formValuesOf(inputOf(detail, request.school!.time_zone, chosen)), evening: detail });
  });

  app.post('/evenings/:eveningId/edit', { config: { policy: leaders } }, async (request, reply) => {
    const user = request.user as StaffUser;
    const detail = await eveningFrom(deps, request);
    const form = readEveningForm(request.body, request.school!.time_zone);
    if (!form.ok) return formPage(request, reply, { values: form.values, errors: form.errors, evening: detail });
    const changed = await updateEvening(db, actorOf(request), user.schoolId, detail.evening.id, form.data, clock());
    if (changed === 'missing') throw notFound();
    if (!changed.ok) return formPage(request, reply, { values: request.body as Record<string, unknown>, errors: changed.errors, evening: detail });
    return reply.redirect(`/evenings/${detail.evening.id}?done=changed`, 303);
  });

  async function placesPage(reply: FastifyReply, detail: EveningDetail, ctx: { values?: Record<string, unknown>; errors?: PageErrors; publishing?: boolean; done?: string } = {}) {
    const values: Record<string, unknown> =
      ctx.values ??
      Object.fromEntries(
        detail.teachers.flatMap((t) => [
          [`room_${t.staffId}`, t.room ?? ''],
          [`link_${t.staffId}`, t.videoLink ?? ''],
        ]),
      );
    return reply.code(ctx.errors ? 400 : 200).page(`${V}/setup-rooms.njk`, {
      title: `Rooms${detail.modes.includes('video') ? ' and video links' : ''}: ${detail.evening.name}`,
      backLink: `/evenings/${detail.evening.id}`,
      detail,
      video: detail.modes.includes('video'),
      inPerson: detail.modes.includes('in_person'),
      values,
      errors: ctx.errors,
      publishing: ctx.publishing,
      done: ctx.done,
    });
  }

  app.get('/evenings/:eveningId/rooms', { config: { policy: leaders } }, async (request, reply) => {
    const detail = await eveningFrom(deps, request);
    return placesPage(reply, detail, { done: (request.query as { done?: string }).done });
  });

  app.post('/evenings/:eveningId/rooms', { config: { policy: leaders } }, async (request, reply) => {
    const user = request.user as StaffUser;
    const detail = await eveningFrom(deps, request);
    const body = (request.body ?? {}) as Record<string, unknown>;
    const places = readPlaces(body, detail.teachers, detail.modes.includes('video'));
    if (!places.ok) return placesPage(reply, detail, { values: body, errors: places.errors });
    await setPlaces(db, actorOf(request), user.schoolId, detail.evening.id, places.value, clock());
    return reply.redirect(`/evenings/${detail.evening.id}?done=rooms`, 303);
  });

  app.post('/evenings/:eveningId/publish', { config: { policy: leaders } }, async (request, reply) => {
    const user = request.user as StaffUser;
    const detail = await eveningFrom(deps, request);
    const published = await publishEvening(db, actorOf(request), user.schoolId, detail.evening.id, clock());
    if (published === 'missing') throw notFound();
    if (!published.ok) return placesPage(reply, detail, { errors: published.errors, publishing: true });
    return reply.redirect(`/evenings/${detail.evening.id}?done=${published.already ? 'already' : 'published'}`, 303);
  });

  scheduleRoutes(app, deps);
}

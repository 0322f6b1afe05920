import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { FeatureDeps } from '../../platform/deps.ts';
import { carers, type Policy } from '../../platform/access/policy.ts';
import { notFound } from '../../platform/errors.ts';
import { parseForm, type PageErrors } from '../../platform/web/forms.ts';
import { dayOf, slotWords, timeOf, upperFirst } from './booking.ts';
import { appointmentToMove, changeTime, timesToMoveTo, whyNotNow, type Moving } from './booking-change.ts';
import { whereWords } from './booking-emails.ts';
import { carerContext, inWords } from './booking-form.ts';
import type { BookingContext } from './booking-context.ts';
import { sessionsOf } from './booking-page.ts';

const V = 'features/evenings/views';
// The message is a catalog key, said in the carer's words (inWords).
const ChangeForm = z.object({ slot: z.string({ error: 'evenings.change.choose' }).trim().min(1, 'evenings.change.choose').max(64, 'evenings.change.choose') });

/** Who is changing the time, and where: the carer themselves, or staff on the carer's behalf (booking-staff-routes.ts). */
export type ChangeRoute = {
  /** The route, with :eveningId and :bookingId (and :carerId for staff). */
  path: string;
  policy: Policy;
  /** The booking context, or null when there is no such carer in the school (404). */
  context: (request: FastifyRequest) => Promise<BookingContext | null>;
  /** The booking page this change belongs to: the page's links and the redirect after the move go there. */
  home: (ctx: BookingContext) => string;
  /** Staff see whose appointment it is, in English; carers their own, in their words. */
  staffMode?: (ctx: BookingContext) => Promise<{ carerName: string }>;
};

/**
 * "Change time" for a carer's own appointment: a page of the teacher's free times as radios (no
 * JavaScript needed), the current time shown; the move happens whole or not at all (booking-change.ts).
 */
export function changeTimeRoutes(app: FastifyInstance, deps: FeatureDeps): void {
  changeTimeRoute(app, deps, {
    path: '/parents-evenings/:eveningId/bookings/:bookingId/change',
    policy: carers,
    context: async (request) => carerContext(request, deps),
    home: (ctx) => `/parents-evenings/${ctx.eveningId}`,
  });
}

/** The page and its form, for whoever the route says is changing the time. */
export function changeTimeRoute(app: FastifyInstance, deps: FeatureDeps, route: ChangeRoute): void {
  const { db, pokeOutbox } = deps;

  async function contextOf(request: FastifyRequest): Promise<BookingContext> {
    const ctx = await route.context(request);
    if (!ctx) throw notFound();
    return ctx;
  }

  async function page(request: FastifyRequest, reply: FastifyReply, ctx: BookingContext, extra: { status?: number; errors?: PageErrors; nearest?: string[]; chosen?: string } = {}) {
    const { bookingId } = request.params as { bookingId: string };
    const m = await appointmentToMove(db, ctx, bookingId);
    if (!m) throw notFound();
    const t = request.text;
    const [notNow, free, sessions, staffMode] = await Promise.all([whyNotNow(db, ctx, m), timesToMoveTo(db, ctx, m), sessionsOf(db, ctx.schoolId, ctx.eveningId), route.staffMode?.(ctx)]);
    const manyDays = new Set(sessions.map((s) => s.date)).size > 1;
    const item = (f: { slotId: string; starts: string }) => ({ value: f.slotId, text: slotWords(f.starts, ctx.timeZone, manyDays, t), checked: f.slotId === extra.chosen });
    // After a time was just taken: the nearest free times first, then every other free time.
    const nearest = (extra.nearest ?? []).flatMap((id) => free.filter((f) => f.slotId === id));
    const rest = free.filter((f) => !nearest.includes(f));
    const items = nearest.length > 0 && rest.length > 0 ? [...nearest.map(item), { divider: t('evenings.change.orAnother') }, ...rest.map(item)] : [...nearest, ...rest].map(item);
    const base = route.home(ctx);
    return reply.code(extra.status ?? 200).page(`${V}/book-change.njk`, {
      title: t('evenings.change.title'),
      eveningName: m.evening.name,
      appointment: appointmentWords(m, ctx.timeZone, manyDays, t),
      notNow,
      items,
      gap: m.evening.travel_gap_minutes,
      joined: m.others > 0,
      errors: extra.errors,
      action: `${base}/bookings/${m.booking.id}/change`,
      base,
      bookingId: m.booking.id,
      backLink: base,
      staffMode: !!staffMode,
      carer: staffMode ? { name: staffMode.carerName } : undefined,
    });
  }

  app.get(route.path, { config: { policy: route.policy } }, async (request, reply) => page(request, reply, await contextOf(request)));

  app.post(route.path, { config: { policy: route.policy } }, async (request, reply) => {
    const { bookingId } = request.params as { bookingId: string };
    const ctx = await contextOf(request);
    const form = parseForm(ChangeForm, request.body);
    if (!form.ok) return page(request, reply, ctx, { status: 400, errors: inWords(form.errors, request.text) });
    const result = await changeTime(db, ctx, bookingId, form.data.slot);
    if (result.ok) {
      if (result.changed) pokeOutbox();
      return reply.redirect(`${route.home(ctx)}?done=changed`, 303);
    }
    if (result.status === 404) throw notFound();
    return page(request, reply, ctx, { status: result.status, errors: { slot: result.error }, nearest: result.nearest, chosen: result.nearest ? undefined : form.data.slot });
  });
}

function appointmentWords(m: Moving, timeZone: string, manyDays: boolean, t: FastifyRequest['text']) {
  const b = m.booking;
  return {
    when: `${manyDays ? `${dayOf(b.starts_at, timeZone, t)}, ` : ''}${t('evenings.page.fromTo', { from: timeOf(b.starts_at, timeZone, t), to: timeOf(b.ends_at, timeZone, t) })}`,
    pupilName: m.child.name,
    teacherName: m.teacher.name,
    where: upperFirst(whereWords({ mode: b.mode, room: m.teacher.room, videoLink: m.teacher.videoLink, teacherName: m.teacher.name }, t)),
  };
}

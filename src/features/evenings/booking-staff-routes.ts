import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { FeatureDeps } from '../../platform/deps.ts';
import { staff } from '../../platform/access/policy.ts';
import type { StaffUser } from '../../platform/access/roles.ts';
import { notFound } from '../../platform/errors.ts';
import { parseForm, text, type FieldErrors, type PageErrors } from '../../platform/web/forms.ts';
import { formatInstant } from '../../platform/calendar/time.ts';
import { timeOf, upperFirst } from './booking.ts';
import { bookAppointments } from './booking-commands.ts';
import { appointmentForStaff, cancelByStaff, CANCEL_ANY } from './booking-cancel.ts';
import { whereWords } from './booking-emails.ts';
import { choicesFrom, eveningIdOf, inWords, staffContext, valuesOf } from './booking-form.ts';
import { bookingPage } from './booking-page.ts';
import { changeTimeRoute } from './booking-change-routes.ts';
import type { Nearest } from './booking-context.ts';
import { carerContact } from './booking-queries.ts';
import { english } from '../../platform/i18n/catalog.ts';
import { NEEDS_MARK } from './needs.ts';
import { needsPart, neededFrom, saveIfAsked } from './needs-page.ts';
import { mayAskAt, saveNeeds } from './needs-queries.ts';

const V = 'features/evenings/views';
/** The office books for a carer who phones in (leaders too). */
const BOOK_FOR = staff(['head', 'senior_leader', 'office']);
/** Leaders and the office cancel any appointment; a teacher their own (checked in appointmentForStaff). */
const CANCELLERS = staff([...CANCEL_ANY, 'teacher']);
const CancelForm = z.object({ reason: text('the reason, for the family', 500) });

/** Once the evening has taken place (needs.ts needsClosed). */
const NEEDS_OVER_STAFF = 'This evening has taken place, so what would help them at it can no longer be changed.';

/** Staff side of booking: booking on a carer's behalf, changing a time for them, and cancelling an appointment with a reason. */
export function bookingStaffRoutes(app: FastifyInstance, deps: FeatureDeps): void {
  const { db, clock, pokeOutbox } = deps;

  async function bookFor(
    request: FastifyRequest,
    reply: FastifyReply,
    extra: { status?: number; errors?: PageErrors; values?: Record<string, unknown>; clear?: string[]; done?: string; nearest?: Nearest } = {},
  ) {
    const { carerId } = request.params as { carerId: string };
    const ctx = staffContext(request, deps, carerId);
    const carer = await carerContact(db, ctx.schoolId, carerId);
    const [page, needs] = carer
      ? await Promise.all([bookingPage(db, { ...ctx, byStaff: true }, { values: extra.values, clear: extra.clear, nearest: extra.nearest }), needsPart(db, ctx, english, extra.values, extra.errors)])
      : [null, null];
    if (!carer || !page || !needs) throw notFound();
    const base = `/evenings/${page.evening.id}/book-for/${carerId}`;
    return reply.code(extra.status ?? 200).page(`${V}/book-evening.njk`, {
      title: `Book for ${carer.name}`,
      page,
      carer,
      needs,
      errors: extra.errors,
      action: base,
      base,
      staffMode: true,
      done: extra.done ?? (request.query as { done?: string }).done,
      backLink: `/evenings/${page.evening.id}`,
    });
  }

  app.get('/evenings/:eveningId/book-for/:carerId', { config: { policy: BOOK_FOR } }, async (request, reply) => bookFor(request, reply));

  app.post('/evenings/:eveningId/book-for/:carerId', { config: { policy: BOOK_FOR } }, async (request, reply) => {
    const { carerId } = request.params as { carerId: string };
    const ctx = staffContext(request, deps, carerId);
    // What would help them at their appointments, as they said on the phone: put right first, saved with what is booked.
    const asked = await neededFrom(db, ctx, request.body);
    if (asked && !asked.ok) return bookFor(request, reply, { status: 400, errors: inWords(asked.errors, english), values: valuesOf(request.body) });
    const result = await bookAppointments(db, asked?.ok ? { ...ctx, needs: asked.needs } : ctx, choicesFrom(request.body));
    if (result.ok || ('booked' in result && result.booked?.length)) await saveIfAsked(db, ctx.actor, ctx, asked, ctx.now);
    if (result.ok) {
      pokeOutbox();
      return reply.redirect(`/evenings/${eveningIdOf(request)}/book-for/${carerId}?done=booked`, 303);
    }
    if (result.status === 404) throw notFound();
    if (result.booked?.length) pokeOutbox();
    return bookFor(request, reply, {
      status: result.status,
      errors: result.errors,
      values: valuesOf(request.body),
      clear: result.clear,
      nearest: result.nearest,
      done: result.booked?.length ? 'partly' : undefined,
    });
  });

  // "Help at their appointments" on its own: the office records (or changes) what the carer said on the phone. Audited, naming them.
  app.post('/evenings/:eveningId/book-for/:carerId/needs', { config: { policy: BOOK_FOR } }, async (request, reply) => {
    const { carerId } = request.params as { carerId: string };
    const ctx = staffContext(request, deps, carerId);
    const may = (await carerContact(db, ctx.schoolId, carerId)) ? await mayAskAt(db, ctx) : 'no';
    if (may === 'no') throw notFound();
    if (may === 'over') return bookFor(request, reply, { status: 409, errors: { needs: NEEDS_OVER_STAFF } });
    const body = { ...valuesOf(request.body), [NEEDS_MARK]: '1' };
    const asked = await neededFrom(db, ctx, body);
    if (!asked?.ok) return bookFor(request, reply, { status: 400, errors: inWords(asked?.errors ?? {}, english), values: body });
    await saveNeeds(db, ctx.actor, ctx, asked.needs, ctx.now);
    return reply.redirect(`/evenings/${ctx.eveningId}/book-for/${carerId}?done=needs#needs`, 303);
  });

  // Changing the time of a carer's appointment for them (the carer phoned): the carers' own "Change time",
  // with the staff booking policy and rules (booking-change.ts), reached from the page above.
  changeTimeRoute(app, deps, {
    path: '/evenings/:eveningId/book-for/:carerId/bookings/:bookingId/change',
    policy: BOOK_FOR,
    context: async (request) => {
      const { carerId } = request.params as { carerId: string };
      const ctx = staffContext(request, deps, carerId);
      const carer = await carerContact(db, ctx.schoolId, carerId);
      return carer ? { ...ctx, carer } : null;
    },
    home: (ctx) => `/evenings/${ctx.eveningId}/book-for/${ctx.carerId}`,
    staffMode: async (ctx) => ({ carerName: ctx.carer!.name }),
  });

  async function cancelPage(request: FastifyRequest, reply: FastifyReply, extra: { status?: number; errors?: FieldErrors; values?: Record<string, unknown> } = {}) {
    const user = request.user as StaffUser;
    const { bookingId } = request.params as { bookingId: string };
    const appointment = await appointmentForStaff(db, { schoolId: user.schoolId, eveningId: eveningIdOf(request), bookingId, user });
    if (!appointment) throw notFound();
    const tz = request.school?.time_zone ?? 'Europe/London';
    return reply.code(extra.status ?? 200).page(`${V}/book-cancel.njk`, {
      title: appointment.cancelled_at ? 'Appointment cancelled' : 'Cancel this appointment',
      appointment,
      when: `${formatInstant(appointment.starts_at, tz)} to ${timeOf(appointment.ends_at, tz)}`,
      where: upperFirst(whereWords({ mode: appointment.mode, room: appointment.room, videoLink: appointment.video_link, teacherName: appointment.teacherName })),
      cancelledAt: formatInstant(appointment.cancelled_at, tz),
      past: Date.parse(appointment.starts_at) <= clock().getTime(),
      errors: extra.errors,
      values: extra.values ?? {},
      backLink: `/evenings/${eveningIdOf(request)}`,
    });
  }

  app.get('/evenings/:eveningId/bookings/:bookingId/cancel', { config: { policy: CANCELLERS } }, async (request, reply) => cancelPage(request, reply));

  app.post('/evenings/:eveningId/bookings/:bookingId/cancel', { config: { policy: CANCELLERS } }, async (request, reply) => {
    const user = request.user as StaffUser;
    const { bookingId } = request.params as { bookingId: string };
    const eveningId = eveningIdOf(request);
    const appointment = await appointmentForStaff(db, { schoolId: user.schoolId, eveningId, bookingId, user });
    if (!appointment) throw notFound();
    const form = parseForm(CancelForm, request.body);
    if (!form.ok) return cancelPage(request, reply, { status: 400, errors: form.errors, values: form.values });
    await cancelByStaff(
      db,
      {
        schoolId: user.schoolId,
        eveningId,
        now: clock(),
        timeZone: request.school?.time_zone ?? 'Europe/London',
        baseUrl: deps.config.baseUrl,
        actor: { kind: 'staff', id: user.id, schoolId: user.schoolId, ip: request.ip },
      },
      appointment,
      form.data.reason,
    );
    pokeOutbox();
    return reply.redirect(`/evenings/${eveningId}/bookings/${bookingId}/cancel`, 303);
  });
}

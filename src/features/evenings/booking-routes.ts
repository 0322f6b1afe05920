import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { FeatureDeps } from '../../platform/deps.ts';
import { carers } from '../../platform/access/policy.ts';
import type { CarerUser } from '../../platform/access/roles.ts';
import { calendarFile } from '../../platform/calendar/ics.ts';
import { notFound } from '../../platform/errors.ts';
import type { PageErrors } from '../../platform/web/forms.ts';
import { parseForm } from '../../platform/web/forms.ts';
import { dayOf, timeOf, windowProblem } from './booking.ts';
import { bookAppointments } from './booking-commands.ts';
import type { Nearest, Seen } from './booking-context.ts';
import { cancelByCarer } from './booking-cancel.ts';
import { whereWords } from './booking-emails.ts';
import { carerContext, choicesFrom, eveningIdOf, inWords, valuesOf } from './booking-form.ts';
import { joinAppointment } from './booking-join.ts';
import { bookingPage } from './booking-page.ts';
import { bookableClassesOf, carerAppointmentsAt, publishedEveningsFor } from './evening-list-queries.ts';
import { bookingStaffRoutes } from './booking-staff-routes.ts';
import { holdRoutes } from './holds-routes.ts';
import { changeTimeRoutes } from './booking-change-routes.ts';
import { joinWaitingList } from './waiting.ts';
import { dateIn } from '../../platform/i18n/dates.ts';
import { NEEDS_MARK } from './needs.ts';
import { needsPart, neededFrom, saveIfAsked } from './needs-page.ts';
import { mayAskAt, saveNeeds } from './needs-queries.ts';

const V = 'features/evenings/views';
// Messages are catalog keys, said in the carer's words (inWords).
const WaitingForm = z.object({
  pupil_id: z.string({ error: 'evenings.error.chooseTeacher' }).trim().min(1, 'evenings.error.chooseTeacher').max(64, 'evenings.error.chooseTeacher'),
  staff_id: z.string({ error: 'evenings.error.chooseTeacher' }).trim().min(1, 'evenings.error.chooseTeacher').max(64, 'evenings.error.chooseTeacher'),
});

/** Parents' evenings: carers book (one flow across siblings, book for me); the office books for a carer who phones. */
export function eveningBookingRoutes(app: FastifyInstance, deps: FeatureDeps): void {
  const { db, clock, pokeOutbox } = deps;

  /** The booking page: every child, every teacher, their appointments; errors and typed values kept. */
  async function evening(
    request: FastifyRequest,
    reply: FastifyReply,
    extra: { status?: number; errors?: PageErrors; values?: Record<string, unknown>; clear?: string[]; seen?: Seen; done?: string; nearest?: Nearest } = {},
  ) {
    const ctx = carerContext(request, deps);
    const [page, needs] = await Promise.all([
      bookingPage(db, { ...ctx, byStaff: false }, { values: extra.values, clear: extra.clear, prompts: true, nearest: extra.nearest }, extra.seen),
      needsPart(db, ctx, request.text, extra.values, extra.errors),
    ]);
    if (!page || !needs) throw notFound();
    const done = extra.done ?? (request.query as { done?: string }).done;
    return reply.code(extra.status ?? 200).page(`${V}/book-evening.njk`, {
      title: page.evening.name,
      page,
      needs,
      supportPrompts: page.supportPrompts,
      errors: extra.errors,
      action: `/parents-evenings/${page.evening.id}`,
      base: `/parents-evenings/${page.evening.id}`,
      staffMode: false,
      done,
      backLink: '/parents-evenings',
    });
  }

  app.get('/parents-evenings', { config: { policy: carers } }, async (request, reply) => {
    const user = request.user as CarerUser;
    const tz = request.school?.time_zone ?? 'Europe/London';
    const classIds = await bookableClassesOf(db, { schoolId: user.schoolId, carerId: user.id, today: request.scope.today });
    const evenings = await publishedEveningsFor(db, { schoolId: user.schoolId, classIds });
    const appointments = await carerAppointmentsAt(db, { schoolId: user.schoolId, carerId: user.id, eveningIds: evenings.map((e) => e.id), today: request.scope.today });
    const now = clock();
    const t = request.text;
    const manyDays = (e: (typeof evenings)[number]) => !!e.first_date && !!e.last_date && e.first_date !== e.last_date;
    const rows = evenings.map((e) => ({
      id: e.id,
      name: e.name,
      days:
        e.first_date && e.last_date && e.first_date !== e.last_date
          ? t('evenings.list.days', { first: dateIn(t.code, e.first_date), last: dateIn(t.code, e.last_date) })
          : dateIn(t.code, e.first_date),
      window: windowProblem(e, now, false, tz, t),
      past: e.last_date !== null && e.last_date < request.scope.today,
      appointments: appointments
        .filter((a) => a.evening_id === e.id && a.cancelled_at === null && a.left_at === null)
        .map((a) => ({
          // An evening over more than one day says which day (with its weekday) before the times.
          when: `${manyDays(e) ? `${dayOf(a.starts_at, tz, t)}, ` : ''}${t('evenings.page.fromTo', { from: timeOf(a.starts_at, tz, t), to: timeOf(a.ends_at, tz, t) })}`,
          names: { pupil: a.preferred_name ?? a.given_name, teacher: `${a.title} ${a.staff_family_name}` },
        })),
    }));
    return reply.page(`${V}/carer-evenings.njk`, { title: t('evenings.list.title'), evenings: rows });
  });

  app.get('/parents-evenings/:eveningId', { config: { policy: carers } }, async (request, reply) => evening(request, reply));

  app.post('/parents-evenings/:eveningId', { config: { policy: carers } }, async (request, reply) => {
    const ctx = carerContext(request, deps);
    // "Help at your appointments", when the form carries it: put right first, saved with what is booked.
    const asked = await neededFrom(db, ctx, request.body);
    if (asked && !asked.ok) return evening(request, reply, { status: 400, errors: inWords(asked.errors, request.text), values: valuesOf(request.body) });
    // The confirmation says what the form asks for (read above: the booking reads it no second time).
    const result = await bookAppointments(db, asked?.ok ? { ...ctx, needs: asked.needs } : ctx, choicesFrom(request.body));
    if (result.ok || ('booked' in result && result.booked?.length)) await saveIfAsked(db, ctx.actor, ctx, asked, ctx.now);
    if (result.ok) {
      pokeOutbox();
      return reply.redirect(`/parents-evenings/${eveningIdOf(request)}?done=booked`, 303);
    }
    if (result.status === 404) throw notFound();
    if (result.booked?.length) pokeOutbox();
    return evening(request, reply, {
      status: result.status,
      errors: result.errors,
      values: valuesOf(request.body),
      clear: result.clear,
      seen: result.seen,
      nearest: result.nearest,
      done: result.booked?.length ? 'partly' : undefined,
    });
  });

  // "Help at your appointments" on its own, under their appointments: changed at any time, audited.
  app.post('/parents-evenings/:eveningId/needs', { config: { policy: carers } }, async (request, reply) => {
    const ctx = carerContext(request, deps);
    const may = await mayAskAt(db, ctx);
    if (may === 'no') throw notFound();
    // The evening has taken place: nothing to change any more (the page shows what they asked for, no form).
    if (may === 'over') return evening(request, reply, { status: 409, errors: { needs: request.text('evenings.needs.over') } });
    const body = { ...valuesOf(request.body), [NEEDS_MARK]: '1' };
    const asked = await neededFrom(db, ctx, body);
    if (!asked?.ok) return evening(request, reply, { status: 400, errors: inWords(asked?.errors ?? {}, request.text), values: body });
    await saveNeeds(db, ctx.actor, ctx, asked.needs, ctx.now);
    return reply.redirect(`/parents-evenings/${ctx.eveningId}?done=needs#needs`, 303);
  });

  app.post('/parents-evenings/:eveningId/bookings/:bookingId/join', { config: { policy: carers } }, async (request, reply) => {
    const { bookingId } = request.params as { bookingId: string };
    const result = await joinAppointment(db, carerContext(request, deps), bookingId);
    if (result.ok) return reply.redirect(`/parents-evenings/${eveningIdOf(request)}?done=joined`, 303);
    if (result.status === 404) throw notFound();
    return evening(request, reply, { status: result.status, errors: { choices: result.error } });
  });

  app.post('/parents-evenings/:eveningId/waiting-list', { config: { policy: carers } }, async (request, reply) => {
    const form = parseForm(WaitingForm, request.body);
    if (!form.ok) return evening(request, reply, { status: 400, errors: { choices: request.text(Object.values(form.errors)[0]!) } });
    const result = await joinWaitingList(db, carerContext(request, deps), form.data.pupil_id, form.data.staff_id);
    if (result.ok) return reply.redirect(`/parents-evenings/${eveningIdOf(request)}?done=waiting`, 303);
    if (result.status === 404) throw notFound();
    return evening(request, reply, { status: 400, errors: { choices: result.error } });
  });

  /** Cancelling asks first, on a page of its own (no JavaScript needed): a slip of the thumb loses nothing. */
  app.get('/parents-evenings/:eveningId/bookings/:bookingId/cancel', { config: { policy: carers } }, async (request, reply) => {
    const { bookingId } = request.params as { bookingId: string };
    const page = await bookingPage(db, { ...carerContext(request, deps), byStaff: false });
    const appointment = page?.appointments.find((a) => a.bookingId === bookingId);
    if (!page || !appointment) throw notFound();
    const base = `/parents-evenings/${page.evening.id}`;
    if (appointment.started) return reply.redirect(`${base}#appointment-${bookingId}`, 303);
    return reply.page(`${V}/book-cancel-confirm.njk`, { title: request.text('evenings.cancel.title'), eveningName: page.evening.name, appointment, base, backLink: base });
  });

  app.post('/parents-evenings/:eveningId/bookings/:bookingId/cancel', { config: { policy: carers } }, async (request, reply) => {
    const { bookingId } = request.params as { bookingId: string };
    const ctx = carerContext(request, deps);
    const outcome = await cancelByCarer(db, ctx, bookingId);
    if (outcome === 'missing') throw notFound();
    if (outcome === 'started') return evening(request, reply, { status: 400, errors: { choices: request.text('evenings.error.cancelStarted') } });
    if (outcome === 'held')
      return evening(request, reply, {
        status: 400,
        errors: { choices: request.text('evenings.error.cancelHeld') },
      });
    pokeOutbox();
    return reply.redirect(`/parents-evenings/${ctx.eveningId}?done=${outcome === 'left' ? 'left' : 'cancelled'}`, 303);
  });

  app.get('/parents-evenings/:eveningId/calendar.ics', { config: { policy: carers } }, async (request, reply) => {
    const ctx = carerContext(request, deps);
    const page = await bookingPage(db, { ...ctx, byStaff: false });
    if (!page) throw notFound();
    const all = await carerAppointmentsAt(db, { schoolId: ctx.schoolId, carerId: ctx.carerId, eveningIds: [ctx.eveningId], today: ctx.today });
    // One event per appointment (a carer who left and joined again has two attendee rows for it).
    const live = (a: (typeof all)[number]) => a.cancelled_at === null && a.left_at === null;
    const rows = [...new Map(all.map((a) => [a.id, a])).values()].map((a) => all.find((b) => b.id === a.id && live(b)) ?? a);
    const t = request.text;
    const events = rows.map((a) => {
      const teacher = `${a.title} ${a.staff_family_name}`;
      return {
        uid: `evening-booking-${a.id}`,
        title: `${page.evening.name}: ${t('evenings.page.pupilWith', { pupil: a.preferred_name ?? a.given_name, teacher })}`,
        description: t('evenings.calendar.description', { where: whereWords({ mode: a.mode, room: a.room, videoLink: a.video_link, teacherName: teacher }, t) }),
        location: a.mode === 'video' ? a.video_link : a.mode === 'in_person' ? a.room : null,
        starts: a.starts_at,
        ends: a.ends_at,
        cancelled: !live(a),
        // Each move, and then a cancellation, is a new version of the same event (same uid).
        sequence: Number(a.moves) + (live(a) ? 0 : 1),
      };
    });
    return reply.type('text/calendar; charset=utf-8').header('Content-Disposition', 'attachment; filename="parents-evening.ics"').send(calendarFile(events, ctx.now));
  });

  holdRoutes(app, deps);
  changeTimeRoutes(app, deps);
  bookingStaffRoutes(app, deps);
}

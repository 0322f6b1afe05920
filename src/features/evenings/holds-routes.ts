import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { FeatureDeps } from '../../platform/deps.ts';
import { carers } from '../../platform/access/policy.ts';
import { notFound } from '../../platform/errors.ts';
import { parseForm, type FieldErrors } from '../../platform/web/forms.ts';
import { localDate } from '../../platform/calendar/time.ts';
import { slotWords, timeOf, upperFirst } from './booking.ts';
import { whereWords } from './booking-emails.ts';
import { carerContext, eveningIdOf, inWords } from './booking-form.ts';
import { bookingPage } from './booking-page.ts';
import { slotTimesOf } from './booking-queries.ts';
import { needsPart, neededFrom, saveIfAsked } from './needs-page.ts';
import { acceptHold, declineHold, expiredWords, holdOf, holdState, pairValue, proposeAndHold, HOLD_MINUTES } from './holds.ts';

const V = 'features/evenings/views';
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?Z$/;
// Messages are catalog keys: the page says them in the carer's words (inWords).
const time = (key: string) => z.string({ error: key }).regex(INSTANT, key);
const ProposeForm = z.object({
  earliest: time('evenings.hold.chooseEarliest'),
  latest: time('evenings.hold.chooseLatest'),
  mode: z.enum(['in_person', 'phone', 'video'], { error: 'evenings.hold.modeChoose' }).optional(),
  pairs: z.union([z.string(), z.array(z.string())], { error: 'evenings.hold.chooseTeacher' }).transform((v) => (Array.isArray(v) ? v : [v])),
});
const AnswerForm = z.object({ answer: z.enum(['accept', 'decline'], { error: 'evenings.hold.chooseAnswer' }) });

/** "Book for me": the carer gives their earliest and latest times; the proposal is held while they decide. */
export function holdRoutes(app: FastifyInstance, deps: FeatureDeps): void {
  const { db, pokeOutbox } = deps;

  async function form(request: FastifyRequest, reply: FastifyReply, extra: { status?: number; errors?: FieldErrors; values?: Record<string, unknown> } = {}) {
    const ctx = carerContext(request, deps);
    const [page, needs] = await Promise.all([bookingPage(db, { ...ctx, byStaff: false }), needsPart(db, ctx, request.text, extra.values, extra.errors)]);
    if (!page || !needs) throw notFound();
    const now = ctx.now.getTime();
    const times = (await slotTimesOf(db, ctx.schoolId, ctx.eveningId)).filter((t) => Date.parse(t.starts_at) > now);
    const starts = [...new Set(times.map((t) => t.starts_at))];
    const ends = [...new Set(times.map((t) => t.ends_at))].sort();
    const t = request.text;
    const teachers = page.children.flatMap((c) =>
      c.teachers.filter((tr) => !tr.own && !tr.joinable).map((tr) => ({ value: pairValue(c.pupilId, tr.staffId), names: { teacher: tr.name, pupil: c.name }, full: tr.full })),
    );
    // On an evening held on several days, the first suggestion is the first day's times only: "from
    // Tuesday 3:30pm until Thursday 9:00am" is not a window anyone can be there for.
    const firstDay = starts[0] ? localDate(new Date(starts[0]), ctx.timeZone) : null;
    const sameDayEnds = ends.filter((e) => localDate(new Date(e), ctx.timeZone) === firstDay);
    const values = extra.values ?? {
      earliest: starts[0],
      latest: sameDayEnds[sameDayEnds.length - 1] ?? ends[ends.length - 1],
      mode: page.modes[0]?.value,
      pairs: teachers.filter((t) => !t.full).map((t) => t.value),
    };
    const chosen = ([] as unknown[]).concat(values.pairs ?? []);
    return reply.code(extra.status ?? 200).page(`${V}/book-for-me.njk`, {
      title: t('evenings.forMe.title'),
      page,
      teachers: teachers.filter((t) => !t.full).map((t) => ({ ...t, checked: chosen.includes(t.value) })),
      full: teachers.filter((t) => t.full),
      earliest: starts.map((s) => ({ value: s, text: slotWords(s, ctx.timeZone, page.manyDays, t), selected: s === values.earliest })),
      latest: ends.map((s) => ({ value: s, text: slotWords(s, ctx.timeZone, page.manyDays, t), selected: s === values.latest })),
      values,
      needs,
      errors: extra.errors,
      holdMinutes: HOLD_MINUTES,
      backLink: `/parents-evenings/${page.evening.id}`,
    });
  }

  app.get('/parents-evenings/:eveningId/book-for-me', { config: { policy: carers } }, async (request, reply) => form(request, reply));

  app.post('/parents-evenings/:eveningId/book-for-me', { config: { policy: carers } }, async (request, reply) => {
    const ctx = carerContext(request, deps);
    const parsed = parseForm(ProposeForm, request.body);
    // "Help at your appointments" on the same form: both put right before anything is held; saved once the times are held.
    const asked = await neededFrom(db, ctx, request.body);
    const needsErrors = asked && !asked.ok ? inWords(asked.errors, request.text) : {};
    const typed = { ...(request.body as Record<string, unknown>) };
    if (!parsed.ok || Object.keys(needsErrors).length) {
      return form(request, reply, {
        status: 400,
        errors: { ...(parsed.ok ? {} : inWords(parsed.errors, request.text)), ...needsErrors },
        values: { ...typed, ...(parsed.ok ? parsed.data : parsed.values) },
      });
    }
    const result = await proposeAndHold(db, ctx, { ...parsed.data, mode: parsed.data.mode ?? null });
    if (result.ok) {
      await saveIfAsked(db, ctx.actor, ctx, asked, ctx.now);
      return reply.redirect(`/parents-evenings/${eveningIdOf(request)}/holds/${result.holdId}`, 303);
    }
    if (result.status === 404) throw notFound();
    return form(request, reply, { status: result.status, errors: result.errors, values: { ...typed, ...parsed.data } });
  });

  async function holdPage(request: FastifyRequest, reply: FastifyReply, extra: { status?: number; errors?: FieldErrors } = {}) {
    const ctx = carerContext(request, deps);
    const { holdId } = request.params as { holdId: string };
    const rows = await holdOf(db, { ...ctx, holdId });
    const page = await bookingPage(db, { ...ctx, byStaff: false });
    if (!rows || !page) throw notFound();
    const state = holdState(rows, ctx.now);
    const tz = ctx.timeZone;
    const t = request.text;
    return reply.code(extra.status ?? 200).page(`${V}/book-hold.njk`, {
      title: t(`evenings.hold.title.${state.state}`),
      page,
      state: state.state,
      until: state.state === 'held' ? timeOf(state.until, tz, t) : null,
      released: state.state === 'released' ? expiredWords(state.ranOut, t) : null,
      appointments: rows.map((r) => ({
        when: `${slotWords(r.starts_at, tz, page.manyDays, t)} ${t('evenings.page.to', { to: timeOf(r.ends_at, tz, t) })}`,
        names: { pupil: r.pupilName, teacher: r.teacherName },
        where: upperFirst(whereWords({ mode: r.mode, room: r.room, videoLink: r.video_link, teacherName: r.teacherName }, t)),
      })),
      action: `/parents-evenings/${page.evening.id}/holds/${holdId}`,
      errors: extra.errors,
      backLink: `/parents-evenings/${page.evening.id}`,
    });
  }

  app.get('/parents-evenings/:eveningId/holds/:holdId', { config: { policy: carers } }, async (request, reply) => holdPage(request, reply));

  app.post('/parents-evenings/:eveningId/holds/:holdId', { config: { policy: carers } }, async (request, reply) => {
    const { holdId } = request.params as { holdId: string };
    const parsed = parseForm(AnswerForm, request.body);
    if (!parsed.ok) return holdPage(request, reply, { status: 400, errors: inWords(parsed.errors, request.text) });
    const ctx = carerContext(request, deps);
    if (parsed.data.answer === 'decline') {
      if ((await declineHold(db, ctx, holdId)) === 'missing') throw notFound();
      return reply.redirect(`/parents-evenings/${ctx.eveningId}?done=declined`, 303);
    }
    const result = await acceptHold(db, ctx, holdId);
    if (result.ok) {
      pokeOutbox();
      return reply.redirect(`/parents-evenings/${ctx.eveningId}?done=booked`, 303);
    }
    if (result.status === 404) throw notFound();
    return holdPage(request, reply, { status: result.status, errors: { answer: result.error } });
  });
}

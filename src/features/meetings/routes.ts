import { dateField } from '../../platform/calendar/typed.ts';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { FeatureDeps } from '../../platform/deps.ts';
import type { StaffUser } from '../../platform/access/roles.ts';
import { canSeePupil } from '../../platform/access/scope.ts';
import { markAlertsSeen } from '../../platform/alerts/alerts.ts';
import { notFound } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import { checkbox, optionalText, parseForm, text, type FieldErrors } from '../../platform/web/forms.ts';
import { listPupils } from '../people/index.ts';
import { agendaRoutes } from './agenda-routes.ts';
import { calendarRoutes } from './calendar-routes.ts';
import { carerActionRoutes } from './carer-actions-routes.ts';
import { carerMeetingRoutes } from './meetings-carer-routes.ts';
import { renderStaffMeeting, staffActor, staffMeeting, V, sendOptions } from './meetings-pages.ts';
import { formId, list, meetingStaff, minutes, UUID } from './meetings-forms.ts';
import { eligibleCarers, meetingStaffChoices, pupilOf, staffMeetingList } from './meetings-queries.ts';
import { INTERPRETER_BY, INTERPRETER_BY_LABELS, KIND_LABELS, LENGTHS, meetingTime, MODE_LABELS, MODES, SCHEDULABLE_KINDS, STATUS_LABELS, TOPIC_MAX } from './meetings-rules.ts';
import { bannedFromPremises } from '../conduct/index.ts';
import { cancelMeeting, scheduleMeeting } from './meetings-schedule.ts';
import { requestRoutes } from './requests-routes.ts';
import { safetyRoutes } from './safety-routes.ts';
import { MEETING_PURPOSES } from './meetings-about.ts';

const NewMeetingForm = z.object({
  form_id: formId,
  kind: z.enum(SCHEDULABLE_KINDS, { error: 'Choose what kind of meeting it is' }),
  topic: text('what the meeting is about', TOPIC_MAX),
  // Arranged from another page for this (attendance's link): kept with the meeting, whatever the topic becomes.
  purpose: z.enum(MEETING_PURPOSES).optional().catch(undefined),
  carer_ids: list,
  lead_id: z.string({ error: 'Choose who will lead the meeting' }).min(1, 'Choose who will lead the meeting'),
  colleague_id: z
    .string()
    .optional()
    .transform((v) => v || null),
  liaison: checkbox,
  date: dateField('the date of the meeting'),
  time: z.string({ error: 'Enter the time, like 15:30 or 3:30pm' }).trim().min(1, 'Enter the time, like 15:30 or 3:30pm'),
  minutes,
  mode: z.enum(MODES, { error: 'Choose how you will meet' }),
  place: optionalText('the place', 200),
  video_link: optionalText('the video call link', 500),
  interpreter_language: optionalText('the language', 50),
  interpreter_by: z.enum(INTERPRETER_BY).optional(),
  agenda: optionalText('the agenda', 2000),
  ban_agreed: checkbox,
});

const CancelForm = z.object({ reason: text('a reason to give the family', 500) });

/** Meetings with families: requests, arranging, agendas, calendar files, safety plans. */
export function meetingRoutes(app: FastifyInstance, deps: FeatureDeps): void {
  const { db, clock } = deps;

  app.get('/meetings', { config: { policy: meetingStaff } }, async (request, reply) => {
    const user = request.user as StaffUser;
    const lists = await staffMeetingList(db, user, request.scope, clock());
    return reply.page(`${V}/list.njk`, { title: 'Meetings with families', ...lists, labels: { kinds: KIND_LABELS, statuses: STATUS_LABELS } });
  });

  async function newPage(request: FastifyRequest, reply: FastifyReply, pupilId: string, values: Record<string, unknown>, errors?: FieldErrors) {
    const user = request.user as StaffUser;
    if (!(await canSeePupil(db, user, pupilId, request.scope))) throw notFound();
    const [pupil, family, choices] = await Promise.all([pupilOf(db, user.schoolId, pupilId), eligibleCarers(db, user.schoolId, pupilId, request.scope.today), meetingStaffChoices(db, user.schoolId)]);
    // Family members banned from the premises today (features/conduct): the page warns and suggests phone or video.
    const banned = await bannedFromPremises(
      db,
      user.schoolId,
      family.map((c) => c.id),
      request.scope.today,
    );
    return reply.code(errors ? 400 : 200).page(`${V}/new.njk`, {
      title: 'Arrange a meeting',
      pupil,
      family: family.map((c) => ({ ...c, banned: banned.has(c.id) })),
      bannedNames: family.filter((c) => banned.has(c.id)).map((c) => `${c.given_name} ${c.family_name}`),
      // A ban starting by the meeting's day (not yet today) is found at the submit: the box to confirm is offered then too.
      banRefused: Boolean(errors?.mode?.includes('banned from the school premises')),
      choices,
      values,
      errors,
      kinds: SCHEDULABLE_KINDS.map((k) => ({ value: k, text: KIND_LABELS[k] })),
      modes: MODES.map((m) => ({ value: m, text: MODE_LABELS[m] })),
      interpreters: INTERPRETER_BY.map((b) => ({ value: b, text: INTERPRETER_BY_LABELS[b] })),
      lengths: LENGTHS,
      backLink: '/meetings',
    });
  }

  app.get('/meetings/new', { config: { policy: meetingStaff } }, async (request, reply) => {
    const user = request.user as StaffUser;
    const q = request.query as { pupil?: string; q?: string; topic?: string; purpose?: string };
    if (typeof q.pupil === 'string' && q.pupil) {
      // Another page may suggest what the meeting is about (attendance: "Attendance: how we can help"); the form shows it to change.
      const topic = typeof q.topic === 'string' ? q.topic.trim().slice(0, TOPIC_MAX) : undefined;
      const purpose = MEETING_PURPOSES.find((p) => p === q.purpose);
      return newPage(request, reply, q.pupil, {
        form_id: newId(),
        kind: 'appointment',
        lead_id: user.id,
        minutes: '30',
        mode: 'in_person',
        carer_ids: [],
        ...(topic ? { topic } : {}),
        ...(purpose ? { purpose } : {}),
      });
    }
    const query = typeof q.q === 'string' ? q.q.trim().slice(0, 100) : '';
    const found = await listPupils(db, user, request.scope, { q: query, page: 1 });
    return reply.page(`${V}/new-pupil.njk`, { title: 'Arrange a meeting', query, rows: found.rows, total: found.total, backLink: '/meetings' });
  });

  app.post('/meetings/new', { config: { policy: meetingStaff } }, async (request, reply) => {
    const body = (request.body ?? {}) as Record<string, unknown>;
    const pupilId = typeof body.pupil_id === 'string' ? body.pupil_id : '';
    if (!pupilId) return reply.redirect('/meetings/new', 303);
    const form = parseForm(NewMeetingForm, body);
    const keep = (values: Record<string, unknown>) => ({
      ...values,
      form_id: typeof values.form_id === 'string' && UUID.test(values.form_id) ? values.form_id : newId(),
      carer_ids: [values.carer_ids ?? []].flat(),
    });
    if (!form.ok) return newPage(request, reply, pupilId, keep(form.values), form.errors);
    if (form.data.interpreter_language && !form.data.interpreter_by) return newPage(request, reply, pupilId, keep(body), { interpreter_by: 'Choose who will interpret' });
    const zone = request.school?.time_zone ?? 'Europe/London';
    const when = meetingTime(form.data.date, form.data.time, form.data.minutes, zone, clock());
    if (!when.ok) return newPage(request, reply, pupilId, keep(body), { [when.field]: when.error });
    if (!(await canSeePupil(db, request.user!, pupilId, request.scope))) throw notFound();
    const d = form.data;
    const result = await scheduleMeeting(
      db,
      staffActor(request),
      {
        id: d.form_id,
        kind: d.kind,
        topic: d.topic,
        purpose: d.purpose ?? null,
        pupilId,
        carerIds: d.carer_ids,
        leadId: d.lead_id,
        colleagueId: d.colleague_id,
        inviteLiaison: d.liaison === 1,
        startsAt: when.startsAt,
        endsAt: when.endsAt,
        mode: d.mode,
        place: d.place,
        videoLink: d.video_link,
        interpreterLanguage: d.interpreter_language,
        interpreterBy: d.interpreter_by ?? null,
        agenda: (d.agenda ?? '').split(/\r?\n/),
        banAgreed: d.ban_agreed === 1,
      },
      sendOptions(deps, request),
    );
    if (!result.ok) return newPage(request, reply, pupilId, keep(body), result.errors);
    deps.pokeOutbox();
    return reply.redirect(`/meetings/${result.id}?done=scheduled`, 303);
  });

  app.get('/meetings/:meetingId', { config: { policy: meetingStaff } }, async (request, reply) => {
    const user = request.user as StaffUser;
    const meeting = await staffMeeting(db, request);
    await markAlertsSeen(db, user.schoolId, user.id, `/meetings/${meeting.id}`, clock());
    return renderStaffMeeting(db, request, reply, meeting);
  });

  app.post('/meetings/:meetingId/cancel', { config: { policy: meetingStaff } }, async (request, reply) => {
    const meeting = await staffMeeting(db, request);
    const form = parseForm(CancelForm, request.body);
    if (!form.ok) return renderStaffMeeting(db, request, reply, meeting, { errors: form.errors, values: form.values });
    const cancelled = await cancelMeeting(db, staffActor(request), meeting.id, form.data.reason, sendOptions(deps, request));
    if (cancelled === 'not_possible') return renderStaffMeeting(db, request, reply, meeting, { problem: 'This meeting cannot be cancelled: it has already happened.' });
    deps.pokeOutbox();
    return reply.redirect(`/meetings/${meeting.id}?done=cancelled`, 303);
  });

  requestRoutes(app, deps);
  agendaRoutes(app, deps);
  safetyRoutes(app, deps);
  calendarRoutes(app, deps);
  carerMeetingRoutes(app, deps);
  carerActionRoutes(app, deps);
}

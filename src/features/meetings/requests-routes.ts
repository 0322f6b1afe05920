import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { FeatureDeps } from '../../platform/deps.ts';
import { carers } from '../../platform/access/policy.ts';
import type { CarerUser } from '../../platform/access/roles.ts';
import { notFound } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import { isEmptyDate, readDateField } from '../../platform/calendar/typed.ts';
import { checkbox, optionalText, parseForm, text, withDateParts, type FieldErrors } from '../../platform/web/forms.ts';
import { childrenOfCarer, getCarer } from '../people/index.ts';
import { carerActor, carerMeeting, renderCarerMeeting, renderStaffMeeting, staffActor, staffMeeting, V, sendOptions } from './meetings-pages.ts';
import { meetingTime, MODES, OUTLINE_MAX, TIMES_OF_DAY, TOPIC_MAX } from './meetings-rules.ts';
import { carerErrors } from './carer-words.ts';
import { chooseOffer, offerTimes, requestMeeting } from './requests.ts';
import { formId, list, meetingStaff, minutes } from './meetings-forms.ts';

const RequestForm = z.object({
  form_id: formId,
  pupil_id: z.string({ error: 'Choose which child the meeting is about' }).min(1, 'Choose which child the meeting is about'),
  topic: text('what you would like to talk about', TOPIC_MAX),
  outline: text('a short outline', OUTLINE_MAX),
  times: list.pipe(z.array(z.enum(TIMES_OF_DAY, { error: 'Choose times of day from the list' }))),
  times_words: optionalText('when suits you', 200),
  mode: z.enum(MODES, { error: 'Choose how you would like to meet' }),
  interpreter: z.enum(['yes', 'no'], { error: 'Say whether you would like an interpreter' }),
  interpreter_language: optionalText('the language', 50),
  urgent: z.enum(['yes', 'no'], { error: 'Say whether it is urgent' }),
});

/** What depends on two answers at once: some time that suits, and a language when an interpreter is wanted. */
function requestProblems(values: Record<string, unknown>): FieldErrors {
  const errors: FieldErrors = {};
  const times = [values.times ?? []].flat().filter(Boolean);
  const words = typeof values.times_words === 'string' ? values.times_words.trim() : '';
  if (times.length === 0 && !words) errors.times = 'Tell us when you could meet: tick a time of day, or write when suits you';
  const language = typeof values.interpreter_language === 'string' ? values.interpreter_language.trim() : '';
  if (values.interpreter === 'yes' && !language) errors.interpreter_language = 'Enter the language the interpreter should speak';
  return errors;
}

const OfferForm = z.object({
  lead_id: z.string({ error: 'Choose who will meet the family' }).min(1, 'Choose who will meet the family'),
  minutes,
  mode: z.enum(MODES, { error: 'Choose how you will meet' }),
  place: optionalText('the place', 200),
  video_link: optionalText('the video call link', 500),
  ban_agreed: checkbox,
});

const ChooseForm = z.object({ offer_id: z.string({ error: 'Choose a time' }).min(1, 'Choose a time') });

/** A carer asks for a meeting; staff offer times; the carer chooses one. */
export function requestRoutes(app: FastifyInstance, deps: FeatureDeps): void {
  const { db, clock } = deps;

  async function requestPage(request: FastifyRequest, reply: FastifyReply, values: Record<string, unknown>, errors?: FieldErrors) {
    const user = request.user as CarerUser;
    const children = await childrenOfCarer(db, user, request.scope, user.id);
    const t = request.text;
    return reply.code(errors ? 400 : 200).page(`${V}/request.njk`, {
      title: t('meetings.request.title'),
      children,
      values,
      errors: carerErrors(errors, t),
      times: TIMES_OF_DAY.map((time) => ({ value: time, text: t(`meetings.timeOfDay.${time}`) })),
      modes: MODES.map((m) => ({ value: m, text: t(`meetings.mode.${m}`) })),
      backLink: '/my-meetings',
    });
  }

  app.get('/my-meetings/request', { config: { policy: carers } }, async (request, reply) => {
    const user = request.user as CarerUser;
    const me = await getCarer(db, user.schoolId, user.id);
    const q = request.query as { pupil?: string };
    const language = me && me.preferred_language !== 'English' ? me.preferred_language : '';
    return requestPage(request, reply, {
      form_id: newId(),
      pupil_id: typeof q.pupil === 'string' ? q.pupil : '',
      times: [],
      interpreter: me?.interpreter_needed ? 'yes' : '',
      interpreter_language: language,
      urgent: 'no',
    });
  });

  app.post('/my-meetings/request', { config: { policy: carers } }, async (request, reply) => {
    const form = parseForm(RequestForm, request.body);
    const raw = form.ok ? (request.body as Record<string, unknown>) : form.values;
    const errors = { ...(form.ok ? {} : form.errors), ...requestProblems(raw) };
    const keep = () => ({ ...raw, form_id: typeof raw.form_id === 'string' && !errors.form_id ? raw.form_id : newId(), times: [raw.times ?? []].flat() });
    if (!form.ok || Object.keys(errors).length) return requestPage(request, reply, keep(), errors);
    const d = form.data;
    const result = await requestMeeting(
      db,
      carerActor(request),
      {
        id: d.form_id,
        pupilId: d.pupil_id,
        topic: d.topic,
        outline: d.outline,
        times: d.times,
        timesWords: d.times_words,
        mode: d.mode,
        interpreterLanguage: d.interpreter === 'yes' ? d.interpreter_language : null,
        urgent: d.urgent === 'yes',
      },
      sendOptions(deps, request),
    );
    // Not their child, or one a restriction keeps them from: the same answer as for a made-up id.
    if (!result.ok) throw notFound();
    deps.pokeOutbox();
    return reply.redirect(`/my-meetings/${result.id}?done=requested`, 303);
  });

  app.post('/meetings/:meetingId/offer', { config: { policy: meetingStaff } }, async (request, reply) => {
    const meeting = await staffMeeting(db, request);
    const body = (request.body ?? {}) as Record<string, unknown>;
    const form = parseForm(OfferForm, body);
    const errors: FieldErrors = form.ok ? {} : { ...form.errors };
    const zone = request.school?.time_zone ?? 'Europe/London';
    const times: { startsAt: string; endsAt: string }[] = [];
    const dated = withDateParts(body); // each date in GOV.UK's three boxes (`date_1-day`…) or one text
    for (const n of [1, 2, 3]) {
      // A field sent twice (a replayed or hand-made form) is read once, as the form has it once.
      const typedDate = Array.isArray(dated[`date_${n}`]) ? firstText(dated[`date_${n}`]) : dated[`date_${n}`];
      const time = firstText(body[`time_${n}`]);
      if (isEmptyDate(typedDate) && !time) continue;
      const day = readDateField(typedDate, n === 1 ? 'the date' : `the date of time ${n}`);
      if (!day.ok) {
        errors[`date_${n}`] = day.problem;
        continue;
      }
      const when = meetingTime(day.date, time, form.ok ? form.data.minutes : 30, zone, clock());
      if (when.ok) times.push(when);
      else errors[`${when.field}_${n}`] = when.error;
    }
    if (times.length === 0 && !errors.date_1 && !errors.time_1) errors.date_1 = 'Enter at least one time to offer';
    if (!form.ok || Object.keys(errors).length) return renderStaffMeeting(db, request, reply, meeting, { errors, values: body });
    const d = form.data;
    const result = await offerTimes(
      db,
      staffActor(request),
      meeting.id,
      { leadId: d.lead_id, times, mode: d.mode, place: d.place, videoLink: d.video_link, banAgreed: d.ban_agreed === 1 },
      sendOptions(deps, request),
    );
    if (!result.ok) return renderStaffMeeting(db, request, reply, meeting, 'errors' in result ? { errors: result.errors, values: body } : { problem: result.conflict });
    deps.pokeOutbox();
    return reply.redirect(`/meetings/${meeting.id}?done=offered`, 303);
  });

  app.post('/my-meetings/:meetingId/choose', { config: { policy: carers } }, async (request, reply) => {
    const meeting = await carerMeeting(db, request);
    const form = parseForm(ChooseForm, request.body);
    if (!form.ok) return renderCarerMeeting(db, request, reply, meeting, { errors: form.errors, values: form.values });
    const result = await chooseOffer(db, carerActor(request), meeting.id, form.data.offer_id, sendOptions(deps, request));
    if (!result.ok) {
      const fresh = (await carerMeeting(db, request)) ?? meeting;
      return renderCarerMeeting(db, request, reply, fresh, { errors: { offer_id: result.problem } });
    }
    deps.pokeOutbox();
    return reply.redirect(`/my-meetings/${meeting.id}?done=chosen`, 303);
  });
}

function firstText(value: unknown): string {
  const first: unknown = Array.isArray(value) ? value[0] : value;
  return typeof first === 'string' ? first.trim() : '';
}

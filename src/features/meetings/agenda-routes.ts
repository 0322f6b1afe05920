import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { FeatureDeps } from '../../platform/deps.ts';
import { carers } from '../../platform/access/policy.ts';
import { checkbox, parseForm, text } from '../../platform/web/forms.ts';
import { addAgendaItem, askPrepHelp, inviteLiaison, sendAgendaNow } from './agenda.ts';
import { meetingStaff } from './meetings-forms.ts';
import { carerActor, carerMeeting, renderCarerMeeting, renderStaffMeeting, staffActor, staffMeeting, sendOptions } from './meetings-pages.ts';
import { AGENDA_ITEM_MAX } from './meetings-rules.ts';

const AgendaForm = z.object({ agenda_text: text('something to talk about', AGENDA_ITEM_MAX), tell_family: checkbox });
const QuestionForm = z.object({ question: text('your question', AGENDA_ITEM_MAX) });
const PrepForm = z.object({ staff_id: z.string({ error: 'Choose who you would like to help you' }).min(1, 'Choose who you would like to help you') });

/** Before the meeting: the agenda, the family's questions, help to prepare, the family liaison officer. */
export function agendaRoutes(app: FastifyInstance, deps: FeatureDeps): void {
  const { db } = deps;

  app.post('/meetings/:meetingId/agenda', { config: { policy: meetingStaff } }, async (request, reply) => {
    const meeting = await staffMeeting(db, request);
    const form = parseForm(AgendaForm, request.body);
    if (!form.ok) return renderStaffMeeting(db, request, reply, meeting, { errors: form.errors, values: form.values });
    const added = await addAgendaItem(db, staffActor(request), meeting.id, form.data.agenda_text, { ...sendOptions(deps, request), tellFamily: form.data.tell_family === 1 });
    if (!added.ok) return renderStaffMeeting(db, request, reply, meeting, { problem: added.problem });
    deps.pokeOutbox();
    return reply.redirect(`/meetings/${meeting.id}?done=agenda#agenda`, 303);
  });

  app.post('/meetings/:meetingId/agenda/send', { config: { policy: meetingStaff } }, async (request, reply) => {
    const meeting = await staffMeeting(db, request);
    const sent = await sendAgendaNow(db, staffActor(request), meeting.id, sendOptions(deps, request));
    if (sent === 'over') return renderStaffMeeting(db, request, reply, meeting, { problem: 'This meeting is not coming up, so there is no agenda to send.' });
    if (sent === 'nobody') return renderStaffMeeting(db, request, reply, meeting, { problem: 'Nobody coming from the family has an email address: give them the agenda on paper or by phone.' });
    deps.pokeOutbox();
    return reply.redirect(`/meetings/${meeting.id}?done=${sent === 'sent' ? 'agenda_sent' : 'agenda_already'}#agenda`, 303);
  });

  app.post('/meetings/:meetingId/liaison', { config: { policy: meetingStaff } }, async (request, reply) => {
    const meeting = await staffMeeting(db, request);
    const invited = await inviteLiaison(db, staffActor(request), meeting.id, sendOptions(deps, request));
    if (invited === 'none') return renderStaffMeeting(db, request, reply, meeting, { problem: 'There is no family liaison officer on the staff list.' });
    deps.pokeOutbox();
    return reply.redirect(`/meetings/${meeting.id}?done=${invited === 'invited' ? 'liaison' : 'liaison_already'}`, 303);
  });

  app.post('/my-meetings/:meetingId/questions', { config: { policy: carers } }, async (request, reply) => {
    const meeting = await carerMeeting(db, request);
    const form = parseForm(QuestionForm, request.body);
    if (!form.ok) return renderCarerMeeting(db, request, reply, meeting, { errors: form.errors, values: form.values });
    const added = await addAgendaItem(db, carerActor(request), meeting.id, form.data.question, sendOptions(deps, request));
    if (!added.ok) return renderCarerMeeting(db, request, reply, meeting, { problem: added.problem });
    deps.pokeOutbox();
    return reply.redirect(`/my-meetings/${meeting.id}?done=question#agenda`, 303);
  });

  app.post('/my-meetings/:meetingId/prep-help', { config: { policy: carers } }, async (request, reply) => {
    const meeting = await carerMeeting(db, request);
    const form = parseForm(PrepForm, request.body);
    if (!form.ok) return renderCarerMeeting(db, request, reply, meeting, { errors: form.errors, values: form.values });
    const asked = await askPrepHelp(db, carerActor(request), meeting.id, form.data.staff_id, sendOptions(deps, request));
    if (!asked.ok) return renderCarerMeeting(db, request, reply, meeting, { errors: { staff_id: asked.problem } });
    deps.pokeOutbox();
    return reply.redirect(`/my-meetings/${meeting.id}?done=prep_help`, 303);
  });
}

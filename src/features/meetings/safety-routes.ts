import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { FeatureDeps } from '../../platform/deps.ts';
import type { StaffUser } from '../../platform/access/roles.ts';
import { optionalText, parseForm, text, type FieldErrors } from '../../platform/web/forms.ts';
import { meetingStaff } from './meetings-forms.ts';
import { staffActor, staffMeeting, V, sendOptions } from './meetings-pages.ts';
import { meetingStaffChoices, pupilOf, safetyPlanOf, type Meeting } from './meetings-queries.ts';
import { KIND_LABELS, PRESENCE_LABELS } from './meetings-rules.ts';
import { saveSafetyPlan } from './safety.ts';
import { passedByMe } from '../../platform/safeguarding/words.ts';

const PRESENCE = ['in_room', 'within_earshot', 'on_standby'] as const;
const yesNo = (error: string) => z.enum(['yes', 'no'], { error });

const SafetyForm = z.object({
  colleague_id: z.string({ error: 'Choose the colleague who will be there' }).min(1, 'Choose the colleague who will be there'),
  colleague_presence: z.enum(PRESENCE, { error: 'Say where the colleague will be' }),
  room: text('the room', 100),
  clear_route_out: yesNo('Say whether there is a clear way out of the room'),
  neutral_and_private: yesNo('Say whether the room is neutral and private'),
  notes: optionalText('the notes', 1000),
});

/** Difficult meetings: the safety plan (staff only). Saving it tells the head, once. */
export function safetyRoutes(app: FastifyInstance, deps: FeatureDeps): void {
  const { db } = deps;

  async function planPage(request: FastifyRequest, reply: FastifyReply, meeting: Meeting, values?: Record<string, unknown>, errors?: FieldErrors) {
    const user = request.user as StaffUser;
    const [pupil, plan, choices] = await Promise.all([pupilOf(db, user.schoolId, meeting.pupil_id), safetyPlanOf(db, meeting.id), meetingStaffChoices(db, user.schoolId)]);
    const saved = plan
      ? {
          colleague_id: plan.colleague_id,
          colleague_presence: plan.colleague_presence,
          room: plan.room,
          clear_route_out: plan.clear_route_out ? 'yes' : 'no',
          neutral_and_private: plan.neutral_and_private ? 'yes' : 'no',
          notes: plan.notes ?? '',
        }
      : {};
    // The notes as saved can hold a safeguarding concern: "Pass this to the DSL", or when this member of staff already did.
    const passed = plan ? (await passedByMe(db, user, 'safety_plan', [{ id: meeting.id, words: plan.notes }]))[meeting.id] : undefined;
    return reply.code(errors ? 400 : 200).page(`${V}/safety-plan.njk`, {
      title: 'Safety plan',
      meeting,
      pupil,
      plan,
      passed,
      choices,
      values: values ?? saved,
      errors,
      kinds: KIND_LABELS,
      presence: PRESENCE.map((p) => ({ value: p, text: PRESENCE_LABELS[p] })),
      done: (request.query as { done?: string }).done,
      backLink: `/meetings/${meeting.id}`,
    });
  }

  app.get('/meetings/:meetingId/safety-plan', { config: { policy: meetingStaff } }, async (request, reply) => planPage(request, reply, await staffMeeting(db, request)));

  app.post('/meetings/:meetingId/safety-plan', { config: { policy: meetingStaff } }, async (request, reply) => {
    const meeting = await staffMeeting(db, request);
    const form = parseForm(SafetyForm, request.body);
    if (!form.ok) return planPage(request, reply, meeting, form.values, form.errors);
    const d = form.data;
    const saved = await saveSafetyPlan(
      db,
      staffActor(request),
      meeting.id,
      { colleagueId: d.colleague_id, presence: d.colleague_presence, room: d.room, clearRouteOut: d.clear_route_out === 'yes', neutralAndPrivate: d.neutral_and_private === 'yes', notes: d.notes },
      sendOptions(deps, request),
    );
    if (!saved.ok) {
      if ('errors' in saved) return planPage(request, reply, meeting, request.body as Record<string, unknown>, saved.errors);
      return reply.code(409).page('platform/web/views/error.njk', { title: 'Sorry, there is a problem', lines: [saved.conflict] });
    }
    deps.pokeOutbox();
    return reply.redirect(`/meetings/${meeting.id}/safety-plan?done=${saved.headTold ? 'head_told' : 'saved'}`, 303);
  });
}

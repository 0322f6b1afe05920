import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { FeatureDeps } from '../../platform/deps.ts';
import { carers } from '../../platform/access/policy.ts';
import { notFound } from '../../platform/errors.ts';
import { parseForm } from '../../platform/web/forms.ts';
import { CarerActionForm, CarerProgressForm, markOwnActionDone, ownActionsOf, saveOwnProgress, undoOwnAction, type OwnAction } from './carer-actions.ts';
import { carerActor, carerMeeting, renderCarerMeeting, sendOptions } from './meetings-pages.ts';
import type { Meeting } from './meetings-queries.ts';

/** After a meeting: the family marks what they agreed to do as done (with how it is going), or not done yet. */
export function carerActionRoutes(app: FastifyInstance, deps: FeatureDeps): void {
  const { db, clock } = deps;

  /** The meeting and the action in the URL when the action is this carer's own to mark; 404 otherwise. */
  async function ownAction(request: FastifyRequest): Promise<{ meeting: Meeting; action: OwnAction }> {
    const meeting = await carerMeeting(db, request);
    const { actionId } = request.params as { actionId: string };
    const action = (await ownActionsOf(db, carerActor(request), meeting, request.scope.today)).find((a) => a.id === actionId);
    if (!action) throw notFound();
    return { meeting, action };
  }

  app.post('/my-meetings/:meetingId/actions/:actionId/done', { config: { policy: carers } }, async (request, reply) => {
    const { meeting, action } = await ownAction(request);
    const form = parseForm(CarerActionForm, request.body);
    // The error and the words typed belong to this action's own form on the page.
    if (!form.ok) {
      const field = `note-${action.id}`;
      return renderCarerMeeting(db, request, reply, meeting, { errors: { [field]: form.errors.note ?? Object.values(form.errors)[0] ?? '' }, values: { [field]: form.values.note } });
    }
    await markOwnActionDone(db, carerActor(request), action, form.data.note, sendOptions(deps, request));
    deps.pokeOutbox();
    return reply.redirect(`/my-meetings/${meeting.id}?done=action_done#action-${action.id}`, 303);
  });

  // "How is it going", saved without marking it done: the lead sees it on the record and their follow-ups.
  app.post('/my-meetings/:meetingId/actions/:actionId/progress', { config: { policy: carers } }, async (request, reply) => {
    const { meeting, action } = await ownAction(request);
    const form = parseForm(CarerProgressForm, request.body);
    if (!form.ok) {
      const field = `note-${action.id}`;
      return renderCarerMeeting(db, request, reply, meeting, { errors: { [field]: form.errors.note ?? Object.values(form.errors)[0] ?? '' }, values: { [field]: form.values.note } });
    }
    await saveOwnProgress(db, carerActor(request), action, form.data.note, clock());
    return reply.redirect(`/my-meetings/${meeting.id}?done=action_progress#action-${action.id}`, 303);
  });

  app.post('/my-meetings/:meetingId/actions/:actionId/not-done', { config: { policy: carers } }, async (request, reply) => {
    const { meeting, action } = await ownAction(request);
    await undoOwnAction(db, carerActor(request), action, clock());
    return reply.redirect(`/my-meetings/${meeting.id}?done=action_undone#action-${action.id}`, 303);
  });
}

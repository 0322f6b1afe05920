import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { FeatureDeps } from '../../platform/deps.ts';
import { carers } from '../../platform/access/policy.ts';
import type { CarerUser } from '../../platform/access/roles.ts';
import { notFound } from '../../platform/errors.ts';
import { parseForm, type FieldErrors } from '../../platform/web/forms.ts';
import { languageName } from '../../platform/i18n/names.ts';
import { paragraphs, textDirection } from './translation.ts';
import { volunteerTranslationForm } from './volunteer-translation.ts';
import { requestForVolunteer, volunteerDeclines, volunteerState, volunteerWrites, type TranslatorsFor } from './volunteer-translation-commands.ts';

const V = 'features/messages/views';

/**
 * A translating volunteer (a carer) writes the translation they were asked for: the English title and
 * message, and a form. Only the carer it was asked of can open it (anyone else: 404). It shows nothing
 * about who receives the message or who read it.
 */
export function volunteerTranslationRoutes(app: FastifyInstance, deps: FeatureDeps, volunteers: { translatorsFor: TranslatorsFor }): void {
  const { db, clock, dialect } = deps;

  const actorOf = (request: FastifyRequest) => {
    const carer = request.user as CarerUser;
    return { kind: 'carer' as const, id: carer.id, schoolId: carer.schoolId, ip: request.ip };
  };

  async function load(request: FastifyRequest) {
    const carer = request.user as CarerUser;
    const loaded = await requestForVolunteer(db, carer.schoolId, carer.id, (request.params as { translationRequestId: string }).translationRequestId);
    if (!loaded) throw notFound();
    return loaded;
  }

  async function page(request: FastifyRequest, reply: FastifyReply, extra: { errors?: FieldErrors; values?: Record<string, unknown>; status?: number } = {}) {
    const loaded = await load(request);
    const { r, message, translation } = loaded;
    const state = await volunteerState(db, r.school_id, loaded, request.scope.today, volunteers.translatorsFor);
    const mine = translation && translation.written_by_carer === r.carer_id && translation.body.trim() !== '';
    const { done } = request.query as { done?: string };
    return reply.code(extra.status ?? 200).page(`${V}/volunteer-translation.njk`, {
      title: request.text('messages.volunteer.title', { language: languageName(request.text.code, r.language, { inSentence: true }) }),
      backLink: '/my-volunteering',
      r,
      state,
      // Why the page takes nothing now (messages.volunteer.closed.sent, .checked, .declined, .cancelled, .taken).
      closedKey: `messages.volunteer.closed.${state}`,
      languageName: languageName(request.text.code, r.language, { inSentence: true }),
      direction: textDirection(r.language),
      english: { subject: message.subject, body: paragraphs(message.body) },
      written: !!mine,
      values: extra.values ?? { subject: mine ? translation.subject : '', body: mine ? translation.body : '' },
      errors: extra.errors,
      done: done === 'saved' ? 'saved' : done === 'declined' ? 'declined' : null,
    });
  }

  app.get('/my-volunteering/translations/:translationRequestId', { config: { policy: carers } }, async (request, reply) => page(request, reply));

  app.post('/my-volunteering/translations/:translationRequestId', { config: { policy: carers } }, async (request, reply) => {
    const { r } = await load(request);
    const form = parseForm(volunteerTranslationForm(request.text), request.body);
    if (!form.ok) return page(request, reply, { errors: form.errors, values: form.values, status: 400 });
    const state = await volunteerWrites(db, dialect, actorOf(request), r.id, form.data, request.scope.today, clock(), volunteers.translatorsFor);
    // Closed meanwhile: the page says why, and nothing was saved.
    if (state !== 'open') return page(request, reply, { status: 409 });
    return reply.redirect(`/my-volunteering/translations/${r.id}?done=saved`, 303);
  });

  app.post('/my-volunteering/translations/:translationRequestId/decline', { config: { policy: carers } }, async (request, reply) => {
    const { r } = await load(request);
    const declined = await volunteerDeclines(db, actorOf(request), r.id, clock());
    if (!declined) return page(request, reply, { status: 409 });
    return reply.redirect(`/my-volunteering/translations/${r.id}?done=declined`, 303);
  });
}

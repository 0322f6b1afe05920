import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { FeatureDeps } from '../../platform/deps.ts';
import { carers } from '../../platform/access/policy.ts';
import type { CarerUser } from '../../platform/access/roles.ts';
import { parseForm, type FieldErrors } from '../../platform/web/forms.ts';
import { helpLine } from '../../platform/channels/help-lines.ts';
import { childrenOfCarer } from '../people/index.ts';
import { textDirection } from '../messages/index.ts';
import { lines, SignForm, textBlocks } from './agreement.ts';
import { signAsCarer } from './commands.ts';
import { findTranslation, obligations, promisesOf, signingState } from './queries.ts';

const V = 'features/agreements/views';

/**
 * The agreement for a carer: the current version (in their language once a translation is checked),
 * and a form to sign it for each child they may hear about and have not signed for. Each carer with
 * a link signs for themselves; a carer restricted from a child never sees that child here.
 */
export function carerAgreementRoutes(app: FastifyInstance, deps: FeatureDeps): void {
  const { db, clock } = deps;

  async function page(request: FastifyRequest, extra: { errors?: FieldErrors; values?: Record<string, unknown> } = {}) {
    const carer = request.user as CarerUser;
    const today = request.scope.today;
    const state = await signingState(db, carer.schoolId);
    const children = await childrenOfCarer(db, carer, request.scope, carer.id);
    const mine = state.current ? (await obligations(db, carer.schoolId, today, { pupilIds: children.map((c) => c.id) })).filter((o) => o.signer === 'carer' && o.carerId === carer.id) : [];
    const language = carer.language && carer.language !== 'English' ? carer.language : null;
    const [promises, translation] = state.current ? await Promise.all([promisesOf(db, state.current.id), language ? findTranslation(db, state.current.id, language) : undefined]) : [[], undefined];
    const shown = translation?.status === 'checked' ? translation : null;
    // On an English page (no pages in their language, or they chose English), the school's help line in their own language too.
    const help = language && !shown && request.text.code === 'en' ? helpLine(language) : null;
    const { done } = request.query as { done?: string };
    return {
      title: request.text('agreement.title'),
      current: state.current,
      promises,
      carersAsked: state.current ? lines(state.current.carers_text) : [],
      pupilsAsked: state.current ? lines(state.current.pupils_text) : [],
      translation: shown ? { subject: shown.subject, body: textBlocks(shown.body), direction: textDirection(shown.language) } : null,
      // Their language, but no checked version in it: say so (in their words), then the English.
      notTranslated: !!state.current && !!language && !shown,
      helpLine: help && language ? { text: help, ...textDirection(language) } : null,
      signed: mine.filter((o) => o.signed),
      unsigned: mine.filter((o) => !o.signed),
      done: done === 'signed',
      errors: extra.errors,
      values: extra.values ?? { pupil_ids: mine.filter((o) => !o.signed).map((o) => o.pupilId) },
    };
  }

  app.get('/agreement', { config: { policy: carers } }, async (request, reply) => reply.page(`${V}/carer-agreement.njk`, await page(request)));

  app.post('/agreement/sign', { config: { policy: carers } }, async (request, reply) => {
    const carer = request.user as CarerUser;
    const body = (request.body ?? {}) as Record<string, unknown>;
    const values = { ...body, pupil_ids: [body.pupil_ids ?? []].flat() };
    const form = parseForm(SignForm, body);
    if (!form.ok) {
      const errors: FieldErrors = {};
      if (form.errors.agree) errors.agree = request.text('agreement.error.agree');
      if (form.errors.pupil_ids) errors.pupil_ids = request.text('agreement.error.children');
      return reply.code(400).page(`${V}/carer-agreement.njk`, await page(request, { errors, values }));
    }
    const state = await signingState(db, carer.schoolId);
    const translation = state.current && carer.language && carer.language !== 'English' ? await findTranslation(db, state.current.id, carer.language) : undefined;
    const signed = await signAsCarer(db, { id: carer.id, schoolId: carer.schoolId, ip: request.ip }, form.data.pupil_ids, {
      language: translation?.status === 'checked' ? translation.language : 'English',
      today: request.scope.today,
      now: clock(),
    });
    if (!signed.ok) return reply.code(400).page(`${V}/carer-agreement.njk`, await page(request, { errors: { [signed.field]: request.text('agreement.error.children') }, values }));
    return reply.redirect('/agreement?done=signed', 303);
  });
}

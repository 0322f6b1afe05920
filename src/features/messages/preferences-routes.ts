import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { FeatureDeps } from '../../platform/deps.ts';
import { carers } from '../../platform/access/policy.ts';
import { audit, changedFields } from '../../platform/audit/audit.ts';
import { notFound } from '../../platform/errors.ts';
import { parseForm, type FieldErrors } from '../../platform/web/forms.ts';
import { formValues, languageItems, preferencesForm, type Preferences } from './preferences.ts';

const V = 'features/messages/views';
const FIELDS = ['channel_email', 'channel_app', 'paper_copies', 'preferred_language', 'interpreter_needed'] as const;

/** A carer chooses how they hear from school (non-urgent messages), their language, and an interpreter. */
export function preferenceRoutes(app: FastifyInstance, deps: FeatureDeps): void {
  const { db, clock } = deps;

  async function carerOf(request: FastifyRequest) {
    const user = request.user!;
    const carer = await db
      .selectFrom('carers')
      .select(['id', 'school_id', 'email', 'mobile', 'address_line1', 'address_line2', 'town', 'postcode', ...FIELDS])
      .where('id', '=', user.id)
      .where('school_id', '=', user.schoolId)
      .where('archived_at', 'is', null)
      .executeTakeFirst();
    if (!carer) throw notFound();
    return carer;
  }
  type Carer = Awaited<ReturnType<typeof carerOf>>;

  function page(request: FastifyRequest, reply: FastifyReply, carer: Carer, extra: { errors?: FieldErrors; values?: Record<string, unknown> } = {}) {
    return reply.page(`${V}/preferences.njk`, {
      title: request.text('messages.prefs.title'),
      held: {
        email: carer.email,
        mobile: carer.mobile,
        address: [carer.address_line1, carer.address_line2, carer.town, carer.postcode].filter((l) => l && l.trim() !== ''),
      },
      paperAnyway: !carer.email && !carer.mobile,
      languages: languageItems(carer.preferred_language, request.text),
      values: extra.values ?? formValues(carer),
      errors: extra.errors,
      saved: (request.query as { saved?: string }).saved === 'yes',
    });
  }

  app.get('/preferences', { config: { policy: carers } }, async (request, reply) => page(request, reply, await carerOf(request)));

  app.post('/preferences', { config: { policy: carers } }, async (request, reply) => {
    const carer = await carerOf(request);
    const form = parseForm(preferencesForm(carer, request.text), request.body);
    if (!form.ok) return page(request, reply.code(400), carer, { errors: form.errors, values: form.values });
    const now = clock();
    const after: Preferences = form.data;
    await db.transaction().execute(async (trx) => {
      const before = await trx.selectFrom('carers').select(FIELDS).where('id', '=', carer.id).executeTakeFirstOrThrow();
      const change = changedFields<Preferences>(before, after);
      if (Object.keys(change.after).length === 0) return;
      await trx
        .updateTable('carers')
        .set({ ...after, updated_at: now.toISOString() })
        .where('id', '=', carer.id)
        .where('school_id', '=', carer.school_id)
        .execute();
      await audit(
        trx,
        { kind: 'carer', id: carer.id, schoolId: carer.school_id, ip: request.ip },
        { schoolId: carer.school_id, action: 'carer.preferences_changed', entity: 'carer', entityId: carer.id, before: change.before, after: change.after },
        now,
      );
    });
    return reply.redirect('/preferences?saved=yes', 303);
  });
}

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { FeatureDeps } from '../../platform/deps.ts';
import type { MobileOnlyLetters } from '../../db/schema.ts';
import { staff } from '../../platform/access/policy.ts';
import { audit } from '../../platform/audit/audit.ts';
import { textsCanGo } from '../../platform/channels/sms.ts';
import { parseForm, type FieldErrors } from '../../platform/web/forms.ts';

const V = 'features/messages/views';
const headOnly = staff(['head']);

const SettingsForm = z.object({
  mobile_only_letters: z.enum(['paper', 'text'], { error: 'Select how newsletters and letters reach parents and carers with a mobile but no email' }),
});

/**
 * The head's choice of how newsletters and letters reach carers with a mobile but no email: a
 * paper copy in the paper pack, or a text with a short link to read it in Gatepost.
 */
export function messageSettingsRoutes(app: FastifyInstance, deps: FeatureDeps): void {
  const { db, clock } = deps;

  async function settingsPage(request: FastifyRequest, reply: FastifyReply, extra: { errors?: FieldErrors; values?: Record<string, unknown> } = {}) {
    const schoolId = request.user!.schoolId;
    const school = await db.selectFrom('schools').select('mobile_only_letters').where('id', '=', schoolId).executeTakeFirstOrThrow();
    const mobileOnly = await db
      .selectFrom('carers')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('school_id', '=', schoolId)
      .where('archived_at', 'is', null)
      .where('email', 'is', null)
      .where('mobile', 'is not', null)
      .where('paper_copies', '=', 0)
      .executeTakeFirstOrThrow();
    return reply.page(`${V}/settings.njk`, {
      title: 'How families are reached',
      values: { mobile_only_letters: school.mobile_only_letters },
      textsCanGo: textsCanGo(deps.config),
      mobileOnlyCount: Number(mobileOnly.n),
      saved: (request.query as { saved?: string }).saved === 'yes',
      ...extra,
    });
  }

  app.get('/settings/messages', { config: { policy: headOnly } }, async (request, reply) => settingsPage(request, reply));

  app.post('/settings/messages', { config: { policy: headOnly } }, async (request, reply) => {
    const form = parseForm(SettingsForm, request.body);
    if (!form.ok) return settingsPage(request, reply.code(400), { errors: form.errors, values: form.values });
    const user = request.user!;
    const chosen: MobileOnlyLetters = form.data.mobile_only_letters;
    const now = clock();
    await db.transaction().execute(async (trx) => {
      const before = await trx.selectFrom('schools').select('mobile_only_letters').where('id', '=', user.schoolId).executeTakeFirstOrThrow();
      if (before.mobile_only_letters === chosen) return;
      await trx.updateTable('schools').set({ mobile_only_letters: chosen }).where('id', '=', user.schoolId).execute();
      await audit(
        trx,
        { kind: user.kind, id: user.id, schoolId: user.schoolId, ip: request.ip },
        {
          schoolId: user.schoolId,
          action: 'school.settings_changed',
          entity: 'school',
          entityId: user.schoolId,
          before: { mobile_only_letters: before.mobile_only_letters },
          after: { mobile_only_letters: chosen },
        },
        now,
      );
    });
    return reply.redirect('/settings/messages?saved=yes', 303);
  });
}

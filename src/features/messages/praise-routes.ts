import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { FeatureDeps } from '../../platform/deps.ts';
import { staff } from '../../platform/access/policy.ts';
import { hasAnyRole, WHOLE_SCHOOL_ROLES, type StaffUser } from '../../platform/access/roles.ts';
import { pupilsVisibleTo } from '../../platform/access/scope.ts';
import { audit } from '../../platform/audit/audit.ts';
import { newId } from '../../platform/ids.ts';
import { parseForm } from '../../platform/web/forms.ts';
import { classesOfSchool, classesTaughtBy } from '../people/index.ts';
import { COMPOSERS } from './compose.ts';
import { sendMessage } from './send.ts';

const V = 'features/messages/views';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const PraiseForm = z.object({
  class_id: z.string().optional(),
  pupil_ids: z
    .union([z.string(), z.array(z.string())], { error: 'Choose at least one pupil' })
    .transform((v) => (Array.isArray(v) ? v : [v]))
    .refine((v) => v.length > 0 && v.length <= 60, 'Choose at least one pupil'),
  note: z.string({ error: 'Write a short note' }).trim().min(1, 'Write a short note').max(500, 'Keep the note to 500 characters or fewer'),
});

export const PRAISE_SUGGESTIONS = ['Fantastic reading today', 'Brilliant effort in maths', 'A really kind friend today', 'Super writing this week'];

const shownName = (p: { given_name: string; preferred_name: string | null; family_name: string }) => `${p.preferred_name ?? p.given_name} ${p.family_name}`;

/** Praise in seconds: a teacher ticks pupils on the class list, writes a line, sends. */
export function praiseRoutes(app: FastifyInstance, deps: FeatureDeps): void {
  const { db, clock } = deps;

  async function classContext(user: StaffUser, classId: string | undefined, today: string, teachersSeeAll: boolean) {
    // Staff who see the whole school (the DSL, SENCO and family liaison too, who may write to any family) choose from every class.
    const wholeSchool = hasAnyRole(user, WHOLE_SCHOOL_ROLES);
    const classes = (await classesTaughtBy(db, user.id)).concat(wholeSchool ? await classesOfSchool(db, user.schoolId).then((cs) => cs.map((c) => ({ ...c, pupil_count: 0 }))) : []);
    const unique = [...new Map(classes.map((c) => [c.id, c])).values()];
    const chosen = unique.find((c) => c.id === classId) ?? unique[0];
    const pupils = chosen
      ? await db
          .selectFrom('pupils')
          .select(['id', 'given_name', 'preferred_name', 'family_name'])
          .where('class_id', '=', chosen.id)
          .where('archived_at', 'is', null)
          .where(pupilsVisibleTo(user, today, teachersSeeAll))
          .execute()
      : [];
    // In the order of the names the teacher sees: "Jakub" is listed as Kuba if that is what he is called.
    pupils.sort((a, b) => shownName(a).localeCompare(shownName(b), 'en-GB') || a.id.localeCompare(b.id));
    return { classes: unique, chosen, pupils, suggestions: PRAISE_SUGGESTIONS };
  }

  /**
   * What the teacher just sent, to say back to them: the note and the children it was about, in the
   * order they appear on the class list. Only their own praise, in their own school.
   */
  async function justSent(user: StaffUser, messageId: string | undefined) {
    if (typeof messageId !== 'string' || !UUID.test(messageId)) return null;
    const message = await db
      .selectFrom('messages')
      .select(['body', 'audience_json'])
      .where('id', '=', messageId)
      .where('school_id', '=', user.schoolId)
      .where('kind', '=', 'praise')
      .where('created_by', '=', user.id)
      .executeTakeFirst();
    if (!message) return null;
    const audience = JSON.parse(message.audience_json) as { pupilIds?: string[] };
    const ids = audience.pupilIds ?? [];
    const pupils = ids.length
      ? await db.selectFrom('pupils').select(['id', 'given_name', 'preferred_name', 'family_name']).where('id', 'in', ids).where('school_id', '=', user.schoolId).execute()
      : [];
    return { note: message.body, pupils: pupils.map(shownName).sort((a, b) => a.localeCompare(b, 'en-GB')) };
  }

  app.get('/praise', { config: { policy: staff(COMPOSERS) } }, async (request, reply) => {
    const user = request.user as StaffUser;
    const q = request.query as { class?: string; sent?: string; message?: string };
    return reply.page(`${V}/praise.njk`, {
      title: 'Send praise home',
      values: {},
      sent: q.sent,
      sentPraise: q.sent ? await justSent(user, q.message) : null,
      ...(await classContext(user, q.class, request.scope.today, request.scope.teachersSeeAllPupils)),
    });
  });

  app.post('/praise', { config: { policy: staff(COMPOSERS) } }, async (request, reply) => {
    const user = request.user as StaffUser;
    const form = parseForm(PraiseForm, request.body);
    const classId = (request.body as { class_id?: string }).class_id;
    const ctx = await classContext(user, classId, request.scope.today, request.scope.teachersSeeAllPupils);
    if (!form.ok) return reply.code(400).page(`${V}/praise.njk`, { title: 'Send praise home', values: form.values, errors: form.errors, ...ctx });
    const visible = new Set(ctx.pupils.map((p) => p.id));
    if (form.data.pupil_ids.some((id) => !visible.has(id))) {
      return reply.code(400).page(`${V}/praise.njk`, { title: 'Send praise home', values: request.body, errors: { pupil_ids: 'Choose pupils from this class list' }, ...ctx });
    }
    const now = clock();
    const id = newId();
    const actor = { kind: 'staff' as const, id: user.id, schoolId: user.schoolId, ip: request.ip };
    await db.transaction().execute(async (trx) => {
      await trx
        .insertInto('messages')
        .values({
          id,
          school_id: user.schoolId,
          kind: 'praise',
          tone: 'good_news',
          subject: `Good news from ${user.name}`,
          body: form.data.note,
          audience_json: JSON.stringify({ kind: 'pupils', pupilIds: form.data.pupil_ids }),
          asks_acknowledgement: 0,
          status: 'draft',
          scheduled_for: null,
          sent_at: null,
          created_by: user.id,
          created_at: now.toISOString(),
          updated_at: now.toISOString(),
        })
        .execute();
      await audit(trx, actor, { schoolId: user.schoolId, action: 'message.drafted', entity: 'message', entityId: id, after: { kind: 'praise', pupils: form.data.pupil_ids.length } }, now);
    });
    const result = await sendMessage(db, actor, user.schoolId, id, { baseUrl: deps.config.baseUrl, schoolName: request.school!.name, today: request.scope.today, now });
    deps.pokeOutbox();
    return reply.redirect(`/praise?class=${ctx.chosen?.id ?? ''}&sent=${result.recipients}&message=${id}`, 303);
  });
}

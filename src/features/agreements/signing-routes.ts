import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { FeatureDeps } from '../../platform/deps.ts';
import { staff } from '../../platform/access/policy.ts';
import { hasAnyRole, type StaffUser } from '../../platform/access/roles.ts';
import { notFound } from '../../platform/errors.ts';
import { parseForm, type FieldErrors } from '../../platform/web/forms.ts';
import { formatDate } from '../../platform/calendar/time.ts';
import { classesTaughtBy } from '../people/index.ts';
import { PaperForm, pupilSigns, PupilSignForm } from './agreement.ts';
import { recordPaper, recordPupil } from './commands.ts';
import { obligations, pupilRow, signingState, teachesPupil } from './queries.ts';
import { staffActor } from './routes.ts';

const V = 'features/agreements/views';

/** Who may open a pupil's agreement page, record a paper signature (the office), and a pupil's own (the class teacher). */
export const SIGNING_ROLES = {
  pupilPage: ['head', 'senior_leader', 'office', 'family_liaison', 'senco', 'teacher'],
  paper: ['head', 'office'],
  pupil: ['teacher'],
} as const;

/**
 * Signatures recorded by staff: a carer's paper copy (who recorded it is kept), and a pupil from
 * Year 3 up signing with their class teacher. Teachers see their class's list on one page.
 */
export function agreementSigningRoutes(app: FastifyInstance, deps: FeatureDeps): void {
  const { db, clock } = deps;

  async function pupilPage(request: FastifyRequest, reply: FastifyReply, extra: { errors?: FieldErrors; values?: Record<string, unknown>; status?: number } = {}) {
    const user = request.user as StaffUser;
    const { pupilId } = request.params as { pupilId: string };
    const [pupil, state] = await Promise.all([pupilRow(db, user.schoolId, pupilId), signingState(db, user.schoolId)]);
    if (!pupil) throw notFound();
    const rows = state.current ? await obligations(db, user.schoolId, request.scope.today, { pupilIds: [pupilId] }) : [];
    const name = `${pupil.preferred_name || pupil.given_name} ${pupil.family_name}`;
    return reply.code(extra.status ?? 200).page(`${V}/pupil.njk`, {
      title: `Home-school agreement: ${name}`,
      backLink: `/pupils/${pupilId}`,
      pupil,
      name,
      current: state.current,
      carers: rows.filter((o) => o.signer === 'carer'),
      pupilRow: rows.find((o) => o.signer === 'pupil') ?? null,
      pupilSigns: pupilSigns(pupil.year_group),
      mayPaper: hasAnyRole(user, SIGNING_ROLES.paper),
      mayPupil: user.roles.includes('teacher') && (await teachesPupil(db, user.id, pupilId)),
      formatDate,
      today: request.scope.today,
      errors: extra.errors,
      values: extra.values ?? { signed_on: request.scope.today },
    });
  }

  app.get('/pupils/:pupilId/agreement', { config: { policy: staff(SIGNING_ROLES.pupilPage, 'own_classes') } }, async (request, reply) => pupilPage(request, reply));

  app.post('/pupils/:pupilId/agreement/paper', { config: { policy: staff(SIGNING_ROLES.paper) } }, async (request, reply) => {
    const { pupilId } = request.params as { pupilId: string };
    const form = parseForm(PaperForm, request.body);
    if (!form.ok) return pupilPage(request, reply, { errors: form.errors, values: form.values, status: 400 });
    const done = await recordPaper(db, staffActor(request), pupilId, form.data, { today: request.scope.today, now: clock() });
    if (!done.ok) return pupilPage(request, reply, { errors: { [done.field]: done.message }, values: request.body as Record<string, unknown>, status: 400 });
    return reply.redirect(`/pupils/${pupilId}/agreement`, 303);
  });

  app.post('/pupils/:pupilId/agreement/pupil', { config: { policy: staff(SIGNING_ROLES.pupil, 'own_classes') } }, async (request, reply) => {
    const user = request.user as StaffUser;
    const { pupilId } = request.params as { pupilId: string };
    // Only the class teacher, whatever the school's reach setting, and only from Year 3 up.
    const pupil = await pupilRow(db, user.schoolId, pupilId);
    if (!pupil || !(await teachesPupil(db, user.id, pupilId))) throw notFound();
    if (!pupilSigns(pupil.year_group))
      return pupilPage(request, reply, { errors: { signed_on: 'Pupils sign the agreement from Year 3 up' }, values: request.body as Record<string, unknown>, status: 400 });
    const form = parseForm(PupilSignForm, request.body);
    if (!form.ok) return pupilPage(request, reply, { errors: form.errors, values: form.values, status: 400 });
    const done = await recordPupil(db, staffActor(request), pupilId, form.data, { today: request.scope.today, now: clock() });
    if (!done.ok) return pupilPage(request, reply, { errors: { [done.field]: done.message }, values: request.body as Record<string, unknown>, status: 400 });
    const back = (request.body as { from?: unknown }).from === 'class' ? '/agreements/my-class' : `/pupils/${pupilId}/agreement`;
    return reply.redirect(back, 303);
  });

  app.get('/agreements/my-class', { config: { policy: staff(SIGNING_ROLES.pupil, 'own_classes') } }, async (request, reply) => {
    const user = request.user as StaffUser;
    const classes = await classesTaughtBy(db, user.id);
    const state = await signingState(db, user.schoolId);
    const rows = state.current ? await obligations(db, user.schoolId, request.scope.today, { classIds: classes.map((c) => c.id) }) : [];
    return reply.page(`${V}/my-class.njk`, {
      title: 'Your class and the agreement',
      backLink: '/agreements',
      current: state.current,
      pupils: rows.filter((o) => o.signer === 'pupil'),
      carers: rows.filter((o) => o.signer === 'carer'),
      today: request.scope.today,
    });
  });
}

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { FeatureDeps } from '../../platform/deps.ts';
import { allStaff, staff } from '../../platform/access/policy.ts';
import type { StaffUser } from '../../platform/access/roles.ts';
import { markAlertsSeen } from '../../platform/alerts/alerts.ts';
import { notFound } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import { readsSafeguarding, SAFEGUARDING_ROLES } from '../../platform/safeguarding/safeguarding.ts';
import { parseForm, type FieldErrors } from '../../platform/web/forms.ts';
import { makeReport, pupilsToChoose, readReport, reportLink, reportsForLeads, tracesOf } from './reports.ts';
import { OTHER_NAME_MAX, SOMEONE_ELSE, tellForm, WHAT_MAX } from './tell.ts';

const V = 'features/safeguarding/views';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * "Tell the DSL", linked from every staff page's menu: the form (every member of staff, governors
 * too, never carers), and each report for the DSL and deputies to read. The writer sees when they
 * passed each one on, never the words; no one else sees it at all.
 */
export function tellTheDslRoutes(app: FastifyInstance, deps: FeatureDeps): void {
  const { db, clock, config } = deps;
  const writers = allStaff();
  const leads = staff(SAFEGUARDING_ROLES);

  async function renderForm(request: FastifyRequest, reply: FastifyReply, extra: { errors?: FieldErrors; values?: Record<string, unknown>; passed?: string } = {}) {
    const user = request.user as StaffUser;
    const dsl = readsSafeguarding(user.roles);
    const [pupils, traces, reports] = await Promise.all([pupilsToChoose(db, user, request.scope), tracesOf(db, user.schoolId, user.id), dsl ? reportsForLeads(db, user.schoolId, user.id) : []]);
    const values = { ...(extra.values ?? {}) };
    if (typeof values.form_id !== 'string' || !UUID.test(values.form_id)) values.form_id = newId();
    const passed = extra.passed ? traces.find((tr) => tr.id === extra.passed) : undefined;
    return reply.code(extra.errors ? 400 : 200).page(`${V}/tell.njk`, {
      title: 'Tell the DSL',
      pupils,
      someoneElse: SOMEONE_ELSE,
      whatMax: WHAT_MAX,
      otherNameMax: OTHER_NAME_MAX,
      traces,
      passed,
      dsl,
      reports,
      errors: extra.errors,
      values,
    });
  }

  app.get('/tell-the-dsl', { config: { policy: writers } }, async (request, reply) => {
    const { passed } = request.query as { passed?: string };
    return renderForm(request, reply, { passed: typeof passed === 'string' ? passed : undefined });
  });

  app.post('/tell-the-dsl', { config: { policy: writers } }, async (request, reply) => {
    const user = request.user as StaffUser;
    const form = parseForm(tellForm(request.scope.today), request.body);
    if (!form.ok) return renderForm(request, reply, form);
    const actor = { kind: 'staff' as const, id: user.id, schoolId: user.schoolId, ip: request.ip };
    const made = await makeReport(db, actor, user, request.scope, form.data, { now: clock(), baseUrl: config.baseUrl });
    if (!made.ok) return renderForm(request, reply, { errors: { [made.field]: made.message }, values: request.body as Record<string, unknown> });
    deps.pokeOutbox();
    return reply.redirect(`/tell-the-dsl?passed=${made.id}`, 303);
  });

  app.get('/tell-the-dsl/:reportId', { config: { policy: leads } }, async (request, reply) => {
    const user = request.user as StaffUser;
    const { reportId } = request.params as { reportId: string };
    const now = clock();
    const found = await readReport(db, { kind: 'staff', id: user.id, schoolId: user.schoolId, ip: request.ip }, reportId, now);
    if (!found) throw notFound();
    await markAlertsSeen(db, user.schoolId, user.id, reportLink(reportId), now);
    return reply.page(`${V}/report.njk`, { title: 'Told to the DSL', report: found.report, readings: found.readings });
  });
}

import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { audit } from '../../../platform/audit/audit.ts';
import type { FeatureDeps } from '../../../platform/deps.ts';
import { staff } from '../../../platform/access/policy.ts';
import { STAFF_ROLES, type StaffUser } from '../../../platform/access/roles.ts';
import { createTranslator } from '../../../platform/channels/translate.ts';
import { notFound } from '../../../platform/errors.ts';
import { parseForm, type PageErrors } from '../../../platform/web/forms.ts';
import type { Html } from '../../../platform/web/nunjucks.ts';
import { rememberUploadName, uploadName } from '../../../platform/web/uploads.ts';
import { carersOfPupil, fullName, pupilOf } from '../queries.ts';
import { AppointForm, appoint, decideLate, LateForm, NameForm, nameStaff, PanelDateForm, saveSettings, setPanelDate, slip, SlipForm, toPanel } from './case.ts';
import { addDocument, addInterview, checkDocument, finishLetter, InterviewForm, LetterForm, saveReport } from './investigation.ts';
import { makeComplaint, StaffComplaintForm } from './make.ts';
import { caseData, renderComplaint, STATUS_LABELS, type PageExtra } from './page.ts';
import { complaintForStaff, complaintsForStaff, settingsFor, staffChoices } from './queries.ts';
import { PapersForm, sendPapers } from './papers.ts';
import { listedDue } from './overdue.ts';
import { schoolCalendar } from '../../../platform/calendar/calendar-queries.ts';
import { publicComplaintsOf } from './public.ts';
import { ReportForm } from './report.ts';
import { SettingsForm, WHO_MAY_COMPLAIN } from './settings.ts';
import type { By } from './tell.ts';

const V = 'features/concerns/complaints/views';
/** Anyone on the staff may be on a case team (a governor as officer or panel member); each complaint is then checked (caseRole). */
const anyStaff = staff(STAFF_ROLES);
/** The procedure is the head's to set. */
const head = staff(['head']);
/** Who may write down a complaint made by letter, email or in person. */
const RECORDERS = ['head', 'senior_leader', 'office'] as const;

/** Formal complaints, for the case team: the list, the case, its steps; the settings; recording one for a family. */
export function complaintRoutes(app: FastifyInstance, deps: FeatureDeps): void {
  const { db, clock, config } = deps;
  const translator = config.translate.url ? createTranslator({ url: config.translate.url, key: config.translate.key, timeoutMs: 8_000 }) : null;
  const ctx = () => ({ now: clock(), baseUrl: config.baseUrl, translator });
  const byOf = (request: FastifyRequest): By => {
    const user = request.user as StaffUser;
    return { staffId: user.id, schoolId: user.schoolId, ip: request.ip };
  };
  async function opened(request: FastifyRequest, roles: readonly string[] = ['lead', 'officer', 'panel', 'clerk']) {
    const { complaintId } = request.params as { complaintId: string };
    const found = await complaintForStaff(db, request.user as StaffUser, complaintId);
    if (!found || !roles.includes(found.role)) throw notFound();
    return found;
  }
  const back = (id: string, done: string) => `/complaints/${id}?done=${done}#${done}`;
  const again = (request: FastifyRequest, form: string, errors: PageErrors): PageExtra => ({ errors, values: request.body as Record<string, unknown>, form });
  const LEAD = ['lead'];
  const INVESTIGATORS = ['lead', 'officer'];

  app.get('/complaints', { config: { policy: anyStaff } }, async (request, reply) => {
    const user = request.user as StaffUser;
    const isHead = user.roles.includes('head');
    const settings = await settingsFor(db, user.schoolId);
    // Public complaints go where carers' do: about the head, to whoever the settings name.
    const triaged = { matter: isHead, head: settings.headComplaintsTo === user.id };
    const [complaints, fromPublic, school, calendar] = await Promise.all([
      complaintsForStaff(db, user),
      publicComplaintsOf(db, user.schoolId, triaged),
      db.selectFrom('schools').select('urn').where('id', '=', user.schoolId).executeTakeFirstOrThrow(),
      schoolCalendar(db, user.schoolId),
    ]);
    return reply.page(`${V}/list.njk`, {
      fromPublic,
      publicForm: isHead ? `${config.baseUrl}/complain/${school.urn}` : null,
      title: 'Formal complaints',
      complaints: complaints.map((c) => ({
        ...c,
        name: c.given_name ? fullName({ given_name: c.given_name, preferred_name: c.preferred_name, family_name: c.family_name! }) : `${c.public_name} (public form)`,
        due: listedDue(c, calendar, settings.limits, request.scope.today),
      })),
      statusLabels: STATUS_LABELS,
      mayChange: (request.user as StaffUser).roles.includes('head'),
    });
  });

  async function settingsPage(request: FastifyRequest, extra: PageExtra = {}) {
    const user = request.user as StaffUser;
    const [settings, people] = await Promise.all([settingsFor(db, user.schoolId), staffChoices(db, user.schoolId)]);
    const values = {
      school_type: settings.schoolType,
      stage_names: settings.stages.map((s) => s.label).join('\n'),
      acknowledge: settings.limits.acknowledge,
      respond: settings.limits.respond,
      panel_within: settings.limits.panelWithin,
      papers_before: settings.limits.papersBefore,
      decision_after: settings.limits.decisionAfter,
      head_complaints_to: settings.headComplaintsTo ?? '',
      governor_complaints_to: settings.governorComplaintsTo ?? '',
      clerk: settings.clerkId ?? '',
      ...(extra.values ?? {}),
    };
    return { title: 'Complaints procedure', backLink: '/complaints', people, whoMay: WHO_MAY_COMPLAIN, values, errors: extra.errors, done: extra.done };
  }
  app.get('/complaints/settings', { config: { policy: head } }, async (request, reply) => {
    const { done } = request.query as { done?: unknown };
    return reply.page(`${V}/settings.njk`, await settingsPage(request, { done: typeof done === 'string' ? done : undefined }));
  });
  app.post('/complaints/settings', { config: { policy: head } }, async (request, reply) => {
    const form = parseForm(SettingsForm, request.body);
    if (!form.ok) return reply.code(400).page(`${V}/settings.njk`, await settingsPage(request, form));
    const people = new Set((await staffChoices(db, (request.user as StaffUser).schoolId)).map((p) => p.value));
    const unknown = (['head_complaints_to', 'governor_complaints_to', 'clerk'] as const).find((k) => form.data[k] && !people.has(form.data[k]!));
    if (unknown)
      return reply.code(400).page(`${V}/settings.njk`, await settingsPage(request, { errors: { [unknown]: 'Choose someone on the staff' }, values: request.body as Record<string, unknown> }));
    await saveSettings(db, byOf(request), form.data, clock());
    return reply.redirect('/complaints/settings?done=saved', 303);
  });

  app.get('/complaints/:complaintId', { config: { policy: anyStaff } }, async (request, reply) => {
    const found = await opened(request);
    const { done } = request.query as { done?: unknown };
    return renderComplaint(db, request, reply, found, clock(), { done: typeof done === 'string' ? done : undefined });
  });

  app.get('/complaints/:complaintId/procedure', { config: { policy: anyStaff } }, async (request, reply) => {
    const found = await opened(request);
    const data = await caseData(db, request, found, clock(), 'complaint.procedure_viewed');
    return reply.page(`${V}/procedure.njk`, { title: `Procedure followed: complaint ${data.pupil ? 'about' : 'from'} ${data.caseTitle}`, backLink: `/complaints/${found.complaint.id}`, ...data });
  });

  app.get('/complaints/:complaintId/documents/:eventId', { config: { policy: anyStaff } }, async (request, reply) => {
    const found = await opened(request);
    const { eventId } = request.params as { eventId: string };
    const doc = await db
      .selectFrom('complaint_events')
      .select(['id', 'file_name', 'file_type', 'file_base64'])
      .where('id', '=', eventId)
      .where('complaint_id', '=', found.complaint.id)
      .where('school_id', '=', found.complaint.school_id)
      .where('kind', '=', 'document')
      .executeTakeFirst();
    if (!doc?.file_base64) throw notFound();
    const user = request.user as StaffUser;
    await audit(
      db,
      { kind: 'staff', id: user.id, schoolId: user.schoolId, ip: request.ip },
      { schoolId: user.schoolId, action: 'complaint.document_read', entity: 'complaint', entityId: found.complaint.id, after: { event_id: doc.id } },
      clock(),
    );
    const safeName = (doc.file_name ?? 'document').replace(/[^\w.\- ]/g, '_');
    return reply
      .header('content-type', doc.file_type ?? 'application/octet-stream')
      .header('content-disposition', `attachment; filename="${safeName}"`)
      .header('cache-control', 'no-store')
      .send(Buffer.from(doc.file_base64, 'base64'));
  });

  // Each step: parse, check the person's part in the case, do it, come back to the case.
  const step = <T>(
    path: string,
    roles: string[],
    form: { safeParse: (v: unknown) => unknown } & Parameters<typeof parseForm>[0],
    name: string,
    run: (request: FastifyRequest, found: Awaited<ReturnType<typeof opened>>, data: T) => Promise<{ ok: true } | { ok: false; field: string; message: string | Html }>,
  ) =>
    app.post(`/complaints/:complaintId/${path}`, { config: { policy: anyStaff } }, async (request, reply) => {
      const found = await opened(request, roles);
      const parsed = parseForm(form, request.body);
      if (!parsed.ok) return renderComplaint(db, request, reply, found, clock(), { ...parsed, form: name });
      const done = await run(request, found, parsed.data as T);
      if (!done.ok) return renderComplaint(db, request, reply, found, clock(), again(request, name, { [done.field]: done.message }));
      deps.pokeOutbox();
      return reply.redirect(back(found.complaint.id, name), 303);
    });

  step<z.output<typeof LateForm>>('late', LEAD, LateForm, 'late', (r, f, d) => decideLate(db, byOf(r), f, d, ctx()));
  step<z.output<typeof NameForm>>('named', LEAD, NameForm, 'named', (r, f, d) => nameStaff(db, byOf(r), f, d.staff, clock()));
  step<z.output<typeof AppointForm>>('officer', LEAD, AppointForm, 'officer', (r, f, d) => appoint(db, byOf(r), f, 'officer', d, clock(), config.baseUrl));
  step<z.output<typeof AppointForm>>('panel', LEAD, AppointForm, 'panel', (r, f, d) => appoint(db, byOf(r), f, 'panel', d, clock(), config.baseUrl));
  step<z.output<typeof SlipForm>>('slip', LEAD, SlipForm, 'slip', (r, f, d) => slip(db, byOf(r), f, d, ctx()));
  step<z.output<typeof PanelDateForm>>('panel-date', LEAD, PanelDateForm, 'panel-date', (r, f, d) => setPanelDate(db, byOf(r), f, d.panel_on, ctx()));
  step<z.output<typeof InterviewForm>>('interviews', INVESTIGATORS, InterviewForm, 'interview', async (r, f, d) => {
    await addInterview(db, byOf(r), f, d, clock());
    return { ok: true };
  });
  step<z.output<typeof LetterForm>>('letter', LEAD, LetterForm, 'letter', (r, f, d) => finishLetter(db, byOf(r), f, d, ctx()));
  step<z.output<typeof PapersForm>>('papers', LEAD, PapersForm, 'papers', (r, f, d) => sendPapers(db, byOf(r), f, d, ctx()));
  step<Record<string, never>>('stage-2', LEAD, z.object({}), 'stage-2', (r, f) => toPanel(db, f.complaint, byOf(r), ctx(), f.settings.limits));

  app.post('/complaints/:complaintId/report', { config: { policy: anyStaff } }, async (request, reply) => {
    const found = await opened(request, INVESTIGATORS);
    const parsed = parseForm(ReportForm, request.body);
    if (!parsed.ok) return renderComplaint(db, request, reply, found, clock(), { ...parsed, form: 'report' });
    const { issue, ...report } = parsed.data;
    const saved = await saveReport(db, byOf(request), found, report, issue === 'yes', clock());
    if (!saved.ok) return renderComplaint(db, request, reply, found, clock(), { errors: saved.errors, values: request.body as Record<string, unknown>, form: 'report' });
    return reply.redirect(back(found.complaint.id, issue === 'yes' ? 'issued' : 'report'), 303);
  });

  app.post('/complaints/:complaintId/documents', { config: { policy: anyStaff, uploads: true }, onRequest: rememberUploadName }, async (request, reply) => {
    const found = await opened(request, INVESTIGATORS);
    const body = (request.body ?? {}) as { file?: unknown; description?: unknown; file_name?: unknown };
    const bytes = Buffer.isBuffer(body.file) ? body.file : null;
    const name = uploadName(request);
    const description = typeof body.description === 'string' ? body.description.trim().slice(0, 500) : '';
    const checked = checkDocument(name, bytes);
    if (!checked.ok) return renderComplaint(db, request, reply, found, clock(), { errors: { file: checked.message }, values: { description }, form: 'document' });
    await addDocument(db, byOf(request), found, { name: name!, type: checked.type, bytes: bytes! }, description, clock());
    return reply.redirect(back(found.complaint.id, 'document'), 303);
  });

  // Recording a complaint made by letter, email or in person, for a carer of the child.
  async function newPage(request: FastifyRequest, extra: PageExtra = {}) {
    const user = request.user as StaffUser;
    const { pupilId } = request.params as { pupilId: string };
    const [pupil, carers, settings] = await Promise.all([pupilOf(db, user.schoolId, pupilId), carersOfPupil(db, user.schoolId, pupilId, request.scope.today), settingsFor(db, user.schoolId)]);
    return {
      title: 'Record a formal complaint',
      backLink: `/pupils/${pupilId}`,
      pupil: { ...pupil, name: fullName(pupil) },
      carers,
      whoMay: WHO_MAY_COMPLAIN[settings.schoolType],
      errors: extra.errors,
      values: extra.values ?? {},
    };
  }
  app.get('/pupils/:pupilId/complaints/new', { config: { policy: staff(RECORDERS) } }, async (request, reply) => reply.page(`${V}/new.njk`, await newPage(request)));
  app.post('/pupils/:pupilId/complaints', { config: { policy: staff(RECORDERS) } }, async (request, reply) => {
    const user = request.user as StaffUser;
    const { pupilId } = request.params as { pupilId: string };
    const form = parseForm(StaffComplaintForm, { ...(request.body as object), pupil: pupilId });
    if (!form.ok) return reply.code(400).page(`${V}/new.njk`, await newPage(request, form));
    const made = await makeComplaint(db, user.schoolId, { kind: 'staff', staffId: user.id, ip: request.ip }, form.data, ctx());
    if (!made.ok) return reply.code(400).page(`${V}/new.njk`, await newPage(request, { errors: { [made.field]: made.message }, values: request.body as Record<string, unknown> }));
    deps.pokeOutbox();
    // The person who wrote it down is not on the case team unless they lead it: they see that it was made.
    const found = await complaintForStaff(db, user, made.id);
    return reply.redirect(found ? back(made.id, 'made') : `/pupils/${pupilId}/complaints/new?done=made`, 303);
  });
}

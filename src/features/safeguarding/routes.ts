import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { FeatureDeps } from '../../platform/deps.ts';
import { allStaff, staff } from '../../platform/access/policy.ts';
import type { StaffRole } from '../../db/schema.ts';
import { STAFF_ROLES, type StaffUser } from '../../platform/access/roles.ts';
import { markAlertsSeen } from '../../platform/alerts/alerts.ts';
import { audit } from '../../platform/audit/audit.ts';
import { notFound } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import { readsSafeguarding, SAFEGUARDING_ROLES } from '../../platform/safeguarding/safeguarding.ts';
import { parseForm, type FieldErrors } from '../../platform/web/forms.ts';
import type { PassedWords, WordsFinder } from '../../platform/safeguarding/words.ts';
import { communityCheckInForStaff, COMMUNITY_KEEPERS } from '../community/index.ts';
import { conductArrangementForStaff, conductIncidentForStaff, CONDUCT_READERS } from '../conduct/index.ts';
import { consultationCommentForStaff, COMMENT_READERS } from '../consultations/index.ts';
import { agendaQuestionForStaff, familyProgressForStaff, MEETING_STAFF_ROLES, safetyPlanNotesForStaff } from '../meetings/index.ts';
import { profileStaffNoteFinder, PROFILE_STAFF_SECTIONS, PROFILE_READ_ROLES } from '../profiles/index.ts';
import { riskAssessmentForStaff, VOLUNTEERING_ROLES } from '../volunteering/index.ts';
import { surveyAnswerForStaff, SURVEY_READERS } from '../surveys/index.ts';
import { makeReport, pupilsToChoose, QUOTE_BY_FAMILY, QUOTE_WHERE, readReport, reportLink, reportsForLeads, tracesOf } from './reports.ts';
import { OTHER_NAME_MAX, SOMEONE_ELSE, tellForm, WHAT_MAX } from './tell.ts';

const V = 'features/safeguarding/views';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * "Pass this to the DSL", beside words on a staff page (a family's, or what staff wrote): where the
 * words are, the route's parameter (looked up in the school first), who may open the page they are
 * on, and the function that finds them for this member of staff by that page's own rule (undefined:
 * 404). Governors see no meetings.
 */
const WORDS_GONE =
  'The words are no longer there to quote: they were changed after you opened this page. Your report has not been sent. Write what they said, as you remember it, and tell the DSL now.';
const NOT_GOVERNORS = STAFF_ROLES.filter((r) => r !== 'governor');
const SOURCES: { path: string; param: string; roles: readonly StaffRole[]; find: WordsFinder }[] = [
  { path: '/tell-the-dsl/agenda-questions/:agendaItemId', param: 'agendaItemId', roles: NOT_GOVERNORS, find: agendaQuestionForStaff },
  { path: '/tell-the-dsl/family-progress/:actionId', param: 'actionId', roles: NOT_GOVERNORS, find: familyProgressForStaff },
  { path: '/tell-the-dsl/safety-plans/:meetingId', param: 'meetingId', roles: MEETING_STAFF_ROLES, find: safetyPlanNotesForStaff },
  { path: '/tell-the-dsl/buddy-check-ins/:matchId', param: 'matchId', roles: COMMUNITY_KEEPERS, find: communityCheckInForStaff },
  { path: '/tell-the-dsl/conduct-incidents/:incidentId', param: 'incidentId', roles: CONDUCT_READERS, find: conductIncidentForStaff },
  { path: '/tell-the-dsl/conduct-arrangements/:arrangementId', param: 'arrangementId', roles: CONDUCT_READERS, find: conductArrangementForStaff },
  ...PROFILE_STAFF_SECTIONS.map((section) => ({ path: `/tell-the-dsl/profile-notes/${section}/:pupilId`, param: 'pupilId', roles: PROFILE_READ_ROLES, find: profileStaffNoteFinder(section) })),
  { path: '/tell-the-dsl/risk-assessments/:volunteerId', param: 'volunteerId', roles: VOLUNTEERING_ROLES, find: riskAssessmentForStaff },
  { path: '/tell-the-dsl/consultation-comments/:commentId', param: 'commentId', roles: COMMENT_READERS, find: consultationCommentForStaff },
  { path: '/tell-the-dsl/survey-answers/:answerId', param: 'answerId', roles: SURVEY_READERS, find: surveyAnswerForStaff },
];

/**
 * "Tell the DSL", linked from every staff page's menu: the form (every member of staff, governors
 * too, never carers), and each report for the DSL and deputies to read. The writer sees when they
 * passed each one on, never the words; no one else sees it at all.
 */
export function tellTheDslRoutes(app: FastifyInstance, deps: FeatureDeps): void {
  const { db, clock, config } = deps;
  const writers = allStaff();
  const leads = staff(SAFEGUARDING_ROLES);

  async function renderForm(
    request: FastifyRequest,
    reply: FastifyReply,
    extra: { errors?: FieldErrors; values?: Record<string, unknown>; passed?: string; quote?: PassedWords; action?: string } = {},
  ) {
    const user = request.user as StaffUser;
    const quote = extra.quote;
    // Beside a parent's words: the list and the page of reports are the menu's, not this form's.
    const dsl = readsSafeguarding(user.roles) && !quote;
    const [pupils, traces, reports] = await Promise.all([
      pupilsToChoose(db, user, request.scope, quote?.pupilId ?? null),
      quote ? [] : tracesOf(db, user.schoolId, user.id),
      dsl ? reportsForLeads(db, user.schoolId, user.id) : [],
    ]);
    const values = { ...(extra.values ?? {}) };
    if (typeof values.form_id !== 'string' || !UUID.test(values.form_id)) values.form_id = newId();
    const passed = extra.passed ? traces.find((tr) => tr.id === extra.passed) : undefined;
    return reply.code(extra.errors ? 400 : 200).page(`${V}/tell.njk`, {
      title: quote ? 'Pass this to the DSL' : 'Tell the DSL',
      quote: quote
        ? {
            words: quote.words,
            writerName: quote.by.name,
            byStaff: quote.by.kind === 'staff',
            writtenAt: quote.writtenAt,
            source: quote.source,
            where: QUOTE_WHERE[quote.source],
            byFamily: QUOTE_BY_FAMILY[quote.source] ?? QUOTE_WHERE[quote.source],
            aboutAdult: !quote.pupilId,
          }
        : null,
      action: extra.action ?? '/tell-the-dsl',
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

  for (const source of SOURCES) {
    const readers = staff(source.roles);
    /** The words, for this member of staff by the rule of the page they are on; 404 otherwise. */
    const wordsOf = async (request: FastifyRequest) => {
      const id = (request.params as Record<string, string>)[source.param]!;
      const words = await source.find(db, request.user as StaffUser, request.scope, id);
      if (!words) throw notFound();
      return { words, action: source.path.replace(`:${source.param}`, id) };
    };

    // The form with the child chosen and the words quoted, and the date they read them today.
    app.get(source.path, { config: { policy: readers } }, async (request, reply) => {
      const { words, action } = await wordsOf(request);
      if (words === 'gone') throw notFound();
      // Words whose page audits every reading (a carer's conduct): reading them here is audited the same way.
      if (words.readAudit) {
        const user = request.user as StaffUser;
        await audit(db, { kind: 'staff', id: user.id, schoolId: user.schoolId, ip: request.ip }, { schoolId: user.schoolId, ...words.readAudit }, clock());
      }
      return renderForm(request, reply, { quote: words, action, values: { pupil: words.pupilId ?? '', happened_on: request.scope.today } });
    });

    app.post(source.path, { config: { policy: readers } }, async (request, reply) => {
      const user = request.user as StaffUser;
      const { words, action } = await wordsOf(request);
      // Taken away since the page was drawn: what they typed is kept, on the menu's form, to send in their own words.
      if (words === 'gone') return renderForm(request, reply, { errors: { what: WORDS_GONE }, values: request.body as Record<string, unknown> });
      const form = parseForm(tellForm(request.scope.today, { quoting: true }), request.body);
      if (!form.ok) return renderForm(request, reply, { ...form, quote: words, action });
      const actor = { kind: 'staff' as const, id: user.id, schoolId: user.schoolId, ip: request.ip };
      const made = await makeReport(db, actor, user, request.scope, form.data, { now: clock(), baseUrl: config.baseUrl }, words);
      if (!made.ok) return renderForm(request, reply, { errors: { [made.field]: made.message }, values: request.body as Record<string, unknown>, quote: words, action });
      deps.pokeOutbox();
      // The writer keeps the date they passed it on, never the words (theirs or the family's).
      return reply.redirect(`/tell-the-dsl?passed=${made.id}`, 303);
    });
  }

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

import Fastify, { type FastifyInstance } from 'fastify';
import formbody from '@fastify/formbody';
import cookie from '@fastify/cookie';
import multipart from '@fastify/multipart';
import type { Config } from './config.ts';
import { createTranslator } from './platform/channels/translate.ts';
import type { Db, Dialect } from './db/database.ts';
import { isDatabaseUnavailable } from './db/faults.ts';
import { registerGuard, type RouteRecord } from './platform/access/guard.ts';
import { systemClock, type Clock } from './platform/calendar/time.ts';
import type { Mailer } from './platform/channels/email.ts';
import { AppError } from './platform/errors.ts';
import type { Text } from './platform/i18n/catalog.ts';
import { createTemplates } from './platform/web/nunjucks.ts';
import { limitRequestsInFlight, type RequestLoad } from './platform/web/in-flight.ts';
import { plainErrorPage, registerWeb } from './platform/web/plugin.ts';
import { clientErrorHandler, frameworkErrors, registerContentTypeChecks, registerInputChecks } from './platform/web/hostile-input.ts';
import { authRoutes } from './platform/auth/routes.ts';
import { healthRoutes } from './platform/health/routes.ts';
import { registerOutboxWarning } from './platform/outbox/warning.ts';
import { registerLanguage } from './platform/i18n/plugin.ts';
import { homeRoutes } from './features/home/routes.ts';
import { peopleRoutes } from './features/people/index.ts';
import { familyReach } from './features/messages/index.ts';
import { eveningsStillToCome } from './features/evenings/index.ts';
import { importRoutes } from './features/people/import/routes.ts';
import { MAX_FILE_BYTES } from './features/people/import/csv.ts';
import { auditRoutes } from './platform/audit/routes.ts';
import { smsReceiptRoutes } from './platform/channels/sms-receipts-routes.ts';
import { messageRoutes } from './features/messages/routes.ts';
import { carerMessageRoutes } from './features/messages/carer-routes.ts';
import { translationRoutes } from './features/messages/translation-routes.ts';
import { volunteerTranslationRoutes } from './features/messages/volunteer-translation-routes.ts';
import { paperRoutes } from './features/messages/paper-routes.ts';
import { preferenceRoutes } from './features/messages/preferences-routes.ts';
import { notReachedRoutes } from './features/messages/not-reached-routes.ts';
import { praiseRoutes } from './features/messages/praise-routes.ts';
import { groupRoutes } from './features/messages/groups-routes.ts';
import { glossaryRoutes } from './features/messages/glossary-routes.ts';
import { messageSettingsRoutes } from './features/messages/settings-routes.ts';
import { eveningSetupRoutes } from './features/evenings/setup-routes.ts';
import { eveningBookingRoutes } from './features/evenings/booking-routes.ts';
import { meetingRoutes } from './features/meetings/routes.ts';
import { meetingRecordRoutes } from './features/meetings/record-routes.ts';
import { languagesRoutes } from './features/languages/index.ts';
import { conductRoutes } from './features/conduct/index.ts';
import { carerCommunityRoutes, communityRoutes } from './features/community/index.ts';
import { monitoringRoutes } from './features/monitoring/index.ts';
import { surveyFeatureRoutes } from './features/surveys/index.ts';
import { carerComplaintRoutes, carerConcernRoutes, complaintRoutes, concernRoutes, lettersAboutCarer, publicComplaintRoutes } from './features/concerns/index.ts';
import { carerEventRoutes, eventRoutes } from './features/events/index.ts';
import { carerVolunteeringRoutes, translatorsFor, volunteeringRoutes } from './features/volunteering/index.ts';
import { agreementRoutes, agreementSigningRoutes, agreementTranslationRoutes, carerAgreementRoutes } from './features/agreements/index.ts';
import { carerMayReadProfile, carerProfileRoutes, profileRoutes, profileTranslationRoutes } from './features/profiles/index.ts';
import { carerConsultationRoutes, consultationRoutes } from './features/consultations/index.ts';
import { termDateRoutes } from './features/term-dates/index.ts';
import { tellTheDslRoutes } from './features/safeguarding/index.ts';
import { subjectAccessRoutes } from './features/subject-access/index.ts';
import { retentionRoutes } from './features/retention/index.ts';
import { attendanceForCarer, attendanceRoutes } from './features/attendance/index.ts';

/** What the app needs from outside: the database, configuration, a mailer and a clock. */
export type AppDeps = {
  db: Db;
  dialect: Dialect;
  config: Config;
  mailer: Mailer;
  clock?: Clock;
  /** Wakes the outbox worker; without one, sends wait for its next poll. */
  pokeOutbox?: () => void;
  /** Counts the requests in hand, for the outbox worker to give way to (src/main.ts). */
  requestLoad?: RequestLoad;
  /** Pino options, or false for silence (tests). */
  logger?: boolean | object;
};

export type App = FastifyInstance & { gatepostRoutes: RouteRecord[] };

export async function buildApp(deps: AppDeps): Promise<App> {
  const clock = deps.clock ?? systemClock;
  const templates = createTemplates({ watch: false });
  const app = Fastify({
    logger: deps.logger ?? false,
    // One hop: the load balancer. The client's address is the one it saw, not one the client wrote into
    // its own X-Forwarded-For (sign-in limits count by address).
    trustProxy: deps.config.trustProxy ? (_address: string, hop: number) => hop < 1 : false,
    bodyLimit: 2 * 1024 * 1024,
    frameworkErrors: frameworkErrors((status) => plainErrorPage(templates, status)),
    clientErrorHandler: clientErrorHandler((status) => plainErrorPage(templates, status)),
  }) as unknown as App;
  const routes: RouteRecord[] = [];
  app.decorate('gatepostRoutes', routes);

  // First of all: how many requests this process works on at once (the rest wait their turn).
  limitRequestsInFlight(app, deps.config.requestsInFlight, deps.requestLoad);
  // Forms send urlencoded bodies and uploads multipart ones: no JSON or plain-text parser (415 instead).
  app.removeAllContentTypeParsers();
  await app.register(cookie);
  await app.register(formbody);
  // A bigger import file is cut off (not an error) and the upload page says so beside the file field.
  await app.register(multipart, { attachFieldsToBody: 'keyValues', throwFileSizeLimit: false, limits: { fileSize: MAX_FILE_BYTES, files: 1, fields: 10, parts: 12 } });

  registerInputChecks(app);
  registerGuard(app, { db: deps.db, config: deps.config, clock }, routes);
  registerContentTypeChecks(app);
  registerOutboxWarning(app, { db: deps.db, clock });
  const wordsFor = registerLanguage(app, { db: deps.db, clock });
  registerWeb(app, templates);

  // Set before the features are registered, so their scope inherits them.
  app.setNotFoundHandler(async (request, reply) => {
    const t = await wordsFor(request);
    return reply.code(404).page('platform/web/views/error.njk', { title: t('common.error.notFoundTitle'), lines: [t('common.error.notFound1'), t('common.error.notFound2')] });
  });

  app.setErrorHandler(async (error, request, reply) => {
    // A carer reads the error in their language; staff read the message as the code wrote it.
    const t = await wordsFor(request).catch(() => request.text);
    const carer = request.user?.kind === 'carer';
    if (error instanceof AppError) {
      if (carer) return reply.code(error.status).page('platform/web/views/error.njk', carerErrorPage(error, t));
      const title = error.code === 'not_found' ? 'Page not found' : error.code === 'too_many' ? 'Too many attempts' : 'Sorry, there is a problem';
      return reply.code(error.status).page('platform/web/views/error.njk', { title, lines: [error.message] });
    }
    const status = (error as { statusCode?: number }).statusCode ?? 500;
    if (status >= 400 && status < 500) {
      return reply.code(status).page('platform/web/views/error.njk', {
        title: t('common.error.problemTitle'),
        lines: [t(status === 413 ? 'common.error.tooLarge' : status === 415 ? 'common.error.strangeForm' : 'common.error.badRequest')],
      });
    }
    if (isDatabaseUnavailable(error)) {
      request.log.warn({ err: error }, 'request failed: the database connection was lost');
      return reply.code(503).page('platform/web/views/error.njk', { title: t('common.error.databaseTitle'), lines: [t('common.error.databaseLine')] });
    }
    request.log.error({ err: error }, 'request failed');
    return reply.code(500).page('platform/web/views/error.njk', { title: t('common.error.serverTitle'), lines: [t('common.error.serverLine')] });
  });

  const featureDeps = { ...deps, clock, pokeOutbox: deps.pokeOutbox ?? (() => undefined) };
  await app.register(async (scope) => {
    authRoutes(scope, featureDeps);
    healthRoutes(scope, featureDeps);
    homeRoutes(scope, featureDeps);
    peopleRoutes(scope, featureDeps, { familyReach, eveningsStillToCome, carerMayReadProfile, childAttendance: attendanceForCarer });
    importRoutes(scope, featureDeps);
    auditRoutes(scope, featureDeps);
    smsReceiptRoutes(scope, featureDeps);
    messageRoutes(scope, featureDeps);
    carerMessageRoutes(scope, featureDeps);
    // Who may be asked to translate a message comes from volunteering (messages cannot import it: volunteering's events import messages).
    translationRoutes(scope, featureDeps, { translatorsFor });
    volunteerTranslationRoutes(scope, featureDeps, { translatorsFor });
    paperRoutes(scope, featureDeps);
    preferenceRoutes(scope, featureDeps);
    notReachedRoutes(scope, featureDeps);
    praiseRoutes(scope, featureDeps);
    groupRoutes(scope, featureDeps);
    glossaryRoutes(scope, featureDeps);
    messageSettingsRoutes(scope, featureDeps);
    eveningSetupRoutes(scope, featureDeps);
    eveningBookingRoutes(scope, featureDeps);
    meetingRoutes(scope, featureDeps);
    meetingRecordRoutes(scope, featureDeps);
    languagesRoutes(scope, featureDeps);
    concernRoutes(scope, featureDeps);
    agreementRoutes(scope, featureDeps);
    agreementTranslationRoutes(scope, featureDeps);
    agreementSigningRoutes(scope, featureDeps);
    carerAgreementRoutes(scope, featureDeps);
    eventRoutes(scope, featureDeps);
    carerEventRoutes(scope, featureDeps);
    volunteeringRoutes(scope, featureDeps);
    carerVolunteeringRoutes(scope, featureDeps);
    profileRoutes(scope, featureDeps);
    profileTranslationRoutes(scope, featureDeps);
    carerProfileRoutes(scope, featureDeps);
    carerConcernRoutes(scope, featureDeps);
    consultationRoutes(scope, featureDeps);
    carerConsultationRoutes(scope, featureDeps);
    termDateRoutes(scope, featureDeps);
    // The conduct feature's letters go out as concerns' letters do (conduct cannot import concerns: see lettersAboutCarer).
    const translator = deps.config.translate.url ? createTranslator({ url: deps.config.translate.url, key: deps.config.translate.key, timeoutMs: 8_000 }) : null;
    conductRoutes(scope, featureDeps, lettersAboutCarer(translator));
    communityRoutes(scope, featureDeps);
    carerCommunityRoutes(scope, featureDeps);
    monitoringRoutes(scope, featureDeps);
    complaintRoutes(scope, featureDeps);
    carerComplaintRoutes(scope, featureDeps);
    publicComplaintRoutes(scope, featureDeps);
    surveyFeatureRoutes(scope, featureDeps);
    tellTheDslRoutes(scope, featureDeps);
    subjectAccessRoutes(scope, featureDeps);
    retentionRoutes(scope, featureDeps);
    attendanceRoutes(scope, featureDeps);
  });

  await app.ready();
  return app;
}

/** What a carer reads for an error: the messages they can meet, in their words; "Page not found" says what to do. */
const CARER_ERROR_KEYS: Record<string, string> = {
  'This form has expired. Go back, refresh the page and try again.': 'common.error.expired',
  'Something you entered contains a character Gatepost cannot store. Go back, remove it and try again.': 'common.error.character',
};
function carerErrorPage(error: AppError, t: Text): { title: string; lines: string[] } {
  if (error.code === 'not_found') return { title: t('common.error.notFoundTitle'), lines: [t('common.error.notFound1'), t('common.error.notFound2')] };
  const key = CARER_ERROR_KEYS[error.message];
  return { title: t(error.code === 'too_many' ? 'common.error.tooManyTitle' : 'common.error.problemTitle'), lines: [key ? t(key) : error.message] };
}

// The surveys feature's public face: what the app and other features may use.
import type { FastifyInstance } from 'fastify';
import type { FeatureDeps } from '../../platform/deps.ts';
import { carerSurveyRoutes } from './carer-routes.ts';
import { surveyPaperRoutes } from './paper-routes.ts';
import { surveyResultsRoutes } from './results-routes.ts';
import { surveyRoutes } from './routes.ts';
import { surveyTranslationRoutes } from './translation-routes.ts';

export function surveyFeatureRoutes(app: FastifyInstance, deps: FeatureDeps): void {
  surveyRoutes(app, deps);
  surveyTranslationRoutes(app, deps);
  surveyPaperRoutes(app, deps);
  surveyResultsRoutes(app, deps);
  carerSurveyRoutes(app, deps);
}

export { surveysOfCarer } from './queries.ts';
export { SURVEY_READERS } from './access.ts';
export { surveyAnswerForStaff } from './words-for-dsl.ts';
// The small-number rule for any breakdown by group of families (events use it too): one rule, here.
export { GROUP_MINIMUM, hiddenGroups, SURVEY_MINIMUM, type HiddenBecause } from './statistics.ts';

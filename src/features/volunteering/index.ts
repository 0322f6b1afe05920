// The volunteering feature's public face: what other features may use.
export { volunteeringRoutes, VOLUNTEERING_ROLES } from './routes.ts';
export { carerVolunteeringRoutes } from './carer-routes.ts';
export { mayPutOn, readApproval, reviewState } from './volunteer.ts';
/** For the periodic reminders job (main.ts): approved volunteers whose review is near or past, to the office and the head. */
export { sendVolunteerReviewReminders } from './reminders.ts';
/** For features/messages: the translating volunteers who may be asked to translate into a language today. */
export { translatorsFor, type Translator } from './queries.ts';
/** "Pass this to the DSL" beside a volunteer's risk assessment (features/safeguarding). */
export { riskAssessmentForStaff } from './words-for-dsl.ts';

// The conduct feature's public face: what other features may use.
export { conductRoutes } from './routes.ts';
export { reviewsDue, singlePointOfContact, type ReviewDue } from './queries.ts';
// Closing a complaint as serial or vexatious, for a public complainant too (features/concerns: public-closure.ts).
export { closeComplaint, reviewClosure, type PublicLetters } from './commands.ts';
export { ClosureForm, CONDUCT_READERS, DFE_ROUTE, GROUNDS_LABELS, reviewState } from './conduct.ts';
// The ban from the premises, asked by every feature that brings a carer onto the school site (events, evenings, volunteering, meetings).
export { bannedFromPremises, isBannedFromPremises, daysBannedFromPremises, contactForCarer } from './premises.ts';
// "Pass this to the DSL" beside what staff wrote about a carer's behaviour (features/safeguarding).
export { conductIncidentForStaff, conductArrangementForStaff } from './words-for-dsl.ts';

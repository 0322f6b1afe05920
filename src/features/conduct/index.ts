// The conduct feature's public face: what other features may use.
export { conductRoutes } from './routes.ts';
export { reviewsDue, singlePointOfContact, type ReviewDue } from './queries.ts';
// Closing a complaint as serial or vexatious, for a public complainant too (features/concerns: public-closure.ts).
export { closeComplaint, reviewClosure, type PublicLetters } from './commands.ts';
export { ClosureForm, DFE_ROUTE, GROUNDS_LABELS, reviewState } from './conduct.ts';

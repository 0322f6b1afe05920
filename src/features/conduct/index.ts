// The conduct feature's public face: what other features may use.
export { conductRoutes } from './routes.ts';
export { reviewsDue, singlePointOfContact, type ReviewDue } from './queries.ts';

// The volunteering feature's public face: what other features may use.
export { volunteeringRoutes, VOLUNTEERING_ROLES } from './routes.ts';
export { carerVolunteeringRoutes } from './carer-routes.ts';
export { mayPutOn, readApproval, reviewState } from './volunteer.ts';

// Subject access and education record requests: what other code may use.
export { subjectAccessRoutes } from './routes.ts';
export { requestsDue } from './queries.ts';
export { REQUEST_KEEPERS } from './forms.ts';

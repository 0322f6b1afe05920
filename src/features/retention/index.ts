// Records retention: what other code may use.
export { retentionRoutes } from './routes.ts';
export { RETENTION_KEEPERS, SCHEDULE } from './schedule.ts';

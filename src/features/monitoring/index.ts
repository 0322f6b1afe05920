// The monitoring feature's public face: what other features may use.
export { monitoringRoutes } from './routes.ts';

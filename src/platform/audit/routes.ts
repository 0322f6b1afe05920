import type { FastifyInstance } from 'fastify';
import type { FeatureDeps } from '../deps.ts';

export function auditRoutes(app: FastifyInstance, deps: FeatureDeps): void {
  void app;
  void deps;
}

import type { FastifyInstance } from 'fastify';
import type { FeatureDeps } from '../../platform/deps.ts';

export function notReachedRoutes(app: FastifyInstance, deps: FeatureDeps): void {
  void app;
  void deps;
}

import type { FastifyInstance } from 'fastify';
import type { FeatureDeps } from '../../platform/deps.ts';

export function preferenceRoutes(app: FastifyInstance, deps: FeatureDeps): void {
  void app;
  void deps;
}

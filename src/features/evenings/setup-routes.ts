import type { FastifyInstance } from 'fastify';
import type { FeatureDeps } from '../../platform/deps.ts';

/** Parents' evenings: a leader sets one up; teachers see their schedule. */
export function eveningSetupRoutes(_app: FastifyInstance, _deps: FeatureDeps): void {}

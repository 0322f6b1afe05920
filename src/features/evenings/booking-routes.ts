import type { FastifyInstance } from 'fastify';
import type { FeatureDeps } from '../../platform/deps.ts';

/** Parents' evenings: carers book (one flow across siblings, book for me); the office books for a carer who phones. */
export function eveningBookingRoutes(_app: FastifyInstance, _deps: FeatureDeps): void {}

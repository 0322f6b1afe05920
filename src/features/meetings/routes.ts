import type { FastifyInstance } from 'fastify';
import type { FeatureDeps } from '../../platform/deps.ts';

/** Meetings: requests, offered times, agendas, calendar files, safety plans. */
export function meetingRoutes(_app: FastifyInstance, _deps: FeatureDeps): void {}

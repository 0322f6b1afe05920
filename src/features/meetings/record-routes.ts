import type { FastifyInstance } from 'fastify';
import type { FeatureDeps } from '../../platform/deps.ts';

/** Meetings: the record (notes, safeguarding, actions, follow-ups) and the summary to the family. */
export function meetingRecordRoutes(_app: FastifyInstance, _deps: FeatureDeps): void {}

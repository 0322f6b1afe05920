import type { FastifyInstance } from 'fastify';
import type { FeatureDeps } from '../deps.ts';
import { anyone } from '../access/policy.ts';
import { freshFor, outboxHealth } from '../outbox/health.ts';

/**
 * GET /health for load balancers and monitoring: 200 while the database answers (503 when it does
 * not), with the outbox per channel: how many wait, how long the oldest has waited, when one last
 * went. Figures only, no personal data; worked out at most every few seconds.
 */
export function healthRoutes(app: FastifyInstance, deps: Pick<FeatureDeps, 'db' | 'clock'>): void {
  const figures = freshFor(3000, deps.clock);
  app.get('/health', { config: { policy: anyone } }, async (request, reply) => {
    try {
      const outbox = await figures('outbox', () => outboxHealth(deps.db, deps.clock()));
      return reply.header('Cache-Control', 'no-store').send({ ok: true, database: 'ok', outbox });
    } catch (error) {
      request.log.error({ err: error }, 'health: the database did not answer');
      return reply.code(503).header('Cache-Control', 'no-store').send({ ok: false, database: 'not answering' });
    }
  });
}

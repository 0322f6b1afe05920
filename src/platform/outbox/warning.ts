import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { Clock } from '../calendar/time.ts';
import { freshFor, oldestWaitingEmail } from './health.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set for the head and the office when the school's emails have been waiting too long. */
    outboxWarning: { minutes: number } | null;
  }
}

/** Emails waiting longer than this are not going out: the mail server is down, or refuses Gatepost. */
export const EMAILS_STUCK_MINUTES = 5;
/** The school's oldest waiting email is looked up at most this often. */
const RECHECK_MS = 5000;

/**
 * "Emails are not going out", on every page the head and the office see, when the oldest email of
 * their school still waiting to go was written over five minutes ago. Sign-in links, booking
 * confirmations and letters all wait in the outbox, so they are the ones who must know.
 */
export function registerOutboxWarning(app: FastifyInstance, deps: { db: Kysely<Database>; clock: Clock }): void {
  const oldest = freshFor<Date | null>(RECHECK_MS, deps.clock);
  app.decorateRequest('outboxWarning', null);
  app.addHook('preHandler', async (request) => {
    const user = request.user;
    if (request.method !== 'GET' || user?.kind !== 'staff' || !user.roles.some((r) => r === 'head' || r === 'office')) return;
    const since = await oldest(user.schoolId, () => oldestWaitingEmail(deps.db, user.schoolId)).catch(() => null); // a banner never stops a page
    const minutes = since ? Math.floor((deps.clock().getTime() - since.getTime()) / 60_000) : 0;
    if (minutes >= EMAILS_STUCK_MINUTES) request.outboxWarning = { minutes };
  });
}

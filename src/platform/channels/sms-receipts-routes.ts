import { absoluteLink } from '../web/links.ts';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Config } from '../../config.ts';
import type { Db } from '../../db/database.ts';
import type { Clock } from '../calendar/time.ts';
import { provider } from '../access/policy.ts';
import { recordReceipt } from '../outbox/receipts.ts';
import { twilioOutcome, validTwilioSignature } from './twilio.ts';

/** Where Twilio posts the receipts for one outbox row (its StatusCallback). */
export const receiptPath = (outboxId: string) => `/sms/receipts?outbox=${encodeURIComponent(outboxId)}`;

const Callback = z.object({ MessageSid: z.string().min(1).max(64), MessageStatus: z.string().min(1).max(40), ErrorCode: z.string().max(10).optional() });

/**
 * Twilio's delivery receipts. Only a request signed with our Auth Token is believed (403 otherwise,
 * and when no provider is set up); the signature covers the full address Twilio called, which is
 * BASE_URL plus the path and query. Applying a receipt twice changes nothing (receipts.ts), and the
 * answer is 204 either way, so Twilio has nothing to retry.
 */
export function smsReceiptRoutes(app: FastifyInstance, deps: { db: Db; config: Config; clock: Clock }): void {
  app.post('/sms/receipts', { config: { policy: provider } }, async (request, reply) => {
    const twilio = deps.config.sms.twilio;
    const params = (request.body ?? {}) as Record<string, string | string[]>;
    const url = absoluteLink(deps.config.baseUrl, request.url);
    const signature = request.headers['x-twilio-signature'];
    if (!twilio || !validTwilioSignature(twilio.authToken, url, params, typeof signature === 'string' ? signature : undefined)) {
      return reply.code(403).type('text/plain').send('The request signature is not valid.');
    }
    const outboxId = (request.query as { outbox?: unknown }).outbox;
    const parsed = Callback.safeParse(params);
    if (typeof outboxId !== 'string' || !parsed.success) return reply.code(400).type('text/plain').send('Not a delivery receipt for a text.');
    const { outcome, reason } = twilioOutcome(parsed.data.MessageStatus, parsed.data.ErrorCode);
    await recordReceipt(deps.db, { outboxId, providerRef: parsed.data.MessageSid, outcome, reason }, deps.clock());
    return reply.code(204).send();
  });
}

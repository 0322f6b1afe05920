import type { EmailPayload } from '../outbox/outbox.ts';
import { DeliveryError, type Deliver } from '../outbox/worker.ts';
import type { Mailer } from './email.ts';

/** Email delivery for the outbox: an SMTP 5xx answer (no such mailbox) is permanent, others retried. */
export function emailDelivery(mailer: Mailer): Deliver {
  return async (payload) => {
    try {
      await mailer.send(payload as EmailPayload);
    } catch (error) {
      const code = (error as { responseCode?: number }).responseCode;
      throw new DeliveryError(error instanceof Error ? error.message : String(error), typeof code === 'number' && code >= 500 && code < 600);
    }
  };
}

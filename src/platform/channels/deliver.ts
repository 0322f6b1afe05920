import type { EmailPayload } from '../outbox/outbox.ts';
import { DeliveryError, type Deliver } from '../outbox/worker.ts';
import { isConnectionError, type Mailer } from './email.ts';

/**
 * Email delivery for the outbox, one Message-ID per outbox row. The server not reachable (or not
 * answering, or refusing Gatepost's login) is an outage, not the message's fault; an SMTP 5xx answer
 * to the message (no such mailbox) is permanent; other answers are tried again.
 */
export function emailDelivery(mailer: Mailer): Deliver {
  return async (payload, row) => {
    try {
      await mailer.send(payload as EmailPayload, row?.id);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (isConnectionError(error)) throw new DeliveryError(message, false, true);
      const code = (error as { responseCode?: number }).responseCode;
      throw new DeliveryError(message, typeof code === 'number' && code >= 500 && code < 600);
    }
  };
}

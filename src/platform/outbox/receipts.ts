import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';

/**
 * A provider's delivery receipt for one text, applied to its outbox row. Receipts come more than
 * once and out of order, so applying one is a compare-and-set on a row that has no final outcome
 * yet: the first "delivered" or "failed" stands, and the same receipt again changes nothing.
 * - delivered: the row is sent (also when the worker had not yet marked it, or was about to retry
 *   after a timeout: the text did go, so it is never sent twice) and `delivered_at` is set;
 * - failed: the row fails for good with the reason ("Number rejected: …" shows on the reach page);
 * - still on its way (queued, sent to the network): only the provider's id is kept.
 */
export type Receipt = { outboxId: string; providerRef: string; outcome: 'delivered' | 'failed' | 'on_its_way'; reason: string | null };

/** True when the receipt changed the row. */
export async function recordReceipt(db: Kysely<Database>, receipt: Receipt, now: Date): Promise<boolean> {
  const at = now.toISOString();
  const open = db.updateTable('outbox').where('id', '=', receipt.outboxId).where('channel', '=', 'sms').where('delivered_at', 'is', null).where('status', 'in', ['pending', 'sending', 'sent']);
  let result;
  if (receipt.outcome === 'delivered') {
    result = await open
      .set((eb) => ({
        status: 'sent' as const,
        sent_at: eb.fn.coalesce('sent_at', eb.val(at)),
        delivered_at: at,
        claimed_until: null,
        last_error: null,
        provider_ref: receipt.providerRef,
      }))
      .executeTakeFirst();
  } else if (receipt.outcome === 'failed') {
    result = await open.set({ status: 'failed', claimed_until: null, last_error: (receipt.reason ?? 'Not delivered').slice(0, 500), provider_ref: receipt.providerRef }).executeTakeFirst();
  } else {
    result = await open.where('provider_ref', 'is', null).set({ provider_ref: receipt.providerRef }).executeTakeFirst();
  }
  return Number(result.numUpdatedRows) > 0;
}

/**
 * Reach of one message, from what was recorded for each carer and each send:
 * queued, sent, failed per channel (texts also delivered, from the provider's receipts); read; acknowledged.
 */
export type RecipientRow = { id: string; channels: string; read_at: string | null; acknowledged_at: string | null };
export type SendRow = { ref: string | null; channel: string; status: string; last_error: string | null; delivered_at?: string | null };

export type Reach = {
  carers: number;
  read: number;
  acknowledged: number;
  email: { queued: number; sent: number; failed: number };
  /** Texts: `delivered` of the `sent` ones the provider reported as reaching the phone. */
  sms: { queued: number; sent: number; failed: number; delivered: number };
  paper: number;
  failures: { ref: string; channel: string; reason: string }[];
};

export function summariseReach(recipients: RecipientRow[], sends: SendRow[]): Reach {
  const tally = () => ({ queued: 0, sent: 0, failed: 0 });
  const reach: Reach = { carers: recipients.length, read: 0, acknowledged: 0, email: tally(), sms: { ...tally(), delivered: 0 }, paper: 0, failures: [] };
  for (const r of recipients) {
    if (r.read_at) reach.read += 1;
    if (r.acknowledged_at) reach.acknowledged += 1;
    if (r.channels.split(',').includes('paper')) reach.paper += 1;
  }
  for (const s of sends) {
    const t = s.channel === 'sms' ? reach.sms : reach.email;
    if (s.status === 'sent') {
      t.sent += 1;
      if (s.channel === 'sms' && s.delivered_at) reach.sms.delivered += 1;
    } else if (s.status === 'failed') {
      t.failed += 1;
      reach.failures.push({ ref: s.ref ?? '', channel: s.channel, reason: s.last_error ?? 'unknown' });
    } else t.queued += 1;
  }
  return reach;
}

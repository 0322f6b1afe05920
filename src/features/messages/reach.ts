import type { MessageKind } from '../../db/schema.ts';
import { shareByGroup, type ChildFacts, type GroupShare } from '../people/index.ts';
import { isPaperOnly, isTextOnly, TEXT_ONLY_CHANNELS } from './family-reach.ts';

export { TEXT_ONLY_CHANNELS };

/**
 * Reach of one message, from what was recorded for each carer and each send:
 * queued, sent, failed per channel (texts also delivered, from the provider's receipts); read; acknowledged.
 *
 * "Read" is only counted out of the carers who could read it in Gatepost or from the email: a carer
 * who got it only on paper (the print pack) or only as an urgent text can never be seen to read it,
 * so counting them in would make the figure look worse than it is and hide who really missed it.
 * Each carer is in exactly one of the three: online, paper only, text only (see howTheyGotIt).
 */
export type RecipientRow = { id: string; channels: string; read_at: string | null; acknowledged_at: string | null };
export type SendRow = { ref: string | null; channel: string; status: string; last_error: string | null; delivered_at?: string | null };

/** How a carer got a message, each carer counted once: online (Gatepost, email, a text with a link), on paper only, or by text only. */
export type GotIt = 'online' | 'paper' | 'text';

/**
 * How this carer got a message of this kind, from the channels send.ts recorded. Paper (perhaps with
 * Gatepost, but no email and no text): paper only, as the not-reached list says (isPaperOnly). An urgent
 * notice by text and no email: text only, since the text is the notice itself, with no link to open.
 * A newsletter or letter by text carries a link that opens it in Gatepost, so it is online.
 */
export function howTheyGotIt(channels: string, kind: MessageKind): GotIt {
  if (isPaperOnly(channels)) return 'paper';
  if (isTextOnly(channels, kind)) return 'text';
  return 'online';
}

export type Reach = {
  carers: number;
  /** Carers who could read it in Gatepost or from the email, and how many of them did. */
  online: number;
  read: number;
  /** Carers who got it on paper only, and by text only; `read`: how many of them opened it in Gatepost anyway. */
  paperOnly: { carers: number; read: number };
  textOnly: { carers: number; read: number };
  acknowledged: number;
  email: { queued: number; sent: number; failed: number };
  /** Texts: `delivered` of the `sent` ones the provider reported as reaching the phone. */
  sms: { queued: number; sent: number; failed: number; delivered: number };
  /** Paper copies to print (the print pack): everyone with paper, including those who also get an email. */
  paper: number;
  failures: { ref: string; channel: string; reason: string }[];
};

export function summariseReach(recipients: RecipientRow[], sends: SendRow[], kind: MessageKind): Reach {
  const tally = () => ({ queued: 0, sent: 0, failed: 0 });
  const reach: Reach = {
    carers: recipients.length,
    online: 0,
    read: 0,
    paperOnly: { carers: 0, read: 0 },
    textOnly: { carers: 0, read: 0 },
    acknowledged: 0,
    email: tally(),
    sms: { ...tally(), delivered: 0 },
    paper: 0,
    failures: [],
  };
  for (const r of recipients) {
    const got = howTheyGotIt(r.channels, kind);
    if (got === 'online') {
      reach.online += 1;
      if (r.read_at) reach.read += 1;
    } else {
      const group = got === 'paper' ? reach.paperOnly : reach.textOnly;
      group.carers += 1;
      if (r.read_at) group.read += 1;
    }
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

export type { ChildFacts };
type GroupKind = GroupShare['kind'];
export type ReadGroupRow = { group: string; kind: GroupKind; online: number; read: number; share: number | null };

/**
 * Who read it, by group of families (people's shareByGroup): for each year group, home language, SEND
 * and EAL, how many carers got it online and how many of them read it. A carer counts in each year
 * group one of the children it was about is in, and in their own language. Carers who got it on paper
 * or by text only are left out, as from "Read" (summariseReach): nothing can show whether they read it.
 */
export function readByGroup(
  recipients: readonly { channels: string; pupil_ids: string; language: string; read_at: string | null }[],
  children: ReadonlyMap<string, ChildFacts>,
  kind: MessageKind,
): ReadGroupRow[] {
  const online = recipients
    .filter((r) => howTheyGotIt(r.channels, kind) === 'online')
    .map((r) => ({
      children: r.pupil_ids
        .split(',')
        .map((id) => children.get(id))
        .filter((c): c is ChildFacts => c !== undefined),
      language: r.language,
      counted: r.read_at !== null,
    }));
  return shareByGroup(online, { all: 'All families who got it online', language: (l) => `Speaks ${l}` }).map((g) => ({ group: g.group, kind: g.kind, online: g.of, read: g.counted, share: g.share }));
}

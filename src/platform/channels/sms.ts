import type { Config } from '../../config.ts';
import type { SmsPayload } from '../outbox/outbox.ts';
import type { Deliver } from '../outbox/worker.ts';

/**
 * Text messages: a provider's adapter (twilio.ts) behind one small interface, the outbox's
 * delivery function, and the rules on length. `outboxId` lets the provider's delivery receipt find
 * its outbox row again (platform/outbox/receipts.ts).
 */
export type SmsGateway = { send(to: string, text: string, outboxId?: string): Promise<{ providerId: string }> };

/** SMS delivery for the outbox (payload { to, text }). */
export function smsDelivery(gateway: SmsGateway): Deliver {
  return async (payload, row) => {
    const { to, text } = payload as SmsPayload;
    await gateway.send(to, text, row?.id);
  };
}

/**
 * Whether texts can go at all: a text message provider is set up. Without one, nothing is ever
 * queued as a text (it would wait for ever): urgent notices say so before sending and go by email
 * and in Gatepost instead.
 */
export function textsCanGo(config: Pick<Config, 'sms'>): boolean {
  return config.sms.twilio !== null;
}

export function isTimeout(error: unknown): boolean {
  const name = (error as { name?: unknown } | null)?.name;
  return name === 'TimeoutError' || name === 'AbortError';
}

export function networkReason(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown; message?: unknown } } | null)?.cause;
  if (cause && typeof cause.code === 'string') return cause.code;
  if (cause && typeof cause.message === 'string') return cause.message;
  return error instanceof Error ? error.message : String(error);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/** The provider's own words: { error } or { message } from JSON, else the start of the body. */
export function errorText(answer: string): string {
  const json = parseJson(answer) as { error?: unknown; message?: unknown } | null;
  const said = json && typeof json === 'object' ? (json.error ?? json.message) : answer;
  const text = (typeof said === 'string' ? said : JSON.stringify(said ?? '')).replace(/\s+/g, ' ').trim();
  return text.slice(0, 200) || 'no reason given';
}

// ── Length: how many messages a text takes ──────────────────────────────────────────────────────

/** Urgent texts longer than this many messages are refused before sending (see smsProblem). */
export const MAX_SMS_PARTS = 3;

/** The GSM 03.38 basic character set (without the escape code) and its extension table. */
const GSM_BASIC = new Set('@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà');
const GSM_EXTENSION = new Set('\f^{}\\[~]|€');
const LIMITS = { 'GSM-7': { single: 160, part: 153 }, 'UCS-2': { single: 70, part: 67 } } as const;

export type SmsParts = { encoding: 'GSM-7' | 'UCS-2'; characters: number; parts: number };

/**
 * How the network will count a text. GSM-7 unless any character is outside GSM-7, then UCS-2 for
 * the whole text. `characters` is what the network counts: an extension character (€ [ ] { } ^ ~ | \)
 * takes 2 in GSM-7; an emoji takes 2 in UCS-2. A character is never split across two parts.
 */
export function smsParts(text: string): SmsParts {
  const chars = [...text];
  const encoding = chars.every((c) => GSM_BASIC.has(c) || GSM_EXTENSION.has(c)) ? 'GSM-7' : 'UCS-2';
  const sizes = chars.map((c) => (encoding === 'GSM-7' ? (GSM_EXTENSION.has(c) ? 2 : 1) : c.length));
  const characters = sizes.reduce((a, b) => a + b, 0);
  const { single, part } = LIMITS[encoding];
  if (characters <= single) return { encoding, characters, parts: 1 };
  let parts = 1;
  let used = 0;
  for (const size of sizes) {
    if (used + size > part) {
      parts += 1;
      used = 0;
    }
    used += size;
  }
  return { encoding, characters, parts };
}

/** A message for the sender when a text is longer than MAX_SMS_PARTS messages; null when it fits. */
export function smsProblem(text: string): string | null {
  const { encoding, characters, parts } = smsParts(text);
  if (parts <= MAX_SMS_PARTS) return null;
  const gsmMax = MAX_SMS_PARTS * LIMITS['GSM-7'].part;
  const ucsMax = MAX_SMS_PARTS * LIMITS['UCS-2'].part;
  const start = `This text would be sent as ${parts} messages (${characters} characters).`;
  if (encoding === 'GSM-7') {
    return `${start} Keep urgent texts to ${MAX_SMS_PARTS} messages: ${gsmMax} characters, or ${ucsMax} if it uses characters such as ł or emoji.`;
  }
  const odd = [...text].find((c) => !GSM_BASIC.has(c) && !GSM_EXTENSION.has(c)) ?? '';
  const shown = /^[\p{L}\p{N}\p{P}\p{S}]/u.test(odd) ? `"${odd}"` : `an unusual space or control character (U+${odd.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')})`;
  return `${start} It uses ${shown}, so keep urgent texts to ${MAX_SMS_PARTS} messages: ${ucsMax} characters (${gsmMax} without such characters).`;
}

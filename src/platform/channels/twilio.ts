import { createHmac } from 'node:crypto';
import { safeEqual } from '../auth/tokens.ts';
import { DeliveryError } from '../outbox/worker.ts';
import { isTimeout, networkReason, type SmsGateway } from './sms.ts';

/**
 * Text messages through Twilio's Messages API (docs/messages.md says why Twilio):
 * POST {api}/2010-04-01/Accounts/{AccountSid}/Messages.json, form-encoded To, From, Body and
 * StatusCallback, with HTTP Basic auth (Account SID and Auth Token). 201 answers the message
 * resource ({ sid, status }); an error answers { code, message, more_info, status }.
 *
 * What an answer means for the outbox:
 * - 2xx: accepted. Never retried from here (that would text the parent twice), even without a sid.
 * - a number Twilio will not text (invalid, not a mobile, opted out with STOP): permanent, "Number rejected".
 * - 401/403 (wrong SID or token): temporary, with what to check; our configuration is at fault, not
 *   the parent's number, so an expired token does not fail every urgent text for good.
 * - 408, 429, 5xx, network errors and timeouts: temporary, the outbox tries again.
 * - any other 4xx (the text itself refused): permanent, in Twilio's words.
 */
export type TwilioOptions = {
  /** https://api.twilio.com, or the fake in tests. */
  apiUrl: string;
  accountSid: string;
  authToken: string;
  /** An alphanumeric sender ID ("Brookfield") or a Twilio number in +44 form. */
  from: string;
  /** Where Twilio posts delivery receipts for one outbox row; none: no receipts asked for. */
  receiptUrl?: (outboxId: string) => string;
  timeoutMs?: number;
};

/** Twilio error codes that mean this number cannot be texted (docs: twilio.com/docs/api/errors). */
export const NUMBER_CODES: Record<number, string> = {
  21211: 'not a valid phone number',
  21214: 'not a phone number that can be reached',
  21612: 'cannot be reached from our sender',
  21614: 'not a mobile number',
  21610: 'the parent replied STOP to texts from the school',
  30003: 'the phone is switched off or out of reach',
  30005: 'the number is not in use',
  30006: 'a landline, or a network that cannot take texts',
};

export function createTwilioSms(options: TwilioOptions): SmsGateway {
  const { apiUrl, accountSid, authToken, from, receiptUrl, timeoutMs = 10_000 } = options;
  const endpoint = `${apiUrl.replace(/\/$/, '')}/2010-04-01/Accounts/${encodeURIComponent(accountSid)}/Messages.json`;
  const auth = `Basic ${Buffer.from(`${accountSid}:${authToken}`).toString('base64')}`;
  return {
    async send(to, text, outboxId) {
      const form = new URLSearchParams({ To: ukToE164(to), From: from, Body: text });
      if (receiptUrl && outboxId) form.set('StatusCallback', receiptUrl(outboxId));
      let status: number;
      let answer: string;
      try {
        const res = await fetch(endpoint, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json', authorization: auth },
          body: form.toString(),
          signal: AbortSignal.timeout(timeoutMs),
        });
        status = res.status;
        answer = await res.text();
      } catch (error) {
        if (isTimeout(error)) throw new DeliveryError(`Twilio did not answer within ${timeoutMs} ms`, false);
        throw new DeliveryError(`Twilio could not be reached: ${networkReason(error)}`, false);
      }
      const json = parseJson(answer) as { sid?: unknown; code?: unknown; message?: unknown } | null;
      if (status >= 200 && status < 300) return { providerId: typeof json?.sid === 'string' ? json.sid : '' };
      const code = typeof json?.code === 'number' ? json.code : Number(json?.code);
      const said = `HTTP ${status}${Number.isFinite(code) ? `, Twilio error ${code}` : ''}: ${twilioWords(json, answer)}`;
      if (status === 401 || status === 403) throw new DeliveryError(`Twilio refused our account details (${said}); check TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN`, false);
      if (status === 408 || status === 429 || status >= 500) throw new DeliveryError(`Twilio is not accepting texts just now (${said})`, false);
      if (NUMBER_CODES[code]) throw new DeliveryError(`Number rejected: ${NUMBER_CODES[code]} (${said})`, true);
      throw new DeliveryError(`Twilio refused this text (${said})`, status >= 400 && status < 500);
    },
  };
}

/**
 * Twilio wants numbers in E.164 (+447700900123); schools record them as parents give them
 * (07700 900123, 0044 7700…, +44 (0)7700…). UK national numbers become +44; others are left as they are.
 */
export function ukToE164(number: string): string {
  const n = number.replace(/[\s().-]/g, '').replace(/^\+44(?:0)/, '+44');
  if (n.startsWith('+')) return n;
  if (n.startsWith('00')) return `+${n.slice(2)}`;
  if (n.startsWith('0')) return `+44${n.slice(1)}`;
  if (n.startsWith('44')) return `+${n}`;
  return n;
}

/**
 * Twilio's request signature (X-Twilio-Signature): HMAC-SHA1 with the Auth Token over the full URL
 * Twilio called, followed by each POST parameter's name and value, sorted by name; base64.
 */
export function twilioSignature(authToken: string, url: string, params: Record<string, string | string[]>): string {
  const signed = Object.keys(params)
    .sort()
    .map((name) => {
      const v = params[name]!;
      return (Array.isArray(v) ? [...v].sort() : [v]).map((value) => name + value).join('');
    })
    .join('');
  return createHmac('sha1', authToken)
    .update(url + signed, 'utf8')
    .digest('base64');
}

export function validTwilioSignature(authToken: string, url: string, params: Record<string, string | string[]>, signature: string | undefined): boolean {
  return typeof signature === 'string' && signature.length > 0 && safeEqual(signature, twilioSignature(authToken, url, params));
}

function twilioWords(json: { message?: unknown } | null, answer: string): string {
  const said = typeof json?.message === 'string' ? json.message : answer;
  return said.replace(/\s+/g, ' ').trim().slice(0, 200) || 'no reason given';
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/**
 * What a Twilio status callback says about a text (MessageStatus and ErrorCode): delivered, failed
 * with the reason in the school's words, or still on its way (accepted, queued, sending, sent).
 */
export function twilioOutcome(status: string, errorCode: string | undefined): { outcome: 'delivered' | 'failed' | 'on_its_way'; reason: string | null } {
  if (status === 'delivered' || status === 'read') return { outcome: 'delivered', reason: null };
  if (status === 'undelivered' || status === 'failed' || status === 'canceled') {
    const code = Number(errorCode);
    const words = NUMBER_CODES[code];
    const twilioSaid = `Twilio: ${status}${errorCode ? `, error ${errorCode}` : ''}`;
    return { outcome: 'failed', reason: words ? `Number rejected: ${words} (${twilioSaid})` : `Not delivered to the phone (${twilioSaid})` };
  }
  return { outcome: 'on_its_way', reason: null };
}

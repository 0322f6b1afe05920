import { createHmac, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A fake Twilio: a real HTTP server on loopback speaking the part of Twilio's Messages API that
 * Gatepost uses, as Twilio documents it.
 * - POST /2010-04-01/Accounts/{AccountSid}/Messages.json, form-encoded To, From, Body and optional
 *   StatusCallback, with HTTP Basic auth (Account SID : Auth Token). Wrong credentials → 401
 *   { code: 20003 }; another account's path → 404 { code: 20404 }; no To or Body → 400 (21604 / 21602).
 * - By number: ending 999 → 400 { code: 21211 } (not a valid phone number); ending 422 → 400
 *   { code: 21614 } (not a mobile); ending 429 → 429 { code: 20429 }; ending 500 → 503.
 *   Otherwise 201 with the message resource { sid: 'SM…', status: 'queued', … }.
 * - `receipt(sid, status, errorCode)` makes the status callback Twilio would post to that text's
 *   StatusCallback: form-encoded MessageSid, MessageStatus, ErrorCode…, signed with X-Twilio-Signature
 *   (HMAC-SHA1 with the Auth Token over the URL followed by the sorted parameters, base64).
 * `slowMs` (settable between tests) delays every answer, to test timeouts.
 */
export type FakeSmsRequest = { sid: string; to: string; from: string; body: string; statusCallback: string | undefined; auth: string | undefined };
export type FakeReceipt = { url: string; headers: Record<string, string>; payload: string };
export type FakeSms = {
  /** What TWILIO_API_URL would be. */
  apiUrl: string;
  accountSid: string;
  authToken: string;
  /** The environment that points Gatepost at this fake. */
  env: Record<string, string>;
  received: FakeSmsRequest[];
  slowMs: number;
  receipt(sid: string, status: 'queued' | 'sent' | 'delivered' | 'undelivered' | 'failed', errorCode?: string): FakeReceipt;
  close(): Promise<void>;
};

export async function startFakeSms(options: { accountSid?: string; authToken?: string; slowMs?: number } = {}): Promise<FakeSms> {
  const accountSid = options.accountSid ?? `AC${'0123456789abcdef'.repeat(2)}`;
  const authToken = options.authToken ?? 'fake-twilio-auth-token';
  const received: FakeSmsRequest[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const answer = (res: ServerResponse, status: number, body: unknown) => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      if (!res.destroyed) res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    }, fake.slowMs);
    timers.add(timer);
  };
  const error = (res: ServerResponse, status: number, code: number, message: string) => answer(res, status, { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status });

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let raw = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (raw += chunk));
    req.on('end', () => {
      const auth = req.headers.authorization;
      if (auth !== `Basic ${Buffer.from(`${accountSid}:${authToken}`).toString('base64')}`) return error(res, 401, 20003, 'Authenticate');
      const path = new URL(req.url ?? '/', 'http://fake').pathname;
      if (req.method !== 'POST' || path !== `/2010-04-01/Accounts/${accountSid}/Messages.json`) return error(res, 404, 20404, 'The requested resource was not found');
      const form = new URLSearchParams(raw);
      const to = form.get('To') ?? '';
      const body = form.get('Body') ?? '';
      if (!to) return error(res, 400, 21604, "A 'To' phone number is required.");
      if (!body) return error(res, 400, 21602, 'Message body is required.');
      const sid = `SM${randomBytes(16).toString('hex')}`;
      received.push({ sid, to, from: form.get('From') ?? '', body, statusCallback: form.get('StatusCallback') ?? undefined, auth });
      if (to.endsWith('999')) return error(res, 400, 21211, `Invalid 'To' Phone Number: ${to}`);
      if (to.endsWith('422')) return error(res, 400, 21614, `'To' number ${to} is not a valid mobile number`);
      if (to.endsWith('429')) return error(res, 429, 20429, 'Too Many Requests');
      if (to.endsWith('500')) return error(res, 503, 20503, 'Service Unavailable');
      answer(res, 201, {
        sid,
        account_sid: accountSid,
        to,
        from: form.get('From'),
        body,
        status: 'queued',
        num_segments: '1',
        direction: 'outbound-api',
        api_version: '2010-04-01',
        error_code: null,
        error_message: null,
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const apiUrl = `http://127.0.0.1:${port}`;

  const fake: FakeSms = {
    apiUrl,
    accountSid,
    authToken,
    env: { TWILIO_ACCOUNT_SID: accountSid, TWILIO_AUTH_TOKEN: authToken, TWILIO_API_URL: apiUrl },
    received,
    slowMs: options.slowMs ?? 0,
    receipt(sid, status, errorCode) {
      const text = received.find((r) => r.sid === sid);
      if (!text?.statusCallback) throw new Error(`The fake Twilio has no text ${sid} with a StatusCallback`);
      const params: Record<string, string> = {
        AccountSid: accountSid,
        ApiVersion: '2010-04-01',
        From: text.from,
        MessageSid: sid,
        MessageStatus: status,
        SmsSid: sid,
        SmsStatus: status,
        To: text.to,
        ...(errorCode ? { ErrorCode: errorCode } : {}),
      };
      const signed =
        text.statusCallback +
        Object.keys(params)
          .sort()
          .map((k) => k + params[k])
          .join('');
      const signature = createHmac('sha1', authToken).update(signed).digest('base64');
      return { url: text.statusCallback, headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature }, payload: new URLSearchParams(params).toString() };
    },
    close() {
      for (const t of timers) clearTimeout(t);
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
  return fake;
}

import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeSms, type FakeSms } from '../../../test/support/fake-sms.ts';
import { DeliveryError } from '../outbox/worker.ts';
import { smsDelivery, type SmsGateway } from './sms.ts';
import { createTwilioSms, twilioOutcome, twilioSignature, ukToE164, validTwilioSignature } from './twilio.ts';

async function failure(promise: Promise<unknown>): Promise<DeliveryError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DeliveryError);
  return error as DeliveryError;
}

describe("Twilio's Messages API (against a fake Twilio on loopback)", () => {
  let fake: FakeSms;
  let twilio: SmsGateway;
  const receiptUrl = (id: string) => `https://gatepost.example-school.org.uk/sms/receipts?outbox=${id}`;
  beforeAll(async () => {
    fake = await startFakeSms();
    twilio = createTwilioSms({ apiUrl: fake.apiUrl, accountSid: fake.accountSid, authToken: fake.authToken, from: 'Brookfield', receiptUrl });
  });
  afterAll(async () => fake?.close());
  beforeEach(() => {
    fake.received.length = 0;
    fake.slowMs = 0;
  });

  it('sends To, From and Body with Basic auth and asks for receipts for this outbox row; answers with the message sid', async () => {
    const result = await twilio.send('+447700900123', 'School closed today (snow).', 'row-1');
    expect(result.providerId).toMatch(/^SM[0-9a-f]{32}$/);
    expect(fake.received).toEqual([
      {
        sid: result.providerId,
        to: '+447700900123',
        from: 'Brookfield',
        body: 'School closed today (snow).',
        statusCallback: receiptUrl('row-1'),
        auth: `Basic ${Buffer.from(`${fake.accountSid}:${fake.authToken}`).toString('base64')}`,
      },
    ]);
  });

  it('treats a number Twilio will not text as permanent: "Number rejected", with Twilio\'s code and words', async () => {
    const e = await failure(twilio.send('+447700900999', 'Hello'));
    expect(e.permanent).toBe(true);
    expect(e.message).toMatch(/^Number rejected: not a valid phone number/);
    expect(e.message).toContain('Twilio error 21211');
    expect(e.message).toContain("Invalid 'To' Phone Number");
    const landline = await failure(twilio.send('+441632960422', 'Hello'));
    expect(landline.permanent).toBe(true);
    expect(landline.message).toMatch(/^Number rejected: not a mobile number/);
  });

  it('treats throttling and Twilio being down as temporary', async () => {
    const down = await failure(twilio.send('+447700900500', 'Hello'));
    expect(down.permanent).toBe(false);
    expect(down.message).toContain('HTTP 503');
    const busy = await failure(twilio.send('+447700900429', 'Hello'));
    expect(busy.permanent).toBe(false);
    expect(busy.message).toContain('Twilio error 20429');
  });

  it('treats refused account details as temporary (our configuration, not the number) and says what to check', async () => {
    const wrong = createTwilioSms({ apiUrl: fake.apiUrl, accountSid: fake.accountSid, authToken: 'an-old-token', from: 'Brookfield' });
    const e = await failure(wrong.send('+447700900123', 'Hello'));
    expect(e.permanent).toBe(false);
    expect(e.message).toContain('HTTP 401, Twilio error 20003');
    expect(e.message).toContain('TWILIO_AUTH_TOKEN');
    expect(fake.received).toEqual([]);
  });

  it('gives up waiting after the timeout, temporarily', async () => {
    fake.slowMs = 1000;
    const quick = createTwilioSms({ apiUrl: fake.apiUrl, accountSid: fake.accountSid, authToken: fake.authToken, from: 'Brookfield', timeoutMs: 200 });
    // The fake answers after a second: a failure proves the adapter stopped waiting before then.
    const e = await failure(quick.send('+447700900123', 'Hello'));
    expect(e.permanent).toBe(false);
    expect(e.message).toContain('did not answer within 200 ms');
  });

  it('treats an unreachable Twilio as temporary', async () => {
    const nowhere = createTwilioSms({ apiUrl: 'http://127.0.0.1:1', accountSid: fake.accountSid, authToken: 't', from: 'Brookfield' });
    const e = await failure(nowhere.send('+447700900123', 'Hello'));
    expect(e.permanent).toBe(false);
    expect(e.message).toContain('could not be reached');
  });

  it('delivers outbox payloads { to, text }, asking for receipts for that outbox row', async () => {
    await smsDelivery(twilio)({ to: '+447700900124', text: 'Pick-up at 1pm.' }, { id: 'row-7' });
    expect(fake.received.map((r) => [r.to, r.body, r.statusCallback])).toEqual([['+447700900124', 'Pick-up at 1pm.', receiptUrl('row-7')]]);
    const e = await failure(smsDelivery(twilio)({ to: '+447700900999', text: 'x' }, { id: 'row-8' }));
    expect(e.permanent).toBe(true);
  });
});

describe("Twilio's request signature", () => {
  // Twilio's own published example (auth token 12345): this URL and these parameters give this signature.
  const url = 'https://mycompany.com/myapp.php?foo=1&bar=2';
  const params = { CallSid: 'CA1234567890ABCDE', Caller: '+14158675309', Digits: '1234', From: '+14158675309', To: '+18005551212' };

  it("matches Twilio's published example", () => {
    expect(twilioSignature('12345', url, params)).toBe('RSOYDt4T1cUTdK1PDd93/VVr8B8=');
    expect(validTwilioSignature('12345', url, params, 'RSOYDt4T1cUTdK1PDd93/VVr8B8=')).toBe(true);
  });

  it('refuses a changed parameter, another address, another token, or no signature', () => {
    const good = 'RSOYDt4T1cUTdK1PDd93/VVr8B8=';
    expect(validTwilioSignature('12345', url, { ...params, Digits: '9999' }, good)).toBe(false);
    expect(validTwilioSignature('12345', `${url}&x=1`, params, good)).toBe(false);
    expect(validTwilioSignature('54321', url, params, good)).toBe(false);
    expect(validTwilioSignature('12345', url, params, undefined)).toBe(false);
    expect(validTwilioSignature('12345', url, params, '')).toBe(false);
  });
});

describe('what a Twilio status callback means', () => {
  it('delivered, failed in the school\'s words ("Number rejected" for a dead number), or still on its way', () => {
    expect(twilioOutcome('delivered', undefined)).toEqual({ outcome: 'delivered', reason: null });
    expect(twilioOutcome('undelivered', '30005')).toEqual({ outcome: 'failed', reason: 'Number rejected: the number is not in use (Twilio: undelivered, error 30005)' });
    expect(twilioOutcome('failed', '30007')).toEqual({ outcome: 'failed', reason: 'Not delivered to the phone (Twilio: failed, error 30007)' });
    for (const s of ['accepted', 'queued', 'sending', 'sent']) expect(twilioOutcome(s, undefined).outcome).toBe('on_its_way');
  });
});

describe('numbers as Twilio wants them (E.164)', () => {
  it('turns UK numbers as parents give them into +44, and leaves other international numbers alone', () => {
    expect(['07700 900123', '07700-900-123', '+44 (0)7700 900123', '0044 7700 900123', '447700900123', '+447700900123'].map(ukToE164)).toEqual(Array(6).fill('+447700900123'));
    expect(ukToE164('+48 601 234 567')).toBe('+48601234567');
  });
});

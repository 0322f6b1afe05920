import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeSms, type FakeSms } from '../../../test/support/fake-sms.ts';
import { DeliveryError } from '../outbox/worker.ts';
import { createSmsGateway, MAX_SMS_PARTS, smsDelivery, smsParts, smsProblem, type SmsGateway } from './sms.ts';

async function failure(promise: Promise<unknown>): Promise<DeliveryError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DeliveryError);
  return error as DeliveryError;
}

describe('SMS gateway over HTTP', () => {
  let fake: FakeSms;
  let gateway: SmsGateway;
  beforeAll(async () => {
    fake = await startFakeSms({ token: 'secret-token' });
    gateway = createSmsGateway({ url: fake.url, token: 'secret-token', from: 'Brookfield' });
  });
  afterAll(async () => fake?.close());
  beforeEach(() => {
    fake.received.length = 0;
    fake.slowMs = 0;
  });

  it('posts the text with the sender and bearer token, and returns the provider id', async () => {
    const result = await gateway.send('+447700900123', 'School closed today (snow).');
    expect(result.providerId).toMatch(/^sms-\d+$/);
    expect(fake.received).toEqual([{ to: '+447700900123', from: 'Brookfield', body: 'School closed today (snow).', auth: 'Bearer secret-token' }]);
  });

  it('treats a rejected number as permanent, with the status and the provider reason', async () => {
    const e = await failure(gateway.send('+447700900999', 'Hello'));
    expect(e.permanent).toBe(true);
    expect(e.message).toContain('rejected this number');
    expect(e.message).toContain('400');
    expect(e.message).toContain('invalid number');
    const e422 = await failure(gateway.send('+447700900422', 'Hello'));
    expect(e422.permanent).toBe(true);
    expect(e422.message).toContain('422');
  });

  it('treats server errors and throttling as temporary', async () => {
    const e = await failure(gateway.send('+447700900500', 'Hello'));
    expect(e.permanent).toBe(false);
    expect(e.message).toContain('503');
    expect(e.message).toContain('service unavailable');
    expect((await failure(gateway.send('+447700900429', 'Hello'))).permanent).toBe(false);
  });

  it('treats a refused token as temporary (our configuration, not the number)', async () => {
    const wrong = createSmsGateway({ url: fake.url, token: 'old-token', from: 'Brookfield' });
    const e = await failure(wrong.send('+447700900123', 'Hello'));
    expect(e.permanent).toBe(false);
    expect(e.message).toContain('401');
    expect(e.message).toContain('SMS_TOKEN');
  });

  it('gives up waiting after the timeout, temporarily', async () => {
    fake.slowMs = 1000;
    const quick = createSmsGateway({ url: fake.url, token: 'secret-token', from: 'Brookfield', timeoutMs: 200 });
    // The fake answers after a second: a failure proves the gateway stopped waiting before then.
    const e = await failure(quick.send('+447700900123', 'Hello'));
    expect(e.permanent).toBe(false);
    expect(e.message).toContain('did not answer within 200 ms');
  });

  it('treats an unreachable gateway as temporary', async () => {
    const nowhere = createSmsGateway({ url: 'http://127.0.0.1:1/messages', token: 't', from: 'Brookfield' });
    const e = await failure(nowhere.send('+447700900123', 'Hello'));
    expect(e.permanent).toBe(false);
    expect(e.message).toContain('could not be reached');
  });

  it('delivers outbox payloads { to, text }', async () => {
    await smsDelivery(gateway)({ to: '+447700900124', text: 'Pick-up at 1pm.' });
    expect(fake.received.map((r) => [r.to, r.body])).toEqual([['+447700900124', 'Pick-up at 1pm.']]);
    const e = await failure(smsDelivery(gateway)({ to: '+447700900999', text: 'x' }));
    expect(e.permanent).toBe(true);
  });
});

describe('how many messages a text takes', () => {
  it('counts GSM-7 texts: 160 in one message, then 153 per part', () => {
    expect(smsParts('School closed today.')).toEqual({ encoding: 'GSM-7', characters: 20, parts: 1 });
    expect(smsParts('a'.repeat(160))).toEqual({ encoding: 'GSM-7', characters: 160, parts: 1 });
    expect(smsParts('a'.repeat(161))).toEqual({ encoding: 'GSM-7', characters: 161, parts: 2 });
    expect(smsParts('a'.repeat(306)).parts).toBe(2);
    expect(smsParts('a'.repeat(459)).parts).toBe(3);
    expect(smsParts('a'.repeat(460)).parts).toBe(4);
    expect(smsParts('Café £5, Ñ, ü, @ and ¿').encoding).toBe('GSM-7');
  });

  it('counts extension characters such as € as two', () => {
    expect(smsParts('Trip: €20')).toEqual({ encoding: 'GSM-7', characters: 10, parts: 1 });
    expect(smsParts('€'.repeat(80))).toEqual({ encoding: 'GSM-7', characters: 160, parts: 1 });
    expect(smsParts('€'.repeat(81)).parts).toBe(2);
    expect(smsParts('[{~}]|^\\').characters).toBe(16);
    // An extension character never straddles two parts: 152 + € moves the € to part 2.
    expect(smsParts('a'.repeat(152) + '€' + 'a'.repeat(152)).parts).toBe(3);
  });

  it('switches to UCS-2 for Polish letters and emoji: 70 in one message, then 67 per part', () => {
    expect(smsParts('Szkoła zamknięta')).toEqual({ encoding: 'UCS-2', characters: 16, parts: 1 });
    expect(smsParts('ł'.repeat(70)).parts).toBe(1);
    expect(smsParts('ł'.repeat(71)).parts).toBe(2);
    expect(smsParts('ł'.repeat(201)).parts).toBe(3);
    expect(smsParts('ł'.repeat(202)).parts).toBe(4);
    expect(smsParts('Well done 🎉')).toEqual({ encoding: 'UCS-2', characters: 12, parts: 1 });
    expect(smsParts('“Quotes”').encoding).toBe('UCS-2');
  });

  it('explains when a text is longer than three messages, with figures for its encoding', () => {
    expect(MAX_SMS_PARTS).toBe(3);
    expect(smsProblem('a'.repeat(459))).toBeNull();
    expect(smsProblem('a'.repeat(612))).toBe(
      'This text would be sent as 4 messages (612 characters). Keep urgent texts to 3 messages: 459 characters, or 201 if it uses characters such as ł or emoji.',
    );
    expect(smsProblem('ł'.repeat(201))).toBeNull();
    expect(smsProblem('Szkoła ' + 'a'.repeat(250))).toBe(
      'This text would be sent as 4 messages (257 characters). It uses "ł", so keep urgent texts to 3 messages: 201 characters (459 without such characters).',
    );
    expect(smsProblem('🎉' + 'a'.repeat(200))).toContain('It uses "🎉"');
    expect(smsProblem('a\t'.repeat(120))).toContain('an unusual space or control character (U+0009)');
  });
});

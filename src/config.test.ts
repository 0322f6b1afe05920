import { describe, expect, it } from 'vitest';
import { readConfig } from './config.ts';

describe('text message settings', () => {
  const sid = `AC${'0123456789abcdef'.repeat(2)}`;

  it('has no text message provider unless both Twilio settings are given', () => {
    expect(readConfig({}).sms.twilio).toBeNull();
    expect(readConfig({ TWILIO_ACCOUNT_SID: sid, TWILIO_AUTH_TOKEN: 'token' }).sms.twilio).toEqual({ apiUrl: 'https://api.twilio.com', accountSid: sid, authToken: 'token' });
    expect(() => readConfig({ TWILIO_ACCOUNT_SID: sid })).toThrow('set both TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN for text messages, or neither');
    expect(() => readConfig({ TWILIO_AUTH_TOKEN: 'token' })).toThrow('or neither');
    expect(() => readConfig({ TWILIO_ACCOUNT_SID: 'not-a-sid', TWILIO_AUTH_TOKEN: 'token' })).toThrow('TWILIO_ACCOUNT_SID: a Twilio Account SID');
  });

  it('sends from a sender ID of up to 11 letters and digits, or a phone number', () => {
    expect(readConfig({}).sms.from).toBe('School');
    expect(readConfig({ SMS_FROM: 'Brookfield' }).sms.from).toBe('Brookfield');
    expect(readConfig({ SMS_FROM: '+447700900123' }).sms.from).toBe('+447700900123');
    expect(() => readConfig({ SMS_FROM: 'Brookfield Primary' })).toThrow('SMS_FROM');
    expect(() => readConfig({ SMS_FROM: '12345' })).toThrow('SMS_FROM');
  });
});

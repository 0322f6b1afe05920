import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeTranslate, type FakeTranslate } from '../../../test/support/fake-translate.ts';
import { createTranslator, LANGUAGE_CODES, TranslationError, type Translator } from './translate.ts';

async function failure(promise: Promise<unknown>): Promise<TranslationError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TranslationError);
  return error as TranslationError;
}

describe('LibreTranslate over HTTP', () => {
  let fake: FakeTranslate;
  let translator: Translator;
  beforeAll(async () => {
    fake = await startFakeTranslate({ key: 'lt-key' });
    translator = createTranslator({ url: `${fake.url}/`, key: 'lt-key' });
  });
  afterAll(async () => fake?.close());
  beforeEach(() => {
    fake.requests.length = 0;
    fake.failWith = null;
    fake.slowMs = 0;
  });

  it('translates text, sending source, target, format and the key', async () => {
    expect(await translator.translate('School is closed today.', 'pl')).toBe('[pl] School is closed today.');
    expect(fake.requests).toEqual([{ q: 'School is closed today.', source: 'en', target: 'pl', format: 'text', api_key: 'lt-key' }]);
    expect(await translator.translate('<p>Trip</p>', 'ar', 'en', 'html')).toBe('[ar] <p>Trip</p>');
    expect(fake.requests[1]).toMatchObject({ target: 'ar', format: 'html' });
  });

  it('does not call the service for English to English or empty text', async () => {
    expect(await translator.translate('Hello', 'en')).toBe('Hello');
    expect(await translator.translate('  ', 'pl')).toBe('  ');
    expect(fake.requests).toHaveLength(0);
  });

  it("passes on the server's error with the status", async () => {
    fake.failWith = 'Cannot load model for ti';
    const e = await failure(translator.translate('Hello', 'ti'));
    expect(e.status).toBe(500);
    expect(e.message).toBe('The translation service could not translate to ti (HTTP 500: Cannot load model for ti)');
  });

  it('reports a wrong API key', async () => {
    const wrong = createTranslator({ url: fake.url, key: 'old-key' });
    const e = await failure(wrong.translate('Hello', 'pl'));
    expect(e.status).toBe(403);
    expect(e.message).toContain('Invalid API key');
    const none = createTranslator({ url: fake.url });
    await failure(none.translate('Hello', 'pl'));
    expect(fake.requests.at(-1)?.api_key).toBeUndefined();
  });

  it('says when the service does not answer in time', async () => {
    fake.slowMs = 1000;
    const quick = createTranslator({ url: fake.url, key: 'lt-key', timeoutMs: 200 });
    const e = await failure(quick.translate('Hello', 'pl'));
    expect(e.status).toBeNull();
    expect(e.message).toMatch(/^The translation service did not answer in time/);
  });

  it('says when the service cannot be reached', async () => {
    const nowhere = createTranslator({ url: 'http://127.0.0.1:1' });
    const e = await failure(nowhere.translate('Hello', 'pl'));
    expect(e.message).toContain('could not be reached');
  });
});

describe('language codes', () => {
  it('maps the languages the school uses to ISO 639-1 codes', () => {
    expect(Object.keys(LANGUAGE_CODES)).toHaveLength(15);
    expect(LANGUAGE_CODES).toMatchObject({ English: 'en', Tigrinya: 'ti', Punjabi: 'pa', Somali: 'so', Bengali: 'bn', Urdu: 'ur' });
    for (const code of Object.values(LANGUAGE_CODES)) expect(code).toMatch(/^[a-z]{2}$/);
    expect(new Set(Object.values(LANGUAGE_CODES)).size).toBe(15);
  });
});

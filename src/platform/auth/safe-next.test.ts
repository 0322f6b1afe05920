import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';
import { dialects } from '../../../test/support/db.ts';
import { startTestApp, type TestApp } from '../../../test/support/app.ts';
import { FIXTURE_PASSWORD } from '../../../test/support/fixture.ts';
import { safeNext } from './safe-next.ts';

/** Values a browser would read as another site (or that break the Location header): every one becomes '/'. */
const HOSTILE: unknown[] = [
  'https://evil.example',
  'http:evil.example',
  'javascript:alert(1)',
  'evil.example',
  '//evil.example',
  '///evil.example',
  '/\\evil.example',
  '\\\\evil.example',
  '/\\/evil.example',
  '/\t/evil.example',
  '/\n/evil.example',
  '/\r/evil.example',
  '/\r\n/evil.example',
  '/pupils\nLocation: //evil.example',
  '/\u0000/evil.example',
  '/\u007f/evil.example',
  '/\u0085/evil.example',
  '/%2F/evil.example',
  '/%2f%2fevil.example',
  '/%5Cevil.example',
  '/%5c%5cevil.example',
  '/%09/evil.example',
  '/%0d%0aSet-Cookie:%20x=1',
  '/%252F/evil.example',
  '/%E0%A4%A',
  '/.//evil.example',
  '/..//evil.example',
  '/%2e//evil.example',
  ' /pupils',
  '',
  `/${'a'.repeat(2001)}`,
  undefined,
  null,
  42,
  ['/pupils', '/carers'],
  { path: '/pupils' },
];

/** Paths on this site: kept (as the URL parser writes them). */
const SAFE: [string, string][] = [
  ['/', '/'],
  ['/pupils', '/pupils'],
  ['/pupils?q=Leo&page=2', '/pupils?q=Leo&page=2'],
  ['/messages/0191-abc#acknowledge', '/messages/0191-abc#acknowledge'],
  ['/search?q=caf%C3%A9', '/search?q=caf%C3%A9'],
  ['/children/x/../y', '/children/y'],
];

describe('where to go after signing in', () => {
  it.each(HOSTILE.map((v) => [(JSON.stringify(v) ?? String(v)).slice(0, 40), v]))('refuses %s', (_name, value) => {
    expect(safeNext(value)).toBe('/');
  });

  it.each(SAFE)('keeps the path %s', (value, kept) => {
    expect(safeNext(value)).toBe(kept);
  });
});

describe.each(dialects)('redirects after signing in on %s', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(dialect);
  });
  afterAll(async () => t?.close());

  const csrf = 'anonymous-csrf-token-for-tests-0001';
  const signIn = (next: string | string[], email = 'patel@brookfield.test'): Promise<LightMyRequestResponse> => {
    const form = new URLSearchParams({ _csrf: csrf, email, password: FIXTURE_PASSWORD });
    for (const n of [next].flat()) form.append('next', n);
    return t.app.inject({ method: 'POST', url: '/sign-in', headers: { cookie: `gatepost-csrf=${csrf}`, 'content-type': 'application/x-www-form-urlencoded' }, payload: form.toString() });
  };

  it('sends a person home, never to another site, whatever `next` the sign-in form carried; a newline is no 500', async () => {
    // The issue's own examples first: a tab and a newline.
    const first = ['/\t/evil.example', '/pupils\nLocation: //evil.example'];
    for (const next of [...first, ...HOSTILE.filter((v): v is string => typeof v === 'string' && !first.includes(v))]) {
      const res = await signIn(next);
      // A NUL anywhere in a form is refused before sign-in is tried (src/platform/web/hostile-input.ts).
      if (next.includes('\u0000')) {
        expect(res.statusCode, JSON.stringify(next)).toBe(400);
        continue;
      }
      expect(res.statusCode, JSON.stringify(next)).toBe(303);
      expect(res.headers.location, JSON.stringify(next)).toBe('/');
    }
    const twice = await signIn(['/pupils', '//evil.example']);
    expect(twice.statusCode).toBe(303);
    expect(twice.headers.location).toBe('/');
    const fine = await signIn('/pupils?q=Leo');
    expect(fine.headers.location).toBe('/pupils?q=Leo');
  });

  it('never puts a hostile `next` from the address bar into the sign-in form', async () => {
    for (const next of ['/\t/evil.example', '//evil.example', '/%5Cevil.example', '/\n/evil.example']) {
      const res = await t.app.inject({ url: `/sign-in?next=${encodeURIComponent(next)}` });
      expect(res.statusCode).toBe(200);
      expect(res.body).toContain('<input type="hidden" name="next" value="/">');
    }
    const repeated = await t.app.inject({ url: '/sign-in?next=/pupils&next=//evil.example' });
    expect(repeated.statusCode).toBe(200);
    expect(repeated.body).toContain('<input type="hidden" name="next" value="/">');
  });
});

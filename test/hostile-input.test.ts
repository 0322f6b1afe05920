import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';
import { dialects } from './support/db.ts';
import { startTestApp, type TestApp } from './support/app.ts';
import { createSession } from '../src/platform/auth/sessions.ts';
import { policyAllows } from '../src/platform/access/policy.ts';
import { STAFF, type Who } from './access/types.ts';
import { routeUrls } from './support/route-urls.ts';

/**
 * Hostile input never makes a 500. Every route the app serves (the list comes from the app itself;
 * URLs with real ids from the access matrix's rows) is sent, as someone it lets in and as nobody:
 * repeated, missing, oversized, NUL and non-UTF-8 values, impossible dates that pass a pattern, a
 * newline in `next`, and bodies in content types no form of ours sends. The form fields tried on
 * each POST are the ones the app's own pages put in the forms that post there.
 */
const QUERY_KEYS = [
  'q',
  'page',
  'year',
  'class',
  'done',
  'next',
  'weeks',
  'recorded',
  'pupil',
  'kind',
  'entity',
  'before',
  'saved',
  'sent',
  'welcome',
  'classes',
  'outbox',
  'date',
  'from',
  'academic',
];
const LONG = 'x'.repeat(20_000);

type Sender = { who: Who; cookie: string; csrf: string };

/** `work` on each item, at most `lanes` at once. */
async function inLanes<T>(lanes: number, items: T[], work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: lanes }, async () => {
      while (next < items.length) await work(items[next++]!);
    }),
  );
}

describe.each(dialects)('hostile input on %s', (dialect) => {
  let t: TestApp;
  let urls: Map<string, string>;
  const formFields = new Map<string, Set<string>>();

  async function sender(who: Who): Promise<Sender> {
    if (who === 'anonymous') return { who, cookie: 'gatepost-csrf=anonymous-csrf-token-for-tests-0001', csrf: 'anonymous-csrf-token-for-tests-0001' };
    const other = who === 'other_head' || who === 'other_carer';
    const id = who === 'carer' ? t.fx.carers.marta : who === 'other_carer' ? t.fx.carers.otherCarer : who === 'other_head' ? t.fx.staff.otherHead : t.fx.staff[who];
    const kind = who === 'carer' || who === 'other_carer' ? 'carer' : 'staff';
    const { token, session } = await createSession(t.db, { kind, id, schoolId: other ? t.fx.other.id : t.fx.school.id }, new Date());
    return { who, cookie: `gatepost=${token}`, csrf: session.csrf_token };
  }

  const get = (s: Sender, url: string, headers: Record<string, string> = {}) => t.app.inject({ method: 'GET', url, headers: { cookie: s.cookie, ...headers } });
  const post = (s: Sender, url: string, payload: string | Buffer, type = 'application/x-www-form-urlencoded') =>
    t.app.inject({ method: 'POST', url, headers: { cookie: s.cookie, 'content-type': type }, payload });
  const form = (s: Sender, pairs: [string, string][]) => new URLSearchParams([['_csrf', s.csrf], ...pairs]).toString();

  beforeAll(async () => {
    t = await startTestApp(dialect);
    urls = await routeUrls(t);
    // The fields of every form on every page the head and Marta can open, by where the form posts.
    const head = await sender('head');
    const marta = await sender('carer');
    const pages = new Set(t.app.gatepostRoutes.filter((r) => r.method === 'GET').map((r) => urls.get(`GET ${r.url}`)!));
    // A POST's form is usually on the page at its own address or one or two levels up.
    for (const r of t.app.gatepostRoutes.filter((r) => r.method === 'POST')) {
      const parts = urls.get(`POST ${r.url}`)!.split('?')[0]!.split('/');
      for (const drop of [0, 1, 2]) if (parts.length - drop > 1) pages.add(parts.slice(0, parts.length - drop).join('/'));
    }
    await inLanes(4, [...pages], async (page) => {
      for (const s of [head, marta]) {
        const res = await get(s, page);
        for (const f of res.body.matchAll(/<form[^>]*action="([^"]*)"[^>]*>([\s\S]*?)<\/form>/g)) {
          const action = f[1]!.replace(/&amp;/g, '&').split('?')[0]!;
          const names = formFields.get(action) ?? new Set<string>();
          for (const n of f[2]!.matchAll(/name="([^"]+)"/g)) if (n[1] !== '_csrf') names.add(n[1]!);
          formFields.set(action, names);
        }
      }
    });
  }, 300_000);
  afterAll(async () => t?.close());

  function sendersFor(method: string, url: string): Who[] {
    const route = t.app.gatepostRoutes.find((r) => r.method === method && r.url === url)!;
    const staffRole = STAFF.find((w) => policyAllows(route.policy, w));
    return ['anonymous', ...(staffRole ? [staffRole] : []), ...(policyAllows(route.policy, 'carer') ? (['carer'] as const) : [])];
  }

  it('no route answers 500 to hostile GETs', async () => {
    const problems: string[] = [];
    // A GET changes nothing another route's GET depends on: several routes at once, so that on
    // PostgreSQL one route's requests run while another's wait for the database.
    await inLanes(
      4,
      t.app.gatepostRoutes.filter((r) => r.method === 'GET' && !r.url.startsWith('/assets/')),
      async (r) => {
        const url = urls.get(`GET ${r.url}`)!;
        const withParams = r.url.includes(':') ? [r.url.replace(/:\w+/g, '%00'), r.url.replace(/:\w+/g, '%FF%FE'), r.url.replace(/:\w+/g, 'x'.repeat(300))] : [];
        const variants = [
          url,
          `${url}?${QUERY_KEYS.map((k) => `${k}=a&${k}=b&${k}=`).join('&')}`,
          `${url}?${QUERY_KEYS.map((k) => `${k}[]=1&${k}[x]=2`).join('&')}`,
          `${url}?${QUERY_KEYS.map((k) => `${k}=%00`).join('&')}`,
          `${url}?${QUERY_KEYS.map((k) => `${k}=%FF%FE%C3`).join('&')}`,
          `${url}?q=${LONG}&next=${LONG}`,
          `${url}?next=%2F%0A%2Fevil.example&done=%0D%0ASet-Cookie:x=1`,
          `${url}?date=2027-02-31&before=2027-02-31T25:61&weeks=-1e999&page=99999999999999999999&year=NaN`,
          ...withParams,
        ];
        for (const who of sendersFor('GET', r.url)) {
          const s = await sender(who);
          for (const v of variants) {
            const res = await get(s, v);
            if (res.statusCode >= 500) problems.push(`${who} GET ${v.slice(0, 160)}: ${res.statusCode}`);
          }
        }
      },
    );
    expect(problems.sort()).toEqual([]);
  }, 600_000);

  it('no route answers 500 to hostile POSTs, and a body in a type our forms never send is refused with 415', async () => {
    const problems: string[] = [];
    for (const r of t.app.gatepostRoutes.filter((r) => r.method === 'POST')) {
      const url = urls.get(`POST ${r.url}`)!;
      const fields = [...(formFields.get(url.split('?')[0]!) ?? new Set(['name', 'subject', 'body', 'date', 'starts_at', 'email', 'pupil_ids']))];
      // Every field the form has, and one it has not.
      const every = (value: string): [string, string][] => [...fields, 'unexpected'].map((f) => [f, value]);
      const upload = ['/import', '/attendance/import', '/complaints/:complaintId/documents', '/policies/:policyId/document'].includes(r.url);
      for (const who of sendersFor('POST', r.url)) {
        const s = await sender(who);
        const check = (label: string, res: LightMyRequestResponse, expected?: number) => {
          if (res.statusCode >= 500) problems.push(`${who} POST ${url} ${label}: ${res.statusCode}`);
          else if (expected && res.statusCode !== expected) problems.push(`${who} POST ${url} ${label}: ${res.statusCode}, expected ${expected}`);
        };
        if (r.policy.who !== 'provider') {
          check('JSON', await post(s, url, JSON.stringify({ _csrf: s.csrf, ...Object.fromEntries(fields.map((f) => [f, 5])) }), 'application/json'), 415);
          check('text', await post(s, url, 'hello', 'text/plain'), 415);
          // Someone the route lets in is told 415; anyone else gets the route's usual answer (404 or sign in).
          const mayUse = who !== 'anonymous' || r.policy.who === 'anyone';
          if (!upload)
            check('multipart', await post(s, url, `--b\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${s.csrf}\r\n--b--\r\n`, 'multipart/form-data; boundary=b'), mayUse ? 415 : undefined);
          else check('urlencoded upload', await post(s, url, form(s, [['kind', 'pupils']])), mayUse ? 415 : undefined);
        }
        if (upload) continue;
        check('missing', await post(s, url, form(s, [])));
        check(
          'repeated',
          await post(
            s,
            url,
            form(
              s,
              fields.flatMap((f): [string, string][] => [
                [f, 'a'],
                [f, 'b'],
                [f, ''],
              ]),
            ),
          ),
        );
        check(
          'bracketed',
          await post(
            s,
            url,
            form(
              s,
              fields.flatMap((f): [string, string][] => [
                [`${f}[]`, '1'],
                [`${f}[x]`, '2'],
              ]),
            ),
          ),
        );
        check('oversized', await post(s, url, form(s, every('y'.repeat(Math.floor(1_500_000 / Math.max(1, fields.length)))))));
        check('NUL', await post(s, url, form(s, every('a\u0000b'))), 400);
        check('non-UTF-8', await post(s, url, `_csrf=${s.csrf}&${fields.map((f) => `${f}=%FF%FE%C3`).join('&')}`));
        check('non-UTF-8 bytes', await post(s, url, Buffer.concat([Buffer.from(`_csrf=${s.csrf}&${fields.map((f) => `${f}=`).join('&')}`), Buffer.from([0xff, 0xfe, 0xc3])])));
        for (const value of ['2027-02-31T25:61', '2027-02-31', '25:61', '-1e999', '99999999999999999999', '0', 'true']) check(`value ${value}`, await post(s, url, form(s, every(value))));
      }
    }
    expect(problems).toEqual([]);
  }, 600_000);
});

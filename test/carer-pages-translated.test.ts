import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dialects } from './support/db.ts';
import { startTestApp, type TestApp } from './support/app.ts';
import { draftNewsletter, routeUrls } from './support/route-urls.ts';
import { sendMessage } from '../src/features/messages/send.ts';
import { policyAllows } from '../src/platform/access/policy.ts';
import { forgetMissingStrings, missingStrings } from '../src/platform/i18n/catalog.ts';
import { CARER_LANGUAGES, ENGLISH } from '../src/platform/i18n/languages.ts';
import { textNodes, untranslated } from './support/visible-text.ts';

/**
 * Every carer page in every language marked complete, with nothing in English that should not be:
 * Marta reads Gatepost in each language in turn and opens every page a carer may (the list comes
 * from the app's own routes, with real ids from the access matrix's URL builders). A string a page
 * uses that the language lacks falls back to English and is counted (platform/i18n/catalog.ts):
 * this test fails naming the language, the page and the string.
 */
/**
 * Pages for someone Gatepost does not know yet (asking for a link, typing a code; the public complaint form, which a
 * member of the public uses without signing in): English, as their language is not known.
 */
const FOR_STRANGERS = new Set(['/sign-in/link', '/sign-in/code', '/complain/100001', '/complain/100001/sent']);
/** Pages that change the session rather than show one. */
const NOT_PAGES = new Set(['GET /sign-out', 'GET /language']);

describe.each(dialects)('carer pages in every complete language on %s', (dialect) => {
  let t: TestApp;
  let urls: string[];
  beforeAll(async () => {
    t = await startTestApp(dialect);
    const built = await routeUrls(t);
    // A letter Marta has received, for the inbox and the read link (the matrix's rows use a draft).
    const now = new Date().toISOString();
    const sent = await draftNewsletter(t);
    await sendMessage(t.db, { kind: 'system' }, t.fx.school.id, sent, { baseUrl: 'http://gatepost.test', schoolName: 'Brookfield', today: now.slice(0, 10), now: new Date() });
    const received = await t.db.selectFrom('message_recipients').select('read_token').where('message_id', '=', sent).where('carer_id', '=', t.fx.carers.marta).executeTakeFirstOrThrow();
    built.set('GET /inbox/:messageId', `/inbox/${sent}`);
    for (const [route, url] of built) if (route.startsWith('GET /m/:token')) built.set(route, url.replace(/^\/m\/[^/?]+/, `/m/${received.read_token}`));
    urls = t.app.gatepostRoutes
      .filter((r) => r.method === 'GET' && !r.url.startsWith('/assets/') && policyAllows(r.policy, 'carer'))
      .map((r) => `GET ${r.url}`)
      .filter((route) => !NOT_PAGES.has(route))
      .map((route) => built.get(route)!);
  }, 120_000);
  afterAll(async () => t?.close());

  it('opens every carer page', async () => {
    expect(urls.length).toBeGreaterThan(10);
    const marta = await t.as('carer', t.fx.carers.marta, undefined, { ownLanguage: true });
    const refused: string[] = [];
    for (const url of urls) {
      const res = await marta.get(url);
      if (res.statusCode >= 400) refused.push(`${url}: ${res.statusCode}`);
    }
    expect(refused).toEqual([]);
  });

  // A string written into a page or its code instead of the catalog never falls back: it is simply
  // English. Each carer page is drawn in English and in each language marked complete; visible text
  // that is the same in both, reads as English words and is not marked lang="en" (content the school
  // wrote in English) is hard-coded English. Names, dates and the school's own words are not sentences of UI English.
  let written: Set<string> | null = null;
  /** What the school and families wrote (an evening's name, a meeting's topic, a carer's own words) is theirs, in whatever language they wrote it. */
  async function writtenBySchoolAndFamilies(): Promise<Set<string>> {
    if (written) return written;
    written = new Set<string>();
    for (const table of [
      'evenings',
      'meetings',
      'meeting_agenda_items',
      'meeting_actions',
      'concern_entries',
      'messages',
      'surveys',
      'survey_questions',
      'consultations',
      'consultation_sections',
      'consultation_themes',
      'consultation_comments',
      'complaint_events',
      'complaint_letters',
    ] as const) {
      for (const row of await t.db.selectFrom(table).selectAll().execute()) for (const value of Object.values(row)) if (typeof value === 'string' && value.length >= 5) written.add(value);
    }
    return written;
  }

  for (const language of CARER_LANGUAGES.filter((l) => l.complete && l.code !== ENGLISH)) {
    it(`shows no hard-coded English on any carer page in ${language.name}`, async () => {
      await t.db.updateTable('carers').set({ preferred_language: language.name }).where('id', '=', t.fx.carers.marta).execute();
      try {
        const inLanguage = await t.as('carer', t.fx.carers.marta, undefined, { ownLanguage: true });
        const inEnglish = await t.as('carer', t.fx.carers.marta);
        const theirWords = await writtenBySchoolAndFamilies();
        const theirs = (text: string) => [...theirWords].some((w) => text.includes(w));
        const found: string[] = [];
        for (const url of urls.filter((u) => !FOR_STRANGERS.has(u))) {
          const [own, en] = await Promise.all([inLanguage.get(url), inEnglish.get(url)]);
          if (own.statusCode !== 200 || !String(own.headers['content-type']).startsWith('text/html')) continue;
          expect(own.body, url).toContain(`<html lang="${language.code}"`);
          const english = new Set(textNodes(en.body).map((n) => n.text));
          for (const text of untranslated(textNodes(own.body), english)) if (!theirs(text)) found.push(`${url}: "${text}"`);
        }
        expect(found, `English on ${language.name} carer pages`).toEqual([]);
      } finally {
        await t.db.updateTable('carers').set({ preferred_language: 'Polish' }).where('id', '=', t.fx.carers.marta).execute();
      }
    });
  }

  for (const language of CARER_LANGUAGES.filter((l) => l.complete && l.code !== ENGLISH)) {
    it(`shows every carer page in ${language.name} with no string in English instead`, async () => {
      await t.db.updateTable('carers').set({ preferred_language: language.name }).where('id', '=', t.fx.carers.marta).execute();
      const marta = await t.as('carer', t.fx.carers.marta, undefined, { ownLanguage: true });
      const fellBack: string[] = [];
      for (const url of urls) {
        forgetMissingStrings();
        const res = await marta.get(url);
        if (res.statusCode === 200 && String(res.headers['content-type']).startsWith('text/html')) expect(res.body, url).toContain(`<html lang="${language.code}"`);
        for (const [entry, count] of missingStrings()) if (entry.startsWith(`${language.code} `)) fellBack.push(`${url}: ${entry.slice(language.code.length + 1)} (${count}×)`);
      }
      await t.db.updateTable('carers').set({ preferred_language: 'Polish' }).where('id', '=', t.fx.carers.marta).execute();
      expect(fellBack, `${language.name} strings shown in English`).toEqual([]);
    });
  }
});

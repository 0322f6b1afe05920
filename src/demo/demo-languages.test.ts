import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dialects } from '../../test/support/db.ts';
import { startTestApp, type TestApp } from '../../test/support/app.ts';
import { loadDemoSchool, type DemoSummary } from './demo-school.ts';

/**
 * The demo school shows a new user the carer's side in the families' own languages: Marta Nowak's
 * pages in Polish, Faduma Warsame's in Somali and Shabana Hussain's in Urdu, right to left. Every
 * page a carer opens from the menu, with nothing falling back to English on the way.
 */
describe.each(dialects)('the demo school’s families in their own languages on %s', (dialect) => {
  let t: TestApp;
  let demo: DemoSummary;
  beforeAll(async () => {
    t = await startTestApp(dialect);
    demo = await loadDemoSchool(t.db);
  }, 180_000);
  afterAll(async () => t?.close());

  const carer = (given: string, family: string) =>
    t.db.selectFrom('carers').select(['id', 'preferred_language']).where('school_id', '=', demo.schoolId).where('given_name', '=', given).where('family_name', '=', family).executeTakeFirstOrThrow();

  for (const [given, family, code, dir, word] of [
    ['Marta', 'Nowak', 'pl', 'ltr', 'Wiadomości'],
    ['Faduma', 'Warsame', 'so', 'ltr', 'Fariimaha'],
    ['Shabana', 'Hussain', 'ur', 'rtl', 'پیغامات'],
  ] as const) {
    it(`shows ${given} ${family} her pages in her language (${code}, ${dir})`, async () => {
      const who = await carer(given, family);
      const client = await t.as('carer', who.id, demo.schoolId, { ownLanguage: true });
      for (const url of ['/', '/inbox', '/my-meetings', '/my-concerns', '/parents-evenings', '/preferences']) {
        const res = await client.get(url);
        expect(res.statusCode, `${given} ${url}`).toBe(200);
        expect(res.body, `${given} ${url}`).toContain(`<html lang="${code}" dir="${dir}"`);
      }
      expect((await client.get('/')).body).toContain(word);
    });
  }
});

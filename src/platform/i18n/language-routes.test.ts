import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dialects } from '../../../test/support/db.ts';
import { startTestApp, type TestApp } from '../../../test/support/app.ts';
import { forgetSchoolTexts } from './queries.ts';

describe.each(dialects)('a carer’s pages in their language on %s', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(dialect);
  });
  afterAll(async () => t?.close());

  it('shows Marta her pages in Polish with English one click away, and keeps her choice on this device', async () => {
    const marta = await t.as('carer', t.fx.carers.marta, undefined, { ownLanguage: true });
    const home = await marta.get('/');
    expect(home.statusCode).toBe(200);
    expect(home.body).toMatch(/<html lang="pl" dir="ltr"/);
    expect(home.body).toContain('Wiadomości');
    expect(home.body).toContain('href="/language?to=en&amp;next=%2F"');

    const switched = await marta.get('/language?to=en&next=/inbox');
    expect(switched.statusCode).toBe(303);
    expect(switched.headers.location).toBe('/inbox');
    const cookie = String(switched.headers['set-cookie']);
    expect(cookie).toMatch(/gp_english=1/);

    // A client that sends the cookie back (the test client's carers have pressed "English").
    const inEnglish = await (await t.as('carer', t.fx.carers.marta)).get('/');
    expect(inEnglish.body).toMatch(/<html lang="en" dir="ltr"/);
    expect(inEnglish.body).toMatch(/href="\/inbox"[^>]*>\s*Messages\s*</);
    expect(inEnglish.body).toMatch(/<a class="govuk-link" href="\/language\?to=pl&amp;next=%2F" lang="pl"[^>]*>Polski<\/a>/);

    // Back to Polish: the cookie is cleared.
    const back = await marta.get('/language?to=pl&next=/');
    expect(String(back.headers['set-cookie'])).toMatch(/gp_english=;/);
  });

  it('sends nobody off the site from the switch', async () => {
    const marta = await t.as('carer', t.fx.carers.marta, undefined, { ownLanguage: true });
    expect((await marta.get('/language?to=en&next=//evil.example')).headers.location).toBe('/');
    expect((await marta.get('/language?to=xx&next=/inbox')).headers.location).toBe('/inbox');
  });

  it('lays out an Urdu reader’s pages right to left', async () => {
    await t.db.updateTable('carers').set({ preferred_language: 'Urdu' }).where('id', '=', t.fx.carers.grace).execute();
    const grace = await t.as('carer', t.fx.carers.grace, undefined, { ownLanguage: true });
    const home = await grace.get('/');
    expect(home.body).toMatch(/<html lang="ur" dir="rtl"/);
    expect(home.body).toContain('پیغامات');
    expect(home.body).toMatch(/lang="en" hreflang="en" dir="ltr">English<\/a>/);
    await t.db.updateTable('carers').set({ preferred_language: 'English' }).where('id', '=', t.fx.carers.grace).execute();
  });

  it('keeps staff pages in English with no switch, and a carer whose language Gatepost lacks gets English', async () => {
    const head = await t.as('staff', t.fx.staff.head);
    const home = await head.get('/');
    expect(home.body).toMatch(/<html lang="en" dir="ltr"/);
    expect(home.body).not.toContain('/language?');
    const tomasz = await t.as('carer', t.fx.carers.tomasz, undefined, { ownLanguage: true });
    expect((await tomasz.get('/')).body).not.toContain('/language?');
  });

  it('uses the school’s own words for its families, in their language and in English', async () => {
    const now = new Date().toISOString();
    await t.db
      .insertInto('school_texts')
      .values([
        { school_id: t.fx.school.id, language: 'pl', key: 'common.nav.evenings', text: 'Konsultacje z nauczycielami', updated_by: t.fx.staff.head, updated_at: now },
        { school_id: t.fx.school.id, language: 'en', key: 'common.nav.evenings', text: 'Family consultations', updated_by: t.fx.staff.head, updated_at: now },
      ])
      .execute();
    forgetSchoolTexts(t.fx.school.id);
    const marta = await t.as('carer', t.fx.carers.marta, undefined, { ownLanguage: true });
    expect((await marta.get('/')).body).toContain('Konsultacje z nauczycielami');
    const martaInEnglish = await t.as('carer', t.fx.carers.marta);
    expect((await martaInEnglish.get('/')).body).toContain('Family consultations');
    // Another school's families keep the built-in words.
    const olga = await t.as('carer', t.fx.carers.otherCarer, t.fx.other.id);
    expect((await olga.get('/')).body).toContain('Parents’ evenings');
  });

  it('gives Marta her error pages in Polish (not found, not hers, a stale form) and staff theirs in English', async () => {
    const marta = await t.as('carer', t.fx.carers.marta, undefined, { ownLanguage: true });
    for (const url of ['/no-such-page', '/my-meetings/00000000-0000-7000-8000-000000000000', '/my-concerns/nope']) {
      const res = await marta.get(url);
      expect(res.statusCode, url).toBe(404);
      expect(res.body, url).toContain('<html lang="pl"');
      expect(res.body, url).toContain('Nie znaleziono strony');
      expect(res.body, url).toContain('Przejdź do strony głównej');
      expect(res.body, url).not.toContain('Page not found');
    }
    const stale = await marta.post('/preferences', { _csrf: 'not-the-token' });
    expect(stale.statusCode).toBe(403);
    expect(stale.body).toContain('Ten formularz wygasł');
    const head = await t.as('staff', t.fx.staff.head);
    const staffPage = await head.get('/no-such-page');
    expect(staffPage.body).toContain('Page not found');
    expect(staffPage.body).toContain('Go to your home page');
  });
});

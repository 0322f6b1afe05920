import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dialects } from '../../../test/support/db.ts';
import { startTestApp, type Client, type TestApp } from '../../../test/support/app.ts';
import { forgetMissingStrings, textIn } from '../../platform/i18n/catalog.ts';
import { localDate } from '../../platform/calendar/time.ts';

/** Tomorrow in the school's time zone, typed as an office would: 7/12/2026. */
function tomorrowTyped(): string {
  const [y, m, d] = localDate(new Date(Date.now() + 86_400_000), 'Europe/London')
    .split('-')
    .map(Number);
  return `${d}/${m}/${y}`;
}
/** The visible text of a page, tags dropped and spaces squeezed, for sentences that span markup. */
const words = (html: string) =>
  html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#39;/g, "'")
    .replace(/\s+/g, ' ');

describe.each(dialects)('Settings → Languages on %s', (dialect) => {
  let t: TestApp;
  let head: Client;
  beforeAll(async () => {
    t = await startTestApp(dialect);
    head = await t.as('staff', t.fx.staff.head);
  });
  afterAll(async () => t?.close());

  it('shows the head every language: who reads it, how complete, who wrote it, and how often pages fell back to English', async () => {
    forgetMissingStrings();
    textIn('so')('common.nowhere.test');
    textIn('so')('common.nowhere.test');
    const page = await head.get('/settings/languages');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('href="/settings/languages"'); // in the head's menu
    const text = words(page.body);
    for (const name of ['English', 'Polish', 'Urdu', 'Somali', 'Arabic', 'Romanian', 'Bengali', 'Punjabi', 'Portuguese', 'Ukrainian', 'Vietnamese']) expect(text).toContain(name);
    const polish = text.slice(text.indexOf('Polish'), text.indexOf('Urdu'));
    expect(polish).toMatch(/Parents and carers who read it 1 /); // Marta
    expect(polish).toMatch(/Translated (\d+) of \1 phrases \(100%\)/);
    expect(text).not.toMatch(/\bstrings?\b/i); // a school's words (phrases), not a developer's
    expect(polish).toContain('Written by the Gatepost team, not yet checked');
    expect(polish).toContain('Shown in English instead never since Gatepost last started');
    const somali = text.slice(text.indexOf('Somali'), text.indexOf('Arabic'));
    expect(somali).toContain('Shown in English instead 2 times since Gatepost last started');
    forgetMissingStrings();
  });

  it('keeps the page from everyone but the head', async () => {
    expect((await (await t.as('staff', t.fx.staff.office)).get('/settings/languages')).statusCode).toBe(404);
    expect((await (await t.as('staff', t.fx.staff.office)).get('/')).body).not.toContain('/settings/languages');
    expect((await head.get('/settings/languages/xx')).statusCode).toBe(404);
  });

  it('records a fluent speaker’s check with the date as typed, refusing a date that is not a real past date', async () => {
    const future = await head.post('/settings/languages/pl/check', { checked_by: 'Ana Silva', checked_on: tomorrowTyped() });
    expect(future.statusCode).toBe(400);
    expect(words(future.body)).toContain('The date they checked it must be today or in the past');
    expect(future.body).toContain('value="Ana Silva"');
    const impossible = await head.post('/settings/languages/pl/check', { checked_by: 'Ana Silva', checked_on: '31/2/2026' });
    expect(words(impossible.body)).toContain('There is no 31 February 2026');
    expect(impossible.body).toContain('id="checked_on-day" name="checked_on-day" type="text" value="31"'); // what was typed, back in GOV.UK's three boxes
    const noMonth = await head.post('/settings/languages/pl/check', { checked_by: 'Ana Silva', 'checked_on-day': '3', 'checked_on-month': '', 'checked_on-year': '2025' });
    expect(words(noMonth.body)).toContain('The date they checked it must include a month');
    const noName = await head.post('/settings/languages/pl/check', { checked_by: ' ', checked_on: '3/12/2026' });
    expect(words(noName.body)).toContain('Enter the name of the fluent speaker who checked it');

    const saved = await head.post('/settings/languages/pl/check', { checked_by: 'Ana  Silva', 'checked_on-day': '3', 'checked_on-month': '12', 'checked_on-year': '2025' });
    expect(saved.statusCode).toBe(303);
    expect(saved.headers.location).toBe('/settings/languages/pl?saved=check');
    const overview = words((await head.get('/settings/languages')).body);
    expect(overview.slice(overview.indexOf('Polish'), overview.indexOf('Urdu'))).toContain('Checked by Ana Silva, a fluent speaker, on 3 December 2025');
    expect(overview.slice(overview.indexOf('Urdu'), overview.indexOf('Somali'))).toContain('not yet checked');
    const log = words((await head.get('/audit')).body);
    expect(log).toContain('Polish words checked by a fluent speaker');
    expect(log).toContain('Checked by: Ana Silva');
    expect(log).toContain('Checked on: 3 December 2025');
    expect(await t.db.selectFrom('language_checks').select(['checked_by', 'checked_on', 'recorded_by']).where('school_id', '=', t.fx.school.id).execute()).toEqual([
      { checked_by: 'Ana Silva', checked_on: '2025-12-03', recorded_by: t.fx.staff.head },
    ]);
  });

  it('finds a string by its English words', async () => {
    const found = await head.get('/settings/languages/pl?q=HOW%20WE%20CONTACT');
    expect(words(found.body)).toContain('1 phrase matches ‘HOW WE CONTACT’');
    expect(found.body).toContain('Find a phrase or sentence by its English words');
    expect(words(found.body)).not.toMatch(/\bstrings?\b/i);
    expect(words(found.body)).toContain('In English: How we contact you');
    expect(found.body).toContain('Jak się z Państwem kontaktujemy');
    expect(words(found.body)).not.toContain('In English: Your account');
  });

  it('saves the school’s own Polish words, shows them to Marta at once, audits them, and clears them', async () => {
    const saved = await head.post('/settings/languages/pl/words', { key: 'common.nav.evenings', text: ' Konsultacje dla rodziców ', q: 'common.nav.evenings', action: 'save' });
    expect(saved.statusCode).toBe(303);
    expect(saved.headers.location).toBe('/settings/languages/pl?q=common.nav.evenings&saved=words#words-common-nav-evenings');
    const marta = await t.as('carer', t.fx.carers.marta, undefined, { ownLanguage: true });
    expect((await marta.get('/')).body).toContain('Konsultacje dla rodziców');
    const page = await head.get('/settings/languages/pl?q=common.nav.evenings');
    expect(page.body).toMatch(/<textarea[^>]*id="words-common-nav-evenings"[^>]*>Konsultacje dla rodziców<\/textarea>/);
    expect(words(page.body)).toContain('Use Gatepost’s words');
    const log = words((await head.get('/audit')).body);
    expect(log).toContain('The school’s own words in Polish saved');
    expect(log).toContain('In English: Parents’ evenings');
    expect(log).toContain('Words: Konsultacje dla rodziców');

    const cleared = await head.post('/settings/languages/pl/words', { key: 'common.nav.evenings', text: 'Konsultacje dla rodziców', action: 'clear' });
    expect(cleared.headers.location).toBe('/settings/languages/pl?saved=cleared#words-common-nav-evenings');
    expect((await marta.get('/')).body).not.toContain('Konsultacje dla rodziców');
    expect(words((await head.get('/audit')).body)).toContain('Words: Konsultacje dla rodziców → Wywiadówki');
  });

  it('keeps what was typed and says what is wrong when the words cannot be read or lose a placeholder', async () => {
    const broken = await head.post('/settings/languages/pl/words', { key: 'common.footer.tagline', text: '{school · Gatepost', action: 'save' });
    expect(broken.statusCode).toBe(400);
    expect(words(broken.body)).toMatch(/Error: .*Gatepost cannot read these words/);
    expect(broken.body).toMatch(/id="words-common-footer-tagline-error"[\s\S]*?Gatepost cannot read these words/);
    expect(broken.body).toContain('>{school · Gatepost</textarea>');
    const lost = await head.post('/settings/languages/pl/words', { key: 'common.footer.tagline', text: 'Gatepost, razem z rodzinami', action: 'save' });
    expect(words(lost.body)).toContain('Use the same placeholders as the English: keep {school}');
    expect(await t.db.selectFrom('school_texts').select('key').execute()).toEqual([]);
    expect((await head.post('/settings/languages/pl/words', { key: 'no.such.key', text: 'x' })).statusCode).toBe(400);
  });

  it('applies the school’s English words to carers reading English, and leaves staff pages as they were', async () => {
    await head.post('/settings/languages/en/words', { key: 'common.nav.evenings', text: 'Family consultation evenings', action: 'save' });
    const martaInEnglish = await t.as('carer', t.fx.carers.marta);
    expect((await martaInEnglish.get('/')).body).toContain('Family consultation evenings');
    const tomasz = await t.as('carer', t.fx.carers.tomasz, undefined, { ownLanguage: true });
    expect((await tomasz.get('/')).body).toContain('Family consultation evenings');
    const staffEvenings = (await head.get('/evenings')).body;
    expect(staffEvenings).not.toContain('Family consultation evenings');
    expect(staffEvenings).toContain('Parents’ evenings');
    // The English page offers no check (English is Gatepost's own language) but lists the string.
    const english = await head.get('/settings/languages/en?q=common.nav.evenings');
    expect(english.body).not.toContain('Record the check');
    expect(english.body).toContain('>Family consultation evenings</textarea>');
    expect((await head.post('/settings/languages/en/check', { checked_by: 'A', checked_on: '1/12/2026' })).statusCode).toBe(404);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dialects } from '../../../test/support/db.ts';
import { startTestApp, type TestApp } from '../../../test/support/app.ts';
import { ENGLISH_COOKIE } from '../i18n/plugin.ts';

/** Signing in and the account page, once Gatepost knows who the carer is, in the carer's language. */
describe.each(dialects)('signing in and the account in the carer’s language on %s', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(dialect);
    await t.db.updateTable('carers').set({ preferred_language: 'Urdu' }).where('id', '=', t.fx.carers.grace).execute();
  });
  afterAll(async () => t?.close());

  const html = (lang: string, dir: string) => new RegExp(`<html lang="${lang}" dir="${dir}"`);
  async function linkFor(email: string) {
    t.sink.messages.length = 0;
    await t.anonymous().post('/sign-in/link', { email });
    const mail = await t.sink.waitFor(email);
    return { mail, link: /http:\/\/gatepost\.test(\/sign-in\/link\/\S+)/.exec(mail.text)![1]! };
  }

  it('emails Marta her sign-in link in Polish with the English beneath, and asks her to press Sign in in Polish', async () => {
    const { mail, link } = await linkFor('marta@families.test');
    expect(mail.subject).toBe('Logowanie: Brookfield Primary School');
    expect(mail.text).toMatch(/^Dzień dobry Marta,/);
    expect(mail.text).toContain('Link działa jeden raz i przez 20 minut.');
    expect(mail.text).toContain('Dear Marta,');
    expect(mail.text.indexOf('Dear Marta,')).toBeGreaterThan(mail.text.indexOf('Dzień dobry Marta,'));

    // The anonymous "check your email" page stays English: it must not tell whether the address is known.
    expect((await t.anonymous().post('/sign-in/link', { email: 'marta@families.test' })).body).toMatch(html('en', 'ltr'));

    const page = (await t.anonymous().get(link)).body;
    expect(page).toMatch(html('pl', 'ltr'));
    expect(page).toMatch(/<button[^>]*>\s*Zaloguj się\s*<\/button>/);
    // On a device where she chose English, English.
    const english = await t.app.inject({ url: link, headers: { cookie: `${ENGLISH_COOKIE}=1` } });
    expect(english.body).toContain('Press the button to finish signing in.');
    // A made-up link says nothing about anyone: English.
    expect((await t.anonymous().get('/sign-in/link/nobody.nothing')).body).toMatch(html('en', 'ltr'));

    const used = await t.anonymous().post(link);
    expect(used.statusCode).toBe(303);
    // Used up: the page no longer knows her.
    expect((await t.anonymous().get(link)).body).toMatch(html('en', 'ltr'));
  });

  it('writes an Urdu reader’s link email and page right to left', async () => {
    const { mail, link } = await linkFor('grace@families.test');
    expect(mail.subject).toBe('Brookfield Primary School میں سائن ان کریں');
    const page = (await t.anonymous().get(link)).body;
    expect(page).toMatch(html('ur', 'rtl'));
    expect(page).toContain('سائن ان مکمل کرنے کے لیے بٹن دبائیں۔');
  });

  it('shows Marta and Grace their account in their language, with password errors beside the field', async () => {
    const marta = await t.as('carer', t.fx.carers.marta, undefined, { ownLanguage: true });
    const account = (await marta.get('/account')).body;
    expect(account).toMatch(html('pl', 'ltr'));
    expect(account).toContain('Państwa konto');
    expect(account).toContain('Co najmniej 12 znaków.');
    expect(account).toContain('Nie jest ono konieczne: zawsze można poprosić o link do logowania e-mailem.');
    const short = await marta.post('/account/password', { password: 'krótkie', confirm: 'krótkie' });
    expect(short.statusCode).toBe(400);
    expect(short.body).toMatch(/<p id="password-error" class="govuk-error-message">\s*<span class="govuk-visually-hidden">Błąd:<\/span> Hasło musi mieć co najmniej 12 znaków/);

    const grace = await t.as('carer', t.fx.carers.grace, undefined, { ownLanguage: true });
    const urdu = (await grace.get('/account')).body;
    expect(urdu).toMatch(html('ur', 'rtl'));
    expect(urdu).toContain('آپ کا اکاؤنٹ');
    expect(urdu).toMatch(/<bdi>[^<]*Grace[^<]*<\/bdi>/); // her left-to-right name isolated in the right-to-left sentence
  });

  it('never offers Faduma, who has no email, a link by email: her code from the office, in Somali or in English', async () => {
    for (const ownLanguage of [true, false]) {
      const faduma = await t.as('carer', t.fx.carers.faduma, undefined, { ownLanguage });
      for (const url of ['/account', '/account?welcome=1', '/']) {
        const body = (await faduma.get(url)).body;
        expect(body, url).not.toMatch(/link by email|sign-in link|iimayl ku codsan|xiriiriye/i);
      }
      const account = (await faduma.get('/account?welcome=1')).body;
      expect(account).not.toContain('name="password"');
      expect(account).toContain(ownLanguage ? 'Waxaad ku gashaa kood ka yimid xafiiska dugsiga.' : 'You sign in with a code from the school office.');
      expect(account).toContain(ownLanguage ? 'xafiiska dugsiga ka codso kood cusub' : 'ask the school office for a new code');
    }
  });

  it('prints Faduma’s sign-in letter in Somali with English beside it, and an Urdu reader’s right to left', async () => {
    const office = await t.as('staff', t.fx.staff.office);
    const letter = (await office.post(`/carers/${t.fx.carers.faduma}/sign-in-code`)).body;
    // The office's page is English; the letter's two columns each say what they are.
    expect(letter).toMatch(html('en', 'ltr'));
    const somali = letter.indexOf('<section class="gp-letter-column" lang="so" dir="ltr">');
    const english = letter.indexOf('<section class="gp-letter-column" lang="en" dir="ltr">');
    expect(somali).toBeGreaterThan(0);
    expect(english).toBeGreaterThan(somali);
    expect(letter.slice(somali, english)).toContain('Gacaliye <bdi>Faduma Warsame</bdi>');
    expect(letter.slice(somali, english)).toContain('Qor koodkan:');
    expect(letter.slice(english)).toContain('Dear <bdi>Faduma Warsame</bdi>');
    expect(letter.slice(english)).toContain('Type in this code:');
    const code = /id="sign-in-code">([A-Z0-9-]+)</.exec(letter)?.[1];
    expect(code).toMatch(/^[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}$/);
    expect(letter.split(code!).length - 1).toBe(2); // once in each column
    expect(letter.match(/id="sign-in-code"/g)).toHaveLength(1);

    const urdu = (await office.post(`/carers/${t.fx.carers.grace}/sign-in-code`)).body;
    expect(urdu).toContain('<section class="gp-letter-column" lang="ur" dir="rtl">');
    expect(urdu).toContain('<section class="gp-letter-column" lang="en" dir="ltr">');

    const tomasz = (await office.post(`/carers/${t.fx.carers.tomasz}/sign-in-code`)).body;
    expect(tomasz).not.toContain('lang="ur"');
    expect(tomasz.match(/<section class="gp-letter-column"/g)).toHaveLength(1);
  });
});

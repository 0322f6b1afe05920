import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dialects } from '../../../test/support/db.ts';
import { startTestApp, type TestApp } from '../../../test/support/app.ts';
import { newId } from '../../platform/ids.ts';
import type { MessageKind } from '../../db/schema.ts';
import { sendMessage } from './send.ts';

/** The carer's own pages in their own language: Marta reads Polish, Grace (set here) reads Urdu. */
describe.each(dialects)('a carer’s home, messages and choices in their language on %s', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(dialect);
    await t.db.updateTable('carers').set({ preferred_language: 'Urdu' }).where('id', '=', t.fx.carers.grace).execute();
  });
  afterAll(async () => t?.close());

  const marta = () => t.as('carer', t.fx.carers.marta, undefined, { ownLanguage: true });
  const grace = () => t.as('carer', t.fx.carers.grace, undefined, { ownLanguage: true });
  async function emailTo(to: string, subject: string) {
    for (let i = 0; i < 100; i += 1) {
      const found = t.sink.messages.find((m) => m.to.includes(to) && m.subject.includes(subject));
      if (found) return found;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`No email to ${to} about ${subject}`);
  }
  const html = (lang: string, dir: string) => new RegExp(`<html lang="${lang}" dir="${dir}"`);

  async function sent(kind: MessageKind, subject: string, body: string, polish?: { subject: string; body: string }) {
    const id = newId();
    const now = new Date().toISOString();
    await t.db
      .insertInto('messages')
      .values({
        id,
        school_id: t.fx.school.id,
        kind,
        tone: 'information',
        subject,
        body,
        audience_json: JSON.stringify({ kind: 'pupils', pupilIds: [t.fx.pupils.kuba] }),
        asks_acknowledgement: 1,
        status: 'draft',
        scheduled_for: null,
        sent_at: null,
        created_by: t.fx.staff.teacher,
        created_at: now,
        updated_at: now,
      })
      .execute();
    if (polish) {
      await t.db
        .insertInto('message_translations')
        .values({
          id: newId(),
          school_id: t.fx.school.id,
          message_id: id,
          language: 'Polish',
          ...polish,
          source: 'person',
          status: 'checked',
          written_by: t.fx.staff.office,
          checked_by: t.fx.staff.head,
          updated_at: now,
        })
        .execute();
    }
    await sendMessage(t.db, { kind: 'staff', id: t.fx.staff.head, schoolId: t.fx.school.id }, t.fx.school.id, id, {
      baseUrl: 'http://gatepost.test',
      schoolName: 'Brookfield Primary School',
      today: '2026-11-23',
      now: new Date(),
    });
    return id;
  }

  it('shows Marta her home and her child’s page in Polish, and Grace hers in Urdu, right to left', async () => {
    const home = (await (await marta()).get('/')).body;
    expect(home).toMatch(html('pl', 'ltr'));
    expect(home).toContain('Państwa dzieci');
    expect(home).toContain('Rok 3 (Year 3), 3 Okafor');
    expect(home).toContain('Dane, które ma szkoła');
    expect(home).toMatch(/Język\s*<\/dt>\s*<dd class="govuk-summary-list__value">\s*Polski\s*</);
    expect(home).not.toContain('Your children');
    const child = (await (await marta()).get(`/children/${t.fx.pupils.kuba}`)).body;
    expect(child).toMatch(html('pl', 'ltr'));
    expect(child).toContain('Data urodzenia');
    expect(child).toContain('Matka');
    expect(child).toContain('Wiadomości dotyczące dziecka: <bdi>Jakub</bdi>');

    const urdu = (await (await grace()).get('/')).body;
    expect(urdu).toMatch(html('ur', 'rtl'));
    expect(urdu).toContain('آپ کے بچے');
    expect(urdu).toContain('سال 4 (Year 4)');
    const leo = (await (await grace()).get(`/children/${t.fx.pupils.leo}`)).body;
    expect(leo).toContain('رضاعی نگہداشت کنندہ');
  });

  it('shows a checked Polish translation’s subject in Marta’s inbox and her email; an English-only message stays English with the help line', async () => {
    t.sink.messages.length = 0;
    const translated = await sent('letter', 'Swimming on Friday', 'Please bring a towel.', { subject: 'Basen w piątek', body: 'Prosimy przynieść ręcznik.' });
    const english = await sent('newsletter', 'Autumn newsletter', 'Harvest festival is next week.');
    const client = await marta();

    const inbox = (await client.get('/inbox')).body;
    expect(inbox).toMatch(html('pl', 'ltr'));
    expect(inbox).toContain('Wiadomości ze szkoły');
    expect(inbox).toContain('<bdi>Jakub</bdi>: Basen w piątek');
    expect(inbox).not.toContain('Swimming on Friday');
    // The English-only subject is marked as English on the Polish page.
    expect(inbox).toMatch(new RegExp(`href="/inbox/${english}" lang="en" dir="ltr"><bdi>Jakub</bdi>: Autumn newsletter<`));
    expect(inbox).toContain('Prosimy o odpowiedź');

    const message = (await client.get(`/inbox/${translated}`)).body;
    expect(message).toContain('Basen w piątek');
    expect(message).toContain('Prosimy przynieść ręcznik.');
    expect(message).toMatch(/<div lang="pl" dir="ltr">/);
    expect(message).toContain('Potwierdzam przeczytanie');
    expect(message).toContain('List ·');

    const plain = (await client.get(`/inbox/${english}`)).body;
    expect(plain).toMatch(html('pl', 'ltr'));
    expect(plain).toContain('Harvest festival is next week.');
    expect(plain).toMatch(/<div lang="en" dir="ltr">\s*<h1 class="govuk-heading-l">Jakub: Autumn newsletter<\/h1>/);
    expect(plain).toContain('Ta wiadomość jest w języku angielskim');
    expect(plain).toContain('Biuletyn ·');

    const mail = await emailTo('marta@families.test', 'Basen');
    expect(mail.subject).toBe('Jakub: Basen w piątek');
    expect(mail.text).toContain('Prosimy przynieść ręcznik.');
    expect(mail.text).toContain('Można ją przeczytać w Gatepost: http://gatepost.test/m/');
    // English beneath, for anyone at home who reads English.
    expect(mail.text.indexOf('Please bring a towel.')).toBeGreaterThan(mail.text.indexOf('Prosimy przynieść ręcznik.'));
    expect(mail.text).toContain('Read it on Gatepost: http://gatepost.test/m/');
    const plainMail = await emailTo('marta@families.test', 'Autumn');
    expect(plainMail.subject).toBe('Jakub: Autumn newsletter');
    expect(plainMail.text).toContain('Ta wiadomość jest w języku angielskim');
  });

  it('opens the emailed link to a message in Marta’s language without signing in', async () => {
    const id = await sent('letter', 'Trip money', 'Please pay by Friday.', { subject: 'Pieniądze na wycieczkę', body: 'Prosimy zapłacić do piątku.' });
    const token = (await t.db.selectFrom('message_recipients').select('read_token').where('message_id', '=', id).where('carer_id', '=', t.fx.carers.marta).executeTakeFirstOrThrow()).read_token;
    const page = (await t.anonymous().get(`/m/${token}`)).body;
    expect(page).toMatch(html('pl', 'ltr'));
    expect(page).toContain('Pieniądze na wycieczkę');
    expect((await t.anonymous().get(`/m/${token}/stop-emails`)).body).toContain('Rezygnacja z e-maili ze szkoły');
  });

  it('shows praise in Marta’s words, naming the teacher', async () => {
    const teacher = await t.as('staff', t.fx.staff.teacher);
    const classId = t.fx.classes.y3;
    expect((await teacher.post('/praise', { class_id: classId, pupil_ids: t.fx.pupils.kuba, note: 'Fantastic reading today' })).statusCode).toBe(303);
    const inbox = (await (await marta()).get('/inbox')).body;
    expect(inbox).toMatch(/<bdi>Jakub<\/bdi>: Dobre wieści od: \S+ Okafor/);
    const mail = await emailTo('marta@families.test', 'Dobre wieści');
    expect(mail.subject).toMatch(/^Jakub: Dobre wieści od: \S+ Okafor$/);
    // An English reader sees the English subject.
    expect((await (await t.as('carer', t.fx.carers.tomasz)).get('/inbox')).body).toMatch(/<bdi>Jakub<\/bdi>: Good news from \S+ Okafor/);
  });

  it('asks Marta her choices in Polish, with the mistake beside the field in Polish; Grace’s in Urdu', async () => {
    const client = await marta();
    const page = (await client.get('/preferences')).body;
    expect(page).toMatch(html('pl', 'ltr'));
    expect(page).toContain('Jak szkoła się z Państwem kontaktuje');
    expect(page).toMatch(/<option value="Polish" selected>Polski<\/option>/);
    expect(page).toMatch(/<option value="Urdu">Urdu<\/option>/);
    const wrong = await client.post('/preferences', { preferred_language: 'Polish', interpreter_needed: 'yes' });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.body).toMatch(
      /<p id="channels-error" class="govuk-error-message">\s*<span class="govuk-visually-hidden">Błąd:<\/span> Prosimy wybrać co najmniej jeden sposób otrzymywania wiadomości ze szkoły/,
    );
    expect(wrong.body).toContain('href="#channel_email"');
    expect(wrong.body).not.toContain('Choose at least one way');

    const urdu = (await (await grace()).get('/preferences')).body;
    expect(urdu).toMatch(html('ur', 'rtl'));
    expect(urdu).toContain('اسکول آپ سے کیسے رابطہ کرتا ہے');
    expect(urdu).toMatch(/<option value="Urdu" selected>اردو<\/option>/);
  });

  it('keeps every page in English for a carer who pressed English, and for staff', async () => {
    const english = await t.as('carer', t.fx.carers.marta);
    const home = (await english.get('/')).body;
    expect(home).toMatch(html('en', 'ltr'));
    expect(home).toContain('Your children');
    expect(home).toContain('Year 3, 3 Okafor');
    expect((await english.get('/preferences')).body).toContain('How the school contacts you');
    expect((await english.get('/inbox')).body).toContain('Messages from school');
  });
});

import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { dialects } from '../../../test/support/db.ts';
import { startTestApp, type Client, type TestApp } from '../../../test/support/app.ts';
import { startFakeTranslate, type FakeTranslate } from '../../../test/support/fake-translate.ts';

describe.each(dialects)('translating a message on %s', (dialect) => {
  let t: TestApp;
  let fake: FakeTranslate;
  let head: Client;
  let office: Client;
  beforeAll(async () => {
    fake = await startFakeTranslate();
    t = await startTestApp(dialect, { env: { TRANSLATE_URL: fake.url } });
    head = await t.as('staff', t.fx.staff.head);
    office = await t.as('staff', t.fx.staff.office);
  });
  afterAll(async () => {
    await t?.close();
    await fake?.close();
  });
  beforeEach(() => {
    fake.failWith = null;
    fake.requests.length = 0;
  });

  /** A letter to class 3 Okafor (Marta reads Polish), written by `by`; returns its id. */
  async function draft(by: Client, subject: string, body: string): Promise<string> {
    const res = await by.post('/messages/new', { kind: 'letter', audience_kind: 'classes', class_ids: t.fx.classes.y3, subject, body });
    expect(res.statusCode).toBe(303);
    return (res.headers.location as string).split('/').pop()!;
  }
  const translation = (messageId: string, language = 'Polish') =>
    t.db.selectFrom('message_translations').selectAll().where('message_id', '=', messageId).where('language', '=', language).executeTakeFirst();
  async function emailTo(to: string, subject: string) {
    for (let i = 0; i < 100; i += 1) {
      const found = t.sink.messages.find((m) => m.to.includes(to) && m.subject.includes(subject));
      if (found) return found;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`No email to ${to} about ${subject}`);
  }
  const auditActions = async (entityId: string) => (await t.db.selectFrom('audit_log').select('action').where('entity_id', '=', entityId).orderBy('at').orderBy('id').execute()).map((a) => a.action);

  it('requests, writes and has a second person check a translation; Marta reads the Polish after the send', async () => {
    const id = await draft(head, 'Museum trip', 'Dear families,\n\nThe trip is on Friday.');
    expect((await office.get(`/messages/${id}`)).body).toContain('Without a translation, Polish readers get English with one line in their language');
    const list = await office.get(`/messages/${id}/translations`);
    expect(list.statusCode).toBe(200);
    expect(list.body).toContain('Polish');
    expect(list.body).toContain('1 family');
    expect(list.body).toContain('None');

    expect((await office.post(`/messages/${id}/translations/Polish/request`)).statusCode).toBe(303);
    expect(await translation(id)).toMatchObject({ status: 'requested', source: 'person', subject: '', body: '' });
    expect((await office.get(`/messages/${id}/translations`)).body).toContain('Requested');

    const form = await office.get(`/messages/${id}/translations/Polish`);
    expect(form.statusCode).toBe(200);
    expect(form.body).toMatch(/<textarea[^>]*lang="pl"[^>]*dir="ltr"|<textarea[^>]*dir="ltr"[^>]*lang="pl"/);

    const empty = await office.post(`/messages/${id}/translations/Polish`, { subject: 'Wycieczka do muzeum', body: '  ' });
    expect(empty.statusCode).toBe(400);
    expect(empty.body).toContain('Enter the message in this language');
    expect(empty.body).toContain('Wycieczka do muzeum');

    const saved = await office.post(`/messages/${id}/translations/Polish`, { subject: 'Wycieczka do muzeum', body: 'Drodzy rodzice,\n\nWycieczka jest w piątek.' });
    expect(saved.statusCode).toBe(303);
    expect(await translation(id)).toMatchObject({ status: 'written', source: 'person', written_by: t.fx.staff.office, checked_by: null });
    expect((await office.get(`/messages/${id}/translations`)).body).toContain('Written');

    // The writer is told who must check it, and not offered a button that would only refuse them; the head is offered it.
    const writersPage = await office.get(`/messages/${id}/translations/Polish`);
    expect(writersPage.body).not.toContain('Mark as checked');
    expect(writersPage.body).toMatch(/id="check-note">You wrote this translation, so someone else must check it. Ask a colleague who reads Polish/);
    const checkersPage = await head.get(`/messages/${id}/translations/Polish`);
    expect(checkersPage.body).toContain('Mark as checked');
    expect(checkersPage.body).not.toContain('check-note');

    const own = await office.post(`/messages/${id}/translations/Polish/check`);
    expect(own.statusCode).toBe(400);
    expect(own.body).toContain('You wrote this translation, so someone else must check it');
    expect((await translation(id))?.status).toBe('written');

    expect((await head.post(`/messages/${id}/translations/Polish/check`)).statusCode).toBe(303);
    const checked = await translation(id);
    expect(checked).toMatchObject({ status: 'checked', checked_by: t.fx.staff.head });
    const after = await office.get(`/messages/${id}/translations`);
    expect(after.body).toContain('Checked');
    expect(after.body).toContain('Checked by <bdi>Mrs Patel</bdi>');
    expect(await auditActions(checked!.id)).toEqual(['translation.requested', 'translation.written', 'translation.checked']);
    // The message's own page says only what is true: Polish readers get the checked translation.
    const page = (await office.get(`/messages/${id}`)).body;
    expect(page).toContain('Polish readers get the translation, checked by a second person.');
    expect(page).not.toContain('Without a translation');

    expect((await head.post(`/messages/${id}/send`)).statusCode).toBe(303);
    const marta = await t.as('carer', t.fx.carers.marta);
    const read = await marta.get(`/inbox/${id}`);
    expect(read.statusCode).toBe(200);
    expect(read.body).toContain('Jakub: Wycieczka do muzeum');
    expect(read.body).toContain('Wycieczka jest w piątek.');
    expect(read.body).toContain('lang="pl"');
    expect(read.body).not.toContain('made by a computer');
    const tomasz = await t.as('carer', t.fx.carers.tomasz);
    expect((await tomasz.get(`/inbox/${id}`)).body).toContain('The trip is on Friday.');

    // Sent: the translations are a read-only list.
    const sent = await office.get(`/messages/${id}/translations`);
    expect(sent.body).toContain('can no longer be changed');
    expect(sent.body).not.toContain('/request');
    const late = await office.post(`/messages/${id}/translations/Polish`, { subject: 'Inna', body: 'Inna treść' });
    expect(late.statusCode).toBe(409);
    expect((await translation(id))?.subject).toBe('Wycieczka do muzeum');
  });

  it('shows a machine translation as machine translated to staff and to the carer until a person checks it', async () => {
    const unchecked = await draft(head, 'Harvest festival', 'Please bring a tin.');
    const fetched = await office.post(`/messages/${unchecked}/translations/Polish/machine`, { from: 'list' });
    expect(fetched.statusCode).toBe(303);
    expect(fake.requests.map((r) => [r.source, r.target, r.q])).toEqual([
      ['en', 'pl', 'Harvest festival'],
      ['en', 'pl', 'Please bring a tin.'],
    ]);
    expect(await translation(unchecked)).toMatchObject({ source: 'machine', status: 'written', subject: '[pl] Harvest festival', body: '[pl] Please bring a tin.' });
    expect((await office.get(`/messages/${unchecked}/translations`)).body).toContain('Machine translated (unchecked)');
    expect((await office.get(`/messages/${unchecked}/translations/Polish`)).body).toContain('Machine translated (unchecked)');
    expect((await office.get(`/messages/${unchecked}`)).body).toContain('machine translated, not yet checked');
    expect(await auditActions((await translation(unchecked))!.id)).toEqual(['translation.machine_translated']);

    expect((await head.post(`/messages/${unchecked}/send`)).statusCode).toBe(303);
    const marta = await t.as('carer', t.fx.carers.marta);
    const read = await marta.get(`/inbox/${unchecked}`);
    expect(read.body).toContain('[pl] Please bring a tin.');
    expect(read.body).toContain('made by a computer');
    const email = await emailTo('marta@families.test', '[pl] Harvest festival');
    expect(email.text).toContain('Machine translated');

    // Checked by a person (the one who fetched it may check it: a machine wrote it).
    const checked = await draft(head, 'Sports day', 'Wear trainers.');
    expect((await office.post(`/messages/${checked}/translations/Polish/machine`)).statusCode).toBe(303);
    expect((await office.post(`/messages/${checked}/translations/Polish/check`)).statusCode).toBe(303);
    expect(await translation(checked)).toMatchObject({ source: 'machine', status: 'checked', checked_by: t.fx.staff.office });
    expect((await office.get(`/messages/${checked}/translations`)).body).not.toContain('Machine translated (unchecked)');
    expect((await head.post(`/messages/${checked}/send`)).statusCode).toBe(303);
    const readChecked = await marta.get(`/inbox/${checked}`);
    expect(readChecked.body).toContain('[pl] Wear trainers.');
    expect(readChecked.body).not.toContain('made by a computer');

    // Changing a machine translation makes it a person's; a person's work is not replaced by a machine.
    const edited = await draft(head, 'Book fair', 'Books for sale.');
    await office.post(`/messages/${edited}/translations/Polish/machine`);
    expect((await head.post(`/messages/${edited}/translations/Polish`, { subject: 'Kiermasz książek', body: 'Książki na sprzedaż.' })).statusCode).toBe(303);
    expect(await translation(edited)).toMatchObject({ source: 'person', status: 'written', written_by: t.fx.staff.head });
    const replace = await office.post(`/messages/${edited}/translations/Polish/machine`);
    expect(replace.statusCode).toBe(409);
    expect(replace.body).toContain('Change it here rather than replacing it');
    expect((await translation(edited))?.body).toBe('Książki na sprzedaż.');
  });

  it('does not overwrite, or mark as checked, a version someone saved after the page was opened', async () => {
    const id = await draft(head, 'Cake sale', 'Cakes on Friday.');
    const opened = (await office.get(`/messages/${id}/translations/Polish`)).body.match(/name="updated_at" value="([^"]*)"/)![1]!;
    expect(opened).toBe('new');
    expect((await head.post(`/messages/${id}/translations/Polish`, { subject: 'Kiermasz ciast', body: 'Ciasta w piątek.', updated_at: 'new' })).statusCode).toBe(303);
    const stale = await office.post(`/messages/${id}/translations/Polish`, { subject: 'Sprzedaż ciast', body: 'Ciasta w piątek rano.', updated_at: opened });
    expect(stale.statusCode).toBe(409);
    expect(stale.body).toContain('Someone else changed this translation while you were writing');
    expect(stale.body).toContain('Ciasta w piątek rano.');
    expect((await translation(id))?.body).toBe('Ciasta w piątek.');
    const headVersion = (await translation(id))!.updated_at;
    const again = stale.body.match(/name="updated_at" value="([^"]*)"/)![1]!;
    expect(again).toBe(headVersion);
    expect((await office.post(`/messages/${id}/translations/Polish`, { subject: 'Sprzedaż ciast', body: 'Ciasta w piątek rano.', updated_at: again })).statusCode).toBe(303);
    const late = await head.post(`/messages/${id}/translations/Polish/check`, { updated_at: headVersion });
    expect(late.statusCode).toBe(400);
    expect(late.body).toContain('The translation changed while you were reading it');
    expect((await translation(id))?.status).toBe('written');
  });

  it('shows the translation service error beside the button and saves nothing', async () => {
    const id = await draft(head, 'Parents evening', 'Book a time.');
    fake.failWith = 'Polish is not available on this server';
    const page = await office.post(`/messages/${id}/translations/Polish/machine`);
    expect(page.statusCode).toBe(400);
    expect(page.body).toContain('Polish is not available on this server');
    expect(page.body).toContain('Nothing was saved');
    expect(page.body).toMatch(/id="machine-error"/);
    const list = await office.post(`/messages/${id}/translations/Polish/machine`, { from: 'list' });
    expect(list.statusCode).toBe(400);
    expect(list.body).toContain('Polish is not available on this server');
    expect(list.body).toContain('id="machine-Polish-error"');
    expect(await translation(id)).toBeUndefined();
    expect(await t.db.selectFrom('audit_log').select('id').where('action', 'like', 'translation.%').where('after_json', 'like', `%${id}%`).execute()).toEqual([]);
  });

  it('refuses languages nobody reads, languages it does not know, and marks right-to-left languages', async () => {
    const id = await draft(head, 'Reading books', 'Read every night.');
    const tigrinya = await office.post(`/messages/${id}/translations/Tigrinya/request`);
    expect(tigrinya.statusCode).toBe(400);
    expect(tigrinya.body).toContain('No one who receives this reads Tigrinya');
    expect((await office.get(`/messages/${id}/translations/Tigrinya`)).body).toContain('No one who receives this reads Tigrinya');
    expect(await translation(id, 'Tigrinya')).toBeUndefined();
    expect((await office.get(`/messages/${id}/translations/Klingon`)).statusCode).toBe(404);
    expect((await office.get(`/messages/${id}/translations/English`)).statusCode).toBe(404);

    await t.db.updateTable('carers').set({ preferred_language: 'Arabic' }).where('id', '=', t.fx.carers.sarah).execute();
    try {
      const list = await office.get(`/messages/${id}/translations`);
      expect(list.body).toContain('Arabic');
      const form = await office.get(`/messages/${id}/translations/arabic`);
      expect(form.statusCode).toBe(200);
      expect(form.body).toMatch(/<textarea[^>]*lang="ar"[^>]*dir="rtl"|<textarea[^>]*dir="rtl"[^>]*lang="ar"/);
      expect((await office.post(`/messages/${id}/translations/Arabic`, { subject: 'كتب القراءة', body: 'اقرأوا كل ليلة.' })).statusCode).toBe(303);
      const preview = await head.get(`/messages/${id}/translations/Arabic`);
      expect(preview.body).toContain('lang="ar" dir="rtl"');
      expect(preview.body).toContain('اقرأوا كل ليلة.');
    } finally {
      await t.db.updateTable('carers').set({ preferred_language: 'English' }).where('id', '=', t.fx.carers.sarah).execute();
    }
  });

  it('never offers British Sign Language for translation (it has no written form): its carers get English, and the office is told to arrange an interpreter', async () => {
    const id = await draft(head, 'Sports day', 'Sports day is on Friday.');
    await t.db.updateTable('carers').set({ preferred_language: 'British Sign Language' }).where('id', '=', t.fx.carers.sarah).execute();
    try {
      const list = await office.get(`/messages/${id}/translations`);
      // Said apart: a sign language is used, not read.
      expect(list.body).not.toContain('Also read by some who receive it: British Sign Language');
      expect(list.body).toContain('Some who receive it use British Sign Language. A sign language has no written form, so they get English');
      expect(list.body).toContain('book an interpreter');
      expect(list.body).not.toContain('/translations/British');
      expect((await office.get(`/messages/${id}/translations/British%20Sign%20Language`)).statusCode).toBe(404);
      expect((await office.post(`/messages/${id}/translations/British%20Sign%20Language/machine`)).statusCode).toBe(404);
      expect(fake.requests).toHaveLength(0);
    } finally {
      await t.db.updateTable('carers').set({ preferred_language: 'English' }).where('id', '=', t.fx.carers.sarah).execute();
    }
  });

  it('keeps translations to those who may see the message: 404 for a teacher who did not write it, for governors and for carers', async () => {
    const id = await draft(head, 'Flu vaccinations', 'The nurse visits on Monday.');
    const teacher = await t.as('staff', t.fx.staff.teacher);
    expect((await teacher.get(`/messages/${id}/translations`)).statusCode).toBe(404);
    expect((await teacher.get(`/messages/${id}/translations/Polish`)).statusCode).toBe(404);
    expect((await teacher.post(`/messages/${id}/translations/Polish/request`)).statusCode).toBe(404);
    expect((await teacher.post(`/messages/${id}/translations/Polish`, { subject: 'x', body: 'y' })).statusCode).toBe(404);
    expect(await translation(id)).toBeUndefined();
    const governor = await t.as('staff', t.fx.staff.governor);
    expect((await governor.get(`/messages/${id}/translations`)).statusCode).toBe(404);
    const marta = await t.as('carer', t.fx.carers.marta);
    expect((await marta.get(`/messages/${id}/translations`)).statusCode).toBe(404);
    expect((await marta.get(`/messages/${id}/translations/Polish`)).statusCode).toBe(404);
    const otherHead = await t.as('staff', t.fx.staff.otherHead, t.fx.other.id);
    expect((await otherHead.get(`/messages/${id}/translations`)).statusCode).toBe(404);

    // The teacher's own message is theirs to translate.
    const own = await draft(teacher, 'Spellings', 'Practise these words.');
    expect((await teacher.get(`/messages/${own}/translations`)).statusCode).toBe(200);
    expect((await teacher.post(`/messages/${own}/translations/Polish/request`)).statusCode).toBe(303);
  });

  it('says so when no translation service is set up', async () => {
    const bare = await startTestApp(dialect);
    try {
      const office2 = await bare.as('staff', bare.fx.staff.office);
      const res = await office2.post('/messages/new', { kind: 'letter', audience_kind: 'classes', class_ids: bare.fx.classes.y3, subject: 'Trip', body: 'Trip on Friday.' });
      const id = (res.headers.location as string).split('/').pop()!;
      expect((await office2.get(`/messages/${id}/translations`)).body).toContain('no translation service is set up');
      const machine = await office2.post(`/messages/${id}/translations/Polish/machine`);
      expect(machine.statusCode).toBe(400);
      expect(machine.body).toContain('No translation service is set up');
      expect(await bare.db.selectFrom('message_translations').select('id').execute()).toEqual([]);
    } finally {
      await bare.close();
    }
  });
});

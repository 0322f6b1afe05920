import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dialects } from '../../../test/support/db.ts';
import { startTestApp, type TestApp } from '../../../test/support/app.ts';

const NOW = new Date('2026-11-26T10:00:00.000Z'); // Thursday, autumn term

/**
 * Journey 10 in part: Mrs Patel writes and publishes the agreement; a Polish translation is written
 * by one person and checked by another; Marta signs in the portal (in Polish) for both children;
 * Ms Byrne records Faduma's paper signature; Mr Okafor records Kuba's; who has not signed (never
 * Mark Dean, restricted from Lily), reminders; a new version with and without re-signing.
 */
describe.each(dialects)('the home-school agreement, end to end, on %s', (dialect) => {
  let t: TestApp;
  let versionId = '';
  beforeAll(async () => {
    t = await startTestApp(dialect, { clock: () => NOW });
  });
  afterAll(async () => t?.close());

  const idFrom = (location: string | undefined) => /versions\/([^/?]+)/.exec(location ?? '')![1]!;
  const sigs = () => t.db.selectFrom('agreement_signatures').selectAll().execute();

  it('Mrs Patel writes the agreement, with evidence beside promises; bad input keeps what she typed', async () => {
    const head = await t.as('staff', t.fx.staff.head);
    const started = await head.post('/agreements/versions', {});
    expect(started.statusCode).toBe(303);
    versionId = idFrom(started.headers.location);
    const noTitle = await head.post(`/agreements/versions/${versionId}/edit`, { title: '', carers_text: 'Read at home', pupils_text: 'Be kind', promise_1: 'We will listen' });
    expect(noTitle.statusCode).toBe(400);
    expect(noTitle.body).toContain('Enter a title');
    expect(noTitle.body).toContain('Read at home');
    const bad = await head.post(`/agreements/versions/${versionId}/edit`, { title: 'Ours', carers_text: 'Read at home', pupils_text: 'Be kind', promise_1: '', measure_1: 'praise_families' });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('Write the promise this measure is for');
    expect(bad.body).toContain('href="#promise_1"');
    const saved = await head.post(`/agreements/versions/${versionId}/edit`, {
      title: 'Our home-school agreement',
      promise_1: 'We will tell you in advance',
      measure_1: 'agenda_ahead',
      promise_2: 'We will share good news',
      measure_2: 'praise_families',
      promise_3: 'We will reply within 5 school days',
      measure_3: 'concerns_replied',
      promise_4: 'We will be welcoming',
      measure_4: '',
      carers_text: 'Make sure your child comes to school on time\nRead with your child at home',
      pupils_text: 'Be kind\nTry my best',
    });
    expect(saved.statusCode).toBe(303);
    const page = await head.get(`/agreements/versions/${versionId}`);
    expect(page.body).toContain('We will share good news');
    expect(page.body).toContain('evidence: Families who received praise this term');
    // Nothing to sign before it is published.
    const marta = await t.as('carer', t.fx.carers.marta);
    expect((await marta.get('/agreement')).body).not.toContain('We will share good news');
    const published = await head.post(`/agreements/versions/${versionId}/publish`, { asks_resigning: 'yes', change_note: '' });
    expect(published.statusCode).toBe(303);
    expect((await head.get(`/agreements/versions/${versionId}/edit`)).statusCode).toBe(303); // a published version is not changed
  });

  it('a Polish translation is written by one person and checked by another; the writer cannot check it', async () => {
    const office = await t.as('staff', t.fx.staff.office);
    const url = `/agreements/versions/${versionId}/translations/Polish`;
    const empty = await office.post(url, { subject: 'Umowa', body: '' });
    expect(empty.statusCode).toBe(400);
    expect(empty.body).toContain('Enter the message in this language');
    expect((await office.post(url, { subject: 'Umowa między domem a szkołą', body: 'Co zrobi szkoła:\n- Powiemy wam wcześniej\n- <b>Słuchamy</b>', updated_at: 'new' })).statusCode).toBe(303);
    const own = await office.post(`${url}/check`, {});
    expect(own.statusCode).toBe(400);
    expect(own.body).toContain('You wrote this translation, so someone else must check it');
    const liaison = await t.as('staff', t.fx.staff.family_liaison);
    expect((await liaison.post(`${url}/check`, {})).statusCode).toBe(303);
    const row = await t.db.selectFrom('agreement_translations').selectAll().where('version_id', '=', versionId).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: 'checked', written_by: t.fx.staff.office, checked_by: t.fx.staff.family_liaison });
    // Staff see both texts as families will: the English's "- " lines and the translation's as bulleted lists.
    const page = (await office.get(url)).body;
    expect(page).toContain('<ul class="govuk-list govuk-list--bullet"><li>We will tell you in advance</li>');
    expect(page).toContain('<li>Powiemy wam wcześniej</li><li>&lt;b&gt;Słuchamy&lt;/b&gt;</li></ul>');
    expect(page).not.toMatch(/>- /);
  });

  it('Marta reads it in Polish and signs for Kuba and Ola; a missing tick is shown beside the box', async () => {
    const marta = await t.as('carer', t.fx.carers.marta);
    const page = await marta.get('/agreement');
    // Lines starting "- " are a bulleted list, not dashes; what the translator typed is shown as text, never as HTML.
    const polish = /id="translated"[\s\S]*?<\/div>/.exec(page.body)![0];
    expect(polish).toContain('<p class="govuk-body">Co zrobi szkoła:</p><ul class="govuk-list govuk-list--bullet"><li>Powiemy wam wcześniej</li><li>&lt;b&gt;Słuchamy&lt;/b&gt;</li></ul>');
    expect(polish).not.toContain('- Powiemy');
    expect(page.body).toContain('Jakub Nowak');
    expect(page.body).toContain('Aleksandra Nowak');
    expect(page.body).toMatch(/govuk-checkboxes__label[^>]*>\s*<bdi>Jakub Nowak<\/bdi>\s*<\/label>/); // each child's box names them, isolated
    const missing = await marta.post('/agreement/sign', { pupil_ids: [t.fx.pupils.kuba, t.fx.pupils.ola] });
    expect(missing.statusCode).toBe(400);
    expect(missing.body).toContain('href="#agree"');
    const signed = await marta.post('/agreement/sign', { pupil_ids: [t.fx.pupils.kuba, t.fx.pupils.ola], agree: 'yes' });
    expect(signed.statusCode).toBe(303);
    // A double click signs once.
    await marta.post('/agreement/sign', { pupil_ids: [t.fx.pupils.kuba, t.fx.pupils.ola], agree: 'yes' });
    const mine = (await sigs()).filter((s) => s.carer_id === t.fx.carers.marta);
    expect(mine).toHaveLength(2);
    expect(mine.every((s) => s.how === 'portal' && s.language === 'Polish' && s.version_id === versionId)).toBe(true);
    // Tomasz signs separately: Marta's signature is not his.
    const tomasz = await t.as('carer', t.fx.carers.tomasz);
    expect((await tomasz.get('/agreement')).body).toContain('name="pupil_ids"');
  });

  it('a carer whose language has no checked version is told so, in their language, with the English after and how to get help', async () => {
    const setLanguage = (language: string) => t.db.updateTable('carers').set({ preferred_language: language }).where('id', '=', t.fx.carers.sarah).execute();
    try {
      await setLanguage('Urdu');
      const urdu = (await (await t.as('carer', t.fx.carers.sarah, undefined, { ownLanguage: true })).get('/agreement')).body;
      const note = /id="not-translated"[\s\S]*?<\/div>/.exec(urdu)![0];
      expect(note).toContain('اسکول نے ابھی تک یہ معاہدہ آپ کی زبان میں نہیں لکھا');
      expect(note).toContain('ہم ترجمان کا انتظام کر سکتے ہیں');
      expect(urdu.indexOf('id="not-translated"')).toBeLessThan(urdu.indexOf('id="english"'));
      expect(urdu).toContain('We will tell you in advance');
      // Having pressed "English": the note in English, with the school's help line in Urdu, right to left.
      const chosenEnglish = (await (await t.as('carer', t.fx.carers.sarah)).get('/agreement')).body;
      expect(chosenEnglish).toContain('The school has not written the agreement in your language yet');
      expect(chosenEnglish).toMatch(/<p class="govuk-body" lang="ur" dir="rtl">یہ پیغام انگریزی میں ہے/);
      // A language Gatepost has no pages in: the note in English, and the school's help line in Turkish.
      await setLanguage('Turkish');
      const turkish = (await (await t.as('carer', t.fx.carers.sarah, undefined, { ownLanguage: true })).get('/agreement')).body;
      const inEnglish = /id="not-translated"[\s\S]*?<\/div>/.exec(turkish)![0];
      expect(inEnglish).toContain('The school has not written the agreement in your language yet');
      expect(inEnglish).toMatch(/<p class="govuk-body" lang="tr" dir="ltr">Bu mesaj İngilizce/);
      // English readers, and Marta (her Polish is checked), see no such note.
      await setLanguage('English');
      expect((await (await t.as('carer', t.fx.carers.sarah, undefined, { ownLanguage: true })).get('/agreement')).body).not.toContain('id="not-translated"');
      expect((await (await t.as('carer', t.fx.carers.marta, undefined, { ownLanguage: true })).get('/agreement')).body).not.toContain('id="not-translated"');
    } finally {
      await setLanguage('English');
    }
  });

  it('Mark Dean, restricted from Lily, is never asked, shown or reminded; signing for her is refused', async () => {
    const mark = await t.as('carer', t.fx.carers.mark);
    const page = await mark.get('/agreement');
    expect(page.body).not.toContain('Lily');
    const refused = await mark.post('/agreement/sign', { pupil_ids: t.fx.pupils.lily, agree: 'yes' });
    expect(refused.statusCode).toBe(400);
    expect((await sigs()).some((s) => s.carer_id === t.fx.carers.mark)).toBe(false);
    const head = await t.as('staff', t.fx.staff.head);
    expect((await head.get('/agreements/signatures')).body).not.toContain('Mark Dean');
  });

  it('Ms Byrne records Faduma’s paper signature (and who recorded it); a future date is refused beside the field', async () => {
    const office = await t.as('staff', t.fx.staff.office);
    const url = `/pupils/${t.fx.pupils.ayaan}/agreement/paper`;
    const future = await office.post(url, { carer: t.fx.carers.faduma, signed_on: '2027-01-10' });
    expect(future.statusCode).toBe(400);
    expect(future.body).toContain('cannot be in the future');
    expect((await office.post(url, { carer: t.fx.carers.faduma, signed_on: '20/11/2026' })).statusCode).toBe(303);
    const paper = (await sigs()).find((s) => s.carer_id === t.fx.carers.faduma)!;
    expect(paper).toMatchObject({ how: 'paper', recorded_by: t.fx.staff.office, signed_on: '2026-11-20' });
    expect((await office.get(`/pupils/${t.fx.pupils.ayaan}/agreement`)).body).toContain('On paper');
  });

  it('Mr Okafor records Kuba signing with him; Ms Hall (not his teacher) cannot; Ola (Reception) does not sign', async () => {
    const okafor = await t.as('staff', t.fx.staff.teacher);
    const list = await okafor.get('/agreements/my-class');
    expect(list.body).toContain('Jakub Nowak');
    expect(list.body).toContain('Lily Dean');
    // Each button says what it does (not a status like "Signed today") and whose signature it records: every accessible name differs.
    const table = /id="pupils"[\s\S]*?<\/table>/.exec(list.body)![0];
    const buttons = [...table.matchAll(/<button[^>]*>([\s\S]*?)<\/button>/g)].map((m) =>
      m[1]!
        .replace(/<[^>]+>/g, '')
        .replace(/\s+/g, ' ')
        .trim(),
    );
    expect(buttons.sort()).toEqual(['Record signature for Jakub Nowak, dated today', 'Record signature for Lily Dean, dated today']);
    expect(list.body).toContain('Record signature<span class="govuk-visually-hidden"> for <bdi>Jakub Nowak</bdi>, dated today</span>');
    expect(list.body).not.toContain('aria-label="Record');
    expect((await okafor.post(`/pupils/${t.fx.pupils.kuba}/agreement/pupil`, { signed_on: '2026-11-26', from: 'class' })).headers.location).toBe('/agreements/my-class');
    const hall = await t.as('staff', t.fx.staff.teacher2);
    expect((await hall.post(`/pupils/${t.fx.pupils.kuba}/agreement/pupil`, { signed_on: '2026-11-26' })).statusCode).toBe(404);
    const kuba = (await sigs()).filter((s) => s.signer === 'pupil');
    expect(kuba).toEqual([expect.objectContaining({ pupil_id: t.fx.pupils.kuba, how: 'in_class', recorded_by: t.fx.staff.teacher })]);
  });

  it('who has not signed, by class and by group of families; reminders go through the outbox once a day', async () => {
    const head = await t.as('staff', t.fx.staff.head);
    const page = await head.get('/agreements/signatures');
    const byClass = /id="by-class"[\s\S]*?<\/table>/.exec(page.body)![0];
    expect(byClass).toMatch(/3 Okafor[\s\S]*?1 of 3 \(33%\)[\s\S]*?1 of 2 \(50%\)/); // Marta, Tomasz, Sarah for Kuba and Lily; Kuba and Lily themselves
    // In school order: Nursery and Reception before Year 3 and Year 4, in the table and in the list of who has not signed.
    expect([...byClass.matchAll(/<td class="govuk-table__cell">(Nursery|Reception Robins|3 Okafor|4 Hall)<\/td>/g)].map((m) => m[1])).toEqual(['Nursery', 'Reception Robins', '3 Okafor', '4 Hall']);
    const missing = /id="missing"[\s\S]*?<\/table>/.exec(page.body)![0];
    const classesInOrder = [...new Set([...missing.matchAll(/<td class="govuk-table__cell">(Nursery|Reception Robins|3 Okafor|4 Hall)<\/td>/g)].map((m) => m[1]))];
    expect(classesInOrder).toEqual(['Reception Robins', '3 Okafor', '4 Hall']);
    const byGroup = /id="by-group"[\s\S]*?<\/table>/.exec(page.body)![0];
    expect(byGroup).toContain('Home language: Polish');
    expect(byGroup).toContain('Paper only');
    expect(missing).toContain('<bdi>Tomasz Nowak</bdi>'); // each name isolated
    await t.db.updateTable('carers').set({ preferred_language: 'Polish' }).where('id', '=', t.fx.carers.tomasz).execute();
    const sent = await head.post('/agreements/reminders', {});
    await t.db.updateTable('carers').set({ preferred_language: 'English' }).where('id', '=', t.fx.carers.tomasz).execute();
    expect(sent.statusCode).toBe(303);
    const outbox = await t.db.selectFrom('outbox').select(['recipient', 'channel', 'payload_json']).where('idempotency_key', 'like', '%agreement-reminder%').execute();
    const to = outbox.map((o) => o.recipient).sort();
    expect(to).toContain('tomasz@families.test');
    expect(to).toContain('sarah@families.test');
    expect(to).not.toContain('marta@families.test');
    expect(to).not.toContain('mark@families.test');
    // Each in their own language: Tomasz's reads Polish (set for this test), with the English beneath; Sarah's is English alone.
    const mailTo = (to: string) => JSON.parse(outbox.find((o) => o.recipient === to)!.payload_json) as { subject: string; text: string };
    expect(mailTo('tomasz@families.test').subject).toBe('Prosimy podpisać umowę między domem a szkołą w imieniu: Jakub i Aleksandra');
    expect(mailTo('tomasz@families.test').text).toContain('Prosimy przeczytać i podpisać ją w imieniu: Jakub i Aleksandra tutaj: http://gatepost.test/agreement');
    expect(mailTo('tomasz@families.test').text).toContain('Read and sign it for Jakub and Aleksandra here: http://gatepost.test/agreement');
    expect(mailTo('sarah@families.test')).toEqual({
      to: 'sarah@families.test',
      subject: 'Please sign the home-school agreement for Lily',
      text: expect.not.stringContaining('----------') as unknown as string,
    });
    await head.post('/agreements/reminders', {});
    expect(await t.db.selectFrom('outbox').select('id').where('idempotency_key', 'like', '%agreement-reminder%').execute()).toHaveLength(outbox.length);
  });

  it('a new version that does not matter keeps signatures counting; one that matters asks again, and old signatures stay on the old version', async () => {
    const head = await t.as('staff', t.fx.staff.head);
    const draft = async () => idFrom((await head.post('/agreements/versions', {})).headers.location);
    const v2 = await draft();
    const noNote = await head.post(`/agreements/versions/${v2}/publish`, { asks_resigning: 'no', change_note: '' });
    expect(noNote.statusCode).toBe(400);
    expect(noNote.body).toContain('Say what changed in this version');
    expect((await head.post(`/agreements/versions/${v2}/publish`, { asks_resigning: 'no', change_note: 'Fixed a typing mistake' })).statusCode).toBe(303);
    const marta = await t.as('carer', t.fx.carers.marta);
    expect((await marta.get('/agreement')).body).toContain('id="all-signed"');

    const v3 = await draft();
    expect((await head.post(`/agreements/versions/${v3}/publish`, { asks_resigning: 'yes', change_note: 'New promise on replies' })).statusCode).toBe(303);
    const again = await marta.get('/agreement');
    expect(again.body).toContain('name="pupil_ids"');
    expect(again.body).not.toContain('Powiemy wam'); // the Polish was for version 1
    const old = (await sigs()).filter((s) => s.carer_id === t.fx.carers.marta);
    expect(old.every((s) => s.version_id === versionId)).toBe(true);
  });

  it('Dr Shah records the governors’ review; the head’s home page reminds when none is recorded, and not after', async () => {
    const head = await t.as('staff', t.fx.staff.head);
    expect((await head.get('/')).body).toContain('id="agreement-review"');
    const shah = await t.as('staff', t.fx.staff.governor);
    const bad = await shah.post('/agreements/reviews', { reviewed_on: '31/2/2026', reviewers: 'Dr Shah', minutes: 'Read it together', changes: '' });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('There is no 31 February 2026');
    expect(bad.body).toContain('Read it together');
    expect(
      (await shah.post('/agreements/reviews', { reviewed_on: '20 November 2026', reviewers: 'Dr Shah, Mr Ali', minutes: 'Read it together', changes: 'Add a promise on replies' })).statusCode,
    ).toBe(303);
    expect((await head.get('/')).body).not.toContain('id="agreement-review"');
    expect((await head.get('/agreements/reviews')).body).toContain('20 November 2027');
  });

  it('the school’s side shows live evidence beside each promise', async () => {
    const shah = await t.as('staff', t.fx.staff.governor);
    const page = await shah.get('/agreements/evidence');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('We will share good news');
    expect(page.body).toContain('carers received praise about their child in Autumn term 2026');
    expect(page.body).toContain('No measure chosen for this promise');
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dialects } from '../../../test/support/db.ts';
import { startTestApp, type TestApp } from '../../../test/support/app.ts';
import { startFakeSms, type FakeSms } from '../../../test/support/fake-sms.ts';

describe.each(dialects)('writing and reading messages on %s', (dialect) => {
  let t: TestApp;
  let fake: FakeSms;
  beforeAll(async () => {
    fake = await startFakeSms();
    t = await startTestApp(dialect, { env: fake.env });
  });
  afterAll(async () => {
    await t?.close();
    await fake?.close();
  });

  it('keeps what was typed and names the field when a message has no subject or nobody to go to', async () => {
    const head = await t.as('staff', t.fx.staff.head);
    const res = await head.post('/messages/new', { kind: 'letter', audience_kind: 'years', subject: '', body: 'Trip to the museum on Friday.' });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('Enter a subject');
    expect(res.body).toContain('Trip to the museum on Friday.');
  });

  it('refuses a time to send it later that the clocks skip, or that has passed', async () => {
    const head = await t.as('staff', t.fx.staff.head);
    const skipped = await head.post('/messages/new', { kind: 'letter', audience_kind: 'school', subject: 'Trip', body: 'Trip', send_date: '2027-03-28', send_time: '01:30' });
    expect(skipped.body).toContain('The clocks go forward then');
    const past = await head.post('/messages/new', { kind: 'letter', audience_kind: 'school', subject: 'Trip', body: 'Trip', send_date: '2020-01-06', send_time: '09:00' });
    expect(past.body).toContain('must be in the future');
  });

  it('takes the date to send it later in GOV.UK’s three boxes, and shows it again when the draft is changed', async () => {
    const head = await t.as('staff', t.fx.staff.head);
    const letter = { kind: 'letter', audience_kind: 'school', subject: 'Sports day', body: 'Sports day is on Friday.', send_time: '18:00' };
    expect((await head.get('/messages/new')).body).toContain('name="send_date-day"');
    const noYear = await head.post('/messages/new', { ...letter, 'send_date-day': '3', 'send_date-month': '6', 'send_date-year': '' });
    expect(noYear.statusCode).toBe(400);
    expect(noYear.body).toContain('The date to send it must include a year');
    expect(noYear.body).toContain('href="#send_date-year"');
    expect(noYear.body).toMatch(/id="send_date-month" name="send_date-month" type="text" value="6"/);

    const saved = await head.post('/messages/new', { ...letter, 'send_date-day': '3', 'send_date-month': 'June', 'send_date-year': '2030' });
    expect(saved.statusCode).toBe(303);
    const id = String(saved.headers.location).split('/')[2]!;
    const row = await t.db.selectFrom('messages').select('scheduled_for').where('id', '=', id).executeTakeFirstOrThrow();
    expect(row.scheduled_for).toBe('2030-06-03T17:00:00.000Z'); // 6pm in London, in summer time
    const edit = await head.get(`/messages/${id}/edit`);
    expect(edit.body).toMatch(/id="send_date-day" name="send_date-day" type="text" value="3"/);
    expect(edit.body).toMatch(/id="send_date-month" name="send_date-month" type="text" value="6"/);
    expect(edit.body).toMatch(/id="send_date-year" name="send_date-year" type="text" value="2030"/);
    expect(edit.body).toContain('value="18:00"');
  });

  it('does not let a teacher write to the whole school or send an urgent notice', async () => {
    const teacher = await t.as('staff', t.fx.staff.teacher);
    const res = await teacher.post('/messages/new', { kind: 'newsletter', audience_kind: 'school', subject: 'Hello', body: 'Hello' });
    expect(res.body).toContain('sent by the head, senior leaders or the office');
    expect((await teacher.get('/messages/new')).body).not.toContain('Urgent notice');
  });

  it('shows who receives it and who is left out before sending; the carer reads it and says so; staff see the reach', async () => {
    const teacher = await t.as('staff', t.fx.staff.teacher);
    const saved = await teacher.post('/messages/new', {
      kind: 'class_newsletter',
      audience_kind: 'classes',
      class_ids: t.fx.classes.y3,
      subject: 'This week in 3 Okafor',
      body: 'We read The Iron Man.',
      asks_acknowledgement: 'yes',
    });
    expect(saved.statusCode).toBe(303);
    const page = await teacher.get(saved.headers.location as string);
    expect(page.body).toMatch(/<strong>3 parents and carers<\/strong>/);
    expect(page.body).toContain('<bdi>Mark Dean</bdi> (<bdi>Lily</bdi>): a restriction is in force');
    expect(page.body).toContain('Polish');
    expect(page.body).toContain('How clear it is');

    const sent = await teacher.post(`${saved.headers.location}/send`);
    expect(sent.statusCode).toBe(303);
    const messageId = (saved.headers.location as string).split('/').pop()!;

    const marta = await t.as('carer', t.fx.carers.marta);
    const inbox = await marta.get('/inbox');
    expect(inbox.body).toContain('<bdi>Jakub</bdi>: This week in 3 Okafor');
    const read = await marta.get(`/inbox/${messageId}`);
    expect(read.body).toContain('We read The Iron Man.');
    expect(read.body).toContain('lang="pl"'); // the help line in Polish
    expect((await marta.post(`/inbox/${messageId}/acknowledge`)).statusCode).toBe(303);

    const mark = await t.as('carer', t.fx.carers.mark);
    expect((await mark.get('/inbox')).body).not.toContain('3 Okafor');
    expect((await mark.get(`/inbox/${messageId}`)).statusCode).toBe(404);

    await t.sink.waitFor('marta@families.test');
    const reach = await teacher.get(`/messages/${messageId}`);
    expect(reach.body).toContain('Reach');
    expect(reach.body).toMatch(/Read\s*<\/dt>\s*<dd class="govuk-summary-list__value">\s*1 of 3/);
  });

  it('puts the plain-words advice under the words, and counts those left out as the records say rather than naming each', async () => {
    const head = await t.as('staff', t.fx.staff.head);
    const saved = await head.post('/messages/new', { kind: 'newsletter', audience_kind: 'school', subject: 'Weekly newsletter', body: 'There is an INSET day on Monday.' });
    const page = (await head.get(saved.headers.location as string)).body;
    // The advice about INSET is next to the message, not below the list of who receives it.
    expect(page.indexOf('How clear it is')).toBeGreaterThan(0);
    expect(page.indexOf('How clear it is')).toBeLessThan(page.indexOf('Who receives it'));
    expect(page).toContain('Left out (2)');
    // A restriction is named, in view; the social worker who lives apart is a count, her name a click away.
    const details = /<details[^>]*id="left-out-lives_apart"[\s\S]*?<\/details>/.exec(page)?.[0] ?? '';
    expect(details).toContain('1 lives apart and has not asked for copies');
    expect(details).toContain('<bdi>Helen Ward</bdi> (<bdi>Leo</bdi>)');
    expect(details).not.toContain('Mark Dean');
    expect(page).toContain('<bdi>Mark Dean</bdi> (<bdi>Lily</bdi>): a restriction is in force');
  });

  it('says after sending what went (no texts promised for a newsletter) and that the paper copies are still to print', async () => {
    const head = await t.as('staff', t.fx.staff.head);
    const saved = await head.post('/messages/new', { kind: 'newsletter', audience_kind: 'school', subject: 'Sports day', body: 'Sports day is on Friday.' });
    const url = saved.headers.location as string;
    const sent = await head.post(`${url}/send`);
    expect(sent.headers.location).toBe(`${url}?sent=now`);
    const page = (await head.get(`${url}?sent=now`)).body;
    expect(page).toContain('Sent. Emails are on their way; the figures below fill in as they arrive.');
    expect(page).not.toContain('Emails and texts are on their way');
    expect(page).toMatch(new RegExp(`1 parent or carer gets it on paper: <a class="govuk-notification-banner__link" href="${url}/paper">print the paper copies</a>`));
  });

  it('lists the class for praise in the order of the names it shows', async () => {
    await t.db.updateTable('pupils').set({ preferred_name: 'Zac' }).where('id', '=', t.fx.pupils.kuba).execute();
    try {
      const list = (await (await t.as('staff', t.fx.staff.teacher)).get('/praise')).body;
      expect(list.indexOf('Lily Dean')).toBeGreaterThan(0);
      expect(list.indexOf('Zac Nowak')).toBeGreaterThan(list.indexOf('Lily Dean'));
    } finally {
      await t.db.updateTable('pupils').set({ preferred_name: null }).where('id', '=', t.fx.pupils.kuba).execute();
    }
  });

  it('sends praise from the class list in one step, to every carer allowed to hear, naming the child', async () => {
    t.sink.messages.length = 0;
    const teacher = await t.as('staff', t.fx.staff.teacher);
    const list = await teacher.get('/praise');
    expect(list.body).toMatch(/govuk-checkboxes__label[^>]*>\s*<bdi>Jakub Nowak<\/bdi>\s*<\/label>/); // each child's box, the name isolated
    expect(list.body).toContain('Lily Dean');
    const sent = await teacher.post('/praise', { class_id: t.fx.classes.y3, pupil_ids: [t.fx.pupils.kuba, t.fx.pupils.lily], note: 'Fantastic reading today' });
    expect(sent.statusCode).toBe(303);
    expect(sent.headers.location).toContain('sent=3'); // Marta, Tomasz and Sarah: never Mark
    // The page says back what went, and about whom: not only a number.
    const after = await teacher.get(sent.headers.location as string);
    expect(after.body).toContain('Praise sent to the families of <bdi>Jakub Nowak</bdi> and <bdi>Lily Dean</bdi>');
    expect(after.body).toContain('“Fantastic reading today” went to 3 parents and carers');
    // Someone else's praise is not said back to another member of staff.
    const head = await t.as('staff', t.fx.staff.head);
    expect((await head.get(sent.headers.location as string)).body).not.toContain('Fantastic reading today”');
    let tomasz = await t.sink.waitFor('tomasz@families.test');
    for (let i = 0; i < 50 && tomasz.subject !== 'Jakub: Good news from Mr Okafor'; i++) {
      await new Promise((r) => setTimeout(r, 100));
      tomasz = [...t.sink.messages].reverse().find((m) => m.to.includes('tomasz@families.test'))!;
    }
    expect(tomasz.subject).toBe('Jakub: Good news from Mr Okafor');
    expect(tomasz.text).toContain('Fantastic reading today');
    const empty = await teacher.post('/praise', { class_id: t.fx.classes.y3, note: '' });
    expect(empty.body).toContain('Choose at least one pupil');
    const notMine = await teacher.post('/praise', { class_id: t.fx.classes.y3, pupil_ids: t.fx.pupils.leo, note: 'Well done' });
    expect(notMine.body).toContain('Choose pupils from this class list');
  });

  it('shows the length, parts and cost of an urgent text, parts and cost before it is sent', async () => {
    const head = await t.as('staff', t.fx.staff.head);
    const saved = await head.post('/messages/new', {
      kind: 'urgent',
      audience_kind: 'school',
      subject: 'Closed today',
      body: 'The school is closed today because the heating has failed. Please keep your child at home.',
    });
    const page = await head.get(saved.headers.location as string);
    expect(page.body).toMatch(/The text message is \d+ characters \(1 message, GSM-7\): 3 texts, about £0\.12\./);
  });
});

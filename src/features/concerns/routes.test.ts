import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dialects } from '../../../test/support/db.ts';
import { startTestApp, type TestApp } from '../../../test/support/app.ts';

const NOW = new Date('2026-11-26T10:00:00.000Z'); // Thursday, autumn term (before the real clock: sessions are made now)

/** Journey: a concern raised by Marta about Kuba, acknowledged, passed on, worked on, closed, reopened, resolved. */
describe.each(dialects)('a concern from a family, end to end, on %s', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(dialect, { clock: () => NOW });
  });
  afterAll(async () => t?.close());

  const mailTo = (to: string, subject: string) =>
    t.db
      .selectFrom('outbox')
      .select(['payload_json', 'channel'])
      .where('recipient', '=', to)
      .execute()
      .then((rows) => rows.map((r) => JSON.parse(r.payload_json) as { subject?: string; text: string }).filter((p) => (p.subject ?? p.text).includes(subject)));
  const concern = (id: string) => t.db.selectFrom('concerns').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const idFrom = (location: string | undefined) => /concerns\/([^?]+)/.exec(location ?? '')![1]!;

  it('Marta raises a concern about Kuba from her home page and is told who will make sure it is dealt with, and by when (school days)', async () => {
    const marta = await t.as('carer', t.fx.carers.marta);
    const home = await marta.get('/');
    expect(home.body).toContain('href="/my-concerns/new"');
    const form = await marta.get('/my-concerns/new');
    expect(form.statusCode).toBe(200);
    expect(form.body).toMatch(/govuk-radios__label[^>]*>\s*<bdi>Jakub Nowak<\/bdi>\s*<\/label>/); // each child's name isolated
    expect(form.body).toContain('Aleksandra Nowak');

    const empty = await marta.post('/my-concerns', { pupil: t.fx.pupils.kuba, what_happened: '', would_like: 'Talk to me', contact_by: 'email' });
    expect(empty.statusCode).toBe(400);
    expect(empty.body).toContain('Enter what happened');
    expect(empty.body).toContain('href="#what_happened"');
    expect(empty.body).toContain('Talk to me'); // what was typed is kept

    const sent = await marta.post('/my-concerns', {
      pupil: t.fx.pupils.kuba,
      what_happened: 'Kuba says older boys took his ball at lunch every day this week.',
      would_like: 'Someone to watch at lunch, and tell me',
      contact_by: 'email',
    });
    expect(sent.statusCode).toBe(303);
    const id = idFrom(sent.headers.location);
    const row = await concern(id);
    // To be resolved within ten school days from Thursday 26 November (weekends do not count).
    expect(row).toMatchObject({
      status: 'new',
      pupil_id: t.fx.pupils.kuba,
      carer_id: t.fx.carers.marta,
      received_via: 'portal',
      raised_on: '2026-11-26',
      due_on: '2026-12-10',
      owner_id: t.fx.staff.head,
    });
    // In Marta's Polish, the English beneath it.
    const [ack] = await mailTo('marta@families.test', 'Otrzymaliśmy Państwa zgłoszenie dotyczące: Jakub');
    // Two promises, each with its own date: a first reply within five school days, and the aim to resolve it within ten.
    expect(ack!.text).toContain('Mrs Patel dopilnuje, aby sprawa została załatwiona. Ktoś ze szkoły odpowie Państwu do 3 grudnia 2026, a sprawę chcemy rozwiązać do 10 grudnia 2026.');
    expect(ack!.text).toContain(
      'Mrs Patel will make sure it is dealt with. Someone from the school will reply to you by Thursday 3 December 2026, and we aim to resolve it by Thursday 10 December 2026.',
    );
    expect(ack!.text).not.toContain('Ta wiadomość jest w języku angielskim'); // no "this is in English" help line: it is in Polish
    expect(ack!.text).toContain(`http://gatepost.test/my-concerns/${id}`);
    const raised = await t.db.selectFrom('audit_log').selectAll().where('action', '=', 'concern.raised').where('entity_id', '=', id).executeTakeFirstOrThrow();
    expect(raised.after_json).not.toContain('ball'); // the words stay out of the audit log
    // The head and the senior leader are asked to pass it on.
    const alerts = await t.db.selectFrom('staff_alerts').select('staff_id').where('link', '=', `/concerns/${id}`).execute();
    expect(alerts.map((a) => a.staff_id).sort()).toEqual([t.fx.staff.head, t.fx.staff.senior_leader].sort());
    const mine = await marta.get(`/my-concerns/${id}`);
    expect(mine.body).toContain('older boys took his ball');
    expect(mine.body).toContain('<h1 class="govuk-heading-l">Your concern about <bdi>Jakub</bdi></h1>');
    expect(mine.body).toMatch(/We will reply by\s*<\/dt>\s*<dd class="govuk-summary-list__value">\s*3 December 2026/);
    expect(mine.body).toMatch(/We aim to resolve it by\s*<\/dt>\s*<dd class="govuk-summary-list__value">\s*10 December 2026/);
    // Staff see both promises, and how the concern reached the school in plain words.
    const headsView = (await (await t.as('staff', t.fx.staff.head)).get(`/concerns/${id}`)).body;
    expect(headsView).toMatch(/Raised by\s*<\/dt>\s*<dd class="govuk-summary-list__value">\s*<bdi>Marta Nowak<\/bdi> on Gatepost\s*<\/dd>/);
    expect(headsView).toMatch(/First reply to the family by\s*<\/dt>\s*<dd class="govuk-summary-list__value">\s*3 December 2026\s*<\/dd>/);
    expect(headsView).toMatch(/Aim to resolve it by\s*<\/dt>\s*<dd class="govuk-summary-list__value">\s*10 December 2026\s*<\/dd>/);
    expect(headsView).toContain('their first reply is still due by 3 December 2026');
    // Marta's home lists it: the child and who deals with it isolated in the translated sentences.
    const listed = (await marta.get('/')).body;
    expect(listed).toMatch(/Your concern about <bdi>Jakub( Nowak)?<\/bdi>/);
    expect(listed).toContain('<bdi>Mrs Patel</bdi> aims to resolve it by 10 December 2026');
  });

  it('the head passes it to Mr Okafor (learning), due in 5 school days; he records a call and closes it; Marta says not yet, then yes', async () => {
    const marta = await t.as('carer', t.fx.carers.marta);
    const sent = await marta.post('/my-concerns', { pupil: t.fx.pupils.kuba, what_happened: 'Homework too hard', would_like: 'Easier homework', contact_by: 'phone' });
    const id = idFrom(sent.headers.location);
    const head = await t.as('staff', t.fx.staff.head);
    const teacher = await t.as('staff', t.fx.staff.teacher);
    // Before it is passed on, Mr Okafor may not open it (it may be about him).
    expect((await teacher.get(`/concerns/${id}`)).statusCode).toBe(404);

    const bad = await head.post(`/concerns/${id}/pass-on`, { owner: t.fx.staff.teacher, category: 'learning', school_days: 'ten' });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('Enter the number of school days as a whole number');
    expect(bad.body).toMatch(/value="learning" checked/);
    const governor = await head.post(`/concerns/${id}/pass-on`, { owner: t.fx.staff.governor, category: 'learning', school_days: '5' });
    expect(governor.body).toContain('Choose a member of staff to deal with it');

    const passed = await head.post(`/concerns/${id}/pass-on`, { owner: t.fx.staff.teacher, category: 'learning', school_days: '5' });
    expect(passed.statusCode).toBe(303);
    expect(await concern(id)).toMatchObject({ status: 'open', owner_id: t.fx.staff.teacher, category: 'learning', due_on: '2026-12-03' });
    const [told] = await mailTo('marta@families.test', 'Mr Okafor zajmuje się Państwa zgłoszeniem dotyczącym: Jakub');
    expect(told!.text).toContain('They will be in touch, and aim to resolve it by Thursday 3 December 2026.');
    expect(await t.db.selectFrom('staff_alerts').select('id').where('staff_id', '=', t.fx.staff.teacher).where('link', '=', `/concerns/${id}`).execute()).toHaveLength(1);
    // The audit log says it in sentences.
    const audit = (await head.get('/audit')).body;
    expect(audit).toContain('Concern about Jakub Nowak passed on');
    expect(audit).toContain('Dealt with by: Mrs Patel → Mr Okafor');
    expect(audit).toContain('Aim to resolve by: 10 December 2026 → 3 December 2026'); // the concern page's words; stored as due_on
    expect(audit).not.toContain('Due: 10 December 2026');

    const list = await head.get('/concerns');
    expect(list.body).toContain(`href="/concerns/${id}"><bdi>Jakub Nowak</bdi></a>`);
    expect(list.body).toContain('Mr Okafor');
    expect((await teacher.get('/concerns')).body).toContain(`href="/concerns/${id}"`); // his to deal with now
    expect((await (await t.as('staff', t.fx.staff.teacher2)).get('/concerns')).body).not.toContain(`href="/concerns/${id}"`);
    const page = await teacher.get(`/concerns/${id}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Homework too hard');
    expect(page.body).not.toContain('action="/concerns/' + id + '/pass-on"'); // triage is for the head and senior leaders
    const noHow = await teacher.post(`/concerns/${id}/contacts`, { contact_body: 'Rang Mrs Nowak' });
    expect(noHow.statusCode).toBe(400);
    expect(noHow.body).toContain('Choose how you were in touch');
    expect(noHow.body).toContain('Rang Mrs Nowak');
    expect((await teacher.post(`/concerns/${id}/contacts`, { contact_how: 'phone', contact_body: 'Rang Mrs Nowak: agreed a reading-level check' })).statusCode).toBe(303);
    // The call is the first reply: staff see it given, and Marta is no longer told a date for it.
    expect((await teacher.get(`/concerns/${id}`)).body).toMatch(/First reply to the family by\s*<\/dt>\s*<dd class="govuk-summary-list__value">\s*3 December 2026 \(replied\)/);
    const afterCall = (await marta.get(`/my-concerns/${id}`)).body;
    expect(afterCall).not.toContain('We will reply by');
    expect(afterCall).toContain('We aim to resolve it by');

    expect((await teacher.post(`/concerns/${id}/close`, { outcome: '' })).body).toContain('Enter what was done, for the family');
    const closed = await teacher.post(`/concerns/${id}/close`, { outcome: 'We checked his reading level and gave him the right books.' });
    expect(closed.statusCode).toBe(303);
    expect((await concern(id)).status).toBe('closed');
    const [summary] = await mailTo('marta@families.test', 'Państwa zgłoszenie dotyczące: Jakub – co zrobiliśmy');
    expect(summary!.text).toContain('We checked his reading level');
    expect(summary!.text).not.toContain('Rang Mrs Nowak'); // staff contacts stay with staff

    // One click, a form POST, no script: two forms with one button each.
    const mine = await marta.get(`/my-concerns/${id}`);
    expect(mine.body).toContain('Is it resolved?');
    expect(mine.body).not.toContain('Rang Mrs Nowak');
    expect(mine.body.match(new RegExp(`action="/my-concerns/${id}/answer"`, 'g'))).toHaveLength(2);
    const notYet = await marta.post(`/my-concerns/${id}/answer`, { answer: 'not_yet', why: 'He still brings home the old books' });
    expect(notYet.headers.location).toBe(`/my-concerns/${id}?done=reopened`);
    expect(await concern(id)).toMatchObject({ status: 'open', reopened_count: 1 });
    const reopened = await t.db.selectFrom('staff_alerts').select('title').where('staff_id', '=', t.fx.staff.teacher).where('link', '=', `/concerns/${id}`).orderBy('created_at').execute();
    expect(reopened.map((a) => a.title)).toContain('A family says their concern is not resolved yet: it is open again');
    expect((await teacher.get(`/concerns/${id}`)).body).toContain('He still brings home the old books');
    // A second click on the old page changes nothing.
    expect((await marta.post(`/my-concerns/${id}/answer`, { answer: 'yes' })).headers.location).toBe(`/my-concerns/${id}?done=not_closed`);
    expect((await concern(id)).status).toBe('open');

    await teacher.post(`/concerns/${id}/close`, { outcome: 'New books from the right band are in his bag.' });
    expect(await mailTo('marta@families.test', 'Państwa zgłoszenie dotyczące: Jakub – co zrobiliśmy')).toHaveLength(2);
    await marta.post(`/my-concerns/${id}/answer`, { answer: 'yes' });
    expect((await concern(id)).status).toBe('resolved');
    expect(await t.db.selectFrom('audit_log').select('action').where('entity_id', '=', id).orderBy('at').execute()).toEqual(
      ['concern.raised', 'concern.passed_on', 'concern_entry.added', 'concern.closed', 'concern.reopened', 'concern.closed', 'concern.resolved']
        .map((action) => ({ action }))
        .filter((a) => a.action !== 'concern_entry.added'),
    );
  });

  it('Ms Byrne logs a phone call for Faduma (no email): she gets a text; the family page lists no carer a restriction keeps away', async () => {
    const office = await t.as('staff', t.fx.staff.office);
    const form = await office.get(`/pupils/${t.fx.pupils.ayaan}/concerns/new`);
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('Faduma Warsame');
    const logged = await office.post(`/pupils/${t.fx.pupils.ayaan}/concerns`, {
      carer: t.fx.carers.faduma,
      received_via: 'phone',
      what_happened: 'Ayaan came home without his coat',
      would_like: 'Find the coat',
      contact_by: 'phone',
    });
    expect(logged.statusCode).toBe(303);
    expect(logged.headers.location).toContain('done=logged-sms');
    const id = idFrom(logged.headers.location);
    expect(await concern(id)).toMatchObject({ received_via: 'phone', logged_by: t.fx.staff.office, carer_id: t.fx.carers.faduma });
    const texts = await t.db.selectFrom('outbox').select(['payload_json']).where('channel', '=', 'sms').where('recipient', '=', '07700900005').execute();
    expect(texts.map((r) => JSON.parse(r.payload_json).text).join()).toContain('waan helnay welwelkaaga ku saabsan Ayaan'); // Faduma reads Somali
    // She logged it, so she may open it; the teacher of another class may not.
    const page = await office.get(`/concerns/${id}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toMatch(/Raised by\s*<\/dt>\s*<dd class="govuk-summary-list__value">\s*<bdi>Faduma Warsame<\/bdi> by phone, logged by <bdi>Ms Byrne<\/bdi>\s*<\/dd>/);
    expect((await (await t.as('staff', t.fx.staff.teacher2)).get(`/concerns/${id}`)).statusCode).toBe(404);
    expect((await (await t.as('staff', t.fx.staff.governor)).get(`/concerns/${id}`)).statusCode).toBe(404);
  });

  it('Marta, reading Polish, raises a concern on Polish pages: the form, the error beside the field, her list and the concern itself', async () => {
    const marta = await t.as('carer', t.fx.carers.marta, undefined, { ownLanguage: true });
    const form = await marta.get('/my-concerns/new');
    expect(form.body).toContain('<html lang="pl"');
    expect(form.body).toContain('Którego dziecka to dotyczy?');
    expect(form.body).toContain('Telefonicznie');
    const empty = await marta.post('/my-concerns', { pupil: t.fx.pupils.ola, what_happened: '', would_like: 'Porozmawiać', contact_by: 'phone' });
    expect(empty.statusCode).toBe(400);
    expect(empty.body).toContain('Prosimy napisać, co się stało');
    expect(empty.body).not.toContain('Enter what happened');
    expect(empty.body).toContain('Porozmawiać'); // what she typed is kept
    const sent = await marta.post('/my-concerns', { pupil: t.fx.pupils.ola, what_happened: 'Ola płacze rano przed szkołą.', would_like: 'Porozmawiać', contact_by: 'phone' });
    const id = idFrom(sent.headers.location);
    const page = await marta.get(sent.headers.location!);
    expect(page.body).toContain('Dziękujemy. Otrzymaliśmy Państwa zgłoszenie');
    expect(page.body).toContain('Państwa zgłoszenie dotyczące: Aleksandra');
    expect(page.body).toContain('Czeka na przekazanie');
    expect(page.body).toContain('Co się stało');
    const list = await marta.get('/my-concerns');
    expect(list.body).toContain(`href="/my-concerns/${id}"`);
    expect(list.body).toContain('Dotyczy: <bdi>Aleksandra</bdi>, zgłoszono 26 listopada 2026');
    // English is one click away.
    const inEnglish = await t.as('carer', t.fx.carers.marta);
    expect((await inEnglish.get(`/my-concerns/${id}`)).body).toContain('Waiting to be passed on');
  });

  it('tells Marta when the school is past the dates it gave her, not just the dates (in English and in Polish)', async () => {
    const marta = await t.as('carer', t.fx.carers.marta);
    const sent = await marta.post('/my-concerns', { pupil: t.fx.pupils.ola, what_happened: 'Ola lost her coat.', would_like: 'Help to find it', contact_by: 'email' });
    const id = idFrom(sent.headers.location);
    await t.db.updateTable('concerns').set({ owner_id: t.fx.staff.teacher, status: 'open' }).where('id', '=', id).execute();
    const onTime = await marta.get(`/my-concerns/${id}`);
    expect(onTime.body).not.toContain('this date has passed');
    // Raised on Monday 2 November: the first reply was due by 9 November and the aim was 16 November.
    await t.db.updateTable('concerns').set({ raised_on: '2026-11-02', due_on: '2026-11-16' }).where('id', '=', id).execute();
    const page = (await marta.get(`/my-concerns/${id}`)).body;
    expect(page).toMatch(/We will reply by\s*<\/dt>\s*<dd class="govuk-summary-list__value">\s*9 November 2026 \(this date has passed\)/);
    expect(page).toMatch(/We aim to resolve it by\s*<\/dt>\s*<dd class="govuk-summary-list__value">\s*16 November 2026 \(this date has passed\)/);
    const late = '<bdi>Mr Okafor</bdi> aimed to resolve it by 16 November 2026. This date has passed.';
    expect((await marta.get('/my-concerns')).body).toContain(late);
    expect((await marta.get('/')).body).toContain(late);
    const inPolish = await t.as('carer', t.fx.carers.marta, undefined, { ownLanguage: true });
    expect((await inPolish.get('/')).body).toContain('<bdi>Mr Okafor</bdi> chciał(a) rozwiązać sprawę do 16 listopada 2026. Ten termin już minął.');
    expect((await inPolish.get(`/my-concerns/${id}`)).body).toContain('16 listopada 2026 (ten termin już minął)');
  });
});

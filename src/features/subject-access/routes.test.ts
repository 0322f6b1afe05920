import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dialects } from '../../../test/support/db.ts';
import { startTestApp, type TestApp } from '../../../test/support/app.ts';
import { newId } from '../../platform/ids.ts';

const NOW = new Date('2026-12-07T10:00:00.000Z'); // Monday 7 December 2026, autumn term

/**
 * Subject access and education record requests, end to end: Ms Byrne records Tomasz's request for
 * Kuba's education record (due in 15 school days on the school's terms), a solicitor's subject access
 * request (a month, then three when complex), and Mark Dean's request about Lily, whom a court order
 * keeps him from; each is extended, sent or refused, audited; the head and the office see on their
 * home page what is overdue; teachers, governors and carers never reach any of it.
 */
describe.each(dialects)('subject access requests on %s', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(dialect, { clock: () => NOW });
  });
  afterAll(async () => t?.close());

  const date = (name: string, iso: string) => {
    const [y, m, d] = iso.split('-');
    return { [`${name}-day`]: String(Number(d)), [`${name}-month`]: String(Number(m)), [`${name}-year`]: y! };
  };
  const idOf = (location: unknown) => String(location).split('/')[2]!.split('?')[0]!;

  it('records an education record request from Tomasz about Kuba: due in 15 school days, across the Christmas holidays', async () => {
    const office = await t.as('staff', t.fx.staff.office);
    expect((await office.get('/subject-access')).body).toContain('No open requests.');
    const form = (await office.get('/subject-access/new')).body;
    expect(form).toContain('Tomasz Nowak');
    expect(form).toContain('Jakub Nowak (Year 3)');
    expect(form).not.toContain('Olly Other'); // another school's pupil is never offered
    const tomasz = {
      form_id: /name="form_id" value="([^"]+)"/.exec(form)![1]!,
      kind: 'education_record',
      requester: 'carer',
      carer_id: t.fx.carers.tomasz,
      about: 'pupil',
      pupil_id: t.fx.pupils.kuba,
      ...date('received_on', '2026-12-01'),
      identity_checked: 'yes',
    };
    const made = await office.post('/subject-access/new', tomasz);
    expect(made.statusCode).toBe(303);
    const id = idOf(made.headers.location);
    // A double click: the same form again goes to the same request, recorded once.
    const again = await office.post('/subject-access/new', tomasz);
    expect(idOf(again.headers.location)).toBe(id);
    expect(await t.db.selectFrom('access_requests').select('id').execute()).toHaveLength(1);
    // Another person sending that form's id is told the form has expired; nothing is written.
    const head = await t.as('staff', t.fx.staff.head);
    const stolen = await head.post('/subject-access/new', tomasz);
    expect(stolen.statusCode).toBe(400);
    expect(stolen.body).toContain('This form has expired');
    const page = (await office.get(made.headers.location as string)).body;
    expect(page).toContain('The request has been recorded.');
    expect(page).toContain('6 January 2027'); // 2–18 December are 13 school days; 5 and 6 January the 14th and 15th
    expect(page).toContain('Due in 30 days');
    expect(page).not.toContain('caution-');
    const audit = await t.db.selectFrom('audit_log').select(['actor_id', 'after_json']).where('action', '=', 'access_request.recorded').where('entity_id', '=', id).executeTakeFirstOrThrow();
    expect(audit.actor_id).toBe(t.fx.staff.office);
    expect(JSON.parse(audit.after_json!)).toMatchObject({ kind: 'education_record', pupil_id: t.fx.pupils.kuba, received_on: '2026-12-01', due_on: '2027-01-06', identity_checked: 1 });
    const viewed = await t.db.selectFrom('audit_log').select('actor_id').where('action', '=', 'access_request.viewed').where('entity_id', '=', id).execute();
    expect(viewed).toEqual([{ actor_id: t.fx.staff.office }]);
  });

  it('keeps what was typed and says beside each field what is missing or wrong', async () => {
    const office = await t.as('staff', t.fx.staff.office);
    const empty = await office.post('/subject-access/new', { form_id: newId() });
    expect(empty.statusCode).toBe(400);
    for (const words of [
      'Say what kind of request it is',
      'Say who asked',
      'Say whose information they asked for',
      'Enter the date the request was received',
      'Say whether you have checked who they are',
    ]) {
      expect(empty.body).toContain(words);
    }
    const outside = await office.post('/subject-access/new', {
      form_id: newId(),
      kind: 'education_record',
      requester: 'outside',
      requester_name: 'Hart & Co Solicitors <b>',
      requester_contact: '',
      about: 'requester',
      ...date('received_on', '2026-12-20'),
      identity_checked: 'no',
    });
    expect(outside.statusCode).toBe(400);
    expect(outside.body).toContain('value="Hart &amp; Co Solicitors &lt;b&gt;"');
    expect(outside.body).toContain('Enter how to reach them');
    expect(outside.body).toContain('An education record is a pupil’s');
    expect(outside.body).toMatch(/name="received_on-day"[^>]*value="20"/);
    const future = await office.post('/subject-access/new', {
      form_id: newId(),
      kind: 'subject_access',
      requester: 'outside',
      requester_name: 'Hart & Co Solicitors',
      requester_contact: '1 Court Street',
      about: 'requester',
      ...date('received_on', '2026-12-20'),
      identity_checked: 'no',
    });
    expect(future.statusCode).toBe(400);
    expect(future.body).toContain('The date the request was received must be today or in the past');
    expect(future.body).toContain('href="#received_on-day"');
    // Another school's pupil, typed into the form, is refused as not on the list.
    const stranger = await office.post('/subject-access/new', {
      form_id: newId(),
      kind: 'subject_access',
      requester: 'carer',
      carer_id: t.fx.carers.marta,
      about: 'pupil',
      pupil_id: t.fx.pupils.otherPupil,
      ...date('received_on', '2026-12-01'),
      identity_checked: 'yes',
    });
    expect(stranger.statusCode).toBe(400);
    expect(stranger.body).toContain('Choose the pupil from the list');
    expect(await t.db.selectFrom('access_requests').select('id').execute()).toHaveLength(1);
  });

  it('says to add term dates when 15 school days run past the last term entered', async () => {
    const office = await t.as('staff', t.fx.staff.office);
    const late = await office.post('/subject-access/new', {
      form_id: newId(),
      kind: 'education_record',
      requester: 'carer',
      carer_id: t.fx.carers.marta,
      about: 'pupil',
      pupil_id: t.fx.pupils.ola,
      ...date('received_on', '2026-12-07'),
      identity_checked: 'yes',
    });
    expect(late.statusCode).toBe(303); // the spring term reaches far enough
    await t.db.deleteFrom('school_terms').where('school_id', '=', t.fx.school.id).where('name', '=', 'Spring term 2027').execute();
    const runOut = await office.post('/subject-access/new', {
      form_id: newId(),
      kind: 'education_record',
      requester: 'carer',
      carer_id: t.fx.carers.marta,
      about: 'pupil',
      pupil_id: t.fx.pupils.ola,
      ...date('received_on', '2026-12-07'),
      identity_checked: 'yes',
    });
    expect(runOut.statusCode).toBe(400);
    expect(runOut.body).toContain('The term dates in Gatepost end on 18 December 2026, so 15 school days cannot be counted: add the next terms at /settings/term-dates');
    expect(runOut.body).toContain('href="/settings/term-dates"');
    expect(runOut.body).toMatch(/<option value="[^"]+" selected>Aleksandra Nowak/);
    await t.db.insertInto('school_terms').values({ id: 'spring-again', school_id: t.fx.school.id, name: 'Spring term 2027', starts_on: '2027-01-05', ends_on: '2027-03-26' }).execute();
  });

  it('warns on a request from Mark Dean about Lily, whom a court order keeps him from, and on the list', async () => {
    const head = await t.as('staff', t.fx.staff.head);
    const made = await head.post('/subject-access/new', {
      form_id: newId(),
      kind: 'education_record',
      requester: 'carer',
      carer_id: t.fx.carers.mark,
      about: 'pupil',
      pupil_id: t.fx.pupils.lily,
      ...date('received_on', '2026-11-16'),
      identity_checked: 'yes',
    });
    expect(made.statusCode).toBe(303);
    const page = (await head.get(made.headers.location as string)).body;
    expect(page).toContain('id="caution-restricted"');
    expect(page).toContain('Mark Dean is under a court order about Lily Dean, stopping receiving information, contact and collecting the child. Do not send Lily Dean’s information to them.');
    expect(page).toContain('7 December 2026'); // 15 school days from 16 November
    expect(page).toContain('Due today');
    const list = (await head.get('/subject-access')).body;
    expect(list).toMatch(/Due today[\s\S]*Restriction[\s\S]*from <bdi>Mark Dean<\/bdi> about <bdi>Lily Dean<\/bdi>/);
    // His own data: the records may mention Lily.
    const own = await head.post('/subject-access/new', {
      form_id: newId(),
      kind: 'subject_access',
      requester: 'carer',
      carer_id: t.fx.carers.mark,
      about: 'requester',
      ...date('received_on', '2026-12-07'),
      identity_checked: 'no',
    });
    const ownPage = (await head.get(own.headers.location as string)).body;
    expect(ownPage).toContain('Mark Dean is under a restriction about Lily Dean. Their own records may mention the child');
    expect(ownPage).toContain('Mark their identity as checked');
    const ownUrl = (own.headers.location as string).split('?')[0]!;
    expect((await head.post(`${ownUrl}/identity`, {})).statusCode).toBe(303);
    expect((await head.post(`${ownUrl}/identity`, {})).statusCode).toBe(303); // twice ends as once
    expect((await head.get(ownUrl)).body).not.toContain('Mark their identity as checked');
    const checked = await t.db.selectFrom('audit_log').select(['actor_id', 'after_json']).where('action', '=', 'access_request.identity_checked').execute();
    expect(checked).toEqual([{ actor_id: t.fx.staff.head, after_json: JSON.stringify({ identity_checked: 1 }) }]);
    // Grace asking about Kuba: no link.
    const unlinked = await head.post('/subject-access/new', {
      form_id: newId(),
      kind: 'subject_access',
      requester: 'carer',
      carer_id: t.fx.carers.grace,
      about: 'pupil',
      pupil_id: t.fx.pupils.kuba,
      ...date('received_on', '2026-12-07'),
      identity_checked: 'yes',
    });
    expect((await head.get(unlinked.headers.location as string)).body).toContain('Gatepost does not link Grace Mensah to Jakub Nowak');
  });

  it('extends a complex subject access request to three months from receipt, once; an education record cannot be', async () => {
    const senior = await t.as('staff', t.fx.staff.senior_leader);
    const made = await senior.post('/subject-access/new', {
      form_id: newId(),
      kind: 'subject_access',
      requester: 'outside',
      requester_name: 'Hart & Co Solicitors for Mr Dean',
      requester_contact: 'hart@solicitors.test, ref HD/26/114',
      about: 'other',
      about_other: 'A former pupil',
      ...date('received_on', '2026-10-31'),
      identity_checked: 'yes',
    });
    expect(made.statusCode).toBe(303);
    const url = (made.headers.location as string).split('?')[0]!;
    const page = (await senior.get(url)).body;
    expect(page).toContain('30 November 2026'); // 31 October + one month: November has no 31st
    expect(page).toContain('Overdue');
    expect(page).toContain('Hart &amp; Co Solicitors for Mr Dean – hart@solicitors.test, ref HD/26/114');
    const blank = await senior.post(`${url}/extend`, { complex_reason: '  ' });
    expect(blank.statusCode).toBe(400);
    expect(blank.body).toContain('Say why the request is complex');
    expect((await senior.post(`${url}/extend`, { complex_reason: 'Eight years of records, many naming other families' })).statusCode).toBe(303);
    const extended = (await senior.get(url)).body;
    expect(extended).toContain('1 February 2027 (extended: complex)'); // three months is Sunday 31 January: the next working day
    expect(extended).not.toContain('Extend by two months');
    const again = await senior.post(`${url}/extend`, { complex_reason: 'Again' });
    expect(again.statusCode).toBe(400);
    expect(again.body).toContain('This request has already been extended');
    const audit = await t.db.selectFrom('audit_log').select(['actor_id', 'before_json', 'after_json']).where('action', '=', 'access_request.extended').execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]!.actor_id).toBe(t.fx.staff.senior_leader);
    expect(JSON.parse(audit[0]!.before_json!)).toEqual({ due_on: '2026-11-30' });
    expect(JSON.parse(audit[0]!.after_json!)).toEqual({ due_on: '2027-02-01', extended_reason: 'Eight years of records, many naming other families' });

    const record = await t.db.selectFrom('access_requests').select('id').where('requester_carer_id', '=', t.fx.carers.tomasz).executeTakeFirstOrThrow();
    const refused = await senior.post(`/subject-access/${record.id}/extend`, { complex_reason: 'Many records' });
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain('Only a subject access request can be extended');
  });

  it('marks one sent (not before it came, not in the future) and refuses another with its reason, each audited, each only once', async () => {
    const office = await t.as('staff', t.fx.staff.office);
    const record = await t.db.selectFrom('access_requests').select('id').where('requester_carer_id', '=', t.fx.carers.tomasz).executeTakeFirstOrThrow();
    const url = `/subject-access/${record.id}`;
    const early = await office.post(`${url}/sent`, date('sent_on', '2026-11-30'));
    expect(early.statusCode).toBe(400);
    expect(early.body).toContain('The date it was sent must be on or after the date the request was received');
    expect(early.body).toMatch(/name="sent_on-day"[^>]*value="30"/);
    expect((await office.post(`${url}/sent`, date('sent_on', '2026-12-08'))).body).toContain('The date it was sent must be today or in the past');
    expect((await office.post(`${url}/sent`, date('sent_on', '2026-12-04'))).statusCode).toBe(303);
    const sent = (await office.get(url)).body;
    expect(sent).toContain('Sent on 4 December 2026');
    expect(sent).not.toContain('Mark as sent');
    const twice = await office.post(`${url}/refuse`, { refused_reason: 'Changed my mind' });
    expect(twice.statusCode).toBe(400);
    expect(twice.body).toContain('This request is already sent: nothing was changed');

    const own = await t.db.selectFrom('access_requests').select('id').where('about', '=', 'requester').executeTakeFirstOrThrow();
    expect((await office.post(`/subject-access/${own.id}/refuse`, { refused_reason: '' })).body).toContain('Say why the request is refused');
    expect((await office.post(`/subject-access/${own.id}/refuse`, { refused_reason: 'The same request as last month, answered in full' })).statusCode).toBe(303);
    const actions = await t.db.selectFrom('audit_log').select(['action', 'after_json']).where('action', 'in', ['access_request.sent', 'access_request.refused']).orderBy('action').execute();
    expect(actions.map((a) => [a.action, JSON.parse(a.after_json!).status])).toEqual([
      ['access_request.refused', 'refused'],
      ['access_request.sent', 'sent'],
    ]);
    const list = (await office.get('/subject-access')).body;
    expect(list).toContain('id="closed-requests"');
    expect(list).toContain('sent 4 December 2026');
  });

  it('tells the head and the office on their home page what is overdue and due this week; nobody else', async () => {
    const headHome = (await (await t.as('staff', t.fx.staff.head)).get('/')).body;
    // Overdue: the solicitor's was extended to January; Mark's is due today; Marta's, Grace's are weeks away.
    expect(headHome).toContain('id="access-requests-due"');
    expect(headHome).toContain('1 subject access request due this week');
    expect((await (await t.as('staff', t.fx.staff.office)).get('/')).body).toContain('1 subject access request due this week');
    for (const who of [t.fx.staff.senior_leader, t.fx.staff.teacher, t.fx.staff.governor]) {
      expect((await (await t.as('staff', who)).get('/')).body).not.toContain('access-requests-due');
    }
    // One overdue too.
    await t.db.updateTable('access_requests').set({ due_on: '2026-12-01' }).where('requester_carer_id', '=', t.fx.carers.grace).execute();
    expect((await (await t.as('staff', t.fx.staff.head)).get('/')).body).toContain('1 subject access request overdue, and 1 subject access request due this week');
  });

  it('keeps teachers, governors, the DSL, carers and the other school out', async () => {
    const record = await t.db.selectFrom('access_requests').select('id').where('requester_carer_id', '=', t.fx.carers.mark).where('about', '=', 'pupil').executeTakeFirstOrThrow();
    const before = await t.db.selectFrom('access_requests').selectAll().orderBy('id').execute();
    const people = [
      await t.as('staff', t.fx.staff.teacher),
      await t.as('staff', t.fx.staff.governor),
      await t.as('staff', t.fx.staff.dsl),
      await t.as('carer', t.fx.carers.mark),
      await t.as('staff', t.fx.staff.otherHead, t.fx.other.id),
    ];
    for (const [i, person] of people.entries()) {
      if (i < 4) expect((await person.get('/subject-access')).statusCode).toBe(404);
      expect((await person.get(`/subject-access/${record.id}`)).statusCode).toBe(404);
      expect((await person.post(`/subject-access/${record.id}/refuse`, { refused_reason: 'No' })).statusCode).toBe(404);
      expect((await person.post(`/subject-access/${record.id}/sent`, date('sent_on', '2026-12-07'))).statusCode).toBe(404);
    }
    expect(await t.db.selectFrom('access_requests').selectAll().orderBy('id').execute()).toEqual(before);
    expect((await (await t.as('staff', t.fx.staff.otherHead, t.fx.other.id)).get('/subject-access')).body).toContain('No open requests.');
  });
  it('corrects an open request’s details: the due date worked out again, the audit naming the fields; a sent one cannot be', async () => {
    const office = await t.as('staff', t.fx.staff.office);
    const row = async (id: string) => t.db.selectFrom('access_requests').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    const bodyOf = (r: Awaited<ReturnType<typeof row>>) => ({
      kind: r.kind,
      requester: r.requester_carer_id ? 'carer' : 'outside',
      carer_id: r.requester_carer_id ?? '',
      requester_name: r.requester_name ?? '',
      requester_contact: r.requester_contact ?? '',
      about: r.about,
      pupil_id: r.pupil_id ?? '',
      about_other: r.about_other ?? '',
      ...date('received_on', r.received_on),
    });
    const grace = await t.db.selectFrom('access_requests').select('id').where('requester_carer_id', '=', t.fx.carers.grace).executeTakeFirstOrThrow();
    const url = `/subject-access/${grace.id}`;
    expect((await office.get(url)).body).toContain(`href="${url}/correct"`);
    const form = (await office.get(`${url}/correct`)).body;
    expect(form).toMatch(/<option value="[^"]+" selected>Grace Mensah/);
    expect(form).toMatch(/<option value="[^"]+" selected>Jakub Nowak/);
    expect(form).toMatch(/name="received_on-day"[^>]*value="7"/);
    const before = await row(grace.id);

    // Mistakes keep what was typed, with the error beside the field; nothing is written.
    const wrong = await office.post(`${url}/correct`, { ...bodyOf(before), requester: 'outside', requester_name: 'Grace <Mensah>', requester_contact: '', ...date('received_on', '2026-12-09') });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.body).toContain('Enter how to reach them');
    expect(wrong.body).toContain('value="Grace &lt;Mensah&gt;"');
    expect(wrong.body).toContain('href="#requester_contact"');
    const future = await office.post(`${url}/correct`, { ...bodyOf(before), ...date('received_on', '2026-12-09') });
    expect(future.body).toContain('The date the request was received must be today or in the past');
    expect(future.body).toMatch(/name="received_on-day"[^>]*value="9"/);
    const stranger = await office.post(`${url}/correct`, { ...bodyOf(before), pupil_id: t.fx.pupils.otherPupil });
    expect(stranger.body).toContain('Choose the pupil from the list');
    expect(await row(grace.id)).toEqual(before);

    // Saved as it was: nothing written.
    const same = await office.post(`${url}/correct`, bodyOf(before));
    expect(same.headers.location).toBe(`${url}?done=unchanged`);
    expect(await row(grace.id)).toEqual(before);

    // It was Ola she asked about, and the letter came on Saturday 28 November: a month is Monday 28
    // December, the substitute day for Boxing Day, so it is due Tuesday 29 December.
    const fixed = await office.post(`${url}/correct`, { ...bodyOf(before), pupil_id: t.fx.pupils.ola, ...date('received_on', '2026-11-28') });
    expect(fixed.statusCode).toBe(303);
    const page = (await office.get(fixed.headers.location as string)).body;
    expect(page).toContain('The details are corrected');
    expect(page).toContain('29 December 2026');
    expect(page).toContain('Aleksandra Nowak');
    expect(await row(grace.id)).toMatchObject({ pupil_id: t.fx.pupils.ola, received_on: '2026-11-28', due_on: '2026-12-29', identity_checked: before.identity_checked });
    const audited = await t.db.selectFrom('audit_log').select(['actor_id', 'before_json', 'after_json']).where('action', '=', 'access_request.corrected').where('entity_id', '=', grace.id).execute();
    expect(audited).toHaveLength(1);
    expect(audited[0]!.actor_id).toBe(t.fx.staff.office);
    expect(JSON.parse(audited[0]!.before_json!)).toEqual({ due_on: before.due_on });
    expect(JSON.parse(audited[0]!.after_json!)).toEqual({ changed: ['pupil_id', 'received_on'], due_on: '2026-12-29' });

    // Extended as complex: still three months from the corrected receipt, and it cannot become an education record.
    const head = await t.as('staff', t.fx.staff.head);
    const solicitor = await row((await t.db.selectFrom('access_requests').select('id').where('extended_reason', 'is not', null).executeTakeFirstOrThrow()).id);
    const toRecord = await head.post(`/subject-access/${solicitor.id}/correct`, { ...bodyOf(solicitor), kind: 'education_record', about: 'pupil', pupil_id: t.fx.pupils.kuba });
    expect(toRecord.statusCode).toBe(400);
    expect(toRecord.body).toContain('cannot become an education record request');
    const earlier = await head.post(`/subject-access/${solicitor.id}/correct`, {
      ...bodyOf(solicitor),
      requester_contact: 'hart@solicitors.test, ref HD/26/115',
      ...date('received_on', '2026-10-30'),
    });
    expect(earlier.statusCode).toBe(303);
    expect(await row(solicitor.id)).toMatchObject({ received_on: '2026-10-30', due_on: '2027-02-01', requester_contact: 'hart@solicitors.test, ref HD/26/115' }); // 30 January is a Saturday
    const solicitorAudit = await t.db.selectFrom('audit_log').select('after_json').where('action', '=', 'access_request.corrected').where('entity_id', '=', solicitor.id).executeTakeFirstOrThrow();
    expect(solicitorAudit.after_json).toBe(JSON.stringify({ changed: ['requester_contact', 'received_on'], due_on: '2027-02-01' }));
    expect(solicitorAudit.after_json).not.toContain('hart@');

    // A sent request cannot be corrected: the page says so, and a correction sent anyway changes nothing.
    const tomasz = await row((await t.db.selectFrom('access_requests').select('id').where('requester_carer_id', '=', t.fx.carers.tomasz).executeTakeFirstOrThrow()).id);
    expect((await office.get(`/subject-access/${tomasz.id}`)).body).toContain('A request that is sent cannot be corrected');
    expect((await office.get(`/subject-access/${tomasz.id}`)).body).not.toContain('/correct"');
    expect((await office.get(`/subject-access/${tomasz.id}/correct`)).body).toContain('This request is sent: its details cannot be corrected');
    const late = await office.post(`/subject-access/${tomasz.id}/correct`, { ...bodyOf(tomasz), ...date('received_on', '2026-11-30') });
    expect(late.statusCode).toBe(400);
    expect(late.body).toContain('This request is sent: its details cannot be corrected');
    expect(late.body).not.toContain('Save the corrected details');
    expect(await row(tomasz.id)).toEqual(tomasz);

    // Nobody else reaches it.
    const after = await row(grace.id);
    for (const person of [
      await t.as('staff', t.fx.staff.teacher),
      await t.as('staff', t.fx.staff.dsl),
      await t.as('carer', t.fx.carers.grace),
      await t.as('staff', t.fx.staff.otherHead, t.fx.other.id),
    ]) {
      expect((await person.get(`${url}/correct`)).statusCode).toBe(404);
      expect((await person.post(`${url}/correct`, { ...bodyOf(after), ...date('received_on', '2026-11-27') })).statusCode).toBe(404);
    }
    expect(await row(grace.id)).toEqual(after);
  });
});

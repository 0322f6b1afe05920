import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dialects } from '../../../test/support/db.ts';
import { startTestApp, type TestApp } from '../../../test/support/app.ts';
import { text } from '../people/import/upload-test-client.ts';
import { attendanceForCarer, attendanceOfCarersChildren } from './carer.ts';
import { newId } from '../../platform/ids.ts';
import { startFakeSms, type FakeSms } from '../../../test/support/fake-sms.ts';

const NOW = new Date('2026-12-07T10:00:00.000Z'); // Monday, autumn term
const asOf = (iso: string) => {
  const [y, m, d] = iso.split('-');
  return { 'as_of-day': String(Number(d)), 'as_of-month': String(Number(m)), 'as_of-year': y! };
};

/**
 * Attendance, end to end: the office imports the records system's figures (every bad row named by its
 * line, nothing saved while any row is bad; a good file is shown before it is saved, and saved once);
 * the staff list shows who is at or below 90%, severe absence first, with a way to offer a meeting;
 * carers read their own child's figure in their language, and never a child they may not hear about.
 */
describe.each(dialects)('attendance on %s', (dialect) => {
  let t: TestApp;
  let upn: Record<'kuba' | 'ola' | 'lily' | 'leo' | 'ayaan' | 'otherPupil', string>;
  const counts = async () => ({
    imports: Number(
      (
        await t.db
          .selectFrom('attendance_imports')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    ),
    figures: Number(
      (
        await t.db
          .selectFrom('attendance_figures')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    ),
  });
  beforeAll(async () => {
    t = await startTestApp(dialect, { clock: () => NOW });
    const rows = await t.db.selectFrom('pupils').select(['id', 'upn']).execute();
    const byId = new Map(rows.map((r) => [r.id, r.upn]));
    upn = Object.fromEntries(Object.entries(t.fx.pupils).map(([k, id]) => [k, byId.get(id)!])) as typeof upn;
    // The other school's pupil has a well-formed UPN, so the file is turned down for naming them, not for its form.
    upn.otherPupil = 'Z823000010660';
    await t.db.updateTable('pupils').set({ upn: upn.otherPupil }).where('id', '=', t.fx.pupils.otherPupil).execute();
  });
  afterAll(async () => t?.close());

  it('turns down a file with bad rows, naming every one by its line, and saves nothing', async () => {
    const office = await t.as('staff', t.fx.staff.office);
    const csv = [
      'UPN,Sessions Possible,Sessions Attended,Authorised Absences',
      `${upn.kuba},120,106,10`, // line 2: good
      `${upn.lily},120,130,`, // line 3: more attended than possible
      `${upn.otherPupil},120,100,`, // line 4: another school's pupil
      `<script>alert(1)</script>,120,100,`, // line 5: not a UPN
      `${upn.leo},12O,100,`, // line 6: not a number
      `${upn.kuba},120,100,`, // line 7: Kuba twice
      `${upn.ola},0,0,`, // line 8: no sessions possible
      `${upn.ayaan},100,95,10`, // line 9: more than possible in all
    ].join('\n');
    const res = await office.upload('/attendance/import', asOf('2026-11-27'), { field: 'file', name: 'attendance.csv', content: csv });
    expect(res.statusCode).toBe(400);
    const page = text(res.body);
    expect(page).toContain('7 of the file’s 8 rows have problems. Nothing from this file has been saved.');
    expect(page).toMatch(/3 Lily Dean \(\w+\) Sessions Attended: 130 sessions attended is more than the 120 possible/);
    expect(page).toContain(`4 ${upn.otherPupil} UPN: No pupil with UPN ${upn.otherPupil} is in the school`);
    expect(page).toContain('5 <script>alert(1)</script> UPN "<script>alert(1)</script>" must be 13 characters');
    expect(res.body).not.toContain('<script>alert(1)</script>');
    expect(page).toContain('6 Leo Mensah');
    expect(page).toContain('Sessions Possible "12O" must be a whole number of sessions');
    expect(page).toContain(`7 Jakub Nowak (${upn.kuba}) UPN: UPN ${upn.kuba} is already on line 2 of this file`);
    expect(page).toContain('8 Aleksandra Nowak');
    expect(page).toContain('Sessions possible must be at least 1');
    expect(page).toContain('9 Ayaan Warsame');
    expect(page).toContain('add up to more than the 100 sessions possible');
    expect(res.body).toMatch(/name="as_of-day"[^>]*value="27"/); // the date typed is kept
    expect(await counts()).toEqual({ imports: 0, figures: 0 });
  });

  it('says what is wrong with the form or the whole file beside the field', async () => {
    const office = await t.as('staff', t.fx.staff.office);
    const noDate = await office.upload(
      '/attendance/import',
      { 'as_of-day': '', 'as_of-month': '', 'as_of-year': '' },
      { field: 'file', name: 'a.csv', content: `UPN,Possible,Attended\n${upn.kuba},10,9\n` },
    );
    expect(noDate.statusCode).toBe(400);
    expect(noDate.body).toContain('href="#as_of-day"');
    const future = await office.upload('/attendance/import', asOf('2026-12-25'), { field: 'file', name: 'a.csv', content: `UPN,Possible,Attended\n${upn.kuba},10,9\n` });
    expect(text(future.body)).toContain('must be today or in the past');
    const columns = await office.upload('/attendance/import', asOf('2026-11-27'), { field: 'file', name: 'a.csv', content: `UPN,Forename\n${upn.kuba},Kuba\n` });
    expect(text(columns.body)).toContain('The attendance file is missing required columns: "Sessions Possible", "Sessions Attended"');
    const quote = await office.upload('/attendance/import', asOf('2026-11-27'), { field: 'file', name: 'a.csv', content: `UPN,Possible,Attended\n${upn.kuba},10,9\n"${upn.lily},10,9\n` });
    expect(text(quote.body)).toContain('Line 3: a quoted value is never closed');
    const short = await office.upload('/attendance/import', asOf('2026-11-27'), { field: 'file', name: 'a.csv', content: `UPN,Possible,Attended\n${upn.kuba},10\n,10,9\n` });
    expect(text(short.body)).toContain('2 Jakub Nowak');
    expect(text(short.body)).toContain('Attended: Enter the number of sessions');
    expect(text(short.body)).toContain('UPN: Enter the pupil’s UPN');
    const empty = await office.upload('/attendance/import', asOf('2026-11-27'), { field: 'file', name: 'a.csv', content: '' });
    expect(text(empty.body)).toContain('Select the attendance CSV file');
    expect(await counts()).toEqual({ imports: 0, figures: 0 });
  });

  it('shows a good file before saving it, saves it once, and audits each figure', async () => {
    const office = await t.as('staff', t.fx.staff.office);
    const csv = [
      'Pupil UPN,Possible Sessions,Present,Authorised,Unauthorised,Surname',
      `${upn.kuba},120,106,10,4,Nowak`, // 88.3%
      `${upn.lily},120,108,,,Dean`, // 90.0%: persistent
      `${upn.leo},120,60,,,Mensah`, // 50.0%: severe
      `${upn.ola},120,119,,,Nowak`, // 99.2%
      `${upn.ayaan},120,40,,,Warsame`, // 33.3%: severe
    ].join('\r\n');
    const res = await office.upload('/attendance/import', asOf('2026-11-27'), { field: 'file', name: 'autumn.csv', content: `\uFEFF${csv}\r\n` });
    expect(res.statusCode).toBe(303);
    const checkUrl = res.headers.location as string;
    expect(await counts()).toEqual({ imports: 1, figures: 0 });
    const check = text((await office.get(checkUrl)).body);
    expect(check).toContain('autumn.csv : 5 pupils, as of 27 November 2026. 4 at or below 90%.');
    expect(check).toContain('Columns not used: Surname.');
    expect(check).toContain('Jakub Nowak');
    expect(check).toContain('88.3% (90% or below)');
    expect(check).toContain('90.0% (90% or below)');
    expect(check).toContain('99.2%');
    const saved = await office.post(`${checkUrl}/save`);
    expect(saved.statusCode).toBe(303);
    expect(text((await office.get(saved.headers.location as string)).body)).toContain('Attendance figures saved 5 pupils, as of 27 November 2026');
    expect(await counts()).toEqual({ imports: 1, figures: 5 });
    const again = await office.post(`${checkUrl}/save`);
    expect(again.statusCode).toBe(409);
    expect(text(again.body)).toContain('These figures have already been saved. Nothing has been saved twice.');
    expect(await counts()).toEqual({ imports: 1, figures: 5 });
    const kuba = await t.db.selectFrom('attendance_figures').selectAll().where('pupil_id', '=', t.fx.pupils.kuba).executeTakeFirstOrThrow();
    expect(kuba).toMatchObject({ as_of: '2026-11-27', sessions_possible: 120, sessions_attended: 106, authorised_absences: 10, unauthorised_absences: 4 });
    const audits = await t.db.selectFrom('audit_log').select(['action', 'actor_id']).where('action', 'like', 'attendance.%').execute();
    expect(audits.filter((a) => a.action === 'attendance.figure_added')).toHaveLength(5);
    expect(audits.filter((a) => a.action === 'attendance.imported')).toHaveLength(1);
    expect(audits.every((a) => a.actor_id === t.fx.staff.office)).toBe(true);
  });

  it('lists pupils at or below 90%, severe absence first, with a way to offer a meeting', async () => {
    const head = await t.as('staff', t.fx.staff.head);
    const res = await head.get('/attendance');
    expect(res.statusCode).toBe(200);
    const page = text(res.body);
    expect(page).toContain('as of 27 November 2026');
    expect(page).toContain('4 of the 5 pupils you can see are at or below 90%, 2 of them at 50% or below.');
    const order = ['Ayaan Warsame', 'Leo Mensah', 'Jakub Nowak', 'Lily Dean'].map((n) => page.indexOf(n));
    expect(order.every((at) => at > 0)).toBe(true);
    expect(order).toEqual([...order].sort((a, b) => a - b));
    expect(page).not.toContain('Aleksandra Nowak');
    expect(page).toContain('33.3% over the year 40 of 120 Severe absence');
    expect(page).toContain('90.0% over the year 108 of 120 Persistent absence');
    expect(page).toContain('Offer support: arrange a meeting');
    expect(res.body).toContain(`href="/meetings/new?pupil=${t.fx.pupils.kuba}&amp;purpose=attendance&amp;topic=Attendance%3A%20how%20we%20can%20help"`);
    expect(page).toContain('Families have not been sent these figures yet: tell families about attendance .');
    // The meetings form takes the suggested topic, to change if they like.
    const form = await head.get(`/meetings/new?pupil=${t.fx.pupils.kuba}&purpose=attendance&topic=Attendance%3A%20how%20we%20can%20help`);
    expect(form.body).toMatch(/name="topic"[^>]*value="Attendance: how we can help"/);
  });

  it('shows a teacher only the pupils of their class, and refuses those who do not follow attendance', async () => {
    const teacher = text((await (await t.as('staff', t.fx.staff.teacher)).get('/attendance')).body);
    expect(teacher).toContain('2 of the 2 pupils you can see are at or below 90%.');
    expect(teacher).toContain('Jakub Nowak');
    expect(teacher).not.toContain('Leo Mensah');
    expect(teacher).not.toContain('Import newer figures');
    for (const who of [t.fx.staff.governor, t.fx.staff.dsl]) expect((await (await t.as('staff', who)).get('/attendance')).statusCode).toBeGreaterThanOrEqual(403);
    expect((await (await t.as('staff', t.fx.staff.teacher)).get('/attendance/import')).statusCode).toBeGreaterThanOrEqual(403);
  });

  it('says when a meeting about attendance is arranged', async () => {
    const starts = '2026-12-10T15:30:00.000Z';
    await t.db
      .insertInto('meetings')
      .values({
        id: '019a0000-0000-7000-8000-00000000a7a1',
        school_id: t.fx.school.id,
        kind: 'appointment',
        status: 'scheduled',
        topic: 'Checking in with the family',
        purpose: 'attendance',
        outline: null,
        pupil_id: t.fx.pupils.leo,
        urgent: 0,
        preferred_times: null,
        mode: 'in_person',
        interpreter_language: null,
        interpreter_by: null,
        starts_at: starts,
        ends_at: '2026-12-10T16:00:00.000Z',
        place: null,
        video_link: null,
        evening_booking_id: null,
        requested_by_carer_id: null,
        possibly_difficult: 0,
        outcome: null,
        follow_up_on: null,
        follow_up_done_at: null,
        summary_sent_at: null,
        summary_version: null,
        referred_to: null,
        referred_at: null,
        referral_note: null,
        outcome_marked_by: null,
        outcome_marked_at: null,
        referral_marked_by: null,
        referral_marked_at: null,
        created_by_kind: 'staff',
        created_by_id: t.fx.staff.head,
        created_at: NOW.toISOString(),
        updated_at: NOW.toISOString(),
      })
      .execute();
    // A meeting that only mentions attendance in its topic was not arranged from the list: Ayaan is still offered one.
    await t.db
      .insertInto('meetings')
      .values({
        ...(await t.db.selectFrom('meetings').selectAll().where('id', '=', '019a0000-0000-7000-8000-00000000a7a1').executeTakeFirstOrThrow()),
        id: '019a0000-0000-7000-8000-00000000a7a2',
        topic: 'Attendance at the swimming club',
        purpose: null,
        pupil_id: t.fx.pupils.ayaan,
      })
      .execute();
    const page = text((await (await t.as('staff', t.fx.staff.family_liaison)).get('/attendance')).body);
    expect(page).toMatch(/Leo Mensah.*50\.0%.*Meeting arranged for 10 December 2026/);
    expect(page).toMatch(/Ayaan Warsame.*Offer support: arrange a meeting/);
  });

  it('knows a meeting arranged from its link is about attendance, whatever the topic is changed to', async () => {
    const head = await t.as('staff', t.fx.staff.head);
    const list = await head.get('/attendance');
    const ayaanUrl = `/meetings/new?pupil=${t.fx.pupils.ayaan}&purpose=attendance&topic=${encodeURIComponent('Attendance: how we can help')}`;
    expect(list.body.replace(/&amp;/g, '&')).toContain(ayaanUrl);
    const form = await head.get(ayaanUrl);
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('name="purpose" value="attendance"');
    expect(text(form.body)).toContain('the attendance list will show it as arranged');
    const formId = /name="form_id" value="([^"]+)"/.exec(form.body)![1]!;
    const carer = await t.db.selectFrom('carer_pupils').select('carer_id').where('pupil_id', '=', t.fx.pupils.ayaan).executeTakeFirstOrThrow();
    const fields = {
      form_id: formId,
      pupil_id: t.fx.pupils.ayaan,
      purpose: 'attendance',
      kind: 'appointment',
      topic: 'How Ayaan is getting on',
      carer_ids: [carer.carer_id],
      lead_id: t.fx.staff.head,
      date: '2026-12-09',
      time: '15:30',
      minutes: '30',
      mode: 'phone',
    };
    // A mistake keeps the purpose with the form.
    const wrong = await head.post('/meetings/new', { ...fields, time: '' });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.body).toContain('name="purpose" value="attendance"');
    const made = await head.post('/meetings/new', fields);
    expect(made.statusCode).toBe(303);
    const stored = await t.db.selectFrom('meetings').select(['topic', 'purpose']).where('id', '=', formId).executeTakeFirstOrThrow();
    expect(stored).toEqual({ topic: 'How Ayaan is getting on', purpose: 'attendance' });
    const audit = await t.db.selectFrom('audit_log').select('after_json').where('action', '=', 'meeting.scheduled').where('entity_id', '=', formId).executeTakeFirstOrThrow();
    expect(JSON.parse(audit.after_json!)).toMatchObject({ purpose: 'attendance' });
    expect(text((await head.get('/attendance')).body)).toMatch(/Ayaan Warsame.*Meeting arranged for 9 December 2026/);
    // Anything else in ?purpose= is not kept.
    expect((await head.get(`/meetings/new?pupil=${t.fx.pupils.ayaan}&purpose=other`)).body).not.toContain('name="purpose"');
    // Cancelled: the list offers a meeting again.
    await t.db.updateTable('meetings').set({ status: 'cancelled' }).where('id', '=', formId).execute();
    expect(text((await head.get('/attendance')).body)).toMatch(/Ayaan Warsame.*Offer support: arrange a meeting/);
  });

  it('tells a carer their own child’s figure in their language, with a kind line at or below 90%', async () => {
    const marta = await t.as('carer', t.fx.carers.marta);
    const kuba = text((await marta.get(`/children/${t.fx.pupils.kuba}`)).body);
    expect(kuba).toContain('Jakub has been in school 88.3% of the time this school year (as of 27 November 2026).');
    expect(kuba).toContain('The school will get in touch to see how we can help.');
    expect(kuba).toContain('You can talk to Mr Okafor or the school office at any time.');
    expect(kuba).toContain('Ask for a meeting');
    const ola = text((await marta.get(`/children/${t.fx.pupils.ola}`)).body);
    expect(ola).toContain('Aleksandra has been in school 99.2% of the time');
    expect(ola).not.toContain('get in touch');
    const polish = text((await (await t.as('carer', t.fx.carers.marta, undefined, { ownLanguage: true })).get(`/children/${t.fx.pupils.kuba}`)).body);
    expect(polish).toContain(': obecność w szkole w tym roku szkolnym wynosi 88,3% (stan na 27 listopada 2026).');
    expect(polish).toContain('Obecność w szkole Jakub');
    expect(polish).toContain('Szkoła skontaktuje się z Państwem');
    // Tomasz lives apart and has parental responsibility: he may hear about Kuba on his pages.
    expect(text((await (await t.as('carer', t.fx.carers.tomasz)).get(`/children/${t.fx.pupils.kuba}`)).body)).toContain('88.3%');
  });

  it('shows each child’s latest figure on their carer’s home page, with the kind line at or below 90%', async () => {
    const home = text((await (await t.as('carer', t.fx.carers.marta)).get('/')).body);
    expect(home).toContain('Jakub has been in school 88.3% of the time this school year (as of 27 November 2026). Every day in school helps Jakub');
    expect(home).toContain('You can talk to Mr Okafor or the school office at any time. Ask for a meeting');
    expect(home).toContain('Aleksandra has been in school 99.2% of the time this school year (as of 27 November 2026).');
    expect(home.match(/get in touch/g)).toHaveLength(1);
    const polish = text((await (await t.as('carer', t.fx.carers.marta, undefined, { ownLanguage: true })).get('/')).body);
    expect(polish).toContain(': obecność w szkole w tym roku szkolnym wynosi 88,3% (stan na 27 listopada 2026).');
    expect(polish).toContain('Szkoła skontaktuje się z Państwem');
    // Sarah reads Lily's; Mark, under a court order about Lily, reads nothing of it (the query itself leaves her out).
    expect(text((await (await t.as('carer', t.fx.carers.sarah)).get('/')).body)).toContain('Lily has been in school 90% of the time');
    const mark = (await (await t.as('carer', t.fx.carers.mark)).get('/')).body;
    expect(mark).not.toContain('has been in school');
    const forMark = await attendanceOfCarersChildren(t.db, { schoolId: t.fx.school.id, carerId: t.fx.carers.mark, today: '2026-12-07' });
    expect(forMark.size).toBe(0);
    const forSarah = await attendanceOfCarersChildren(t.db, { schoolId: t.fx.school.id, carerId: t.fx.carers.sarah, today: '2026-12-07' });
    expect(forSarah.get(t.fx.pupils.lily)).toMatchObject({ share: 0.9, band: 'persistent', asOf: '2026-11-27' });
  });

  it('never tells a carer about a child a restriction keeps from them', async () => {
    const mark = await t.as('carer', t.fx.carers.mark);
    const page = await mark.get(`/children/${t.fx.pupils.lily}`);
    expect(page.statusCode).toBe(404);
    expect(page.body).not.toContain('90.0%');
    expect(await attendanceForCarer(t.db, { schoolId: t.fx.school.id, carerId: t.fx.carers.mark, pupilId: t.fx.pupils.lily, today: '2026-12-07' })).toBeNull();
    expect(await attendanceForCarer(t.db, { schoolId: t.fx.school.id, carerId: t.fx.carers.sarah, pupilId: t.fx.pupils.lily, today: '2026-12-07' })).toMatchObject({ share: 0.9, band: 'persistent' });
    // Not a carer of the child at all.
    expect(await attendanceForCarer(t.db, { schoolId: t.fx.school.id, carerId: t.fx.carers.marta, pupilId: t.fx.pupils.lily, today: '2026-12-07' })).toBeNull();
  });

  it('tells each family their own child’s figure once, in their language, and nothing to a carer a restriction stops', async () => {
    const office = await t.as('staff', t.fx.staff.office);
    const first = await t.db.selectFrom('attendance_imports').select('id').where('as_of', '=', '2026-11-27').executeTakeFirstOrThrow();
    const told = await office.post(`/attendance/import/${first.id}/tell-families`);
    expect(told.statusCode).toBe(303);
    expect(text((await office.get(told.headers.location as string)).body)).toContain('Families were sent their child’s figure on 7 December 2026');
    const messages = await t.db.selectFrom('messages').select(['id', 'subject', 'body', 'audience_json']).where('kind', '=', 'individual').execute();
    expect(messages).toHaveLength(5);
    const kuba = messages.find((m) => m.audience_json.includes(t.fx.pupils.kuba))!;
    expect(kuba.subject).toBe('Attendance: Jakub');
    expect(kuba.body).toContain('Jakub has been in school 88.3% of the time this school year (as of 27 November 2026).');
    expect(kuba.body).toContain('The school will get in touch to see how we can help.');
    const recipientsOf = async (messageId: string) => (await t.db.selectFrom('message_recipients').select('carer_id').where('message_id', '=', messageId).execute()).map((r) => r.carer_id).sort();
    expect(await recipientsOf(kuba.id)).toEqual([t.fx.carers.marta, t.fx.carers.tomasz].sort());
    // Lily's figure goes to Sarah; Mark, under a court order, is sent nothing.
    const lily = messages.find((m) => m.audience_json.includes(t.fx.pupils.lily))!;
    expect(await recipientsOf(lily.id)).toEqual([t.fx.carers.sarah]);
    expect(await t.db.selectFrom('message_recipients').select('id').where('carer_id', '=', t.fx.carers.mark).execute()).toEqual([]);
    // Marta's email is in Polish, with the English beneath; it waits in the outbox.
    const marta = await t.db.selectFrom('carers').select('email').where('id', '=', t.fx.carers.marta).executeTakeFirstOrThrow();
    const emails = await t.db.selectFrom('outbox').select('payload_json').where('recipient', '=', marta.email!).execute();
    const toMarta = emails.map((e) => JSON.parse(e.payload_json) as { subject: string; text: string }).find((e) => e.text.includes('88,3%'))!;
    expect(toMarta.text).toContain('obecność w szkole w tym roku szkolnym wynosi 88,3% (stan na 27 listopada 2026).');
    expect(toMarta.text).toContain('Jakub has been in school 88.3%');
    // A second press sends nothing twice.
    const again = await office.post(`/attendance/import/${first.id}/tell-families`);
    expect(again.statusCode).toBe(409);
    expect(text(again.body)).toContain('Families have already been told about these figures. Nothing has been sent twice.');
    expect(await t.db.selectFrom('messages').select('id').where('kind', '=', 'individual').execute()).toHaveLength(5);
    const audit = await t.db.selectFrom('audit_log').select('after_json').where('action', '=', 'attendance.families_told').executeTakeFirstOrThrow();
    expect(JSON.parse(audit.after_json!)).toMatchObject({ children: 5 });
  });

  it('keeps each import, and shows the newest figures', async () => {
    const office = await t.as('staff', t.fx.staff.office);
    const res = await office.upload('/attendance/import', asOf('2026-12-04'), { field: 'file', name: 'week.csv', content: `UPN,Possible,Attended\n${upn.kuba},130,118\n` });
    expect(res.statusCode).toBe(303);
    expect((await office.post(`${res.headers.location as string}/save`)).statusCode).toBe(303);
    expect(await counts()).toEqual({ imports: 2, figures: 6 });
    const kuba = text((await (await t.as('carer', t.fx.carers.marta)).get(`/children/${t.fx.pupils.kuba}`)).body);
    expect(kuba).toContain('Jakub has been in school 90.8% of the time this school year (as of 4 December 2026).');
    expect(kuba).not.toContain('get in touch');
    // The home page reads the newest figure too (the older import's 88.3% is not shown).
    const home = text((await (await t.as('carer', t.fx.carers.marta)).get('/')).body);
    expect(home).toContain('Jakub has been in school 90.8% of the time this school year (as of 4 December 2026).');
    expect(home).not.toContain('88.3%');
    // The list is the latest import: only Kuba is in it, and he is above 90% now.
    const list = text((await office.get('/attendance')).body);
    expect(list).toContain('as of 4 December 2026');
    expect(list).toContain('No pupil you can see is at or below 90%.');
    const imports = text((await office.get('/attendance/import')).body);
    // Kuba's figures over the year, newest first, with the change since the figure before.
    const history = text((await office.get(`/attendance/pupils/${t.fx.pupils.kuba}`)).body);
    expect(history).toContain('Jakub Nowak: attendance');
    expect(history).toMatch(/4 December 2026 118 of 130 90\.8% Up 2\.5 points 27 November 2026 106 of 120 88\.3% Persistent absence/);
    expect(list).not.toContain('Offer support');
    // A teacher sees the history of a pupil of their class only.
    const teacher = await t.as('staff', t.fx.staff.teacher);
    expect((await teacher.get(`/attendance/pupils/${t.fx.pupils.kuba}`)).statusCode).toBe(200);
    expect((await teacher.get(`/attendance/pupils/${t.fx.pupils.leo}`)).statusCode).toBe(404);
    expect(imports.indexOf('4 December 2026')).toBeLessThan(imports.indexOf('27 November 2026'));
  });

  it('after a stop part-way, pressing again sends the rest and nothing twice', async () => {
    const office = await t.as('staff', t.fx.staff.office);
    const res = await office.upload('/attendance/import', asOf('2026-12-05'), {
      field: 'file',
      name: 'friday.csv',
      content: `UPN,Possible,Attended\n${upn.kuba},132,120\n${upn.lily},132,110\n${upn.leo},132,131\n`,
    });
    const importPage = res.headers.location as string;
    expect((await office.post(`${importPage}/save`)).statusCode).toBe(303);
    const importId = importPage.split('/').pop()!;
    const figure = async (pupilId: string) =>
      t.db.selectFrom('attendance_figures').select(['id', 'told_message_id']).where('import_id', '=', importId).where('pupil_id', '=', pupilId).executeTakeFirstOrThrow();
    // As a press left it when the server stopped: Lily's message sent, Kuba's written and claimed but not sent, Leo's not begun.
    const message = async (pupilId: string, status: 'draft' | 'sent') => {
      const id = newId();
      const at = NOW.toISOString();
      await t.db
        .insertInto('messages')
        .values({
          id,
          school_id: t.fx.school.id,
          kind: 'individual',
          tone: 'information',
          subject: 'Attendance',
          body: 'Figure',
          audience_json: JSON.stringify({ kind: 'pupils', pupilIds: [pupilId] }),
          asks_acknowledgement: 0,
          status,
          scheduled_for: null,
          sent_at: status === 'sent' ? at : null,
          created_by: t.fx.staff.office,
          created_at: at,
          updated_at: at,
        })
        .execute();
      await t.db
        .updateTable('attendance_figures')
        .set({ told_message_id: id })
        .where('id', '=', (await figure(pupilId)).id)
        .execute();
      return id;
    };
    const lilysMessage = await message(t.fx.pupils.lily, 'sent');
    const kubasDraft = await message(t.fx.pupils.kuba, 'draft');
    const before = await t.db.selectFrom('messages').select('id').where('kind', '=', 'individual').execute();

    const again = await office.post(`${importPage}/tell-families`);
    expect(again.statusCode).toBe(303);
    // Kuba's draft is sent as it was (no second message for him); Leo gets his; Lily's is not sent again.
    const kuba = await t.db.selectFrom('messages').select(['status']).where('id', '=', kubasDraft).executeTakeFirstOrThrow();
    expect(kuba.status).toBe('sent');
    expect((await t.db.selectFrom('message_recipients').select('carer_id').where('message_id', '=', kubasDraft).execute()).length).toBe(2); // Marta and Tomasz
    const leo = await figure(t.fx.pupils.leo);
    expect(leo.told_message_id).not.toBeNull();
    expect((await t.db.selectFrom('messages').select('status').where('id', '=', leo.told_message_id!).executeTakeFirstOrThrow()).status).toBe('sent');
    expect(await t.db.selectFrom('message_recipients').select('id').where('message_id', '=', lilysMessage).execute()).toEqual([]);
    expect((await t.db.selectFrom('messages').select('id').where('kind', '=', 'individual').execute()).length).toBe(before.length + 1);
    const audit = await t.db.selectFrom('audit_log').select('after_json').where('action', '=', 'attendance.families_told').where('entity_id', '=', importId).executeTakeFirstOrThrow();
    expect(JSON.parse(audit.after_json!)).toMatchObject({ children: 2 });
    // Done now: another press sends nothing.
    expect((await office.post(`${importPage}/tell-families`)).statusCode).toBe(409);
  });
});

describe.each(dialects)('telling families by text, through the messages feature, on %s', (dialect) => {
  let t: TestApp;
  let fake: FakeSms;
  beforeAll(async () => {
    fake = await startFakeSms();
    t = await startTestApp(dialect, { clock: () => NOW, env: fake.env });
  });
  afterAll(async () => {
    await t?.close();
    await fake?.close();
  });

  it('texts a carer with only a mobile a short link, as every individual message reaches them when the school chose texts', async () => {
    // Faduma has a mobile and no email; here she has not asked for paper. The school chose texts for such carers.
    await t.db.updateTable('carers').set({ paper_copies: 0 }).where('id', '=', t.fx.carers.faduma).execute();
    await t.db.updateTable('schools').set({ mobile_only_letters: 'text' }).where('id', '=', t.fx.school.id).execute();
    const ayaan = await t.db.selectFrom('pupils').select('upn').where('id', '=', t.fx.pupils.ayaan).executeTakeFirstOrThrow();
    const office = await t.as('staff', t.fx.staff.office);
    const checked = await office.upload('/attendance/import', asOf('2026-11-27'), { field: 'file', name: 'a.csv', content: `UPN,Possible,Attended\n${ayaan.upn},120,100\n` });
    expect(checked.statusCode).toBe(303);
    const importPage = checked.headers.location as string;
    expect((await office.post(`${importPage}/save`)).statusCode).toBe(303);
    expect((await office.post(`${importPage}/tell-families`)).statusCode).toBe(303);

    const message = await t.db.selectFrom('messages').select(['id', 'subject']).where('kind', '=', 'individual').executeTakeFirstOrThrow();
    expect(message.subject).toBe('Attendance: Ayaan');
    const faduma = await t.db
      .selectFrom('message_recipients')
      .select(['channels', 'read_token'])
      .where('message_id', '=', message.id)
      .where('carer_id', '=', t.fx.carers.faduma)
      .executeTakeFirstOrThrow();
    expect(faduma.channels.split(',')).toContain('sms');
    const texts = await t.db.selectFrom('outbox').select(['recipient', 'payload_json']).where('channel', '=', 'sms').execute();
    expect(texts.map((x) => x.recipient)).toEqual(['07700900005']);
    const sms = (JSON.parse(texts[0]!.payload_json) as { text: string }).text;
    expect(sms).toContain(`/m/${faduma.read_token}`);
    expect(sms).not.toContain('83.3'); // the figure itself is read behind the link, not in the text
    await t.worker.drain();
    expect(fake.received.map((r) => r.to)).toEqual(['+447700900005']);
    // The link opens the figure, in Somali, her language.
    const opened = await t.app.inject({ method: 'GET', url: `/m/${faduma.read_token}` });
    expect(opened.statusCode).toBe(200);
    expect(text(opened.body)).toContain('Imaanshaha Ayaan ee dugsiga sannad-dugsiyeedkan waa 83.3% (ilaa Noofeembar 27, 2026).');
  });
});

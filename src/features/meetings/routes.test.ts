import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dialects } from '../../../test/support/db.ts';
import { startTestApp, type TestApp } from '../../../test/support/app.ts';
import { newId } from '../../platform/ids.ts';
import { emailsTo, formIdIn, idFrom } from './meetings-test-support.ts';

const NOW = new Date('2026-11-23T09:00:00.000Z'); // Monday, GMT

describe.each(dialects)('staff arrange meetings on %s', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(dialect, { clock: () => NOW });
  });
  afterAll(async () => t?.close());

  const meetingRow = (id: string) => t.db.selectFrom('meetings').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

  async function newForm(staffKey: keyof TestApp['fx']['staff'], pupilId: string) {
    const client = await t.as('staff', t.fx.staff[staffKey]);
    const page = await client.get(`/meetings/new?pupil=${pupilId}`);
    expect(page.statusCode).toBe(200);
    return { client, page, formId: formIdIn(page.body) };
  }

  it('lets a teacher choose only children in their class, and offers only family members who may come', async () => {
    const okafor = await t.as('staff', t.fx.staff.teacher);
    const choose = await okafor.get('/meetings/new');
    expect(choose.body).toContain(`/meetings/new?pupil=${t.fx.pupils.kuba}`);
    expect(choose.body).toContain(`/meetings/new?pupil=${t.fx.pupils.lily}`);
    expect(choose.body).not.toContain(t.fx.pupils.leo);
    expect((await okafor.get(`/meetings/new?pupil=${t.fx.pupils.leo}`)).statusCode).toBe(404);
    expect((await okafor.get(`/meetings/new?pupil=${t.fx.pupils.otherPupil}`)).statusCode).toBe(404);

    const { page } = await newForm('teacher', t.fx.pupils.lily);
    expect(page.body).toContain(`value="${t.fx.carers.sarah}"`);
    expect(page.body).not.toContain(t.fx.carers.mark);
    expect(page.body).not.toContain('Mark');
  });

  it('refuses a home visit with one member of staff, the past, and times the clocks skip or repeat, keeping what was typed', async () => {
    const { client, formId } = await newForm('teacher3', t.fx.pupils.ola);
    const base = {
      form_id: formId,
      pupil_id: t.fx.pupils.ola,
      kind: 'home_visit',
      topic: 'Starting in Reception',
      carer_ids: t.fx.carers.marta,
      lead_id: t.fx.staff.teacher3,
      date: '2026-12-02',
      time: '10:00',
      minutes: '45',
      mode: 'in_person',
      place: '12 High Street',
    };
    const alone = await client.post('/meetings/new', base);
    expect(alone.statusCode).toBe(400);
    expect(alone.body).toContain('A home visit needs two members of staff');
    expect(alone.body).toContain('value="Starting in Reception"');
    expect(alone.body).toContain('value="12 High Street"');

    const self = await client.post('/meetings/new', { ...base, colleague_id: t.fx.staff.teacher3 });
    expect(self.body).toContain('Choose a colleague who is not the person leading the meeting');
    const past = await client.post('/meetings/new', { ...base, colleague_id: t.fx.staff.family_liaison, date: '2026-11-20' });
    expect(past.body).toContain('The meeting must be in the future');
    const skipped = await client.post('/meetings/new', { ...base, colleague_id: t.fx.staff.family_liaison, date: '2027-03-28', time: '01:30' });
    expect(skipped.body).toContain('The clocks go forward on 28 March 2027, so 01:30 does not exist that day: choose another time');
    const twice = await client.post('/meetings/new', { ...base, colleague_id: t.fx.staff.family_liaison, date: '2027-10-31', time: '01:15' });
    expect(twice.body).toContain('The clocks go back on 31 October 2027, so 01:15 happens twice that day');
    const nobody = await client.post('/meetings/new', { ...base, colleague_id: t.fx.staff.family_liaison, carer_ids: [] });
    expect(nobody.body).toContain('Choose who from the family is coming');
    expect(await t.db.selectFrom('meetings').select('id').execute()).toEqual([]);
  });

  it('keeps a restricted father out even when his id is posted', async () => {
    const { client, formId } = await newForm('teacher', t.fx.pupils.lily);
    const res = await client.post('/meetings/new', {
      form_id: formId,
      pupil_id: t.fx.pupils.lily,
      kind: 'progress',
      topic: 'Lily’s progress',
      carer_ids: [t.fx.carers.sarah, t.fx.carers.mark],
      lead_id: t.fx.staff.teacher,
      date: '2026-12-02',
      time: '15:30',
      minutes: '20',
      mode: 'phone',
    });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('Choose from the family members shown');
    expect(await t.db.selectFrom('meeting_carers').select('carer_id').where('carer_id', '=', t.fx.carers.mark).execute()).toEqual([]);
    // Another teacher's pupil: 404, whatever the form says.
    const okafor = await t.as('staff', t.fx.staff.teacher);
    expect((await okafor.post('/meetings/new', { form_id: formId, pupil_id: t.fx.pupils.leo, kind: 'progress' })).statusCode).toBe(404);
  });

  it('arranges a home visit with two staff and the family liaison officer, once, and emails the family', async () => {
    const { client, formId } = await newForm('teacher3', t.fx.pupils.ola);
    const fields = {
      form_id: formId,
      pupil_id: t.fx.pupils.ola,
      kind: 'home_visit',
      topic: 'Starting in Reception',
      carer_ids: [t.fx.carers.marta, t.fx.carers.tomasz],
      lead_id: t.fx.staff.teacher3,
      colleague_id: t.fx.staff.senco,
      liaison: 'yes',
      date: '2026-12-02',
      time: '10:00',
      minutes: '45',
      mode: 'video',
      place: '12 High Street',
      interpreter_language: 'Polish',
      interpreter_by: 'staff',
      agenda: 'How Ola spends her day\r\n\r\nWhat she enjoys at home',
    };
    const made = await client.post('/meetings/new', fields);
    expect(made.statusCode).toBe(303);
    const again = await client.post('/meetings/new', fields);
    expect(again.headers.location).toBe(made.headers.location);
    const id = idFrom(made.headers.location);
    expect(await t.db.selectFrom('meetings').select('id').execute()).toHaveLength(1);

    const m = await meetingRow(id);
    expect(m).toMatchObject({
      kind: 'home_visit',
      status: 'scheduled',
      mode: 'in_person',
      place: '12 High Street',
      video_link: null,
      starts_at: '2026-12-02T10:00:00.000Z',
      ends_at: '2026-12-02T10:45:00.000Z',
      created_by_kind: 'staff',
      interpreter_language: 'Polish',
    });
    const staff = await t.db.selectFrom('meeting_staff').select(['staff_id', 'role']).where('meeting_id', '=', id).orderBy('role').execute();
    expect(staff).toEqual([
      { staff_id: t.fx.staff.senco, role: 'colleague' },
      { staff_id: t.fx.staff.teacher3, role: 'lead' },
      { staff_id: t.fx.staff.family_liaison, role: 'liaison' },
    ]);
    const agenda = await t.db.selectFrom('meeting_agenda_items').select('text').where('meeting_id', '=', id).orderBy('created_at').execute();
    expect(agenda.map((a) => a.text)).toEqual(['How Ola spends her day', 'What she enjoys at home']);
    for (const address of ['marta@families.test', 'tomasz@families.test']) {
      const mail = (await emailsTo(t, address)).find((e) => e.key === `email:scheduled:${id}:${address === 'marta@families.test' ? t.fx.carers.marta : t.fx.carers.tomasz}`)!;
      // Marta reads Polish (the English beneath it); Tomasz reads English.
      expect(mail.subject).toBe(address === 'marta@families.test' ? 'Wizyta domowa w sprawie: Aleksandra, 2 grudnia 2026 10:00' : 'Home visit about Aleksandra: 2 December 2026 at 10:00am');
      expect(mail.text).toContain('Ms Bell has arranged a meeting with you');
      expect(mail.text).toContain('Where: 12 High Street');
    }
    expect((await emailsTo(t, 'lewis@brookfield.test')).map((e) => e.subject)).toEqual(['You are part of a meeting about Aleksandra Nowak on 2 December 2026 at 10:00am']);
    expect(await emailsTo(t, 'bell@brookfield.test')).toEqual([]);
    expect((await t.db.selectFrom('audit_log').select('action').where('entity_id', '=', id).execute()).map((a) => a.action)).toEqual(['meeting.scheduled']);

    const page = await client.get(`/meetings/${id}?done=scheduled`);
    expect(page.body).toContain('The meeting is arranged');
    expect(page.body).toContain('2 December 2026 at 10:00am');
    expect(page.body).toContain(`href="/meetings/${id}/record"`);
    expect(page.body).toContain(`href="/meetings/${id}/calendar.ics"`);
    expect(page.body).toContain('Mark it possibly difficult');
    // The family liaison officer sees it (she is on it); Mr Okafor (not Ola's teacher) does not.
    expect((await (await t.as('staff', t.fx.staff.family_liaison)).get('/meetings')).body).toContain(`/meetings/${id}`);
    expect((await (await t.as('staff', t.fx.staff.teacher)).get(`/meetings/${id}`)).statusCode).toBe(404);
    const marta = await t.as('carer', t.fx.carers.marta);
    const mine = await marta.get(`/my-meetings/${id}`);
    expect(mine.body).toContain('How Ola spends her day');
    expect(mine.body).toContain('2 December 2026 at 10:00am');
  });

  it('puts a meeting on the day after the clocks go forward at the right hour', async () => {
    const { client, formId } = await newForm('teacher', t.fx.pupils.kuba);
    const res = await client.post('/meetings/new', {
      form_id: formId,
      pupil_id: t.fx.pupils.kuba,
      kind: 'progress',
      topic: 'Spring progress',
      carer_ids: t.fx.carers.tomasz,
      lead_id: t.fx.staff.teacher,
      date: '2027-03-29',
      time: '18:00',
      minutes: '15',
      mode: 'video',
      video_link: 'https://meet.example/okafor',
    });
    expect(res.statusCode).toBe(303);
    const m = await meetingRow(idFrom(res.headers.location));
    expect(m.starts_at).toBe('2027-03-29T17:00:00.000Z');
    expect(m.video_link).toBe('https://meet.example/okafor');
    const page = await client.get(`/meetings/${m.id}`);
    expect(page.body).toContain('29 March 2027 at 6:00pm');
    const list = await client.get('/meetings');
    expect(list.body).toContain('Spring progress');
  });

  it('cancels a meeting once however often it is pressed, telling the family why', async () => {
    const { client, formId } = await newForm('teacher', t.fx.pupils.kuba);
    const made = await client.post('/meetings/new', {
      form_id: formId,
      pupil_id: t.fx.pupils.kuba,
      kind: 'appointment',
      topic: 'Swimming kit',
      carer_ids: t.fx.carers.marta,
      lead_id: t.fx.staff.teacher,
      date: '2026-12-04',
      time: '15:30',
      minutes: '15',
      mode: 'phone',
    });
    const id = idFrom(made.headers.location);
    const empty = await client.post(`/meetings/${id}/cancel`, { reason: ' ' });
    expect(empty.statusCode).toBe(400);
    expect(empty.body).toContain('Enter a reason to give the family');
    const done = await client.post(`/meetings/${id}/cancel`, { reason: 'I am on a course that day. I will offer you a new time.' });
    expect(done.statusCode).toBe(303);
    expect((await meetingRow(id)).status).toBe('cancelled');
    const twice = await client.post(`/meetings/${id}/cancel`, { reason: 'I am on a course that day. I will offer you a new time.' });
    expect(twice.headers.location).toBe(`/meetings/${id}?done=cancelled`);
    const mails = (await emailsTo(t, 'marta@families.test')).filter((e) => e.subject === 'Spotkanie odwołane: Swimming kit');
    expect(mails).toHaveLength(1);
    const mail = mails[0]!;
    expect(mail.text).toContain('4 December 2026 at 3:30pm has been cancelled');
    expect(mail.text).toContain('Mr Okafor says: I am on a course that day.');
    expect(mail.text).toContain('you can ask for a meeting in Gatepost at any time');
    const marta = await t.as('carer', t.fx.carers.marta);
    expect((await marta.get(`/my-meetings/${id}`)).body).toContain('Cancelled');
    const ics = await marta.get(`/my-meetings/${id}/calendar.ics`);
    expect(ics.body).toContain('STATUS:CANCELLED');
    const actions = await t.db.selectFrom('audit_log').select('action').where('entity_id', '=', id).orderBy('at').execute();
    expect(actions.map((a) => a.action)).toEqual(['meeting.scheduled', 'meeting.cancelled']);
    // A meeting that has happened stays as it was.
    await t.db.updateTable('meetings').set({ status: 'held' }).where('id', '=', id).execute();
    const held = await client.post(`/meetings/${id}/cancel`, { reason: 'Oops' });
    expect(held.statusCode).toBe(409);
    expect(held.body).toContain('This meeting cannot be cancelled: it has already happened.');
    expect((await meetingRow(id)).status).toBe('held');
  });

  it('lets a colleague open a meeting they hold an agreed action from, even about another class', async () => {
    const { client, formId } = await newForm('teacher', t.fx.pupils.kuba);
    const made = await client.post('/meetings/new', {
      form_id: formId,
      pupil_id: t.fx.pupils.kuba,
      kind: 'progress',
      topic: 'Maths',
      carer_ids: t.fx.carers.marta,
      lead_id: t.fx.staff.teacher,
      date: '2026-12-07',
      time: '15:30',
      minutes: '15',
      mode: 'phone',
    });
    const id = idFrom(made.headers.location);
    const hall = await t.as('staff', t.fx.staff.teacher2);
    expect((await hall.get(`/meetings/${id}`)).statusCode).toBe(404);
    await t.db
      .insertInto('meeting_actions')
      .values({
        id: newId(),
        school_id: t.fx.school.id,
        meeting_id: id,
        owner_kind: 'school',
        staff_id: t.fx.staff.teacher2,
        carer_id: null,
        what: 'Lend the Year 4 maths games',
        due_on: '2026-12-11',
        done_at: null,
        created_at: NOW.toISOString(),
      })
      .execute();
    expect((await hall.get(`/meetings/${id}`)).statusCode).toBe(200);
    expect((await hall.get('/meetings')).body).toContain(`/meetings/${id}`);
  });

  it('never shows a restricted father a meeting about his daughter, even one he was put on before the court order', async () => {
    const { client, formId } = await newForm('teacher', t.fx.pupils.lily);
    const made = await client.post('/meetings/new', {
      form_id: formId,
      pupil_id: t.fx.pupils.lily,
      kind: 'progress',
      topic: 'Lily’s reading',
      carer_ids: t.fx.carers.sarah,
      lead_id: t.fx.staff.teacher,
      date: '2026-12-08',
      time: '15:30',
      minutes: '15',
      mode: 'phone',
    });
    const id = idFrom(made.headers.location);
    await t.db.insertInto('meeting_carers').values({ meeting_id: id, carer_id: t.fx.carers.mark, school_id: t.fx.school.id, prep_help_staff_id: null, prep_help_asked_at: null }).execute();
    const mark = await t.as('carer', t.fx.carers.mark);
    expect((await mark.get(`/my-meetings/${id}`)).statusCode).toBe(404);
    expect((await mark.get(`/my-meetings/${id}/calendar.ics`)).statusCode).toBe(404);
    expect((await mark.post(`/my-meetings/${id}/questions`, { question: 'When?' })).statusCode).toBe(404);
    const list = await mark.get('/my-meetings');
    expect(list.statusCode).toBe(200);
    expect(list.body).not.toContain('Lily');
    expect(list.body).not.toContain(id);
    const sarah = await t.as('carer', t.fx.carers.sarah);
    expect((await sarah.get(`/my-meetings/${id}`)).statusCode).toBe(200);

    // Nor is he emailed about it: not the agenda, not the cancellation. Sarah is.
    const teacher = await t.as('staff', t.fx.staff.teacher);
    expect((await teacher.post(`/meetings/${id}/agenda`, { agenda_text: 'Counselling sessions', tell_family: 'yes' })).statusCode).toBe(303);
    expect((await teacher.post(`/meetings/${id}/cancel`, { reason: 'Mrs Dean asked to move it.' })).statusCode).toBe(303);
    const emails = await t.db.selectFrom('outbox').select(['recipient', 'payload_json']).where('payload_json', 'like', '%Lily%').execute();
    const to = (who: string) => emails.filter((e) => e.recipient === who).map((e) => (JSON.parse(e.payload_json) as { subject: string }).subject);
    expect(to('sarah@families.test')).toEqual(expect.arrayContaining(['The agenda for your meeting about Lily', 'Meeting cancelled: Lily’s reading']));
    expect(to('mark@families.test')).toEqual([]);
  });
});

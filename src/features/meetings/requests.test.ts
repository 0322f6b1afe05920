import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dialects } from '../../../test/support/db.ts';
import { startTestApp, type TestApp } from '../../../test/support/app.ts';
import { newId } from '../../platform/ids.ts';
import { alertsOf, emailsTo, formIdIn, idFrom, martaAsks } from './meetings-test-support.ts';

const NOW = new Date('2026-11-23T09:00:00.000Z'); // Monday, GMT

describe.each(dialects)('a carer asks for a meeting on %s', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(dialect, { clock: () => NOW });
  });
  afterAll(async () => t?.close());

  const meetingRow = (id: string) => t.db.selectFrom('meetings').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

  it('offers Marta only her own children, with her language already filled in', async () => {
    const marta = await t.as('carer', t.fx.carers.marta);
    const page = await marta.get('/my-meetings/request');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(`value="${t.fx.pupils.kuba}"`);
    expect(page.body).toContain(`value="${t.fx.pupils.ola}"`);
    expect(page.body).not.toContain(t.fx.pupils.lily);
    expect(page.body).toMatch(/govuk-radios__label[^>]*>\s*<bdi>[^<]+ Nowak<\/bdi>\s*<\/label>/); // each child's name isolated
    expect(page.body).toContain('value="Polish"');
    expect(page.body).toContain('During the school day');
    expect(page.body).toContain('In the evening');
  });

  it('says what is missing, keeps what was typed, and saves nothing', async () => {
    const marta = await t.as('carer', t.fx.carers.marta);
    const form = await marta.get('/my-meetings/request');
    const res = await marta.post('/my-meetings/request', { form_id: formIdIn(form.body), pupil_id: t.fx.pupils.kuba, topic: 'Spelling', interpreter: 'yes', interpreter_language: ' ' });
    expect(res.statusCode).toBe(400);
    for (const message of [
      'Enter a short outline',
      'Tell us when you could meet',
      'Choose how you would like to meet',
      'Enter the language the interpreter should speak',
      'Say whether it is urgent',
    ]) {
      expect(res.body).toContain(message);
    }
    expect(res.body).toContain('value="Spelling"');
    expect(res.body).toContain('There is a problem');
    expect(await t.db.selectFrom('meetings').select('id').execute()).toEqual([]);
  });

  it('records the request once however often it is sent, and alerts Kuba’s class teacher', async () => {
    const marta = await t.as('carer', t.fx.carers.marta);
    const form = await marta.get('/my-meetings/request');
    const fields = {
      form_id: formIdIn(form.body),
      pupil_id: t.fx.pupils.kuba,
      topic: 'Reading at home',
      outline: 'Kuba does not want to read with me.',
      times: ['before_school', 'evening'],
      times_words: 'Thursdays are best',
      mode: 'video',
      interpreter: 'yes',
      interpreter_language: 'Polish',
      urgent: 'no',
    };
    const first = await marta.post('/my-meetings/request', fields);
    const again = await marta.post('/my-meetings/request', fields);
    expect(first.statusCode).toBe(303);
    expect(again.headers.location).toBe(first.headers.location);
    const id = idFrom(first.headers.location);
    expect(await t.db.selectFrom('meetings').select('id').where('pupil_id', '=', t.fx.pupils.kuba).execute()).toHaveLength(1);

    const m = await meetingRow(id);
    expect(m).toMatchObject({
      status: 'requested',
      created_by_kind: 'carer',
      created_by_id: t.fx.carers.marta,
      requested_by_carer_id: t.fx.carers.marta,
      kind: 'appointment',
      urgent: 0,
      mode: 'video',
      interpreter_language: 'Polish',
    });
    expect(m.preferred_times).toBe('Before school, in the evening. Thursdays are best');
    expect(await t.db.selectFrom('meeting_carers').select('carer_id').where('meeting_id', '=', id).execute()).toEqual([{ carer_id: t.fx.carers.marta }]);

    const okafor = await alertsOf(t, t.fx.staff.teacher);
    expect(okafor).toHaveLength(1);
    expect(okafor[0]).toMatchObject({ kind: 'meeting_request', link: `/meetings/${id}`, title: 'Marta Nowak asked for a meeting' });
    expect(await alertsOf(t, t.fx.staff.head)).toEqual([]);
    const audit = await t.db.selectFrom('audit_log').select(['action', 'actor_id']).where('entity_id', '=', id).execute();
    expect(audit).toEqual([{ action: 'meeting.requested', actor_id: t.fx.carers.marta }]);

    const page = await marta.get(first.headers.location as string);
    expect(page.body).toContain('We have your request');
    expect(page.body).toContain('Reading at home');
    expect((await marta.get('/my-meetings')).body).toContain(`/my-meetings/${id}`);
  });

  it('sends a request about a child whose class has no teacher to the office', async () => {
    const faduma = await t.as('carer', t.fx.carers.faduma);
    const form = await faduma.get('/my-meetings/request');
    expect(form.body).toContain('value="Somali"');
    const res = await faduma.post('/my-meetings/request', {
      form_id: formIdIn(form.body),
      pupil_id: t.fx.pupils.ayaan,
      topic: 'Starting nursery',
      outline: 'Ayaan cries at the door.',
      times: 'before_school',
      mode: 'in_person',
      interpreter: 'yes',
      interpreter_language: 'Somali',
      urgent: 'no',
    });
    expect(res.statusCode).toBe(303);
    const office = await alertsOf(t, t.fx.staff.office);
    expect(office.map((a) => a.kind)).toEqual(['meeting_request']);
  });

  it('puts an urgent request before the head and senior leader, outline first, and emails only that one is waiting', async () => {
    const sarah = await t.as('carer', t.fx.carers.sarah);
    const form = await sarah.get('/my-meetings/request');
    const outline = 'Lily came home with bruises after lunch and will not say why.';
    const res = await sarah.post('/my-meetings/request', {
      form_id: formIdIn(form.body),
      pupil_id: t.fx.pupils.lily,
      topic: 'Something at lunchtime',
      outline,
      times: 'school_day',
      mode: 'phone',
      interpreter: 'no',
      urgent: 'yes',
    });
    expect(res.statusCode).toBe(303);
    const id = idFrom(res.headers.location);
    for (const leader of [t.fx.staff.head, t.fx.staff.senior_leader]) {
      const alerts = await alertsOf(t, leader);
      expect(alerts.map((a) => [a.kind, a.link, a.title])).toEqual([['urgent_request', `/meetings/${id}`, 'An urgent meeting request is waiting']]);
    }
    expect((await alertsOf(t, t.fx.staff.teacher)).filter((a) => a.link === `/meetings/${id}`)).toEqual([]);
    const email = (await emailsTo(t, 'patel@brookfield.test')).find((e) => e.subject === 'An urgent meeting request is waiting')!;
    expect(email.text).toContain(`http://gatepost.test/meetings/${id}`);
    expect(email.text).not.toContain('bruises');
    expect(email.text).not.toContain('Lily');

    const head = await t.as('staff', t.fx.staff.head);
    const page = await head.get(`/meetings/${id}`);
    expect(page.statusCode).toBe(200);
    expect(page.body.indexOf('bruises')).toBeGreaterThan(-1);
    expect(page.body.indexOf('bruises')).toBeLessThan(page.body.indexOf('Something at lunchtime'));
    expect(page.body).toContain('Urgent');
    // Opening it marks the head's alert seen (the senior leader's stays unseen).
    expect((await alertsOf(t, t.fx.staff.head))[0]!.seen_at).not.toBeNull();
    expect((await alertsOf(t, t.fx.staff.senior_leader))[0]!.seen_at).toBeNull();
    // The delivered email is the same, with nothing of the outline.
    const delivered = await t.sink.waitFor('patel@brookfield.test');
    expect(delivered.text).not.toContain('bruises');
  });

  it('answers 404 for a child who is not theirs, one a court order keeps them from, and another school’s', async () => {
    const before = (await t.db.selectFrom('meetings').select('id').execute()).length;
    // Tomasz is under a court order that stops contact with Ola (not information): no meeting about her.
    await t.db
      .insertInto('restrictions')
      .values({
        id: newId(),
        school_id: t.fx.school.id,
        pupil_id: t.fx.pupils.ola,
        carer_id: t.fx.carers.tomasz,
        kind: 'court_order',
        stops_information: 0,
        stops_collection: 0,
        stops_contact: 1,
        details: 'No contact.',
        starts_on: '2026-11-01',
        ends_on: null,
        lifted_at: null,
        created_by: t.fx.staff.head,
        created_at: NOW.toISOString(),
      })
      .execute();
    const cases: [string, string][] = [
      [t.fx.carers.marta, t.fx.pupils.leo],
      [t.fx.carers.mark, t.fx.pupils.lily],
      [t.fx.carers.marta, t.fx.pupils.otherPupil],
      [t.fx.carers.tomasz, t.fx.pupils.ola],
    ];
    for (const [carer, pupil] of cases) {
      const client = await t.as('carer', carer);
      const res = await client.post('/my-meetings/request', { form_id: newId(), pupil_id: pupil, topic: 'Hello', outline: 'Hello', times: 'evening', mode: 'phone', interpreter: 'no', urgent: 'no' });
      expect(res.statusCode).toBe(404);
    }
    // Mark's form never offers Lily: he has no child to ask about.
    const mark = await t.as('carer', t.fx.carers.mark);
    const form = await mark.get('/my-meetings/request');
    expect(form.body).not.toContain(t.fx.pupils.lily);
    expect(form.body).toContain('There is nothing to show you here');
    expect((await t.db.selectFrom('meetings').select('id').execute()).length).toBe(before);
  });

  it('lets the class teacher offer times, refusing the past and the hour the clocks skip, then Marta chooses one', async () => {
    const marta = await t.as('carer', t.fx.carers.marta);
    const id = await martaAsks(t, marta);
    const okafor = await t.as('staff', t.fx.staff.teacher);
    const page = await okafor.get(`/meetings/${id}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Offer times');
    expect(page.body).toContain('After school, in the evening. Not on Mondays');
    for (const n of [1, 2, 3]) expect(page.body).toContain(`name="date_${n}-day"`);

    const past = await okafor.post(`/meetings/${id}/offer`, { lead_id: t.fx.staff.teacher, minutes: '30', mode: 'in_person', place: 'Room 3', date_1: '2026-11-20', time_1: '15:30' });
    expect(past.statusCode).toBe(400);
    expect(past.body).toContain('The meeting must be in the future');
    const skipped = await okafor.post(`/meetings/${id}/offer`, { lead_id: t.fx.staff.teacher, minutes: '30', mode: 'in_person', place: 'Room 3', date_1: '2027-03-28', time_1: '01:30' });
    expect(skipped.statusCode).toBe(400);
    expect(skipped.body).toContain('The clocks go forward on 28 March 2027, so 01:30 does not exist that day');
    const none = await okafor.post(`/meetings/${id}/offer`, { lead_id: t.fx.staff.teacher, minutes: '30', mode: 'in_person', place: 'Room 3' });
    expect(none.body).toContain('Enter at least one time to offer');
    const noPlace = await okafor.post(`/meetings/${id}/offer`, { lead_id: t.fx.staff.teacher, minutes: '30', mode: 'in_person', date_1: '2026-12-01', time_1: '15:30' });
    expect(noPlace.body).toContain('Enter where you will meet');
    expect((await meetingRow(id)).status).toBe('requested');

    const halfDate = { lead_id: t.fx.staff.teacher, minutes: '20', mode: 'in_person', place: 'Room 3', 'date_1-day': '1', 'date_1-month': '12', 'date_1-year': '2026', time_1: '15:30' };
    const half = await okafor.post(`/meetings/${id}/offer`, { ...halfDate, 'date_2-day': '3', 'date_2-month': '', 'date_2-year': '2026', time_2: '08:15' });
    expect(half.statusCode).toBe(400);
    expect(half.body).toContain('The date of time 2 must include a month');
    expect(half.body).toContain('href="#date_2-month"');
    expect(half.body).toMatch(/id="date_2-day" name="date_2-day" type="text" value="3"/); // what was typed stays in the boxes

    // The dates in GOV.UK's three boxes, as the page sends them.
    const offer = { ...halfDate, 'date_2-day': '3', 'date_2-month': '12', 'date_2-year': '2026', time_2: '08:15' };
    const offered = await okafor.post(`/meetings/${id}/offer`, offer);
    expect(offered.statusCode).toBe(303);
    expect((await okafor.post(`/meetings/${id}/offer`, offer)).statusCode).toBe(303); // a double click: no second email
    expect((await meetingRow(id)).status).toBe('offered');
    const offers = await t.db.selectFrom('meeting_offers').select(['id', 'starts_at', 'ends_at']).where('meeting_id', '=', id).orderBy('starts_at').execute();
    expect(offers.map((o) => [o.starts_at, o.ends_at])).toEqual([
      ['2026-12-01T15:30:00.000Z', '2026-12-01T15:50:00.000Z'],
      ['2026-12-03T08:15:00.000Z', '2026-12-03T08:35:00.000Z'],
    ]);
    const lead = await t.db.selectFrom('meeting_staff').select(['staff_id', 'role']).where('meeting_id', '=', id).execute();
    expect(lead).toEqual([{ staff_id: t.fx.staff.teacher, role: 'lead' }]);
    const offerMails = (await emailsTo(t, 'marta@families.test')).filter((e) => e.subject === 'Terminy spotkania w sprawie: Jakub' && e.text.includes(id));
    expect(offerMails).toHaveLength(1);
    const mail = offerMails[0]!;
    expect(mail.text).toContain('1 grudnia 2026 15:30'); // Polish first
    expect(mail.text).toContain('1 December 2026 at 3:30pm');
    expect(mail.text).toContain('3 December 2026 at 8:15am');
    expect(mail.text).toContain(`http://gatepost.test/my-meetings/${id}`);

    const mine = await marta.get(`/my-meetings/${id}`);
    expect(mine.body).toContain('Choose a time');
    expect(mine.body).toContain('1 December 2026 at 3:30pm');
    expect((await marta.post(`/my-meetings/${id}/choose`, {})).body).toContain('Choose a time');
    const chose = await marta.post(`/my-meetings/${id}/choose`, { offer_id: offers[1]!.id });
    expect(chose.statusCode).toBe(303);
    const m = await meetingRow(id);
    expect(m).toMatchObject({ status: 'scheduled', starts_at: '2026-12-03T08:15:00.000Z', ends_at: '2026-12-03T08:35:00.000Z', place: 'Room 3' });

    // A second click changes nothing; nor does choosing the other time now.
    expect((await marta.post(`/my-meetings/${id}/choose`, { offer_id: offers[1]!.id })).headers.location).toBe(`/my-meetings/${id}?done=chosen`);
    const late = await marta.post(`/my-meetings/${id}/choose`, { offer_id: offers[0]!.id });
    expect(late.statusCode).toBe(400);
    expect(late.body).toContain('no longer waiting for you to choose a time');
    expect((await meetingRow(id)).starts_at).toBe('2026-12-03T08:15:00.000Z');
    const told = (await emailsTo(t, 'okafor@brookfield.test')).filter((e) => e.subject.includes('chose'));
    expect(told.map((e) => e.subject)).toEqual(['Marta Nowak chose 3 December 2026 at 8:15am for the meeting about Jakub Nowak']);
    const after = await marta.get(`/my-meetings/${id}`);
    expect(after.body).toContain('3 December 2026 at 8:15am');
    expect(after.body).toContain(`/my-meetings/${id}/calendar.ics`);
    expect(after.body).toContain('Mr Okafor');
  });

  it('shows a meeting only to staff who may see it and to the carers on it', async () => {
    const marta = await t.as('carer', t.fx.carers.marta);
    const id = await martaAsks(t, marta);
    for (const who of ['head', 'senior_leader', 'teacher', 'office', 'dsl', 'family_liaison'] as const) {
      expect((await (await t.as('staff', t.fx.staff[who])).get(`/meetings/${id}`)).statusCode, who).toBe(200);
    }
    for (const who of ['teacher2', 'governor'] as const) {
      expect((await (await t.as('staff', t.fx.staff[who])).get(`/meetings/${id}`)).statusCode, who).toBe(404);
      expect((await (await t.as('staff', t.fx.staff[who])).get('/meetings')).body, who).not.toContain(id);
    }
    expect((await (await t.as('staff', t.fx.staff.otherHead, t.fx.other.id)).get(`/meetings/${id}`)).statusCode).toBe(404);
    // Kuba's father is not on Marta's meeting: he cannot open it.
    const tomasz = await t.as('carer', t.fx.carers.tomasz);
    expect((await tomasz.get(`/my-meetings/${id}`)).statusCode).toBe(404);
    expect((await tomasz.post(`/my-meetings/${id}/questions`, { question: 'Hello?' })).statusCode).toBe(404);
    expect((await tomasz.get('/my-meetings')).body).not.toContain(id);
    expect((await (await t.as('staff', t.fx.staff.teacher)).get('/meetings')).body).toContain(`/meetings/${id}`);
  });

  it('asks and answers in Marta’s Polish: the form, each error beside its field, and the choose-a-time error on the meeting page', async () => {
    const marta = await t.as('carer', t.fx.carers.marta, undefined, { ownLanguage: true });
    const form = await marta.get('/my-meetings/request');
    expect(form.body).toContain('<html lang="pl"');
    expect(form.body).toContain('O czym chcieliby Państwo porozmawiać?');
    expect(form.body).toContain('Po lekcjach'); // the times of day come from the catalog
    expect(form.body).not.toContain('Tell us a little more');
    const res = await marta.post('/my-meetings/request', { form_id: formIdIn(form.body), pupil_id: t.fx.pupils.kuba, topic: 'Ortografia', interpreter: 'yes', interpreter_language: ' ' });
    expect(res.statusCode).toBe(400);
    for (const message of [
      'Prosimy napisać kilka zdań więcej',
      'Prosimy napisać, kiedy mogą się Państwo spotkać',
      'Prosimy wybrać, jak chcieliby się Państwo spotkać',
      'Prosimy wpisać język, w którym ma mówić tłumacz',
      'Prosimy zaznaczyć, czy to pilne',
    ])
      expect(res.body).toContain(message);
    expect(res.body).not.toContain('Enter a short outline');
    expect(res.body).toContain('value="Ortografia"');
    const id = await martaAsks(t, await t.as('carer', t.fx.carers.marta));
    const choose = await marta.post(`/my-meetings/${id}/choose`, {});
    expect(choose.statusCode).toBe(400);
    expect(choose.body).toContain('Prosimy wybrać termin');
  });
});

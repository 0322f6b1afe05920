import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { dialects } from '../../../test/support/db.ts';
import { startTestApp, type TestApp } from '../../../test/support/app.ts';
import { newId } from '../../platform/ids.ts';
import { emailAbout, liveBookings, makeBookingEvening, type TestEvening } from './booking-test-data.ts';
import { saveNeeds } from './needs-queries.ts';
import { sendMeetingReminders } from '../meetings/reminders.ts';
import { languageOptions, needsValues, readNeeds } from './needs.ts';
import { textIn } from '../../platform/i18n/catalog.ts';

const NOW = new Date('2026-11-10T12:00:00.000Z');

/**
 * "Help at your appointments" (needs.ts): a carer says, when booking or later, that they need an
 * interpreter (in a language from the school's list) or anything else that would help them take
 * part; the office sees "Interpreters needed" on the overview, the teacher on their schedule and
 * calendar file. Mark has a court order about Lily (the fixture's restriction).
 */
describe.each(dialects)("help at a parents' evening (interpreters, access), on %s", (dialect) => {
  let t: TestApp;
  let e: TestEvening;
  const field = (pupil: string, staff: string) => `slot_${pupil}_${staff}`;
  const needsRow = (eveningId: string, carerId: string) =>
    t.db.selectFrom('evening_needs').select(['interpreter_language', 'access_note', 'changed_by_kind']).where('evening_id', '=', eveningId).where('carer_id', '=', carerId).executeTakeFirst();
  const audits = (eveningId: string) =>
    t.db
      .selectFrom('audit_log')
      .select(['actor_kind', 'actor_id', 'before_json', 'after_json'])
      .where('action', '=', 'evening_needs.changed')
      .where('after_json', 'like', `%${eveningId}%`)
      .orderBy('at')
      .execute();
  const section = (body: string, id: string) => {
    const from = body.indexOf(`id="${id}"`);
    return from < 0 ? '' : body.slice(from, body.indexOf('<h2', from + 10) < 0 ? undefined : body.indexOf('<h2', from + 10));
  };
  const unfold = (ics: string) => ics.replace(/\r\n[ \t]/g, '');

  beforeAll(async () => {
    t = await startTestApp(dialect, { clock: () => NOW });
    e = await makeBookingEvening(t.db, t.fx);
  });
  afterAll(async () => t?.close());

  it('Marta books with a Polish interpreter and step-free access: the office overview lists it, and Mr Okafor’s schedule and calendar file show it', async () => {
    const { pupils, staff, carers } = t.fx;
    const marta = await t.as('carer', carers.marta);
    const page = (await marta.get(`/parents-evenings/${e.id}`)).body;
    expect(page).toContain('Help at your appointments');
    expect(page).toContain('Do you need an interpreter?');
    // Her recorded language is Polish: the list starts there.
    expect(page).toMatch(/<option value="Polish" selected>Polish<\/option>/);
    expect(page).not.toContain('<option value="English"');

    const booked = await marta.post(`/parents-evenings/${e.id}`, {
      [field(pupils.kuba, staff.teacher)]: e.slot(staff.teacher, '16:00'),
      needs_part: '1',
      interpreter: 'yes',
      interpreter_language: 'Polish',
      access_note: 'Step-free access, please: I use a wheelchair',
    });
    expect(booked.statusCode).toBe(303);
    expect(await needsRow(e.id, carers.marta)).toEqual({ interpreter_language: 'Polish', access_note: 'Step-free access, please: I use a wheelchair', changed_by_kind: 'carer' });
    // Her confirmation says what she asked for, in Polish and in the English beneath.
    const email = await emailAbout(t.sink, 'marta@families.test', "Autumn parents' evening", '4:00pm to 4:10pm');
    expect(email.text).toContain('Poprosili Państwo o tłumacza (język: polski).');
    expect(email.text).toContain('Napisali Państwo, że to Państwu pomoże: Step-free access, please: I use a wheelchair');
    expect(email.text).toContain('You asked for an interpreter in Polish.');
    expect(email.text).toContain('You told us this would help you: Step-free access, please: I use a wheelchair');
    const [entry] = await audits(e.id);
    expect(entry).toMatchObject({ actor_kind: 'carer', actor_id: carers.marta });
    expect(JSON.parse(entry!.after_json!)).toMatchObject({ interpreter_language: 'Polish' });

    const overview = (await (await t.as('staff', staff.office)).get(`/evenings/${e.id}`)).body;
    const interpreters = section(overview, 'interpreters');
    expect(interpreters).toContain('Polish</a>: 1 appointment');
    expect(interpreters).toContain('From 4:00pm to 4:10pm on 26 November 2026');
    expect(interpreters).toContain('<bdi>Mr Okafor</bdi>');
    expect(interpreters).toContain('<bdi>Jakub Nowak</bdi>');
    expect(interpreters).toContain('<bdi>Marta Nowak</bdi>');
    expect(section(overview, 'access-notes')).toContain('Step-free access, please: I use a wheelchair');
    // Ms Hall teaches 4 Hall: Kuba is not one of hers, so she is not shown him.
    const hall = (await (await t.as('staff', staff.teacher2)).get(`/evenings/${e.id}`)).body;
    expect(section(hall, 'interpreters')).not.toContain('Jakub');
    expect(section(hall, 'access-notes')).not.toContain('wheelchair');

    const okafor = await t.as('staff', staff.teacher);
    const schedule = (await okafor.get(`/evenings/${e.id}/schedule`)).body;
    const row = schedule.slice(schedule.indexOf(`id="slot-${e.slot(staff.teacher, '16:00')}"`));
    expect(row.slice(0, row.indexOf('</tr>'))).toContain('<strong>Interpreter needed: Polish</strong>. <strong>To help them take part: Step-free access, please: I use a wheelchair</strong>');
    const ics = unfold((await okafor.get(`/evenings/${e.id}/schedule.ics`)).body);
    expect(ics).toContain('Interpreter needed: Polish');
    expect(ics).toContain('To help them take part: Step-free access');
  });

  it('Marta changes it later under her appointments: each change is audited, the same again writes nothing', async () => {
    const { carers, staff } = t.fx;
    const marta = await t.as('carer', carers.marta);
    const page = (await marta.get(`/parents-evenings/${e.id}`)).body;
    expect(page).toContain(`action="/parents-evenings/${e.id}/needs"`);
    expect(page).toContain('Step-free access, please: I use a wheelchair</textarea>');
    const before = (await audits(e.id)).length;
    const changed = await marta.post(`/parents-evenings/${e.id}/needs`, { interpreter: 'no', interpreter_language: 'Polish', access_note: 'A quiet room' });
    expect(changed.statusCode).toBe(303);
    expect(changed.headers.location).toBe(`/parents-evenings/${e.id}?done=needs#needs`);
    expect(await needsRow(e.id, carers.marta)).toMatchObject({ interpreter_language: null, access_note: 'A quiet room' });
    const entries = await audits(e.id);
    expect(entries).toHaveLength(before + 1);
    expect(JSON.parse(entries.at(-1)!.before_json!)).toMatchObject({ interpreter_language: 'Polish' });
    expect(JSON.parse(entries.at(-1)!.after_json!)).toMatchObject({ interpreter_language: null, access_note: 'A quiet room' });
    expect((await marta.post(`/parents-evenings/${e.id}/needs`, { interpreter: 'no', access_note: 'A quiet room' })).statusCode).toBe(303);
    expect(await audits(e.id)).toHaveLength(before + 1);
    const overview = (await (await t.as('staff', staff.office)).get(`/evenings/${e.id}`)).body;
    expect(section(overview, 'interpreters')).toContain('No family has asked for an interpreter.');
    // Back to Polish for the tests below.
    expect((await marta.post(`/parents-evenings/${e.id}/needs`, { interpreter: 'yes', interpreter_language: 'Polish', access_note: '' })).statusCode).toBe(303);
    expect(await audits(e.id)).toHaveLength(before + 2);
  });

  it('301 characters, or a language not on the list, is shown beside the field with what was typed kept; nothing is saved or booked', async () => {
    const { pupils, staff, carers } = t.fx;
    const sarah = await t.as('carer', carers.sarah);
    const long = `${'I use a hearing aid. '.repeat(14)}abcdefghijklmnopqrstuvwxyz`.slice(0, 301);
    expect(long).toHaveLength(301);
    const tooLong = await sarah.post(`/parents-evenings/${e.id}/needs`, { interpreter: 'no', access_note: long });
    expect(tooLong.statusCode).toBe(400);
    expect(tooLong.body).toContain('id="access_note-error"');
    expect(tooLong.body).toMatch(/id="access_note-error"[^]*Write 300 characters or fewer/);
    expect(tooLong.body).toContain('href="#access_note"');
    expect(tooLong.body).toContain(`${long}</textarea>`);
    const klingon = await sarah.post(`/parents-evenings/${e.id}/needs`, { interpreter: 'yes', interpreter_language: 'Klingon', access_note: 'A hearing loop' });
    expect(klingon.statusCode).toBe(400);
    expect(klingon.body).toMatch(/id="interpreter_language-error"[^]*Choose a language from the list/);
    expect(klingon.body).toContain('A hearing loop</textarea>');
    const noLanguage = await sarah.post(`/parents-evenings/${e.id}/needs`, { interpreter: 'yes', interpreter_language: '' });
    expect(noLanguage.body).toContain('Choose the language the interpreter should speak');
    expect(await needsRow(e.id, carers.sarah)).toBeUndefined();

    // On the booking form: nothing is booked until it is put right, and the chosen time is kept.
    const slot = e.slot(staff.teacher, '16:30');
    const refused = await sarah.post(`/parents-evenings/${e.id}`, { [field(pupils.lily, staff.teacher)]: slot, needs_part: '1', interpreter: 'no', access_note: long });
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain('Write 300 characters or fewer');
    expect(refused.body).toContain(`<option value="${slot}" selected>`);
    expect(await liveBookings(t.db, e.id, carers.sarah)).toHaveLength(0);
  });

  it('a carer cannot say it for an evening of a child a restriction keeps them from, nor for another carer', async () => {
    const { carers, staff } = t.fx;
    // Mark's only child at this evening is Lily, whom a court order keeps from him.
    const mark = await t.as('carer', carers.mark);
    expect((await mark.post(`/parents-evenings/${e.id}/needs`, { interpreter: 'yes', interpreter_language: 'Polish' })).statusCode).toBe(404);
    expect(await needsRow(e.id, carers.mark)).toBeUndefined();
    const office = await t.as('staff', staff.office);
    expect((await office.post(`/evenings/${e.id}/book-for/${carers.mark}/needs`, { interpreter: 'yes', interpreter_language: 'Polish' })).statusCode).toBe(404);
    expect(await needsRow(e.id, carers.mark)).toBeUndefined();
    // Another school's carer.
    const olga = await t.as('carer', carers.otherCarer, t.fx.other.id);
    expect((await olga.post(`/parents-evenings/${e.id}/needs`, { interpreter: 'no', access_note: 'x' })).statusCode).toBe(404);
    // Sarah naming Marta changes only her own.
    const sarah = await t.as('carer', carers.sarah);
    expect((await sarah.post(`/parents-evenings/${e.id}/needs`, { carer_id: carers.marta, carerId: carers.marta, interpreter: 'no', access_note: 'Sarah: a hearing loop' })).statusCode).toBe(303);
    expect(await needsRow(e.id, carers.sarah)).toMatchObject({ access_note: 'Sarah: a hearing loop' });
    expect(await needsRow(e.id, carers.marta)).toMatchObject({ interpreter_language: 'Polish', access_note: null });
  });

  it('a restriction made after booking keeps that carer off the overview for that child', async () => {
    const { carers, pupils, staff } = t.fx;
    const id = newId();
    await t.db
      .insertInto('restrictions')
      .values({
        id,
        school_id: t.fx.school.id,
        pupil_id: pupils.kuba,
        carer_id: carers.marta,
        kind: 'agreed_arrangement',
        stops_information: 1,
        stops_collection: 0,
        stops_contact: 0,
        details: 'Test',
        starts_on: '2026-11-01',
        ends_on: null,
        lifted_at: null,
        created_by: staff.head,
        created_at: NOW.toISOString(),
      })
      .execute();
    try {
      const overview = (await (await t.as('staff', staff.office)).get(`/evenings/${e.id}`)).body;
      expect(section(overview, 'interpreters')).not.toContain('Marta Nowak');
      expect(section(overview, 'interpreters')).toContain('No family has asked for an interpreter.');
    } finally {
      await t.db.deleteFrom('restrictions').where('id', '=', id).execute();
    }
    const again = (await (await t.as('staff', staff.office)).get(`/evenings/${e.id}`)).body;
    expect(section(again, 'interpreters')).toContain('<bdi>Marta Nowak</bdi>');
  });

  describe('the office, "Book for me" and a joined appointment', () => {
    let joint: TestEvening;
    beforeEach(async () => {
      joint = await makeBookingEvening(t.db, t.fx, { name: 'Joint evening', separatedCarers: 'join' });
    });

    it('the office records a Polish interpreter for Tomasz on the phone; the audit names the member of staff', async () => {
      const { carers, pupils, staff } = t.fx;
      const office = await t.as('staff', staff.office);
      const page = (await office.get(`/evenings/${joint.id}/book-for/${carers.tomasz}`)).body;
      expect(page).toContain('Help at their appointments');
      expect(page).toContain('Do they need an interpreter?');
      const booked = await office.post(`/evenings/${joint.id}/book-for/${carers.tomasz}`, {
        [field(pupils.kuba, staff.teacher)]: joint.slot(staff.teacher, '16:00'),
        needs_part: '1',
        interpreter: 'yes',
        interpreter_language: 'Polish',
      });
      expect(booked.statusCode).toBe(303);
      expect(await needsRow(joint.id, carers.tomasz)).toEqual({ interpreter_language: 'Polish', access_note: null, changed_by_kind: 'staff' });
      // The confirmation the office's booking sends him says it back (he reads English).
      const email = await emailAbout(t.sink, 'tomasz@families.test', 'Joint evening', 'booked this appointment for you');
      expect(email.text).toContain('You asked for an interpreter in Polish.');
      expect(email.text).not.toContain('You told us');
      expect((await audits(joint.id)).at(-1)).toMatchObject({ actor_kind: 'staff', actor_id: staff.office });
      const bad = await office.post(`/evenings/${joint.id}/book-for/${carers.tomasz}/needs`, { interpreter: 'yes', interpreter_language: 'Elvish' });
      expect(bad.statusCode).toBe(400);
      expect(bad.body).toContain('Choose a language from the list');
      expect((await office.post(`/evenings/${joint.id}/book-for/${carers.tomasz}/needs`, { interpreter: 'no', access_note: 'Needs a chair with arms' })).statusCode).toBe(303);
      expect(await needsRow(joint.id, carers.tomasz)).toMatchObject({ interpreter_language: null, access_note: 'Needs a chair with arms' });
    });

    it('a joined appointment shows each carer’s needs, named, on the schedule; the overview counts the appointment once', async () => {
      const { carers, pupils, staff } = t.fx;
      const marta = await t.as('carer', carers.marta);
      const tomasz = await t.as('carer', carers.tomasz);
      const slot = joint.slot(staff.teacher, '16:20');
      expect((await marta.post(`/parents-evenings/${joint.id}`, { [field(pupils.kuba, staff.teacher)]: slot, needs_part: '1', interpreter: 'yes', interpreter_language: 'Polish' })).statusCode).toBe(
        303,
      );
      const [booking] = await liveBookings(t.db, joint.id, carers.marta);
      expect((await tomasz.post(`/parents-evenings/${joint.id}/bookings/${booking!.id}/join`, {})).statusCode).toBe(303);
      expect((await tomasz.post(`/parents-evenings/${joint.id}/needs`, { interpreter: 'yes', interpreter_language: 'Polish', access_note: 'A hearing loop' })).statusCode).toBe(303);
      const schedule = (await (await t.as('staff', staff.teacher)).get(`/evenings/${joint.id}/schedule`)).body;
      const row = schedule.slice(schedule.indexOf(`id="slot-${slot}"`));
      const cells = row.slice(0, row.indexOf('</tr>'));
      expect(cells).toContain('<bdi>Marta Nowak</bdi>: <strong>Interpreter needed: Polish</strong>');
      expect(cells).toContain('<bdi>Tomasz Nowak</bdi>: <strong>Interpreter needed: Polish</strong>. <strong>To help them take part: A hearing loop</strong>');
      const overview = (await (await t.as('staff', staff.office)).get(`/evenings/${joint.id}`)).body;
      expect(section(overview, 'interpreters')).toContain('Polish</a>: 1 appointment');
      expect(section(overview, 'access-notes')).toContain('A hearing loop');
    });

    it('"Book for me" carries the same part: saved once the times are held', async () => {
      const { carers, pupils, staff } = t.fx;
      const sarah = await t.as('carer', carers.sarah);
      const form = (await sarah.get(`/parents-evenings/${joint.id}/book-for-me`)).body;
      expect(form).toContain('Help at your appointments');
      const bad = await sarah.post(`/parents-evenings/${joint.id}/book-for-me`, {
        earliest: '2026-11-26T15:30:00.000Z',
        latest: '2026-11-26T17:30:00.000Z',
        pairs: `${pupils.lily}_${staff.teacher}`,
        needs_part: '1',
        interpreter: 'yes',
        interpreter_language: 'Atlantean',
        access_note: 'Step-free access',
      });
      expect(bad.statusCode).toBe(400);
      expect(bad.body).toContain('Choose a language from the list');
      expect(bad.body).toContain('Step-free access</textarea>');
      const held = await sarah.post(`/parents-evenings/${joint.id}/book-for-me`, {
        earliest: '2026-11-26T15:30:00.000Z',
        latest: '2026-11-26T17:30:00.000Z',
        pairs: `${pupils.lily}_${staff.teacher}`,
        needs_part: '1',
        interpreter: 'no',
        access_note: 'Step-free access',
      });
      expect(held.statusCode).toBe(303);
      expect(await needsRow(joint.id, carers.sarah)).toMatchObject({ interpreter_language: null, access_note: 'Step-free access' });
      // She takes the times held for her: the confirmation says what she asked for.
      expect((await sarah.post(held.headers.location as string, { answer: 'accept' })).statusCode).toBe(303);
      const email = await emailAbout(t.sink, 'sarah@families.test', 'Joint evening');
      expect(email.text).toContain('You told us this would help you: Step-free access');
      expect(email.text).not.toContain('You asked for an interpreter');
    });
  });

  describe('said back in the emails, and closed once the evening has taken place', () => {
    // Tomorrow (the clock is 10 November): the reminders go out today.
    let soon: TestEvening;
    let past: TestEvening;
    beforeAll(async () => {
      soon = await makeBookingEvening(t.db, t.fx, {
        name: 'Extra parents’ evening',
        sessions: [{ date: '2026-11-11', starts: '15:30', ends: '17:30', slotMinutes: 10, breaks: [] }],
        closesAt: '2026-11-11T12:00:00.000Z',
      });
      past = await makeBookingEvening(t.db, t.fx, {
        name: 'Summer parents’ evening',
        sessions: [
          { date: '2026-11-02', starts: '15:30', ends: '17:30', slotMinutes: 10, breaks: [] },
          { date: '2026-11-09', starts: '15:30', ends: '17:30', slotMinutes: 10, breaks: [] },
        ],
        opensAt: '2026-10-20T12:00:00.000Z',
        closesAt: '2026-11-01T12:00:00.000Z',
      });
    });

    it('Sarah, who is deaf, asks for a British Sign Language interpreter: her confirmation and her reminder say so; Marta’s say what she asked for, even on a form without the part', async () => {
      const { pupils, staff, carers } = t.fx;
      await t.db.updateTable('carers').set({ preferred_language: 'British Sign Language', interpreter_needed: 1 }).where('id', '=', carers.sarah).execute();
      try {
        const sarah = await t.as('carer', carers.sarah);
        const page = (await sarah.get(`/parents-evenings/${soon.id}`)).body;
        // Her recorded language is offered and chosen; she reads Gatepost in English.
        expect(page).toContain('<option value="British Sign Language" selected>British Sign Language</option>');
        const booked = await sarah.post(`/parents-evenings/${soon.id}`, {
          [field(pupils.lily, staff.teacher)]: soon.slot(staff.teacher, '16:00'),
          needs_part: '1',
          interpreter: 'yes',
          interpreter_language: 'British Sign Language',
          access_note: 'Please face me when you speak',
        });
        expect(booked.statusCode).toBe(303);
        expect(await needsRow(soon.id, carers.sarah)).toMatchObject({ interpreter_language: 'British Sign Language' });
        const confirmation = await emailAbout(t.sink, 'sarah@families.test', 'Extra parents’ evening', '4:00pm to 4:10pm');
        expect(confirmation.text).toContain('You asked for an interpreter in British Sign Language.');
        expect(confirmation.text).toContain('You told us this would help you: Please face me when you speak');
        // English only: British Sign Language has no written form to send it in.
        expect(confirmation.text).not.toContain('----------');

        // Marta asks for nothing at first: her confirmation says nothing about it.
        const marta = await t.as('carer', carers.marta);
        expect((await marta.post(`/parents-evenings/${soon.id}`, { [field(pupils.kuba, staff.teacher)]: soon.slot(staff.teacher, '16:30'), needs_part: '1', interpreter: 'no' })).statusCode).toBe(303);
        const first = await emailAbout(t.sink, 'marta@families.test', 'Extra parents’ evening', '4:30pm to 4:40pm');
        expect(first.text).not.toContain('You asked for');
        expect(first.text).not.toContain('You told us');
        // Then she asks for a Polish interpreter under her appointments, and books Ola's teacher on a form without the part.
        expect((await marta.post(`/parents-evenings/${soon.id}/needs`, { interpreter: 'yes', interpreter_language: 'Polish' })).statusCode).toBe(303);
        const second = await marta.post(`/parents-evenings/${soon.id}`, { [field(pupils.ola, staff.teacher3)]: soon.slot(staff.teacher3, '17:00') });
        expect(second.statusCode).toBe(303);
        const again = await emailAbout(t.sink, 'marta@families.test', 'Extra parents’ evening', '5:00pm to 5:10pm');
        expect(again.text).toContain('Poprosili Państwo o tłumacza (język: polski).');
        expect(again.text).toContain('You asked for an interpreter in Polish.');

        // The reminders the day before.
        await sendMeetingReminders(t.db, NOW, 'http://gatepost.test');
        t.worker.poke();
        const sarahReminder = await emailAbout(t.sink, 'sarah@families.test', 'Reminder: Extra parents’ evening tomorrow');
        expect(sarahReminder.text).toContain('You asked for an interpreter in British Sign Language.');
        expect(sarahReminder.text).toContain('You told us this would help you: Please face me when you speak');
        const martaReminder = await emailAbout(t.sink, 'marta@families.test', 'Przypomnienie: jutro Extra parents’ evening');
        expect(martaReminder.text).toContain('Poprosili Państwo o tłumacza (język: polski).');
        expect(martaReminder.text).toContain('You asked for an interpreter in Polish.');
        expect(martaReminder.text).not.toContain('You told us');
      } finally {
        await t.db.updateTable('carers').set({ preferred_language: 'English', interpreter_needed: 0 }).where('id', '=', carers.sarah).execute();
      }
    });

    it('once the evening has taken place, neither Marta nor the office can change it: no form, and a change is refused with a message', async () => {
      const { carers, staff } = t.fx;
      await saveNeeds(
        t.db,
        { kind: 'carer', id: carers.marta, schoolId: t.fx.school.id },
        { schoolId: t.fx.school.id, eveningId: past.id, carerId: carers.marta },
        { interpreterLanguage: 'Polish', accessNote: null },
        NOW,
      );
      const marta = await t.as('carer', carers.marta);
      const page = (await marta.get(`/parents-evenings/${past.id}`)).body;
      expect(page).not.toContain(`action="/parents-evenings/${past.id}/needs"`);
      expect(page).not.toContain('name="interpreter"');
      // The block itself (its heading comes straight after id="needs").
      const block = (body: string) => body.slice(body.indexOf('id="needs"'), body.indexOf('</div>', body.indexOf('id="needs"')));
      expect(block(page)).toContain('You asked for an interpreter in Polish.');
      expect(block(page)).toContain('This evening has taken place, so what would help you at it can no longer be changed.');
      const refused = await marta.post(`/parents-evenings/${past.id}/needs`, { interpreter: 'no', access_note: 'A quiet room' });
      expect(refused.statusCode).toBe(409);
      expect(refused.body).toContain('href="#needs"');
      expect(refused.body).toContain('This evening has taken place, so what would help you at it can no longer be changed.');
      expect(await needsRow(past.id, carers.marta)).toMatchObject({ interpreter_language: 'Polish', access_note: null });

      const office = await t.as('staff', staff.office);
      const forHer = (await office.get(`/evenings/${past.id}/book-for/${carers.marta}`)).body;
      expect(forHer).not.toContain(`action="/evenings/${past.id}/book-for/${carers.marta}/needs"`);
      expect(block(forHer)).toContain('Interpreter needed: Polish');
      const byOffice = await office.post(`/evenings/${past.id}/book-for/${carers.marta}/needs`, { interpreter: 'no' });
      expect(byOffice.statusCode).toBe(409);
      expect(byOffice.body).toContain('This evening has taken place, so what would help them at it can no longer be changed.');
      expect(await needsRow(past.id, carers.marta)).toMatchObject({ interpreter_language: 'Polish' });

      // On the evening's own day it can still be changed.
      const today = await makeBookingEvening(t.db, t.fx, { sessions: [{ date: '2026-11-10', starts: '15:30', ends: '17:30', slotMinutes: 10, breaks: [] }], closesAt: '2026-11-10T09:00:00.000Z' });
      expect((await marta.post(`/parents-evenings/${today.id}/needs`, { interpreter: 'yes', interpreter_language: 'Polish' })).statusCode).toBe(303);
    });
  });

  it('in Marta’s own language, the part and the language list are in Polish', async () => {
    const marta = await t.as('carer', t.fx.carers.marta, undefined, { ownLanguage: true });
    const page = (await marta.get(`/parents-evenings/${e.id}`)).body;
    expect(page).toContain('Pomoc podczas spotkań');
    expect(page).toContain('Czy potrzebujesz tłumacza?');
    expect(page).toMatch(/<option value="Polish" selected>Polski<\/option>/);
    expect(page).toContain('<option value="Somali">Somalijski</option>');
  });
});

describe('the rules of the part', () => {
  it('reads "No" when unanswered, a listed language in the list’s spelling, and refuses the rest', () => {
    expect(readNeeds({}, 'English')).toBeNull();
    expect(readNeeds({ needs_part: '1' }, 'English')).toEqual({ ok: true, needs: { interpreterLanguage: null, accessNote: null } });
    expect(readNeeds({ needs_part: '1', interpreter: 'yes', interpreter_language: 'urdu' }, 'English')).toEqual({ ok: true, needs: { interpreterLanguage: 'Urdu', accessNote: null } });
    // Their own recorded language is on their list even when the school's list lacks it.
    expect(readNeeds({ needs_part: '1', interpreter: 'yes', interpreter_language: 'Amharic' }, 'Amharic')).toMatchObject({ ok: true, needs: { interpreterLanguage: 'Amharic' } });
    expect(readNeeds({ needs_part: '1', interpreter: 'yes', interpreter_language: 'Amharic' }, 'English')).toEqual({
      ok: false,
      errors: { interpreter_language: 'evenings.needs.error.unknownLanguage' },
    });
    expect(readNeeds({ needs_part: '1', interpreter: 'maybe' }, 'English')).toEqual({ ok: false, errors: { interpreter: 'evenings.needs.error.interpreter' } });
    expect(readNeeds({ needs_part: '1', access_note: 'x'.repeat(300) }, 'English')).toMatchObject({ ok: true });
    expect(readNeeds({ needs_part: '1', access_note: 'x'.repeat(301) }, 'English')).toEqual({ ok: false, errors: { access_note: 'evenings.needs.error.noteTooLong' } });
    // "No" with a language chosen: no interpreter.
    expect(readNeeds({ needs_part: '1', interpreter: 'no', interpreter_language: 'Polish' }, 'Polish')).toMatchObject({ ok: true, needs: { interpreterLanguage: null } });
  });

  it('offers British Sign Language, named in the reader’s language, and pre-fills it for a deaf carer whose language the school recorded as BSL', () => {
    expect(readNeeds({ needs_part: '1', interpreter: 'yes', interpreter_language: 'british sign language' }, 'English')).toEqual({
      ok: true,
      needs: { interpreterLanguage: 'British Sign Language', accessNote: null },
    });
    expect(needsValues(null, { preferredLanguage: 'British Sign Language', interpreterNeeded: true })).toEqual({ interpreter: 'yes', interpreter_language: 'British Sign Language', access_note: '' });
    const inEnglish = languageOptions('English', 'British Sign Language', textIn('en'));
    expect(inEnglish).toContainEqual({ value: 'British Sign Language', text: 'British Sign Language', selected: true });
    expect(languageOptions('Polish', '', textIn('pl'))).toContainEqual({ value: 'British Sign Language', text: 'Brytyjski język migowy', selected: false });
  });

  it('pre-fills the carer’s own language when it is not English, and "Yes" when the school recorded that they need an interpreter', () => {
    expect(needsValues(null, { preferredLanguage: 'Somali', interpreterNeeded: true })).toEqual({ interpreter: 'yes', interpreter_language: 'Somali', access_note: '' });
    expect(needsValues(null, { preferredLanguage: 'English', interpreterNeeded: false })).toEqual({ interpreter: '', interpreter_language: '', access_note: '' });
    // No language to go with a "Yes": left for them to answer.
    expect(needsValues(null, { preferredLanguage: 'English', interpreterNeeded: true })).toEqual({ interpreter: '', interpreter_language: '', access_note: '' });
    expect(needsValues({ interpreterLanguage: null, accessNote: 'A quiet room' }, { preferredLanguage: 'Urdu', interpreterNeeded: true })).toEqual({
      interpreter: 'no',
      interpreter_language: 'Urdu',
      access_note: 'A quiet room',
    });
  });
});

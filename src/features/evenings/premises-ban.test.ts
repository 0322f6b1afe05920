import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dialects } from '../../../test/support/db.ts';
import { startTestApp, type TestApp } from '../../../test/support/app.ts';
import { banFromPremises } from '../../../test/support/premises-ban.ts';
import { liveBookings, makeBookingEvening, type TestEvening } from './booking-test-data.ts';

const NOW = new Date('2026-11-10T12:00:00.000Z');

/**
 * Tomasz is banned from the school premises (features/conduct): at a parents' evening he may book a
 * phone or video appointment, never one in person (refused at the submit, beside the choice, whoever
 * books); at an evening in person only, the page tells him to contact the school. Marta is not banned.
 */
describe.each(dialects)("a parents' evening and a ban from the premises, on %s", (dialect) => {
  let t: TestApp;
  let mixed: TestEvening;
  let inPersonOnly: TestEvening;
  const field = (pupil: string, staff: string) => `slot_${pupil}_${staff}`;
  const mode = (pupil: string, staff: string) => `mode_${pupil}_${staff}`;
  beforeAll(async () => {
    t = await startTestApp(dialect, { clock: () => NOW });
    mixed = await makeBookingEvening(t.db, t.fx, { modes: ['in_person', 'phone', 'video'] });
    inPersonOnly = await makeBookingEvening(t.db, t.fx, {
      name: 'Spring parents’ evening',
      modes: ['in_person'],
      sessions: [{ date: '2026-11-27', starts: '15:30', ends: '17:30', slotMinutes: 10, breaks: [] }],
    });
    await banFromPremises(t.db, t.fx.school.id, t.fx.carers.tomasz, t.fx.staff.head, '2026-11-12');
  });
  afterAll(async () => t?.close());

  it('his booking page offers phone and video only, and says why', async () => {
    const { pupils, staff, carers } = t.fx;
    const page = (await (await t.as('carer', carers.tomasz)).get(`/parents-evenings/${mixed.id}`)).body;
    expect(page).toContain('You cannot come onto the school premises');
    expect(page).toContain('You can book a phone or video appointment with the teacher.');
    expect(page).toContain(`name="${mode(pupils.kuba, staff.teacher)}" type="radio" value="phone"`);
    expect(page).not.toContain(`value="in_person"`);
    const marta = (await (await t.as('carer', carers.marta)).get(`/parents-evenings/${mixed.id}`)).body;
    expect(marta).toContain('value="in_person"');
    expect(marta).not.toContain('You cannot come onto the school premises');
  });

  it('in person sent anyway is refused at the server, beside the choice; by phone is booked', async () => {
    const { pupils, staff, carers } = t.fx;
    const tomasz = await t.as('carer', carers.tomasz);
    const form = { [field(pupils.kuba, staff.teacher)]: mixed.slot(staff.teacher, '16:00'), [mode(pupils.kuba, staff.teacher)]: 'in_person' };
    const refused = await tomasz.post(`/parents-evenings/${mixed.id}`, form);
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain('You cannot meet in person at the school: choose a phone or video appointment');
    expect(refused.body).toContain(`href="#${mode(pupils.kuba, staff.teacher)}`);
    expect(await liveBookings(t.db, mixed.id, carers.tomasz)).toHaveLength(0);
    const byPhone = await tomasz.post(`/parents-evenings/${mixed.id}`, { ...form, [mode(pupils.kuba, staff.teacher)]: 'phone' });
    expect(byPhone.statusCode).toBe(303);
    expect((await liveBookings(t.db, mixed.id, carers.tomasz)).map((b) => b.mode)).toEqual(['phone']);
  });

  it('an evening in person only: the page tells him to contact the school, offers no booking, and a submit is refused', async () => {
    const { pupils, staff, carers } = t.fx;
    const tomasz = await t.as('carer', carers.tomasz);
    const page = (await tomasz.get(`/parents-evenings/${inPersonOnly.id}`)).body;
    expect(page).toContain('so you cannot book one here. Please contact the school');
    expect(page).toContain('contact the school office');
    expect(page).not.toContain(`name="${field(pupils.kuba, staff.teacher)}"`);
    const sent = await tomasz.post(`/parents-evenings/${inPersonOnly.id}`, { [field(pupils.kuba, staff.teacher)]: inPersonOnly.slot(staff.teacher, '16:00', '2026-11-27') });
    expect(sent.statusCode).toBe(400);
    expect(await liveBookings(t.db, inPersonOnly.id, carers.tomasz)).toHaveLength(0);
  });

  it('the office booking for him sees the warning, and the same refusal in staff words', async () => {
    const { pupils, staff, carers } = t.fx;
    const office = await t.as('staff', staff.office);
    const url = `/evenings/${mixed.id}/book-for/${carers.tomasz}`;
    const page = (await office.get(url)).body;
    expect(page).toContain('govuk-tag--red">Banned from the premises');
    expect(page).toContain('book a phone or video appointment only');
    const refused = await office.post(url, { [field(pupils.ola, staff.teacher3)]: mixed.slot(staff.teacher3, '16:40'), [mode(pupils.ola, staff.teacher3)]: 'in_person' });
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain('This parent or carer is banned from the school premises: book a phone or video appointment instead');
    const video = await office.post(url, { [field(pupils.ola, staff.teacher3)]: mixed.slot(staff.teacher3, '16:40'), [mode(pupils.ola, staff.teacher3)]: 'video' });
    expect(video.statusCode).toBe(303);
    expect((await liveBookings(t.db, mixed.id, carers.tomasz)).map((b) => b.mode).sort()).toEqual(['phone', 'video']);
  });

  it('an appointment in person booked before a ban stays, and the teacher’s schedule says to make it a phone or video call', async () => {
    const { pupils, staff, carers } = t.fx;
    const marta = await t.as('carer', carers.marta);
    const booked = await marta.post(`/parents-evenings/${mixed.id}`, { [field(pupils.kuba, staff.teacher)]: mixed.slot(staff.teacher, '16:30'), [mode(pupils.kuba, staff.teacher)]: 'in_person' });
    expect(booked.statusCode).toBe(303);
    const teacher = await t.as('staff', staff.teacher);
    expect((await teacher.get(`/evenings/${mixed.id}/schedule`)).body).not.toContain('Banned from the premises');
    await banFromPremises(t.db, t.fx.school.id, carers.marta, staff.head, '2026-11-12');
    const schedule = (await teacher.get(`/evenings/${mixed.id}/schedule`)).body;
    expect(schedule).toContain('<strong class="govuk-tag govuk-tag--red">Banned from the premises</strong> <bdi>Marta Nowak</bdi> may not come onto the premises: make this a phone or video call.');
    // Tomasz's appointment is by phone: nothing to change.
    expect(schedule.match(/Banned from the premises/g)).toHaveLength(1);
  });
});

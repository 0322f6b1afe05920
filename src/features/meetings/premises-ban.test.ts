import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dialects } from '../../../test/support/db.ts';
import { startTestApp, type TestApp } from '../../../test/support/app.ts';
import { banFromPremises } from '../../../test/support/premises-ban.ts';
import { formIdIn, idFrom, martaAsks } from './meetings-test-support.ts';

const NOW = new Date('2026-11-23T09:00:00.000Z'); // Monday, GMT

/**
 * Arranging a meeting at school with a family member banned from the premises (features/conduct): the
 * page warns and suggests phone or video; in person is refused beside "How you will meet" unless the
 * organiser ticks that the head agreed to it (audited); by phone goes ahead. Tomasz is banned from
 * today; Marta is not; a ban of Sarah's that starts next week is found for a meeting after it starts.
 */
describe.each(dialects)('meetings and a ban from the premises, on %s', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(dialect, { clock: () => NOW });
    await banFromPremises(t.db, t.fx.school.id, t.fx.carers.tomasz, t.fx.staff.head, '2026-11-23');
    await banFromPremises(t.db, t.fx.school.id, t.fx.carers.sarah, t.fx.staff.head, '2026-11-30');
  });
  afterAll(async () => t?.close());

  async function form(pupilId: string, carerIds: string | string[]) {
    const client = await t.as('staff', t.fx.staff.teacher);
    const page = await client.get(`/meetings/new?pupil=${pupilId}`);
    const base = {
      form_id: formIdIn(page.body),
      pupil_id: pupilId,
      kind: 'appointment',
      topic: 'Reading at home',
      carer_ids: carerIds,
      lead_id: t.fx.staff.teacher,
      date: '2026-12-02',
      time: '15:30',
      minutes: '30',
      mode: 'in_person',
      place: 'Year 3 classroom',
    };
    return { client, page: page.body, base };
  }

  it('warns on the page that Tomasz is banned and suggests phone or video', async () => {
    const { page } = await form(t.fx.pupils.kuba, t.fx.carers.tomasz);
    expect(page).toContain('<bdi>Tomasz Nowak</bdi> is banned from the school premises. Meet by phone or video call');
    expect(page).toContain('name="ban_agreed"');
  });

  it('refuses in person at school with Tomasz beside the choice, keeping what was typed; by phone is arranged', async () => {
    const { client, base } = await form(t.fx.pupils.kuba, [t.fx.carers.marta, t.fx.carers.tomasz]);
    const refused = await client.post('/meetings/new', base);
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain('Tomasz Nowak is banned from the school premises on that day: choose a phone or video call');
    expect(refused.body).toContain('href="#mode"');
    expect(refused.body).toContain('value="Reading at home"');
    expect(await t.db.selectFrom('meetings').select('id').execute()).toEqual([]);
    const byPhone = await client.post('/meetings/new', { ...base, mode: 'phone', place: '' });
    expect(byPhone.statusCode).toBe(303);
    expect((await t.db.selectFrom('meetings').select('mode').where('id', '=', idFrom(byPhone.headers.location)).executeTakeFirstOrThrow()).mode).toBe('phone');
  });

  it('arranges it at school when the head agreed, and the audit says so', async () => {
    const { client, base } = await form(t.fx.pupils.kuba, t.fx.carers.tomasz);
    const agreed = await client.post('/meetings/new', { ...base, ban_agreed: 'yes' });
    expect(agreed.statusCode).toBe(303);
    const entry = await t.db.selectFrom('audit_log').select('after_json').where('action', '=', 'meeting.scheduled').where('entity_id', '=', idFrom(agreed.headers.location)).executeTakeFirstOrThrow();
    expect(JSON.parse(entry.after_json!)).toMatchObject({ at_school_despite_premises_ban: [t.fx.carers.tomasz] });
  });

  it('a ban that starts before the meeting is found at the submit, and the box to confirm is offered then', async () => {
    const { client, page, base } = await form(t.fx.pupils.lily, t.fx.carers.sarah);
    expect(page).not.toContain('name="ban_agreed"'); // not banned today
    const refused = await client.post('/meetings/new', base);
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain('Sarah Dean is banned from the school premises on that day');
    expect(refused.body).toContain('name="ban_agreed"');
    expect((await client.post('/meetings/new', { ...base, date: '2026-11-27' })).statusCode).toBe(303); // before her ban starts
  });

  it('offering times for a meeting Tomasz asked for: warns, refuses at school on a banned day, offers by phone, or at school with the head’s agreement (audited)', async () => {
    const tomasz = await t.as('carer', t.fx.carers.tomasz);
    const id = await martaAsks(t, tomasz); // the same request form, sent by Tomasz about Kuba
    const okafor = await t.as('staff', t.fx.staff.teacher);
    const page = (await okafor.get(`/meetings/${id}`)).body;
    expect(page).toContain('<bdi>Tomasz Nowak</bdi> is banned from the school premises. Offer a phone or video call');
    expect(page).toContain('name="ban_agreed"');
    const offer = { lead_id: t.fx.staff.teacher, minutes: '30', mode: 'in_person', place: 'Room 3', date_1: '2026-12-02', time_1: '15:30' };
    const refused = await okafor.post(`/meetings/${id}/offer`, offer);
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain('Tomasz Nowak is banned from the school premises on that day: choose a phone or video call');
    expect(refused.body).toContain('value="Room 3"');
    expect(await t.db.selectFrom('meeting_offers').select('id').where('meeting_id', '=', id).execute()).toEqual([]);
    expect((await okafor.post(`/meetings/${id}/offer`, { ...offer, mode: 'phone', place: '' })).statusCode).toBe(303);
    const agreed = await okafor.post(`/meetings/${id}/offer`, { ...offer, time_1: '16:00', ban_agreed: 'yes' });
    expect(agreed.statusCode).toBe(303);
    const entries = await t.db.selectFrom('audit_log').select('after_json').where('action', '=', 'meeting.times_offered').where('entity_id', '=', id).execute();
    expect(entries).toHaveLength(2); // by phone, then at school
    expect(entries.map((e) => JSON.parse(e.after_json!).at_school_despite_premises_ban).filter(Boolean)).toEqual([[t.fx.carers.tomasz]]);
  });

  it('offering times to Sarah: her ban from next week is found for an offered day after it starts', async () => {
    const sarah = await t.as('carer', t.fx.carers.sarah);
    const id = await martaAsks(t, sarah, { pupil_id: t.fx.pupils.lily, interpreter: 'no', interpreter_language: '' });
    const okafor = await t.as('staff', t.fx.staff.head);
    expect((await okafor.get(`/meetings/${id}`)).body).not.toContain('name="ban_agreed"'); // not banned today
    const offer = { lead_id: t.fx.staff.head, minutes: '30', mode: 'in_person', place: 'Room 3', date_1: '2026-11-27', time_1: '15:30', date_2: '2026-12-02', time_2: '15:30' };
    const refused = await okafor.post(`/meetings/${id}/offer`, offer);
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain('Sarah Dean is banned from the school premises on that day');
    expect(refused.body).toContain('name="ban_agreed"');
    expect((await okafor.post(`/meetings/${id}/offer`, { ...offer, date_2: '', time_2: '' })).statusCode).toBe(303); // only before her ban starts
  });
});

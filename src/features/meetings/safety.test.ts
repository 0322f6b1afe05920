import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dialects } from '../../../test/support/db.ts';
import { startTestApp, type TestApp } from '../../../test/support/app.ts';
import { sendMeetingReminders } from './reminders.ts';
import { alertsOf, emailsTo, okaforArranges } from './meetings-test-support.ts';

const NOW = new Date('2026-11-23T09:00:00.000Z');

describe.each(dialects)('the safety plan for a difficult meeting on %s', (dialect) => {
  let t: TestApp;
  let id = '';
  beforeAll(async () => {
    t = await startTestApp(dialect, { clock: () => NOW });
    id = await okaforArranges(t, NOW, { startsAt: '2026-11-24T15:30:00.000Z', endsAt: '2026-11-24T16:00:00.000Z' });
  });
  afterAll(async () => t?.close());

  const plan = {
    colleague_id: '',
    colleague_presence: 'within_earshot',
    room: 'The small library',
    clear_route_out: 'yes',
    neutral_and_private: 'yes',
    notes: 'Father shouted at the gate on Friday. Mr Green waits in the corridor.',
  };

  it('asks for every part of the plan and says anyone may stop the meeting', async () => {
    const okafor = await t.as('staff', t.fx.staff.teacher);
    const page = await okafor.get(`/meetings/${id}/safety-plan`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Anyone may stop a meeting if they feel threatened');
    const empty = await okafor.post(`/meetings/${id}/safety-plan`, {});
    expect(empty.statusCode).toBe(400);
    for (const message of [
      'Choose the colleague who will be there',
      'Say where the colleague will be',
      'Enter the room',
      'Say whether there is a clear way out of the room',
      'Say whether the room is neutral and private',
    ]) {
      expect(empty.body).toContain(message);
    }
    const lead = await okafor.post(`/meetings/${id}/safety-plan`, { ...plan, colleague_id: t.fx.staff.teacher });
    expect(lead.statusCode).toBe(400);
    expect(lead.body).toContain('Choose a colleague other than the person leading the meeting');
    expect(lead.body).toContain('value="The small library"');
    expect((await t.db.selectFrom('meetings').select('possibly_difficult').where('id', '=', id).executeTakeFirstOrThrow()).possibly_difficult).toBe(0);
  });

  it('saves the plan, marks the meeting possibly difficult and tells the head once, however often it is edited', async () => {
    const okafor = await t.as('staff', t.fx.staff.teacher);
    const saved = await okafor.post(`/meetings/${id}/safety-plan`, { ...plan, colleague_id: t.fx.staff.senior_leader });
    expect(saved.statusCode).toBe(303);
    expect(saved.headers.location).toBe(`/meetings/${id}/safety-plan?done=head_told`);
    const edited = await okafor.post(`/meetings/${id}/safety-plan`, { ...plan, colleague_id: t.fx.staff.senior_leader, colleague_presence: 'in_room', room: 'Meeting room 2', clear_route_out: 'no' });
    expect(edited.headers.location).toBe(`/meetings/${id}/safety-plan?done=saved`);

    const row = await t.db.selectFrom('meeting_safety_plans').selectAll().where('meeting_id', '=', id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      colleague_id: t.fx.staff.senior_leader,
      colleague_presence: 'in_room',
      room: 'Meeting room 2',
      clear_route_out: 0,
      neutral_and_private: 1,
      head_told_at: NOW.toISOString(),
      created_by: t.fx.staff.teacher,
    });
    expect((await t.db.selectFrom('meetings').select('possibly_difficult').where('id', '=', id).executeTakeFirstOrThrow()).possibly_difficult).toBe(1);
    expect(await t.db.selectFrom('meeting_staff').select('role').where('meeting_id', '=', id).where('staff_id', '=', t.fx.staff.senior_leader).execute()).toEqual([{ role: 'colleague' }]);

    const head = await alertsOf(t, t.fx.staff.head);
    expect(head.map((a) => [a.kind, a.link, a.title])).toEqual([['difficult_meeting', `/meetings/${id}`, 'Mr Okafor marked a meeting on 24 November 2026 as possibly difficult']]);
    const mail = (await emailsTo(t, 'patel@brookfield.test')).filter((e) => e.subject.includes('possibly difficult'));
    expect(mail).toHaveLength(1);
    expect(mail[0]!.text).not.toContain('library');
    expect(mail[0]!.text).not.toContain('shouted');
    expect(await t.db.selectFrom('audit_log').select('action').where('entity_id', '=', id).where('action', '=', 'meeting.safety_plan_saved').execute()).toHaveLength(2);

    const page = await okafor.get(`/meetings/${id}`);
    expect(page.body).toContain('Possibly difficult');
    expect(page.body).toContain('The head was told on 23 November 2026 at 9:00am');
    const planPage = await okafor.get(`/meetings/${id}/safety-plan`);
    expect(planPage.body).toContain('value="Meeting room 2"');
    expect(planPage.body).toContain('Father shouted at the gate');
  });

  it('never shows the plan to the family: not on their pages, in the calendar file, or in any email', async () => {
    await sendMeetingReminders(t.db, NOW, 'http://gatepost.test');
    const marta = await t.as('carer', t.fx.carers.marta);
    const pages = [await marta.get('/my-meetings'), await marta.get(`/my-meetings/${id}`), await marta.get(`/my-meetings/${id}/calendar.ics`)];
    expect(pages.map((p) => p.statusCode)).toEqual([200, 200, 200]);
    const emails = await emailsTo(t, 'marta@families.test');
    // Marta reads Polish: her reminder's subject is in Polish (the English is in the body, beneath).
    expect(emails.some((e) => e.subject.startsWith('Przypomnienie'))).toBe(true);
    for (const text of [...pages.map((p) => p.body), ...emails.map((e) => `${e.subject}\n${e.text}`)]) {
      for (const secret of ['Meeting room 2', 'shouted', 'difficult', 'safety', 'Safety', 'Mr Green', 'earshot', 'In the room']) expect(text).not.toContain(secret);
    }
    expect((await marta.get(`/meetings/${id}/safety-plan`)).statusCode).toBe(404);
    expect((await marta.post(`/meetings/${id}/safety-plan`, plan)).statusCode).toBe(404);
  });

  it('is for staff who may see the meeting: not another class’s teacher, not a governor', async () => {
    for (const who of ['teacher2', 'governor'] as const) {
      const client = await t.as('staff', t.fx.staff[who]);
      expect((await client.get(`/meetings/${id}/safety-plan`)).statusCode).toBe(404);
      expect((await client.post(`/meetings/${id}/safety-plan`, { ...plan, colleague_id: t.fx.staff.head })).statusCode).toBe(404);
    }
    const head = await t.as('staff', t.fx.staff.head);
    expect((await head.get(`/meetings/${id}/safety-plan`)).statusCode).toBe(200);
  });
});

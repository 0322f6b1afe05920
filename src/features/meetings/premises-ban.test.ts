import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dialects } from '../../../test/support/db.ts';
import { startTestApp, type TestApp } from '../../../test/support/app.ts';
import { banFromPremises } from '../../../test/support/premises-ban.ts';
import { formIdIn, idFrom } from './meetings-test-support.ts';

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
});

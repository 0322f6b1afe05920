import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dialects } from '../../../test/support/db.ts';
import { startTestApp, type TestApp } from '../../../test/support/app.ts';
import { insertMeeting, outboxSettled } from './record-test-data.ts';
import { SAFEGUARDING_ALERT_TITLE } from './safeguarding.ts';

const NOW = new Date('2026-11-23T10:00:00.000Z');
const WORDS = 'Kuba said his uncle hits him when he is late home';

describe.each(dialects)('safeguarding first, on %s', (dialect) => {
  let t: TestApp;
  let meetingId = '';
  beforeAll(async () => {
    t = await startTestApp(dialect, { clock: () => NOW });
    meetingId = await insertMeeting(t.db, t.fx, { pupilId: t.fx.pupils.kuba, leadId: t.fx.staff.teacher, carerIds: [t.fx.carers.marta] });
  });
  afterAll(async () => t?.close());

  const url = (path = '') => `/meetings/${meetingId}/record${path}`;
  const views = () => t.db.selectFrom('audit_log').select(['actor_id', 'entity_id']).where('action', '=', 'meeting_note.viewed').execute();

  it('passes a note marked as a concern to the DSL and deputies at once, and takes it from the writer’s view', async () => {
    const teacher = await t.as('staff', t.fx.staff.teacher);
    await teacher.post(url('/notes'), { body: 'Talked about reading at home.' });
    const saved = await teacher.post(url('/notes'), { body: WORDS, safeguarding: 'yes' });
    expect(saved.statusCode).toBe(303);
    expect(saved.headers.location).toBe(url('?done=safeguarding'));
    const after = await teacher.get(url('?done=safeguarding'));
    expect(after.body).toContain('Passed to the DSL');
    expect(after.body).toContain('Talked about reading at home.');
    expect(after.body).not.toContain('uncle');
    // The writer keeps a trace that they passed it on, and when: never the words.
    expect(after.body).toContain('You passed a note to the DSL on 23 November 2026 at 10:00am. Only the DSL and deputy DSLs can read it.');

    const alerts = await t.db.selectFrom('staff_alerts').select(['staff_id', 'kind', 'title', 'link']).where('kind', '=', 'safeguarding').orderBy('staff_id').execute();
    expect(alerts.map((a) => a.staff_id).sort()).toEqual([t.fx.staff.dsl, t.fx.staff.deputy_dsl].sort());
    for (const a of alerts) expect(a).toMatchObject({ title: SAFEGUARDING_ALERT_TITLE, link: url() });

    const dslEmail = await t.sink.waitFor('adeyemi@brookfield.test');
    await t.sink.waitFor('clarke@brookfield.test');
    expect(dslEmail.subject).toBe(SAFEGUARDING_ALERT_TITLE);
    expect(dslEmail.text).toContain(`http://gatepost.test${url()}`);
  });

  it('never lets the words out: not to other staff, not by email, not in the audit log', async () => {
    for (const who of [t.fx.staff.teacher, t.fx.staff.head, t.fx.staff.senior_leader, t.fx.staff.office, t.fx.staff.senco, t.fx.staff.family_liaison]) {
      const page = await (await t.as('staff', who)).get(url());
      expect(page.statusCode).toBe(200);
      expect(page.body).not.toContain('uncle');
      expect(page.body).not.toContain('Safeguarding concern');
    }
    const audit = await (await t.as('staff', t.fx.staff.head)).get('/audit');
    expect(audit.body).not.toContain('uncle');
    await outboxSettled(t.db);
    expect(t.sink.messages.length).toBeGreaterThanOrEqual(2);
    for (const m of t.sink.messages) {
      expect(m.subject + m.text + (m.html ?? '')).not.toContain('uncle');
      expect(m.subject + m.text + (m.html ?? '')).not.toMatch(/Jakub|Kuba|Nowak/);
    }
    const outbox = await t.db.selectFrom('outbox').select('payload_json').execute();
    for (const o of outbox) expect(o.payload_json).not.toContain('uncle');
  });

  it('shows the DSL and deputies the words, and the audit records each reading by whom', async () => {
    expect(await views()).toHaveLength(0);
    const note = await t.db.selectFrom('meeting_notes').select('id').where('safeguarding', '=', 1).executeTakeFirstOrThrow();
    const dsl = await t.as('staff', t.fx.staff.dsl);
    const first = await dsl.get(url());
    expect(first.body).toContain(WORDS);
    expect(first.body).toContain('Safeguarding concern');
    await dsl.get(url());
    const deputy = await t.as('staff', t.fx.staff.deputy_dsl);
    expect((await deputy.get(url())).body).toContain(WORDS);
    const seen = await views();
    expect(seen).toEqual([
      { actor_id: t.fx.staff.dsl, entity_id: note.id },
      { actor_id: t.fx.staff.dsl, entity_id: note.id },
      { actor_id: t.fx.staff.deputy_dsl, entity_id: note.id },
    ]);
  });

  it('shows the DSL and deputies, under the note, who has read it, how often and when last', async () => {
    const names = async (staffId: string) => {
      const s = await t.db.selectFrom('staff').select(['title', 'family_name']).where('id', '=', staffId).executeTakeFirstOrThrow();
      return `${s.title} ${s.family_name}`;
    };
    const [dslName, deputyName] = [await names(t.fx.staff.dsl), await names(t.fx.staff.deputy_dsl)];
    const page = (await (await t.as('staff', t.fx.staff.deputy_dsl)).get(url())).body;
    const readBy = page.slice(page.indexOf('Read by:'), page.indexOf('</ul>', page.indexOf('Read by:')));
    // The DSL read it twice before; the deputy once before and now again.
    expect(readBy).toContain(`<bdi>${dslName}</bdi>, twice, last`);
    expect(readBy).toContain(`<bdi>${deputyName}</bdi>, twice, last`);
    const teacher = (await (await t.as('staff', t.fx.staff.teacher)).get(url())).body;
    expect(teacher).not.toContain('Read by');
  });

  it('marks the DSL’s alert seen when she opens the record', async () => {
    const seenAt = async (staffId: string) =>
      (await t.db.selectFrom('staff_alerts').select('seen_at').where('staff_id', '=', staffId).where('kind', '=', 'safeguarding').executeTakeFirstOrThrow()).seen_at;
    expect(await seenAt(t.fx.staff.dsl)).toBe(NOW.toISOString());
    expect(await seenAt(t.fx.staff.deputy_dsl)).toBe(NOW.toISOString());
  });

  it('lets an earlier note be marked as a concern, once, with the same alert', async () => {
    const teacher = await t.as('staff', t.fx.staff.teacher);
    const earlier = await t.db.selectFrom('meeting_notes').select('id').where('safeguarding', '=', 0).executeTakeFirstOrThrow();
    const before = await teacher.get(url());
    expect(before.body).toContain(`/record/notes/${earlier.id}/safeguarding`);
    expect((await teacher.post(url(`/notes/${earlier.id}/safeguarding`))).statusCode).toBe(303);
    expect((await teacher.post(url(`/notes/${earlier.id}/safeguarding`))).statusCode).toBe(303);
    const page = (await teacher.get(url())).body;
    expect(page).not.toContain('Talked about reading at home.');
    expect(page.match(/You passed a note to the DSL on 23 November 2026 at 10:00am/g)).toHaveLength(2);
    // Others who did not write or pass on a note see no trace of it.
    expect((await (await t.as('staff', t.fx.staff.head)).get(url())).body).not.toContain('passed a note to the DSL');
    const alerts = await t.db.selectFrom('staff_alerts').select('id').where('kind', '=', 'safeguarding').where('staff_id', '=', t.fx.staff.dsl).execute();
    expect(alerts).toHaveLength(2);
    expect(await t.db.selectFrom('audit_log').select('id').where('action', '=', 'meeting_note.marked_safeguarding').execute()).toHaveLength(1);
    expect((await teacher.post(url('/notes/0190a000-0000-7000-8000-000000000000/safeguarding'))).statusCode).toBe(404);
  });

  it('alerts the deputy, not the DSL herself, when the DSL records a concern', async () => {
    const id = await insertMeeting(t.db, t.fx, { pupilId: t.fx.pupils.leo, leadId: t.fx.staff.dsl, carerIds: [t.fx.carers.grace] });
    const dsl = await t.as('staff', t.fx.staff.dsl);
    expect((await dsl.post(`/meetings/${id}/record/notes`, { body: 'Leo described being left alone overnight.', safeguarding: 'yes' })).statusCode).toBe(303);
    const alerted = await t.db.selectFrom('staff_alerts').select('staff_id').where('link', '=', `/meetings/${id}/record`).execute();
    expect(alerted).toEqual([{ staff_id: t.fx.staff.deputy_dsl }]);
    expect((await dsl.get(`/meetings/${id}/record`)).body).toContain('left alone overnight');
  });

  it('lets the DSL open a meeting about no one pupil once it holds a concern, and never a governor', async () => {
    const id = await insertMeeting(t.db, t.fx, { pupilId: null, leadId: t.fx.staff.family_liaison, carerIds: [t.fx.carers.faduma] });
    const dsl = await t.as('staff', t.fx.staff.dsl);
    expect((await dsl.get(`/meetings/${id}/record`)).statusCode).toBe(404);
    const flo = await t.as('staff', t.fx.staff.family_liaison);
    expect((await flo.post(`/meetings/${id}/record/notes`, { body: 'Grandmother mentioned bruises on Ayaan’s arm.', safeguarding: 'yes' })).statusCode).toBe(303);
    const page = await dsl.get(`/meetings/${id}/record`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('bruises');
    expect((await flo.get(`/meetings/${id}/record`)).body).not.toContain('bruises');
    expect((await (await t.as('staff', t.fx.staff.governor)).get(`/meetings/${id}/record`)).statusCode).toBe(404);
  });
});

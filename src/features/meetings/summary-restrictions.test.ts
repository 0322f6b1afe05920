import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dialects } from '../../../test/support/db.ts';
import { startTestApp, type TestApp } from '../../../test/support/app.ts';
import { newId } from '../../platform/ids.ts';
import { insertMeeting } from './record-test-data.ts';

const NOW = new Date('2026-11-23T10:00:00.000Z');

/** docs/meetings.md: a restriction that stops contact stops every email about a meeting, the summary too. */
describe.each(dialects)('the meeting summary and a contact-only court order on %s', (dialect) => {
  let t: TestApp;
  let meetingId = '';
  beforeAll(async () => {
    t = await startTestApp(dialect, { clock: () => NOW });
    // Tomasz was on the meeting; since then a court order stops his contact (not information).
    meetingId = await insertMeeting(t.db, t.fx, { pupilId: t.fx.pupils.kuba, leadId: t.fx.staff.teacher, carerIds: [t.fx.carers.marta, t.fx.carers.tomasz], startsAt: '2026-11-23T08:00:00.000Z' });
    await t.db
      .insertInto('restrictions')
      .values({
        id: newId(),
        school_id: t.fx.school.id,
        pupil_id: t.fx.pupils.kuba,
        carer_id: t.fx.carers.tomasz,
        kind: 'court_order',
        stops_information: 0,
        stops_collection: 0,
        stops_contact: 1,
        details: 'Child arrangements order: no contact.',
        starts_on: '2026-11-20',
        ends_on: null,
        lifted_at: null,
        created_by: t.fx.staff.head,
        created_at: NOW.toISOString(),
      })
      .execute();
  });
  afterAll(async () => t?.close());

  it('is emailed to Marta and not to Tomasz, and the page does not list him as a reader', async () => {
    const teacher = await t.as('staff', t.fx.staff.teacher);
    const url = `/meetings/${meetingId}/record`;
    await teacher.post(`${url}/outcome`, { outcome: 'Kuba will have a reading plan.', follow_up_on: '14/12/2026' });
    const page = await teacher.get(url);
    expect(page.body).toContain('by email to marta@families.test');
    expect(page.body).not.toContain('tomasz@families.test');

    const sent = await teacher.post(`${url}/send-summary`);
    expect(sent.statusCode).toBe(303);
    const queued = await t.db.selectFrom('outbox').select('recipient').where('idempotency_key', 'like', `%${meetingId}%`).execute();
    expect(queued.map((q) => q.recipient)).toEqual(['marta@families.test']);
    const audited = await t.db.selectFrom('audit_log').select('after_json').where('action', '=', 'meeting.summary_sent').where('entity_id', '=', meetingId).executeTakeFirstOrThrow();
    expect(JSON.parse(audited.after_json!).emailed).toEqual([t.fx.carers.marta]);
  });
});

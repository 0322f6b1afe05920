import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dialects } from '../../../test/support/db.ts';
import { startTestApp, type TestApp } from '../../../test/support/app.ts';
import { newId } from '../../platform/ids.ts';
import { insertMeeting } from './record-test-data.ts';

const NOW = new Date('2026-11-23T10:00:00.000Z'); // Monday morning, autumn term

describe.each(dialects)('a meeting recorded at the right time on %s', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(dialect, { clock: () => NOW });
    await t.db.insertInto('school_closures').values({ id: newId(), school_id: t.fx.school.id, starts_on: '2026-12-04', ends_on: '2026-12-04', reason: 'INSET day' }).execute();
  });
  afterAll(async () => t?.close());

  const meeting = (id: string) => t.db.selectFrom('meetings').select(['status', 'outcome', 'follow_up_on', 'summary_sent_at']).where('id', '=', id).executeTakeFirstOrThrow();
  const summaries = (id: string) => t.db.selectFrom('outbox').select('id').where('idempotency_key', 'like', `%${id}%`).execute();

  it('refuses to record a meeting as held before it starts, and says when it can', async () => {
    const id = await insertMeeting(t.db, t.fx, { pupilId: t.fx.pupils.kuba, leadId: t.fx.staff.teacher, carerIds: [t.fx.carers.marta], startsAt: '2026-11-23T15:30:00.000Z' });
    const teacher = await t.as('staff', t.fx.staff.teacher);
    const page = await teacher.get(`/meetings/${id}/record`);
    expect(page.body).toContain('This meeting has not started yet (it starts on 23 November 2026 at 3:30pm). Record what was agreed once it has started.');
    const res = await teacher.post(`/meetings/${id}/record/outcome`, { outcome: 'Reading every night.' });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('This meeting has not started yet (it starts on 23 November 2026 at 3:30pm). Record what was agreed once it has started');
    expect(res.body).toContain('Reading every night.');
    expect(await meeting(id)).toMatchObject({ status: 'scheduled', outcome: null });
  });

  it('never sends the thank-you and summary before the meeting starts', async () => {
    // Recorded as held before it started (as the old code allowed): the summary still waits for its time.
    const id = await insertMeeting(t.db, t.fx, { pupilId: t.fx.pupils.kuba, leadId: t.fx.staff.teacher, carerIds: [t.fx.carers.marta], startsAt: '2026-11-23T15:30:00.000Z', status: 'held' });
    await t.db.updateTable('meetings').set({ outcome: 'Reading every night.' }).where('id', '=', id).execute();
    const teacher = await t.as('staff', t.fx.staff.teacher);
    const res = await teacher.post(`/meetings/${id}/record/send-summary`);
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('This meeting has not started yet (it starts on 23 November 2026 at 3:30pm). Send the thank-you and summary after it');
    expect(await meeting(id)).toMatchObject({ summary_sent_at: null });
    expect(await summaries(id)).toEqual([]);
  });

  it('warns beside the field about a follow-up date in the holidays, on a closure day or before the meeting, and saves it once confirmed', async () => {
    const id = await insertMeeting(t.db, t.fx, { pupilId: t.fx.pupils.kuba, leadId: t.fx.staff.teacher, carerIds: [t.fx.carers.marta], startsAt: '2026-11-23T08:00:00.000Z' });
    const teacher = await t.as('staff', t.fx.staff.teacher);
    const holiday = await teacher.post(`/meetings/${id}/record/outcome`, { outcome: 'Reading every night.', follow_up_on: '23/12/2026' });
    expect(holiday.statusCode).toBe(400);
    expect(holiday.body).toMatch(/id="follow_up_on-error"[^]*Wednesday 23 December 2026 is in the school holidays. Check the date, or confirm it is right/);
    expect(holiday.body).toContain('Yes, this follow-up date is right');
    expect(holiday.body).toContain('value="2026-12-23"');
    expect(holiday.body).toContain('Reading every night.');
    expect(await meeting(id)).toMatchObject({ status: 'scheduled', outcome: null, follow_up_on: null });

    const closed = await teacher.post(`/meetings/${id}/record/outcome`, { outcome: 'Reading every night.', follow_up_on: '04/12/2026' });
    expect(closed.body).toContain('The school is closed on Friday 4 December 2026. Check the date, or confirm it is right');
    // A confirmation of another date does not confirm this one.
    const other = await teacher.post(`/meetings/${id}/record/outcome`, { outcome: 'Reading every night.', follow_up_on: '04/12/2026', confirm_follow_up: '2026-12-23' });
    expect(other.statusCode).toBe(400);

    const confirmed = await teacher.post(`/meetings/${id}/record/outcome`, { outcome: 'Reading every night.', follow_up_on: '23/12/2026', confirm_follow_up: '2026-12-23' });
    expect(confirmed.statusCode).toBe(303);
    expect(await meeting(id)).toMatchObject({ status: 'held', outcome: 'Reading every night.', follow_up_on: '2026-12-23' });
    // Saving again with the same date asks nothing more.
    expect((await teacher.post(`/meetings/${id}/record/outcome`, { outcome: 'Reading every night, ten minutes.', follow_up_on: '23/12/2026' })).statusCode).toBe(303);
    // A school day is saved at once.
    expect((await teacher.post(`/meetings/${id}/record/outcome`, { outcome: 'Reading every night, ten minutes.', follow_up_on: '07/12/2026' })).statusCode).toBe(303);
    expect(await meeting(id)).toMatchObject({ follow_up_on: '2026-12-07' });
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dialects } from '../../../test/support/db.ts';
import { startTestApp, type TestApp } from '../../../test/support/app.ts';
import { insertMeeting } from './record-test-data.ts';

const NOW = new Date('2026-11-23T10:00:00.000Z'); // Monday, autumn term

describe.each(dialects)('the record of a meeting on %s', (dialect) => {
  let t: TestApp;
  let meetingId = '';
  beforeAll(async () => {
    t = await startTestApp(dialect, { clock: () => NOW });
    meetingId = await insertMeeting(t.db, t.fx, { pupilId: t.fx.pupils.kuba, leadId: t.fx.staff.teacher, carerIds: [t.fx.carers.marta, t.fx.carers.tomasz], startsAt: '2026-11-23T08:00:00.000Z' });
  });
  afterAll(async () => t?.close());

  const url = (path = '') => `/meetings/${meetingId}/record${path}`;
  const auditOf = (action: string) => t.db.selectFrom('audit_log').selectAll().where('action', '=', action).where('entity_id', 'is not', null).execute();
  const meeting = () => t.db.selectFrom('meetings').selectAll().where('id', '=', meetingId).executeTakeFirstOrThrow();

  it('shows Mr Okafor the record of his meeting with Kuba’s parents, and saves his notes', async () => {
    const teacher = await t.as('staff', t.fx.staff.teacher);
    const page = await teacher.get(url());
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Reading at home');
    expect(page.body).toContain('Jakub Nowak');
    expect(page.body).toContain('<bdi>Marta Nowak</bdi>, <bdi>Tomasz Nowak</bdi>');
    expect(page.body).toContain('<bdi>Mr Okafor</bdi> (leading)');
    expect(page.body).toContain('No notes yet.');

    const empty = await teacher.post(url('/notes'), { body: '  ' });
    expect(empty.statusCode).toBe(400);
    expect(empty.body).toContain('There is a problem');
    expect(empty.body).toContain('Enter the note');

    const saved = await teacher.post(url('/notes'), { body: 'Kuba enjoys comics.\nMum reads in Polish at bedtime.' });
    expect(saved.statusCode).toBe(303);
    expect(saved.headers.location).toBe(url('?done=note'));
    const after = await teacher.get(url('?done=note'));
    expect(after.body).toContain('Note saved.');
    expect(after.body).toContain('Kuba enjoys comics.\nMum reads in Polish at bedtime.');
    expect(after.body).toContain('Mr Okafor, 23 November 2026 at 10:00am');
    const added = await auditOf('meeting_note.added');
    expect(added).toHaveLength(1);
    expect(added[0]).toMatchObject({ actor_id: t.fx.staff.teacher });
    expect(added[0]!.after_json).not.toContain('comics'); // a note's words stay out of the audit log
  });

  it('refuses an action with no owner, a past or impossible date, keeping what was typed', async () => {
    const teacher = await t.as('staff', t.fx.staff.teacher);
    const noOwner = await teacher.post(url('/actions'), { owner: '', what: 'Set up a reading plan', due_on: '27/11/2026' });
    expect(noOwner.statusCode).toBe(400);
    expect(noOwner.body).toContain('Choose who will do it');
    expect(noOwner.body).toContain('value="Set up a reading plan"');
    expect(noOwner.body).toContain('href="#owner"');

    const past = await teacher.post(url('/actions'), { owner: `staff:${t.fx.staff.teacher}`, what: 'Set up a reading plan', due_on: '20/11/2026' });
    expect(past.statusCode).toBe(400);
    expect(past.body).toContain('The date it will be done by must be today or later');

    const unreal = await teacher.post(url('/actions'), { owner: `staff:${t.fx.staff.teacher}`, what: 'Set up a reading plan', due_on: '31/11/2026' });
    expect(unreal.statusCode).toBe(400);
    expect(unreal.body).toContain('There is no 31 November 2026: write a real date');
    expect(unreal.body).toContain('name="due_on-day" type="text" value="31"'); // the shared date input keeps what was typed
    // In the list of who will do it, each name is isolated from the words beside it (a right-to-left name cannot reorder them).
    expect(unreal.body).toMatch(/<option value="carer:[^"]+"[^>]*>\u2068Marta Nowak\u2069 \(parent or carer\)<\/option>/);

    // A carer who was not at the meeting, or another school's head, cannot be given an action.
    for (const owner of [`carer:${t.fx.carers.sarah}`, `staff:${t.fx.staff.otherHead}`]) {
      const wrong = await teacher.post(url('/actions'), { owner, what: 'Something', due_on: '27/11/2026' });
      expect(wrong.statusCode).toBe(400);
      expect(wrong.body).toContain('Choose who will do it: a member of staff, or a parent or carer who was at the meeting');
    }
    expect(await t.db.selectFrom('meeting_actions').select('id').where('meeting_id', '=', meetingId).execute()).toHaveLength(0);
  });

  it('records what the school will do and what the parent will do, by when, and marks one done', async () => {
    const teacher = await t.as('staff', t.fx.staff.teacher);
    expect((await teacher.post(url('/actions'), { owner: `staff:${t.fx.staff.teacher}`, what: 'Set up a reading plan', due_on: '27/11/2026' })).statusCode).toBe(303);
    expect((await teacher.post(url('/actions'), { owner: `carer:${t.fx.carers.marta}`, what: 'Read with Kuba three evenings a week', due_on: '2026-12-11' })).statusCode).toBe(303);
    const page = await teacher.get(url());
    expect(page.body).toContain('Set up a reading plan');
    expect(page.body).toContain('27 November 2026');
    expect(page.body).toContain('Read with Kuba three evenings a week');
    expect(page.body).toContain('Marta Nowak');

    const plan = await t.db.selectFrom('meeting_actions').select('id').where('what', '=', 'Set up a reading plan').executeTakeFirstOrThrow();
    expect((await teacher.post(url(`/actions/${plan.id}/done`))).statusCode).toBe(303);
    expect((await teacher.post(url(`/actions/${plan.id}/done`))).statusCode).toBe(303); // twice is harmless
    const done = await t.db.selectFrom('meeting_actions').select('done_at').where('id', '=', plan.id).executeTakeFirstOrThrow();
    expect(done.done_at).toBe(NOW.toISOString());
    expect(await auditOf('meeting_action.done')).toHaveLength(1);
    expect(await auditOf('meeting_action.added')).toHaveLength(2);
    expect((await teacher.post(url('/actions/0190a000-0000-7000-8000-000000000000/done'))).statusCode).toBe(404);
  });

  it('saves the outcome and follow-up date, making the meeting held; refuses a date that is not real', async () => {
    const teacher = await t.as('staff', t.fx.staff.teacher);
    const unreal = await teacher.post(url('/outcome'), { outcome: 'A reading plan, and reading at home.', follow_up_on: '30/02/2027' });
    expect(unreal.statusCode).toBe(400);
    expect(unreal.body).toContain('There is no 30 February 2027: write a real date');
    expect(unreal.body).toContain('A reading plan, and reading at home.');
    expect((await meeting()).status).toBe('scheduled');

    const saved = await teacher.post(url('/outcome'), { outcome: 'We agreed a reading plan, and reading at home three evenings a week.', follow_up_on: '14/12/2026' });
    expect(saved.statusCode).toBe(303);
    const m = await meeting();
    expect(m).toMatchObject({ status: 'held', outcome: 'We agreed a reading plan, and reading at home three evenings a week.', follow_up_on: '2026-12-14', follow_up_done_at: null });
    const audited = await auditOf('meeting.outcome_recorded');
    expect(audited).toHaveLength(1);
    expect(JSON.parse(audited[0]!.before_json!)).toMatchObject({ status: 'scheduled' });
    const page = await teacher.get(url());
    expect(page.body).toContain('name="follow_up_on-day" type="text" value="14"');
    expect(page.body).toContain('name="follow_up_on-month" type="text" value="12"');
    // The form's example dates are two weeks from the school's today (23 November), not a fixed date.
    expect(page.body).toContain('For example, 07/12/2026');
    expect(page.body).toContain('Follow-up on 14 December 2026');

    // Saving again keeps it held (compare-and-set from 'held' to 'held').
    expect((await teacher.post(url('/outcome'), { outcome: 'We agreed a reading plan, and reading at home three evenings a week.', follow_up_on: '2026-12-14' })).statusCode).toBe(303);
    expect((await meeting()).status).toBe('held');
  });

  it('marks the follow-up kept once; a new follow-up date opens it again', async () => {
    const teacher = await t.as('staff', t.fx.staff.teacher);
    expect((await teacher.post(url('/follow-up-done'))).statusCode).toBe(303);
    expect((await meeting()).follow_up_done_at).toBe(NOW.toISOString());
    expect((await teacher.post(url('/follow-up-done'))).statusCode).toBe(303);
    expect(await auditOf('meeting.follow_up_kept')).toHaveLength(1);
    expect((await teacher.get(url())).body).toContain('Kept');

    await teacher.post(url('/outcome'), { outcome: 'We agreed a reading plan, and reading at home three evenings a week.', follow_up_on: '2027-01-11' });
    expect(await meeting()).toMatchObject({ follow_up_on: '2027-01-11', follow_up_done_at: null });
  });

  it('will not record an outcome for a meeting that has not been arranged or was cancelled', async () => {
    const head = await t.as('staff', t.fx.staff.head);
    for (const status of ['requested', 'cancelled'] as const) {
      const id = await insertMeeting(t.db, t.fx, { pupilId: t.fx.pupils.kuba, status });
      const res = await head.post(`/meetings/${id}/record/outcome`, { outcome: 'Something' });
      expect(res.statusCode).toBe(400);
      expect(res.body).toContain(status === 'cancelled' ? 'This meeting was cancelled' : 'This meeting has not been arranged yet');
      expect((await t.db.selectFrom('meetings').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status).toBe(status);
    }
  });

  it('opens the record to staff on the meeting, staff who see the pupil, leaders and action owners: nobody else', async () => {
    const status = async (who: string, kind: 'staff' | 'carer' = 'staff', id = meetingId, schoolId?: string) => (await (await t.as(kind, who, schoolId)).get(`/meetings/${id}/record`)).statusCode;
    expect(await status(t.fx.staff.head)).toBe(200);
    expect(await status(t.fx.staff.senior_leader)).toBe(200);
    expect(await status(t.fx.staff.office)).toBe(200); // sees every pupil
    expect(await status(t.fx.staff.teacher2)).toBe(404); // teaches Year 4, not on the meeting
    expect(await status(t.fx.staff.governor)).toBe(404);
    expect(await status(t.fx.carers.marta, 'carer')).toBe(404); // carers never see the record
    expect(await status(t.fx.staff.otherHead, 'staff', meetingId, t.fx.other.id)).toBe(404);

    // Ms Hall is given an action: now she may open it. Ms Bell joins as a colleague: so may she.
    const teacher = await t.as('staff', t.fx.staff.teacher);
    await teacher.post(url('/actions'), { owner: `staff:${t.fx.staff.teacher2}`, what: 'Share the Year 4 reading list', due_on: '2026-11-30' });
    expect(await status(t.fx.staff.teacher2)).toBe(200);
    const noPupil = await insertMeeting(t.db, t.fx, { pupilId: null, leadId: t.fx.staff.head, colleagueIds: [t.fx.staff.teacher3] });
    expect(await status(t.fx.staff.teacher3, 'staff', noPupil)).toBe(200);
    expect(await status(t.fx.staff.office, 'staff', noPupil)).toBe(404); // no pupil, not on it
    expect(await status(t.fx.staff.dsl, 'staff', noPupil)).toBe(404); // no safeguarding note in it
  });

  it('refers an unresolved matter to a senior leader, who is alerted and may read the record', async () => {
    const teacher = await t.as('staff', t.fx.staff.teacher);
    const none = await teacher.post(url('/refer'), { referred_to: '', referral_note: '' });
    expect(none.statusCode).toBe(400);
    expect(none.body).toContain('Choose the senior leader to refer it to');
    expect(none.body).toContain('Enter what is unresolved and what you need from them');
    const notLeader = await teacher.post(url('/refer'), { referred_to: t.fx.staff.office, referral_note: 'Dad disputes the SEN plan.' });
    expect(notLeader.statusCode).toBe(400);
    expect(notLeader.body).toContain('Choose the head or a senior leader to refer it to');

    const referred = await teacher.post(url('/refer'), { referred_to: t.fx.staff.senior_leader, referral_note: 'Dad disputes the SEN plan; he wants a meeting with a leader.' });
    expect(referred.statusCode).toBe(303);
    expect(await meeting()).toMatchObject({ referred_to: t.fx.staff.senior_leader, referral_note: 'Dad disputes the SEN plan; he wants a meeting with a leader.', referred_at: NOW.toISOString() });
    const alerts = await t.db.selectFrom('staff_alerts').selectAll().where('kind', '=', 'referral').execute();
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ staff_id: t.fx.staff.senior_leader, link: url(), title: 'Mr Okafor referred a meeting to you: please read its record' });
    const email = await t.sink.waitFor('green@brookfield.test');
    expect(email.text).toContain(`http://gatepost.test${url()}`);
    expect(email.text).not.toContain('disputes');

    const leader = await t.as('staff', t.fx.staff.senior_leader);
    const page = await leader.get(url());
    expect(page.body).toContain('Referred to Mr Green');
    expect(page.body).toContain('Dad disputes the SEN plan');
    expect(await auditOf('meeting.referred')).toHaveLength(1);
  });

  // Last: it adds audit entries the tests above count.
  it('saves a note and an action once when the same form is sent twice (a double press with JavaScript off)', async () => {
    const teacher = await t.as('staff', t.fx.staff.teacher);
    // A meeting of its own, so the other tests' counts stand.
    const meetingId = await insertMeeting(t.db, t.fx, { pupilId: t.fx.pupils.kuba, leadId: t.fx.staff.teacher, carerIds: [t.fx.carers.marta], startsAt: '2026-11-23T08:00:00.000Z' });
    const url = (path = '') => `/meetings/${meetingId}/record${path}`;
    const idIn = (html: string, name: string) => new RegExp(`name="${name}" value="([^"]+)"`).exec(html)?.[1];
    const page = (await teacher.get(url())).body;
    const noteId = idIn(page, 'note_id')!;
    const actionId = idIn(page, 'action_id')!;
    expect(noteId).toMatch(/^[0-9a-f-]{36}$/);
    expect(actionId).not.toBe(noteId);
    // An error first: the form comes back with the same id.
    const empty = await teacher.post(url('/notes'), { note_id: noteId, body: ' ' });
    expect(idIn(empty.body, 'note_id')).toBe(noteId);
    for (let i = 0; i < 2; i++) expect((await teacher.post(url('/notes'), { note_id: noteId, body: 'Said twice, saved once.' })).statusCode).toBe(303);
    const notes = await t.db.selectFrom('meeting_notes').select('body').where('meeting_id', '=', meetingId).execute();
    expect(notes).toEqual([{ body: 'Said twice, saved once.' }]);
    const action = { action_id: actionId, owner: `staff:${t.fx.staff.teacher}`, what: 'Send the phonics booklet home', due_on: '2026-12-18' };
    for (let i = 0; i < 2; i++) expect((await teacher.post(url('/actions'), action)).statusCode).toBe(303);
    expect(await t.db.selectFrom('meeting_actions').select('id').where('meeting_id', '=', meetingId).where('what', '=', action.what).execute()).toHaveLength(1);
    expect((await auditOf('meeting_action.added')).filter((a) => a.after_json?.includes('phonics'))).toHaveLength(1);

    // The same id again with other words (a page restored from the browser's history) is a new
    // note, never dropped: and a safeguarding concern still reaches the DSL.
    const again = await teacher.post(url('/notes'), { note_id: noteId, body: 'Kuba said he is scared to go home.', safeguarding: 'yes' });
    expect(again.headers.location).toBe(url('?done=safeguarding'));
    const concern = await t.db
      .selectFrom('meeting_notes')
      .select(['id', 'safeguarding'])
      .where('meeting_id', '=', meetingId)
      .where('body', '=', 'Kuba said he is scared to go home.')
      .executeTakeFirstOrThrow();
    expect(concern.id).not.toBe(noteId);
    expect(Number(concern.safeguarding)).toBe(1);
    const alerts = await t.db.selectFrom('staff_alerts').select('staff_id').where('kind', '=', 'safeguarding').where('link', 'like', `%${meetingId}%`).execute();
    expect(alerts.map((a) => a.staff_id)).toContain(t.fx.staff.dsl);
  });
});

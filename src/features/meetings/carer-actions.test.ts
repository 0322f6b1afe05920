import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dialects } from '../../../test/support/db.ts';
import { startTestApp, type TestApp } from '../../../test/support/app.ts';
import { newId } from '../../platform/ids.ts';
import { planWithoutStatistics } from '../../db/query-plan.ts';
import { carerActionsOf, carerActionsStatement } from './carer-actions-queries.ts';
import { overdueInSchool } from './follow-ups-queries.ts';
import { insertMeeting } from './record-test-data.ts';
import { emailsTo } from './meetings-test-support.ts';
import { textNodes, untranslated } from '../../../test/support/visible-text.ts';

// Before the sessions the tests sign in with (made at the real time), as the other meeting tests.
const NOW = new Date('2026-12-03T10:00:00.000Z'); // Thursday

/**
 * After a meeting the family marks what they agreed to do as done, with how it is going, or not done
 * yet; the lead sees it on the meeting's record. Only their own action, only while they may hear.
 */
describe.each(dialects)('a carer marks their own meeting action done on %s', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(dialect, { clock: () => NOW });
  });
  afterAll(async () => t?.close());

  /** A held meeting about Kuba with Marta and Tomasz, its summary sent: Marta's action (overdue), Tomasz's, and the school's. */
  async function heldMeeting() {
    const fx = t.fx;
    const meetingId = await insertMeeting(t.db, fx, { pupilId: fx.pupils.kuba, leadId: fx.staff.teacher, carerIds: [fx.carers.marta, fx.carers.tomasz], status: 'held', followUpOn: '2026-12-15' });
    await t.db.updateTable('meetings').set({ outcome: 'A reading plan for Kuba.', summary_sent_at: '2026-11-25T09:00:00.000Z' }).where('id', '=', meetingId).execute();
    const action = async (owner: { carer: string } | { staff: string }, what: string, dueOn: string) => {
      const id = newId();
      await t.db
        .insertInto('meeting_actions')
        .values({
          id,
          school_id: fx.school.id,
          meeting_id: meetingId,
          owner_kind: 'carer' in owner ? 'carer' : 'school',
          staff_id: 'staff' in owner ? owner.staff : null,
          carer_id: 'carer' in owner ? owner.carer : null,
          what,
          due_on: dueOn,
          done_at: null,
          created_at: '2026-11-24T16:00:00.000Z',
        })
        .execute();
      return id;
    };
    return {
      meetingId,
      marta: await action({ carer: fx.carers.marta }, 'Read with Kuba three evenings a week', '2026-12-01'),
      tomasz: await action({ carer: fx.carers.tomasz }, 'Ask Kuba about his reading at weekends', '2026-12-20'),
      school: await action({ staff: fx.staff.teacher }, 'Set up a reading plan', '2026-11-27'),
    };
  }
  const actionRow = (id: string) => t.db.selectFrom('meeting_actions').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const audits = (id: string) => t.db.selectFrom('audit_log').select(['action', 'actor_kind', 'actor_id']).where('entity_id', '=', id).orderBy('at').orderBy('id').execute();
  /** The row of one action on the staff record page. */
  const rowOf = (html: string, actionId: string) => html.slice(html.indexOf(`id="action-${actionId}"`), html.indexOf('</tr>', html.indexOf(`id="action-${actionId}"`)));

  it('marks it done with a note: the lead sees who, when and the note, it is no longer overdue, and is told once by email', async () => {
    const m = await heldMeeting();
    const okafor = await t.as('staff', t.fx.staff.teacher);
    expect(rowOf((await okafor.get(`/meetings/${m.meetingId}/record`)).body, m.marta)).toContain('Overdue');

    const marta = await t.as('carer', t.fx.carers.marta);
    const page = await marta.get(`/my-meetings/${m.meetingId}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('What you said you would do');
    expect(page.body).toContain(`action="/my-meetings/${m.meetingId}/actions/${m.marta}/done"`);
    // Only her own action has a form: not the school's, not Tomasz's.
    expect(page.body).not.toContain(`/actions/${m.school}/done`);
    expect(page.body).not.toContain(`/actions/${m.tomasz}/done`);

    const done = await marta.post(`/my-meetings/${m.meetingId}/actions/${m.marta}/done`, { note: 'We read on Monday, Wednesday and Friday. He chooses the book.' });
    expect(done.statusCode).toBe(303);
    expect(done.headers.location).toBe(`/my-meetings/${m.meetingId}?done=action_done#action-${m.marta}`);
    const row = await actionRow(m.marta);
    expect(row.done_at).toBe(NOW.toISOString());
    expect(row.done_by_carer_id).toBe(t.fx.carers.marta);
    expect(row.carer_note).toBe('We read on Monday, Wednesday and Friday. He chooses the book.');
    expect(await audits(m.marta)).toEqual([{ action: 'meeting_action.done_by_carer', actor_kind: 'carer', actor_id: t.fx.carers.marta }]);

    const after = await marta.get(`/my-meetings/${m.meetingId}?done=action_done`);
    expect(after.body).toContain('The school can see you have done it');
    expect(after.body).toContain('You marked this as done');
    expect(after.body).toContain(`action="/my-meetings/${m.meetingId}/actions/${m.marta}/not-done"`);
    // Done now: off her home page's list of things to do.
    expect((await marta.get('/')).body).not.toContain('Read with Kuba three evenings a week');

    const record = (await okafor.get(`/meetings/${m.meetingId}/record`)).body;
    const shown = rowOf(record, m.marta);
    expect(shown).toContain('Done');
    expect(shown).toContain('Marked done by <bdi>Marta Nowak</bdi>');
    expect(shown).toContain('We read on Monday, Wednesday and Friday. He chooses the book.');
    expect(shown).not.toContain('Overdue');
    // Overdue lists of the school's own actions keep the school's overdue one (and never listed the family's).
    const overdue = await overdueInSchool(t.db, t.fx.school.id, '2026-12-03');
    expect(overdue.filter((f) => f.meetingId === m.meetingId).map((f) => f.what)).toEqual(['Set up a reading plan']);

    // Mr Okafor, who led it, is told by email, without her words.
    const mails = (await emailsTo(t, 'okafor@brookfield.test')).filter((e) => e.key.includes(m.marta));
    expect(mails).toHaveLength(1);
    expect(mails[0]!.subject).toBe('Marta Nowak marked something they agreed to do at the meeting about Jakub as done');
    expect(mails[0]!.text).toContain(`/meetings/${m.meetingId}/record#action-${m.marta}`);
    expect(mails[0]!.text).not.toContain('He chooses the book');

    // A second press changes nothing.
    await marta.post(`/my-meetings/${m.meetingId}/actions/${m.marta}/done`, { note: 'Again' });
    expect((await actionRow(m.marta)).carer_note).toBe('We read on Monday, Wednesday and Friday. He chooses the book.');
    expect(await audits(m.marta)).toHaveLength(1);
  });

  it('undoes her own marking ("not done yet"): overdue again, her words kept, audited, and marking it again emails no one twice', async () => {
    const m = await heldMeeting();
    const marta = await t.as('carer', t.fx.carers.marta);
    await marta.post(`/my-meetings/${m.meetingId}/actions/${m.marta}/done`, { note: 'Halfway through the book.' });
    expect((await actionRow(m.marta)).carer_note).toBe('Halfway through the book.');
    const undo = await marta.post(`/my-meetings/${m.meetingId}/actions/${m.marta}/not-done`);
    expect(undo.statusCode).toBe(303);
    expect(undo.headers.location).toBe(`/my-meetings/${m.meetingId}?done=action_undone#action-${m.marta}`);
    // Her words stay as her latest on how it is going, dated when she wrote them (as when the school changes a tick back).
    const row = await actionRow(m.marta);
    expect([row.done_at, row.done_by_carer_id, row.carer_note, row.carer_note_at]).toEqual([null, null, 'Halfway through the book.', NOW.toISOString()]);
    const trail = await audits(m.marta);
    expect(trail.map((a) => a.action)).toEqual(['meeting_action.done_by_carer', 'meeting_action.undone_by_carer']);
    const page = await marta.get(`/my-meetings/${m.meetingId}?done=action_undone`);
    expect(page.body).toContain('We have changed it back to not done yet.');
    expect(page.body).toContain(`/actions/${m.marta}/done`);
    expect(page.body).toContain('>Halfway through the book.</textarea>');
    expect(page.body).toContain('You last wrote this: 3 December 2026');
    expect((await marta.get('/')).body).toContain('Read with Kuba three evenings a week');
    const okafor = await t.as('staff', t.fx.staff.teacher);
    const record = rowOf((await okafor.get(`/meetings/${m.meetingId}/record`)).body, m.marta);
    expect(record).toContain('Overdue');
    expect(record).toContain('Halfway through the book.');

    await marta.post(`/my-meetings/${m.meetingId}/actions/${m.marta}/done`, { note: 'Back on track' });
    expect((await emailsTo(t, 'okafor@brookfield.test')).filter((e) => e.key.includes(m.marta))).toHaveLength(1);
    // A note from before migration 0044 (no date of its own) keeps the day of the tick it came with.
    await t.db.updateTable('meeting_actions').set({ done_at: '2026-12-01T18:00:00.000Z', carer_note_at: null }).where('id', '=', m.marta).execute();
    // Undoing twice (a double click) is one change.
    await marta.post(`/my-meetings/${m.meetingId}/actions/${m.marta}/not-done`);
    await marta.post(`/my-meetings/${m.meetingId}/actions/${m.marta}/not-done`);
    expect((await audits(m.marta)).map((a) => a.action)).toEqual(['meeting_action.done_by_carer', 'meeting_action.undone_by_carer', 'meeting_action.done_by_carer', 'meeting_action.undone_by_carer']);
    const again = await actionRow(m.marta);
    expect([again.done_at, again.carer_note, again.carer_note_at]).toEqual([null, 'Back on track', '2026-12-01T18:00:00.000Z']);
  });

  it("cannot tick the school's action, nor undo one the school marked done", async () => {
    const m = await heldMeeting();
    const marta = await t.as('carer', t.fx.carers.marta);
    expect((await marta.post(`/my-meetings/${m.meetingId}/actions/${m.school}/done`, { note: 'Done' })).statusCode).toBe(404);
    expect((await actionRow(m.school)).done_at).toBeNull();
    // Mr Okafor marks her action done himself: she sees it done, with nothing of hers to undo.
    const okafor = await t.as('staff', t.fx.staff.teacher);
    expect((await okafor.post(`/meetings/${m.meetingId}/record/actions/${m.marta}/done`)).statusCode).toBe(303);
    const page = await marta.get(`/my-meetings/${m.meetingId}`);
    expect(page.body).not.toContain(`/actions/${m.marta}/not-done`);
    expect(await marta.post(`/my-meetings/${m.meetingId}/actions/${m.marta}/not-done`).then((r) => r.statusCode)).toBe(303);
    expect((await actionRow(m.marta)).done_at).not.toBeNull();
    expect((await audits(m.marta)).map((a) => a.action)).toEqual(['meeting_action.done']);
  });

  it('answers 404 to another carer: the other parent, another family, another school, and a parent a restriction keeps from the summary', async () => {
    const m = await heldMeeting();
    const post = async (carerId: string, actionId: string, schoolId?: string) => {
      const c = await t.as('carer', carerId, schoolId);
      return (await c.post(`/my-meetings/${m.meetingId}/actions/${actionId}/done`, { note: 'Done' })).statusCode;
    };
    expect(await post(t.fx.carers.tomasz, m.marta)).toBe(404);
    expect(await post(t.fx.carers.sarah, m.marta)).toBe(404);
    expect(await post(t.fx.carers.otherCarer, m.marta, t.fx.other.id)).toBe(404);
    expect((await actionRow(m.marta)).done_at).toBeNull();

    // A court order stopping contact (not information): Tomasz still opens the meeting, but the
    // summary, and so ticking his action, is not his while it is in force.
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
        details: 'No contact',
        starts_on: '2026-12-01',
        ends_on: null,
        lifted_at: null,
        created_by: t.fx.staff.head,
        created_at: '2026-12-01T09:00:00.000Z',
      })
      .execute();
    const tomasz = await t.as('carer', t.fx.carers.tomasz);
    const page = await tomasz.get(`/my-meetings/${m.meetingId}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).not.toContain(`/actions/${m.tomasz}/done`);
    expect(await post(t.fx.carers.tomasz, m.tomasz)).toBe(404);
    expect((await actionRow(m.tomasz)).done_at).toBeNull();
    // Mark, restricted from Lily (information and contact), has no meeting here to reach.
    expect(await post(t.fx.carers.mark, m.marta)).toBe(404);
  });

  it('speaks Marta’s language: her actions, the form, what she marked done and the undo', async () => {
    const m = await heldMeeting();
    const english = await t.as('carer', t.fx.carers.marta);
    await english.post(`/my-meetings/${m.meetingId}/actions/${m.marta}/done`, { note: 'Czytamy razem' });
    await t.db.updateTable('meeting_actions').set({ carer_id: t.fx.carers.marta }).where('id', '=', m.tomasz).execute();
    const polish = await t.as('carer', t.fx.carers.marta, undefined, { ownLanguage: true });
    const [pl, en] = await Promise.all([polish.get(`/my-meetings/${m.meetingId}?done=action_done`), english.get(`/my-meetings/${m.meetingId}?done=action_done`)]);
    expect(pl.body).toContain('Co Państwo obiecali zrobić');
    expect(pl.body).toContain('Oznacz jako zrobione');
    expect(pl.body).toContain('Jeszcze niezrobione');
    // Nothing in English but what the school wrote (the meeting's topic).
    expect(untranslated(textNodes(pl.body), new Set(textNodes(en.body).map((n) => n.text))).filter((text) => text !== 'Reading at home')).toEqual([]);
    const home = await polish.get('/');
    expect(home.body).toContain('Spotkania kontrolne');
    expect(home.body).not.toContain('Follow-up meetings');
  });

  it('refuses a note over 500 characters: the error beside the field, the words kept', async () => {
    const m = await heldMeeting();
    const marta = await t.as('carer', t.fx.carers.marta);
    const long = `Kuba & I read ${'every night '.repeat(45)}`.trim();
    expect(long.length).toBeGreaterThan(500);
    const res = await marta.post(`/my-meetings/${m.meetingId}/actions/${m.marta}/done`, { note: long });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('href="#note-' + m.marta + '"');
    expect(res.body).toContain(`id="note-${m.marta}-error"`);
    expect(res.body).toContain('Write 500 characters or fewer');
    expect(res.body).toContain('Kuba &amp; I read every night');
    expect((await actionRow(m.marta)).done_at).toBeNull();
    expect(await audits(m.marta)).toEqual([]);
  });

  it('finds a carer’s own open actions by the carer, not by reading every action of every meeting (on each of her home pages)', async () => {
    const { marta, tomasz, school } = await heldMeeting();
    // A school that began empty: no statistics about meeting actions (SQLite gathers none unless asked).
    const plan = (await planWithoutStatistics(t.db, carerActionsStatement(t.db, t.fx.school.id, t.fx.carers.marta).compile())).join('\n');
    expect(plan).toMatch(/meeting_actions_carer/);
    expect(plan).not.toMatch(/SCAN meeting_actions|Seq Scan on meeting_actions/);
    const ids = (await carerActionsOf(t.db, t.fx.school.id, t.fx.carers.marta)).map((a) => a.id);
    expect(ids).toContain(marta);
    expect(ids).not.toContain(tomasz);
    expect(ids).not.toContain(school);
    expect((await carerActionsOf(t.db, t.fx.other.id, t.fx.carers.marta)).map((a) => a.id)).toEqual([]);
  });
});

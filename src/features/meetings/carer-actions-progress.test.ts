import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dialects } from '../../../test/support/db.ts';
import { startTestApp, type TestApp } from '../../../test/support/app.ts';
import { newId } from '../../platform/ids.ts';
import { actionRow, auditsOf, heldMeetingWithActions, recordRowOf } from './carer-actions-test-data.ts';
import { emailsTo } from './meetings-test-support.ts';
import { textNodes, untranslated } from '../../../test/support/visible-text.ts';

const NOW = new Date('2026-12-03T10:00:00.000Z'); // Thursday

/**
 * Closing the loop: a carer saves how their action is going without marking it done, and the staff
 * record shows it with its date; a member of staff who may open the record changes a family's
 * mistaken tick back to not done, audited with their name, and the family sees it open again.
 */
describe.each(dialects)('how it is going, and a tick changed back by staff, on %s', (dialect) => {
  let t: TestApp;
  let now = NOW;
  beforeAll(async () => {
    t = await startTestApp(dialect, { clock: () => now });
  });
  afterAll(async () => t?.close());

  it('saves how it is going without marking it done: the record shows her words and the date, and it stays open', async () => {
    const m = await heldMeetingWithActions(t);
    const marta = await t.as('carer', t.fx.carers.marta);
    const page = (await marta.get(`/my-meetings/${m.meetingId}`)).body;
    expect(page).toContain(`formaction="/my-meetings/${m.meetingId}/actions/${m.marta}/progress"`);
    expect(page).toContain('Save how it is going');

    const saved = await marta.post(`/my-meetings/${m.meetingId}/actions/${m.marta}/progress`, { note: 'Two evenings so far. He likes the dragon books.' });
    expect(saved.statusCode).toBe(303);
    expect(saved.headers.location).toBe(`/my-meetings/${m.meetingId}?done=action_progress#action-${m.marta}`);
    const row = await actionRow(t, m.marta);
    expect([row.done_at, row.carer_note, row.carer_note_at]).toEqual([null, 'Two evenings so far. He likes the dragon books.', NOW.toISOString()]);
    expect((await auditsOf(t, m.marta)).map((a) => [a.action, a.actor_kind, a.actor_id])).toEqual([['meeting_action.progress_by_carer', 'carer', t.fx.carers.marta]]);

    const after = (await marta.get(`/my-meetings/${m.meetingId}?done=action_progress`)).body;
    expect(after).toContain('The school can see how it is going');
    expect(after).toContain('You last wrote this: 3 December 2026');
    // Her words are in the box, to mark it done with or change; it is still hers to tick, and on her home page.
    expect(after).toContain('>Two evenings so far. He likes the dragon books.</textarea>');
    expect(after).toContain(`action="/my-meetings/${m.meetingId}/actions/${m.marta}/done"`);
    expect((await marta.get('/')).body).toContain(m.marta);

    const okafor = await t.as('staff', t.fx.staff.teacher);
    const shown = recordRowOf((await okafor.get(`/meetings/${m.meetingId}/record`)).body, m.marta);
    expect(shown).toContain('How it is going</span> (<bdi>Marta Nowak</bdi>, 3 December 2026 at 10:00am)');
    expect(shown).toContain('Two evenings so far. He likes the dragon books.');
    expect(shown).toContain('Overdue');
    expect(shown).not.toContain('Marked done by');

    // The same words again (a second press) change nothing; new words are a new entry; nobody is emailed.
    await marta.post(`/my-meetings/${m.meetingId}/actions/${m.marta}/progress`, { note: 'Two evenings so far. He likes the dragon books.' });
    await marta.post(`/my-meetings/${m.meetingId}/actions/${m.marta}/progress`, { note: 'Three evenings this week.' });
    expect((await auditsOf(t, m.marta)).map((a) => a.action)).toEqual(['meeting_action.progress_by_carer', 'meeting_action.progress_by_carer']);
    expect((await emailsTo(t, 'okafor@brookfield.test')).filter((e) => e.key.includes(m.marta))).toEqual([]);

    // Mr Okafor ticks it off himself: her latest words stay on the record; no family tick to change back.
    await okafor.post(`/meetings/${m.meetingId}/record/actions/${m.marta}/done`);
    const ticked = recordRowOf((await okafor.get(`/meetings/${m.meetingId}/record`)).body, m.marta);
    expect(ticked).toContain('Three evenings this week.');
    expect(ticked).not.toContain('Change back to not done');
  });

  it('marks it done later with the words she saved: they keep the day she wrote them', async () => {
    const m = await heldMeetingWithActions(t);
    const marta = await t.as('carer', t.fx.carers.marta);
    now = new Date('2026-12-01T19:00:00.000Z');
    try {
      await marta.post(`/my-meetings/${m.meetingId}/actions/${m.marta}/progress`, { note: 'Every evening this week.' });
    } finally {
      now = NOW;
    }
    await marta.post(`/my-meetings/${m.meetingId}/actions/${m.marta}/done`, { note: 'Every evening this week.' });
    const row = await actionRow(t, m.marta);
    expect([row.done_at, row.carer_note_at]).toEqual([NOW.toISOString(), '2026-12-01T19:00:00.000Z']);
    // New words when she ticks it are dated with the tick.
    await marta.post(`/my-meetings/${m.meetingId}/actions/${m.marta}/not-done`);
    await marta.post(`/my-meetings/${m.meetingId}/actions/${m.marta}/done`, { note: 'Finished the book.' });
    expect((await actionRow(t, m.marta)).carer_note_at).toBe(NOW.toISOString());
  });

  it('asks for the words when she saves an empty note, beside the field, and refuses one over 500 characters keeping what she typed', async () => {
    const m = await heldMeetingWithActions(t);
    const marta = await t.as('carer', t.fx.carers.marta);
    const empty = await marta.post(`/my-meetings/${m.meetingId}/actions/${m.marta}/progress`, { note: '   ' });
    expect(empty.statusCode).toBe(400);
    expect(empty.body).toContain(`href="#note-${m.marta}"`);
    expect(empty.body).toContain(`id="note-${m.marta}-error"`);
    expect(empty.body).toContain('Write how it is going, then save it');
    const long = `Kuba & I read ${'every night '.repeat(45)}`.trim();
    const tooLong = await marta.post(`/my-meetings/${m.meetingId}/actions/${m.marta}/progress`, { note: long });
    expect(tooLong.statusCode).toBe(400);
    expect(tooLong.body).toContain('Write 500 characters or fewer');
    expect(tooLong.body).toContain('Kuba &amp; I read every night');
    const row = await actionRow(t, m.marta);
    expect([row.carer_note, row.done_at]).toEqual([null, null]);
    expect(await auditsOf(t, m.marta)).toEqual([]);
  });

  it("saves nothing on someone else's action: the other parent, the school's, another school, or while a restriction stops the summary", async () => {
    const m = await heldMeetingWithActions(t);
    const post = async (carerId: string, actionId: string, schoolId?: string) =>
      (await (await t.as('carer', carerId, schoolId)).post(`/my-meetings/${m.meetingId}/actions/${actionId}/progress`, { note: 'Going well' })).statusCode;
    expect(await post(t.fx.carers.tomasz, m.marta)).toBe(404);
    expect(await post(t.fx.carers.marta, m.school)).toBe(404);
    expect(await post(t.fx.carers.sarah, m.marta)).toBe(404);
    expect(await post(t.fx.carers.otherCarer, m.marta, t.fx.other.id)).toBe(404);
    await restrictContact(t, t.fx.carers.tomasz);
    expect(await post(t.fx.carers.tomasz, m.tomasz)).toBe(404);
    for (const id of [m.marta, m.school, m.tomasz]) expect((await actionRow(t, id)).carer_note).toBeNull();
  });

  it('lets the lead change a mistaken tick back to not done: audited with his name, her words kept, open again for her', async () => {
    const m = await heldMeetingWithActions(t);
    const marta = await t.as('carer', t.fx.carers.marta);
    await marta.post(`/my-meetings/${m.meetingId}/actions/${m.marta}/done`, { note: 'All done, every evening.' });
    const okafor = await t.as('staff', t.fx.staff.teacher);
    const record = recordRowOf((await okafor.get(`/meetings/${m.meetingId}/record`)).body, m.marta);
    expect(record).toContain(`action="/meetings/${m.meetingId}/record/actions/${m.marta}/reopen"`);
    expect(record).toContain('Change back to not done');

    const reopened = await okafor.post(`/meetings/${m.meetingId}/record/actions/${m.marta}/reopen`);
    expect(reopened.statusCode).toBe(303);
    expect(reopened.headers.location).toBe(`/meetings/${m.meetingId}/record?done=action-reopened#action-${m.marta}`);
    const row = await actionRow(t, m.marta);
    expect([row.done_at, row.done_by_carer_id, row.carer_note, row.carer_note_at]).toEqual([null, null, 'All done, every evening.', NOW.toISOString()]);
    const audits = await auditsOf(t, m.marta);
    expect(audits.map((a) => [a.action, a.actor_kind, a.actor_id])).toEqual([
      ['meeting_action.done_by_carer', 'carer', t.fx.carers.marta],
      ['meeting_action.reopened_by_staff', 'staff', t.fx.staff.teacher],
    ]);
    expect(JSON.parse(audits[1]!.before_json!)).toMatchObject({ done_by_carer_id: t.fx.carers.marta, note: 'All done, every evening.' });

    const after = (await okafor.get(`/meetings/${m.meetingId}/record?done=action-reopened`)).body;
    expect(after).toContain('Changed back to not done');
    expect(recordRowOf(after, m.marta)).toContain('Overdue');
    expect(recordRowOf(after, m.marta)).not.toContain('Marked done by');
    // Marta sees it open again: the form to mark it done, her words in the box, and on her home page.
    const page = (await marta.get(`/my-meetings/${m.meetingId}`)).body;
    expect(page).toContain(`action="/my-meetings/${m.meetingId}/actions/${m.marta}/done"`);
    expect(page).not.toContain(`/actions/${m.marta}/not-done`);
    expect(page).toContain('>All done, every evening.</textarea>');
    expect((await marta.get('/')).body).toContain(m.marta);

    // A second press changes nothing; ticking again later emails Mr Okafor no second time.
    await okafor.post(`/meetings/${m.meetingId}/record/actions/${m.marta}/reopen`);
    expect(await auditsOf(t, m.marta)).toHaveLength(2);
    await marta.post(`/my-meetings/${m.meetingId}/actions/${m.marta}/done`, { note: 'Now really done.' });
    expect((await emailsTo(t, 'okafor@brookfield.test')).filter((e) => e.key.includes(m.marta))).toHaveLength(1);
  });

  it("changes back only a family's own tick, and only for staff who may open the record", async () => {
    const m = await heldMeetingWithActions(t);
    const okafor = await t.as('staff', t.fx.staff.teacher);
    // The school's action (even ticked) is not the family's: page not found.
    await okafor.post(`/meetings/${m.meetingId}/record/actions/${m.school}/done`);
    expect((await okafor.post(`/meetings/${m.meetingId}/record/actions/${m.school}/reopen`)).statusCode).toBe(404);
    expect((await actionRow(t, m.school)).done_at).not.toBeNull();
    // A family's action Mr Okafor ticked himself is no family tick: nothing changes.
    await okafor.post(`/meetings/${m.meetingId}/record/actions/${m.tomasz}/done`);
    await okafor.post(`/meetings/${m.meetingId}/record/actions/${m.tomasz}/reopen`);
    expect((await actionRow(t, m.tomasz)).done_at).not.toBeNull();

    const marta = await t.as('carer', t.fx.carers.marta);
    await marta.post(`/my-meetings/${m.meetingId}/actions/${m.marta}/done`, { note: 'Done' });
    const tryAs = async (staffId: string, schoolId?: string) => (await (await t.as('staff', staffId, schoolId)).post(`/meetings/${m.meetingId}/record/actions/${m.marta}/reopen`)).statusCode;
    // Ms Hall teaches Year 4 and is not on the meeting; Dr Shah is a governor; the other school's head.
    expect(await tryAs(t.fx.staff.teacher2)).toBe(404);
    expect([403, 404]).toContain(await tryAs(t.fx.staff.governor));
    expect(await tryAs(t.fx.staff.otherHead, t.fx.other.id)).toBe(404);
    // A carer cannot reach a staff route.
    expect([403, 404]).toContain((await marta.post(`/meetings/${m.meetingId}/record/actions/${m.marta}/reopen`)).statusCode);
    expect((await actionRow(t, m.marta)).done_by_carer_id).toBe(t.fx.carers.marta);
    // The head opens every record, so she may.
    expect(await tryAs(t.fx.staff.head)).toBe(303);
    expect((await auditsOf(t, m.marta)).at(-1)).toMatchObject({ action: 'meeting_action.reopened_by_staff', actor_id: t.fx.staff.head });
  });

  it('speaks Marta’s language: saving how it is going and what it says after', async () => {
    const m = await heldMeetingWithActions(t);
    const english = await t.as('carer', t.fx.carers.marta);
    await english.post(`/my-meetings/${m.meetingId}/actions/${m.marta}/progress`, { note: 'Czytamy razem' });
    const polish = await t.as('carer', t.fx.carers.marta, undefined, { ownLanguage: true });
    const [pl, en] = await Promise.all([polish.get(`/my-meetings/${m.meetingId}?done=action_progress`), english.get(`/my-meetings/${m.meetingId}?done=action_progress`)]);
    expect(pl.body).toContain('Zapisz, jak idzie');
    expect(pl.body).toContain('Szkoła widzi, jak idzie');
    expect(untranslated(textNodes(pl.body), new Set(textNodes(en.body).map((n) => n.text))).filter((text) => text !== 'Reading at home')).toEqual([]);
    const error = await polish.post(`/my-meetings/${m.meetingId}/actions/${m.marta}/progress`, { note: '' });
    expect(error.body).toContain('Prosimy napisać, jak idzie, a potem zapisać');
  });
});

/** A court order stopping contact (not information) between this carer and Kuba, from 1 December. */
async function restrictContact(t: TestApp, carerId: string) {
  await t.db
    .insertInto('restrictions')
    .values({
      id: newId(),
      school_id: t.fx.school.id,
      pupil_id: t.fx.pupils.kuba,
      carer_id: carerId,
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
}

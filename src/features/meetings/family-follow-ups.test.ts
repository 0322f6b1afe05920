import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dialects } from '../../../test/support/db.ts';
import { startTestApp, type TestApp } from '../../../test/support/app.ts';
import { heldMeetingWithActions } from './carer-actions-test-data.ts';
import { planWithoutStatistics } from '../../db/query-plan.ts';
import { familyFollowUpsOf, familyFollowUpsStatement, familyOverdueInSchool, familyOverdueStatement } from './family-follow-ups.ts';
import { overdueInSchool, schoolCalendar } from './follow-ups-queries.ts';

const NOW = new Date('2026-12-03T10:00:00.000Z'); // Thursday
const TODAY = '2026-12-03';

/** The part of a page from one element's id to the end of its list. */
const listOf = (html: string, id: string) => (html.includes(`id="${id}"`) ? html.slice(html.indexOf(`id="${id}"`), html.indexOf('</ul>', html.indexOf(`id="${id}"`))) : '');
const liContaining = (html: string, text: string) => html.slice(html.lastIndexOf('<li', html.indexOf(text)), html.indexOf('</li>', html.indexOf(text)));
const itemOf = (html: string, id: string) => html.slice(html.indexOf(`id="family-action-${id}"`), html.indexOf('</li>', html.indexOf(`id="family-action-${id}"`)));

/**
 * The staff follow-up lists show what families said they would do, apart from the school's own: the
 * lead sees each family action of their meetings overdue, open (with the family's latest note) or
 * done ("done – marked by Marta Nowak on 3 December 2026" and her note); the head's school-wide
 * overdue list has the families' overdue actions among the school's, oldest first, marked "Family".
 */
describe.each(dialects)("families' actions on the staff follow-up lists on %s", (dialect) => {
  let t: TestApp;
  let a: Awaited<ReturnType<typeof heldMeetingWithActions>>;
  let b: Awaited<ReturnType<typeof heldMeetingWithActions>>;
  let cancelled: Awaited<ReturnType<typeof heldMeetingWithActions>>;
  beforeAll(async () => {
    t = await startTestApp(dialect, { clock: () => NOW });
    // A: follow-up on 15 December still to keep. Marta's action overdue (1 December); Tomasz says how it is going.
    a = await heldMeetingWithActions(t, { topic: 'Reading plan' });
    // B: no follow-up date. Marta ticks hers off with a note; Mr Okafor ticks Tomasz's himself.
    b = await heldMeetingWithActions(t, { martaDue: '2026-12-10', followUpOn: null, topic: 'Spelling' });
    // A cancelled meeting: nothing of it is anyone's to chase.
    cancelled = await heldMeetingWithActions(t, { martaDue: '2026-11-20', topic: 'Cancelled' });
    await t.db.updateTable('meetings').set({ status: 'cancelled' }).where('id', '=', cancelled.meetingId).execute();

    const [marta, tomasz, okafor] = [await t.as('carer', t.fx.carers.marta), await t.as('carer', t.fx.carers.tomasz), await t.as('staff', t.fx.staff.teacher)];
    expect((await tomasz.post(`/my-meetings/${a.meetingId}/actions/${a.tomasz}/progress`, { note: 'We talk about his book every Saturday.' })).statusCode).toBe(303);
    expect((await marta.post(`/my-meetings/${b.meetingId}/actions/${b.marta}/done`, { note: 'He learns five words a week.' })).statusCode).toBe(303);
    expect((await okafor.post(`/meetings/${b.meetingId}/record/actions/${b.tomasz}/done`)).statusCode).toBe(303);
  });
  afterAll(async () => t?.close());

  it("gives the lead the families' actions with their state, apart from the school's own, overdue first", async () => {
    const list = await familyFollowUpsOf(t.db, t.fx.school.id, t.fx.staff.teacher, TODAY, await schoolCalendar(t.db, t.fx.school.id));
    expect(list.map((f) => [f.actionId, f.state, f.carerName, f.note])).toEqual([
      [a.marta, 'overdue', 'Marta Nowak', null],
      [a.tomasz, 'open', 'Tomasz Nowak', 'We talk about his book every Saturday.'],
      [b.marta, 'done', 'Marta Nowak', 'He learns five words a week.'],
    ]);
    expect(list[0]).toMatchObject({ daysOverdue: 2, pupilName: 'Jakub Nowak', leadName: 'Mr Okafor' });
    expect(list[2]).toMatchObject({ doneAt: NOW.toISOString(), noteAt: NOW.toISOString() });
  });

  it('shows them on his home page under their own heading, with who marked one done, when, and her note', async () => {
    const home = (await (await t.as('staff', t.fx.staff.teacher)).get('/')).body;
    const school = listOf(home, 'follow-ups');
    const family = listOf(home, 'family-follow-ups');
    expect(home).toContain('What families said they would do');
    // The school's own action stays in his own list; the families' are in theirs, and only there.
    expect(school).toContain(`Set up a reading plan (${a.meetingId.slice(-6)})`);
    for (const id of [a.marta, a.tomasz, b.marta]) {
      expect(family).toContain(`id="family-action-${id}"`);
      expect(school).not.toContain(id);
    }
    expect(family).not.toContain(b.tomasz);
    expect(family).not.toContain(cancelled.marta);
    expect(itemOf(home, a.marta)).toMatch(/Overdue[\s\S]*<bdi>Marta Nowak<\/bdi> about <bdi>Jakub Nowak<\/bdi>,\s*was due 1 December 2026 \(2 days ago\)/);
    expect(itemOf(home, a.marta)).toContain(`href="/meetings/${a.meetingId}/record#action-${a.marta}"`);
    expect(itemOf(home, a.tomasz)).toMatch(/Open[\s\S]*due 20 December 2026[\s\S]*How it is going \(3 December 2026\): <span class="gp-pre-line">We talk about his book every Saturday\.<\/span>/);
    expect(itemOf(home, b.marta)).toMatch(/Done[\s\S]*done – marked by <bdi>Marta Nowak<\/bdi> on 3 December 2026[\s\S]*He learns five words a week\./);
    expect(family.indexOf(a.marta)).toBeLessThan(family.indexOf(a.tomasz));
    expect(family.indexOf(a.tomasz)).toBeLessThan(family.indexOf(b.marta));
  });

  it('shows them to no one else: not a teacher who does not lead the meeting, not another school', async () => {
    const hall = (await (await t.as('staff', t.fx.staff.teacher2)).get('/')).body;
    expect(hall).not.toContain('What families said they would do');
    expect(hall).not.toContain(a.marta);
    expect(await familyOverdueInSchool(t.db, t.fx.other.id, TODAY)).toEqual([]);
    const otherHead = (await (await t.as('staff', t.fx.staff.otherHead, t.fx.other.id)).get('/')).body;
    expect(otherHead).not.toContain('Marta Nowak');
  });

  it("puts the families' overdue actions in the school's overdue list, oldest first, marked Family, with the lead and the family's note", async () => {
    const overdue = await overdueInSchool(t.db, t.fx.school.id, TODAY);
    const ours = overdue.filter((f) => f.meetingId === a.meetingId);
    expect(ours.map((f) => [f.kind, f.dueOn, f.ownerName])).toEqual([
      ['action', '2026-11-27', 'Mr Okafor'],
      ['family_action', '2026-12-01', 'Marta Nowak'],
    ]);
    expect(overdue.map((f) => f.dueOn)).toEqual([...overdue.map((f) => f.dueOn)].sort());
    expect(ours[1]!.family).toEqual({ actionId: a.marta, leadName: 'Mr Okafor', note: null, noteAt: null });

    const patel = (await (await t.as('staff', t.fx.staff.head)).get('/')).body;
    const list = listOf(patel, 'school-overdue');
    const line = liContaining(list, `Read with Kuba three evenings a week (${a.meetingId.slice(-6)})`);
    expect(line).toContain('Family');
    expect(line).toContain('<bdi>Marta Nowak</bdi> (parent or carer; <bdi>Mr Okafor</bdi> leads the meeting)');
    expect(list.indexOf(`Set up a reading plan (${a.meetingId.slice(-6)})`)).toBeLessThan(list.indexOf(`Read with Kuba three evenings a week (${a.meetingId.slice(-6)})`));
    // Done, or in a cancelled meeting: not overdue.
    expect(overdue.filter((f) => f.kind === 'family_action' && f.meetingId !== a.meetingId)).toEqual([]);
    expect(list).not.toContain(`Read with Kuba three evenings a week (${b.meetingId.slice(-6)})`);
    expect(list).not.toContain(`(${cancelled.meetingId.slice(-6)})`);
  });

  it("reads the school's families' actions from their own index, by date, not every action of every meeting (the head's list; a lead's)", async () => {
    // A school that began empty: no statistics about meeting actions (SQLite gathers none unless asked).
    const overdue = (await planWithoutStatistics(t.db, familyOverdueStatement(t.db, t.fx.school.id, TODAY).compile())).join('\n');
    expect(overdue).toMatch(/meeting_actions_family_due/);
    expect(overdue).not.toMatch(/SCAN meeting_actions|Seq Scan on meeting_actions/);
    // SQLite reads it in the index's date order and stops at the hundredth (only a day's ties are put in order
    // of id), never sorting the school's whole list; PostgreSQL, guessing one row with no statistics, sorts that row.
    expect(overdue).not.toMatch(/TEMP B-TREE FOR ORDER BY/);
    const lead = (await planWithoutStatistics(t.db, familyFollowUpsStatement(t.db, t.fx.school.id, t.fx.staff.teacher, '2026-12-14').compile())).join('\n');
    expect(lead).toMatch(/meeting_actions_family_due/);
    expect(lead).not.toMatch(/SCAN meeting_actions|Seq Scan on meeting_actions/);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dialects } from '../../../../test/support/db.ts';
import { startTestApp, type TestApp } from '../../../../test/support/app.ts';
import { newId } from '../../../platform/ids.ts';
import { makeComplaint } from './make.ts';

const NOW = new Date('2026-11-26T10:00:00.000Z'); // Thursday, autumn term

/** Stage 2: the panel's papers go to everyone through the outbox (or are recorded as printed), checked against the "papers before" setting. */
describe.each(dialects)('the panel papers, on %s', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(dialect, { clock: () => NOW });
  });
  afterAll(async () => t?.close());

  async function atPanel(panelOn: string, members: string[]) {
    const made = await makeComplaint(
      t.db,
      t.fx.school.id,
      { kind: 'carer', carerId: t.fx.carers.marta },
      { pupil: t.fx.pupils.kuba, complaint: 'Kuba was kept in at lunch all week.', would_like: 'An apology', last_incident_on: '2026-11-20', about_head: 0 },
      { now: NOW, baseUrl: 'http://gatepost.test', translator: null },
    );
    if (!made.ok) throw new Error(made.message);
    await t.db.updateTable('complaints').set({ stage: 'stage_2', status: 'panel', panel_requested_on: '2026-11-20', panel_on: panelOn }).where('id', '=', made.id).execute();
    if (members.length)
      await t.db
        .insertInto('complaint_people')
        .values(
          members.map((staffId) => ({
            id: newId(),
            school_id: t.fx.school.id,
            complaint_id: made.id,
            staff_id: staffId,
            role: 'panel' as const,
            independent: 0,
            created_by: t.fx.staff.head,
            created_at: NOW.toISOString(),
          })),
        )
        .execute();
    return made.id;
  }
  const outboxFor = (id: string) => t.db.selectFrom('outbox').select(['recipient', 'payload_json']).where('idempotency_key', 'like', `%complaint-papers:${id}%`).execute();

  it('go by email to each panel member and Marta, with the complaint and the note, on time', async () => {
    const panel = [t.fx.staff.governor, t.fx.staff.senior_leader, t.fx.staff.teacher2];
    const id = await atPanel('2026-12-10', panel);
    const head = await t.as('staff', t.fx.staff.head);
    const page = await head.get(`/complaints/${id}`);
    expect(page.body).toContain('Due to everyone by 3 December 2026'); // 5 school days before Thursday 10 December
    const empty = await head.post(`/complaints/${id}/papers`, { note: '', how: 'email' });
    expect(empty.statusCode).toBe(400);
    expect(empty.body).toContain('id="note-error"');
    expect((await head.post(`/complaints/${id}/papers`, { note: 'The panel meets in the library at 4pm.', how: 'email' })).statusCode).toBe(303);
    const sent = await outboxFor(id);
    expect(sent.map((s) => s.recipient).sort()).toEqual(['green@brookfield.test', 'hall@brookfield.test', 'marta@families.test', 'shah@brookfield.test']);
    for (const s of sent) {
      expect(s.payload_json).toContain('The panel meets in the library at 4pm.');
      expect(s.payload_json).toContain('Kuba was kept in at lunch all week.');
    }
    const row = await t.db.selectFrom('complaint_papers').selectAll().where('complaint_id', '=', id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ how: 'email', sent_on: '2026-11-26', panel_on: '2026-12-10', note: null });
    expect(await t.db.selectFrom('audit_log').select('id').where('action', '=', 'complaint.papers_sent').where('entity_id', '=', id).execute()).toHaveLength(1);
    expect((await head.get(`/complaints/${id}`)).body).toContain('Sent by email on 26 November 2026');
    // Only the case lead sends them.
    expect((await (await t.as('staff', t.fx.staff.governor)).post(`/complaints/${id}/papers`, { note: 'x', how: 'email' })).statusCode).toBe(404);
  });

  it('are refused until the panel has three members', async () => {
    const id = await atPanel('2026-12-10', [t.fx.staff.governor]);
    const head = await t.as('staff', t.fx.staff.head);
    const refused = await head.post(`/complaints/${id}/papers`, { note: 'Papers', how: 'email' });
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain('Appoint the panel before sending its papers');
    expect(await outboxFor(id)).toHaveLength(0);
  });

  it('late papers (after the setting’s date) need the reason, which is kept; printed papers send no email', async () => {
    const id = await atPanel('2026-11-30', [t.fx.staff.governor, t.fx.staff.senior_leader, t.fx.staff.teacher2]);
    const head = await t.as('staff', t.fx.staff.head);
    const late = await head.post(`/complaints/${id}/papers`, { note: 'Papers for Monday', how: 'printed' });
    expect(late.statusCode).toBe(400);
    expect(late.body).toContain('The papers were due by Monday 23 November 2026 (5 school days before the panel)');
    expect(late.body).toContain('Papers for Monday'); // kept
    expect((await head.post(`/complaints/${id}/papers`, { note: 'Papers for Monday', how: 'printed', late_reason: 'The clerk was ill' })).statusCode).toBe(303);
    expect(await t.db.selectFrom('complaint_papers').select(['how', 'note']).where('complaint_id', '=', id).executeTakeFirstOrThrow()).toEqual({ how: 'printed', note: 'Late: The clerk was ill' });
    expect(await outboxFor(id)).toHaveLength(0);
  });
});

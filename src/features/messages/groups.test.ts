import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dialects } from '../../../test/support/db.ts';
import { startTestApp, type TestApp } from '../../../test/support/app.ts';
import { newId } from '../../platform/ids.ts';

describe.each(dialects)('groups of parents and carers on %s', (dialect) => {
  let t: TestApp;
  let groupId = '';
  beforeAll(async () => {
    t = await startTestApp(dialect);
  });
  afterAll(async () => t?.close());

  const auditOf = (action: string) => t.db.selectFrom('audit_log').selectAll().where('school_id', '=', t.fx.school.id).where('action', '=', action).execute();
  const membersOf = async (id: string) => (await t.db.selectFrom('carer_group_members').select('carer_id').where('group_id', '=', id).execute()).map((r) => r.carer_id).sort();

  it('lets the office make a group, and keeps a duplicate name out with the value kept', async () => {
    const office = await t.as('staff', t.fx.staff.office);
    expect((await office.get('/groups')).body).toContain('There are no groups yet');

    const empty = await office.post('/groups', { name: '  ' });
    expect(empty.statusCode).toBe(400);
    expect(empty.body).toContain('Enter a name for the group');

    const made = await office.post('/groups', { name: 'PTA' });
    expect(made.statusCode).toBe(303);
    groupId = String(made.headers.location).split('/').pop()!;
    expect(made.headers.location).toBe(`/groups/${groupId}`);

    const again = await office.post('/groups', { name: 'pta' });
    expect(again.statusCode).toBe(400);
    expect(again.body).toContain('There is already a group called PTA');
    expect(again.body).toContain('value="pta"');

    const list = await office.get('/groups');
    expect(list.body).toContain(`href="/groups/${groupId}"`);
    expect(list.body).toContain('0 members');
    expect(await t.db.selectFrom('carer_groups').select('name').where('school_id', '=', t.fx.school.id).execute()).toEqual([{ name: 'PTA' }]);
    const created = await auditOf('group.created');
    expect(created).toHaveLength(1);
    expect(created[0]).toMatchObject({ actor_id: t.fx.staff.office, entity_id: groupId });
  });

  it('finds carers, adds Marta and Grace (once each), removes Grace, and audits it all', async () => {
    const office = await t.as('staff', t.fx.staff.office);
    const page = await office.get(`/groups/${groupId}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Nobody is in this group yet');
    expect(page.body).toContain('href="/messages/new"');

    const search = await office.get(`/groups/${groupId}?q=marta`);
    expect(search.body).toContain('Marta');
    expect(search.body).toContain(`value="${t.fx.carers.marta}"`);
    expect(search.body).not.toContain('Olga'); // another school's carer

    for (const carer of [t.fx.carers.marta, t.fx.carers.grace, t.fx.carers.marta]) {
      const added = await office.post(`/groups/${groupId}/members`, { carer_id: carer });
      expect(added.statusCode).toBe(303);
    }
    expect(await membersOf(groupId)).toEqual([t.fx.carers.marta, t.fx.carers.grace].sort());
    expect(await auditOf('group.member_added')).toHaveLength(2);

    const shown = await office.get(`/groups/${groupId}`);
    expect(shown.body).toContain('marta@families.test');
    expect(shown.body).toContain('grace@families.test');
    expect(shown.body).toContain('2 members');

    // Another school's carer cannot be added.
    expect((await office.post(`/groups/${groupId}/members`, { carer_id: t.fx.carers.otherCarer })).statusCode).toBe(404);

    const removed = await office.post(`/groups/${groupId}/members/${t.fx.carers.grace}/remove`);
    expect(removed.statusCode).toBe(303);
    expect(await membersOf(groupId)).toEqual([t.fx.carers.marta]);
    const removals = await auditOf('group.member_removed');
    expect(removals).toHaveLength(1);
    expect(removals[0]).toMatchObject({ actor_id: t.fx.staff.office, entity_id: groupId });
    expect(JSON.parse(removals[0]!.before_json!)).toEqual({ carerId: t.fx.carers.grace });
  });

  it('answers 404 to a teacher, a carer, and for another school’s group', async () => {
    const teacher = await t.as('staff', t.fx.staff.teacher);
    const carer = await t.as('carer', t.fx.carers.marta);
    for (const client of [teacher, carer]) {
      expect((await client.get('/groups')).statusCode).toBe(404);
      expect((await client.get(`/groups/${groupId}`)).statusCode).toBe(404);
      expect((await client.post(`/groups/${groupId}/members`, { carer_id: t.fx.carers.tomasz })).statusCode).toBe(404);
    }
    const otherGroup = newId();
    await t.db.insertInto('carer_groups').values({ id: otherGroup, school_id: t.fx.other.id, name: 'Other PTA' }).execute();
    const office = await t.as('staff', t.fx.staff.office);
    expect((await office.get(`/groups/${otherGroup}`)).statusCode).toBe(404);
    expect((await office.post(`/groups/${otherGroup}/members`, { carer_id: t.fx.carers.marta })).statusCode).toBe(404);
    expect(await membersOf(groupId)).toEqual([t.fx.carers.marta]);
  });

  it('sends a message to the group that reaches exactly its members', async () => {
    const office = await t.as('staff', t.fx.staff.office);
    await office.post(`/groups/${groupId}/members`, { carer_id: t.fx.carers.sarah });
    const head = await t.as('staff', t.fx.staff.head);
    const drafted = await head.post('/messages/new', {
      kind: 'letter',
      tone: 'information',
      subject: 'PTA meeting',
      body: 'The PTA meets on Thursday at 6pm in the hall.',
      audience_kind: 'group',
      group_id: groupId,
    });
    expect(drafted.statusCode).toBe(303);
    const messageId = String(drafted.headers.location).split('/').pop()!;
    expect((await head.post(`/messages/${messageId}/send`)).statusCode).toBe(303);
    const reached = await t.db.selectFrom('message_recipients').select('carer_id').where('message_id', '=', messageId).execute();
    expect(reached.map((r) => r.carer_id).sort()).toEqual([t.fx.carers.marta, t.fx.carers.sarah].sort());
  });
});

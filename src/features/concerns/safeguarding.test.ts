import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dialects } from '../../../test/support/db.ts';
import { startTestApp, type TestApp } from '../../../test/support/app.ts';
import { newId } from '../../platform/ids.ts';

const NOW = new Date('2026-11-26T10:00:00.000Z');

/**
 * Safeguarding in a concern is the same rule as in a meeting note (platform/safeguarding): the DSL
 * is alerted at once, the words leave everyone else's view, every reading is audited. And a carer
 * restricted from a child never sees, raises or is told about a concern about them.
 */
describe.each(dialects)('concerns: safeguarding and restrictions on %s', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(dialect, { clock: () => NOW });
  });
  afterAll(async () => t?.close());

  const idFrom = (location: string | undefined) => /concerns\/([^?]+)/.exec(location ?? '')![1]!;
  const WORDS = 'Leo said the man at home hits him when he is late';

  it('words marked as safeguarding when logged reach the DSL at once and leave the head’s view; each DSL reading is audited', async () => {
    const office = await t.as('staff', t.fx.staff.office);
    const logged = await office.post(`/pupils/${t.fx.pupils.leo}/concerns`, {
      carer: t.fx.carers.grace,
      received_via: 'in_person',
      what_happened: WORDS,
      would_like: 'Help',
      contact_by: 'phone',
      safeguarding: 'yes',
    });
    expect(logged.statusCode).toBe(303);
    const id = idFrom(logged.headers.location);
    const alerts = await t.db.selectFrom('staff_alerts').select(['staff_id', 'title']).where('kind', '=', 'safeguarding').where('link', '=', `/concerns/${id}`).execute();
    expect(alerts.map((a) => a.staff_id).sort()).toEqual([t.fx.staff.dsl, t.fx.staff.deputy_dsl].sort());
    const emails = await t.db.selectFrom('outbox').select('payload_json').where('recipient', '=', 'adeyemi@brookfield.test').execute();
    expect(emails).toHaveLength(1);
    expect(emails[0]!.payload_json).not.toContain('hits'); // the email says where to look, never the words
    expect(emails[0]!.payload_json).not.toContain('Leo');

    for (const who of [t.fx.staff.head, t.fx.staff.office]) {
      const page = await (await t.as('staff', who)).get(`/concerns/${id}`);
      expect(page.statusCode).toBe(200);
      expect(page.body).not.toContain('hits him');
      expect(page.body).toContain('2 entries have been passed to the DSL');
    }
    // Grace's own page does not show them either.
    expect((await (await t.as('carer', t.fx.carers.grace)).get(`/my-concerns/${id}`)).body).not.toContain('hits him');

    const dsl = await t.as('staff', t.fx.staff.dsl);
    const read = await dsl.get(`/concerns/${id}`);
    expect(read.body).toContain(WORDS);
    expect(read.body).toContain('<bdi>Mrs Adeyemi</bdi>, once');
    await dsl.get(`/concerns/${id}`);
    const views = await t.db.selectFrom('audit_log').select(['actor_id', 'entity']).where('action', '=', 'concern_entry.viewed').execute();
    expect(views).toHaveLength(4); // two entries, read twice
    expect(views.every((v) => v.actor_id === t.fx.staff.dsl && v.entity === 'concern_entry')).toBe(true);
  });

  it('a note marked later leaves everyone else’s view; the DSL may open a concern only once something in it is marked', async () => {
    const marta = await t.as('carer', t.fx.carers.marta);
    const id = idFrom((await marta.post('/my-concerns', { pupil: t.fx.pupils.ola, what_happened: 'Ola cries at drop-off', would_like: 'A calm start', contact_by: 'email' })).headers.location);
    const head = await t.as('staff', t.fx.staff.head);
    const dsl = await t.as('staff', t.fx.staff.dsl);
    expect((await dsl.get(`/concerns/${id}`)).statusCode).toBe(404);
    await head.post(`/concerns/${id}/notes`, { note_body: 'Mum mentioned bruises on Ola’s arm' });
    const entry = await t.db.selectFrom('concern_entries').select('id').where('concern_id', '=', id).where('kind', '=', 'note').executeTakeFirstOrThrow();
    expect((await head.get(`/concerns/${id}`)).body).toContain('bruises');
    const marked = await head.post(`/concerns/${id}/entries/${entry.id}/safeguarding`);
    expect(marked.headers.location).toBe(`/concerns/${id}?done=safeguarding`);
    expect((await head.get(`/concerns/${id}`)).body).not.toContain('bruises');
    expect((await dsl.get(`/concerns/${id}`)).body).toContain('bruises');
    expect(await t.db.selectFrom('staff_alerts').select('id').where('kind', '=', 'safeguarding').where('link', '=', `/concerns/${id}`).where('staff_id', '=', t.fx.staff.dsl).execute()).toHaveLength(
      1,
    );
    // Marking twice alerts once; an entry of another concern is not found here.
    await head.post(`/concerns/${id}/entries/${entry.id}/safeguarding`);
    expect(await t.db.selectFrom('staff_alerts').select('id').where('kind', '=', 'safeguarding').where('link', '=', `/concerns/${id}`).where('staff_id', '=', t.fx.staff.dsl).execute()).toHaveLength(
      1,
    );
    const other = await t.db.selectFrom('concern_entries').select('id').where('concern_id', '!=', id).executeTakeFirstOrThrow();
    expect((await head.post(`/concerns/${id}/entries/${other.id}/safeguarding`)).statusCode).toBe(404);
  });

  it('Mark Dean, restricted from Lily, cannot raise a concern about her, is never told of one, and staff cannot log one in his name', async () => {
    const mark = await t.as('carer', t.fx.carers.mark);
    const form = await mark.get('/my-concerns/new');
    expect(form.body).not.toContain('Lily');
    const refused = await mark.post('/my-concerns', { pupil: t.fx.pupils.lily, what_happened: 'x', would_like: 'y', contact_by: 'email' });
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain('Choose which child it is about');

    const office = await t.as('staff', t.fx.staff.office);
    const page = await office.get(`/pupils/${t.fx.pupils.lily}/concerns/new`);
    expect(page.body).toMatch(new RegExp(`value="${t.fx.carers.mark}"[^>]*disabled`));
    const inHisName = await office.post(`/pupils/${t.fx.pupils.lily}/concerns`, { carer: t.fx.carers.mark, received_via: 'phone', what_happened: 'x', would_like: 'y', contact_by: 'email' });
    expect(inHisName.statusCode).toBe(400);
    expect(inHisName.body).toContain('may not be told about this child');
    expect(await t.db.selectFrom('concerns').select('id').where('carer_id', '=', t.fx.carers.mark).execute()).toHaveLength(0);

    // Sarah's concern about Lily is hers alone: Mark cannot open it, and it is not on his pages.
    const sarah = await t.as('carer', t.fx.carers.sarah);
    const id = idFrom((await sarah.post('/my-concerns', { pupil: t.fx.pupils.lily, what_happened: 'Lily is tired', would_like: 'Talk', contact_by: 'email' })).headers.location);
    expect((await mark.get(`/my-concerns/${id}`)).statusCode).toBe(404);
    expect((await mark.get('/my-concerns')).body).not.toContain(id);
    expect((await mark.get('/')).body).not.toContain('Lily');
    expect(await t.db.selectFrom('outbox').select('id').where('recipient', '=', 'mark@families.test').execute()).toHaveLength(0);
  });

  it('a restriction made after a carer raised a concern stops every word about it to them, and their view of it', async () => {
    const tomasz = await t.as('carer', t.fx.carers.tomasz);
    const id = idFrom((await tomasz.post('/my-concerns', { pupil: t.fx.pupils.kuba, what_happened: 'Kuba lost his reading book', would_like: 'A new one', contact_by: 'email' })).headers.location);
    await t.db
      .insertInto('restrictions')
      .values({
        id: newId(),
        school_id: t.fx.school.id,
        pupil_id: t.fx.pupils.kuba,
        carer_id: t.fx.carers.tomasz,
        kind: 'court_order',
        stops_information: 1,
        stops_collection: 0,
        stops_contact: 1,
        details: 'Order made today',
        starts_on: '2026-11-26',
        ends_on: null,
        lifted_at: null,
        created_by: t.fx.staff.head,
        created_at: NOW.toISOString(),
      })
      .execute();
    const head = await t.as('staff', t.fx.staff.head);
    await head.post(`/concerns/${id}/pass-on`, { owner: t.fx.staff.head, category: 'other', school_days: '3' });
    await head.post(`/concerns/${id}/close`, { outcome: 'A new book is in his tray.' });
    const mail = await t.db.selectFrom('outbox').select('payload_json').where('recipient', '=', 'tomasz@families.test').execute();
    expect(mail.map((m) => JSON.parse(m.payload_json).subject)).toEqual(['We have received your concern about Jakub']);
    expect((await tomasz.get(`/my-concerns/${id}`)).statusCode).toBe(404);
    expect((await tomasz.post(`/my-concerns/${id}/answer`, { answer: 'not_yet' })).statusCode).toBe(404);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dialects } from '../../../test/support/db.ts';
import { startTestApp, type Client, type TestApp } from '../../../test/support/app.ts';
import { newId } from '../../platform/ids.ts';

describe.each(dialects)('the paper pack on %s', (dialect) => {
  let t: TestApp;
  let head: Client;
  beforeAll(async () => {
    t = await startTestApp(dialect);
    head = await t.as('staff', t.fx.staff.head);
  });
  afterAll(async () => t?.close());

  async function compose(by: Client, form: Record<string, string | string[]>): Promise<string> {
    const res = await by.post('/messages/new', form);
    expect(res.statusCode).toBe(303);
    return (res.headers.location as string).split('/').pop()!;
  }

  it('prints one letter for each carer on paper, addressed to them and naming the children, after the message is sent', async () => {
    const id = await compose(head, { kind: 'newsletter', audience_kind: 'school', subject: 'Harvest festival', body: 'Please bring a tin.\n\nThank you.' });
    const early = await head.get(`/messages/${id}/paper`);
    expect(early.statusCode).toBe(409);
    expect(early.body).toContain('once the message has been sent');

    expect((await head.post(`/messages/${id}/send`)).statusCode).toBe(303);
    const faduma = await t.db.selectFrom('carers').select(['address_line1', 'postcode']).where('id', '=', t.fx.carers.faduma).executeTakeFirstOrThrow();
    const office = await t.as('staff', t.fx.staff.office);
    const pack = await office.get(`/messages/${id}/paper`);
    expect(pack.statusCode).toBe(200);
    expect(pack.body).toContain('1 letter to print');
    expect(pack.body.match(/class="gp-letter/g)).toHaveLength(1);
    expect(pack.body).toContain(`<bdi>Faduma Warsame</bdi><br>${faduma.address_line1!}`); // the name isolated from the address

    expect(pack.body).toContain(faduma.postcode!);
    expect(pack.body).toContain('About: <bdi>Ayaan</bdi></p>');
    expect(pack.body).toContain('Ayaan: Harvest festival');
    expect(pack.body).toContain('<p class="govuk-body">Please bring a tin.</p>');
    // English, with the help line in Somali.
    expect(pack.body).toMatch(/<p class="govuk-body" lang="so" dir="ltr">Fariintan waxay ku qoran tahay af Ingiriis/);
    for (const name of ['Marta', 'Tomasz', 'Sarah', 'Grace', 'Mark Dean']) expect(pack.body).not.toContain(name);
    const audited = await t.db.selectFrom('audit_log').select(['action', 'after_json']).where('entity_id', '=', id).where('action', '=', 'message.paper_pack_viewed').executeTakeFirstOrThrow();
    expect(JSON.parse(audited.after_json!)).toEqual({ letters: 1, withheld: 0 });
  });

  it('prints the letter in the family language when a translation is usable', async () => {
    const office = await t.as('staff', t.fx.staff.office);
    const id = await compose(head, { kind: 'letter', audience_kind: 'classes', class_ids: t.fx.classes.nursery, subject: 'Nursery photos', body: 'Photos on Tuesday.' });
    expect((await office.post(`/messages/${id}/translations/Somali`, { subject: 'Sawirada xannaanada', body: 'Sawirro Talaadada.' })).statusCode).toBe(303);
    expect((await head.post(`/messages/${id}/translations/Somali/check`)).statusCode).toBe(303);
    expect((await head.post(`/messages/${id}/send`)).statusCode).toBe(303);
    const pack = await head.get(`/messages/${id}/paper`);
    expect(pack.body).toContain('1 letter to print');
    expect(pack.body).toContain('<div lang="so" dir="ltr">');
    expect(pack.body).toContain('Ayaan: Sawirada xannaanada');
    expect(pack.body).toContain('Sawirro Talaadada.');
    expect(pack.body).not.toContain('Fariintan waxay');
    expect(pack.body).not.toContain('Photos on Tuesday.');
  });

  it('says when no one needs paper, and leaves out a letter once a restriction is in force', async () => {
    const none = await compose(head, { kind: 'letter', audience_kind: 'classes', class_ids: t.fx.classes.y3, subject: 'Swimming', body: 'Bring a towel.' });
    await head.post(`/messages/${none}/send`);
    const empty = await head.get(`/messages/${none}/paper`);
    expect(empty.statusCode).toBe(200);
    expect(empty.body).toContain('No one needs a paper copy of this message');
    expect(empty.body).not.toContain('gp-letter');

    const id = await compose(head, { kind: 'letter', audience_kind: 'classes', class_ids: t.fx.classes.nursery, subject: 'Stay and play', body: 'Come and play on Friday.' });
    await head.post(`/messages/${id}/send`);
    expect((await head.get(`/messages/${id}/paper`)).body).toContain('1 letter to print');
    const restriction = newId();
    await t.db
      .insertInto('restrictions')
      .values({
        id: restriction,
        school_id: t.fx.school.id,
        pupil_id: t.fx.pupils.ayaan,
        carer_id: t.fx.carers.faduma,
        kind: 'agreed_arrangement',
        stops_information: 1,
        stops_collection: 0,
        stops_contact: 0,
        details: 'Test',
        starts_on: '2020-01-01',
        ends_on: null,
        lifted_at: null,
        created_by: t.fx.staff.head,
        created_at: new Date().toISOString(),
      })
      .execute();
    try {
      const pack = await head.get(`/messages/${id}/paper`);
      expect(pack.body).toContain('No one needs a paper copy of this message');
      expect(pack.body).toContain('1 letter is left out since the message was sent');
      expect(pack.body).not.toContain('Faduma');
    } finally {
      await t.db.deleteFrom('restrictions').where('id', '=', restriction).execute();
    }
  });

  it('answers 404 to a teacher who did not write the message, to governors and to carers', async () => {
    const id = await compose(head, { kind: 'newsletter', audience_kind: 'school', subject: 'Term dates', body: 'Term ends on 18 December.' });
    await head.post(`/messages/${id}/send`);
    for (const who of [t.fx.staff.teacher, t.fx.staff.governor]) expect((await (await t.as('staff', who)).get(`/messages/${id}/paper`)).statusCode).toBe(404);
    expect((await (await t.as('carer', t.fx.carers.faduma)).get(`/messages/${id}/paper`)).statusCode).toBe(404);
    expect((await (await t.as('staff', t.fx.staff.otherHead, t.fx.other.id)).get(`/messages/${id}/paper`)).statusCode).toBe(404);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dialects } from '../../../../test/support/db.ts';
import { startTestApp, type TestApp } from '../../../../test/support/app.ts';
import { text, uploader } from './upload-test-client.ts';

/** Imports that keep what the school's records say: court orders, whole addresses, a repeated UPN, a pupil the pupils file turned down. */
describe.each(dialects)('imports keep what the records say, on %s', (dialect) => {
  let t: TestApp;
  let upn: Record<'kuba' | 'lily' | 'leo', string>;
  beforeAll(async () => {
    t = await startTestApp(dialect);
    const rows = await t.db.selectFrom('pupils').select(['id', 'upn']).where('school_id', '=', t.fx.school.id).execute();
    const of = (id: string) => rows.find((r) => r.id === id)!.upn;
    upn = { kuba: of(t.fx.pupils.kuba), lily: of(t.fx.pupils.lily), leo: of(t.fx.pupils.leo) };
  });
  afterAll(async () => {
    await t?.close();
  });

  async function upload(kind: 'pupils' | 'contacts', name: string, content: string, staffId = t.fx.staff.office) {
    const res = await (await uploader(t, staffId)).upload(kind, name, content);
    expect(res.statusCode, res.body.slice(0, 2000)).toBe(303);
    const url = res.headers.location as string;
    const client = await t.as('staff', staffId);
    return { url, client, page: text((await client.get(url)).body) };
  }

  it('records a court order from the contacts file: the contact gets no access or mail, and the head and DSL complete it', async () => {
    const file = [
      'Pupil UPN,Contact Forename,Contact Surname,Relationship,Email,Parental Responsibility,Receives Correspondence,Court Order,No Contact',
      `${upn.leo},Gary,Pike,Father,gary@families.test,Y,Y,Prohibited steps order,`,
      `${upn.kuba},Tomasz,Nowak,Father,tomasz@families.test,Y,Y,,Y`,
      `${upn.lily},Mark,Dean,Father,mark@families.test,Y,N,Y,`,
    ].join('\n');
    const { url, client: office, page } = await upload('contacts', 'contacts-with-orders.csv', file);
    expect(page).toContain('Court orders and restrictions to record (2)');
    expect(page).toContain('2 contacts are under a court order or restriction in the records system. They will get no access and no mail about these children.');
    expect(page).toContain('Gary Pike for Leo Mensah Restriction in the file: Court Order No access or mail about Leo Mensah');
    expect(page).toContain('Tomasz Nowak for Jakub Nowak Restriction in the file: No Contact');
    expect(page).toContain('Gary Pike Restricted: nothing will be sent to them');
    expect(page).not.toContain('Prohibited steps order'); // what an order says is for the head and DSL, not the office
    expect(page).toContain('Receives correspondence: Yes → changes to No');

    expect((await office.post(`${url}/apply`)).statusCode).toBe(303);
    expect(text((await office.get(url)).body)).toContain('2 court orders recorded');

    const restrictions = await t.db
      .selectFrom('restrictions')
      .innerJoin('carers', 'carers.id', 'restrictions.carer_id')
      .select(['carers.given_name', 'restrictions.pupil_id', 'kind', 'stops_information', 'stops_contact', 'details', 'details_pending', 'lifted_at'])
      .where('restrictions.details_pending', '=', 1)
      .orderBy('carers.given_name')
      .execute();
    expect(restrictions).toMatchObject([
      { given_name: 'Gary', pupil_id: t.fx.pupils.leo, kind: 'court_order', stops_information: 1, stops_contact: 1, lifted_at: null },
      { given_name: 'Tomasz', pupil_id: t.fx.pupils.kuba, kind: 'court_order', stops_information: 1, stops_contact: 1, lifted_at: null },
    ]);
    expect(restrictions[0]!.details).toContain('Court Order: "Prohibited steps order"');
    // Mark Dean's court order was already in force: not recorded twice.
    expect(await t.db.selectFrom('restrictions').select('id').where('carer_id', '=', t.fx.carers.mark).execute()).toHaveLength(1);

    const gary = await t.db.selectFrom('carers').selectAll().where('email', '=', 'gary@families.test').executeTakeFirstOrThrow();
    expect(gary).toMatchObject({ channel_email: 0, channel_sms: 0, channel_app: 0, paper_copies: 0 });
    const tomaszLink = await t.db
      .selectFrom('carer_pupils')
      .select('may_receive_information')
      .where('carer_id', '=', t.fx.carers.tomasz)
      .where('pupil_id', '=', t.fx.pupils.kuba)
      .executeTakeFirstOrThrow();
    expect(tomaszLink.may_receive_information).toBe(0);

    // Tomasz no longer sees Kuba (he still sees Ola, whom the file does not restrict).
    const tomasz = await t.as('carer', t.fx.carers.tomasz);
    expect((await tomasz.get(`/children/${t.fx.pupils.kuba}`)).statusCode).toBe(404);
    expect((await tomasz.get(`/children/${t.fx.pupils.ola}`)).statusCode).toBe(200);

    // The head and the DSL are told, on their home page and by email.
    const alerts = await t.db.selectFrom('staff_alerts').select(['staff_id', 'title', 'link']).where('kind', '=', 'safeguarding').execute();
    expect(alerts.map((a) => a.staff_id).sort()).toEqual([t.fx.staff.head, t.fx.staff.dsl].sort());
    expect(alerts[0]).toMatchObject({ title: 'The records system import recorded 2 court orders to complete', link: '/restrictions/to-complete' });
    const email = await t.sink.waitFor('adeyemi@brookfield.test');
    expect(email.text).toContain('http://gatepost.test/restrictions/to-complete');
    expect(email.text).not.toContain('Prohibited');

    // The DSL completes Gary Pike's order; the office cannot.
    const dsl = await t.as('staff', t.fx.staff.dsl);
    const list = await dsl.get('/restrictions/to-complete');
    expect(text(list.body)).toContain('Court orders to complete (2)');
    const garyOrder = await t.db.selectFrom('restrictions').select('id').where('carer_id', '=', gary.id).executeTakeFirstOrThrow();
    const form = `/pupils/${t.fx.pupils.leo}/restrictions/${garyOrder.id}/details`;
    expect(list.body).toContain(form);
    expect((await office.get('/restrictions/to-complete')).statusCode).toBe(404);
    expect((await office.get(form)).statusCode).toBe(404);
    expect(text((await dsl.get(`/pupils/${t.fx.pupils.leo}`)).body)).toContain(
      'Recorded by the import from the records system: the head or the DSL has still to complete what the order says. Complete the details',
    );
    expect(text((await dsl.get(form)).body)).toContain('Court Order: "Prohibited steps order"');

    const missing = await dsl.post(form, { kind: 'court_order', stops: ['information', 'contact'], details: '', starts_on: '2026-11-01' });
    expect(missing.statusCode).toBe(400);
    expect(text(missing.body)).toContain('Enter what the order or arrangement says');
    const saved = await dsl.post(form, {
      kind: 'court_order',
      stops: ['information', 'collection', 'contact'],
      details: 'Prohibited steps order, Family Court, case BF26P00999.',
      starts_on: '2026-11-01',
    });
    expect(saved.statusCode).toBe(303);
    const completed = await t.db.selectFrom('restrictions').selectAll().where('id', '=', garyOrder.id).executeTakeFirstOrThrow();
    expect(completed).toMatchObject({ details_pending: 0, stops_collection: 1, details: 'Prohibited steps order, Family Court, case BF26P00999.', starts_on: '2026-11-01' });
    const entry = await t.db.selectFrom('audit_log').select(['actor_id', 'after_json']).where('action', '=', 'restriction.completed').where('entity_id', '=', garyOrder.id).executeTakeFirstOrThrow();
    expect(entry.actor_id).toBe(t.fx.staff.dsl);
    expect(entry.after_json).not.toContain('BF26P00999');
    expect(text((await dsl.get('/restrictions/to-complete')).body)).toContain('Court orders to complete (1)');
    expect((await dsl.post(form, { kind: 'court_order', stops: 'information', details: 'Again', starts_on: '2026-11-01' })).statusCode).toBe(404);
  });

  it('stores a single Address column and an address line written on several lines', async () => {
    const file = ['Pupil UPN,Contact Forename,Contact Surname,Relationship,Email,Address', `${upn.leo},Ama,Mensah,Aunt,ama@families.test,"Flat 3\n18 Orchard Way\nBrookfield\nBF2 9XY"`].join('\r\n');
    const { url, client } = await upload('contacts', 'arbor-contacts.csv', file);
    await client.post(`${url}/apply`);
    expect(await t.db.selectFrom('carers').select(['address_line1', 'address_line2', 'town', 'postcode']).where('email', '=', 'ama@families.test').executeTakeFirstOrThrow()).toEqual({
      address_line1: 'Flat 3',
      address_line2: '18 Orchard Way',
      town: 'Brookfield',
      postcode: 'BF2 9XY',
    });

    const lines = [
      'Pupil UPN,Contact Forename,Contact Surname,Relationship,Email,Address Line 1,Town,Postcode',
      `${upn.leo},Kofi,Mensah,Uncle,kofi@families.test,"Flat 1\n2 Mill Lane",Brookfield,BF1 3CD`,
    ].join('\n');
    const second = await upload('contacts', 'sims-contacts.csv', lines);
    expect(second.page).toContain('Rows that will not be imported 0');
    await second.client.post(`${second.url}/apply`);
    expect((await t.db.selectFrom('carers').select('address_line1').where('email', '=', 'kofi@families.test').executeTakeFirstOrThrow()).address_line1).toBe('Flat 1, 2 Mill Lane');
  });

  it('keeps the first row of a repeated UPN and turns down the later one, naming both lines', async () => {
    const file = ['UPN,Forename,Surname,DOB,Year', 'H801200007001,Nia,Evans,01/02/2019,3', 'H801200007002,Rhys,Evans,01/02/2019,3', 'H801200007001,Nia,Evnas,01/02/2019,3'].join('\n');
    const { url, client, page } = await upload('pupils', 'repeated.csv', file);
    expect(page).toContain('Pupils to add (2)');
    expect(page).toContain('4 Nia Evnas (H801200007001) UPN H801200007001 is already on line 2 of this file. Each pupil must be on one row: line 2 is the one read, and this row is turned down');
    await client.post(`${url}/apply`);
    expect(await t.db.selectFrom('pupils').select('family_name').where('upn', '=', 'H801200007001').execute()).toEqual([{ family_name: 'Evans' }]);
  });

  it('tells a contact row that its pupil was turned down by the pupils file, not to import the pupils file first', async () => {
    const pupils = ['UPN,Forename,Surname,DOB,Year', 'H801200008001,Ivy,Hart,01/02/2019,3', 'H801200008002,Max,Hart,01/02/2099,3'].join('\n');
    const contacts = ['Pupil UPN,Contact Forename,Contact Surname,Relationship', 'H801200008001,Jen,Hart,Mother', 'H801200008002,Jen,Hart,Mother'].join('\n');

    await upload('pupils', 'harts.csv', pupils);
    const waiting = await upload('contacts', 'hart-contacts.csv', contacts);
    expect(waiting.page).toContain('2 Jen Hart (for pupil H801200008001) Pupil UPN: Pupil H801200008001 is in a pupils file that has not been imported yet');
    expect(waiting.page).toContain(
      '3 Jen Hart (for pupil H801200008002) Pupil UPN: The row for pupil H801200008002 is turned down on line 3 of the pupils file "harts.csv" (DOB: Date of birth must be in the past), so it will not be imported',
    );

    const again = await upload('pupils', 'harts.csv', pupils);
    await again.client.post(`${again.url}/apply`);
    const after = await upload('contacts', 'hart-contacts.csv', contacts);
    expect(after.page).toContain(
      'The row for pupil H801200008002 was turned down on line 3 of the pupils file "harts.csv" (DOB: Date of birth must be in the past), so Gatepost does not have this pupil',
    );
    expect(after.page).not.toContain('Import the pupils file first');
    expect(after.page).toContain('Links to pupils to add 1');
  });

  it('lists classes the school does not have with "no teacher yet", and matches one to an existing class on the dry run', async () => {
    const file = [
      'UPN,Forename,Surname,DOB,Year,Reg Group',
      'H801200009001,Ava,Birch,01/02/2018,4,4 Birch',
      'H801200009002,Ben,Birch,01/02/2018,4,4 Birch',
      'H801200009003,Cy,Oak,01/02/2019,3,3O',
    ].join('\n');
    const { url, client: office, page } = await upload('pupils', 'classes.csv', file);
    expect(page).toContain('Classes not in Gatepost (2)');
    expect(page).toContain('4 Birch in the file 2 pupils, Year 4. No teacher yet');
    expect(page).toContain('3O in the file 1 pupil, Year 3. No teacher yet');
    expect(page).toContain('Classes to create 2');

    const otherSchools = await office.post(`${url}/classes`, { file_class: ['4 Birch', '3O'], match: ['', t.fx.classes.other] });
    expect(otherSchools.statusCode).toBe(400);
    const saved = await office.post(`${url}/classes`, { file_class: ['4 Birch', '3O'], match: ['', t.fx.classes.y3] });
    expect(saved.statusCode).toBe(303);
    const after = text((await office.get(saved.headers.location as string)).body);
    expect(after).toContain('Your choice of classes is saved');
    expect(after).toContain('3O in the file 1 pupil, Year 3. Matched to 3 Okafor');
    expect(after).toContain('Classes to create 1');
    expect(after).toContain('Cy Oak UPN H801200009003 Born 1 February 2019 Year 3 Class 3 Okafor');
    expect(await t.db.selectFrom('audit_log').select('after_json').where('action', '=', 'import.classes_chosen').execute()).toHaveLength(1);

    await office.post(`${url}/apply`);
    const cy = await t.db.selectFrom('pupils').select('class_id').where('upn', '=', 'H801200009003').executeTakeFirstOrThrow();
    expect(cy.class_id).toBe(t.fx.classes.y3);
    const birch = await t.db.selectFrom('classes').select(['id', 'name']).where('school_id', '=', t.fx.school.id).where('name', 'in', ['4 Birch', '3O']).execute();
    expect(birch.map((c) => c.name)).toEqual(['4 Birch']);
    expect(await t.db.selectFrom('class_teachers').select('staff_id').where('class_id', '=', birch[0]!.id).execute()).toEqual([]);
    expect((await office.post(`${url}/classes`, { file_class: '3O', match: '' })).statusCode).toBe(409);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dialects } from '../../../test/support/db.ts';
import { startTestApp, type TestApp } from '../../../test/support/app.ts';
import { makeBookingEvening } from '../evenings/booking-test-data.ts';
import { messageReceived } from '../messages/not-reached-test-data.ts';

describe.each(dialects)('people pages on %s', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(dialect);
  });
  afterAll(async () => t?.close());

  it('shows staff a restricted carer’s restriction (its details only to the head and DSL) and offers nothing it would refuse', async () => {
    const { carers, staff } = t.fx;
    await makeBookingEvening(t.db, t.fx, { name: 'Summer evening', sessions: [{ date: '2099-06-10', starts: '15:30', ends: '17:30', slotMinutes: 10, breaks: [] }] });
    const head = await t.as('staff', staff.head);
    const mark = (await head.get(`/carers/${carers.mark}`)).body;
    expect(mark).toContain('Restriction in force');
    expect(mark).toContain('See the restriction');
    expect(mark).not.toContain('Book Summer evening for <bdi>Mark Dean</bdi>');
    // Sarah, Lily's mother, is offered the booking as before.
    expect((await head.get(`/carers/${carers.sarah}`)).body).toContain('Book Summer evening for <bdi>Sarah Dean</bdi>');
    const office = (await (await t.as('staff', staff.office)).get(`/carers/${carers.mark}`)).body;
    expect(office).toContain('Restriction in force');
    expect(office).not.toContain('See the restriction');
  });

  it('links a carer’s child page to that child’s messages, meetings and parents’ evenings, and lists only theirs', async () => {
    const { carers, pupils, school } = t.fx;
    const about = async (subject: string, ids: string[], names: string) => {
      const id = await messageReceived(t.db, t.fx, school.id, carers.marta, { days: 1, subject });
      await t.db
        .updateTable('message_recipients')
        .set({ pupil_ids: ids.join(','), pupil_names: names })
        .where('message_id', '=', id)
        .execute();
    };
    await about('Kuba’s reading', [pupils.kuba], 'Jakub');
    await about('Ola’s trip', [pupils.ola], 'Aleksandra');
    await about('Both: sports day', [pupils.kuba, pupils.ola], 'Jakub and Aleksandra');
    const marta = await t.as('carer', carers.marta);
    const child = (await marta.get(`/children/${pupils.kuba}`)).body;
    expect(child).toContain(`href="/inbox?pupil=${pupils.kuba}"`);
    expect(child).toContain(`href="/my-meetings?pupil=${pupils.kuba}"`);
    expect(child).toContain('href="/parents-evenings"');
    const inbox = (await marta.get(`/inbox?pupil=${pupils.kuba}`)).body;
    expect(inbox).toContain('Kuba’s reading');
    expect(inbox).toContain('Both: sports day');
    expect(inbox).not.toContain('Ola’s trip');
    expect(inbox).toContain('All your messages');
    expect((await marta.get('/inbox')).body).toContain('Ola’s trip');
    expect((await marta.get(`/my-meetings?pupil=${pupils.kuba}`)).statusCode).toBe(200);
    // Not a child of hers: nothing, as for any other page about that child.
    expect((await marta.get(`/inbox?pupil=${pupils.leo}`)).statusCode).toBe(404);
    expect((await marta.get(`/my-meetings?pupil=${pupils.leo}`)).statusCode).toBe(404);
  });

  it('lets the office find a pupil by name and see the family at a glance', async () => {
    const office = await t.as('staff', t.fx.staff.office);
    const list = await office.get('/pupils?q=nowak');
    expect(list.statusCode).toBe(200);
    expect(list.body).toContain('2 pupils');
    expect(list.body).toContain(`/pupils/${t.fx.pupils.kuba}`);
    const page = await office.get(`/pupils/${t.fx.pupils.kuba}`);
    expect(page.body).toContain('Marta Nowak');
    expect(page.body).toContain('Tomasz Nowak');
    expect(page.body).toContain('Lives elsewhere');
    expect(page.body).toContain('Wants copies');
  });

  it('shows a teacher only the pupils in their classes', async () => {
    const teacher = await t.as('staff', t.fx.staff.teacher);
    const list = await teacher.get('/pupils');
    expect(list.body).toContain('Nowak, Jakub');
    expect(list.body).not.toContain('Mensah');
    expect((await teacher.get(`/pupils/${t.fx.pupils.leo}`)).statusCode).toBe(404);
    expect((await teacher.get(`/carers/${t.fx.carers.grace}`)).statusCode).toBe(404);
    expect((await teacher.get(`/carers/${t.fx.carers.marta}`)).statusCode).toBe(200);
  });

  it('tells staff a restriction is in force but shows its details only to the head and DSL, and audits the reading', async () => {
    const teacher = await t.as('staff', t.fx.staff.teacher);
    const seen = await teacher.get(`/pupils/${t.fx.pupils.lily}`);
    expect(seen.body).toContain('Restriction in force: <bdi>Mark Dean</bdi> must not receive information, collect or have contact');
    expect(seen.body).toContain('Ask the head or the DSL for details');
    expect(seen.body).not.toContain('Prohibited steps order');
    const dsl = await t.as('staff', t.fx.staff.dsl);
    expect((await dsl.get(`/pupils/${t.fx.pupils.lily}`)).body).toContain('Prohibited steps order');
    const viewed = await t.db.selectFrom('audit_log').select(['actor_id']).where('action', '=', 'restriction.viewed').where('entity_id', '=', t.fx.pupils.lily).execute();
    expect(viewed.map((v) => v.actor_id)).toContain(t.fx.staff.dsl);
  });

  it('answers 404 for another school’s pupil, whoever asks', async () => {
    const head = await t.as('staff', t.fx.staff.head);
    const other = await head.get(`/pupils/${t.fx.pupils.otherPupil}`);
    expect(other.statusCode).toBe(404);
    expect(other.headers['content-type']).toContain('text/html');
    expect(other.body).toContain('Page not found');
    expect((await head.get(`/carers/${t.fx.carers.otherCarer}`)).statusCode).toBe(404);
  });

  it('keeps what the office typed and names the field when an edit is wrong, and changes nothing', async () => {
    const office = await t.as('staff', t.fx.staff.office);
    const before = await t.db.selectFrom('pupils').selectAll().where('id', '=', t.fx.pupils.ola).executeTakeFirstOrThrow();
    const res = await office.post(`/pupils/${t.fx.pupils.ola}/edit`, {
      given_name: '<b>Ola</b>',
      family_name: 'Nowak',
      preferred_name: 'Ola',
      date_of_birth: '01/01/2099',
      year_group: 'R',
      class_id: '',
      send_status: 'none',
      updated_at: before.updated_at,
    });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('There is a problem');
    expect(res.body).toContain('First name must not contain &lt; &gt; { }');
    expect(res.body).toContain('Date of birth must be in the past');
    expect(res.body).toContain('value="&lt;b&gt;Ola&lt;/b&gt;"');
    const after = await t.db.selectFrom('pupils').selectAll().where('id', '=', t.fx.pupils.ola).executeTakeFirstOrThrow();
    expect(after).toEqual(before);
  });

  it('saves a name in any script exactly and leaves an audit entry with before and after', async () => {
    const office = await t.as('staff', t.fx.staff.office);
    const before = await t.db.selectFrom('pupils').selectAll().where('id', '=', t.fx.pupils.ola).executeTakeFirstOrThrow();
    const res = await office.post(`/pupils/${t.fx.pupils.ola}/edit`, {
      given_name: 'Zoë Łucja',
      family_name: "O'Brien-Nowak",
      preferred_name: 'محمد',
      date_of_birth: '10/09/2021',
      year_group: 'R',
      class_id: t.fx.classes.reception,
      send_status: 'sen_support',
      eal: 'yes',
      home_language: 'Polish',
      updated_at: before.updated_at,
    });
    expect(res.statusCode).toBe(303);
    const page = await office.get(`/pupils/${t.fx.pupils.ola}`);
    expect(page.body).toContain('Zoë Łucja O&#39;Brien-Nowak');
    expect(page.body).toContain('محمد');
    const entry = await t.db.selectFrom('audit_log').selectAll().where('action', '=', 'pupil.updated').where('entity_id', '=', t.fx.pupils.ola).executeTakeFirstOrThrow();
    expect(JSON.parse(entry.before_json!)).toMatchObject({ given_name: 'Aleksandra', send_status: 'none' });
    expect(JSON.parse(entry.after_json!)).toMatchObject({ given_name: 'Zoë Łucja', send_status: 'sen_support' });
    expect(entry.actor_id).toBe(t.fx.staff.office);
  });

  it('refuses an edit made on a stale copy of the record', async () => {
    const office = await t.as('staff', t.fx.staff.office);
    const res = await office.post(`/pupils/${t.fx.pupils.kuba}/edit`, {
      given_name: 'Jakub',
      family_name: 'Nowak',
      date_of_birth: '01/05/2018',
      year_group: '3',
      send_status: 'none',
      updated_at: '2000-01-01T00:00:00.000Z',
    });
    expect(res.statusCode).toBe(409);
    expect(res.body).toContain('Someone else changed this record');
  });

  it('shows a carer only their own children, and the restricted father nothing of his daughter', async () => {
    const marta = await t.as('carer', t.fx.carers.marta);
    const home = await marta.get('/');
    expect(home.body).toContain('Your children');
    expect(home.body).toContain('Kuba'.slice(0, 0) + 'Jakub Nowak');
    expect(home.body).not.toContain('Lily');
    expect((await marta.get(`/children/${t.fx.pupils.lily}`)).statusCode).toBe(404);
    expect((await marta.get(`/pupils/${t.fx.pupils.kuba}`)).statusCode).toBe(404);

    const mark = await t.as('carer', t.fx.carers.mark);
    const markHome = await mark.get('/');
    expect(markHome.statusCode).toBe(200);
    expect(markHome.body).not.toContain('Lily');
    expect((await mark.get(`/children/${t.fx.pupils.lily}`)).statusCode).toBe(404);
  });

  it('gives a carer with no email a printed code that signs them in once', async () => {
    const office = await t.as('staff', t.fx.staff.office);
    const letter = await office.post(`/carers/${t.fx.carers.faduma}/sign-in-code`);
    expect(letter.statusCode).toBe(200);
    const code = /id="sign-in-code">([A-Z0-9-]+)</.exec(letter.body)?.[1];
    expect(code).toMatch(/^[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}$/);
    const anon = t.anonymous();
    const first = await anon.post('/sign-in/code', { code: code!.toLowerCase().replace(/-/g, ' ') });
    expect(first.statusCode).toBe(303);
    const second = await t.anonymous().post('/sign-in/code', { code: code! });
    expect(second.statusCode).toBe(400);
    expect(second.body).toContain('has been used, or has expired');
  });

  it('isolates a right-to-left name from the words around it (<bdi>), escaped once, on staff and carer pages', async () => {
    const { carers, pupils, staff } = t.fx;
    const kuba = await t.db.selectFrom('pupils').select(['given_name', 'family_name', 'preferred_name']).where('id', '=', pupils.kuba).executeTakeFirstOrThrow();
    const marta = await t.db.selectFrom('carers').select(['title', 'given_name', 'family_name']).where('id', '=', carers.marta).executeTakeFirstOrThrow();
    await t.db.updateTable('pupils').set({ given_name: 'فاطمة', family_name: 'خان <b>', preferred_name: null }).where('id', '=', pupils.kuba).execute();
    await t.db.updateTable('carers').set({ title: null, given_name: 'مريم', family_name: '<b>خان' }).where('id', '=', carers.marta).execute();
    try {
      const office = await t.as('staff', staff.office);
      const pupilPage = (await office.get(`/pupils/${pupils.kuba}`)).body;
      expect(pupilPage).toContain('<h1 class="govuk-heading-l"><bdi>فاطمة خان &lt;b&gt;</bdi></h1>');
      expect(pupilPage).toContain(`<a class="govuk-link" href="/carers/${carers.marta}"><bdi>مريم &lt;b&gt;خان</bdi></a>`);
      expect(pupilPage).toContain('Write to <bdi>فاطمة</bdi>’s family');
      expect(pupilPage).toContain('Lives with <bdi>فاطمة</bdi>'); // the tag beside a carer who lives with the child
      const carerPage = (await office.get(`/carers/${carers.marta}`)).body;
      expect(carerPage).toContain('<bdi>فاطمة خان &lt;b&gt;</bdi></a> –');
      const child = (await (await t.as('carer', carers.marta)).get(`/children/${pupils.kuba}`)).body;
      expect(child).toContain('<bdi>فاطمة خان &lt;b&gt;</bdi>');
      // The carer's links name the child inside a translated sentence: the words escaped, the name isolated.
      expect(child).toContain('Messages about <bdi>فاطمة</bdi>');
      expect(child).toContain('Tell us about a concern about <bdi>فاطمة</bdi>');
      // A choice per person in a form: the label is the isolated name.
      const restricting = (await (await t.as('staff', staff.head)).get(`/pupils/${pupils.kuba}/restrictions/new`)).body;
      expect(restricting).toMatch(/govuk-radios__label[^>]*>\s*<bdi>مريم &lt;b&gt;خان<\/bdi>\s*<\/label>/);
      expect(restricting).toMatch(/>\s*Collecting <bdi>فاطمة<\/bdi>\s*<\/label>/);
      // The printed sign-in letter greets the carer by an isolated name in both columns' words.
      const letter = (await office.post(`/carers/${carers.marta}/sign-in-code`)).body;
      expect(letter).toContain('Dear <bdi>مريم &lt;b&gt;خان</bdi>');
      for (const page of [pupilPage, carerPage, child, restricting, letter]) {
        expect(page).not.toContain('<b>خان');
        expect(page).not.toContain('خان <b>');
        expect(page).not.toContain('&amp;lt;');
      }
    } finally {
      await t.db.updateTable('pupils').set(kuba).where('id', '=', pupils.kuba).execute();
      await t.db.updateTable('carers').set(marta).where('id', '=', carers.marta).execute();
    }
  });
});

import fs from 'node:fs';
import path from 'node:path';
import type { KyselyPlugin } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dialects } from '../../../../test/support/db.ts';
import { startTestApp, type TestApp } from '../../../../test/support/app.ts';
import { applyBatch } from './service.ts';
import { text, uploader } from './upload-test-client.ts';

const fixtures = path.resolve(import.meta.dirname, '../../../../test/fixtures/import');
const PUPILS = fs.readFileSync(path.join(fixtures, 'pupils.csv'));
const CONTACTS = fs.readFileSync(path.join(fixtures, 'contacts.csv'));
const CONTACTS_WITH_ORDER = fs.readFileSync(path.join(fixtures, 'contacts-address-court-order.csv'));

describe.each(dialects)('import on %s', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(dialect);
  });
  afterAll(async () => {
    await t?.close();
  });

  const count = async (table: 'pupils' | 'carers' | 'carer_pupils' | 'classes' | 'audit_log') =>
    Number(
      (
        await t.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  const counts = async () => ({ pupils: await count('pupils'), carers: await count('carers'), links: await count('carer_pupils'), classes: await count('classes'), audit: await count('audit_log') });

  async function uploadAndOpen(kind: string, name: string, content: Buffer | string) {
    const u = await uploader(t, t.fx.staff.office);
    const res = await u.upload(kind, name, content);
    expect(res.statusCode, res.body.slice(0, 2000)).toBe(303);
    const url = res.headers.location as string;
    const office = await t.as('staff', t.fx.staff.office);
    return { url, office, page: await office.get(url) };
  }

  it('lets the office upload pupils, shows adds and rejects with line numbers, then imports them', async () => {
    const file = Buffer.concat([PUPILS, Buffer.from('H801200001006,<i>Name</i>,Bad,,01/01/2019,Year 3,,N,N,\nH801200001007,Child,Future,,01/01/2099,Year 14,,N,N,\n')]);
    const before = await counts();
    const { url, office, page } = await uploadAndOpen('pupils', 'pupils.csv', file);
    expect(page.statusCode).toBe(200);
    const body = text(page.body);
    expect(body).toContain('pupils.csv');
    expect(body).toContain('Pupils to add (5)');
    expect(body).toContain('Łukasz Kowalski');
    expect(body).toContain('محمد Hassan');
    expect(body).toContain("Aoife O'Brien-Smith");
    expect(body).toContain('Rows that will not be imported (2)');
    expect(body).toContain('7 Bad <i>Name</i> (H801200001006) Legal Surname: Surname must not contain < > { } or \\');
    expect(body).toContain('8 Future Child (H801200001007) Date of birth must be in the past Year Group "Year 14" is not one we recognise');
    expect(body).toContain('Classes to create 1'); // 2 Maple; the others exist
    expect(body).toContain('2 Maple in the file 1 pupil, Year 2. No teacher yet');
    expect(body).toContain('In Gatepost but not in this file (5)');
    expect(body).toContain('Import 5 rows');
    expect(await counts()).toEqual({ ...before, audit: before.audit + 1 }); // the upload's own entry: nothing else written

    const applied = await office.post(`${url}/apply`);
    expect(applied.statusCode).toBe(303);
    const done = text((await office.get(url)).body);
    expect(done).toContain('Pupils imported');
    expect(done).toContain('5 added, 0 changed, 2 not imported, 1 new class');
    const zoe = await t.db.selectFrom('pupils').selectAll().where('upn', '=', 'H801200001002').executeTakeFirstOrThrow();
    expect(zoe).toMatchObject({
      school_id: t.fx.school.id,
      given_name: 'Zoë',
      family_name: 'Brown',
      date_of_birth: '2018-09-03',
      year_group: '3',
      class_id: t.fx.classes.y3,
      send_status: 'sen_support',
      eal: 0,
    });
    const after = await counts();
    expect(after.pupils).toBe(before.pupils + 5);
    expect(after.classes).toBe(before.classes + 1);
    const created = await t.db.selectFrom('audit_log').select(['entity_id', 'after_json']).where('action', '=', 'pupil.created').execute();
    expect(created).toHaveLength(5);
    expect(JSON.parse(created[0]!.after_json!).import_batch).toBe(url.split('/').pop());
  });

  it('re-importing the same file changes nothing and duplicates nothing', async () => {
    const before = await counts();
    const { url, office, page } = await uploadAndOpen('pupils', 'pupils.csv', PUPILS);
    expect(text(page.body)).toContain('There is nothing to import');
    expect(text(page.body)).toContain('Already up to date 5');
    expect(text(page.body)).not.toContain('Pupils to add (');
    expect((await office.post(`${url}/apply`)).statusCode).toBe(303);
    const after = await counts();
    expect({ ...after, audit: 0 }).toEqual({ ...before, audit: 0 });
  });

  it('says plainly when nothing can be imported because every new row has a problem, and folds away the pupils not in the file', async () => {
    const header = PUPILS.toString('utf8').split('\n')[0]!;
    const bad = 'H801200001009,Smith,Amy,,31/02/2019,Year 2,,N,N,\nH80120000101,Jones,Ben,,01/01/2019,Year 15,,N,N,\n';
    // Only rows with problems: not "every good row matches", which would tell the office there is nothing to fix.
    const { office, page } = await uploadAndOpen('pupils', 'new-starters.csv', `${header}\n${bad}`);
    const body = text(page.body);
    expect(body).toContain('Rows that will not be imported (2)');
    expect(body).toContain(
      'Nothing in this file can be imported: every row has a problem. Each one is listed above with its line number. Correct those rows in the records system, export the file again and upload it.',
    );
    expect(body).not.toContain('every good row');
    expect(body).not.toContain('Import 0 rows');
    // The school's other pupils are listed folded (the file of two new starters must not push the answer pages down a phone), each name isolated.
    expect(page.body).toMatch(/<details[^>]*id="not-in-file"/);
    expect(body).toContain('Show the 10 pupils not in this file');
    expect(page.body).toMatch(/<li class="govuk-!-text-break-word"><bdi>محمد Hassan<\/bdi>/);

    // The same pupils as before plus one bad row: the good rows are up to date, the bad one is named.
    const again = text((await office.get((await uploadAndOpen('pupils', 'pupils.csv', `${PUPILS.toString('utf8').trimEnd()}\n${bad.split('\n')[0]}\n`)).url)).body);
    expect(again).toContain('Nothing in this file can be imported: the other rows match what Gatepost already has, and 1 row has a problem. Each one is listed above with its line number.');
  });

  it('an edited file shows each change before → after, and applying it updates the pupil', async () => {
    const edited = PUPILS.toString('utf8').replace('H801200001002,Brown,Zoë,,03/09/2018,Year 3,3 Okafor,K', 'H801200001002,Brown-Lee,Zoë,,03/09/2018,Year 4,4 Hall,K');
    const { url, office, page } = await uploadAndOpen('pupils', 'pupils-edited.csv', edited);
    const body = text(page.body);
    expect(body).toContain('Pupils to change (1)');
    expect(body).toContain('Legal surname: Brown → changes to Brown-Lee');
    expect(page.body).toMatch(/Legal surname: <bdi>Brown<\/bdi> <span aria-hidden="true">→<\/span><span class="govuk-visually-hidden"> changes to <\/span> <bdi>Brown-Lee<\/bdi>/); // each value isolated
    expect(body).toContain('Year group: Year 3 → changes to Year 4');
    expect(body).toContain('Reg group: 3 Okafor → changes to 4 Hall');
    expect(body).toContain('Import 1 row');
    await office.post(`${url}/apply`);
    const zoe = await t.db.selectFrom('pupils').selectAll().where('upn', '=', 'H801200001002').executeTakeFirstOrThrow();
    expect(zoe).toMatchObject({ family_name: 'Brown-Lee', year_group: '4', class_id: t.fx.classes.y4 });
    const entry = await t.db.selectFrom('audit_log').selectAll().where('action', '=', 'pupil.updated').where('entity_id', '=', zoe.id).executeTakeFirstOrThrow();
    expect(JSON.parse(entry.before_json!)).toEqual({ family_name: 'Brown', year_group: '3', class_name: '3 Okafor' });
  });

  it('imports contacts: one carer listed for two siblings becomes one carer with two links', async () => {
    const before = await counts();
    const { url, office, page } = await uploadAndOpen('contacts', 'contacts.csv', CONTACTS);
    const body = text(page.body);
    expect(body).toContain('Carers to add (5)');
    expect(body).toMatch(/2, 3 Mrs Agnieszka Kowalska agnieszka@families.test, 07700900101, Language Polish Łukasz Kowalski \(Mother\) Zofia Kowalski \(Mother\)/);
    expect(body).toContain('Import 6 rows');
    expect((await office.post(`${url}/apply`)).statusCode).toBe(303);
    const after = await counts();
    expect(after.carers).toBe(before.carers + 5);
    expect(after.links).toBe(before.links + 6);
    const agnieszka = await t.db.selectFrom('carers').selectAll().where('email', '=', 'agnieszka@families.test').execute();
    expect(agnieszka).toHaveLength(1);
    const links = await t.db
      .selectFrom('carer_pupils')
      .innerJoin('pupils', 'pupils.id', 'carer_pupils.pupil_id')
      .select(['pupils.upn', 'carer_pupils.relationship'])
      .where('carer_id', '=', agnieszka[0]!.id)
      .orderBy('pupils.upn')
      .execute();
    expect(links).toEqual([
      { upn: 'H801200001001', relationship: 'mother' },
      { upn: 'H801200001005', relationship: 'mother' },
    ]);
    expect(agnieszka[0]).toMatchObject({ mobile: '07700900101', address_line1: '12 Mill Lane, Flat 2', postcode: 'BF1 3CD', preferred_language: 'Polish', interpreter_needed: 1 });
    const siobhan = await t.db.selectFrom('carers').select(['given_name', 'family_name']).where('email', '=', 'siobhan@families.test').executeTakeFirstOrThrow();
    expect(siobhan).toEqual({ given_name: 'Siobhán', family_name: "O'Brien-Smith" });

    // The same file again: matched, nothing new.
    const again = await uploadAndOpen('contacts', 'contacts.csv', CONTACTS);
    expect(text(again.page.body)).toContain('There is nothing to import');
  });

  it('imports a ScholarPack-style contacts file: one Address cell, and a court order that keeps the father from everything', async () => {
    const { url, office, page } = await uploadAndOpen('contacts', 'scholarpack.csv', CONTACTS_WITH_ORDER);
    const body = text(page.body);
    expect(body).toContain('Court orders and restrictions to record (1)');
    expect(body).toMatch(/Gareth Brown for Zoë Brown(-Lee)? Restriction in the file: Court Order No access or mail about Zoë/); // renamed by the test above
    expect(body).toContain('Rows that will not be imported 0');
    expect((await office.post(`${url}/apply`)).statusCode).toBe(303);
    const gareth = await t.db.selectFrom('carers').selectAll().where('email', '=', 'gareth.brown@families.test').executeTakeFirstOrThrow();
    expect(gareth).toMatchObject({ address_line1: '3 Quarry Close', address_line2: null, town: 'Brookfield', postcode: 'BF5 6JK', channel_email: 0, channel_app: 0, paper_copies: 0 });
    expect(await t.db.selectFrom('restrictions').select(['kind', 'stops_information', 'stops_contact', 'details_pending']).where('carer_id', '=', gareth.id).execute()).toEqual([
      { kind: 'court_order', stops_information: 1, stops_contact: 1, details_pending: 1 },
    ]);
    const amina = await t.db.selectFrom('carers').selectAll().where('email', '=', 'amina@families.test').executeTakeFirstOrThrow();
    expect(amina).toMatchObject({ address_line1: '22 Park Road', town: 'Brookfield', postcode: 'BF3 4EF', channel_email: 1 });
    expect(await t.db.selectFrom('restrictions').select('id').where('carer_id', '=', amina.id).execute()).toEqual([]);
  });

  it('refuses to apply a batch twice', async () => {
    const edited = PUPILS.toString('utf8').replace('Zofia', 'Zosia');
    const { url, office } = await uploadAndOpen('pupils', 'zosia.csv', edited);
    expect((await office.post(`${url}/apply`)).statusCode).toBe(303);
    const before = await counts();
    const second = await office.post(`${url}/apply`);
    expect(second.statusCode).toBe(409);
    expect(text(second.body)).toContain('This file has already been imported');
    expect(text(second.body)).toContain('zosia.csv'); // the name the browser sent
    expect(await counts()).toEqual(before);

    // Two presses at the same moment: one import, one refusal.
    const { url: url2 } = await uploadAndOpen('pupils', 'race.csv', edited.replace('Zosia', 'Zofia'));
    const actor = { kind: 'staff' as const, id: t.fx.staff.office, schoolId: t.fx.school.id };
    const input = { schoolId: t.fx.school.id, batchId: url2.split('/').pop()!, actor, now: new Date(), today: '2026-11-23', baseUrl: 'http://gatepost.test' };
    const outcomes = await Promise.all([applyBatch(t.db, dialect, input), applyBatch(t.db, dialect, input)]);
    expect(outcomes.map((o) => o.status).sort()).toEqual(['already_applied', 'applied']);
  });

  it('writes nothing when applying fails part-way', async () => {
    const { url } = await uploadAndOpen('pupils', 'more.csv', `UPN,Forename,Surname,DOB,Year,Reg Group\nH801200002001,New,Pupil,01/01/2019,5,5 Birch\n`);
    const batchId = url.split('/').pop()!;
    const before = await counts();
    const failOnAudit: KyselyPlugin = {
      transformQuery(args) {
        const node = args.node as { kind: string; into?: { table: { identifier: { name: string } } } };
        if (node.kind === 'InsertQueryNode' && node.into?.table.identifier.name === 'audit_log') throw new Error('disk full');
        return args.node;
      },
      transformResult: async (args) => args.result,
    };
    const actor = { kind: 'staff' as const, id: t.fx.staff.office, schoolId: t.fx.school.id };
    await expect(
      applyBatch(t.db.withPlugin(failOnAudit), dialect, { schoolId: t.fx.school.id, batchId, actor, now: new Date(), today: '2026-11-23', baseUrl: 'http://gatepost.test' }),
    ).rejects.toThrow('disk full');
    expect(await counts()).toEqual(before); // no class, no pupil, no audit
    const batch = await t.db.selectFrom('import_batches').select('applied_at').where('id', '=', batchId).executeTakeFirstOrThrow();
    expect(batch.applied_at).toBeNull(); // the claim was rolled back too, so it can be applied later
    const ok = await applyBatch(t.db, dialect, { schoolId: t.fx.school.id, batchId, actor, now: new Date(), today: '2026-11-23', baseUrl: 'http://gatepost.test' });
    expect(ok).toMatchObject({ status: 'applied', summary: { added: 1, classesCreated: 1 } });
  });

  it('explains a bad file on the upload page and stores nothing', async () => {
    const u = await uploader(t, t.fx.staff.head);
    const before = await count('audit_log');
    const cases: [string, Buffer | string, RegExp][] = [
      ['pupils', '', /Select the pupils CSV file|The file is empty/],
      ['pupils', 'UPN,Forename,Surname\nA,B,C\n', /missing required columns: &quot;Date of Birth&quot;, &quot;Year Group&quot;/],
      ['contacts', 'Pupil UPN,Forename,Surname,Relationship\nA1,"Jo,Bloggs,Mother\nA2,Sam,Bloggs,Father\n', /Line 2: a quoted value is never closed/],
      ['pupils', Buffer.from('UPN,Forename\nA1,Zo\xeb\n', 'latin1'), /not saved as UTF-8/],
      ['pupils', Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x00, 0x00]), /not a CSV file/],
    ];
    for (const [kind, content, message] of cases) {
      const res = await u.upload(kind, 'bad.csv', content);
      expect(res.statusCode).toBe(400);
      expect(res.body).toMatch(message);
      expect(res.body).toContain(`href="#${kind}-file"`);
    }
    expect(await count('audit_log')).toBe(before);
  });

  it('answers 404 to teachers, carers and other schools, and asks the signed-out to sign in', async () => {
    const { url } = await uploadAndOpen('pupils', 'pupils.csv', PUPILS);
    for (const who of [await t.as('staff', t.fx.staff.teacher), await t.as('carer', t.fx.carers.marta), await t.as('staff', t.fx.staff.dsl)]) {
      expect((await who.get('/import')).statusCode).toBe(404);
      expect((await who.get(url)).statusCode).toBe(404);
      expect((await who.post(`${url}/apply`)).statusCode).toBe(404);
    }
    const otherHead = await t.as('staff', t.fx.staff.otherHead, t.fx.other.id);
    expect((await otherHead.get(url)).statusCode).toBe(404);
    expect((await otherHead.post(`${url}/apply`)).statusCode).toBe(404);
    expect((await t.anonymous().get('/import')).statusCode).toBe(303);
    const head = await t.as('staff', t.fx.staff.head);
    const page = await head.get('/import');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('enctype="multipart/form-data"');
    expect((await head.get('/import/columns')).body).toContain('Year Taught In');
  });
});

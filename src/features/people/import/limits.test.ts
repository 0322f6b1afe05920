import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dialects } from '../../../../test/support/db.ts';
import { startTestApp, type TestApp } from '../../../../test/support/app.ts';
import { newId } from '../../../platform/ids.ts';
import { MAX_FILE_BYTES, MAX_ROWS } from './csv.ts';
import { text, uploader } from './upload-test-client.ts';

/**
 * What an import will take: a file over the size or row cap is refused beside its file field and
 * nothing is stored; a dry run not imported within the hour is deleted (and audited), so it neither
 * opens any more nor colours (or slows) the next contacts dry run.
 */
const PUPILS_HEADER = 'UPN,Legal Forename,Legal Surname,Date of Birth,Year Group\n';
const CONTACTS = 'Pupil UPN,Contact Forename,Contact Surname,Relationship,Email\nH801200007777,Ana,Lopez,Mother,ana@families.example\n';

describe.each(dialects)('import caps and expiry on %s', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(dialect);
  });
  afterAll(async () => t?.close());

  const batches = async () =>
    Number(
      (
        await t.db
          .selectFrom('import_batches')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  it('refuses a file over the size cap beside the file field, storing nothing', async () => {
    const before = await batches();
    const row = 'H801200000001,Amy,Jones,01/02/2018,3\n';
    const big = PUPILS_HEADER + row.repeat(Math.ceil((MAX_FILE_BYTES + 1000) / row.length));
    const res = await (await uploader(t, t.fx.staff.office)).upload('pupils', 'big.csv', big);
    expect(res.statusCode).toBe(413);
    const page = text(res.body);
    expect(page).toContain('The file is larger than 5 MB, the most Gatepost reads at a time');
    // Beside the field it belongs to (GOV.UK's error message inside the pupils file's form group).
    expect(res.body).toMatch(/id="pupils-file-error"[^>]*>[\s\S]*?larger than 5 MB/);
    expect(await batches()).toBe(before);
  });

  it('refuses a file over the row cap beside the file field, storing nothing', async () => {
    const before = await batches();
    const rows = Array.from({ length: MAX_ROWS + 1 }, (_, i) => `H8012${String(i).padStart(8, '0')},A,B,01/02/2018,3`).join('\n');
    const res = await (await uploader(t, t.fx.staff.office)).upload('pupils', 'many.csv', PUPILS_HEADER + rows);
    expect(res.statusCode).toBe(400);
    expect(res.body).toMatch(/id="pupils-file-error"[^>]*>[\s\S]*?Gatepost reads up to 20,000 at a time/);
    expect(await batches()).toBe(before);
  });

  it('deletes a dry run not imported within the hour: it is gone, says so, and does not affect the next dry run', async () => {
    // A pupils file uploaded two hours ago and never imported, naming a pupil the school does not have.
    const old = newId();
    const twoHoursAgo = new Date(Date.now() - 2 * 3_600_000).toISOString();
    await t.db
      .insertInto('import_batches')
      .values({
        id: old,
        school_id: t.fx.school.id,
        kind: 'pupils',
        file_name: 'old-pupils.csv',
        csv_text: `${PUPILS_HEADER}H801200007777,Leo,Lopez,01/02/2018,3\n`,
        created_by: t.fx.staff.office,
        created_at: twoHoursAgo,
        applied_at: null,
      })
      .execute();
    // Another school's dry run, as old, is left to that school.
    const fresh = newId();
    await t.db
      .insertInto('import_batches')
      .values({
        id: fresh,
        school_id: t.fx.other.id,
        kind: 'pupils',
        file_name: 'other-school.csv',
        csv_text: PUPILS_HEADER,
        created_by: t.fx.staff.otherHead,
        created_at: twoHoursAgo,
        applied_at: null,
      })
      .execute();

    const res = await (await uploader(t, t.fx.staff.office)).upload('contacts', 'contacts.csv', CONTACTS);
    expect(res.statusCode).toBe(303);
    const office = await t.as('staff', t.fx.staff.office);
    const dryRun = text((await office.get(res.headers.location as string)).body);
    // With the old file still there, this row would say to import that pupils file first.
    expect(dryRun).not.toContain('is in a pupils file that has not been imported yet');
    expect(dryRun).toContain('H801200007777');

    expect(await t.db.selectFrom('import_batches').select('id').where('id', '=', old).executeTakeFirst()).toBeUndefined();
    const audited = await t.db.selectFrom('audit_log').select(['action', 'before_json']).where('entity_id', '=', old).execute();
    expect(audited.map((a) => a.action)).toEqual(['import.expired']);
    expect(audited[0]!.before_json).toContain('old-pupils.csv');
    // Another school's dry runs are that school's to expire.
    expect(await t.db.selectFrom('import_batches').select('id').where('id', '=', fresh).executeTakeFirst()).toBeTruthy();

    const gone = await office.get(`/import/${old}`);
    expect(gone.statusCode).toBe(410);
    expect(text(gone.body)).toContain('That check has expired');
    const apply = await office.post(`/import/${old}/apply`);
    expect(apply.statusCode).toBe(410);
    expect(await t.db.selectFrom('pupils').select('id').where('upn', '=', 'H801200007777').executeTakeFirst()).toBeUndefined();
  });
});

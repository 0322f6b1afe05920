import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dialects } from '../../../test/support/db.ts';
import { startTestApp, type TestApp } from '../../../test/support/app.ts';

const NOW = new Date('2026-11-26T10:00:00.000Z');
/** A page's words without its markup. */
const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');

/**
 * Journey 11 in part: Ms Byrne adds a reading-partner role; Grace Mensah offers herself from her
 * portal; a barred-list check is refused for her as a supervised volunteer, and she is approved after
 * a risk assessment; she cannot be put on an activity before approval, and can after.
 */
describe.each(dialects)('volunteering, end to end, on %s', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(dialect, { clock: () => NOW });
  });
  afterAll(async () => t?.close());

  it('Grace offers to be a reading partner and is approved after a risk assessment, as a supervised volunteer', async () => {
    const office = await t.as('staff', t.fx.staff.office);
    const bad = await office.post('/volunteering/opportunities', { kind: 'reading_partner', title: '' });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('Enter a title');
    expect((await office.post('/volunteering/opportunities', { kind: 'reading_partner', title: 'Reading partner', description: 'Hear Year 2 read', needs_dbs: 'yes' })).statusCode).toBe(303);
    const role = await t.db.selectFrom('volunteer_opportunities').select('id').where('title', '=', 'Reading partner').executeTakeFirstOrThrow();

    const grace = await t.as('carer', t.fx.carers.grace);
    expect((await grace.get('/my-volunteering')).body).toContain('Reading partner');
    expect((await grace.post(`/my-volunteering/${role.id}/offer`, { note: 'Free on Tuesdays' })).statusCode).toBe(303);
    expect((await grace.post(`/my-volunteering/${role.id}/offer`, { note: 'Again' })).statusCode).toBe(303); // a double click offers once
    const offers = await t.db.selectFrom('volunteers').selectAll().where('carer_id', '=', t.fx.carers.grace).execute();
    expect(offers).toHaveLength(1);
    const id = offers[0]!.id;
    const list = (await office.get('/volunteering')).body;
    expect(list).toContain('Grace Mensah');
    // The role is named once: its kind is not repeated when the title says the same.
    expect(list).toContain('Reading partner (needs a DBS check when unsupervised) · 0 approved');

    const tooSoon = await office.post(`/volunteering/volunteers/${id}/activities`, { activity: 'Reading with Year 2', on_date: '2026-12-01' });
    expect(tooSoon.statusCode).toBe(409);
    expect(tooSoon.body).toContain('Approve the volunteer before putting them on an activity');

    const barred = await office.post(`/volunteering/volunteers/${id}/approve`, {
      supervised: 'yes',
      barred_list_checked: 'yes',
      risk_assessment: 'Always with a teacher in sight',
      risk_assessed_on: '2026-11-20',
      review_on: '2027-11-20',
    });
    expect(barred.statusCode).toBe(400);
    expect(barred.body).toContain('A barred-list check is not allowed for a supervised volunteer');
    expect(barred.body).toContain('Always with a teacher in sight');
    expect((await office.get(`/volunteering/volunteers/${id}`)).body).toContain('name="review_on-month"'); // GOV.UK's three boxes
    const noMonth = await office.post(`/volunteering/volunteers/${id}/approve`, {
      supervised: 'yes',
      risk_assessment: 'Always with a teacher in sight',
      'risk_assessed_on-day': '20',
      'risk_assessed_on-month': '11',
      'risk_assessed_on-year': '2026',
      'review_on-day': '20',
      'review_on-month': '',
      'review_on-year': '2027',
    });
    expect(noMonth.statusCode).toBe(400);
    expect(noMonth.body).toContain('The review date must include a month');
    expect(noMonth.body).toContain('href="#review_on-month"');
    expect(noMonth.body).toContain('id="risk_assessed_on-day" name="risk_assessed_on-day" type="text" value="20"');
    const ok = await office.post(`/volunteering/volunteers/${id}/approve`, {
      supervised: 'yes',
      risk_assessment: 'Always with a teacher in sight',
      'risk_assessed_on-day': '20',
      'risk_assessed_on-month': '11',
      'risk_assessed_on-year': '2026',
      review_on: '20/11/2027',
    });
    expect(ok.statusCode).toBe(303);
    const approved = await t.db.selectFrom('volunteers').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    expect(approved).toMatchObject({ status: 'approved', supervised: 1, barred_list_checked: 0, review_on: '2027-11-20', approved_by: t.fx.staff.office });
    // The volunteer's page keeps the approval as a record to read: when, by whom, and on what it rests.
    const record = (await office.get(`/volunteering/volunteers/${id}`)).body;
    const approval = record.slice(record.indexOf('id="approval"'), record.indexOf('</dl>', record.indexOf('id="approval"')));
    expect(text(approval)).toContain('Approved 26 November 2026 by Siobhan Byrne');
    expect(text(approval)).toContain('Supervision Supervised: always with a member of staff who is DBS checked, within sight');
    expect(text(approval)).toContain('Risk assessment 20 November 2026: Always with a teacher in sight');
    expect(text(approval)).toContain('Review due 20 November 2027');
    const approvedPage = (await grace.get('/my-volunteering')).body;
    expect(approvedPage).toContain('You are approved for this role');
    // She is told what happens next: that staff will be with her, and that the office will say when and where.
    expect(approvedPage).toContain('A member of staff will always be with you while you help.');
    expect(approvedPage).toContain(`<p class="govuk-body" id="activities-${role.id}">The office will tell you when and where you are needed.</p>`);

    expect((await office.post(`/volunteering/volunteers/${id}/activities`, { activity: 'Reading with Year 2', on_date: '2026-12-01' })).statusCode).toBe(303);
    expect((await office.get(`/volunteering/volunteers/${id}`)).body).toContain('Reading with Year 2');
    // Once the office puts her on an activity, Grace sees it on her own page (the activity in the school's words, marked as English).
    const onIt = (await grace.get('/my-volunteering')).body;
    expect(onIt).toContain('When you are helping');
    expect(onIt).toContain('<li>1 December 2026: <span lang="en">Reading with Year 2</span></li>');
    expect(onIt).not.toContain('The office will tell you when and where you are needed.');
    // Nobody else's page shows it.
    expect((await (await t.as('carer', t.fx.carers.marta)).get('/my-volunteering')).body).not.toContain('Reading with Year 2');
  });

  it('the database refuses a barred-list check for a supervised volunteer too', async () => {
    const v = await t.db.selectFrom('volunteers').select('id').where('carer_id', '=', t.fx.carers.grace).executeTakeFirstOrThrow();
    await expect(t.db.updateTable('volunteers').set({ barred_list_checked: 1 }).where('id', '=', v.id).execute()).rejects.toThrow();
  });

  it('only the office and leaders record checks', async () => {
    const teacher = await t.as('staff', t.fx.staff.teacher);
    expect([403, 404]).toContain((await teacher.get('/volunteering')).statusCode);
  });
});

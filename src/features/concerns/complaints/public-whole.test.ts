import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dialects } from '../../../../test/support/db.ts';
import { startTestApp, type TestApp } from '../../../../test/support/app.ts';
import { english, textIn } from '../../../platform/i18n/catalog.ts';
import { DFE_ROUTE } from '../../conduct/index.ts';
import { outcomeLetter, type LetterFacts } from './letter.ts';
import type { Report } from './report.ts';

const NOW = new Date('2026-11-26T10:00:00.000Z'); // Thursday, autumn term

/**
 * A complaint from the public form is treated as a carer's is: its date of the last incident flags
 * a late one; its words can be marked as safeguarding (the one mechanism: DSL alerted, words hidden
 * from everyone else, every reading audited); one about the head goes to whoever the settings name;
 * it can be closed as serial or vexatious; its letter's sentences come from the catalogue; and taking
 * it on starts the case's timeline.
 */
describe.each(dialects)('a complaint from the public form, the whole way, on %s', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(dialect, { clock: () => NOW });
  });
  afterAll(async () => t?.close());

  const form = (email: string, extra: Record<string, string> = {}) => ({
    name: 'Joan Pike',
    email,
    phone: '',
    connection: 'I live next to the school',
    about: `Cars block my drive at pick-up (${email}).`,
    would_like: 'Ask parents not to park across driveways',
    'last_incident_on-day': '20',
    'last_incident_on-month': '11',
    'last_incident_on-year': '2026',
    ...extra,
  });
  const made = async (email: string) => (await t.db.selectFrom('public_complaints').selectAll().where('email', '=', email).executeTakeFirstOrThrow()).id;
  const audited = async (action: string, id: string) => (await t.db.selectFrom('audit_log').select('id').where('action', '=', action).where('entity_id', '=', id).execute()).length;
  const mailTo = async (to: string) =>
    (await t.db.selectFrom('outbox').select('payload_json').where('recipient', '=', to).execute()).map((r) => JSON.parse(r.payload_json) as { subject: string; text: string });
  const caseOf = async (publicId: string) => t.db.selectFrom('complaints').selectAll().where('public_complaint_id', '=', publicId).executeTakeFirstOrThrow();
  let lateId = '';

  it('asks for the last incident in three boxes; one more than three months before is flagged, and taken on the lead decides, as for a carer', async () => {
    const anon = t.anonymous();
    expect((await anon.get('/complain/100001')).body).toContain('name="last_incident_on-day"');
    const missing = await anon.post('/complain/100001', form('late@example.test', { 'last_incident_on-day': '', 'last_incident_on-month': '', 'last_incident_on-year': '' }));
    expect(missing.statusCode).toBe(400);
    expect(missing.body).toContain('Enter the date of the last thing that happened');
    expect(missing.body).toContain('Cars block my drive at pick-up (late@example.test).'); // nothing typed is lost
    const future = await anon.post('/complain/100001', form('late@example.test', { 'last_incident_on-day': '1', 'last_incident_on-month': '12' }));
    expect(future.statusCode).toBe(400);
    expect(future.body).toContain('must be today or before');
    expect((await anon.post('/complain/100001', form('late@example.test', { 'last_incident_on-day': '1', 'last_incident_on-month': '7' }))).statusCode).toBe(303);
    lateId = await made('late@example.test');
    expect((await t.db.selectFrom('public_complaints').select('last_incident_on').where('id', '=', lateId).executeTakeFirstOrThrow()).last_incident_on).toBe('2026-07-01');

    const head = await t.as('staff', t.fx.staff.head);
    expect((await head.get(`/complaints/public/${lateId}`)).body).toContain('Made more than three months after the last incident');
    expect((await head.post(`/complaints/public/${lateId}/decision`, { decision: 'accepted', reason: 'Dr Shah will look into it.' })).statusCode).toBe(303);
    const c = await caseOf(lateId);
    expect(c).toMatchObject({ late: 1, late_decision: null, last_incident_on: '2026-07-01', about: 'matter' });
    const page = await head.get(`/complaints/${c.id}`);
    expect(page.body).toContain('Accept or decline the late complaint');
    // The timeline starts with the complaint taken on.
    const events = await t.db.selectFrom('complaint_events').select(['kind', 'body', 'staff_id']).where('complaint_id', '=', c.id).execute();
    expect(events).toEqual([expect.objectContaining({ kind: 'taken_on', staff_id: t.fx.staff.head })]);
    expect(events[0]!.body).toContain('Dr Shah will look into it.');
    expect(page.body).toContain('Taken on from the public form');
    expect((await head.post(`/complaints/${c.id}/late`, { decision: 'accepted', reason: 'Joan was in hospital' })).statusCode).toBe(303);
    expect((await caseOf(lateId)).late_decision).toBe('accepted');
  });

  it('its words marked as safeguarding: the DSL and deputy are alerted, the words leave the head’s and the case’s view, each reading is audited', async () => {
    const email = 'worry@example.test';
    expect((await t.anonymous().post('/complain/100001', form(email, { about: 'A child at the gate told me she is scared to go home.' }))).statusCode).toBe(303);
    const id = await made(email);
    const dsl = await t.as('staff', t.fx.staff.dsl);
    expect((await dsl.get(`/complaints/public/${id}`)).statusCode).toBe(404); // not marked: not the DSL's to read here
    const head = await t.as('staff', t.fx.staff.head);
    expect((await head.get(`/complaints/public/${id}`)).body).toContain('scared to go home');
    expect((await (await t.as('staff', t.fx.staff.teacher)).post(`/complaints/public/${id}/safeguarding`, {})).statusCode).toBe(404);
    expect((await head.post(`/complaints/public/${id}/safeguarding`, {})).statusCode).toBe(303);
    expect((await head.post(`/complaints/public/${id}/safeguarding`, {})).statusCode).toBe(303); // once only
    const alerts = await t.db.selectFrom('staff_alerts').select('staff_id').where('kind', '=', 'safeguarding').where('link', '=', `/complaints/public/${id}`).execute();
    expect(alerts.map((a) => a.staff_id).sort()).toEqual([t.fx.staff.dsl, t.fx.staff.deputy_dsl].sort());
    expect(await audited('public_complaint.marked_safeguarding', id)).toBe(1);

    const hidden = await head.get(`/complaints/public/${id}`);
    expect(hidden.body).not.toContain('scared to go home');
    expect(hidden.body).toContain('passed to the DSL as a safeguarding concern');
    for (let i = 0; i < 2; i++) expect((await dsl.get(`/complaints/public/${id}`)).body).toContain('scared to go home');
    expect(await audited('public_complaint_words.viewed', id)).toBe(2);
    expect((await dsl.get(`/complaints/public/${id}`)).body).toContain('<bdi>Mrs Adeyemi</bdi>, 3 times');
    expect((await (await t.as('staff', t.fx.staff.deputy_dsl)).get(`/complaints/public/${id}`)).statusCode).toBe(200);
    for (const who of ['senior_leader', 'teacher', 'governor'] as const) expect((await (await t.as('staff', t.fx.staff[who])).get(`/complaints/public/${id}`)).statusCode, who).toBe(404);

    // Taken on, the case (and its panel papers) carry no words either.
    expect((await head.post(`/complaints/public/${id}/decision`, { decision: 'accepted', reason: 'The DSL has it in hand; Dr Shah looks at the rest.' })).statusCode).toBe(303);
    const onCase = await head.get(`/complaints/${(await caseOf(id)).id}`);
    expect(onCase.body).not.toContain('scared to go home');
    expect(onCase.body).toContain('passed to the DSL as a safeguarding concern');
  });

  it('one about the head goes to whoever the settings name: they are alerted, triage it and lead the case; the head never sees it', async () => {
    await t.db
      .insertInto('complaint_settings')
      .values({
        school_id: t.fx.school.id,
        school_type: 'maintained',
        stages_json: JSON.stringify([
          { key: 'informal', label: 'Informal' },
          { key: 'stage_1', label: 'Stage 1' },
          { key: 'stage_2', label: 'Stage 2: panel' },
        ]),
        acknowledge_days: 5,
        respond_days: 15,
        panel_within_days: 20,
        papers_before_days: 5,
        decision_after_days: 5,
        head_complaints_to: t.fx.staff.governor,
        governor_complaints_to: null,
        clerk_id: null,
        updated_by: t.fx.staff.head,
        updated_at: NOW.toISOString(),
      })
      .execute();
    const email = 'head@example.test';
    expect((await t.anonymous().post('/complain/100001', form(email, { about: 'The head shouted at me in the street.', about_head: 'yes' }))).statusCode).toBe(303);
    const id = await made(email);
    const alerted = await t.db.selectFrom('staff_alerts').select('staff_id').where('link', '=', `/complaints/public/${id}`).execute();
    expect(alerted.map((a) => a.staff_id)).toEqual([t.fx.staff.governor]);
    expect((await mailTo(email))[0]!.text).toContain('Someone not connected with the head teacher will decide');

    const head = await t.as('staff', t.fx.staff.head);
    expect((await head.get(`/complaints/public/${id}`)).statusCode).toBe(404);
    expect((await head.get('/complaints')).body).not.toContain(id);
    expect((await head.post(`/complaints/public/${id}/decision`, { decision: 'declined', reason: 'No' })).statusCode).toBe(404);
    const chair = await t.as('staff', t.fx.staff.governor);
    expect((await chair.get('/complaints')).body).toContain(`/complaints/public/${id}`);
    expect((await chair.get(`/complaints/public/${id}`)).body).toContain('The head shouted at me in the street.');
    expect((await chair.post(`/complaints/public/${id}/decision`, { decision: 'accepted', reason: 'I will look into it myself.' })).statusCode).toBe(303);
    const c = await caseOf(id);
    expect(c.about).toBe('head');
    expect((await chair.get(`/complaints/${c.id}`)).statusCode).toBe(200);
    expect((await head.get(`/complaints/${c.id}`)).statusCode).toBe(404);
    await t.db.deleteFrom('complaint_settings').where('school_id', '=', t.fx.school.id).execute();
  });

  it('is closed as serial with the carers’ handling: the reason and the DfE route emailed, reviewed by its date, all audited', async () => {
    const head = await t.as('staff', t.fx.staff.head);
    const c = await caseOf(lateId);
    const closure = {
      complaint: c.id,
      grounds: 'serial',
      closure_reason: 'This is the matter we answered in July.',
      dfe_route: DFE_ROUTE,
      'closure_review_on-day': '4',
      'closure_review_on-month': '12',
      'closure_review_on-year': '2026',
    };
    const missing = await head.post(`/complaints/public/${lateId}/closure`, { ...closure, grounds: '' });
    expect(missing.statusCode).toBe(400);
    expect(missing.body).toContain('Choose why the complaint is being closed');
    expect(missing.body).toContain('This is the matter we answered in July.');
    expect((await (await t.as('staff', t.fx.staff.senior_leader)).post(`/complaints/public/${lateId}/closure`, closure)).statusCode).toBe(404);
    expect((await head.post(`/complaints/public/${lateId}/closure`, closure)).statusCode).toBe(303);
    const row = await t.db.selectFrom('complaint_closures').selectAll().where('complaint_id', '=', c.id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ carer_id: null, grounds: 'serial', review_on: '2026-12-04', letter_sent_by: 'email', decided_by: t.fx.staff.head });
    const letter = (await mailTo('late@example.test')).find((m) => m.subject.includes('Your complaint to'))!;
    expect(letter.text).toContain('Dear Joan Pike,');
    expect(letter.text).toContain('it raises again a matter that has already been through our complaints procedure');
    expect(letter.text).toContain('This is the matter we answered in July.');
    expect(letter.text).toContain('www.gov.uk/contact-dfe');
    expect(await audited('complaint.closed_unreasonable', c.id)).toBe(1);
    const again = await head.post(`/complaints/public/${lateId}/closure`, closure);
    expect(again.statusCode).toBe(400);
    expect(again.body).toContain('This complaint has already been closed');

    expect((await head.get('/')).body).toContain(`/complaints/public/${lateId}`); // due for review within a fortnight
    expect((await head.post(`/complaints/public/${lateId}/closure/${row.id}/review`, {})).statusCode).toBe(303);
    expect((await t.db.selectFrom('complaint_closures').select('reviewed_by').where('id', '=', row.id).executeTakeFirstOrThrow()).reviewed_by).toBe(t.fx.staff.head);
    expect(await audited('complaint.closure_reviewed', lateId)).toBe(1);
    expect((await head.post(`/complaints/public/${lateId}/closure/${row.id}/review`, {})).statusCode).toBe(400);
  });
});

describe('the outcome letter to a public complainant', () => {
  const report = { what_happened: 'Parents park across driveways.', how_handled: 'Calls were not passed on.', resolved: 'A cone at the gate.' } as Report;
  const facts: LetterFacts = {
    carerName: 'Joan Pike',
    childName: null,
    schoolName: 'Brookfield Primary',
    receivedOn: '2026-11-26',
    stage: 'stage_1',
    outcome: 'upheld',
    report,
    officerName: 'Dr Shah',
    schoolType: 'maintained',
    earlyYears: false,
    panelStageLabel: 'Stage 2: panel',
    escalateWithinDays: 10,
  };
  it('takes its opening and its way on from the catalogue, like the rest of the letter', () => {
    const en = outcomeLetter(facts, english);
    expect(en).toContain('Thank you for your complaint, which we received on Thursday 26 November 2026. Dr Shah, who is not connected with the matter, investigated it.');
    expect(en).toContain('within 10 school days of this letter, by replying to this email or in writing to the clerk to the governors.');
    const pl = outcomeLetter(facts, textIn('pl'));
    expect(pl).toContain('Dziękujemy za skargę, którą otrzymaliśmy');
    expect(pl).toContain('odpowiadając na tę wiadomość e-mail');
  });
});

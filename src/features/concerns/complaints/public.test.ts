import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dialects } from '../../../../test/support/db.ts';
import { startTestApp, type TestApp } from '../../../../test/support/app.ts';

const NOW = new Date('2026-11-26T10:00:00.000Z'); // Thursday, autumn term

/** "By anyone": the public complaint form (no sign-in) for a maintained school, refused to non-parents by an academy; the head triages. */
describe.each(dialects)('a complaint from anyone, on the public form, on %s', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(dialect, { clock: () => NOW });
  });
  afterAll(async () => t?.close());

  const form = {
    name: 'Joan Pike',
    email: 'joan.pike@example.test',
    phone: '',
    connection: 'I live next to the school',
    about: 'Cars block my drive at pick-up every day.',
    would_like: 'Ask parents not to park across driveways',
    last_incident_on: '20/11/2026',
  };
  const mailTo = (to: string) =>
    t.db
      .selectFrom('outbox')
      .select(['payload_json'])
      .where('recipient', '=', to)
      .execute()
      .then((rows) => rows.map((r) => JSON.parse(r.payload_json) as { subject: string; text: string }));
  let id = '';

  it('a neighbour complains to a maintained school without signing in: bad input is refused beside the field and kept; she is emailed the dates', async () => {
    const anon = t.anonymous();
    const page = await anon.get('/complain/100001');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Anyone may make a complaint to Brookfield');
    expect((await anon.get('/complain/999999')).statusCode).toBe(404);
    const bad = await anon.post('/complain/100001', { ...form, email: 'joan at home' });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('id="email-error"');
    expect(bad.body).toContain('Cars block my drive at pick-up every day.');
    const sent = await anon.post('/complain/100001', form);
    expect(sent.statusCode).toBe(303);
    expect(sent.headers.location).toBe('/complain/100001/sent');
    const row = await t.db.selectFrom('public_complaints').selectAll().where('email', '=', 'joan.pike@example.test').executeTakeFirstOrThrow();
    id = row.id;
    // 5 and 15 school days from Thursday 26 November, as for any complaint.
    expect(row).toMatchObject({ school_id: t.fx.school.id, status: 'new', received_on: '2026-11-26', acknowledge_by: '2026-12-03', respond_by: '2026-12-17' });
    const [ack] = await mailTo('joan.pike@example.test');
    expect(ack!.subject).toContain('we have received your complaint');
    expect(ack!.text).toContain('Thursday 17 December 2026');
    const alert = await t.db.selectFrom('staff_alerts').select(['staff_id', 'link']).where('link', '=', `/complaints/public/${id}`).execute();
    expect(alert.map((a) => a.staff_id)).toEqual([t.fx.staff.head]);
    expect((await t.db.selectFrom('audit_log').select('id').where('action', '=', 'public_complaint.made').where('entity_id', '=', id).execute()).length).toBe(1);
  });

  it('is rate-limited: the same email address a few times, then told to wait, with what was typed kept', async () => {
    const anon = t.anonymous();
    for (let i = 0; i < 2; i++) expect((await anon.post('/complain/100001', { ...form, about: `Again ${i}` })).statusCode).toBe(303);
    const slowed = await anon.post('/complain/100001', { ...form, about: 'And again' });
    expect(slowed.statusCode).toBe(429);
    expect(slowed.body).toContain('Several complaints have been sent from here. Wait');
    expect(slowed.body).toContain('And again');
    expect(await t.db.selectFrom('public_complaints').select('id').where('email', '=', 'joan.pike@example.test').execute()).toHaveLength(3);
  });

  it('only the head sees it and decides; a decision needs its reason; Joan is emailed', async () => {
    const head = await t.as('staff', t.fx.staff.head);
    expect((await head.get('/complaints')).body).toContain(`/complaints/public/${id}`);
    expect((await head.get(`/complaints/public/${id}`)).body).toContain('Cars block my drive');
    for (const who of ['senior_leader', 'teacher', 'governor'] as const) {
      const other = await t.as('staff', t.fx.staff[who]);
      expect((await other.get(`/complaints/public/${id}`)).statusCode, who).toBe(404);
      expect((await other.get('/complaints')).body, who).not.toContain('Joan Pike');
    }
    const otherHead = await t.as('staff', t.fx.staff.otherHead, t.fx.other.id);
    expect((await otherHead.get(`/complaints/public/${id}`)).statusCode).toBe(404);
    const noReason = await head.post(`/complaints/public/${id}/decision`, { decision: 'accepted', reason: '' });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.body).toContain('id="reason-error"');
    expect((await head.post(`/complaints/public/${id}/decision`, { decision: 'accepted', reason: 'Mr Green will look into parking at pick-up.' })).statusCode).toBe(303);
    expect(await t.db.selectFrom('public_complaints').select(['status', 'decided_by']).where('id', '=', id).executeTakeFirstOrThrow()).toEqual({ status: 'accepted', decided_by: t.fx.staff.head });
    const told = (await mailTo('joan.pike@example.test')).find((m) => m.subject.endsWith('how your complaint will be dealt with'));
    expect(told!.text).toContain('Mr Green will look into parking at pick-up.');
    expect(told!.text).toContain('Thursday 17 December 2026');
    expect((await head.post(`/complaints/public/${id}/decision`, { decision: 'declined', reason: 'Changed my mind' })).statusCode).toBe(400);
  });

  it('an academy’s form says it covers parents of pupils, and refuses anyone else with the reason', async () => {
    await t.db
      .insertInto('complaint_settings')
      .values({
        school_id: t.fx.other.id,
        school_type: 'academy',
        stages_json: '[]',
        acknowledge_days: 5,
        respond_days: 15,
        panel_within_days: 20,
        papers_before_days: 5,
        decision_after_days: 5,
        head_complaints_to: null,
        governor_complaints_to: null,
        clerk_id: null,
        updated_by: t.fx.staff.otherHead,
        updated_at: NOW.toISOString(),
      })
      .execute();
    const anon = t.anonymous();
    const page = await anon.get('/complain/100002');
    expect(page.body).toContain('covers parents and carers of pupils at the school');
    const asked = await anon.post('/complain/100002', { ...form, email: 'someone@example.test' });
    expect(asked.statusCode).toBe(400);
    expect(asked.body).toContain('Say whether you are a parent or carer of a pupil at the school');
    const refused = await anon.post('/complain/100002', { ...form, email: 'someone@example.test', parent: 'no' });
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain('id="parent-error"');
    expect(refused.body).toContain('www.gov.uk/complain-to-dfe');
    expect(await t.db.selectFrom('public_complaints').select('id').where('school_id', '=', t.fx.other.id).execute()).toHaveLength(0);
    expect((await anon.post('/complain/100002', { ...form, email: 'parent@example.test', parent: 'yes' })).statusCode).toBe(303);
  });
});

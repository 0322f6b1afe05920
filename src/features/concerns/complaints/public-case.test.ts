import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dialects } from '../../../../test/support/db.ts';
import { startTestApp, type TestApp } from '../../../../test/support/app.ts';
import { newId } from '../../../platform/ids.ts';

const NOW = new Date('2026-11-26T10:00:00.000Z'); // Thursday, autumn term

/**
 * A complaint from a member of the public, taken on by the head, goes the whole formal way: an
 * independent officer (no child to be connected with, but the people named in it and declared
 * interests still refused), dates in school days that move with a reason told by email, the report,
 * the outcome letter by email, the panel and its papers. The complainant is never a user.
 */
describe.each(dialects)('a complaint from the public form, taken on, on %s', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(dialect, { clock: () => NOW });
  });
  afterAll(async () => t?.close());

  const JOAN = 'joan.pike@example.test';
  const mailTo = async (subject: string) => {
    const rows = await t.db.selectFrom('outbox').select(['payload_json']).where('recipient', '=', JOAN).execute();
    return rows.map((r) => JSON.parse(r.payload_json) as { subject: string; text: string }).filter((m) => m.subject.includes(subject));
  };
  const row = (id: string) => t.db.selectFrom('complaints').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const audited = async (action: string, id: string) => (await t.db.selectFrom('audit_log').select('id').where('action', '=', action).where('entity_id', '=', id).execute()).length;
  let id = '';

  it('taken on, it is a case led by the head, with the dates Joan was given and no child or carer', async () => {
    const anon = t.anonymous();
    const form = {
      name: 'Joan Pike',
      email: JOAN,
      phone: '',
      connection: 'I live next to the school',
      about: 'Cars block my drive at pick-up every day.',
      would_like: 'Ask parents not to park across driveways',
      last_incident_on: '20/11/2026',
    };
    expect((await anon.post('/complain/100001', form)).statusCode).toBe(303);
    const pc = await t.db.selectFrom('public_complaints').select('id').where('email', '=', JOAN).executeTakeFirstOrThrow();
    const head = await t.as('staff', t.fx.staff.head);
    const taken = await head.post(`/complaints/public/${pc.id}/decision`, { decision: 'accepted', reason: 'An independent governor will look into it.' });
    expect(taken.statusCode).toBe(303);
    id = /\/complaints\/([^?]+)\?done=made/.exec(taken.headers.location as string)![1]!;
    expect(await row(id)).toMatchObject({
      public_complaint_id: pc.id,
      pupil_id: null,
      carer_id: null,
      concern_id: null,
      stage: 'stage_1',
      status: 'open',
      respond_by: '2026-12-17',
      counts_from: '2026-11-26',
    });
    expect(await audited('complaint.made', id)).toBe(1);
    const page = await head.get(`/complaints/${id}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Joan Pike (public form)');
    expect(page.body).toContain('Cars block my drive at pick-up every day.');
    expect((await head.get('/complaints')).body).toContain(`/complaints/${id}`);
    expect((await head.get(`/complaints/public/${pc.id}`)).body).toContain(`/complaints/${id}`);
    // Nobody else on the staff, nor the other school, sees it.
    for (const who of ['senior_leader', 'teacher', 'governor', 'dsl'] as const) expect((await (await t.as('staff', t.fx.staff[who])).get(`/complaints/${id}`)).statusCode, who).toBe(404);
    expect((await (await t.as('staff', t.fx.staff.otherHead, t.fx.other.id)).get(`/complaints/${id}`)).statusCode).toBe(404);
  });

  it('refuses as officer someone named in it and someone declaring an interest, with the reasons; appoints an unconnected governor', async () => {
    const head = await t.as('staff', t.fx.staff.head);
    expect((await head.post(`/complaints/${id}/named`, { staff: t.fx.staff.senior_leader })).statusCode).toBe(303);
    // Named twice: the error isolates the name, beside the field and in the error summary.
    const twice = await head.post(`/complaints/${id}/named`, { staff: t.fx.staff.senior_leader });
    expect(twice.statusCode).toBe(400);
    expect(twice.body.match(/<bdi>Mr Green<\/bdi> is already named/g)).toHaveLength(2);
    const named = await head.post(`/complaints/${id}/officer`, { staff: t.fx.staff.senior_leader });
    expect(named.statusCode).toBe(400);
    expect(named.body).toContain('<bdi>Mr Green</bdi> is named in the complaint');
    // What the governor typed is escaped once; her name isolated each time it is said.
    const interest = await head.post(`/complaints/${id}/officer`, { staff: t.fx.staff.governor, interest: 'Joan & <b>Bob</b> are my neighbours' });
    expect(interest.body.match(/Gatepost cannot appoint <bdi>Dr Shah<\/bdi>: <bdi>Dr Shah<\/bdi> declared an interest: Joan &amp; &lt;b&gt;Bob&lt;\/b&gt; are my neighbours/g)).toHaveLength(2);
    expect(interest.body).not.toContain('&amp;amp;');
    expect((await head.post(`/complaints/${id}/officer`, { staff: t.fx.staff.governor })).statusCode).toBe(303);
    expect((await row(id)).officer_id).toBe(t.fx.staff.governor);
    expect((await head.post(`/complaints/${id}/officer`, { staff: t.fx.staff.governor })).body).toContain('<bdi>Dr Shah</bdi> is already appointed');
    expect(await audited('complaint.appointment_refused', id)).toBe(2);
  });

  it('a date moves only with a reason, and Joan is emailed both (in school days: the new date stands as given)', async () => {
    const head = await t.as('staff', t.fx.staff.head);
    expect((await head.post(`/complaints/${id}/slip`, { deadline: 'respond_by', new_date: '07/01/2027', reason: 'The governor is away' })).statusCode).toBe(303);
    const [told] = await mailTo('A date in your complaint has moved');
    expect(told!.text).toContain('Dear Joan Pike,');
    expect(told!.text).toContain('We said we would answer your complaint by Thursday 17 December 2026. The new date is Thursday 7 January 2027.');
    expect(told!.text).toContain('The governor is away');
    expect(told!.text).not.toContain('Gatepost'); // no account, no link
    expect(await audited('complaint.deadline_moved', id)).toBe(1);
  });

  it('Dr Shah issues the report on the checklist; the outcome letter goes to Joan by email; the head takes it to the panel', async () => {
    const shah = await t.as('staff', t.fx.staff.governor);
    const report = {
      independence: 'No link with the family or the street.',
      what_happened: 'Parents park across two driveways at 3pm.',
      how_handled: 'The office had not passed on earlier calls.',
      resolved: 'A newsletter item and a cone at the gate.',
      fair: 'Yes',
      full: 'Yes',
      proportionate: 'Yes',
      timely: 'Yes',
      confidential: 'Yes',
      barriers: 'None',
      outcome: 'upheld',
    };
    expect((await shah.post(`/complaints/${id}/report`, { ...report, issue: 'yes' })).statusCode).toBe(303);
    const draft = await t.db.selectFrom('complaint_letters').select('body').where('complaint_id', '=', id).executeTakeFirstOrThrow();
    expect(draft.body).toContain('Dear Joan Pike,');
    expect(draft.body).toContain('Thank you for your complaint, which we received on Thursday 26 November 2026. Dr Shah, who is not connected with the matter, investigated it.');
    expect(draft.body).toContain('by replying to this email');
    const head = await t.as('staff', t.fx.staff.head);
    expect((await head.post(`/complaints/${id}/letter`, { body: draft.body, send: 'send' })).statusCode).toBe(303);
    const [outcome] = await mailTo('The outcome of your formal complaint');
    expect(outcome!.text).toContain('Outcome: Upheld.');
    expect(outcome!.text).toContain('A newsletter item and a cone at the gate.');
    expect(await row(id)).toMatchObject({ status: 'answered', outcome: 'upheld' });
    expect(await audited('complaint.outcome_letter', id)).toBe(1);

    expect((await head.post(`/complaints/${id}/stage-2`, {})).statusCode).toBe(303);
    expect(await mailTo('Your complaint goes to the governors’ panel')).toHaveLength(1);
    // Dr Shah took part in stage 1: refused for the panel.
    const earlier = await head.post(`/complaints/${id}/panel`, { staff: t.fx.staff.governor });
    expect(earlier.body).toContain('took part in an earlier stage of this complaint');
  });

  it('the panel papers go to the panel and to Joan by email, with her words', async () => {
    await t.db
      .insertInto('complaint_people')
      .values(
        [t.fx.staff.teacher, t.fx.staff.teacher2, t.fx.staff.teacher3].map((staffId) => ({
          id: newId(),
          school_id: t.fx.school.id,
          complaint_id: id,
          staff_id: staffId,
          role: 'panel' as const,
          independent: 0,
          created_by: t.fx.staff.head,
          created_at: NOW.toISOString(),
        })),
      )
      .execute();
    const head = await t.as('staff', t.fx.staff.head);
    expect((await head.post(`/complaints/${id}/panel-date`, { panel_on: '14/01/2027' })).statusCode).toBe(303);
    const [date] = await mailTo('The date of the governors’ panel');
    expect(date!.text).toContain('The panel will meet on Thursday 14 January 2027.');
    expect((await head.post(`/complaints/${id}/papers`, { note: 'The panel meets in the library at 4pm.', how: 'email' })).statusCode).toBe(303);
    const [papers] = await mailTo('The papers for the governors’ panel');
    expect(papers!.text).toContain('Cars block my drive at pick-up every day.');
    expect(papers!.text).toContain('Outcome: Upheld.');
    const toPanel = await t.db.selectFrom('outbox').select('recipient').where('idempotency_key', 'like', `%complaint-papers:${id}%`).execute();
    expect(toPanel.map((r) => r.recipient).sort()).toEqual(['bell@brookfield.test', 'hall@brookfield.test', JOAN, 'okafor@brookfield.test']);
    expect(await audited('complaint.papers_sent', id)).toBe(1);
    const procedure = await head.get(`/complaints/${id}/procedure`);
    expect(procedure.statusCode).toBe(200);
    expect(procedure.body).toContain('Procedure followed: complaint from <bdi>Joan Pike</bdi> (public form)</h1>');
    expect((await head.get(`/complaints/${id}`)).body).toContain('<h1 class="govuk-heading-l"><bdi>Joan Pike</bdi> (public form)</h1>');
  });
});

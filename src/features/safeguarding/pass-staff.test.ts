import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dialects } from '../../../test/support/db.ts';
import { startTestApp, type Client, type TestApp } from '../../../test/support/app.ts';
import { newId } from '../../platform/ids.ts';
import { insertMeeting } from '../meetings/record-test-data.ts';
import { saveSafetyPlan } from '../meetings/safety.ts';

/**
 * "Pass this to the DSL" beside what staff wrote: a safety plan's notes, a buddy check-in, a conduct
 * incident and why an arrangement was made, a staff-only profile note, a volunteer's risk assessment.
 * Each is found by the rule of the page it is on (anyone else: 404), quoted from the record, and the
 * DSL sees what kind of record it came from. Once a member of staff has passed words on, their page
 * says when, instead of the link again; a colleague's page does not.
 */
const PLAN = 'Dad shouted at the gate last week that Kuba will pay for telling tales. Keep them apart.';
const INCIDENT = 'Shouted at Ms Byrne in reception and said the children would suffer for it at home.';
const REASON = 'Threats to staff at the gate on 2 and 9 November, with the children present.';
const CHECK_IN = 'The buddy family say the newcomer’s children are often left alone overnight.';
const PROFILE_NOTE = 'Flinches when an adult raises their voice; asked not to go home on Fridays.';
const RISK = 'Supervised at all times; previous concern raised by another school in 2024.';
const DAY = { 'happened_on-day': '1', 'happened_on-month': '12', 'happened_on-year': '2026' };

describe.each(dialects)('passing what staff wrote to the DSL, on %s', (dialect) => {
  let t: TestApp;
  let okafor: Client;
  let patel: Client;
  let lewis: Client;
  let byrne: Client;
  let kubaMeeting: string;
  let leoMeeting: string;
  let incident: string;
  let arrangement: string;
  let match: string;
  let volunteer: string;
  const made: Record<string, string> = {};

  const formIdOf = (body: string) => /name="form_id" value="([^"]+)"/.exec(body)![1]!;
  const pass = async (client: Client, url: string, pupil: string, what = '') => {
    const page = await client.get(url);
    expect(page.statusCode).toBe(200);
    const sent = await client.post(url, { form_id: formIdOf(page.body), pupil, what, ...DAY });
    expect(sent.statusCode).toBe(303);
    return String(sent.headers.location).split('passed=')[1]!;
  };

  beforeAll(async () => {
    t = await startTestApp(dialect);
    const fx = t.fx;
    [okafor, patel, lewis, byrne] = (await Promise.all([fx.staff.teacher, fx.staff.head, fx.staff.family_liaison, fx.staff.office].map((id) => t.as('staff', id)))) as [Client, Client, Client, Client];
    const now = '2026-11-20T09:30:00.000Z';
    const s = fx.school.id;
    kubaMeeting = await insertMeeting(t.db, fx, { pupilId: fx.pupils.kuba, leadId: fx.staff.teacher, carerIds: [fx.carers.marta], status: 'scheduled', topic: 'Reading at home' });
    leoMeeting = await insertMeeting(t.db, fx, { pupilId: fx.pupils.leo, leadId: fx.staff.teacher2, carerIds: [fx.carers.grace], status: 'scheduled', topic: 'Mornings' });
    const plan = (meetingId: string, by: string, notes: string) => ({
      meeting_id: meetingId,
      school_id: s,
      colleague_id: fx.staff.senior_leader,
      colleague_presence: 'in_room' as const,
      room: 'Room 2',
      clear_route_out: 1 as const,
      neutral_and_private: 1 as const,
      notes,
      head_told_at: now,
      created_by: by,
      updated_at: now,
    });
    await t.db
      .insertInto('meeting_safety_plans')
      .values([plan(kubaMeeting, fx.staff.teacher, PLAN), plan(leoMeeting, fx.staff.teacher2, 'Leo’s plan')])
      .execute();
    incident = newId();
    await t.db
      .insertInto('conduct_incidents')
      .values({ id: incident, school_id: s, carer_id: fx.carers.marta, happened_on: '2026-11-09', what: INCIDENT, recorded_by: fx.staff.head, created_at: now })
      .execute();
    arrangement = newId();
    await t.db
      .insertInto('conduct_arrangements')
      .values({
        id: arrangement,
        school_id: s,
        carer_id: fx.carers.marta,
        kind: 'single_contact',
        contact_staff_id: fx.staff.head,
        reason: REASON,
        starts_on: '2026-11-10',
        review_on: '2099-02-10',
        letter_subject: null,
        letter_text: null,
        letter_sent_by: null,
        set_by: fx.staff.head,
        reviewed_at: null,
        reviewed_by: null,
        ended_at: null,
        ended_by: null,
        created_at: now,
        updated_at: now,
      })
      .execute();
    match = newId();
    await t.db
      .insertInto('buddy_matches')
      .values({
        id: match,
        school_id: s,
        newcomer_id: fx.carers.marta,
        buddy_id: fx.carers.grace,
        newcomer_consent_at: now,
        buddy_consent_at: now,
        declined_at: null,
        recorded_by: fx.staff.family_liaison,
        recorded_on: '2026-10-20',
        check_in_on: '2026-11-17',
        checked_in_at: now,
        checked_in_by: fx.staff.family_liaison,
        check_in_note: CHECK_IN,
        withdrawn_by: null,
        withdrawn_reason: null,
        ended_by_carer: null,
        created_at: now,
      })
      .execute();
    const profile = newId();
    await t.db
      .insertInto('profiles')
      .values({ id: profile, school_id: s, pupil_id: fx.pupils.kuba, version: 1, review_due_on: null, review_kind: null, created_by: fx.staff.teacher, created_at: now, updated_at: now })
      .execute();
    await t.db
      .insertInto('profile_versions')
      .values({
        id: newId(),
        school_id: s,
        profile_id: profile,
        version: 1,
        admire: 'Kind to younger children',
        important: 'His sister Ola',
        support: 'Quiet space',
        pupil_voice: '',
        admire_staff: '',
        important_staff: PROFILE_NOTE,
        support_staff: '',
        proposal_id: null,
        accepted_by: fx.staff.teacher,
        created_at: now,
      })
      .execute();
    const role = newId();
    await t.db
      .insertInto('volunteer_opportunities')
      .values({
        id: role,
        school_id: s,
        kind: 'reading_partner',
        title: 'Reading helper',
        description: 'Hear children read',
        needs_dbs: 1,
        status: 'open',
        created_by: fx.staff.office,
        created_at: now,
      })
      .execute();
    volunteer = newId();
    await t.db
      .insertInto('volunteers')
      .values({
        id: volunteer,
        school_id: s,
        opportunity_id: role,
        carer_id: fx.carers.grace,
        status: 'approved',
        offer_note: null,
        supervised: 1,
        dbs_certificate: null,
        dbs_checked_on: null,
        barred_list_checked: 0,
        risk_assessment: RISK,
        risk_assessed_on: '2026-11-02',
        approved_on: '2026-11-02',
        approved_by: fx.staff.office,
        review_on: '2099-11-02',
        created_at: now,
        updated_at: now,
      })
      .execute();
  });
  afterAll(async () => t?.close());

  const links = () => [
    { who: () => okafor, page: `/meetings/${kubaMeeting}/safety-plan`, href: `/tell-the-dsl/safety-plans/${kubaMeeting}` },
    { who: () => patel, page: `/carers/${t.fx.carers.marta}/conduct`, href: `/tell-the-dsl/conduct-incidents/${incident}` },
    { who: () => patel, page: `/carers/${t.fx.carers.marta}/conduct`, href: `/tell-the-dsl/conduct-arrangements/${arrangement}` },
    { who: () => lewis, page: '/community', href: `/tell-the-dsl/buddy-check-ins/${match}` },
    { who: () => okafor, page: `/pupils/${t.fx.pupils.kuba}/profile`, href: `/tell-the-dsl/profile-notes/important_staff/${t.fx.pupils.kuba}` },
    { who: () => byrne, page: `/volunteering/volunteers/${volunteer}`, href: `/tell-the-dsl/risk-assessments/${volunteer}` },
  ];

  it('offers "Pass this to the DSL" beside each, on the page it is on', async () => {
    for (const l of links()) {
      const page = await l.who().get(l.page);
      expect(page.statusCode).toBe(200);
      expect(page.body, l.page).toContain(`href="${l.href}"`);
    }
    // Empty staff-only notes have nothing to pass on.
    expect((await okafor.get(`/pupils/${t.fx.pupils.kuba}/profile`)).body).not.toContain('/tell-the-dsl/profile-notes/admire_staff/');
  });

  it('opens the form with the words quoted from the record and who wrote them; the child chosen where the page is about one', async () => {
    const plan = (await okafor.get(`/tell-the-dsl/safety-plans/${kubaMeeting}`)).body;
    expect(plan).toMatch(/<blockquote[^>]*>[\s\S]*will pay for telling tales/);
    expect(plan).toContain('What <bdi>Mr Okafor</bdi> wrote');
    expect(plan).toContain('The notes on a difficult meeting’s safety plan: written by <bdi>Mr Okafor</bdi>');
    expect(plan).toMatch(new RegExp(`<option value="${t.fx.pupils.kuba}" selected`));
    const profile = (await okafor.get(`/tell-the-dsl/profile-notes/important_staff/${t.fx.pupils.kuba}`)).body;
    expect(profile).toContain('Flinches when an adult raises their voice');
    expect(profile).toMatch(new RegExp(`<option value="${t.fx.pupils.kuba}" selected`));
    // About an adult: no child chosen, and the form says how to pass it on all the same.
    const risk = (await byrne.get(`/tell-the-dsl/risk-assessments/${volunteer}`)).body;
    expect(risk).toContain('previous concern raised by another school');
    expect(risk).toContain('These words are about an adult, not one child.');
    expect(risk).not.toMatch(/<option value="[^"]+" selected/);
    // Reading a carer's conduct is audited, here as on their page.
    const viewed = async () => (await t.db.selectFrom('audit_log').select('id').where('action', '=', 'conduct.viewed').where('entity_id', '=', t.fx.carers.marta).execute()).length;
    const before = await viewed();
    expect((await patel.get(`/tell-the-dsl/conduct-incidents/${incident}`)).body).toContain('said the children would suffer');
    expect(await viewed()).toBe(before + 1);
    expect((await lewis.get(`/tell-the-dsl/buddy-check-ins/${match}`)).body).toContain('left alone overnight');
  });

  it('answers 404 to anyone who may not open the page the words are on, and to a carer', async () => {
    const hall = await t.as('staff', t.fx.staff.teacher2);
    const marta = await t.as('carer', t.fx.carers.marta);
    const refused: [Client, string][] = [
      [okafor, `/tell-the-dsl/safety-plans/${leoMeeting}`],
      [hall, `/tell-the-dsl/safety-plans/${kubaMeeting}`],
      [okafor, `/tell-the-dsl/conduct-incidents/${incident}`],
      [byrne, `/tell-the-dsl/conduct-arrangements/${arrangement}`],
      [okafor, `/tell-the-dsl/buddy-check-ins/${match}`],
      [hall, `/tell-the-dsl/profile-notes/important_staff/${t.fx.pupils.kuba}`],
      [byrne, `/tell-the-dsl/profile-notes/important_staff/${t.fx.pupils.kuba}`],
      [okafor, `/tell-the-dsl/risk-assessments/${volunteer}`],
      [marta, `/tell-the-dsl/conduct-incidents/${incident}`],
    ];
    const menu = await okafor.get('/tell-the-dsl');
    for (const [client, url] of refused) {
      const got = await client.get(url);
      expect(got.statusCode, url).toBe(404);
      expect(got.body).not.toMatch(/telling tales|suffer|overnight|Flinches|another school|Threats/);
      expect((await client.post(url, { form_id: formIdOf(menu.body), pupil: 'someone-else', what: 'x', ...DAY })).statusCode, url).toBe(404);
    }
    // No note in that section: nothing to quote; sent anyway (emptied since the page was drawn), what was typed comes back on the menu's form.
    const empty = `/tell-the-dsl/profile-notes/admire_staff/${t.fx.pupils.kuba}`;
    expect((await okafor.get(empty)).statusCode).toBe(404);
    const sent = await okafor.post(empty, { form_id: formIdOf(menu.body), pupil: t.fx.pupils.kuba, what: 'He said he is scared', ...DAY });
    expect(sent.statusCode).toBe(400);
    expect(sent.body).toMatch(/id="what-error"[\s\S]*no longer there to quote/);
    expect(sent.body).toContain('He said he is scared');
    expect(await t.db.selectFrom('dsl_reports').select('id').execute()).toEqual([]);
  });

  it('saves the words with who wrote them and the page they were on; the DSL sees what kind of record they came from', async () => {
    made.plan = await pass(okafor, `/tell-the-dsl/safety-plans/${kubaMeeting}`, t.fx.pupils.kuba, 'He looked scared when Dad was mentioned.');
    made.risk = await pass(byrne, `/tell-the-dsl/risk-assessments/${volunteer}`, 'someone-else');
    made.incident = await pass(patel, `/tell-the-dsl/conduct-incidents/${incident}`, t.fx.pupils.kuba);
    const rows = await t.db
      .selectFrom('dsl_reports')
      .select(['id', 'pupil_id', 'quote', 'quote_source', 'quote_record_id', 'quote_meeting_id', 'quote_carer_id', 'quote_staff_id', 'quote_link'])
      .orderBy('quote_source')
      .execute();
    expect(rows).toEqual([
      {
        id: made.incident,
        pupil_id: t.fx.pupils.kuba,
        quote: INCIDENT,
        quote_source: 'conduct_incident',
        quote_record_id: incident,
        quote_meeting_id: null,
        quote_carer_id: null,
        quote_staff_id: t.fx.staff.head,
        quote_link: `/carers/${t.fx.carers.marta}/conduct#incidents`,
      },
      {
        id: made.plan,
        pupil_id: t.fx.pupils.kuba,
        quote: PLAN,
        quote_source: 'safety_plan',
        quote_record_id: kubaMeeting,
        quote_meeting_id: kubaMeeting,
        quote_carer_id: null,
        quote_staff_id: t.fx.staff.teacher,
        quote_link: `/meetings/${kubaMeeting}/safety-plan`,
      },
      {
        id: made.risk,
        pupil_id: null,
        quote: RISK,
        quote_source: 'volunteer_risk_assessment',
        quote_record_id: volunteer,
        quote_meeting_id: null,
        quote_carer_id: null,
        quote_staff_id: t.fx.staff.office,
        quote_link: `/volunteering/volunteers/${volunteer}`,
      },
    ]);
    const audit = await t.db.selectFrom('audit_log').select('after_json').where('action', '=', 'dsl_report.made').execute();
    for (const a of audit) expect(a.after_json).not.toMatch(/telling tales|suffer|another school/);

    const dsl = await t.as('staff', t.fx.staff.dsl);
    const list = (await dsl.get('/tell-the-dsl')).body;
    expect(list).toContain('Passed on from: Safety plan notes');
    expect(list).toContain('Passed on from: Volunteer risk assessment');
    expect(list).toContain('Passed on from: Conduct incident');
    expect(list).not.toContain('With a family’s words');
    expect(list).not.toMatch(/telling tales|suffer|another school/);
    const report = (await dsl.get(`/tell-the-dsl/${made.plan}`)).body;
    expect(report).toMatch(/<blockquote[^>]*>\s*<p class="govuk-body gp-pre-line">Dad shouted at the gate/);
    expect(report).toContain('The notes on a difficult meeting’s safety plan: written by <bdi>Mr Okafor</bdi> (member of staff)');
    expect(report).toContain(`href="/meetings/${kubaMeeting}/safety-plan"`);
    expect(report).toContain('He looked scared when Dad was mentioned.');
    const risk = (await dsl.get(`/tell-the-dsl/${made.risk}`)).body;
    expect(risk).toContain('About someone else');
    expect(risk).toContain('Nothing added: they passed the words on as they were.');
  });

  it('says "You passed this to the DSL on …" to the writer instead of the link again; never to a colleague', async () => {
    const plan = (await okafor.get(`/meetings/${kubaMeeting}/safety-plan`)).body;
    expect(plan).not.toContain(`href="/tell-the-dsl/safety-plans/${kubaMeeting}"`);
    expect(plan).toMatch(/You passed this to the DSL on \d+ \w+ \d{4} at [\d:]+[ap]m<span class="govuk-visually-hidden">: the notes on this safety plan<\/span>\./);
    // The head may open the same plan: she is not told that Mr Okafor passed it on.
    const head = (await patel.get(`/meetings/${kubaMeeting}/safety-plan`)).body;
    expect(head).toContain(`href="/tell-the-dsl/safety-plans/${kubaMeeting}"`);
    expect(head).not.toContain('You passed this to the DSL');
    const senior = (await (await t.as('staff', t.fx.staff.senior_leader)).get(`/carers/${t.fx.carers.marta}/conduct`)).body;
    expect(senior).toContain(`href="/tell-the-dsl/conduct-incidents/${incident}"`);
    const conduct = (await patel.get(`/carers/${t.fx.carers.marta}/conduct`)).body;
    expect(conduct).not.toContain(`href="/tell-the-dsl/conduct-incidents/${incident}"`);
    expect(conduct).toContain(`href="/tell-the-dsl/conduct-arrangements/${arrangement}"`);
    expect((await byrne.get(`/volunteering/volunteers/${volunteer}`)).body).toContain('You passed this to the DSL on');
    // Words changed since they were passed on are offered again.
    await t.db
      .updateTable('meeting_safety_plans')
      .set({ notes: `${PLAN} Dad now collects on Fridays.` })
      .where('meeting_id', '=', kubaMeeting)
      .execute();
    expect((await okafor.get(`/meetings/${kubaMeeting}/safety-plan`)).body).toContain(`href="/tell-the-dsl/safety-plans/${kubaMeeting}"`);
  });

  it('marks a family’s question already passed on the meeting page, for its writer only', async () => {
    const question = newId();
    await t.db
      .insertInto('meeting_agenda_items')
      .values({
        id: question,
        school_id: t.fx.school.id,
        meeting_id: kubaMeeting,
        text: 'Why is Kuba afraid of the dark at his dad’s?',
        added_by_kind: 'carer',
        added_by_id: t.fx.carers.marta,
        created_at: '2026-11-21T10:00:00.000Z',
      })
      .execute();
    expect((await okafor.get(`/meetings/${kubaMeeting}`)).body).toContain(`href="/tell-the-dsl/agenda-questions/${question}"`);
    await pass(okafor, `/tell-the-dsl/agenda-questions/${question}`, t.fx.pupils.kuba);
    const mine = (await okafor.get(`/meetings/${kubaMeeting}`)).body;
    expect(mine).not.toContain(`href="/tell-the-dsl/agenda-questions/${question}"`);
    expect(mine).toMatch(/You passed this to the DSL on \d+ \w+ \d{4}[^<]*<span class="govuk-visually-hidden">: the question from <bdi>Marta Nowak<\/bdi><\/span>\./);
    const dslPage = (await (await t.as('staff', t.fx.staff.dsl)).get(`/meetings/${kubaMeeting}`)).body;
    expect(dslPage).toContain(`href="/tell-the-dsl/agenda-questions/${question}"`);
  });

  it('says the safety plan was written by whoever saved it last, not whoever first made it', async () => {
    // Mrs Patel (the head) changes the notes on Mr Okafor's plan for Kuba's meeting.
    const saved = await saveSafetyPlan(
      t.db,
      { kind: 'staff', id: t.fx.staff.head, schoolId: t.fx.school.id },
      kubaMeeting,
      { colleagueId: t.fx.staff.senior_leader, presence: 'in_room', room: 'Room 2', clearRouteOut: true, neutralAndPrivate: true, notes: 'Dad rang again last night: keep the meeting in the office.' },
      { now: new Date(), baseUrl: 'http://gatepost.test' },
    );
    expect(saved.ok).toBe(true);
    const form = (await okafor.get(`/tell-the-dsl/safety-plans/${kubaMeeting}`)).body;
    expect(form).toContain('keep the meeting in the office');
    expect(form).toContain('The notes on a difficult meeting’s safety plan: written by <bdi>Mrs Patel</bdi>');
  });

  it('keeps hostile words as text, on the page and in the quotation', async () => {
    const hostile = '<script>alert(1)</script><img src=x onerror=alert(2)>';
    await t.db.updateTable('buddy_matches').set({ check_in_note: hostile }).where('id', '=', match).execute();
    for (const body of [(await lewis.get('/community')).body, (await lewis.get(`/tell-the-dsl/buddy-check-ins/${match}`)).body]) {
      expect(body).not.toContain('<script>alert(1)');
      expect(body).not.toContain('<img src=x');
      expect(body).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    }
  });
});

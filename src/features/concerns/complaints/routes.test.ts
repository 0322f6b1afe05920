import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dialects } from '../../../../test/support/db.ts';
import { startTestApp, type TestApp } from '../../../../test/support/app.ts';

const NOW = new Date('2026-11-26T10:00:00.000Z'); // Thursday, autumn term

/** Journey 8 on both databases: a complaint made directly, an independent officer (Mr Okafor refused), a slip, the report, the letter, stage 2; the case team alone sees it. */
describe.each(dialects)('a formal complaint, fairly handled, on %s', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(dialect, { clock: () => NOW });
  });
  afterAll(async () => t?.close());

  const mailTo = (to: string, subject: string) =>
    t.db
      .selectFrom('outbox')
      .select(['payload_json'])
      .where('recipient', '=', to)
      .execute()
      .then((rows) => rows.map((r) => JSON.parse(r.payload_json) as { subject?: string; text: string }).filter((p) => (p.subject ?? p.text).includes(subject)));
  const row = (id: string) => t.db.selectFrom('complaints').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  let id = '';

  it('the head sets the procedure: bad numbers are refused beside the field and what was typed is kept', async () => {
    const head = await t.as('staff', t.fx.staff.head);
    const page = await head.get('/complaints/settings');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Formal stage 1: investigated and answered in writing'); // the DfE shape by default
    const form = {
      school_type: 'academy',
      stage_names: 'Informal\nStage 1\nPanel',
      acknowledge: 'five',
      respond: '15',
      panel_within: '20',
      papers_before: '5',
      decision_after: '5',
      head_complaints_to: t.fx.staff.governor,
      clerk: '',
    };
    const bad = await head.post('/complaints/settings', form);
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('href="#acknowledge"');
    expect(bad.body).toContain('Panel');
    expect((await head.post('/complaints/settings', { ...form, acknowledge: '5', school_type: 'maintained' })).statusCode).toBe(303);
    const saved = await t.db.selectFrom('complaint_settings').selectAll().where('school_id', '=', t.fx.school.id).executeTakeFirstOrThrow();
    expect(saved).toMatchObject({ school_type: 'maintained', acknowledge_days: 5, head_complaints_to: t.fx.staff.governor });
    expect(await t.db.selectFrom('audit_log').select('id').where('action', '=', 'complaint_settings.saved').execute()).toHaveLength(1);
    // Only the head sets it.
    expect((await (await t.as('staff', t.fx.staff.senior_leader)).get('/complaints/settings')).statusCode).toBe(404);
  });

  it('Marta makes a complaint from her portal; the dates are in school days and she is told them', async () => {
    const marta = await t.as('carer', t.fx.carers.marta);
    const empty = await marta.post('/my-complaints', { pupil: t.fx.pupils.kuba, complaint: '', would_like: 'An apology', last_incident_on: '20/11/2026' });
    expect(empty.statusCode).toBe(400);
    expect(empty.body).toContain('Enter your complaint');
    expect(empty.body).toContain('An apology');
    const shortYear = await (
      await t.as('carer', t.fx.carers.marta, undefined, { ownLanguage: true })
    ).post('/my-complaints', {
      pupil: t.fx.pupils.kuba,
      complaint: 'Kuba był zatrzymany w przerwie.',
      would_like: 'Przeprosiny',
      'last_incident_on-day': '20',
      'last_incident_on-month': '11',
      'last_incident_on-year': '26',
    });
    expect(shortYear.statusCode).toBe(400);
    expect(shortYear.body).toContain('Rok musi mieć 4 cyfry'); // in her Polish, not "Year must include 4 numbers"
    expect(shortYear.body).toContain('href="#last_incident_on-year"');
    const sent = await marta.post('/my-complaints', {
      pupil: t.fx.pupils.kuba,
      complaint: 'Kuba was kept in at lunch all week with no reason given.',
      would_like: 'An apology',
      last_incident_on: '20/11/2026',
    });
    expect(sent.statusCode).toBe(303);
    id = /my-complaints\/([^?]+)/.exec(sent.headers.location ?? '')![1]!;
    // 5 and 15 school days from Thursday 26 November.
    expect(await row(id)).toMatchObject({ stage: 'stage_1', status: 'open', direct: 1, acknowledge_by: '2026-12-03', respond_by: '2026-12-17', late: 0 });
    // Marta reads Polish: the acknowledgement is in Polish, with the English beneath.
    const [ack] = await mailTo('marta@families.test', 'Otrzymaliśmy Państwa formalną skargę dotyczącą: Jakub');
    expect(ack!.text).toContain('17 grudnia 2026');
    expect(ack!.text).toContain('answer it by Thursday 17 December 2026');
    expect(ack!.text).toContain(`/my-complaints/${id}`); // the complaint's own page
    const mine = await marta.get(`/my-complaints/${id}`);
    expect(mine.body).toContain('17 December 2026');
    // Her one menu entry, "Concerns and complaints", lists it (once: not also as the concern behind it).
    expect((await marta.get('/my-complaints')).headers.location).toBe('/my-concerns#complaints');
    const list = await marta.get('/my-concerns');
    expect(list.body).toContain('Concerns and complaints');
    expect(list.body).toContain(`href="/my-complaints/${id}"`);
    expect(list.body).toContain('to be answered by 17 December 2026');
    expect(list.body).not.toContain('You have not made a formal complaint');
    const made = await t.db.selectFrom('complaints').select('concern_id').where('id', '=', id).executeTakeFirstOrThrow();
    expect(list.body).not.toContain(`/my-concerns/${made.concern_id}`);
    expect(list.body + mine.body).not.toContain('this date has passed');
    // Its answer date gone by with no answer yet: she is told, on her list and on the complaint.
    await t.db.updateTable('complaints').set({ respond_by: '2026-11-20' }).where('id', '=', id).execute();
    expect((await marta.get('/my-concerns')).body).toContain('to be answered by 20 November 2026 (this date has passed)');
    expect((await marta.get(`/my-complaints/${id}`)).body).toContain('20 November 2026 (this date has passed)');
    await t.db.updateTable('complaints').set({ respond_by: '2026-12-17' }).where('id', '=', id).execute();
  });

  it('only the case team reads it: the head, then the officer once appointed — never other staff; every view is audited', async () => {
    const head = await t.as('staff', t.fx.staff.head);
    const page = await head.get(`/complaints/${id}`);
    expect(page.statusCode).toBe(200);
    // Who made it, in the concern page's words: Marta, on Gatepost (made as a complaint straight away).
    expect(page.body).toMatch(/Raised by\s*<\/dt>\s*<dd class="govuk-summary-list__value">\s*<bdi>Marta Nowak<\/bdi> on Gatepost\s*<\/dd>/);
    expect(page.body).not.toContain('made directly');
    for (const who of ['senior_leader', 'teacher', 'office', 'dsl', 'senco', 'governor'] as const) {
      const other = await t.as('staff', t.fx.staff[who]);
      expect((await other.get(`/complaints/${id}`)).statusCode, who).toBe(404);
      expect((await other.get('/complaints')).body ?? '', who).not.toContain(id);
    }
    const views = await t.db.selectFrom('audit_log').select('actor_id').where('action', '=', 'complaint.viewed').where('entity_id', '=', id).execute();
    expect(views.map((v) => v.actor_id)).toEqual([t.fx.staff.head]);
  });

  it('Gatepost refuses Mr Okafor as investigating officer, with the reasons kept, and appoints Dr Shah', async () => {
    const head = await t.as('staff', t.fx.staff.head);
    const refused = await head.post(`/complaints/${id}/officer`, { staff: t.fx.staff.teacher });
    expect(refused.statusCode).toBe(400);
    // Every name in the refusal isolated, escaped once, beside the field and in the error summary.
    expect(
      refused.body.match(/Gatepost cannot appoint <bdi>Mr Okafor<\/bdi>: <bdi>Mr Okafor<\/bdi> is not a senior leader, governor or trustee; <bdi>Mr Okafor<\/bdi> teaches the child’s class/g),
    ).toHaveLength(2);
    expect(refused.body).not.toContain('&lt;bdi&gt;');
    expect(refused.body).toContain('id="staff-error"'); // beside the field, not only in the summary
    expect(refused.body).toContain('is not a senior leader, governor or trustee');
    const interest = await head.post(`/complaints/${id}/officer`, { staff: t.fx.staff.governor, interest: 'Friends with the family' });
    expect(interest.body).toContain('declared an interest: Friends with the family');
    expect((await head.post(`/complaints/${id}/officer`, { staff: t.fx.staff.governor })).statusCode).toBe(303);
    expect((await row(id)).officer_id).toBe(t.fx.staff.governor);
    const events = await t.db.selectFrom('complaint_events').select(['kind', 'body']).where('complaint_id', '=', id).orderBy('created_at').execute();
    expect(events.filter((e) => e.kind === 'refused').map((e) => e.body)[0]).toContain('Mr Okafor');
    const shah = await t.as('staff', t.fx.staff.governor);
    const page = await shah.get(`/complaints/${id}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('kept in at lunch');
    // Each part of the complaint under the question it answers, not a bare box.
    expect(page.body).toMatch(/<h3 class="govuk-heading-s[^"]*">What happened<\/h3>\s*<div class="gp-card"><p class="govuk-body gp-pre-line">Kuba was kept in at lunch/);
    expect(page.body).toMatch(/<h3 class="govuk-heading-s[^"]*">What they would like to happen<\/h3>\s*<div class="gp-card"><p class="govuk-body gp-pre-line">An apology/);
    // Each person's part is in words, not the stored value.
    expect(page.body).toMatch(/Your part\s*<\/dt>\s*<dd class="govuk-summary-list__value">\s*Investigating officer/);
    expect(page.body).toContain('The matter raised in the complaint below');
    const headPage = await head.get(`/complaints/${id}`);
    expect(headPage.body).toMatch(/Your part\s*<\/dt>\s*<dd class="govuk-summary-list__value">\s*Leading the complaint/);
  });

  it('a date slips only with a new, later date and a reason, and Marta is told both', async () => {
    const head = await t.as('staff', t.fx.staff.head);
    const noReason = await head.post(`/complaints/${id}/slip`, { deadline: 'respond_by', new_date: '05/01/2027', reason: '' });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.body).toContain('Enter why the date has to move');
    const earlier = await head.post(`/complaints/${id}/slip`, { deadline: 'respond_by', new_date: '01/12/2026', reason: 'Illness' });
    expect(earlier.body).toContain('The new date must be after the one it replaces');
    expect((await head.post(`/complaints/${id}/slip`, { deadline: 'respond_by', new_date: '07/01/2027', reason: 'A witness is away until January' })).statusCode).toBe(303);
    expect((await row(id)).respond_by).toBe('2027-01-07');
    // The fixed words in Polish; the reason in the head's own words (no translation service here), with the help line from the Polish catalog; the English beneath.
    const [told] = await mailTo('marta@families.test', 'Zmienił się termin w sprawie Państwa skargi');
    expect(told!.text).toContain('Zapowiedzieliśmy odpowiedź na skargę do 17 grudnia 2026. Nowy termin to 7 stycznia 2027.');
    expect(told!.text).toContain('Powód:\n\nA witness is away until January');
    expect(told!.text.startsWith('Część tego listu jest po angielsku, słowami szkoły.')).toBe(true);
    expect(told!.text).toContain('We said we would answer your complaint by Thursday 17 December 2026. The new date is Thursday 7 January 2027.');
  });

  it('Dr Shah records an interview and a document, and cannot issue the report with a checklist point unanswered', async () => {
    const shah = await t.as('staff', t.fx.staff.governor);
    expect((await shah.post(`/complaints/${id}/interviews`, { with_whom: 'Mr Green', account: 'Lunch detentions were for the whole table.' })).statusCode).toBe(303);
    const noFile = await shah.upload(`/complaints/${id}/documents`, { description: 'Register' }, { field: 'file', name: 'register.exe', content: 'MZ' });
    expect(noFile.statusCode).toBe(400);
    expect(noFile.body).toContain('The file must be a PDF');
    expect((await shah.upload(`/complaints/${id}/documents`, { description: 'Lunch register' }, { field: 'file', name: 'register.txt', content: 'Mon: Kuba, table 3' })).statusCode).toBe(303);
    const doc = await t.db.selectFrom('complaint_events').select('id').where('complaint_id', '=', id).where('kind', '=', 'document').executeTakeFirstOrThrow();
    const file = await shah.get(`/complaints/${id}/documents/${doc.id}`);
    expect(file.body).toBe('Mon: Kuba, table 3');
    expect((await (await t.as('staff', t.fx.staff.senior_leader)).get(`/complaints/${id}/documents/${doc.id}`)).statusCode).toBe(404);

    const report = {
      independence: 'I am a governor with no link to Year 3.',
      what_happened: 'Kuba was kept in with his table.',
      how_handled: 'Nobody told the family why.',
      resolved: 'Resolved by an apology and a new rule.',
      fair: 'Yes',
      full: 'Yes',
      proportionate: 'Yes',
      timely: '',
      confidential: 'Yes',
      barriers: 'None',
      outcome: 'partly',
    };
    const half = await shah.post(`/complaints/${id}/report`, { ...report, issue: 'yes' });
    expect(half.statusCode).toBe(400);
    expect(half.body).toContain('Answer “Is it timely?” before issuing the report');
    expect(half.body).toContain('Kuba was kept in with his table.'); // kept
    expect((await row(id)).report_issued_at).toBeNull();
    expect((await shah.post(`/complaints/${id}/report`, { ...report, timely: 'Late by three weeks, for a witness', issue: 'yes' })).statusCode).toBe(303);
    expect(await row(id)).toMatchObject({ outcome: 'partly' });
  });

  it('the head edits the outcome letter and sends it through the outbox; Marta sees it, and asks for the panel', async () => {
    const head = await t.as('staff', t.fx.staff.head);
    const page = await head.get(`/complaints/${id}`);
    expect(page.body).toContain('Outcome: Partly upheld.');
    expect(page.body).toContain('the next stage (Panel)'); // the school's own name for stage 2
    const letter = await t.db.selectFrom('complaint_letters').select('body').where('complaint_id', '=', id).executeTakeFirstOrThrow();
    expect((await head.post(`/complaints/${id}/letter`, { body: `${letter.body}\n\nWe are sorry.`, send: 'send' })).statusCode).toBe(303);
    expect((await row(id)).status).toBe('answered');
    // The heading, the outcome, the section headings and the way on in Polish; what the investigation found, and the head's added line, as written.
    const [sent] = await mailTo('marta@families.test', 'Wynik rozpatrzenia Państwa formalnej skargi');
    const polish = sent!.text.slice(0, sent!.text.indexOf('----------'));
    expect(polish).toContain('Wynik: skarga częściowo uzasadniona.');
    expect(polish).toContain('Co ustaliliśmy');
    expect(polish).toContain('mogą Państwo poprosić o przekazanie skargi do następnego etapu (Panel). Prosimy poinformować nas w ciągu 10 dni szkolnych');
    expect(polish).toContain('We are sorry.');
    expect(polish).not.toContain('Outcome: Partly upheld.');
    expect(sent!.text).toContain('Outcome: Partly upheld.'); // the English beneath
    const marta = await t.as('carer', t.fx.carers.marta);
    const mine = await marta.get(`/my-complaints/${id}`);
    expect(mine.body).toContain('Partly upheld');
    expect((await marta.post(`/my-complaints/${id}/panel`, {})).statusCode).toBe(303);
    expect(await row(id)).toMatchObject({ stage: 'stage_2', status: 'panel' });
    // At stage 2, the stage-1 officer is refused for the panel (an earlier stage); a panel needs three.
    const refused = await head.post(`/complaints/${id}/panel`, { staff: t.fx.staff.governor, interest: 'Knows the family', independent: 'yes' });
    expect(refused.body).toContain('took part in an earlier stage of this complaint');
    // What was typed and ticked is kept beside the refusal.
    expect(refused.body).toMatch(/id="interest" name="interest" type="text" value="Knows the family"/);
    expect(refused.body).toMatch(/id="independent" name="independent" type="checkbox" value="yes" checked/);
    expect((await head.get(`/complaints/${id}`)).body).toContain('The panel needs at least 3 people');
    const record = await head.get(`/complaints/${id}/procedure`);
    expect(record.body).toContain('Gatepost refused Mr Okafor');
    expect(record.body).toMatch(/Procedure followed: complaint about <bdi>[^<]+<\/bdi><\/h1>/);
    expect(record.body).not.toContain('whole table'); // interviews stay out of the printable record
  });

  it('a stage whose date has passed with nothing recorded is flagged overdue, in days, on the case page and the list', async () => {
    const head = await t.as('staff', t.fx.staff.head);
    const inTime = await head.get(`/complaints/${id}`);
    expect(inTime.body).not.toContain('overdue');
    // The panel should have been held by Thursday 19 November; a week on, nothing is recorded.
    await t.db.updateTable('complaints').set({ panel_by: '2026-11-19', panel_on: null }).where('id', '=', id).execute();
    const late = await head.get(`/complaints/${id}`);
    expect(late.body).toMatch(/Panel held by\s*<\/dt>\s*<dd class="govuk-summary-list__value">\s*19 November 2026 <strong class="govuk-tag govuk-tag--red">\s*7 days overdue\s*<\/strong>/);
    const list = await head.get('/complaints');
    expect(list.body).toMatch(
      new RegExp(`href="/complaints/${id}"[\\s\\S]*?Panel held by</span><br><span class="gp-nowrap">19 November 2026</span> <strong class="govuk-tag govuk-tag--red">\\s*7 days overdue`),
    );
  });

  it('a restricted carer never sees a complaint about the child, nor makes one', async () => {
    const sarah = await t.as('carer', t.fx.carers.sarah);
    const made = await sarah.post('/my-complaints', { pupil: t.fx.pupils.lily, complaint: 'Lily’s reading book was lost.', would_like: 'A new one', last_incident_on: '25/11/2026' });
    const lilyId = /my-complaints\/([^?]+)/.exec(made.headers.location ?? '')![1]!;
    const mark = await t.as('carer', t.fx.carers.mark);
    expect((await mark.get(`/my-complaints/${lilyId}`)).statusCode).toBe(404);
    const refused = await mark.post('/my-complaints', { pupil: t.fx.pupils.lily, complaint: 'x', would_like: 'y', last_incident_on: '25/11/2026' });
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain('Choose one of your children');
    expect(await mailTo('mark@families.test', 'complaint')).toHaveLength(0);
    expect((await mark.get('/my-concerns')).body).not.toContain(lilyId);
  });

  it('a complaint about the head goes to the chair of governors and the head cannot see it', async () => {
    const marta = await t.as('carer', t.fx.carers.marta);
    const made = await marta.post('/my-complaints', { pupil: t.fx.pupils.ola, complaint: 'The head shouted at me.', would_like: 'An apology', last_incident_on: '01/07/2026', about_head: 'yes' });
    const aboutHead = /my-complaints\/([^?]+)/.exec(made.headers.location ?? '')![1]!;
    // Reception: the 28-calendar-day clock too; months after the incident: flagged.
    expect(await row(aboutHead)).toMatchObject({ about: 'head', late: 1, early_years_outcome_by: '2026-12-24' });
    expect((await (await t.as('staff', t.fx.staff.head)).get(`/complaints/${aboutHead}`)).statusCode).toBe(404);
    const chair = await t.as('staff', t.fx.staff.governor);
    expect((await chair.get(`/complaints/${aboutHead}`)).body).toContain('decide whether to accept it');
    expect((await chair.post(`/complaints/${aboutHead}/late`, { decision: 'declined', reason: 'Raised eight months after the event' })).statusCode).toBe(303);
    expect((await row(aboutHead)).status).toBe('declined');
    const [told] = await mailTo('marta@families.test', 'Nie możemy rozpatrzyć Państwa skargi');
    expect(told!.text).toContain('mogą Państwo skontaktować się z Ministerstwem Edukacji (Department for Education): www.gov.uk/complain-to-dfe.');
    expect(told!.text).toContain('Raised eight months after the event');
  });
});

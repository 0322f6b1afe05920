import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dialects } from '../../../test/support/db.ts';
import { startTestApp, type Client, type TestApp } from '../../../test/support/app.ts';
import { newId } from '../../platform/ids.ts';
import { insertMeeting, outboxSettled } from '../meetings/record-test-data.ts';
import { REPORT_ALERT_TITLE } from './reports.ts';

/**
 * "Pass this to the DSL" beside a family's words: Marta sent a question ahead of her meeting with
 * Mr Okafor about Kuba, and later wrote how her action is going. Either can hold a disclosure. He
 * passes it on from beside the words: the form has Kuba chosen and her words quoted (read from the
 * record, never from the URL), he adds what he noticed, and the DSL reads her words as a quotation
 * with where they were and who wrote them. He keeps the date he passed it on, never the words.
 * Ms Hall's meeting with Grace about Leo is not his to open: her words are not his to pass on.
 */
const QUESTION = 'Can we talk about why Kuba is scared of his uncle coming to stay at Christmas?';
const NOTE = 'Not managed it, things are hard at home since his uncle moved in, Kuba hides in his room.';
const NOTICED = 'Marta looked frightened at pick-up and said she could not talk then.';

describe.each(dialects)('passing a family’s words to the DSL, on %s', (dialect) => {
  let t: TestApp;
  let okafor: Client;
  let kubaMeeting: string;
  let martaQuestion: string;
  let staffItem: string;
  let martaAction: string;
  let graceQuestion: string;
  let graceAction: string;
  let questionReport: string;

  const formIdOf = (body: string) => /name="form_id" value="([^"]+)"/.exec(body)![1]!;

  beforeAll(async () => {
    t = await startTestApp(dialect);
    okafor = await t.as('staff', t.fx.staff.teacher);
    const now = new Date().toISOString();
    const meetingWords = async (meetingId: string, carerId: string, question: string, note: string) => {
      const itemId = newId();
      await t.db
        .insertInto('meeting_agenda_items')
        .values({ id: itemId, school_id: t.fx.school.id, meeting_id: meetingId, text: question, added_by_kind: 'carer', added_by_id: carerId, created_at: '2026-11-19T18:05:00.000Z' })
        .execute();
      const actionId = newId();
      await t.db
        .insertInto('meeting_actions')
        .values({
          id: actionId,
          school_id: t.fx.school.id,
          meeting_id: meetingId,
          owner_kind: 'carer',
          staff_id: null,
          carer_id: carerId,
          what: 'Read together three evenings a week',
          due_on: '2099-01-01',
          done_at: null,
          done_by_carer_id: null,
          carer_note: note,
          carer_note_at: '2026-11-30T20:15:00.000Z',
          created_at: now,
        })
        .execute();
      return { itemId, actionId };
    };
    kubaMeeting = await insertMeeting(t.db, t.fx, { pupilId: t.fx.pupils.kuba, leadId: t.fx.staff.teacher, carerIds: [t.fx.carers.marta], status: 'held', topic: 'Reading at home' });
    ({ itemId: martaQuestion, actionId: martaAction } = await meetingWords(kubaMeeting, t.fx.carers.marta, QUESTION, NOTE));
    staffItem = newId();
    await t.db
      .insertInto('meeting_agenda_items')
      .values({ id: staffItem, school_id: t.fx.school.id, meeting_id: kubaMeeting, text: 'Reading record', added_by_kind: 'staff', added_by_id: t.fx.staff.teacher, created_at: now })
      .execute();
    const leoMeeting = await insertMeeting(t.db, t.fx, { pupilId: t.fx.pupils.leo, leadId: t.fx.staff.teacher2, carerIds: [t.fx.carers.grace], status: 'held', topic: 'Mornings' });
    ({ itemId: graceQuestion, actionId: graceAction } = await meetingWords(leoMeeting, t.fx.carers.grace, 'Leo says a man follows him home', 'He will not sleep'));
  });
  afterAll(async () => t?.close());

  it('offers "Pass this to the DSL" beside the family’s words on the meeting page, the record and the lead’s home page', async () => {
    expect((await okafor.get(`/meetings/${kubaMeeting}`)).body).toContain(`href="/tell-the-dsl/agenda-questions/${martaQuestion}"`);
    // Not beside the school's own agenda items.
    expect((await okafor.get(`/meetings/${kubaMeeting}`)).body).not.toContain(`/tell-the-dsl/agenda-questions/${staffItem}`);
    expect((await okafor.get(`/meetings/${kubaMeeting}/record`)).body).toContain(`href="/tell-the-dsl/family-progress/${martaAction}"`);
    expect((await okafor.get('/')).body).toContain(`href="/tell-the-dsl/family-progress/${martaAction}"`);
  });

  it('opens the form with the child chosen and the words quoted, read from the record', async () => {
    const page = await okafor.get(`/tell-the-dsl/agenda-questions/${martaQuestion}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Pass this to the DSL');
    expect(page.body).toContain('What <bdi>Marta Nowak</bdi> wrote');
    expect(page.body).toMatch(/<blockquote[^>]*>[\s\S]*scared of his uncle coming to stay/);
    expect(page.body).toMatch(new RegExp(`<option value="${t.fx.pupils.kuba}" selected`));
    expect(page.body).toContain(`action="/tell-the-dsl/agenda-questions/${martaQuestion}"`);
    expect(page.body).toContain('What did you notice? (optional)');
  });

  it('answers 404 to a member of staff who may not open the page the words are on, to a carer, and for words that are not a family’s', async () => {
    // Leo's meeting is Ms Hall's, about a pupil in her class: not Mr Okafor's to open.
    expect(
      (await okafor.get(`/meetings/${(await t.db.selectFrom('meeting_agenda_items').select('meeting_id').where('id', '=', graceQuestion).executeTakeFirstOrThrow()).meeting_id}`)).statusCode,
    ).toBe(404);
    for (const url of [`/tell-the-dsl/agenda-questions/${graceQuestion}`, `/tell-the-dsl/family-progress/${graceAction}`, `/tell-the-dsl/agenda-questions/${staffItem}`]) {
      const got = await okafor.get(url);
      expect(got.statusCode).toBe(404);
      expect(got.body).not.toContain('follows him home');
      const page = await okafor.get('/tell-the-dsl');
      const posted = await okafor.post(url, { form_id: formIdOf(page.body), pupil: t.fx.pupils.leo, what: NOTICED, 'happened_on-day': '1', 'happened_on-month': '12', 'happened_on-year': '2026' });
      expect(posted.statusCode).toBe(404);
    }
    const governor = await t.as('staff', t.fx.staff.governor);
    expect((await governor.get(`/tell-the-dsl/agenda-questions/${martaQuestion}`)).statusCode).toBe(404);
    const marta = await t.as('carer', t.fx.carers.marta);
    expect((await marta.get(`/tell-the-dsl/agenda-questions/${martaQuestion}`)).statusCode).toBe(404);
    expect(await t.db.selectFrom('dsl_reports').select('id').execute()).toEqual([]);
    // The DSL sees every meeting: she may pass Grace's words on.
    expect((await (await t.as('staff', t.fx.staff.dsl)).get(`/tell-the-dsl/agenda-questions/${graceQuestion}`)).body).toContain('follows him home');
  });

  it('refuses a wrong date beside the field, keeping what was typed and the quotation', async () => {
    const page = await okafor.get(`/tell-the-dsl/agenda-questions/${martaQuestion}`);
    const bad = await okafor.post(`/tell-the-dsl/agenda-questions/${martaQuestion}`, {
      form_id: formIdOf(page.body),
      pupil: t.fx.pupils.kuba,
      what: NOTICED,
      'happened_on-day': '31',
      'happened_on-month': '2',
      'happened_on-year': '2026',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('id="happened_on-error"');
    expect(bad.body).toContain(NOTICED);
    expect(bad.body).toContain('scared of his uncle coming to stay');
    expect(await t.db.selectFrom('dsl_reports').select('id').execute()).toEqual([]);
  });

  it('saves the words with where they came from, alerts the DSL and deputy without them, and leaves the writer only the date', async () => {
    const page = await okafor.get(`/tell-the-dsl/agenda-questions/${martaQuestion}`);
    const formId = formIdOf(page.body);
    const form = { form_id: formId, pupil: t.fx.pupils.kuba, what: NOTICED, 'happened_on-day': '1', 'happened_on-month': '12', 'happened_on-year': '2026' };
    const saved = await okafor.post(`/tell-the-dsl/agenda-questions/${martaQuestion}`, form);
    expect(saved.statusCode).toBe(303);
    expect(saved.headers.location).toBe(`/tell-the-dsl?passed=${formId}`);
    expect((await okafor.post(`/tell-the-dsl/agenda-questions/${martaQuestion}`, form)).statusCode).toBe(303);
    questionReport = formId;
    expect(
      await t.db.selectFrom('dsl_reports').select(['id', 'pupil_id', 'what', 'quote', 'quote_source', 'quote_record_id', 'quote_meeting_id', 'quote_carer_id', 'quote_written_at']).execute(),
    ).toEqual([
      {
        id: formId,
        pupil_id: t.fx.pupils.kuba,
        what: NOTICED,
        quote: QUESTION,
        quote_source: 'agenda_question',
        quote_record_id: martaQuestion,
        quote_meeting_id: kubaMeeting,
        quote_carer_id: t.fx.carers.marta,
        quote_written_at: '2026-11-19T18:05:00.000Z',
      },
    ]);
    const alerts = await t.db.selectFrom('staff_alerts').select(['staff_id', 'title', 'link']).execute();
    expect(alerts.map((a) => a.staff_id).sort()).toEqual([t.fx.staff.dsl, t.fx.staff.deputy_dsl].sort());
    for (const a of alerts) expect(a).toMatchObject({ title: REPORT_ALERT_TITLE, link: `/tell-the-dsl/${formId}` });
    await t.sink.waitFor('adeyemi@brookfield.test');
    await outboxSettled(t.db);
    for (const m of t.sink.messages) expect(m.subject + m.text + (m.html ?? '')).not.toMatch(/uncle|frightened|Jakub|Kuba|Nowak|Marta/);
    // Audited with where the words were, never the words.
    const made = await t.db.selectFrom('audit_log').select(['actor_id', 'after_json']).where('action', '=', 'dsl_report.made').execute();
    expect(made).toHaveLength(1);
    expect(JSON.parse(made[0]!.after_json!)).toMatchObject({
      pupil_id: t.fx.pupils.kuba,
      quoted: { source: 'agenda_question', record_id: martaQuestion, meeting_id: kubaMeeting, carer_id: t.fx.carers.marta },
    });
    expect(made[0]!.after_json).not.toMatch(/uncle|frightened/);

    const after = (await okafor.get(saved.headers.location as string)).body;
    expect(after).toMatch(/You passed this to the DSL on \d+ \w+ \d{4} at [\d:]+[ap]m\./);
    expect(after).not.toContain('uncle');
    expect(after).not.toContain('frightened');
    expect((await okafor.get(`/tell-the-dsl/${formId}`)).statusCode).toBe(404);
  });

  it('shows the DSL the family’s words as a quotation, with where they were and who wrote them; no one else', async () => {
    const dsl = await t.as('staff', t.fx.staff.dsl);
    const list = (await dsl.get('/tell-the-dsl')).body;
    expect(list).toMatch(new RegExp(`href="/tell-the-dsl/${questionReport}"><bdi>Jakub Nowak</bdi></a> <strong class="govuk-tag govuk-tag--grey">With a family’s words</strong>`));
    expect(list).not.toContain('uncle');
    const page = (await dsl.get(`/tell-the-dsl/${questionReport}`)).body;
    expect(page).toMatch(/<blockquote[^>]*>\s*<p class="govuk-body gp-pre-line">Can we talk about why Kuba is scared of his uncle coming to stay at Christmas\?<\/p>\s*<\/blockquote>/);
    expect(page).toContain('A question the family sent ahead of a meeting: written by <bdi>Marta Nowak</bdi> (parent or carer), 19 November 2026 at 6:05pm');
    expect(page).toContain(`href="/meetings/${kubaMeeting}#agenda"`);
    expect(page).toContain('What <bdi>Mr Okafor</bdi> noticed');
    expect(page).toContain(NOTICED);
    expect(page).toContain('Jakub Nowak');
    for (const who of [t.fx.staff.head, t.fx.staff.teacher2, t.fx.staff.office]) {
      const client = await t.as('staff', who);
      expect((await client.get(`/tell-the-dsl/${questionReport}`)).statusCode).toBe(404);
      expect((await client.get('/tell-the-dsl')).body).not.toContain('uncle');
    }
  });

  it('passes on how the family says their action is going, with nothing added if the words say it all', async () => {
    const page = await okafor.get(`/tell-the-dsl/family-progress/${martaAction}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('things are hard at home since his uncle moved in');
    const saved = await okafor.post(`/tell-the-dsl/family-progress/${martaAction}`, {
      form_id: formIdOf(page.body),
      pupil: t.fx.pupils.kuba,
      what: '',
      'happened_on-day': '1',
      'happened_on-month': '12',
      'happened_on-year': '2026',
    });
    expect(saved.statusCode).toBe(303);
    const id = String(saved.headers.location).split('passed=')[1]!;
    const report = (await (await t.as('staff', t.fx.staff.deputy_dsl)).get(`/tell-the-dsl/${id}`)).body;
    expect(report).toContain(NOTE);
    expect(report).toContain('How the family said their action after a meeting is going: written by <bdi>Marta Nowak</bdi>');
    expect(report).toContain(`href="/meetings/${kubaMeeting}/record#action-${martaAction}"`);
    expect(report).toContain('Nothing added: they passed the family’s words on as they were.');
    const mine = (await okafor.get('/tell-the-dsl')).body;
    expect(mine).not.toContain('uncle');
    expect(mine.match(/you passed this to the DSL on/g)).toHaveLength(2);
    // Beside the words on the record and his home page: when he passed them on, not the link again.
    for (const url of [`/meetings/${kubaMeeting}/record`, '/']) {
      const body = (await okafor.get(url)).body;
      expect(body, url).not.toContain(`href="/tell-the-dsl/family-progress/${martaAction}"`);
      expect(body, url).toMatch(/You passed this to the DSL on \d+ \w+ \d{4}[^<]*<span class="govuk-visually-hidden">: what <bdi>Marta Nowak<\/bdi> said about how it is going<\/span>\./);
    }
  });

  it('keeps what was typed when the family took their words away after the page was drawn, to send in the writer’s own words', async () => {
    const page = await okafor.get(`/tell-the-dsl/family-progress/${martaAction}`);
    // Marta ticks it done without a note: her note is gone.
    await t.db.updateTable('meeting_actions').set({ carer_note: null, carer_note_at: null }).where('id', '=', martaAction).execute();
    const before = (await t.db.selectFrom('dsl_reports').select('id').execute()).length;
    const sent = await okafor.post(`/tell-the-dsl/family-progress/${martaAction}`, {
      form_id: formIdOf(page.body),
      pupil: t.fx.pupils.kuba,
      what: 'She wrote that things were hard at home',
      'happened_on-day': '1',
      'happened_on-month': '12',
      'happened_on-year': '2026',
    });
    expect(sent.statusCode).toBe(400);
    expect(sent.body).toMatch(/id="what-error"[\s\S]*no longer there to quote/);
    expect(sent.body).toContain('She wrote that things were hard at home');
    expect(sent.body).toContain('action="/tell-the-dsl"');
    expect((await t.db.selectFrom('dsl_reports').select('id').execute()).length).toBe(before);
    expect((await okafor.get(`/tell-the-dsl/family-progress/${martaAction}`)).statusCode).toBe(404);
  });
});

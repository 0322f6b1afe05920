import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dialects } from '../../../test/support/db.ts';
import { startTestApp, type TestApp } from '../../../test/support/app.ts';
import { insertMeeting, outboxSettled } from './record-test-data.ts';
import { PART_ALERT_TITLES } from './safeguarding.ts';

/**
 * Safeguarding first beyond a meeting's notes: the outcome and the referral to a senior leader can be
 * marked "This is a safeguarding concern", when written or afterwards. The DSL and deputy are told at
 * once; only they read the words; a marked outcome never goes to the family.
 */
const NOW = new Date('2026-11-23T10:00:00.000Z'); // Monday, autumn term
const OUTCOME = 'Mum said Kuba is left with a neighbour she does not trust overnight; we agreed she will call the DSL.';
const REFERRAL = 'Dad was angry and said he would take Kuba out of the country before the court date.';

describe.each(dialects)('a meeting’s outcome and referral passed to the DSL, on %s', (dialect) => {
  let t: TestApp;
  let meetingId = '';
  let laterId = '';
  beforeAll(async () => {
    t = await startTestApp(dialect, { clock: () => NOW });
    const seed = { pupilId: t.fx.pupils.kuba, leadId: t.fx.staff.teacher, carerIds: [t.fx.carers.marta], startsAt: '2026-11-23T08:00:00.000Z' };
    meetingId = await insertMeeting(t.db, t.fx, seed);
    laterId = await insertMeeting(t.db, t.fx, { ...seed, topic: 'Attendance' });
  });
  afterAll(async () => t?.close());

  const url = (path = '', id = meetingId) => `/meetings/${id}/record${path}`;
  const alertsFor = (title: string) => t.db.selectFrom('staff_alerts').select(['staff_id', 'link']).where('kind', '=', 'safeguarding').where('title', '=', title).execute();

  it('offers the choice on the outcome and the referral; a wrong form keeps the words and the tick', async () => {
    const okafor = await t.as('staff', t.fx.staff.teacher);
    const page = (await okafor.get(url())).body;
    expect(page).toContain('id="outcome-safeguarding" name="safeguarding" type="checkbox" value="yes"');
    expect(page).toContain('id="referral-safeguarding" name="safeguarding" type="checkbox" value="yes"');
    const wrong = await okafor.post(url('/outcome'), { outcome: OUTCOME, follow_up_on: '30/02/2027', safeguarding: 'yes' });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.body).toContain(OUTCOME.replace(/'/g, '&#39;'));
    expect(wrong.body).toMatch(/id="outcome-safeguarding" name="safeguarding" type="checkbox" value="yes" checked/);
  });

  it('tells the DSL and deputy at once about a marked outcome, never in an email with the words or the child, and keeps the words from the audit log', async () => {
    const okafor = await t.as('staff', t.fx.staff.teacher);
    const saved = await okafor.post(url('/outcome'), { outcome: OUTCOME, follow_up_on: '14/12/2026', safeguarding: 'yes' });
    expect(saved.statusCode).toBe(303);
    expect(saved.headers.location).toBe(url('?done=outcome-safeguarding'));
    const row = await t.db.selectFrom('meetings').select(['outcome', 'outcome_safeguarding', 'outcome_marked_by', 'outcome_marked_at', 'status']).where('id', '=', meetingId).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ outcome: OUTCOME, status: 'held', outcome_marked_by: t.fx.staff.teacher, outcome_marked_at: NOW.toISOString() });
    expect(Number(row.outcome_safeguarding)).toBe(1);
    const alerts = await alertsFor(PART_ALERT_TITLES.outcome);
    expect(alerts.map((a) => a.staff_id).sort()).toEqual([t.fx.staff.dsl, t.fx.staff.deputy_dsl].sort());
    for (const a of alerts) expect(a.link).toBe(url());
    await t.sink.waitFor('adeyemi@brookfield.test');
    await t.sink.waitFor('clarke@brookfield.test');
    await outboxSettled(t.db);
    for (const m of t.sink.messages) expect(m.subject + m.text).not.toMatch(/neighbour|Jakub|Kuba|Nowak/);
    const audited = await t.db.selectFrom('audit_log').select(['before_json', 'after_json']).where('action', '=', 'meeting.outcome_recorded').execute();
    expect(audited).toHaveLength(1);
    expect(audited[0]!.after_json + audited[0]!.before_json!).not.toContain('neighbour');
    expect(JSON.parse(audited[0]!.after_json!)).toMatchObject({ outcome_safeguarding: 1 });
  });

  it('takes the words from the writer (who keeps a trace) and every colleague, and lets no one but the DSL change them', async () => {
    const okafor = await t.as('staff', t.fx.staff.teacher);
    const mine = (await okafor.get(url())).body;
    expect(mine).not.toContain('neighbour');
    expect(mine).toMatch(/You passed the outcome to the DSL on 23 November 2026 at 10:00am\. Only the DSL and deputy DSLs can read or change it/);
    for (const who of [t.fx.staff.head, t.fx.staff.senior_leader, t.fx.staff.office, t.fx.staff.senco, t.fx.staff.family_liaison]) {
      const page = await (await t.as('staff', who)).get(url());
      expect(page.statusCode).toBe(200);
      expect(page.body).not.toContain('neighbour');
      expect(page.body).toContain('The outcome was passed to the DSL on');
    }
    // The head cannot write over it (the DSL's words would be lost), and nothing changes.
    const head = await t.as('staff', t.fx.staff.head);
    const over = await head.post(url('/outcome'), { outcome: 'A new outcome', follow_up_on: '14/12/2026' });
    expect(over.statusCode).toBe(400);
    expect(over.body).toContain('only the DSL and deputy DSLs can read or change it');
    expect((await t.db.selectFrom('meetings').select('outcome').where('id', '=', meetingId).executeTakeFirstOrThrow()).outcome).toBe(OUTCOME);
    expect((await head.get('/audit')).body).not.toContain('neighbour');
  });

  it('never sends a marked outcome to the family, nor shows it on their page', async () => {
    const okafor = await t.as('staff', t.fx.staff.teacher);
    const before = t.sink.messages.length;
    const page = (await okafor.get(url())).body;
    expect(page).toContain('no summary goes to the family');
    expect(page).not.toContain('/record/send-summary');
    const refused = await okafor.post(url('/send-summary'));
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain('no summary goes to the family');
    await outboxSettled(t.db);
    expect(t.sink.messages).toHaveLength(before);
    expect(await t.db.selectFrom('outbox').select('id').where('payload_json', 'like', '%neighbour%').execute()).toEqual([]);
    // Even a summary sent before it was marked no longer shows the words on the family's page.
    await t.db.updateTable('meetings').set({ summary_sent_at: NOW.toISOString() }).where('id', '=', meetingId).execute();
    const marta = await t.as('carer', t.fx.carers.marta);
    const theirs = await marta.get(`/my-meetings/${meetingId}`);
    expect(theirs.statusCode).toBe(200);
    expect(theirs.body).not.toContain('neighbour');
  });

  it('shows the DSL and deputy the outcome, audits each reading, and lists who has read it', async () => {
    const dsl = await t.as('staff', t.fx.staff.dsl);
    const page = (await dsl.get(url())).body;
    expect(page).toContain(OUTCOME.replace(/'/g, '&#39;'));
    expect(page).toContain('Safeguarding concern');
    expect(page).toMatch(/Read by: <bdi>Mrs Adeyemi<\/bdi>, once, last/);
    expect((await (await t.as('staff', t.fx.staff.deputy_dsl)).get(url())).body).toContain('neighbour');
    const views = await t.db.selectFrom('audit_log').select(['actor_id', 'entity_id']).where('action', '=', 'meeting_outcome.viewed').orderBy('at').execute();
    expect(views.map((v) => v.actor_id).sort()).toEqual([t.fx.staff.dsl, t.fx.staff.deputy_dsl].sort());
    expect(views.every((v) => v.entity_id === meetingId)).toBe(true);
  });

  it('passes a referral to the DSL: the leader is told it was referred, and reads only that the note went to the DSL', async () => {
    const okafor = await t.as('staff', t.fx.staff.teacher);
    const referred = await okafor.post(url('/refer'), { referred_to: t.fx.staff.senior_leader, referral_note: REFERRAL, safeguarding: 'yes' });
    expect(referred.statusCode).toBe(303);
    expect(referred.headers.location).toBe(url('?done=referred-safeguarding'));
    expect((await alertsFor(PART_ALERT_TITLES.referral)).map((a) => a.staff_id).sort()).toEqual([t.fx.staff.dsl, t.fx.staff.deputy_dsl].sort());
    const leaderAlert = await t.db.selectFrom('staff_alerts').select('title').where('kind', '=', 'referral').where('staff_id', '=', t.fx.staff.senior_leader).execute();
    expect(leaderAlert).toHaveLength(1);
    const leader = (await (await t.as('staff', t.fx.staff.senior_leader)).get(url())).body;
    expect(leader).toContain('Referred to Mr Green');
    expect(leader).not.toContain('out of the country');
    expect(leader).toContain('The note was passed to the DSL on');
    expect((await okafor.get(url())).body).toMatch(/You passed the note to the DSL on/);
    expect((await (await t.as('staff', t.fx.staff.dsl)).get(url())).body).toContain('out of the country');
    const audited = await t.db.selectFrom('audit_log').select('after_json').where('action', '=', 'meeting.referred').execute();
    expect(audited[0]!.after_json).not.toContain('out of the country');
    // Only the DSL or a deputy may replace it.
    const head = await t.as('staff', t.fx.staff.head);
    expect((await head.post(url('/refer'), { referred_to: t.fx.staff.senior_leader, referral_note: 'Please call Dad.' })).statusCode).toBe(400);
    expect((await t.db.selectFrom('meetings').select('referral_note').where('id', '=', meetingId).executeTakeFirstOrThrow()).referral_note).toBe(REFERRAL);
  });

  it('marks an outcome and a referral already saved, once each, with the same alerts', async () => {
    const okafor = await t.as('staff', t.fx.staff.teacher);
    expect((await okafor.post(url('/outcome/safeguarding', laterId))).statusCode).toBe(404); // nothing written yet
    expect((await okafor.post(url('/outcome', laterId), { outcome: 'Kuba misses Mondays; Mum works nights.', follow_up_on: '' })).statusCode).toBe(303);
    expect((await okafor.post(url('/refer', laterId), { referred_to: t.fx.staff.head, referral_note: 'Kuba says he is hungry on Mondays.' })).statusCode).toBe(303);
    const page = (await okafor.get(url('', laterId))).body;
    expect(page).toContain(`/record/outcome/safeguarding`);
    expect(page).toContain(`/record/referral/safeguarding`);
    const office = await t.as('staff', t.fx.staff.office);
    for (const part of ['outcome', 'referral'] as const) {
      const marked = await office.post(url(`/${part}/safeguarding`, laterId));
      expect(marked.statusCode).toBe(303);
      expect(marked.headers.location).toBe(url(`?done=${part}-safeguarding`, laterId));
      expect((await office.post(url(`/${part}/safeguarding`, laterId))).statusCode).toBe(303);
      expect(await t.db.selectFrom('audit_log').select('id').where('action', '=', `meeting.${part}_marked_safeguarding`).execute()).toHaveLength(1);
      const alerted = await t.db.selectFrom('staff_alerts').select('staff_id').where('title', '=', PART_ALERT_TITLES[part]).where('link', '=', url('', laterId)).execute();
      expect(alerted.map((a) => a.staff_id).sort()).toEqual([t.fx.staff.dsl, t.fx.staff.deputy_dsl].sort());
    }
    const after = (await okafor.get(url('', laterId))).body;
    expect(after).not.toMatch(/Mum works nights|hungry on Mondays/);
    expect(after).toContain('The outcome was passed to the DSL on');
    expect((await office.get(url('', laterId))).body).toContain('You passed the outcome to the DSL on');
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dialects } from '../../../test/support/db.ts';
import { startTestApp, type Client, type TestApp } from '../../../test/support/app.ts';
import { outboxSettled } from '../meetings/record-test-data.ts';
import { REPORT_ALERT_TITLE } from './reports.ts';

/**
 * "Tell the DSL" from any staff page: Mr Okafor (Year 3) notices a mark on Kuba's wrist at the
 * classroom door. He passes it on from the menu; the DSL and deputy are told at once; only they read
 * it; he keeps the date he passed it on, never the words; no colleague sees it at all.
 */
const WORDS = 'Kuba had a hand-shaped bruise on his wrist and said his uncle grabbed him';

describe.each(dialects)('telling the DSL from any staff page, on %s', (dialect) => {
  let t: TestApp;
  let okafor: Client;
  let reportId: string;

  beforeAll(async () => {
    t = await startTestApp(dialect);
    okafor = await t.as('staff', t.fx.staff.teacher);
  });
  afterAll(async () => t?.close());

  const formIdOf = (body: string) => /name="form_id" value="([^"]+)"/.exec(body)![1]!;
  async function tell(who: Client, form: Record<string, string>) {
    const page = await who.get('/tell-the-dsl');
    return who.post('/tell-the-dsl', { form_id: formIdOf(page.body), 'happened_on-day': '3', 'happened_on-month': '12', 'happened_on-year': '2026', ...form });
  }

  it('is one step from every staff page, for every role, offering only the pupils that person may see', async () => {
    const home = await okafor.get('/');
    expect(home.body).toContain('href="/tell-the-dsl"');
    const form = await okafor.get('/tell-the-dsl');
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('Jakub Nowak');
    expect(form.body).toContain('Lily Dean');
    // Leo is in Ms Hall's class, Olly at another school: not on Mr Okafor's list.
    expect(form.body).not.toContain('Leo Mensah');
    expect(form.body).not.toContain('Olly');
    expect(form.body).toContain('Someone else, or I do not know their name');
    // A governor sees no pupils, and can still tell the DSL about someone.
    const governor = await (await t.as('staff', t.fx.staff.governor)).get('/tell-the-dsl');
    expect(governor.statusCode).toBe(200);
    expect(governor.body).not.toContain('Jakub Nowak');
    expect(governor.body).toContain('Someone else, or I do not know their name');
    // Never a carer.
    const marta = await t.as('carer', t.fx.carers.marta);
    expect((await marta.get('/tell-the-dsl')).statusCode).toBe(404);
    expect((await marta.get('/')).body).not.toContain('/tell-the-dsl');
  });

  it('refuses a form with something missing or wrong, beside the field, keeping every word typed', async () => {
    const empty = await tell(okafor, { pupil: '', what: WORDS, 'happened_on-day': '31', 'happened_on-month': '2' });
    expect(empty.statusCode).toBe(400);
    expect(empty.body).toContain('There is a problem');
    expect(empty.body).toMatch(/id="pupil-error"[\s\S]*Choose the pupil, or “Someone else, or I do not know their name”/);
    expect(empty.body).toContain('id="happened_on-error"');
    expect(empty.body).toContain(WORDS);
    const noWords = await tell(okafor, { pupil: t.fx.pupils.kuba, what: '   ' });
    expect(noWords.statusCode).toBe(400);
    expect(noWords.body).toMatch(/id="what-error"[\s\S]*Enter what you saw or heard/);
    expect(noWords.body).toMatch(new RegExp(`<option value="${t.fx.pupils.kuba}" selected`));
    const tooLong = await tell(okafor, { pupil: t.fx.pupils.kuba, what: 'x'.repeat(5_001) });
    expect(tooLong.statusCode).toBe(400);
    expect(tooLong.body).toContain('What you saw or heard must be 5,000 characters or fewer');
    const tomorrow = await tell(okafor, { pupil: t.fx.pupils.kuba, what: WORDS, 'happened_on-day': '1', 'happened_on-month': '1', 'happened_on-year': '2099' });
    expect(tomorrow.statusCode).toBe(400);
    expect(tomorrow.body).toContain('The date you saw or heard it must be today or earlier');
    // A pupil he may not see (Leo, in Ms Hall's class) is refused as if it were not on the list.
    const leo = await tell(okafor, { pupil: t.fx.pupils.leo, what: WORDS });
    expect(leo.statusCode).toBe(400);
    expect(leo.body).toMatch(/id="pupil-error"[\s\S]*Choose a pupil from the list/);
    expect(leo.body).toContain(WORDS);
    expect(leo.body).not.toContain('Leo Mensah');
    expect(await t.db.selectFrom('dsl_reports').select('id').execute()).toEqual([]);
    expect(await t.db.selectFrom('staff_alerts').select('id').execute()).toEqual([]);
  });

  it('alerts the DSL and deputy at once, in Gatepost and by email, never with the words or the child; the writer keeps a trace', async () => {
    const page = await okafor.get('/tell-the-dsl');
    const formId = formIdOf(page.body);
    const form = { form_id: formId, pupil: t.fx.pupils.kuba, what: WORDS, 'happened_on-day': '3', 'happened_on-month': '12', 'happened_on-year': '2026' };
    const saved = await okafor.post('/tell-the-dsl', form);
    expect(saved.statusCode).toBe(303);
    expect(saved.headers.location).toBe(`/tell-the-dsl?passed=${formId}`);
    reportId = formId;
    // A second press of the button: saved once, told once.
    expect((await okafor.post('/tell-the-dsl', form)).statusCode).toBe(303);
    expect(await t.db.selectFrom('dsl_reports').select(['id', 'pupil_id', 'happened_on', 'written_by']).execute()).toEqual([
      { id: formId, pupil_id: t.fx.pupils.kuba, happened_on: '2026-12-03', written_by: t.fx.staff.teacher },
    ]);

    const alerts = await t.db.selectFrom('staff_alerts').select(['staff_id', 'title', 'link', 'kind']).execute();
    expect(alerts.map((a) => a.staff_id).sort()).toEqual([t.fx.staff.dsl, t.fx.staff.deputy_dsl].sort());
    for (const a of alerts) expect(a).toMatchObject({ kind: 'safeguarding', title: REPORT_ALERT_TITLE, link: `/tell-the-dsl/${formId}` });
    const email = await t.sink.waitFor('adeyemi@brookfield.test');
    await t.sink.waitFor('clarke@brookfield.test');
    expect(email.subject).toBe(REPORT_ALERT_TITLE);
    expect(email.text).toContain(`http://gatepost.test/tell-the-dsl/${formId}`);
    await outboxSettled(t.db);
    expect(t.sink.messages).toHaveLength(2);
    for (const m of t.sink.messages) expect(m.subject + m.text + (m.html ?? '')).not.toMatch(/bruise|uncle|Jakub|Kuba|Nowak/);

    // The writer: "You passed this to the DSL on …", never the words, then or later.
    const after = (await okafor.get(saved.headers.location as string)).body;
    expect(after).toMatch(/You passed this to the DSL on \d+ \w+ \d{4} at [\d:]+[ap]m\./);
    expect(after).toMatch(/About <bdi>Jakub Nowak<\/bdi>: you passed this to the DSL on/);
    expect(after).not.toContain('bruise');
    expect((await okafor.get('/tell-the-dsl')).body).not.toContain('bruise');
    expect((await okafor.get(`/tell-the-dsl/${formId}`)).statusCode).toBe(404);

    // Audited, without the words: the head reads the audit log.
    const made = await t.db.selectFrom('audit_log').select(['actor_id', 'entity_id', 'after_json']).where('action', '=', 'dsl_report.made').execute();
    expect(made).toHaveLength(1);
    expect(made[0]).toMatchObject({ actor_id: t.fx.staff.teacher, entity_id: formId });
    expect(made[0]!.after_json).not.toContain('bruise');
    expect((await (await t.as('staff', t.fx.staff.head)).get('/audit')).body).not.toContain('bruise');
  });

  it('shows no colleague the words, nor that it was written: not the head, the office, another teacher', async () => {
    for (const who of [t.fx.staff.head, t.fx.staff.senior_leader, t.fx.staff.office, t.fx.staff.teacher2, t.fx.staff.senco, t.fx.staff.family_liaison, t.fx.staff.governor]) {
      const client = await t.as('staff', who);
      const page = await client.get('/tell-the-dsl');
      expect(page.statusCode).toBe(200);
      expect(page.body).not.toContain('bruise');
      expect(page.body).not.toContain('passed this to the DSL');
      expect(page.body).not.toContain(reportId);
      expect((await client.get(`/tell-the-dsl/${reportId}`)).statusCode).toBe(404);
      expect((await client.get('/')).body).not.toContain(reportId);
    }
    expect((await (await t.as('carer', t.fx.carers.marta)).get(`/tell-the-dsl/${reportId}`)).statusCode).toBe(404);
  });

  it('shows the DSL and deputy the words, audits each reading, lists who has read it; opening it marks the alert seen', async () => {
    const dsl = await t.as('staff', t.fx.staff.dsl);
    expect((await dsl.get('/')).body).toContain(`/tell-the-dsl/${reportId}`);
    const list = (await dsl.get('/tell-the-dsl')).body;
    expect(list).toContain(`href="/tell-the-dsl/${reportId}"`);
    expect(list).toContain('Not read by you');
    expect(list).not.toContain('bruise');
    const page = (await dsl.get(`/tell-the-dsl/${reportId}`)).body;
    expect(page).toContain(WORDS);
    expect(page).toContain('Jakub Nowak');
    expect(page).toContain('Mr Okafor');
    expect(page).toContain('3 December 2026');
    expect(page).toMatch(/Read by: <bdi>Mrs Adeyemi<\/bdi>, once, last/);
    expect((await dsl.get('/tell-the-dsl')).body).not.toContain('Not read by you');
    const deputy = await t.as('staff', t.fx.staff.deputy_dsl);
    expect((await deputy.get(`/tell-the-dsl/${reportId}`)).body).toContain(WORDS);
    const views = await t.db.selectFrom('audit_log').select(['actor_id', 'entity_id']).where('action', '=', 'dsl_report.viewed').orderBy('at').execute();
    expect(views).toEqual([
      { actor_id: t.fx.staff.dsl, entity_id: reportId },
      { actor_id: t.fx.staff.deputy_dsl, entity_id: reportId },
    ]);
    expect(await t.db.selectFrom('staff_alerts').select('staff_id').where('seen_at', 'is', null).execute()).toEqual([]);
  });

  it('takes a child not on the list, by what the writer knows of them; the DSL telling it herself alerts the deputy only', async () => {
    const dsl = await t.as('staff', t.fx.staff.dsl);
    const saved = await tell(dsl, { pupil: 'someone-else', other_name: 'Ayaan’s older brother, about 12', what: 'He said he is kept home to look after the baby.' });
    expect(saved.statusCode).toBe(303);
    const id = String(saved.headers.location).split('passed=')[1]!;
    const alerted = await t.db.selectFrom('staff_alerts').select('staff_id').where('link', '=', `/tell-the-dsl/${id}`).execute();
    expect(alerted).toEqual([{ staff_id: t.fx.staff.deputy_dsl }]);
    const page = (await (await t.as('staff', t.fx.staff.deputy_dsl)).get(`/tell-the-dsl/${id}`)).body;
    expect(page).toContain('Someone else: Ayaan’s older brother, about 12');
    expect(page).toContain('kept home to look after the baby');
    // A governor, who sees no pupils, can pass on a concern too.
    const governor = await t.as('staff', t.fx.staff.governor);
    expect((await tell(governor, { pupil: 'someone-else', what: 'A child at the gate said she is scared to go home.' })).statusCode).toBe(303);
    expect((await governor.get('/tell-the-dsl')).body).toMatch(/You passed this to the DSL on/);
  });
});

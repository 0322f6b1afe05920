import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dialects } from '../../../test/support/db.ts';
import { startTestApp, type Client, type TestApp } from '../../../test/support/app.ts';
import { outboxSettled } from '../meetings/record-test-data.ts';
import { CONTACT_SAFEGUARDING_ALERT_TITLE } from './contacts.ts';

/**
 * Safeguarding first in the contact log: Ms Lewis rings Marta, hears something worrying and ticks
 * "This is a safeguarding concern". The DSL and deputy are told at once; only they read the note.
 */
const WORDS = 'Marta said Kuba is left alone at night when she works late';

describe.each(dialects)('a contact note passed to the DSL, on %s', (dialect) => {
  let t: TestApp;
  let lewis: Client;
  const reach = () => `/carers/${t.fx.carers.marta}/reach`;

  beforeAll(async () => {
    t = await startTestApp(dialect);
    lewis = await t.as('staff', t.fx.staff.family_liaison);
  });
  afterAll(async () => t?.close());

  async function record(who: Client, carerId: string, note: string, safeguarding: boolean) {
    const form = await who.get(`/carers/${carerId}/contacts/new?weeks=4`);
    const formId = /name="form_id" value="([^"]+)"/.exec(form.body)![1]!;
    return who.post(`/carers/${carerId}/contacts/new`, { form_id: formId, weeks: '4', kind: 'phone', note, ...(safeguarding ? { safeguarding: 'yes' } : {}) });
  }

  it('offers the same choice as a meeting note, as a plain checkbox', async () => {
    const form = await lewis.get(`/carers/${t.fx.carers.marta}/contacts/new`);
    expect(form.body).toContain('This is a safeguarding concern');
    expect(form.body).toMatch(/<input class="govuk-checkboxes__input" id="safeguarding" name="safeguarding" type="checkbox" value="yes"/);
    expect(form.body).toContain('only they will be able to read the note, not you or anyone else');
    // A wrong form keeps the tick.
    const wrong = await lewis.post(`/carers/${t.fx.carers.marta}/contacts/new`, { form_id: 'x', kind: 'phone', note: '', safeguarding: 'yes' });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.body).toMatch(/name="safeguarding" type="checkbox" value="yes" checked/);
  });

  it('alerts the DSL and deputy at once, in Gatepost and by email, never with the words or the child', async () => {
    expect((await record(lewis, t.fx.carers.marta, 'Rang about the trip letter.', false)).statusCode).toBe(303);
    const saved = await record(lewis, t.fx.carers.marta, WORDS, true);
    expect(saved.statusCode).toBe(303);
    expect(saved.headers.location).toBe(`/reach/not-reached?weeks=4&recorded=${t.fx.carers.marta}&safeguarding=1`);
    expect((await lewis.get(saved.headers.location as string)).body).toContain('Passed to the DSL. Only the DSL and deputy DSLs can read this note now, and they have been told.');

    const alerts = await t.db.selectFrom('staff_alerts').select(['staff_id', 'title', 'link']).where('kind', '=', 'safeguarding').execute();
    expect(alerts.map((a) => a.staff_id).sort()).toEqual([t.fx.staff.dsl, t.fx.staff.deputy_dsl].sort());
    for (const a of alerts) expect(a).toMatchObject({ title: CONTACT_SAFEGUARDING_ALERT_TITLE, link: reach() });
    const email = await t.sink.waitFor('adeyemi@brookfield.test');
    await t.sink.waitFor('clarke@brookfield.test');
    expect(email.subject).toBe(CONTACT_SAFEGUARDING_ALERT_TITLE);
    expect(email.text).toContain(`http://gatepost.test${reach()}`);
    await outboxSettled(t.db);
    for (const m of t.sink.messages) expect(m.subject + m.text + (m.html ?? '')).not.toMatch(/left alone|Jakub|Kuba|Marta|Nowak/);

    const audit = await t.db.selectFrom('audit_log').select(['after_json']).where('action', '=', 'contact.recorded').execute();
    expect(audit.map((a) => JSON.parse(a.after_json!).safeguarding).sort()).toEqual([0, 1]);
    for (const a of audit) expect(a.after_json).not.toContain('left alone');
    expect((await (await t.as('staff', t.fx.staff.head)).get('/audit')).body).not.toContain('left alone');
  });

  it('takes the words from the writer, who keeps a trace, and from every colleague', async () => {
    const mine = (await lewis.get(reach())).body;
    expect(mine).not.toContain('left alone');
    expect(mine).toContain('Rang about the trip letter.');
    expect(mine).toMatch(/You passed a note to the DSL on \d+ \w+ \d{4} at [\d:]+[ap]m\. Only the DSL and deputy DSLs can read it\./);
    for (const who of [t.fx.staff.head, t.fx.staff.senior_leader, t.fx.staff.office, t.fx.staff.senco]) {
      const page = await (await t.as('staff', who)).get(reach());
      expect(page.statusCode).toBe(200);
      expect(page.body).not.toContain('left alone');
      expect(page.body).not.toContain('Safeguarding concern');
      expect(page.body).not.toContain('passed a note to the DSL');
      expect(page.body).toContain('Rang about the trip letter.');
    }
    // Never shown to the family, nor to a teacher.
    expect((await (await t.as('carer', t.fx.carers.marta)).get(reach())).statusCode).toBe(404);
    expect((await (await t.as('staff', t.fx.staff.teacher)).get(reach())).statusCode).toBe(404);
  });

  it('shows the DSL and deputy the words, audits each reading and lists who has read it; opening it marks the alert seen', async () => {
    const contact = await t.db.selectFrom('contact_log').select('id').where('safeguarding', '=', 1).executeTakeFirstOrThrow();
    const dsl = await t.as('staff', t.fx.staff.dsl);
    const page = (await dsl.get(reach())).body;
    expect(page).toContain(WORDS);
    expect(page).toContain('Safeguarding concern');
    expect(page).toMatch(/Read by:[\s\S]*, once, last/);
    const deputy = await t.as('staff', t.fx.staff.deputy_dsl);
    expect((await deputy.get(reach())).body).toContain(WORDS);
    const views = await t.db.selectFrom('audit_log').select(['actor_id', 'entity_id']).where('action', '=', 'contact.viewed').execute();
    expect(views).toEqual([
      { actor_id: t.fx.staff.dsl, entity_id: contact.id },
      { actor_id: t.fx.staff.deputy_dsl, entity_id: contact.id },
    ]);
    const unseen = await t.db.selectFrom('staff_alerts').select('staff_id').where('kind', '=', 'safeguarding').where('seen_at', 'is', null).execute();
    expect(unseen).toEqual([]);
  });

  it('lets a contact already saved be marked as a concern, once, with the same alert; its writer is told who passed it on', async () => {
    const earlier = await t.db.selectFrom('contact_log').select('id').where('safeguarding', '=', 0).where('carer_id', '=', t.fx.carers.marta).executeTakeFirstOrThrow();
    const office = await t.as('staff', t.fx.staff.office);
    expect((await office.get(reach())).body).toContain(`/contacts/${earlier.id}/safeguarding`);
    const marked = await office.post(`/carers/${t.fx.carers.marta}/contacts/${earlier.id}/safeguarding`);
    expect(marked.statusCode).toBe(303);
    expect(marked.headers.location).toBe(`${reach()}?done=safeguarding`);
    expect((await office.post(`/carers/${t.fx.carers.marta}/contacts/${earlier.id}/safeguarding`)).statusCode).toBe(303);
    const officePage = (await office.get(`${reach()}?done=safeguarding`)).body;
    expect(officePage).toContain('Passed to the DSL. Only the DSL and deputy DSLs can read this note now, and they have been told.');
    expect(officePage).not.toContain('Rang about the trip letter.');
    expect(officePage).toMatch(/You passed a note to the DSL on [^.]+\. Only the DSL and deputy DSLs can read it\./);
    const lewisPage = (await lewis.get(reach())).body;
    expect(lewisPage).not.toContain('Rang about the trip letter.');
    expect(lewisPage).toMatch(/Your note of [^.]+ was passed to the DSL on [^.]+\. Only the DSL and deputy DSLs can read it\./);
    expect((await (await t.as('staff', t.fx.staff.head)).get(reach())).body).not.toMatch(/Rang about the trip letter|passed to the DSL/);
    expect((await (await t.as('staff', t.fx.staff.dsl)).get(reach())).body).toContain('Rang about the trip letter.');
    const alerts = await t.db.selectFrom('staff_alerts').select('staff_id').where('kind', '=', 'safeguarding').where('staff_id', '=', t.fx.staff.dsl).execute();
    expect(alerts).toHaveLength(2);
    expect(await t.db.selectFrom('audit_log').select('id').where('action', '=', 'contact.marked_safeguarding').execute()).toHaveLength(1);
    // Another family's contact, or none: not found.
    expect((await office.post(`/carers/${t.fx.carers.faduma}/contacts/${earlier.id}/safeguarding`)).statusCode).toBe(404);
    expect((await office.post(`/carers/${t.fx.carers.marta}/contacts/0190a000-0000-7000-8000-000000000000/safeguarding`)).statusCode).toBe(404);
  });

  it('alerts the deputy, not the DSL herself, when the DSL records a concern', async () => {
    const dsl = await t.as('staff', t.fx.staff.dsl);
    expect((await record(dsl, t.fx.carers.faduma, 'Ayaan’s grandmother mentioned bruises on his arm.', true)).statusCode).toBe(303);
    const alerted = await t.db.selectFrom('staff_alerts').select('staff_id').where('link', '=', `/carers/${t.fx.carers.faduma}/reach`).execute();
    expect(alerted).toEqual([{ staff_id: t.fx.staff.deputy_dsl }]);
    expect((await dsl.get(`/carers/${t.fx.carers.faduma}/reach`)).body).toContain('bruises');
    expect((await lewis.get(`/carers/${t.fx.carers.faduma}/reach`)).body).not.toContain('bruises');
  });
});

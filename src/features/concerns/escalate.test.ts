import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dialects } from '../../../test/support/db.ts';
import { startTestApp, type TestApp } from '../../../test/support/app.ts';

const NOW = new Date('2026-11-26T10:00:00.000Z'); // Thursday

/** A concern that is not resolved becomes a formal complaint: by the carer, or by the head; dates in school days. */
describe.each(dialects)('escalating a concern to a formal complaint, on %s', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(dialect, { clock: () => NOW });
  });
  afterAll(async () => t?.close());

  const idFrom = (location: string | undefined) => /concerns\/([^?]+)/.exec(location ?? '')![1]!;
  async function closedConcern(carerId: string, pupilId: string) {
    const carer = await t.as('carer', carerId);
    const id = idFrom((await carer.post('/my-concerns', { pupil: pupilId, what_happened: 'Pushed in the line again', would_like: 'It to stop', contact_by: 'email' })).headers.location);
    const head = await t.as('staff', t.fx.staff.head);
    await head.post(`/concerns/${id}/pass-on`, { owner: t.fx.staff.senior_leader, category: 'behaviour', school_days: '3' });
    await (await t.as('staff', t.fx.staff.senior_leader)).post(`/concerns/${id}/close`, { outcome: 'Spoke to the class about the line.' });
    return { id, carer, head };
  }

  it('Marta may complain formally only once her concern is answered and not resolved; she is told the stage 1 dates', async () => {
    const marta = await t.as('carer', t.fx.carers.marta);
    const open = idFrom((await marta.post('/my-concerns', { pupil: t.fx.pupils.kuba, what_happened: 'x', would_like: 'y', contact_by: 'email' })).headers.location);
    expect((await marta.get(`/my-concerns/${open}`)).body).not.toContain('Make a formal complaint');
    expect((await marta.post(`/my-concerns/${open}/complaint`, { last_incident_on: '20/11/2026', unresolved: 'Still happening' })).body).toContain('once the school has answered your concern');

    const { id } = await closedConcern(t.fx.carers.marta, t.fx.pupils.kuba);
    const page = await marta.get(`/my-concerns/${id}`);
    expect(page.body).toContain('Make a formal complaint');
    const bad = await marta.post(`/my-concerns/${id}/complaint`, { last_incident_on: '31/02/2026', unresolved: 'He is still pushed every day' });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('He is still pushed every day');
    expect(bad.body).toContain('href="#last_incident_on"');
    const made = await marta.post(`/my-concerns/${id}/complaint`, { last_incident_on: '24/11/2026', unresolved: 'He is still pushed every day' });
    expect(made.headers.location).toBe(`/my-concerns/${id}?done=complaint`);
    const complaint = await t.db.selectFrom('complaints').selectAll().where('concern_id', '=', id).executeTakeFirstOrThrow();
    // From Thursday 26 November: 5 school days to acknowledge, 15 to answer (weekends do not count).
    expect(complaint).toMatchObject({
      stage: 'stage_1',
      made_by_kind: 'carer',
      received_on: '2026-11-26',
      counts_from: '2026-11-26',
      acknowledge_by: '2026-12-03',
      respond_by: '2026-12-17',
      late: 0,
      early_years_outcome_by: null,
    });
    const mail = await t.db.selectFrom('outbox').select('payload_json').where('recipient', '=', 'marta@families.test').execute();
    const told = mail.map((m) => JSON.parse(m.payload_json) as { subject: string; text: string }).find((m) => m.subject === 'Otrzymaliśmy Państwa formalną skargę dotyczącą: Jakub');
    expect(told?.text).toContain('answer it by Thursday 17 December 2026');
    const mine = (await marta.get(`/my-concerns/${id}`)).body;
    expect(mine).toContain('Your formal complaint');
    expect(mine).toContain('He is still pushed every day'); // her own words, not staff notes
    expect(mine).not.toContain('this date has passed');
    // An answer overdue: she is told the date has passed, not only the date.
    await t.db.updateTable('complaints').set({ respond_by: '2026-11-25' }).where('id', '=', complaint.id).execute();
    expect((await marta.get(`/my-concerns/${id}`)).body).toMatch(/We will answer it by\s*<\/dt>\s*<dd class="govuk-summary-list__value">\s*25 November 2026 \(this date has passed\)/);
    await t.db.updateTable('complaints').set({ respond_by: complaint.respond_by }).where('id', '=', complaint.id).execute();
    // Once only.
    expect((await marta.post(`/my-concerns/${id}/complaint`, { last_incident_on: '24/11/2026', unresolved: 'Again' })).body).not.toContain('Make a formal complaint</h2>');
    expect(await t.db.selectFrom('complaints').select('id').where('concern_id', '=', id).execute()).toHaveLength(1);
    // The head and senior leaders are told; the head sees the dates on the concern.
    const alerts = await t.db.selectFrom('staff_alerts').select('title').where('staff_id', '=', t.fx.staff.head).where('link', '=', `/concerns/${id}`).execute();
    expect(alerts.map((a) => a.title)).toContain('A formal complaint was made: choose an investigating officer not connected with the matter');
    const headPage = (await (await t.as('staff', t.fx.staff.head)).get(`/concerns/${id}`)).body;
    expect(headPage).toContain('Formal complaint');
    expect(headPage).toContain('17 December 2026');
  });

  it('the head escalates one about Ola (Reception) raised long after the incident: flagged late, with the early-years 28-day clock', async () => {
    const { id, head } = await closedConcern(t.fx.carers.marta, t.fx.pupils.ola);
    const made = await head.post(`/concerns/${id}/complaint`, { last_incident_on: '01/07/2026', unresolved: 'The family says nothing changed' });
    expect(made.headers.location).toBe(`/concerns/${id}?done=complaint`);
    expect(await t.db.selectFrom('complaints').selectAll().where('concern_id', '=', id).executeTakeFirstOrThrow()).toMatchObject({
      made_by_kind: 'staff',
      late: 1,
      early_years_outcome_by: '2026-12-24',
    });
    expect((await head.get(`/concerns/${id}`)).body).toContain('Made more than three months after the last incident');
    // The case page says who made it in the concern page's words: Marta, logged by the head, from her concern.
    const complaint = await t.db.selectFrom('complaints').select('id').where('concern_id', '=', id).executeTakeFirstOrThrow();
    expect((await head.get(`/complaints/${complaint.id}`)).body).toMatch(
      /Raised by\s*<\/dt>\s*<dd class="govuk-summary-list__value">\s*<bdi>Marta Nowak<\/bdi>, logged by <bdi>Mrs Patel<\/bdi> \(it started as a concern\)\s*<\/dd>/,
    );
    expect((await (await t.as('carer', t.fx.carers.marta)).get(`/my-concerns/${id}`)).body).not.toContain('The family says nothing changed'); // staff words stay with staff
    // Not for the owner (the case team only) and not for a teacher.
    expect((await (await t.as('staff', t.fx.staff.teacher)).post(`/concerns/${id}/complaint`, { last_incident_on: '01/07/2026', unresolved: 'x' })).statusCode).toBe(404);
  });

  it('tells Marta, reading Polish, what is wrong with the date in Polish: the box left empty, a date that does not exist', async () => {
    const { id } = await closedConcern(t.fx.carers.marta, t.fx.pupils.kuba);
    const polish = await t.as('carer', t.fx.carers.marta, undefined, { ownLanguage: true });
    const noMonth = await polish.post(`/my-concerns/${id}/complaint`, {
      'last_incident_on-day': '24',
      'last_incident_on-month': '',
      'last_incident_on-year': '2026',
      unresolved: 'Nadal go popychają',
    });
    expect(noMonth.statusCode).toBe(400);
    expect(noMonth.body).toContain('<html lang="pl"');
    expect(noMonth.body).toContain('<span class="govuk-visually-hidden">Błąd:</span> Data ostatniego zdarzenia: prosimy wpisać także miesiąc');
    expect(noMonth.body).toContain('href="#last_incident_on-month"');
    expect(noMonth.body).not.toContain('must include a month');
    expect(noMonth.body).toContain('Nadal go popychają'); // what she typed is kept
    const notReal = await polish.post(`/my-concerns/${id}/complaint`, { 'last_incident_on-day': '31', 'last_incident_on-month': '2', 'last_incident_on-year': '2026', unresolved: 'x' });
    expect(notReal.body).toContain('Data ostatniego zdarzenia musi być prawdziwą datą');
    const future = await polish.post(`/my-concerns/${id}/complaint`, { 'last_incident_on-day': '1', 'last_incident_on-month': '12', 'last_incident_on-year': '2026', unresolved: 'x' });
    expect(future.body).toContain('Data ostatniego zdarzenia musi być dzisiejsza lub wcześniejsza');
    // In English (one click away), GOV.UK's own words.
    const english = await t.as('carer', t.fx.carers.marta);
    const inEnglish = await english.post(`/my-concerns/${id}/complaint`, { 'last_incident_on-day': '24', 'last_incident_on-month': '', 'last_incident_on-year': '2026', unresolved: 'x' });
    expect(inEnglish.body).toContain('The date of the last thing that happened must include a month');
    expect(await t.db.selectFrom('complaints').select('id').where('concern_id', '=', id).execute()).toHaveLength(0);
  });

  it('never lets Mark Dean complain about Lily, nor tells him of one', async () => {
    const { id } = await closedConcern(t.fx.carers.sarah, t.fx.pupils.lily);
    const mark = await t.as('carer', t.fx.carers.mark);
    expect((await mark.post(`/my-concerns/${id}/complaint`, { last_incident_on: '24/11/2026', unresolved: 'x' })).statusCode).toBe(404);
    expect(await t.db.selectFrom('outbox').select('id').where('recipient', '=', 'mark@families.test').execute()).toHaveLength(0);
  });
});

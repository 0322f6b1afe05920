import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dialects } from '../../../test/support/db.ts';
import { startTestApp, type TestApp } from '../../../test/support/app.ts';
import { addQuestion, createSurvey } from './commands.ts';
import { openSurvey } from './invite.ts';

/**
 * Journey 9's ending through the routes: a staff survey goes to the roles chosen only, and the
 * governors read September → July for every shared statement, download it as CSV and print it.
 */
describe.each(dialects)('before → after and staff surveys, on %s', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(dialect);
  });
  afterAll(async () => t?.close());

  const head = () => ({ kind: 'staff' as const, id: t.fx.staff.head, schoolId: t.fx.school.id });
  const ctx = () => ({ baseUrl: 'http://gatepost.test', schoolName: 'Brookfield', today: new Date().toISOString().slice(0, 10), now: new Date() });

  /** A families' survey with two statements (from the same template keys both times), answered by `mixes` (agreeing, disagreeing, don't know). */
  async function run(title: string, baselineId: string | null, mixes: [number, number, number][]) {
    const school = t.fx.school.id;
    const id = await createSurvey(t.db, head(), school, { title, intro: '', anonymous: true, audience: { kind: 'carers', audience: { kind: 'school' } }, template: null, baselineId }, new Date());
    const statements = [
      { key: 'j9.relationships', text: 'Teaching staff build positive relationships with parents.' },
      { key: 'j9.policies', text: '=The school involves parents when reviewing its policies.' },
    ];
    const ids: string[] = [];
    for (const s of statements) ids.push(await addQuestion(t.db, head(), school, id, { section: '', kind: 'agree', text: s.text, options: [], required: false, templateQuestion: s.key }, new Date()));
    await openSurvey(t.db, head(), school, id, ctx());
    const people = Math.max(...mixes.map(([a, d, k]) => a + d + k));
    for (let p = 0; p < people; p++) {
      const responseId = crypto.randomUUID();
      await t.db.insertInto('survey_responses').values({ id: responseId, school_id: school, survey_id: id, invitation_id: null, via: 'paper', submitted_on: '2026-07-08' }).execute();
      const answers = mixes.map(([agree, disagree], i) => ({
        id: crypto.randomUUID(),
        school_id: school,
        survey_id: id,
        response_id: responseId,
        question_id: ids[i]!,
        value: p < agree ? 'agree' : p < agree + disagree ? 'disagree' : 'dont_know',
      }));
      await t.db.insertInto('survey_answers').values(answers).execute();
    }
    return id;
  }

  it('governors read each shared statement before → after in words they understand, download it as formula-safe CSV, and print it', async () => {
    const september = await run('Working with families: September', null, [
      [15, 25, 0],
      [16, 24, 0],
    ]);
    const july = await run('Working with families: July', september, [
      [36, 4, 0],
      [18, 22, 0],
    ]);
    const governor = await t.as('staff', t.fx.staff.governor);
    const page = await governor.get(`/surveys/${july}/comparison`);
    expect(page.statusCode).toBe(200);
    const rows = page.body.split('<tr class="govuk-table__row">').slice(2);
    const row = (words: string) => rows.find((r) => r.includes(words))!;
    expect(row('Teaching staff build')).toContain('38%');
    expect(row('Teaching staff build')).toContain('90%');
    expect(row('Teaching staff build')).toContain('a real improvement');
    expect(row('involves parents when reviewing')).toContain('40%');
    expect(row('involves parents when reviewing')).toContain('45%');
    expect(row('involves parents when reviewing')).toContain('no clear change');
    // On a phone the verdict must not sit in a column off-screen: it is in the Change cell, beside the points.
    expect(page.body).not.toContain('What it means');
    const cells = row('Teaching staff build').split('<td ').slice(1);
    expect(cells).toHaveLength(3);
    expect(cells[2]).toContain('a real improvement');
    expect(cells[2]).toContain('points');
    // On a phone the table gives way to one block a statement: its verdict under it, then before, after and the change.
    const list = page.body.slice(page.body.indexOf('class="gp-comparison-list"'));
    expect(page.body.indexOf('class="gp-comparison-list"')).toBeGreaterThan(page.body.indexOf('</table>'));
    const card = list.split('<div class="gp-card">').find((c) => c.includes('Teaching staff build'))!;
    expect(card.indexOf('a real improvement')).toBeGreaterThan(card.indexOf('Teaching staff build'));
    expect(card.replace(/\s+/g, ' ')).toMatch(/Before <\/dt> <dd class="govuk-summary-list__value"> 38% \(15 of 40\)/);
    expect(card.replace(/\s+/g, ' ')).toMatch(/After <\/dt> <dd class="govuk-summary-list__value"> 90% \(36 of 40\)/);
    expect(card).toMatch(/\+\d+ points \(95% interval: \d+ to \d+\)/);
    // Printing leaves off the download link.
    expect(page.body).toMatch(/class="govuk-body gp-no-print"><a class="govuk-link" href="\/surveys\/[^"]+\/comparison\.csv"/);

    const csv = await governor.get(`/surveys/${july}/comparison.csv`);
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    const lines = csv.body
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(lines[0]).toContain('Before (Working with families: September) % agree');
    expect(lines.find((l) => l.startsWith('Teaching staff build'))).toContain('a real improvement');
    // A statement a spreadsheet would run as a formula is written as text.
    expect(lines.some((l) => l.startsWith("'=The school involves parents"))).toBe(true);

    // A survey that is no one's follow-up has no before → after; a carer never reaches it.
    expect((await governor.get(`/surveys/${september}/comparison`)).statusCode).toBe(404);
    expect((await (await t.as('carer', t.fx.carers.marta)).get(`/surveys/${july}/comparison`)).statusCode).toBe(404);
  });

  it('a staff survey asks the staff in the roles chosen, one link each by email, and no family', async () => {
    const client = await t.as('staff', t.fx.staff.head);
    const none = await client.post('/surveys', { title: 'Staff: September', template: 'partnership_staff', anonymous: 'yes', audience_kind: 'staff' });
    expect(none.statusCode).toBe(400);
    const made = await client.post('/surveys', { title: 'Staff: September', template: 'partnership_staff', anonymous: 'yes', audience_kind: 'staff', roles: ['teacher', 'senco'] });
    expect(made.statusCode).toBe(303);
    const surveyId = /surveys\/([^/?]+)/.exec(made.headers.location ?? '')![1]!;
    expect((await client.post(`/surveys/${surveyId}/send`, {})).statusCode).toBe(303);
    const invited = await t.db.selectFrom('survey_invitations').select(['id', 'staff_id', 'carer_id']).where('survey_id', '=', surveyId).execute();
    expect(invited.every((i) => i.carer_id === null)).toBe(true);
    expect(invited.map((i) => i.staff_id).sort()).toEqual([t.fx.staff.teacher, t.fx.staff.teacher2, t.fx.staff.teacher3, t.fx.staff.senco].sort());
    const emails = await t.db
      .selectFrom('outbox')
      .select('recipient')
      .where(
        'ref',
        'in',
        invited.map((i) => i.id),
      )
      .execute();
    expect(emails.map((e) => e.recipient).sort()).toEqual(['bell@brookfield.test', 'hall@brookfield.test', 'hughes@brookfield.test', 'okafor@brookfield.test']);
  });
});

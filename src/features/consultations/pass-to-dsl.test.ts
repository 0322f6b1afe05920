import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dialects } from '../../../test/support/db.ts';
import { startTestApp, type Client, type TestApp } from '../../../test/support/app.ts';
import { addComment, setEnglish, withdrawComment } from './comments.ts';
import { createPolicy } from './policies.ts';
import { openConsultation } from './sending.ts';

/**
 * "Pass this to the DSL" beside a comment on a consultation: a parent writing about a policy can say
 * something about home that the DSL must hear, whatever screen it was typed in. Those who read every
 * comment (consulters and translators) may pass it on, quoted with its English version; anyone else
 * gets 404; the writer's page then says when they passed it, a colleague's does not.
 */
const WORDS = 'Telefon jest potrzebny, bo po szkole Kuba jest sam w domu do nocy.';
const ENGLISH = 'A phone is needed because after school Kuba is alone at home until night.';
const DAY = { 'happened_on-day': '1', 'happened_on-month': '12', 'happened_on-year': '2026' };

describe.each(dialects)('passing a consultation comment to the DSL, on %s', (dialect) => {
  let t: TestApp;
  let byrne: Client;
  let patel: Client;
  let okafor: Client;
  let consultationId: string;
  let commentId: string;
  let page: string;
  let pass: string;

  beforeAll(async () => {
    t = await startTestApp(dialect);
    const fx = t.fx;
    [byrne, patel, okafor] = (await Promise.all([fx.staff.office, fx.staff.head, fx.staff.teacher].map((id) => t.as('staff', id)))) as [Client, Client, Client];
    const by = { staffId: fx.staff.head, schoolId: fx.school.id };
    const now = new Date();
    const ctx = { baseUrl: 'http://gatepost.test', schoolName: 'Brookfield', today: now.toISOString().slice(0, 10), now };
    const body = '## Why we have it\nTo keep learning calm.\n\n## Phones\nPhones stay in bags.';
    const made = await createPolicy(t.db, by, { title: 'Behaviour policy', owner: fx.staff.head, statutory_yearly: 1, last_reviewed_on: null, next_review_on: '2027-12-01', body }, now);
    if (!made.ok) throw new Error(made.message);
    const policy = await t.db.selectFrom('policies').selectAll().where('id', '=', made.id).executeTakeFirstOrThrow();
    const opened = await openConsultation(t.db, by, policy, { audience: { kind: 'school' }, closesOn: '2099-01-31', translateComments: 1, intro: null }, ctx);
    if (!opened.ok) throw new Error(opened.message);
    consultationId = opened.id;
    const consultation = await t.db.selectFrom('consultations').selectAll().where('id', '=', consultationId).executeTakeFirstOrThrow();
    const section = await t.db.selectFrom('consultation_sections').select('id').where('consultation_id', '=', consultationId).where('heading', '=', 'Phones').executeTakeFirstOrThrow();
    const added = await addComment(t.db, { kind: 'carer', carerId: fx.carers.marta, language: 'Polish' }, consultation, section.id, WORDS, now);
    if (!added.ok) throw new Error(added.message);
    commentId = added.id;
    await setEnglish(t.db, { staffId: fx.staff.family_liaison, schoolId: fx.school.id }, commentId, ENGLISH, now);
    page = `/consultations/${consultationId}`;
    pass = `/tell-the-dsl/consultation-comments/${commentId}`;
  });
  afterAll(async () => t?.close());

  it('offers the link beside the comment to those who read every comment, and quotes it with its English version', async () => {
    expect((await byrne.get(page)).body).toContain(`href="${pass}"`);
    expect((await patel.get(page)).body).toContain(`href="${pass}"`);
    // Mr Okafor reads only his own comments on the page, and may not open the form.
    expect((await okafor.get(page)).body).not.toContain(pass);
    expect((await okafor.get(pass)).statusCode).toBe(404);
    const form = await byrne.get(pass);
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('po szkole Kuba jest sam w domu');
    expect(form.body).toContain('In English: A phone is needed because after school Kuba is alone at home');
    expect(form.body).toContain('<bdi>Marta Nowak</bdi>, in a comment on a policy the school consulted families about');
  });

  it('sends the DSL the words, who wrote them and where; the writer’s page says when, a colleague’s still offers the link', async () => {
    const form = await byrne.get(pass);
    const formId = /name="form_id" value="([^"]+)"/.exec(form.body)![1]!;
    const sent = await byrne.post(pass, { form_id: formId, pupil: t.fx.pupils.kuba, what: 'Kuba may be alone at home after school.', ...DAY });
    expect(sent.statusCode).toBe(303);
    const reportId = String(sent.headers.location).split('passed=')[1]!;
    const dsl = await t.as('staff', t.fx.staff.dsl);
    const report = (await dsl.get(`/tell-the-dsl/${reportId}`)).body;
    expect(report).toContain('po szkole Kuba jest sam w domu');
    expect(report).toContain('A comment on a policy the school consulted families about');
    expect(report).toContain(`href="/consultations/${consultationId}#comment-${commentId}"`);
    expect((await byrne.get(page)).body).toMatch(/You passed this to the DSL on [^<]+<span class="govuk-visually-hidden">: the comment from <bdi>Marta Nowak<\/bdi>/);
    expect((await patel.get(page)).body).toContain(`href="${pass}"`);
  });

  it('says the words are gone once Marta withdraws her comment, and keeps what was typed', async () => {
    const form = await patel.get(pass);
    const formId = /name="form_id" value="([^"]+)"/.exec(form.body)![1]!;
    const consultation = await t.db.selectFrom('consultations').selectAll().where('id', '=', consultationId).executeTakeFirstOrThrow();
    await withdrawComment(t.db, t.fx.carers.marta, consultation, commentId, new Date().toISOString().slice(0, 10), new Date());
    expect((await patel.get(pass)).statusCode).toBe(404);
    const sent = await patel.post(pass, { form_id: formId, pupil: t.fx.pupils.kuba, what: 'Alone at home after school, Marta wrote.', ...DAY });
    expect(sent.statusCode).toBe(400);
    expect(sent.body).toContain('The words are no longer there to quote');
    expect(sent.body).toContain('Alone at home after school, Marta wrote.');
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dialects } from '../../../test/support/db.ts';
import { startTestApp, type Client, type TestApp } from '../../../test/support/app.ts';
import { addQuestion, createSurvey } from './commands.ts';
import { openSurvey } from './invite.ts';

/**
 * "Pass this to the DSL" beside what families wrote in a survey: a parent can write about home in a
 * survey's box. It is offered where the words are shown (results and the answers pages), by the same
 * rules: in an anonymous survey only to the head. The person passing it on never learns who wrote it;
 * in a named survey the DSL does, in an anonymous one nobody does.
 */
const WORDS = 'My son is scared to go home when his stepdad has been drinking.';
const DAY = { 'happened_on-day': '1', 'happened_on-month': '12', 'happened_on-year': '2026' };

describe.each(dialects)('passing a survey answer to the DSL, on %s', (dialect) => {
  let t: TestApp;
  let patel: Client;
  let byrne: Client;
  let okafor: Client;
  const made: Record<'named' | 'anonymous', { id: string; question: string; answer: string }> = {} as never;

  beforeAll(async () => {
    t = await startTestApp(dialect);
    const fx = t.fx;
    [patel, byrne, okafor] = (await Promise.all([fx.staff.head, fx.staff.office, fx.staff.teacher].map((id) => t.as('staff', id)))) as [Client, Client, Client];
    const head = { kind: 'staff' as const, id: fx.staff.head, schoolId: fx.school.id };
    const today = new Date().toISOString().slice(0, 10);
    for (const kind of ['named', 'anonymous'] as const) {
      const id = await createSurvey(
        t.db,
        head,
        fx.school.id,
        { title: `A ${kind} survey`, intro: '', anonymous: kind === 'anonymous', audience: { kind: 'carers', audience: { kind: 'school' } }, template: null, baselineId: null },
        new Date(),
      );
      const question = await addQuestion(t.db, head, fx.school.id, id, { section: '', kind: 'long_text', text: 'Anything else?', options: [], required: false }, new Date());
      await openSurvey(t.db, head, fx.school.id, id, { baseUrl: 'http://gatepost.test', schoolName: 'Brookfield', today, now: new Date() });
      // Marta's invitation answers first (in the named survey she is known); nine more families by paper.
      const marta = await t.db.selectFrom('survey_invitations').select('id').where('survey_id', '=', id).where('carer_id', '=', fx.carers.marta).executeTakeFirstOrThrow();
      let answer = '';
      for (let i = 0; i < 10; i++) {
        const response = crypto.randomUUID();
        const invitation = kind === 'named' && i === 0 ? marta.id : null;
        await t.db.insertInto('survey_responses').values({ id: response, school_id: fx.school.id, survey_id: id, invitation_id: invitation, via: 'paper', submitted_on: today }).execute();
        const answerId = crypto.randomUUID();
        const value = i === 0 ? WORDS : `More clubs after school, please (${i})`;
        await t.db.insertInto('survey_answers').values({ id: answerId, school_id: fx.school.id, survey_id: id, response_id: response, question_id: question, value }).execute();
        if (i === 0) answer = answerId;
      }
      made[kind] = { id, question, answer };
    }
  });
  afterAll(async () => t?.close());

  const pass = (kind: 'named' | 'anonymous') => `/tell-the-dsl/survey-answers/${made[kind].answer}`;

  it('offers the link beside the words on the results and answers pages, to whoever may read them there', async () => {
    for (const page of [`/surveys/${made.named.id}/results`, `/surveys/${made.named.id}/answers/${made.named.question}`]) {
      const body = (await byrne.get(page)).body;
      expect(body, page).toContain(WORDS);
      expect(body, page).toContain(`href="${pass('named')}"`);
    }
    // Anonymous: the head reads what people wrote, and may pass it on; the office sees neither.
    expect((await patel.get(`/surveys/${made.anonymous.id}/results`)).body).toContain(`href="${pass('anonymous')}"`);
    const office = (await byrne.get(`/surveys/${made.anonymous.id}/results`)).body;
    expect(office).not.toContain(WORDS);
    expect(office).not.toContain(pass('anonymous'));
    expect((await byrne.get(pass('anonymous'))).statusCode).toBe(404);
    // A teacher does not read survey results at all.
    expect((await okafor.get(pass('named'))).statusCode).toBe(404);
  });

  it('quotes the words without saying who wrote them, to the person passing them on', async () => {
    const form = (await byrne.get(pass('named'))).body;
    expect(form).toContain('scared to go home');
    expect(form).toContain('<bdi>A parent or carer</bdi>, in an answer to a survey');
    expect(form).not.toContain('Marta');
  });

  it('tells the DSL who wrote it in a named survey, and nobody in an anonymous one', async () => {
    const dsl = await t.as('staff', t.fx.staff.dsl);
    const reportOf = async (client: Client, kind: 'named' | 'anonymous') => {
      const form = (await client.get(pass(kind))).body;
      const formId = /name="form_id" value="([^"]+)"/.exec(form)![1]!;
      const sent = await client.post(pass(kind), { form_id: formId, pupil: 'someone-else', other_name: 'A boy whose family answered', what: '', ...DAY });
      expect(sent.statusCode).toBe(303);
      return (await dsl.get(`/tell-the-dsl/${String(sent.headers.location).split('passed=')[1]}`)).body;
    };
    const named = await reportOf(byrne, 'named');
    expect(named).toContain('scared to go home');
    expect(named).toContain('written by <bdi>Marta Nowak</bdi> (parent or carer)');
    expect(named).toContain(`href="/surveys/${made.named.id}/answers/${made.named.question}"`);
    const anonymous = await reportOf(patel, 'anonymous');
    expect(anonymous).toContain('scared to go home');
    expect(anonymous).toContain('written by <bdi>A parent or carer</bdi> (parent or carer)');
    expect(anonymous).not.toContain('Marta');
    // The one who passed it on sees when, instead of the link; a colleague still sees the link.
    expect((await byrne.get(`/surveys/${made.named.id}/results`)).body).toContain('You passed this to the DSL on');
    expect((await patel.get(`/surveys/${made.named.id}/results`)).body).toContain(`href="${pass('named')}"`);
  });
});

import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dialects, ownTables } from '../../../test/support/db.ts';
import { startTestApp, type TestApp } from '../../../test/support/app.ts';
import { planWithoutStatistics } from '../../db/query-plan.ts';
import { answerCountsAt, responseBreakdowns, responseTotals, surveysOfCarer, surveysOfCarerStatement, textsOf } from './queries.ts';

const NOW = new Date('2026-11-26T10:00:00.000Z');

/** Journey 9's survey side, through the routes: build, translate, send, answer by link, remind, results. */
describe.each(dialects)('surveys, end to end, on %s', (dialect) => {
  let t: TestApp;
  let surveyId: string;
  beforeAll(async () => {
    t = await startTestApp(dialect, { clock: () => NOW });
  });
  afterAll(async () => t?.close());

  const invitationOf = (carerId: string) => t.db.selectFrom('survey_invitations').selectAll().where('survey_id', '=', surveyId).where('carer_id', '=', carerId).executeTakeFirst();
  const idFrom = (location: string | undefined) => /surveys\/([^/?]+)/.exec(location ?? '')![1]!;

  it('the head starts a parent survey from the partnership set; bad input keeps what was typed', async () => {
    const head = await t.as('staff', t.fx.staff.head);
    const bad = await head.post('/surveys', { title: '', intro: 'Tell us', template: 'partnership_parents', anonymous: 'yes', audience_kind: 'years' });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('Enter a title');
    expect(bad.body).toContain('Tell us');
    const noYears = await head.post('/surveys', { title: 'Years', template: 'partnership_parents', anonymous: 'yes', audience_kind: 'years' });
    expect(noYears.body).toContain('Select at least one year group');
    const wrong = await head.post('/surveys', { title: 'Staff?', template: 'partnership_staff', anonymous: 'yes', audience_kind: 'school' });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.body).toContain('This template is for staff');

    const made = await head.post('/surveys', { title: 'Working together: September', intro: 'Tell us', template: 'partnership_parents', anonymous: 'yes', audience_kind: 'school' });
    expect(made.statusCode).toBe(303);
    surveyId = idFrom(made.headers.location);
    const page = await head.get(`/surveys/${surveyId}`);
    expect(page.body).toContain('Teaching staff build positive relationships with parents.');
    // Who it asks, in the messages feature's words, with no stray capital after the label.
    expect(page.body).toContain('Families: the whole school');
    expect(page.body).not.toContain('Families: The whole school');
    const questions = await t.db.selectFrom('survey_questions').select(['template_question']).where('survey_id', '=', surveyId).execute();
    expect(questions.map((q) => q.template_question)).toContain('partnership.positive_relationships');

    const noChoices = await head.post(`/surveys/${surveyId}/questions`, { section: 'Clubs', kind: 'single', text: 'Which club?', options: 'Chess' });
    expect(noChoices.statusCode).toBe(400);
    expect(noChoices.body).toContain('Enter at least two choices');
    expect(noChoices.body).toContain('Which club?');
    const added = await head.post(`/surveys/${surveyId}/questions`, { section: 'Clubs', kind: 'single', text: 'Which club would your child join?', options: 'Chess\nFootball\nChoir' });
    expect(added.statusCode).toBe(303);

    const preview = await head.get(`/surveys/${surveyId}/preview`);
    expect(preview.statusCode).toBe(200);
    expect(preview.body).toContain('gp-phone');
    expect(preview.body).toContain('Strongly disagree');
    expect(preview.body).toContain('Football');
  });

  it('a Polish translation written by one person is checked by another, not by its writer', async () => {
    const page = await (await t.as('staff', t.fx.staff.office)).get(`/surveys/${surveyId}/translations/Polish`);
    expect(page.statusCode).toBe(200);
    const questions = await t.db.selectFrom('survey_questions').select(['id', 'options_json']).where('survey_id', '=', surveyId).execute();
    const form: Record<string, string> = {};
    for (const q of questions) {
      form[`text_${q.id}`] = `Pytanie ${q.id.slice(-4)}`;
      const options = JSON.parse(q.options_json) as string[];
      if (options.length) form[`options_${q.id}`] = options.map((o) => `PL ${o}`).join('\n');
    }
    const office = await t.as('staff', t.fx.staff.office);
    const missing = await office.post(`/surveys/${surveyId}/translations/Polish`, { ...form, [`text_${questions[0]!.id}`]: '' });
    expect(missing.statusCode).toBe(400);
    expect(missing.body).toContain('Enter question 1 in Polish');
    expect((await office.post(`/surveys/${surveyId}/translations/Polish`, form)).statusCode).toBe(303);
    const own = await office.post(`/surveys/${surveyId}/translations/Polish/check`, {});
    expect(own.statusCode).toBe(400);
    expect(own.body).toContain('someone else must check it');
    const checked = await (await t.as('staff', t.fx.staff.family_liaison)).post(`/surveys/${surveyId}/translations/Polish/check`, {});
    expect(checked.statusCode).toBe(303);
    const rows = await t.db.selectFrom('survey_question_translations').select('status').where('survey_id', '=', surveyId).execute();
    expect(rows.every((r) => r.status === 'checked')).toBe(true);
  });

  it('sending invites every carer with a link (both of Kuba’s parents), never a restricted one, through the outbox', async () => {
    const head = await t.as('staff', t.fx.staff.head);
    expect((await head.post(`/surveys/${surveyId}/send`, {})).statusCode).toBe(303);
    expect((await head.post(`/surveys/${surveyId}/send`, {})).statusCode).toBe(409); // a double click sends once
    const invited = await t.db.selectFrom('survey_invitations').select(['carer_id', 'channels']).where('survey_id', '=', surveyId).execute();
    const ids = invited.map((i) => i.carer_id);
    expect(ids).toEqual(expect.arrayContaining([t.fx.carers.marta, t.fx.carers.tomasz, t.fx.carers.sarah, t.fx.carers.grace, t.fx.carers.faduma]));
    expect(ids).not.toContain(t.fx.carers.mark); // a restriction stops information
    expect(new Set(ids).size).toBe(ids.length); // one each
    const mail = await t.db.selectFrom('outbox').select(['payload_json']).where('recipient', '=', 'marta@families.test').execute();
    const letter = mail.map((m) => JSON.parse(m.payload_json) as { subject: string; text: string }).find((m) => m.subject.includes('Working together'))!;
    expect(letter.text).toContain('/s/');
    expect(letter.subject).toContain('krótka ankieta'); // in Marta's language
    // Anonymity is fixed once sent.
    expect((await head.post(`/surveys/${surveyId}/anonymity`, { anonymous: 'no' })).statusCode).toBe(409);
  });

  it('finds a carer’s surveys by the carer, not by reading every invitation of every survey (her surveys page)', async () => {
    // A school that began empty: no statistics about invitations (SQLite gathers none unless asked).
    const plan = (await planWithoutStatistics(t.db, surveysOfCarerStatement(t.db, t.fx.carers.marta).compile())).join('\n');
    expect(plan).toMatch(/survey_invitations_carer/);
    expect(plan).not.toMatch(/SCAN survey_invitations|Seq Scan on survey_invitations/);
    expect((await surveysOfCarer(t.db, t.fx.carers.marta)).map((s) => [s.title, s.answered_on])).toEqual([['Working together: September', null]]);
    expect(await surveysOfCarer(t.db, t.fx.carers.mark)).toEqual([]); // a restriction stops information: never invited
  });

  it('Marta answers through her link in Polish without signing in; required questions get an error beside them; a second submit stores nothing', async () => {
    const invitation = (await invitationOf(t.fx.carers.marta))!;
    const anon = t.anonymous();
    const page = await anon.get(`/s/${invitation.token}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('lang="pl"');
    expect(page.body).toContain('Zdecydowanie się zgadzam');
    const questions = await t.db.selectFrom('survey_questions').select(['id', 'kind', 'required']).where('survey_id', '=', surveyId).orderBy('position').execute();
    const first = questions[0]!;
    const missing = await anon.post(`/s/${invitation.token}`, { [`q_${questions.find((q) => q.kind === 'long_text')!.id}`]: 'More evening meetings please' });
    expect(missing.statusCode).toBe(400);
    expect(missing.body).toContain('Proszę odpowiedzieć na to pytanie');
    expect(missing.body).toContain(`href="#q_${first.id}"`);
    expect(missing.body).toContain('More evening meetings please');
    const form: Record<string, string | string[]> = {};
    for (const q of questions) {
      if (q.kind === 'agree') form[`q_${q.id}`] = 'agree';
      if (q.kind === 'multiple') form[`q_${q.id}`] = ['0', '4'];
      if (q.kind === 'single') form[`q_${q.id}`] = '1';
    }
    // The longest answer allowed, in Polish (more bytes than characters), with no repetition to compress:
    // kept whole on both databases (an index on the answer itself once refused it on PostgreSQL).
    const longText = questions.find((q) => q.kind === 'long_text')!;
    let seed = 7;
    const letters = 'aąbcćdeęfghijklłmnńoóprsśtuwyzźż';
    const words = Array.from({ length: 4000 }, (_, i) => (i % 7 === 6 ? ' ' : letters[(seed = (seed * 48271) % 2147483647) % letters.length])).join('');
    form[`q_${longText.id}`] = words.slice(0, 4000);
    const sent = await anon.post(`/s/${invitation.token}`, form);
    expect(sent.statusCode).toBe(303);
    const stored = await t.db.selectFrom('survey_answers').select('value').where('survey_id', '=', surveyId).where('question_id', '=', longText.id).executeTakeFirstOrThrow();
    expect(stored.value).toBe(words.slice(0, 4000).trim());
    expect((await anon.get(`/s/${invitation.token}`)).body).toContain('Dziękujemy');
    const again = await anon.post(`/s/${invitation.token}`, form);
    expect(again.statusCode).toBe(409);
    const responses = await t.db.selectFrom('survey_responses').select('id').where('survey_id', '=', surveyId).execute();
    expect(responses).toHaveLength(1);
  });

  it('anonymous: no table, column or audit entry ties Marta (or her invitation and token) to what she answered', async () => {
    const invitation = (await invitationOf(t.fx.carers.marta))!;
    const response = await t.db.selectFrom('survey_responses').selectAll().where('survey_id', '=', surveyId).executeTakeFirstOrThrow();
    expect(response.invitation_id).toBeNull();
    expect(response.submitted_on).toMatch(/^\d{4}-\d{2}-\d{2}$/); // a date, never a time
    const answerIds = (await t.db.selectFrom('survey_answers').select('id').where('response_id', '=', response.id).execute()).map((a) => a.id);
    const whatSheAnswered = [response.id, ...answerIds];
    const whoSheIs = [t.fx.carers.marta, invitation.id, invitation.token, 'Marta', 'marta@families.test'];
    const problems: string[] = [];
    for (const table of await ownTables(t.db)) {
      const rows = (await sql<Record<string, unknown>>`select * from ${sql.table(table)}`.execute(t.db)).rows;
      for (const row of rows) {
        const text = JSON.stringify(row);
        const names = whoSheIs.filter((w) => text.includes(w));
        const answers = whatSheAnswered.filter((w) => text.includes(w));
        if (names.length && answers.length) problems.push(`${table}: ${text.slice(0, 200)}`);
        // What she answered is only in the answer tables.
        if (answers.length && !['survey_responses', 'survey_answers'].includes(table)) problems.push(`${table} names the response: ${text.slice(0, 200)}`);
      }
    }
    expect(problems).toEqual([]);
    // Random ids, not time-ordered (UUIDv7 carries the time in its first characters).
    expect(response.id[14]).toBe('4');
  });

  it('reminders go to those who have not answered, at most twice', async () => {
    const head = await t.as('staff', t.fx.staff.head);
    // By id, not by position: rows come back in no set order (on PostgreSQL a row the outbox worker updates moves).
    const before = new Set((await t.db.selectFrom('outbox').select('id').execute()).map((r) => r.id));
    expect((await head.post(`/surveys/${surveyId}/remind`, {})).statusCode).toBe(303);
    const after = await t.db.selectFrom('outbox').select(['id', 'recipient']).execute();
    const reminders = after.filter((r) => !before.has(r.id)).map((r) => r.recipient);
    expect(reminders).toContain('tomasz@families.test');
    expect(reminders).not.toContain('marta@families.test');
    expect((await head.post(`/surveys/${surveyId}/remind`, {})).statusCode).toBe(303);
    const third = await head.post(`/surveys/${surveyId}/remind`, {});
    expect(third.statusCode).toBe(409);
    expect(third.body).toContain('2 times already');
  });

  it('the office keys in a paper form (marked as such) and ticks off who returned one, separately', async () => {
    const office = await t.as('staff', t.fx.staff.office);
    const faduma = (await invitationOf(t.fx.carers.faduma))!;
    const page = await office.get(`/surveys/${surveyId}/paper`);
    expect(page.body).toContain('Faduma Warsame (paper)');
    expect((await office.post(`/surveys/${surveyId}/returned`, { returned: faduma.id, via: 'paper' })).statusCode).toBe(303);
    const questions = await t.db.selectFrom('survey_questions').select(['id', 'kind']).where('survey_id', '=', surveyId).execute();
    const form: Record<string, string> = { via: 'paper' };
    for (const q of questions) if (q.kind === 'agree') form[`q_${q.id}`] = 'strongly_agree';
    const bad = await office.post(`/surveys/${surveyId}/paper`, { ...form, via: '' });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('Select whether the answers came on paper or by phone');
    expect((await office.post(`/surveys/${surveyId}/paper`, form)).statusCode).toBe(303);
    const vias = await t.db.selectFrom('survey_responses').select('via').where('survey_id', '=', surveyId).execute();
    expect(vias.map((v) => v.via).sort()).toEqual(['online', 'paper']);
    expect((await invitationOf(t.fx.carers.faduma))!.answered_via).toBe('paper');
  });

  it('results: with fewer than 10 answers no figure is shown; staff see no one’s answers; response rate by group is there', async () => {
    const governor = await t.as('staff', t.fx.staff.governor);
    const page = await governor.get(`/surveys/${surveyId}/results`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('no figures are shown yet');
    expect(page.body).not.toContain('% agree');
    expect(page.body).toContain('Paper-only families');
    expect(page.body).toContain('Read nothing last term');
    // Nobody here was sent a message in the term before, so nobody "read nothing": that side of the
    // split is still listed, saying no one is in it, rather than silently missing.
    const readTable = page.body.slice(page.body.indexOf('aria-label="Read nothing last term"')).split('</table>')[0]!;
    const readRow = (label: string) => readTable.split('<tr class="govuk-table__row">').find((r) => r.includes(label)) ?? '';
    expect(readRow('Read none of last term’s messages')).toContain('No one in this group');
    expect(readRow('Read something, or were sent nothing')).toContain('Not shown: fewer than 10 answers in the whole survey');
    // The same for families reached on paper only: here, none.
    const paperTable = page.body.slice(page.body.indexOf('aria-label="Paper-only families"')).split('</table>')[0]!;
    expect(paperTable).toContain('Reached on paper only');
    expect(page.body).not.toContain('More evening meetings');
    // A carer never reaches the staff pages.
    const marta = await t.as('carer', t.fx.carers.marta);
    expect((await marta.get(`/surveys/${surveyId}/results`)).statusCode).toBe(404);
    expect((await marta.get('/s/not-a-real-token')).statusCode).toBe(404);
    const mine = await marta.get('/my-surveys');
    expect(mine.body).toContain('Working together: September');
    expect(mine.body).toContain('Answered');
  });

  it('results are counted in the database for all questions at once, and counted afresh when one more person answers', async () => {
    const survey = await t.db.selectFrom('surveys').selectAll().where('id', '=', surveyId).executeTakeFirstOrThrow();
    const answers = await t.db.selectFrom('survey_answers').select(['question_id', 'value', 'response_id']).where('survey_id', '=', surveyId).execute();
    const byHand = new Map<string, Map<string, number>>();
    for (const a of answers) byHand.set(a.question_id, new Map(byHand.get(a.question_id) ?? []).set(a.value, (byHand.get(a.question_id)?.get(a.value) ?? 0) + 1));
    const totals = await responseTotals(t.db, survey.school_id, surveyId);
    expect(await answerCountsAt(t.db, survey.school_id, surveyId, totals.responses)).toEqual(byHand);
    // One more response (with a free-text answer): the kept counts are not used for the new number.
    const text = (await t.db.selectFrom('survey_questions').select('id').where('survey_id', '=', surveyId).where('kind', '=', 'long_text').executeTakeFirstOrThrow()).id;
    const responseId = crypto.randomUUID();
    await t.db.insertInto('survey_responses').values({ id: responseId, school_id: survey.school_id, survey_id: surveyId, invitation_id: null, via: 'online', submitted_on: '2026-11-26' }).execute();
    await t.db.insertInto('survey_answers').values({ id: crypto.randomUUID(), school_id: survey.school_id, survey_id: surveyId, response_id: responseId, question_id: text, value: 'Clubs' }).execute();
    const after = await responseTotals(t.db, survey.school_id, surveyId);
    expect(after.responses).toBe(totals.responses + 1);
    expect(textsOf((await answerCountsAt(t.db, survey.school_id, surveyId, after.responses)).get(text))).toContain('Clubs');
    // Response rates by group add up to who was asked and who answered.
    const breakdowns = await responseBreakdowns(t.db, survey, after);
    expect(breakdowns).toHaveLength(6);
    for (const b of breakdowns) {
      expect(b.groups.reduce((n, g) => n + g.invited, 0)).toBe(after.invited);
      expect(b.groups.reduce((n, g) => n + g.answered, 0)).toBe(after.answered);
    }
  });
});

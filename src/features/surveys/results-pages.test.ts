import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dialects } from '../../../test/support/db.ts';
import { startTestApp, type TestApp } from '../../../test/support/app.ts';
import { carersWhoReadNothing } from '../messages/index.ts';
import { messageReceived } from '../messages/not-reached-test-data.ts';
import { addQuestion, closeSurvey, createSurvey } from './commands.ts';
import { openSurvey } from './invite.ts';
import { responseBreakdowns, responseTotals, surveyAndTotals, surveyOf } from './queries.ts';

/**
 * The results page for a large survey: response rates by group always as the pupils are now (a SEND,
 * EAL or year change shows on the next page), and free text read 50 a page under the anonymity rules.
 */
describe.each(dialects)('survey results pages, on %s', (dialect) => {
  let t: TestApp;
  let anonymous: { id: string; text: string; agree: string };
  let named: { id: string; text: string; agree: string };
  beforeAll(async () => {
    t = await startTestApp(dialect);
    // Sarah had read nothing of last term's messages when the surveys went out; Grace had read hers.
    await messageReceived(t.db, t.fx, t.fx.school.id, t.fx.carers.sarah, { days: 10 });
    await messageReceived(t.db, t.fx, t.fx.school.id, t.fx.carers.grace, { days: 10, readDaysAgo: 9 });
    anonymous = await survey('Big anonymous survey', true);
    named = await survey('Named survey', false);
  });
  afterAll(async () => t?.close());

  const head = () => ({ kind: 'staff' as const, id: t.fx.staff.head, schoolId: t.fx.school.id });
  async function survey(title: string, isAnonymous: boolean) {
    const school = t.fx.school.id;
    const id = await createSurvey(
      t.db,
      head(),
      school,
      { title, intro: '', anonymous: isAnonymous, audience: { kind: 'carers', audience: { kind: 'school' } }, template: null, baselineId: null },
      new Date(),
    );
    const agree = await addQuestion(t.db, head(), school, id, { section: '', kind: 'agree', text: 'We listen.', options: [], required: false }, new Date());
    const text = await addQuestion(t.db, head(), school, id, { section: '', kind: 'long_text', text: 'What could we do better?', options: [], required: false }, new Date());
    await openSurvey(t.db, head(), school, id, { baseUrl: 'http://gatepost.test', schoolName: 'Brookfield', today: new Date().toISOString().slice(0, 10), now: new Date() });
    return { id, text, agree };
  }
  /** Responses keyed straight into the tables (as the office's paper forms would be), each with a few words. */
  async function answer(surveyId: string, questions: { text: string; agree: string }, texts: string[]) {
    for (const words of texts) {
      const responseId = crypto.randomUUID();
      const base = { school_id: t.fx.school.id, survey_id: surveyId, response_id: responseId };
      await t.db.insertInto('survey_responses').values({ id: responseId, school_id: t.fx.school.id, survey_id: surveyId, invitation_id: null, via: 'paper', submitted_on: '2026-12-01' }).execute();
      await t.db
        .insertInto('survey_answers')
        .values([
          { ...base, id: crypto.randomUUID(), question_id: questions.agree, value: 'agree' },
          { ...base, id: crypto.randomUUID(), question_id: questions.text, value: words },
        ])
        .execute();
    }
  }
  const group = async (surveyId: string, breakdown: string, key: string) => {
    const s = (await surveyOf(t.db, t.fx.school.id, surveyId))!;
    const b = await responseBreakdowns(t.db, s, await responseTotals(t.db, s.school_id, s.id));
    return b.find((x) => x.name === breakdown)!.groups.find((g) => g.key === key)?.invited ?? 0;
  };

  it('a pupil’s SEND, EAL or year shows in the response rates at once, not a minute later', async () => {
    const send = await group(anonymous.id, 'Special educational needs (SEND)', 'yes');
    const eal = await group(anonymous.id, 'English as an additional language (EAL)', 'yes');
    const year5 = await group(anonymous.id, 'Year group (youngest child)', '5');
    expect(year5).toBe(0);
    // Lily (Sarah's and Mark's daughter) is found to need SEN support, and her home language is recorded; she moves up to Year 5.
    await t.db.updateTable('pupils').set({ send_status: 'sen_support', eal: 1, year_group: '5' }).where('id', '=', t.fx.pupils.lily).execute();
    expect(await group(anonymous.id, 'Special educational needs (SEND)', 'yes')).toBeGreaterThan(send);
    expect(await group(anonymous.id, 'English as an additional language (EAL)', 'yes')).toBeGreaterThan(eal);
    expect(await group(anonymous.id, 'Year group (youngest child)', '5')).toBeGreaterThan(0);
    await t.db.updateTable('pupils').set({ send_status: 'none', eal: 0, year_group: '3' }).where('id', '=', t.fx.pupils.lily).execute();
    expect(await group(anonymous.id, 'Special educational needs (SEND)', 'yes')).toBe(send);
  });

  it('“read nothing last term” is as things stood when the survey went out: a later read does not move a family', async () => {
    const s = (await surveyOf(t.db, t.fx.school.id, anonymous.id))!;
    const opened = new Date(s.opened_at!);
    const term = new Date(opened.getTime() - 14 * 7 * 86_400_000).toISOString();
    const before = await carersWhoReadNothing(t.db, s.school_id, [t.fx.carers.sarah, t.fx.carers.grace], term, opened.toISOString());
    expect([...before]).toEqual([t.fx.carers.sarah]);
    const readNothing = await group(anonymous.id, 'Read nothing last term', 'yes');
    expect(readNothing).toBeGreaterThanOrEqual(1);
    // Sarah opens last term's message after the survey went out.
    await t.db
      .updateTable('message_recipients')
      .set({ read_at: new Date(opened.getTime() + 60_000).toISOString() })
      .where('carer_id', '=', t.fx.carers.sarah)
      .execute();
    expect([...(await carersWhoReadNothing(t.db, s.school_id, [t.fx.carers.sarah, t.fx.carers.grace], term, opened.toISOString()))]).toEqual([t.fx.carers.sarah]);
    expect(await group(anonymous.id, 'Read nothing last term', 'yes')).toBe(readNothing);
  });

  it('a closed survey’s totals count an answer stored just after it closed, and stay as they were once it has settled', async () => {
    const s = await survey('Closed survey', true);
    await answer(s.id, s, ['One', 'Two', 'Three']);
    const closedAt = new Date();
    await closeSurvey(t.db, head(), t.fx.school.id, s.id, closedAt);
    const at = (seconds: number) => new Date(closedAt.getTime() + seconds * 1000);
    expect((await surveyAndTotals(t.db, t.fx.school.id, s.id, at(10)))!.totals.responses).toBe(3);
    // An answer begun before the survey closed is stored a moment after.
    await answer(s.id, s, ['Four']);
    expect((await surveyAndTotals(t.db, t.fx.school.id, s.id, at(20)))!.totals.responses).toBe(4);
    const settled = await surveyAndTotals(t.db, t.fx.school.id, s.id, at(120));
    expect(settled!.totals).toEqual(await responseTotals(t.db, t.fx.school.id, s.id));
    expect(settled!.survey.status).toBe('closed');
    expect(await surveyAndTotals(t.db, t.fx.school.id, s.id, at(600))).toEqual(settled);
    expect(await surveyAndTotals(t.db, 'another-school', s.id, at(600))).toBeUndefined();
  });

  it('thousands of free-text answers are read 50 a page, with a count, by the head alone in an anonymous survey', async () => {
    const words = Array.from({ length: 120 }, (_, i) => `Idea ${String(i + 1).padStart(3, '0')}`);
    await answer(anonymous.id, anonymous, words);
    const headClient = await t.as('staff', t.fx.staff.head);
    const results = await headClient.get(`/surveys/${anonymous.id}/results`);
    expect(results.statusCode).toBe(200);
    expect(results.body).toContain('120 people wrote something');
    expect(results.body).not.toContain('Idea 001');
    expect(results.body).toContain(`/surveys/${anonymous.id}/answers/${anonymous.text}`);

    const first = await headClient.get(`/surveys/${anonymous.id}/answers/${anonymous.text}`);
    expect(first.statusCode).toBe(200);
    expect(first.body).toContain('Showing 1 to 50 of 120');
    expect(first.body).toContain('Idea 001');
    expect(first.body).toContain('Idea 050');
    expect(first.body).not.toContain('Idea 051');
    expect(first.body).toContain('govuk-pagination');
    expect(first.body).toContain(`answers/${anonymous.text}?page=2`);
    const last = await headClient.get(`/surveys/${anonymous.id}/answers/${anonymous.text}?page=3`);
    expect(last.body).toContain('Showing 101 to 120 of 120');
    expect(last.body).toContain('Idea 120');
    expect(last.body).not.toContain('Idea 100');
    // A page that is not there is the nearest one, never an error.
    expect((await headClient.get(`/surveys/${anonymous.id}/answers/${anonymous.text}?page=abc`)).body).toContain('Showing 1 to 50');
    expect((await headClient.get(`/surveys/${anonymous.id}/answers/${anonymous.text}?page=99`)).body).toContain('Showing 101 to 120');
    // Only free-text questions of this survey have answers pages.
    expect((await headClient.get(`/surveys/${anonymous.id}/answers/${anonymous.agree}`)).statusCode).toBe(404);
    expect((await headClient.get(`/surveys/${anonymous.id}/answers/${named.text}`)).statusCode).toBe(404);

    // Anyone else who reads results sees the count, never the words.
    for (const who of [t.fx.staff.governor, t.fx.staff.office]) {
      const page = await (await t.as('staff', who)).get(`/surveys/${anonymous.id}/answers/${anonymous.text}`);
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain('120 people wrote something');
      expect(page.body).toContain('only the head teacher reads');
      expect(page.body).not.toContain('Idea 0');
    }
  });

  it('“% agree” and the chart each say what they are out of: those who gave a view, and everyone who answered', async () => {
    const s = await survey('Agree survey', true);
    const values = [...Array<string>(6).fill('agree'), 'strongly_agree', 'strongly_agree', 'disagree', 'disagree', 'dont_know', 'dont_know'];
    for (const value of values) {
      const responseId = crypto.randomUUID();
      await t.db.insertInto('survey_responses').values({ id: responseId, school_id: t.fx.school.id, survey_id: s.id, invitation_id: null, via: 'paper', submitted_on: '2026-12-01' }).execute();
      await t.db.insertInto('survey_answers').values({ id: crypto.randomUUID(), school_id: t.fx.school.id, survey_id: s.id, response_id: responseId, question_id: s.agree, value }).execute();
    }
    const page = (await (await t.as('staff', t.fx.staff.governor)).get(`/surveys/${s.id}/results`)).body;
    expect(page).toContain('<strong>80% agree</strong>: 8 of the 10 who gave a view, leaving out 2 who said “don’t know”');
    expect(page).toContain('Percentages out of all 12 who answered, “don’t know” included.');
    // The chart and its table: 6 of all 12 agreed (50%), not 6 of the 10 who gave a view.
    expect(page.replace(/\s+/g, ' ')).toMatch(/<th scope="row" class="govuk-table__header">Agree<\/th><td [^>]*>6<\/td><td [^>]*>50%<\/td>/);
    expect(page).toContain('We listen. (out of all 12 who answered, “don’t know” included): Strongly agree 17%, Agree 50%');
    // Who answered: the page says which groups it hides, and that a group nobody answered is not one of
    // them (results.test.ts: showRates draws such a group as 0%, and hides one with 1 to 4 answers).
    expect(page).toContain('A group with 1 to 4 answers is not shown, nor one that could be worked out from the others. A group where nobody answered is shown (0%): that gives nobody away.');
    expect(page).not.toContain('fewer than 5 answers is not shown');
  });

  it('fewer than 5 people wrote something: not even the head reads it in an anonymous survey; a named survey’s readers do', async () => {
    // Ten answers in each survey, four of them with words.
    const few = ['Clubs', 'Parking', 'Lunches', 'Homework'];
    const s = await survey('Small anonymous survey', true);
    await answer(s.id, s, few);
    await answer(named.id, named, few);
    for (const x of [s, named]) {
      for (let i = 0; i < 6; i++) {
        const responseId = crypto.randomUUID();
        await t.db.insertInto('survey_responses').values({ id: responseId, school_id: t.fx.school.id, survey_id: x.id, invitation_id: null, via: 'paper', submitted_on: '2026-12-01' }).execute();
      }
    }
    const headClient = await t.as('staff', t.fx.staff.head);
    const hidden = await headClient.get(`/surveys/${s.id}/answers/${s.text}`);
    expect(hidden.body).toContain('4 people wrote something');
    expect(hidden.body).toContain('Shown once at least 5 people have written something');
    expect(hidden.body).not.toContain('Parking');
    const shown = await (await t.as('staff', t.fx.staff.office)).get(`/surveys/${named.id}/answers/${named.text}`);
    expect(shown.body).toContain('Parking');
    expect(shown.body).not.toContain('govuk-pagination');
  });
});

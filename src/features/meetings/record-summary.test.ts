import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dialects } from '../../../test/support/db.ts';
import { startTestApp, type TestApp } from '../../../test/support/app.ts';
import { startFakeTranslate, type FakeTranslate } from '../../../test/support/fake-translate.ts';
import { insertMeeting, outboxSettled } from './record-test-data.ts';

const NOW = new Date('2026-11-23T10:00:00.000Z');

describe.each(dialects)('the thank-you and summary on %s', (dialect) => {
  let t: TestApp;
  let meetingId = '';
  beforeAll(async () => {
    t = await startTestApp(dialect, { clock: () => NOW });
    meetingId = await insertMeeting(t.db, t.fx, { pupilId: t.fx.pupils.kuba, leadId: t.fx.staff.teacher, carerIds: [t.fx.carers.marta, t.fx.carers.tomasz], startsAt: '2026-11-23T08:00:00.000Z' });
  });
  afterAll(async () => t?.close());

  const url = (path = '') => `/meetings/${meetingId}/record${path}`;
  const to = (address: string) => t.sink.messages.filter((m) => m.to.includes(address));
  const sends = () => t.db.selectFrom('audit_log').select(['after_json']).where('action', '=', 'meeting.summary_sent').where('entity_id', '=', meetingId).execute();

  it('will not send before the outcome is recorded', async () => {
    const teacher = await t.as('staff', t.fx.staff.teacher);
    const early = await teacher.post(url('/send-summary'));
    expect(early.statusCode).toBe(400);
    expect(early.body).toContain('Record the outcome of the meeting before sending the summary');
    expect(early.body).toContain('href="#send-summary"');
    expect((await t.db.selectFrom('meetings').select('summary_sent_at').where('id', '=', meetingId).executeTakeFirstOrThrow()).summary_sent_at).toBeNull();
  });

  it('sends each carer one email with thanks, the outcome, who does what by when, the follow-up and come back any time', async () => {
    const teacher = await t.as('staff', t.fx.staff.teacher);
    await teacher.post(url('/notes'), { body: 'Private working note: Dad seemed tired.' });
    await teacher.post(url('/actions'), { owner: `staff:${t.fx.staff.teacher}`, what: 'Set up a reading plan', due_on: '27/11/2026' });
    await teacher.post(url('/actions'), { owner: `carer:${t.fx.carers.marta}`, what: 'Read with Kuba three evenings a week', due_on: '11/12/2026' });
    await teacher.post(url('/outcome'), { outcome: 'Kuba will have a reading plan, and reads at home three evenings a week.', follow_up_on: '14/12/2026' });

    const page = await teacher.get(url());
    expect(page.body).toContain('What Marta Nowak will read');
    expect(page.body).toContain('by email to marta@families.test');

    // A double click: two posts, one email each.
    const [a, b] = await Promise.all([teacher.post(url('/send-summary')), teacher.post(url('/send-summary'))]);
    expect([a.statusCode, b.statusCode]).toEqual([303, 303]);
    expect([a.headers.location, b.headers.location].sort()).toEqual([url('?done=summary-sent'), url('?done=summary-unchanged')].sort());
    await outboxSettled(t.db);
    expect(to('marta@families.test')).toHaveLength(1);
    expect(to('tomasz@families.test')).toHaveLength(1);

    const marta = to('marta@families.test')[0]!;
    // Marta reads Polish: Gatepost's own words in Polish around what the school wrote, the English beneath.
    expect(marta.subject).toBe('Dziękujemy za spotkanie w sprawie: Jakub Nowak – co ustaliliśmy');
    expect(marta.text.startsWith('Dzień dobry, Marta Nowak,')).toBe(true);
    expect(marta.text).toContain('Co ustaliliśmy:\nKuba will have a reading plan');
    expect(marta.text).toContain('Co zrobi szkoła:\n- Set up a reading plan, do piątek, 27 listopada 2026 (Mr Okafor)');
    expect(marta.text).toContain('Wrócimy do tego poniedziałek, 14 grudnia 2026.');
    expect(marta.text.indexOf('Dear Marta Nowak,')).toBeGreaterThan(marta.text.indexOf('Po angielsku'));
    expect(marta.text).toContain('Thank you for meeting us on 23 November 2026 about Jakub Nowak');
    expect(marta.text).toContain('Kuba will have a reading plan, and reads at home three evenings a week.');
    expect(marta.text).toContain('What the school will do:\n- Set up a reading plan, by Friday 27 November 2026 (Mr Okafor)');
    expect(marta.text).toContain('What you will do:\n- Read with Kuba three evenings a week, by Friday 11 December 2026');
    expect(marta.text).toContain('We will follow this up on Monday 14 December 2026.');
    expect(marta.text).toContain('You can come back to us at any time');
    expect(marta.text).toContain(`http://gatepost.test/my-meetings/${meetingId}`);
    // No translation service here: what the school wrote stays in English, and nothing claims a machine translation.
    expect(marta.text).not.toContain('przetłumaczono maszynowo');
    expect(marta.text).not.toContain('Dad seemed tired'); // notes never go to families

    const tomasz = to('tomasz@families.test')[0]!;
    expect(tomasz.text).toContain('What Marta Nowak will do:\n- Read with Kuba');
    expect(tomasz.text).not.toContain('What you will do');

    const m = await t.db.selectFrom('meetings').select(['summary_sent_at', 'summary_version']).where('id', '=', meetingId).executeTakeFirstOrThrow();
    expect(m.summary_sent_at).toBe(NOW.toISOString());
    expect(m.summary_version).toMatch(/^[0-9a-f]{16}$/);
    const audited = await sends();
    expect(audited).toHaveLength(1);
    expect(JSON.parse(audited[0]!.after_json!).emailed.sort()).toEqual([t.fx.carers.marta, t.fx.carers.tomasz].sort());
    expect((await teacher.get(url('?done=summary-sent'))).body).toContain('The thank-you and summary have been sent.');
  });

  it('sends again only after something changed', async () => {
    const teacher = await t.as('staff', t.fx.staff.teacher);
    const same = await teacher.post(url('/send-summary'));
    expect(same.headers.location).toBe(url('?done=summary-unchanged'));
    expect((await teacher.get(same.headers.location as string)).body).toContain('Nothing has changed since the summary was sent');

    const plan = await t.db.selectFrom('meeting_actions').select('id').where('what', '=', 'Set up a reading plan').executeTakeFirstOrThrow();
    await teacher.post(url(`/actions/${plan.id}/done`));
    expect((await teacher.get(url())).body).toContain('The record has changed since');
    expect((await teacher.post(url('/send-summary'))).headers.location).toBe(url('?done=summary-sent'));
    await outboxSettled(t.db);
    expect(to('marta@families.test')).toHaveLength(2);
    expect(to('marta@families.test')[1]!.text).toContain('- Set up a reading plan, by Friday 27 November 2026 (done) (Mr Okafor)');
    expect(await sends()).toHaveLength(2);
  });

  it('shows the family on Gatepost which agreed actions are done and which dates have passed', async () => {
    const marta = await t.as('carer', t.fx.carers.marta);
    const cells = (page: string, what: string) => page.slice(page.indexOf(what), page.indexOf('</tr>', page.indexOf(what)));
    let page = (await marta.get(`/my-meetings/${meetingId}`)).body;
    expect(cells(page, 'Set up a reading plan')).toMatch(/27 November 2026\s*<strong class="govuk-tag govuk-tag--green">\s*Done\s*<\/strong>/);
    expect(cells(page, 'Read with Kuba')).not.toContain('Done');
    expect(page).not.toContain('this date has passed');
    await t.db.updateTable('meeting_actions').set({ due_on: '2026-11-20' }).where('what', '=', 'Read with Kuba three evenings a week').execute();
    page = (await marta.get(`/my-meetings/${meetingId}`)).body;
    expect(cells(page, 'Read with Kuba')).toContain('20 November 2026 (this date has passed)');
    const polish = (await (await t.as('carer', t.fx.carers.marta, undefined, { ownLanguage: true })).get(`/my-meetings/${meetingId}`)).body;
    expect(polish).toContain('Zrobione');
    expect(polish).toContain('(ten termin już minął)');
    await t.db.updateTable('meeting_actions').set({ due_on: '2026-12-11' }).where('what', '=', 'Read with Kuba three evenings a week').execute();
  });

  it('never sends a summary about Lily to her father, who is restricted from her; a carer with no email sees it on Gatepost', async () => {
    const lily = await insertMeeting(t.db, t.fx, { pupilId: t.fx.pupils.lily, leadId: t.fx.staff.teacher, carerIds: [t.fx.carers.sarah, t.fx.carers.mark], startsAt: '2026-11-23T08:00:00.000Z' });
    const head = await t.as('staff', t.fx.staff.head);
    const page = await head.get(`/meetings/${lily}/record`);
    expect(page.body).not.toContain('mark@families.test');
    await head.post(`/meetings/${lily}/record/outcome`, { outcome: 'Lily is settling well.' });
    expect((await head.post(`/meetings/${lily}/record/send-summary`)).statusCode).toBe(303);
    await outboxSettled(t.db);
    expect(to('sarah@families.test')).toHaveLength(1);
    expect(to('mark@families.test')).toHaveLength(0);

    const ayaan = await insertMeeting(t.db, t.fx, { pupilId: t.fx.pupils.ayaan, leadId: t.fx.staff.head, carerIds: [t.fx.carers.faduma], startsAt: '2026-11-23T08:00:00.000Z' });
    expect((await head.get(`/meetings/${ayaan}/record`)).body).toContain('<bdi>Faduma Warsame</bdi>: on Gatepost only (no email address)');
    await head.post(`/meetings/${ayaan}/record/outcome`, { outcome: 'Ayaan starts mornings in January.' });
    expect((await head.post(`/meetings/${ayaan}/record/send-summary`)).statusCode).toBe(303);
    expect((await t.db.selectFrom('meetings').select('summary_sent_at').where('id', '=', ayaan).executeTakeFirstOrThrow()).summary_sent_at).toBe(NOW.toISOString());

    // Grace has asked for no emails: she reads it on Gatepost.
    await t.db.updateTable('carers').set({ channel_email: 0 }).where('id', '=', t.fx.carers.grace).execute();
    const leo = await insertMeeting(t.db, t.fx, { pupilId: t.fx.pupils.leo, leadId: t.fx.staff.head, carerIds: [t.fx.carers.grace], startsAt: '2026-11-23T08:00:00.000Z' });
    expect((await head.get(`/meetings/${leo}/record`)).body).toContain('<bdi>Grace Mensah</bdi>: on Gatepost only (they have asked for no emails)');
    await head.post(`/meetings/${leo}/record/outcome`, { outcome: 'Leo’s plan is working.' });
    expect((await head.post(`/meetings/${leo}/record/send-summary`)).statusCode).toBe(303);
    await outboxSettled(t.db);
    expect(to('grace@families.test')).toHaveLength(0);
  });
});

describe.each(dialects)('the summary in the carer’s language on %s', (dialect) => {
  let t: TestApp;
  let translate: FakeTranslate;
  beforeAll(async () => {
    translate = await startFakeTranslate();
    t = await startTestApp(dialect, { clock: () => NOW, env: { TRANSLATE_URL: translate.url } });
  });
  afterAll(async () => {
    await t?.close();
    await translate?.close();
  });

  it('machine-translates what the school wrote for Marta, in Polish words, marked as such with the English below; Tomasz reads English', async () => {
    const id = await insertMeeting(t.db, t.fx, { pupilId: t.fx.pupils.ola, leadId: t.fx.staff.teacher3, carerIds: [t.fx.carers.marta, t.fx.carers.tomasz], startsAt: '2026-11-23T08:00:00.000Z' });
    const teacher = await t.as('staff', t.fx.staff.teacher3);
    await teacher.post(`/meetings/${id}/record/outcome`, { outcome: 'Ola is settling in well.' });
    expect((await teacher.post(`/meetings/${id}/record/send-summary`)).statusCode).toBe(303);
    await outboxSettled(t.db);
    const marta = await t.sink.waitFor('marta@families.test');
    expect(marta.text.startsWith('Dzień dobry, Marta Nowak,')).toBe(true);
    expect(marta.text).toContain('Co ustaliliśmy:\n[pl] Ola is settling in well.');
    expect(marta.text).toContain('przetłumaczono maszynowo: szkoła nie sprawdziła tego tłumaczenia');
    expect(marta.text).toContain('----------\nPo angielsku\n\nDear Marta Nowak,');
    const tomasz = await t.sink.waitFor('tomasz@families.test');
    expect(tomasz.text.startsWith('Dear Tomasz Nowak,')).toBe(true);
    expect(new Set(translate.requests.map((r) => r.target))).toEqual(new Set(['pl']));
  });

  it('keeps the school’s words in English inside the Polish email when the translation service fails', async () => {
    translate.failWith = 'model not loaded';
    const id = await insertMeeting(t.db, t.fx, { pupilId: t.fx.pupils.kuba, leadId: t.fx.staff.teacher, carerIds: [t.fx.carers.marta], startsAt: '2026-11-23T08:00:00.000Z' });
    const teacher = await t.as('staff', t.fx.staff.teacher);
    await teacher.post(`/meetings/${id}/record/outcome`, { outcome: 'Kuba is doing well.' });
    expect((await teacher.post(`/meetings/${id}/record/send-summary`)).statusCode).toBe(303);
    await outboxSettled(t.db);
    const latest = t.sink.messages.filter((m) => m.to.includes('marta@families.test')).pop()!;
    expect(latest.text).toContain('Kuba is doing well.');
    expect(latest.text.startsWith('Dzień dobry, Marta Nowak,')).toBe(true);
    expect(latest.text).not.toContain('przetłumaczono maszynowo');
  });
});

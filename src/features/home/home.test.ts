import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dialects } from '../../../test/support/db.ts';
import { startTestApp, type TestApp } from '../../../test/support/app.ts';
import { insertBooking, insertMeeting } from '../meetings/record-test-data.ts';
import { newId } from '../../platform/ids.ts';

// Monday 23 November 2026. Seven school days on: Wednesday 2 December.
const NOW = new Date('2026-11-23T10:00:00.000Z');

describe.each(dialects)('home pages: alerts, follow-ups and appointments on %s', (dialect) => {
  let t: TestApp;
  const m: Record<string, string> = {};
  beforeAll(async () => {
    t = await startTestApp(dialect, { clock: () => NOW });
    const fx = t.fx;
    const held = { pupilId: fx.pupils.kuba, leadId: fx.staff.teacher, carerIds: [fx.carers.marta], status: 'held' as const, startsAt: '2026-11-02T15:30:00.000Z' };
    m.overdue = await insertMeeting(t.db, fx, { ...held, topic: 'Behaviour at lunchtime', followUpOn: '2026-11-20' });
    m.due = await insertMeeting(t.db, fx, { ...held, topic: 'Spelling support', followUpOn: '2026-12-02' });
    m.later = await insertMeeting(t.db, fx, { ...held, topic: 'Swimming kit', followUpOn: '2026-12-03' });
    m.kept = await insertMeeting(t.db, fx, { ...held, topic: 'Homework club', followUpOn: '2026-11-18' });
    await t.db.updateTable('meetings').set({ follow_up_done_at: '2026-11-18T12:00:00.000Z' }).where('id', '=', m.kept).execute();
    m.cancelled = await insertMeeting(t.db, fx, { ...held, topic: 'Cancelled one', followUpOn: '2026-11-10', status: 'cancelled' });
    const action = (meetingId: string, staffId: string, what: string, due: string, done: string | null = null) => ({
      id: newId(),
      school_id: fx.school.id,
      meeting_id: meetingId,
      owner_kind: 'school' as const,
      staff_id: staffId,
      carer_id: null,
      what,
      due_on: due,
      done_at: done,
      created_at: '2026-11-02T16:00:00.000Z',
    });
    await t.db
      .insertInto('meeting_actions')
      .values([
        action(m.overdue, fx.staff.teacher2, 'Share the lunchtime plan with Year 4 staff', '2026-11-19'),
        action(m.overdue, fx.staff.teacher, 'Phone home about the new plan', '2026-11-25'),
        action(m.overdue, fx.staff.teacher, 'Already done thing', '2026-11-16', '2026-11-16T10:00:00.000Z'),
        action(m.overdue, fx.staff.teacher, 'Far-off thing', '2027-02-01'),
        action(m.cancelled, fx.staff.teacher, 'Action of a cancelled meeting', '2026-11-12'),
      ])
      .execute();
  });
  afterAll(async () => t?.close());

  it('shows Mr Okafor his follow-ups overdue and due within 7 school days, and nothing else', async () => {
    const home = (await (await t.as('staff', t.fx.staff.teacher)).get('/')).body;
    expect(home).toContain('Your follow-ups');
    expect(home).toContain('Follow-up: Behaviour at lunchtime');
    expect(home).toContain('was due 20 November 2026 (3 days ago)');
    expect(home).toContain('Follow-up: Spelling support');
    expect(home).toContain('Phone home about the new plan');
    expect(home).toContain(`href="/meetings/${m.overdue}/record"`);
    for (const absent of ['Swimming kit', 'Homework club', 'Cancelled one', 'Action of a cancelled meeting', 'Already done thing', 'Far-off thing', 'Share the lunchtime plan'])
      expect(home).not.toContain(absent);
    expect(home).not.toContain('Overdue follow-ups in the school');
    // Overdue first.
    expect(home.indexOf('Behaviour at lunchtime')).toBeLessThan(home.indexOf('Phone home about the new plan'));
  });

  it('says “due today” of a follow-up due today, not “due soon” with today’s date', async () => {
    const fx = t.fx;
    await insertMeeting(t.db, fx, {
      pupilId: fx.pupils.ola,
      leadId: fx.staff.teacher3,
      carerIds: [fx.carers.marta],
      status: 'held',
      startsAt: '2026-11-02T15:30:00.000Z',
      topic: 'Settling in after half term',
      followUpOn: '2026-11-23',
    });
    const home = (await (await t.as('staff', fx.staff.teacher3)).get('/')).body;
    const line = home.slice(home.lastIndexOf('<strong', home.indexOf('Follow-up: Settling in after half term')), home.indexOf('</li>', home.indexOf('Follow-up: Settling in after half term')));
    expect(line).toContain('Due today');
    expect(line).toMatch(/– <bdi>Aleksandra Nowak<\/bdi>, due today/);
    expect(line).not.toContain('Due soon');
    expect(line).not.toContain('23 November 2026');
  });

  it('points a governor to the complaints whose panel they sit on, the policies and the surveys (each of which they may open)', async () => {
    const governor = await t.as('staff', t.fx.staff.governor);
    const home = (await governor.get('/')).body;
    expect(home).toContain('For governors');
    expect(home).not.toContain('will appear here when they are ready');
    for (const href of ['/complaints', '/policies', '/surveys']) {
      expect(home).toContain(`<a class="govuk-link" href="${href}">`);
      expect((await governor.get(href)).statusCode).toBe(200);
    }
    // Not for other staff.
    expect((await (await t.as('staff', t.fx.staff.teacher)).get('/')).body).not.toContain('For governors');
  });

  it('shows Ms Hall the action she owns, and the head every overdue follow-up in the school with its owner', async () => {
    const hall = (await (await t.as('staff', t.fx.staff.teacher2)).get('/')).body;
    expect(hall).toContain('Share the lunchtime plan with Year 4 staff');
    expect(hall).not.toContain('Spelling support');

    const head = (await (await t.as('staff', t.fx.staff.head)).get('/')).body;
    const section = head.slice(head.indexOf('Overdue follow-ups in the school'));
    expect(section).toContain('Follow-up: Behaviour at lunchtime');
    expect(section).toMatch(/was due 20 November 2026 \(3 days ago\), <bdi>Mr Okafor<\/bdi>/);
    expect(section).toMatch(/Share the lunchtime plan with Year 4 staff<\/a>\s*– <bdi>Jakub Nowak<\/bdi>, was due 19 November 2026 \(4 days ago\), <bdi>Ms Hall<\/bdi>/);
    for (const absent of ['Spelling support', 'Phone home about the new plan', 'Cancelled one', 'Homework club']) expect(section).not.toContain(absent);
  });

  it('shows the DSL an alert until she opens the record it points to', async () => {
    const teacher = await t.as('staff', t.fx.staff.teacher);
    await teacher.post(`/meetings/${m.due}/record/notes`, { body: 'Kuba has a bruise he will not talk about.', safeguarding: 'yes' });
    const dsl = await t.as('staff', t.fx.staff.dsl);
    const before = (await dsl.get('/')).body;
    expect(before).toContain('For you to see');
    expect(before).toContain('A safeguarding concern was recorded in a meeting note');
    expect(before).toContain(`href="/meetings/${m.due}/record"`);
    expect(before).not.toContain('bruise');
    expect((await teacher.get('/')).body).not.toContain('A safeguarding concern was recorded');
    await dsl.get(`/meetings/${m.due}/record`);
    expect((await dsl.get('/')).body).not.toContain('A safeguarding concern was recorded');
  });

  it('lists a carer’s coming appointments in school time, with follow-ups, and nothing about a child they may not see', async () => {
    const fx = t.fx;
    const soon = await insertMeeting(t.db, fx, { pupilId: fx.pupils.kuba, leadId: fx.staff.teacher, carerIds: [fx.carers.marta], topic: 'Reading at home', startsAt: '2026-11-25T15:30:00.000Z' });
    await insertMeeting(t.db, fx, { pupilId: fx.pupils.kuba, leadId: fx.staff.teacher, carerIds: [fx.carers.marta], topic: 'Already over', startsAt: '2026-11-20T15:30:00.000Z' });
    await t.db.updateTable('meetings').set({ summary_sent_at: '2026-11-02T17:00:00.000Z', follow_up_on: '2026-12-14' }).where('id', '=', m.later!).execute();
    const evening = await insertBooking(t.db, fx, {
      teacherId: fx.staff.teacher3,
      pupilId: fx.pupils.ola,
      carerId: fx.carers.marta,
      joinerIds: [fx.carers.tomasz],
      startsAt: '2027-03-28T15:00:00.000Z',
      eveningName: "Spring parents' evening",
    });
    await insertBooking(t.db, fx, {
      teacherId: fx.staff.teacher,
      pupilId: fx.pupils.kuba,
      carerId: fx.carers.marta,
      startsAt: '2026-11-26T16:00:00.000Z',
      cancelled: true,
      eveningName: 'Cancelled evening',
    });
    // Mark is restricted from Lily: even if he were put on a meeting or an appointment about her, he sees nothing.
    await insertMeeting(t.db, fx, { pupilId: fx.pupils.lily, leadId: fx.staff.teacher, carerIds: [fx.carers.sarah, fx.carers.mark], topic: 'Lily settling in', startsAt: '2026-11-27T15:30:00.000Z' });
    await insertBooking(t.db, fx, {
      teacherId: fx.staff.teacher,
      pupilId: fx.pupils.lily,
      carerId: fx.carers.sarah,
      joinerIds: [fx.carers.mark],
      startsAt: '2026-11-26T17:00:00.000Z',
      eveningName: 'Lily evening',
    });

    const marta = (await (await t.as('carer', fx.carers.marta)).get('/')).body;
    expect(marta).toContain('Your appointments');
    expect(marta).toContain(`href="/my-meetings/${soon}"`);
    expect(marta).toContain('Reading at home with <bdi>Mr Okafor</bdi>, about <bdi>Jakub</bdi>');
    expect(marta).toContain('25 November 2026 at 3:30pm');
    // A held meeting's follow-up is under its own heading, not among the appointments.
    const section = (heading: string) => marta.slice(marta.indexOf(heading), marta.indexOf('</ul>', marta.indexOf(heading)));
    expect(section('Your appointments')).not.toContain(`href="/my-meetings/${m.later}"`);
    expect(section('Follow-up meetings')).toContain(`href="/my-meetings/${m.later}"`);
    expect(section('Follow-up meetings')).toContain('The school will check in with you on 14 December 2026 to see how things are going');
    expect(marta.indexOf('Your appointments')).toBeLessThan(marta.indexOf('Follow-up meetings'));
    expect(marta).not.toContain('Follow-up on');
    expect(marta).toContain(`href="/parents-evenings/${evening.eveningId}"`);
    expect(marta).toContain('Spring parents&#39; evening: <bdi>Ms Bell</bdi>, about <bdi>Aleksandra</bdi>');
    expect(marta).toContain('Sunday 28 March 2027 at 4:00pm'); // with its weekday, as the emails say it; the day the clocks go forward: 15:00 UTC is 4pm in London
    for (const absent of ['Already over', 'Cancelled evening', 'Behaviour at lunchtime']) expect(marta).not.toContain(absent);
    expect(marta.indexOf('Reading at home')).toBeLessThan(marta.indexOf('Spring parents'));

    const tomasz = (await (await t.as('carer', fx.carers.tomasz)).get('/')).body;
    expect(tomasz).toContain(`href="/parents-evenings/${evening.eveningId}"`);
    expect(tomasz).not.toContain('Reading at home');

    const sarah = (await (await t.as('carer', fx.carers.sarah)).get('/')).body;
    expect(sarah).toContain('Lily settling in');
    expect(sarah).toContain('Lily evening');
    const mark = (await (await t.as('carer', fx.carers.mark)).get('/')).body;
    expect(mark).not.toContain('Your appointments');
    expect(mark).not.toContain('Lily');

    const faduma = (await (await t.as('carer', fx.carers.faduma)).get('/')).body;
    expect(faduma).not.toContain('Your appointments');
  });

  it('shows a carer what they agreed to do at a meeting, with the date, and nothing about a child they may not hear about', async () => {
    const fx = t.fx;
    const sent = { status: 'held' as const, startsAt: '2026-11-02T15:30:00.000Z', leadId: fx.staff.teacher };
    const reading = await insertMeeting(t.db, fx, { ...sent, pupilId: fx.pupils.kuba, carerIds: [fx.carers.marta], topic: 'Reading plan' });
    const draft = await insertMeeting(t.db, fx, { ...sent, pupilId: fx.pupils.kuba, carerIds: [fx.carers.marta], topic: 'Not sent yet' });
    const lily = await insertMeeting(t.db, fx, { ...sent, pupilId: fx.pupils.lily, carerIds: [fx.carers.sarah, fx.carers.mark], topic: 'Lily reading' });
    await t.db.updateTable('meetings').set({ summary_sent_at: '2026-11-02T17:00:00.000Z' }).where('id', 'in', [reading, lily]).execute();
    const carerAction = (meetingId: string, carerId: string, what: string, due: string, done: string | null = null) => ({
      id: newId(),
      school_id: fx.school.id,
      meeting_id: meetingId,
      owner_kind: 'carer' as const,
      staff_id: null,
      carer_id: carerId,
      what,
      due_on: due,
      done_at: done,
      created_at: '2026-11-02T16:00:00.000Z',
    });
    await t.db
      .insertInto('meeting_actions')
      .values([
        carerAction(reading, fx.carers.marta, 'Read with Kuba three evenings a week', '2026-12-14'),
        carerAction(reading, fx.carers.marta, 'Sign the reading record', '2026-11-20'),
        carerAction(reading, fx.carers.marta, 'Bring the library book back', '2026-11-20', '2026-11-19T12:00:00.000Z'),
        carerAction(draft, fx.carers.marta, 'A draft action', '2026-12-01'),
        carerAction(lily, fx.carers.mark, 'Practise phonics with Lily', '2026-12-01'),
        carerAction(lily, fx.carers.sarah, 'Sarah reads with Lily', '2026-12-01'),
      ])
      .execute();

    const marta = (await (await t.as('carer', fx.carers.marta)).get('/')).body;
    const mine = marta.slice(marta.indexOf('What you said you would do'), marta.indexOf('</ul>', marta.indexOf('What you said you would do')));
    // Each links to its own form on the meeting's page, to mark it done.
    const readId = (await t.db.selectFrom('meeting_actions').select('id').where('what', '=', 'Read with Kuba three evenings a week').executeTakeFirstOrThrow()).id;
    expect(mine).toContain(
      `<a class="govuk-link" href="/my-meetings/${reading}#action-${readId}" lang="en">Read with Kuba three evenings a week</a><br><span class="govuk-body-s">By 14 December 2026</span>`,
    );
    expect(mine).toContain('Sign the reading record</a><br><span class="govuk-body-s">By 20 November 2026 (this date has passed)</span>');
    expect(mine.indexOf('Sign the reading record')).toBeLessThan(mine.indexOf('Read with Kuba'));
    for (const absent of ['Bring the library book back', 'A draft action', 'Lily']) expect(mine).not.toContain(absent);

    // Mark is restricted from Lily: his action about her is not shown; Sarah sees her own, not his.
    const mark = (await (await t.as('carer', fx.carers.mark)).get('/')).body;
    expect(mark).not.toContain('Practise phonics');
    expect(mark).not.toContain('What you said you would do');
    const sarah = (await (await t.as('carer', fx.carers.sarah)).get('/')).body;
    expect(sarah).toContain('Sarah reads with Lily');
    expect(sarah).not.toContain('Practise phonics');

    // In Marta's own language.
    const polish = (await (await t.as('carer', fx.carers.marta, undefined, { ownLanguage: true })).get('/')).body;
    expect(polish).toContain('Co Państwo obiecali zrobić');
  });

  it('hides a parents’ evening appointment from a parent once a contact-only court order is in force, and still shows the child', async () => {
    const fx = t.fx;
    const before = (await (await t.as('carer', fx.carers.tomasz)).get('/')).body;
    expect(before).toContain('Spring parents&#39; evening: <bdi>Ms Bell</bdi>, about <bdi>Aleksandra</bdi>');
    await t.db
      .insertInto('restrictions')
      .values({
        id: newId(),
        school_id: fx.school.id,
        pupil_id: fx.pupils.ola,
        carer_id: fx.carers.tomasz,
        kind: 'court_order',
        stops_information: 0,
        stops_collection: 0,
        stops_contact: 1,
        details: 'No contact.',
        starts_on: '2026-11-20',
        ends_on: null,
        lifted_at: null,
        created_by: fx.staff.head,
        created_at: '2026-11-20T09:00:00.000Z',
      })
      .execute();
    const after = (await (await t.as('carer', fx.carers.tomasz)).get('/')).body;
    expect(after).not.toContain('Spring parents&#39; evening');
    expect(after).toContain('Aleksandra');
  });

  it('shows a carer what the school holds to reach them, as it is now (read with their session)', async () => {
    const fx = t.fx;
    const tomasz = await t.as('carer', fx.carers.tomasz);
    const before = (await tomasz.get('/')).body;
    expect(before).toContain('What the school has for you');
    expect(before).toContain('tomasz@families.test');
    expect(before).toContain('07700900002');
    await t.db.updateTable('carers').set({ mobile: '07700900222' }).where('id', '=', fx.carers.tomasz).execute();
    const after = (await tomasz.get('/')).body;
    expect(after).toContain('07700900222');
    expect(after).not.toContain('07700900002');
    await t.db.updateTable('carers').set({ mobile: '07700900002' }).where('id', '=', fx.carers.tomasz).execute();
  });

  it('shows the head the five oldest overdue follow-ups in the school, the rest one click away, and the pupil search near the top', async () => {
    const fx = t.fx;
    const before = (await (await t.as('staff', fx.staff.head)).get('/')).body;
    expect(before).not.toContain('more overdue follow-ups');
    const listed = (page: string) => page.slice(page.indexOf('id="school-overdue"'), page.indexOf('</ul>', page.indexOf('id="school-overdue"')));
    const overdue = listed(before).match(/<li>/g)!.length;
    const held = { pupilId: fx.pupils.kuba, leadId: fx.staff.teacher, carerIds: [fx.carers.marta], status: 'held' as const, startsAt: '2026-10-05T14:30:00.000Z' };
    // Seven more, each older than those already there: the oldest come first.
    for (let day = 1; day <= 7; day++) await insertMeeting(t.db, fx, { ...held, topic: `Old follow-up ${day}`, followUpOn: `2026-10-${String(day + 10).padStart(2, '0')}` });
    const head = (await (await t.as('staff', fx.staff.head)).get('/')).body;
    const list = listed(head);
    expect(list.match(/<li>/g)).toHaveLength(5);
    for (let day = 1; day <= 5; day++) expect(list).toContain(`Follow-up: Old follow-up ${day}<`);
    const more = head.slice(head.indexOf('id="more-school-overdue"'));
    expect(more).toContain(`Show ${overdue + 7 - 5} more overdue follow-ups`);
    expect(more).toContain('Follow-up: Old follow-up 6<');
    expect(more).toContain('Follow-up: Behaviour at lunchtime');
    expect(head.indexOf('Find a pupil')).toBeLessThan(head.indexOf('Early warning'));
    // A teacher sees no such list.
    expect((await (await t.as('staff', fx.staff.teacher)).get('/')).body).not.toContain('more overdue follow-ups');
  });
});

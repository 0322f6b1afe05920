import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dialects } from '../../../test/support/db.ts';
import { startTestApp, type TestApp } from '../../../test/support/app.ts';
import { newId } from '../../platform/ids.ts';
import { insertInChunks } from '../../db/insert-in-chunks.ts';
import { queryPlan } from '../../db/query-plan.ts';
import * as agendaEmailsRef from '../../db/migrations/0041_agenda_emails_ref.ts';
import { outboxRows } from '../../platform/outbox/outbox.ts';
import { agendaEmailsStatement, sendAgendasDue } from './agenda.ts';
import { alertsOf, emailsTo, martaAsks, okaforArranges } from './meetings-test-support.ts';

const NOW = new Date('2026-11-23T09:00:00.000Z');

describe.each(dialects)('before the meeting on %s', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(dialect, { clock: () => NOW });
  });
  afterAll(async () => t?.close());

  it('shares the agenda with the family, takes their questions, and tells the lead without repeating them', async () => {
    const id = await okaforArranges(t, NOW);
    const okafor = await t.as('staff', t.fx.staff.teacher);
    const empty = await okafor.post(`/meetings/${id}/agenda`, { agenda_text: '' });
    expect(empty.statusCode).toBe(400);
    expect(empty.body).toContain('Enter something to talk about');
    expect((await okafor.post(`/meetings/${id}/agenda`, { agenda_text: 'Reading at home' })).statusCode).toBe(303);
    expect((await okafor.post(`/meetings/${id}/agenda`, { agenda_text: 'Reading at home' })).statusCode).toBe(303); // a double click adds it once
    expect((await okafor.post(`/meetings/${id}/agenda`, { agenda_text: 'Times tables', tell_family: 'yes' })).statusCode).toBe(303);
    const agendaMail = (await emailsTo(t, 'marta@families.test')).filter((e) => e.subject === 'Plan spotkania w sprawie: Jakub');
    expect(agendaMail).toHaveLength(1);
    expect(agendaMail[0]!.text).toContain('- Reading at home\n- Times tables');

    const marta = await t.as('carer', t.fx.carers.marta);
    const page = await marta.get(`/my-meetings/${id}`);
    expect(page.body).toContain('Reading at home');
    expect(page.body).toContain('Times tables');
    expect((await marta.post(`/my-meetings/${id}/questions`, { question: '  ' })).body).toContain('Enter your question');
    const asked = await marta.post(`/my-meetings/${id}/questions`, { question: 'Can Kuba bring books home in Polish?' });
    expect(asked.statusCode).toBe(303);
    expect((await marta.get(`/my-meetings/${id}`)).body).toContain('(your question)');

    const staffPage = await okafor.get(`/meetings/${id}`);
    const questions = staffPage.body.slice(staffPage.body.indexOf('The family’s questions'));
    expect(questions).toContain('Can Kuba bring books home in Polish?');
    expect(questions).toContain('Marta Nowak');
    const told = (await emailsTo(t, 'okafor@brookfield.test')).find((e) => e.subject.startsWith('Marta Nowak added a question'))!;
    expect(told.text).not.toContain('Polish?');
    const items = await t.db.selectFrom('meeting_agenda_items').select(['added_by_kind', 'added_by_id']).where('meeting_id', '=', id).orderBy('created_at').execute();
    expect(items.map((i) => i.added_by_kind)).toEqual(['staff', 'staff', 'carer']);
    const audit = await t.db.selectFrom('audit_log').select('action').where('entity_id', '=', id).execute();
    expect(audit.map((a) => a.action).sort()).toEqual(['meeting.agenda_item_added', 'meeting.agenda_item_added', 'meeting.agenda_sent', 'meeting.question_added', 'meeting.scheduled']);
  });

  it('emails the family the agenda by itself two school days before the meeting, once, and again only if it changed', async () => {
    // Tuesday 1 December at 3:30pm: two school days before is Friday 27 November.
    const id = await okaforArranges(t, NOW, { topic: 'Spelling' });
    await t.db.updateTable('meetings').set({ starts_at: '2026-12-01T15:30:00.000Z' }).where('id', '=', id).execute();
    const okafor = await t.as('staff', t.fx.staff.teacher);
    expect((await okafor.post(`/meetings/${id}/agenda`, { agenda_text: 'Spelling lists' })).statusCode).toBe(303);
    const agendaMails = async () => (await emailsTo(t, 'marta@families.test')).filter((e) => e.key.startsWith(`email:agenda:${id}:`));

    const run = (at: string) => sendAgendasDue(t.db, new Date(at), 'http://gatepost.test');
    await run('2026-11-26T08:00:00.000Z'); // Thursday: three school days ahead
    expect(await agendaMails()).toHaveLength(0);
    await run('2026-11-27T08:00:00.000Z'); // Friday
    await run('2026-11-27T09:00:00.000Z'); // the next run: sent already
    const [mail, ...more] = await agendaMails();
    expect(more).toHaveLength(0);
    expect(mail!.subject).toBe('Plan spotkania w sprawie: Jakub'); // Marta reads Polish
    expect(mail!.text).toContain('Here is what we would like to talk about:'); // the English beneath
    expect(mail!.text).toContain('- Spelling lists');
    // A question added after it went: the next run sends the agenda as it now stands.
    const marta = await t.as('carer', t.fx.carers.marta);
    expect((await marta.post(`/my-meetings/${id}/questions`, { question: 'Which words?' })).statusCode).toBe(303);
    await run('2026-11-30T08:00:00.000Z');
    expect((await agendaMails()).map((m) => m.text.includes('- Which words?'))).toEqual([false, true]);
  });

  it('lets staff email the agenda now without adding an item, and says when the family already has it', async () => {
    const id = await okaforArranges(t, NOW, { topic: 'Reading' });
    const okafor = await t.as('staff', t.fx.staff.teacher);
    expect((await okafor.get(`/meetings/${id}`)).body).toContain('Email the family the agenda now');
    const sent = await okafor.post(`/meetings/${id}/agenda/send`);
    expect(sent.headers.location).toBe(`/meetings/${id}?done=agenda_sent#agenda`);
    const mails = (await emailsTo(t, 'marta@families.test')).filter((e) => e.key.startsWith(`email:agenda:${id}:`));
    expect(mails).toHaveLength(1);
    expect(mails[0]!.text).toContain('There is nothing on the agenda yet.');
    expect((await okafor.post(`/meetings/${id}/agenda/send`)).headers.location).toBe(`/meetings/${id}?done=agenda_already#agenda`);
    expect((await okafor.get(`/meetings/${id}?done=agenda_already`)).body).toContain('The family already has this agenda');
  });

  it('tells the teacher whether the family has the agenda: the day it will go, when it went, and when it changed since', async () => {
    // Tuesday 1 December at 3:30pm; today is Monday 23 November.
    const id = await okaforArranges(t, NOW, { topic: 'Behaviour at lunchtime' });
    const okafor = await t.as('staff', t.fx.staff.teacher);
    const post = async () => {
      const body = (await okafor.get(`/meetings/${id}`)).body;
      const at = body.indexOf('id="agenda-post"');
      expect(at, 'the agenda’s post is on the page').toBeGreaterThan(-1);
      const words = body
        .slice(body.indexOf('>', at) + 1, body.indexOf('</p>', at))
        .replace(/\s+/g, ' ')
        .trim();
      return { words, button: /Email the family the agenda now\s*<\/button>/.test(body) };
    };
    expect(await post()).toEqual({ words: 'The family is emailed the agenda on Friday 27 November 2026, two school days before the meeting. You can send it now instead.', button: true });

    await sendAgendasDue(t.db, new Date('2026-11-27T08:00:00.000Z'), 'http://gatepost.test');
    expect(await post()).toEqual({ words: 'The family was emailed the agenda on 27 November 2026 at 8:00am.', button: false });

    const marta = await t.as('carer', t.fx.carers.marta);
    expect((await marta.post(`/my-meetings/${id}/questions`, { question: 'Where does Kuba eat lunch?' })).statusCode).toBe(303);
    expect(await post()).toEqual({
      words: 'The family was emailed the agenda on 27 November 2026 at 8:00am. It has changed since: the new agenda goes to them on Friday 27 November 2026, or you can send it now.',
      button: true,
    });
  });

  it('says so when nobody coming from the family has an email address', async () => {
    const id = await okaforArranges(t, NOW, { topic: 'Settling in to Nursery', pupilId: t.fx.pupils.ayaan, carerIds: [t.fx.carers.faduma] });
    const body = (await (await t.as('staff', t.fx.staff.head)).get(`/meetings/${id}`)).body;
    expect(body).toContain('Nobody coming from the family has an email address: give them the agenda on paper or by phone.');
    expect(body).not.toContain('Email the family the agenda now');
  });

  it('names everyone who will be there in the invitation', async () => {
    const id = await okaforArranges(t, NOW, { topic: 'Settling in', carerIds: [t.fx.carers.marta, t.fx.carers.tomasz], inviteLiaison: true, interpreterLanguage: 'Polish' });
    const invitation = (await emailsTo(t, 'marta@families.test')).find((e) => e.key === `email:scheduled:${id}:${t.fx.carers.marta}`)!;
    expect(invitation.text).toContain('Who will be there: Mr Okafor (leading the meeting), Ms Lewis (family liaison officer), Marta Nowak, Tomasz Nowak and an interpreter for Polish.');
    // Marta reads Polish: the language is named in Polish above the English (not "an interpreter for Polish" in Polish words).
    expect(invitation.text).toContain('tłumacz (język: polski)');
  });

  it('lets the family ask a familiar member of staff to help them prepare, once', async () => {
    const id = await okaforArranges(t, NOW);
    const marta = await t.as('carer', t.fx.carers.marta);
    const page = await marta.get(`/my-meetings/${id}`);
    for (const [staffId, why] of [
      [t.fx.staff.teacher, '<bdi>Jakub</bdi>’s class teacher'],
      [t.fx.staff.family_liaison, 'Family liaison officer'],
      [t.fx.staff.senco, 'Special needs coordinator (SENCO)'],
    ] as const) {
      expect(page.body).toContain(`value="${staffId}"`);
      expect(page.body).toContain(why);
    }
    expect(page.body).not.toContain(`value="${t.fx.staff.teacher2}"`);
    // In Marta's Polish, why each person is offered is Polish too, not the staff words in English.
    const polish = await (await t.as('carer', t.fx.carers.marta, undefined, { ownLanguage: true })).get(`/my-meetings/${id}`);
    for (const why of ['Wychowawca klasy (<bdi>Jakub</bdi>)', 'Koordynator ds. specjalnych potrzeb edukacyjnych (SENCO)']) expect(polish.body).toContain(why);
    for (const english of ['class teacher', 'Special needs coordinator']) expect(polish.body).not.toContain(english);
    expect((await marta.post(`/my-meetings/${id}/prep-help`, { staff_id: t.fx.staff.teacher2 })).body).toContain('Choose who you would like to help you');
    const unchosen = (await marta.post(`/my-meetings/${id}/prep-help`, {})).body;
    expect(unchosen).toContain('Choose who you would like to help you');
    expect(unchosen).toMatch(/govuk-radios__label[^>]*>\s*<bdi>Ms Lewis<\/bdi>\s*<\/label>/); // each choice's name isolated

    expect((await marta.post(`/my-meetings/${id}/prep-help`, { staff_id: t.fx.staff.family_liaison })).statusCode).toBe(303);
    const row = await t.db.selectFrom('meeting_carers').selectAll().where('meeting_id', '=', id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ prep_help_staff_id: t.fx.staff.family_liaison, prep_help_asked_at: NOW.toISOString() });
    expect(await t.db.selectFrom('meeting_staff').select('role').where('meeting_id', '=', id).where('staff_id', '=', t.fx.staff.family_liaison).execute()).toEqual([{ role: 'preparer' }]);
    const alerts = (await alertsOf(t, t.fx.staff.family_liaison)).filter((a) => a.link === `/meetings/${id}`);
    expect(alerts.map((a) => [a.kind, a.title])).toEqual([['prep_help', 'Marta Nowak asked you to help them prepare for a meeting']]);
    expect((await marta.get(`/my-meetings/${id}`)).body).toContain('You asked <bdi>Ms Lewis</bdi> to help you prepare.');
    const again = await marta.post(`/my-meetings/${id}/prep-help`, { staff_id: t.fx.staff.senco });
    expect(again.statusCode).toBe(400);
    expect(again.body).toContain('You have already asked someone');
    const lewis = await t.as('staff', t.fx.staff.family_liaison);
    expect((await lewis.get(`/meetings/${id}`)).body).toContain('<bdi>Marta Nowak</bdi> asked <bdi>Ms Lewis</bdi> to help them prepare');
  });

  it('invites the family liaison officer from the meeting page', async () => {
    const id = await okaforArranges(t, NOW);
    const okafor = await t.as('staff', t.fx.staff.teacher);
    expect((await okafor.get(`/meetings/${id}`)).body).toContain('Invite the family liaison officer');
    const first = await okafor.post(`/meetings/${id}/liaison`);
    expect(first.headers.location).toBe(`/meetings/${id}?done=liaison`);
    const second = await okafor.post(`/meetings/${id}/liaison`);
    expect(second.headers.location).toBe(`/meetings/${id}?done=liaison_already`);
    expect(await t.db.selectFrom('meeting_staff').select(['staff_id', 'role']).where('meeting_id', '=', id).where('role', '=', 'liaison').execute()).toEqual([
      { staff_id: t.fx.staff.family_liaison, role: 'liaison' },
    ]);
    expect((await okafor.get(`/meetings/${id}`)).body).not.toContain('Invite the family liaison officer');
    expect((await emailsTo(t, 'lewis@brookfield.test')).filter((e) => e.subject === 'You are invited to a meeting with a family')).toHaveLength(1);
  });

  it('gives families and staff calendar files once a time is arranged', async () => {
    const id = await okaforArranges(t, NOW, { startsAt: '2026-10-26T16:00:00.000Z', endsAt: '2026-10-26T16:20:00.000Z' });
    const marta = await t.as('carer', t.fx.carers.marta);
    const mine = await marta.get(`/my-meetings/${id}/calendar.ics`);
    expect(mine.statusCode).toBe(200);
    expect(mine.headers['content-type']).toContain('text/calendar');
    expect(mine.body).toContain('DTSTART:20261026T160000Z');
    expect(mine.body).toContain(`UID:meeting-${id}@gatepost`);
    expect(mine.body).toContain('Meeting at Brookfield Primary School about Jakub');
    expect(mine.body).toContain('LOCATION:Room 3');
    const okafor = await t.as('staff', t.fx.staff.teacher);
    const theirs = await okafor.get(`/meetings/${id}/calendar.ics`);
    expect(theirs.body).toContain('Progress meeting: Marta Nowak about Jakub Nowak');
    // Nobody else's, and not before a time is fixed.
    expect((await (await t.as('carer', t.fx.carers.tomasz)).get(`/my-meetings/${id}/calendar.ics`)).statusCode).toBe(404);
    expect((await (await t.as('staff', t.fx.staff.teacher2)).get(`/meetings/${id}/calendar.ics`)).statusCode).toBe(404);
    const requested = await martaAsks(t, marta);
    expect((await marta.get(`/my-meetings/${requested}/calendar.ics`)).statusCode).toBe(404);
    expect((await okafor.get(`/meetings/${requested}/calendar.ics`)).statusCode).toBe(404);
  });

  it('shows the family the outcome, the agreed actions and the follow-up only once the summary is sent', async () => {
    const id = await okaforArranges(t, NOW);
    await t.db
      .insertInto('meeting_actions')
      .values([
        {
          id: newId(),
          school_id: t.fx.school.id,
          meeting_id: id,
          owner_kind: 'school',
          staff_id: t.fx.staff.teacher,
          carer_id: null,
          what: 'Set up a reading plan',
          due_on: '2026-12-04',
          done_at: null,
          created_at: NOW.toISOString(),
        },
        {
          id: newId(),
          school_id: t.fx.school.id,
          meeting_id: id,
          owner_kind: 'carer',
          staff_id: null,
          carer_id: t.fx.carers.marta,
          what: 'Read with Kuba three evenings a week',
          due_on: '2026-12-18',
          done_at: null,
          created_at: NOW.toISOString(),
        },
      ])
      .execute();
    await t.db.updateTable('meetings').set({ status: 'held', outcome: 'We agreed a reading plan.', follow_up_on: '2026-12-21' }).where('id', '=', id).execute();
    const marta = await t.as('carer', t.fx.carers.marta);
    const before = await marta.get(`/my-meetings/${id}`);
    expect(before.body).not.toContain('We agreed a reading plan');
    expect(before.body).not.toContain('Set up a reading plan');

    await t.db.updateTable('meetings').set({ summary_sent_at: NOW.toISOString() }).where('id', '=', id).execute();
    const after = await marta.get(`/my-meetings/${id}`);
    expect(after.body).toContain('What we agreed');
    expect(after.body).toContain('We agreed a reading plan.');
    expect(after.body).toMatch(/<bdi>Mr Okafor<\/bdi><\/td><td class="govuk-table__cell" lang="en">Set up a reading plan<\/td><td class="govuk-table__cell">4 December 2026/);
    // Marta's own action is under "What you said you would do", with its date and a way to mark it done.
    const yours = after.body.slice(after.body.indexOf('id="yours"'));
    expect(yours).toMatch(/lang="en">Read with Kuba three evenings a week<\/h3>\s*<p class="govuk-body">[^<]*18 December 2026/);
    expect(after.body).toContain('21 December 2026');
    expect(after.body).toContain('You can come back to us any time');
    expect(after.body).not.toContain('Add my question');
    expect((await marta.get('/my-meetings')).body).toContain('Summary ready');
  });
});

describe.each(dialects)('a meeting’s agenda emails among a year of the school’s emails on %s', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(dialect, { clock: () => NOW });
  });
  afterAll(async () => t?.close());

  const agendaPost = async (id: string) => {
    const body = (await (await t.as('staff', t.fx.staff.teacher)).get(`/meetings/${id}`)).body;
    const at = body.indexOf('id="agenda-post"');
    return body
      .slice(body.indexOf('>', at) + 1, body.indexOf('</p>', at))
      .replace(/\s+/g, ' ')
      .trim();
  };

  it('finds them by the meeting, not by walking every email the school has sent, and still sends each agenda once', async () => {
    const id = await okaforArranges(t, NOW, { topic: 'Reading' });
    const okafor = await t.as('staff', t.fx.staff.teacher);
    // A year of other meetings' agendas and newsletters, sent long ago.
    const longAgo = new Date('2026-01-12T08:00:00Z');
    const year = Array.from({ length: 20_000 }, (_, i) => {
      const other = newId();
      return i % 2
        ? {
            channel: 'email' as const,
            schoolId: t.fx.school.id,
            key: `agenda:${other}:0123456789abcdef:${newId()}`,
            ref: other,
            payload: { to: `carer${i}@families.test`, subject: 'Agenda', text: '-' },
          }
        : { channel: 'email' as const, schoolId: t.fx.school.id, key: `msg:${other}:${newId()}`, ref: newId(), payload: { to: `carer${i}@families.test`, subject: 'Newsletter', text: '-' } };
    });
    await insertInChunks(
      t.db,
      'outbox',
      outboxRows(year, longAgo).map((r) => ({ ...r, status: 'sent' as const, sent_at: longAgo.toISOString() })),
    );

    // A school that began empty: no statistics about the outbox (SQLite gathers none unless asked).
    const plan = (await queryPlan(t.db, agendaEmailsStatement(t.db, id).compile())).join('\n');
    expect(plan).not.toMatch(/SCAN outbox|Seq Scan on outbox/);

    expect(await agendaPost(id)).toMatch(/^The family is emailed the agenda on /);
    expect((await okafor.post(`/meetings/${id}/agenda/send`)).headers.location).toBe(`/meetings/${id}?done=agenda_sent#agenda`);
    expect(await agendaPost(id)).toBe('The family was emailed the agenda on 23 November 2026 at 9:00am.');
    expect((await okafor.post(`/meetings/${id}/agenda/send`)).headers.location).toBe(`/meetings/${id}?done=agenda_already#agenda`);
    expect((await emailsTo(t, 'marta@families.test')).filter((e) => e.key.startsWith(`email:agenda:${id}:`))).toHaveLength(1);
  });

  it('still knows an agenda emailed before its emails carried the meeting (migration 0041), and sends it no second time', async () => {
    const id = await okaforArranges(t, NOW, { topic: 'Spelling' });
    const okafor = await t.as('staff', t.fx.staff.teacher);
    expect((await okafor.post(`/meetings/${id}/agenda/send`)).headers.location).toBe(`/meetings/${id}?done=agenda_sent#agenda`);
    await t.db.updateTable('outbox').set({ ref: null }).where('ref', '=', id).execute(); // as it was written before
    expect(await agendaPost(id)).toMatch(/^The family is emailed the agenda on /); // lost until the migration runs

    await agendaEmailsRef.up(t.db);
    expect(await agendaPost(id)).toBe('The family was emailed the agenda on 23 November 2026 at 9:00am.');
    expect((await okafor.post(`/meetings/${id}/agenda/send`)).headers.location).toBe(`/meetings/${id}?done=agenda_already#agenda`);
    const audit = await t.db.selectFrom('audit_log').select('action').where('entity_id', '=', id).where('action', '=', 'meeting.agenda_sent').execute();
    expect(audit).toHaveLength(1);
  });
});

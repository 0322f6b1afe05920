import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dialects } from '../../../test/support/db.ts';
import { startTestApp, type TestApp } from '../../../test/support/app.ts';
import { newId } from '../../platform/ids.ts';
import { book, makeEvening, slotsOfTeacher } from '../evenings/setup-test-data.ts';

const NOW = new Date('2026-12-03T10:00:00.000Z'); // autumn term 2026

/**
 * "How well we work with families" (/monitoring) counts from the records themselves, for the school
 * year asked for and the one before, only what has happened by today, only this school's.
 */
describe.each(dialects)('how well we work with families, on %s', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(dialect, { clock: () => NOW });
    const { fx, db } = t;
    const school = fx.school.id;
    const at = NOW.toISOString();

    const message = async (schoolId: string, sentAt: string, recipients: { carer: string; language: string; read: boolean; channels?: string }[], checkedIn: string[] = []) => {
      const id = newId();
      await db
        .insertInto('messages')
        .values({
          id,
          school_id: schoolId,
          kind: 'newsletter',
          tone: 'information',
          subject: 'News',
          body: 'Hello',
          audience_json: '{}',
          asks_acknowledgement: 0,
          status: 'sent',
          scheduled_for: null,
          sent_at: sentAt,
          created_by: schoolId === school ? fx.staff.head : fx.staff.otherHead,
          created_at: sentAt,
          updated_at: sentAt,
        })
        .execute();
      for (const r of recipients) {
        await db
          .insertInto('message_recipients')
          .values({
            id: newId(),
            school_id: schoolId,
            message_id: id,
            carer_id: r.carer,
            pupil_ids: '',
            pupil_names: '',
            language: r.language,
            channels: r.channels ?? 'email',
            read_token: newId(),
            read_at: r.read ? sentAt : null,
            acknowledged_at: null,
            created_at: sentAt,
          })
          .execute();
      }
      for (const language of checkedIn) {
        await db
          .insertInto('message_translations')
          .values({
            id: newId(),
            school_id: schoolId,
            message_id: id,
            language,
            subject: 'N',
            body: 'H',
            source: 'person',
            status: 'checked',
            written_by: fx.staff.office,
            checked_by: fx.staff.head,
            updated_at: sentAt,
          })
          .execute();
      }
    };
    // This year: two messages; Marta (Polish) reads the first, which has a checked Polish translation.
    await message(
      school,
      '2026-11-10T09:00:00.000Z',
      [
        { carer: fx.carers.marta, language: 'pl', read: true },
        { carer: fx.carers.tomasz, language: 'en', read: false },
        // Faduma's copy went in the print pack: she cannot be seen to read it, so she is not counted.
        { carer: fx.carers.faduma, language: 'en', read: false, channels: 'app,paper' },
      ],
      ['pl'],
    );
    await message(school, '2026-11-20T09:00:00.000Z', [{ carer: fx.carers.marta, language: 'pl', read: false }]);
    // Last school year: one, read. Another school's this year: not ours.
    await message(school, '2026-03-01T09:00:00.000Z', [{ carer: fx.carers.tomasz, language: 'en', read: true }]);
    await message(fx.other.id, '2026-11-10T09:00:00.000Z', [{ carer: fx.carers.otherCarer, language: 'en', read: true }]);

    const meeting = async (o: { status: 'held' | 'scheduled'; startsAt: string; createdAt?: string; summary?: boolean; difficult?: boolean }) => {
      const id = newId();
      await db
        .insertInto('meetings')
        .values({
          id,
          school_id: school,
          kind: 'appointment',
          status: o.status,
          topic: 'Reading',
          outline: null,
          pupil_id: fx.pupils.kuba,
          urgent: 0,
          preferred_times: null,
          mode: 'in_person',
          interpreter_language: null,
          starts_at: o.startsAt,
          ends_at: o.startsAt,
          place: 'Room 3',
          video_link: null,
          evening_booking_id: null,
          requested_by_carer_id: null,
          possibly_difficult: o.difficult ? 1 : 0,
          outcome: o.summary ? 'Agreed a reading plan' : null,
          follow_up_on: o.summary ? '2026-12-15' : null,
          follow_up_done_at: null,
          summary_sent_at: o.summary ? o.startsAt : null,
          summary_version: null,
          referred_to: null,
          referred_at: null,
          referral_note: null,
          created_by_kind: 'staff',
          created_by_id: fx.staff.teacher,
          created_at: o.createdAt ?? o.startsAt,
          updated_at: at,
        })
        .execute();
      return id;
    };
    const action = (meetingId: string, dueOn: string, doneAt: string | null) =>
      db
        .insertInto('meeting_actions')
        .values({
          id: newId(),
          school_id: school,
          meeting_id: meetingId,
          owner_kind: 'school',
          staff_id: fx.staff.teacher,
          carer_id: null,
          what: 'Reading plan',
          due_on: dueOn,
          done_at: doneAt,
          created_at: at,
        })
        .execute();
    // Two meetings held: one followed up in writing with an action done in time, one not followed up whose action was late.
    const followed = await meeting({ status: 'held', startsAt: '2026-11-12T15:30:00.000Z', summary: true });
    await action(followed, '2026-11-20', '2026-11-19T12:00:00.000Z');
    const notFollowed = await meeting({ status: 'held', startsAt: '2026-11-13T15:30:00.000Z' });
    await action(notFollowed, '2026-11-25', '2026-11-30T12:00:00.000Z');
    await action(notFollowed, '2027-01-10', null); // not due yet: not counted
    // A difficult meeting arranged this term for next week, with its safety plan.
    const difficult = await meeting({ status: 'scheduled', startsAt: '2026-12-10T15:45:00.000Z', createdAt: '2026-11-30T09:00:00.000Z', difficult: true });
    await db
      .insertInto('meeting_safety_plans')
      .values({
        meeting_id: difficult,
        school_id: school,
        colleague_id: fx.staff.senior_leader,
        colleague_presence: 'within_earshot',
        room: 'Room 3',
        clear_route_out: 1,
        neutral_and_private: 1,
        notes: null,
        head_told_at: at,
        created_by: fx.staff.teacher,
        updated_at: at,
      })
      .execute();
    // A parents' evening on 26 November for Years 3 and 4 and Reception (Jakub, Lily, Leo, Aleksandra): only Jakub booked.
    const evening = await makeEvening(db, fx);
    await db.updateTable('evenings').set({ published_at: '2026-10-01T09:00:00.000Z' }).where('id', '=', evening).execute();
    const okafor = await slotsOfTeacher(db, evening, fx.staff.teacher);
    await book(db, fx, okafor[0]!, { pupilId: fx.pupils.kuba, carerId: fx.carers.marta });
  });
  afterAll(async () => t?.close());

  /** The cells of the row whose header starts with `label` (last year, this year). */
  const row = (html: string, label: string) => {
    const match = new RegExp(`<th scope="row"[^>]*>${label}(?:<span[^>]*>[^<]*</span>)?</th>(.*?)</tr>`, 's').exec(html);
    return match ? [...match[1]!.matchAll(/<td[^>]*>([^<]*)<\/td>/g)].map((m) => m[1]) : null;
  };

  it('the head sees this year beside last year, counted from the records: who read, who had it in their language, meetings followed up, actions done in time', async () => {
    const page = await (await t.as('staff', t.fx.staff.head)).get('/monitoring');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('2026 to 2027, so far');
    expect(row(page.body, 'Messages sent')).toEqual(['1', '2']);
    expect(row(page.body, 'Carers who read at least one')).toEqual(['1 of 1 (100%)', '1 of 2 (50%)']);
    expect(row(page.body, 'Sent to carers who read another language, with a checked translation in it')).toEqual(['–', '1 of 2 (50%)']);
    expect(row(page.body, 'Other meetings held')).toEqual(['0', '2']);
    expect(row(page.body, 'Followed up in writing, with actions and a date')).toEqual(['–', '1 of 2 (50%)']);
    expect(row(page.body, 'Actions done by their date')).toEqual(['–', '1 of 2 (50%)']);
    expect(row(page.body, 'Meetings marked possibly difficult')).toEqual(['0', '1']);
    expect(row(page.body, 'With a safety plan: a colleague named, a clear way out, the head told')).toEqual(['–', '1 of 1 (100%)']);
    expect(page.body).toContain('href="/reach/not-reached"');
    expect(page.body).not.toContain('id="small-numbers"');
    expect(row(page.body, 'Parents’ evenings held')).toEqual(['0', '1']);
    expect(groupRows(page.body)).toEqual([
      ['All pupils', '4', '1 of 4 (25%)'],
      ['Reception', '1', '0 of 1 (0%)'],
      ['Year 3', '2', '1 of 2 (50%)'],
      ['Year 4', '1', '0 of 1 (0%)'],
      ['Home language: English', '2', '0 of 2 (0%)'],
      ['Home language: Polish', '2', '1 of 2 (50%)'],
      ['SEND (SEN support or EHCP)', '1', '0 of 1 (0%)'],
      ['English as an additional language', '2', '1 of 2 (50%)'],
    ]);
  });

  /** The rows of "Parents' evenings …, by group of pupils": group, pupils, family booked. */
  const groupRows = (html: string) => {
    const table = /<table[^>]*id="evenings-by-group"[^>]*>.*?<tbody[^>]*>(.*?)<\/tbody>/s.exec(html);
    return table ? [...table[1]!.matchAll(/<tr[^>]*>(.*?)<\/tr>/gs)].map((r) => [...r[1]!.matchAll(/<t[hd][^>]*>([^<]*)<\/t[hd]>/g)].map((c) => c[1]!.trim())) : null;
  };

  it('an earlier school year is shown beside the one before it', async () => {
    const page = await (await t.as('staff', t.fx.staff.head)).get('/monitoring?academic=2025');
    expect(page.body).toContain('2025 to 2026');
    expect(row(page.body, 'Messages sent')).toEqual(['0', '1']);
  });

  it('a governor sees difficult meetings as “fewer than 5”, and links only to pages a governor may open', async () => {
    const page = await (await t.as('staff', t.fx.staff.governor)).get('/monitoring');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('id="small-numbers"');
    expect(row(page.body, 'Meetings marked possibly difficult')).toEqual(['0', 'fewer than 5']);
    // Every group here is a handful of children: no share that would show which families booked.
    expect(groupRows(page.body)!.map((r) => r[2])).toEqual(Array(8).fill('fewer than 5 in all'));
    expect(row(page.body, 'Messages sent')).toEqual(['1', '2']);
    expect(page.body).toContain('href="/monitoring/complaints"');
    expect(page.body).not.toContain('href="/reach/not-reached"');
    expect(page.body).not.toContain('href="/meetings"');
  });

  it('the head and governors find it from home; a teacher neither finds it nor opens it', async () => {
    const home = await (await t.as('staff', t.fx.staff.governor)).get('/');
    expect(home.body).toContain('<a class="govuk-link" href="/monitoring">How well we work with families</a>');
    const teacher = await t.as('staff', t.fx.staff.teacher);
    expect((await teacher.get('/')).body).not.toContain('href="/monitoring"');
    expect((await teacher.get('/monitoring')).statusCode).toBe(404);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dialects, openTestDb, type TestDb } from '../../../test/support/db.ts';
import { makeFixture, type Fixture } from '../../../test/support/fixture.ts';
import { newId } from '../../platform/ids.ts';
import { schoolCalendar } from '../../platform/calendar/calendar-queries.ts';
import { actionsFigure, agendaFigure, concernsFigure, evidenceFor, periodFor, praiseFigure, type MeasureContext } from './measures.ts';

const calendar = { terms: [{ starts_on: '2026-09-02', ends_on: '2026-12-18' }], closures: [{ starts_on: '2026-11-20', ends_on: '2026-11-20' }] };
const period = { from: '2026-09-02', to: '2026-11-26', name: 'Autumn term 2026' };
const ctx = { calendar, period, timeZone: 'Europe/London' };

describe('evidence figures (pure)', () => {
  it('an agenda counts as in advance when sent two school days before the meeting (a closure day does not count)', () => {
    // Meeting Monday 23 November; Friday 20th is a closure, so two school days before is Wednesday 18th.
    const e = agendaFigure(
      [
        { startsAt: '2026-11-23T15:30:00.000Z', agendaSentAt: '2026-11-18T16:00:00.000Z' },
        { startsAt: '2026-11-23T15:30:00.000Z', agendaSentAt: '2026-11-19T09:00:00.000Z' },
        { startsAt: '2026-11-23T15:30:00.000Z', agendaSentAt: null },
      ],
      ctx,
    );
    expect(e).toMatchObject({ measured: 3, met: 1, share: 33 });
    expect(e.sentence).toBe('1 of 3 meetings in Autumn term 2026 had their agenda sent two school days ahead (33%).');
    expect(agendaFigure([], ctx)).toMatchObject({ measured: 0, share: null, sentence: 'No meetings with families yet in Autumn term 2026.' });
  });
  it('praise: the share of carers who received some', () => {
    expect(praiseFigure({ carers: 8, praised: 6 }, ctx)).toMatchObject({ share: 75, sentence: '6 of 8 carers received praise about their child in Autumn term 2026 (75%).' });
  });
  it('concerns: replied within 5 school days; one still inside its time and unanswered is not counted', () => {
    const e = concernsFigure(
      [
        { raisedOn: '2026-11-02', repliedOn: '2026-11-06' }, // in time
        { raisedOn: '2026-11-02', repliedOn: '2026-11-12' }, // late
        { raisedOn: '2026-11-02', repliedOn: null }, // overdue, no reply
        { raisedOn: '2026-11-25', repliedOn: null }, // still has time
      ],
      ctx,
    );
    expect(e).toMatchObject({ measured: 3, met: 1, share: 33 });
  });
  it('actions: done by the date agreed', () => {
    expect(
      actionsFigure(
        [
          { dueOn: '2026-11-10', doneOn: '2026-11-10' },
          { dueOn: '2026-11-10', doneOn: '2026-11-11' },
          { dueOn: '2026-11-10', doneOn: null },
        ],
        ctx,
      ),
    ).toMatchObject({ measured: 3, met: 1 });
  });
  it('the period is the current term up to today', () => {
    const terms = [
      { name: 'Summer term 2026', starts_on: '2026-04-20', ends_on: '2026-07-22' },
      { name: 'Autumn term 2026', starts_on: '2026-09-02', ends_on: '2026-12-18' },
    ];
    expect(periodFor(terms, '2026-11-26')).toEqual({ from: '2026-09-02', to: '2026-11-26', name: 'Autumn term 2026' });
    expect(periodFor(terms, '2026-08-10')).toEqual({ from: '2026-04-20', to: '2026-07-22', name: 'Summer term 2026' });
  });
});

describe.each(dialects)('evidence queries on %s', (dialect) => {
  let tdb: TestDb;
  let fx: Fixture;
  let mctx: MeasureContext;
  beforeAll(async () => {
    tdb = await openTestDb(dialect);
    fx = await makeFixture(tdb.db);
    mctx = { schoolId: fx.school.id, period, calendar: await schoolCalendar(tdb.db, fx.school.id), timeZone: 'Europe/London' };
  });
  afterAll(async () => tdb?.close());

  const at = '2026-11-02T09:00:00.000Z';

  it('agendas: meetings this term and when their agenda was first sent (from the audit log)', async () => {
    const db = tdb.db;
    const meeting = (startsAt: string) => ({
      id: newId(),
      school_id: fx.school.id,
      kind: 'appointment' as const,
      status: 'scheduled' as const,
      topic: 'Reading',
      outline: null,
      pupil_id: fx.pupils.kuba,
      urgent: 0 as const,
      preferred_times: null,
      mode: 'in_person' as const,
      interpreter_language: null,
      starts_at: startsAt,
      ends_at: startsAt,
      place: null,
      video_link: null,
      evening_booking_id: null,
      requested_by_carer_id: null,
      possibly_difficult: 0 as const,
      outcome: null,
      follow_up_on: null,
      follow_up_done_at: null,
      summary_sent_at: null,
      summary_version: null,
      referred_to: null,
      referred_at: null,
      referral_note: null,
      created_by_kind: 'staff' as const,
      created_by_id: fx.staff.teacher,
      created_at: at,
      updated_at: at,
    });
    const early = meeting('2026-11-12T15:30:00.000Z');
    const late = meeting('2026-11-13T15:30:00.000Z');
    const lastYear = meeting('2026-06-12T15:30:00.000Z');
    await db.insertInto('meetings').values([early, late, lastYear]).execute();
    const sent = (id: string, when: string) => ({
      id: newId(),
      school_id: fx.school.id,
      at: when,
      actor_kind: 'staff' as const,
      actor_id: fx.staff.teacher,
      action: 'meeting.agenda_sent',
      entity: 'meeting',
      entity_id: id,
      before_json: null,
      after_json: null,
      ip: null,
    });
    await db
      .insertInto('audit_log')
      .values([sent(early.id, '2026-11-09T10:00:00.000Z'), sent(early.id, '2026-11-11T10:00:00.000Z'), sent(late.id, '2026-11-12T10:00:00.000Z')])
      .execute();
    expect(await evidenceFor(db, 'agenda_ahead', mctx)).toMatchObject({ measured: 2, met: 1, share: 50 });
  });

  it('praise: carers who received a praise message sent this term', async () => {
    const db = tdb.db;
    const id = newId();
    await db
      .insertInto('messages')
      .values({
        id,
        school_id: fx.school.id,
        kind: 'praise',
        tone: 'good_news',
        subject: 'Well done',
        body: 'Great reading',
        audience_json: '{}',
        asks_acknowledgement: 0,
        status: 'sent',
        scheduled_for: null,
        sent_at: at,
        created_by: fx.staff.teacher,
        created_at: at,
        updated_at: at,
      })
      .execute();
    await db
      .insertInto('message_recipients')
      .values(
        [fx.carers.marta, fx.carers.tomasz].map((carer) => ({
          id: newId(),
          school_id: fx.school.id,
          message_id: id,
          carer_id: carer,
          pupil_ids: fx.pupils.kuba,
          pupil_names: 'Kuba',
          language: 'English',
          channels: 'email',
          read_token: newId(),
          read_at: null,
          acknowledged_at: null,
          created_at: at,
        })),
      )
      .execute();
    const e = await evidenceFor(db, 'praise_families', mctx);
    // Every carer who may receive information about a current pupil: Marta, Tomasz, Sarah, Mark, Grace, Helen Ward, Faduma (Grace has no PR but cares for Leo).
    expect(e).toMatchObject({ met: 2, measured: 7 });
  });

  it('concerns: the first reply (a contact or the outcome) against five school days', async () => {
    const db = tdb.db;
    const concern = (raisedOn: string) => ({
      id: newId(),
      school_id: fx.school.id,
      pupil_id: fx.pupils.kuba,
      carer_id: fx.carers.marta,
      received_via: 'portal' as const,
      contact_by: 'email' as const,
      logged_by: null,
      status: 'open' as const,
      owner_id: fx.staff.head,
      category: null,
      raised_on: raisedOn,
      due_on: raisedOn,
      triaged_by: null,
      triaged_at: null,
      closed_at: null,
      closed_by: null,
      answered_at: null,
      reopened_count: 0,
      created_at: at,
      updated_at: at,
    });
    const quick = concern('2026-11-02');
    const slow = concern('2026-11-02');
    await db.insertInto('concerns').values([quick, slow]).execute();
    const entry = (concernId: string, when: string) => ({
      id: newId(),
      school_id: fx.school.id,
      concern_id: concernId,
      kind: 'contact' as const,
      body: 'Rang',
      contact_how: 'phone' as const,
      safeguarding: 0 as const,
      written_by_kind: 'staff' as const,
      staff_id: fx.staff.head,
      carer_id: null,
      created_at: when,
    });
    await db
      .insertInto('concern_entries')
      .values([entry(quick.id, '2026-11-04T10:00:00.000Z'), entry(slow.id, '2026-11-16T10:00:00.000Z')])
      .execute();
    expect(await evidenceFor(db, 'concerns_replied', mctx)).toMatchObject({ measured: 2, met: 1 });
  });
});

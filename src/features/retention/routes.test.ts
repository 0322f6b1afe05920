import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dialects } from '../../../test/support/db.ts';
import { startTestApp, type TestApp } from '../../../test/support/app.ts';
import type { MessageKind } from '../../db/schema.ts';
import { newId } from '../../platform/ids.ts';
import { enqueue } from '../../platform/outbox/outbox.ts';

const NOW = new Date('2026-12-07T10:00:00.000Z'); // Monday 7 December 2026

/**
 * Records retention, end to end: Ms Byrne (the office) opens the schedule and sees three complaint
 * files closed more than six years ago and two newsletters past "current year + 1"; she erases them
 * on the confirmation pages; every row of each goes, on both databases; the audit log says how many
 * and the date; anything newer, still open, marked as safeguarding, or another school's stays.
 */
describe.each(dialects)('records retention on %s', (dialect) => {
  let t: TestApp;
  const ids = {} as Record<string, string>;
  const erasedConcerns: string[] = [];
  const erasedPublic: string[] = [];

  beforeAll(async () => {
    t = await startTestApp(dialect, { clock: () => NOW });
    const fx = t.fx;

    const concern = async (schoolId: string, pupilId: string, carerId: string, safeguarding: 0 | 1 = 0) => {
      const id = newId();
      await t.db
        .insertInto('concerns')
        .values({
          id,
          school_id: schoolId,
          pupil_id: pupilId,
          carer_id: carerId,
          received_via: 'portal',
          contact_by: 'email',
          logged_by: null,
          status: 'closed',
          owner_id: null,
          category: 'learning',
          raised_on: '2019-01-07',
          due_on: '2019-01-14',
          triaged_by: null,
          triaged_at: null,
          closed_at: '2019-02-01T09:00:00.000Z',
          closed_by: null,
          answered_at: null,
          reopened_count: 0,
          created_at: '2019-01-07T09:00:00.000Z',
          updated_at: '2019-02-01T09:00:00.000Z',
        })
        .execute();
      await t.db
        .insertInto('concern_entries')
        .values({
          id: newId(),
          school_id: schoolId,
          concern_id: id,
          kind: 'what_happened',
          body: 'Words about the playground',
          contact_how: null,
          safeguarding,
          written_by_kind: 'carer',
          staff_id: null,
          carer_id: carerId,
          created_at: '2019-01-07T09:00:00.000Z',
        } as never)
        .execute();
      return id;
    };

    const complaint = async (o: {
      schoolId?: string;
      status: 'closed' | 'open' | 'answered' | 'declined';
      closedAt: string | null;
      answeredAt?: string;
      safeguarding?: 0 | 1;
      publicComplaint?: boolean;
    }) => {
      const schoolId = o.schoolId ?? fx.school.id;
      const own = schoolId === fx.school.id;
      const id = newId();
      let publicId: string | null = null;
      if (o.publicComplaint) {
        publicId = newId();
        await t.db
          .insertInto('public_complaints')
          .values({
            id: publicId,
            school_id: schoolId,
            name: 'Pat Neighbour',
            email: 'pat@example.test',
            phone: null,
            connection: 'a neighbour',
            about: 'Parking at pick-up',
            would_like: 'Cones',
            received_on: '2019-03-04',
            acknowledge_by: '2019-03-08',
            respond_by: '2019-03-25',
            status: 'accepted',
            last_incident_on: '2019-03-01',
            decision_reason: null,
            decided_by: null,
            decided_at: null,
            created_at: '2019-03-04T09:00:00.000Z',
            updated_at: '2019-03-04T09:00:00.000Z',
          } as never)
          .execute();
      }
      const concernId = o.publicComplaint ? null : await concern(schoolId, own ? fx.pupils.kuba : fx.pupils.otherPupil, own ? fx.carers.marta : fx.carers.otherCarer, o.safeguarding ?? 0);
      await t.db
        .insertInto('complaints')
        .values({
          id,
          school_id: schoolId,
          concern_id: concernId,
          pupil_id: o.publicComplaint ? null : own ? fx.pupils.kuba : fx.pupils.otherPupil,
          carer_id: o.publicComplaint ? null : own ? fx.carers.marta : fx.carers.otherCarer,
          public_complaint_id: publicId,
          stage: 'stage_1',
          made_by_kind: 'carer',
          made_by_staff: null,
          received_on: '2019-03-04',
          counts_from: '2019-03-04',
          acknowledge_by: '2019-03-08',
          respond_by: '2019-03-25',
          last_incident_on: '2019-03-01',
          late: 0,
          early_years_outcome_by: null,
          created_at: '2019-03-04T09:00:00.000Z',
          updated_at: '2019-03-04T09:00:00.000Z',
          status: o.status,
          closed_at: o.closedAt,
        } as never)
        .execute();
      if (own) {
        await t.db
          .insertInto('complaint_events')
          .values({
            id: newId(),
            school_id: schoolId,
            complaint_id: id,
            kind: 'interview',
            body: 'Spoke with the class teacher',
            staff_id: fx.staff.teacher,
            on_date: '2019-03-10',
            file_name: null,
            file_type: null,
            file_base64: null,
            created_by_kind: 'staff',
            created_by: fx.staff.head,
            created_at: '2019-03-10T09:00:00.000Z',
          })
          .execute();
        await t.db
          .insertInto('complaint_letters')
          .values({
            id: newId(),
            school_id: schoolId,
            complaint_id: id,
            stage: 'stage_1',
            outcome: 'not_upheld',
            body: 'Dear Mrs Nowak',
            status: 'sent',
            updated_by: fx.staff.head,
            created_at: '2019-03-20T09:00:00.000Z',
            updated_at: '2019-03-20T09:00:00.000Z',
            sent_at: o.answeredAt ?? '2019-03-20T09:00:00.000Z',
          })
          .execute();
        await t.db
          .insertInto('complaint_people')
          .values({
            id: newId(),
            school_id: schoolId,
            complaint_id: id,
            staff_id: fx.staff.senior_leader,
            role: 'officer',
            independent: 0,
            created_by: fx.staff.head,
            created_at: '2019-03-05T09:00:00.000Z',
          })
          .execute();
        await t.db
          .insertInto('staff_alerts')
          .values({
            id: newId(),
            school_id: schoolId,
            staff_id: fx.staff.head,
            kind: 'referral',
            title: 'A formal complaint has been made',
            link: `/complaints/${id}`,
            created_at: '2019-03-04T09:00:00.000Z',
            seen_at: null,
          })
          .execute();
        await enqueue(
          t.db,
          [
            {
              channel: 'email',
              schoolId,
              key: `complaint-received:${id}:${fx.carers.marta}`,
              ref: concernId ?? publicId ?? id,
              payload: { to: 'marta@example.test', subject: 'Your complaint', text: 'Dear Marta' },
            },
            { channel: 'email', schoolId, key: `alert:complaint-made:${id}:${fx.staff.head}`, payload: { to: 'patel@brookfield.test', subject: 'A formal complaint has been made', text: 'See it' } },
          ],
          new Date('2019-03-04T09:00:00.000Z'),
        );
      }
      return id;
    };

    ids.longClosed = await complaint({ status: 'closed', closedAt: '2020-06-01T12:00:00.000Z' });
    ids.closedLateOn6Dec = await complaint({ status: 'closed', closedAt: '2020-12-06T23:30:00.000Z' }); // still 6 December in London
    ids.publicClosed = await complaint({ status: 'closed', closedAt: '2019-05-01T12:00:00.000Z', publicComplaint: true });
    ids.closedOn7Dec = await complaint({ status: 'closed', closedAt: '2020-12-07T00:30:00.000Z' }); // six years ago today: kept
    ids.stillOpen = await complaint({ status: 'open', closedAt: null });
    // Answered at stage 1 and never taken to the panel: closed on the day the answer went.
    ids.answeredLongAgo = await complaint({ status: 'answered', closedAt: null, answeredAt: '2019-03-20T09:00:00.000Z' });
    // Declined (made too late, not accepted): closed the day it was declined.
    ids.declinedLongAgo = await complaint({ status: 'declined', closedAt: '2019-04-01T09:00:00.000Z' });
    ids.answeredSinceCutOff = await complaint({ status: 'answered', closedAt: null, answeredAt: '2021-01-10T09:00:00.000Z' });
    ids.safeguarding = await complaint({ status: 'closed', closedAt: '2019-05-01T12:00:00.000Z', safeguarding: 1 });
    ids.otherSchool = await complaint({ schoolId: fx.other.id, status: 'closed', closedAt: '2019-05-01T12:00:00.000Z' });

    const message = async (o: { schoolId?: string; kind: MessageKind; status: 'sent' | 'scheduled' | 'draft'; sentAt: string | null }) => {
      const schoolId = o.schoolId ?? fx.school.id;
      const own = schoolId === fx.school.id;
      const id = newId();
      await t.db
        .insertInto('messages')
        .values({
          id,
          school_id: schoolId,
          kind: o.kind,
          tone: 'information',
          subject: 'Harvest festival',
          body: 'Bring a tin',
          audience_json: JSON.stringify({ kind: 'school' }),
          asks_acknowledgement: 0,
          status: o.status,
          scheduled_for: o.status === 'scheduled' ? '2025-01-01T09:00:00.000Z' : null,
          sent_at: o.sentAt,
          created_by: own ? fx.staff.office : fx.staff.otherHead,
          created_at: '2024-01-01T09:00:00.000Z',
          updated_at: '2024-01-01T09:00:00.000Z',
        })
        .execute();
      if (own) {
        const recipient = newId();
        await t.db
          .insertInto('message_recipients')
          .values({
            id: recipient,
            school_id: schoolId,
            message_id: id,
            carer_id: fx.carers.marta,
            pupil_ids: fx.pupils.kuba,
            pupil_names: 'Kuba',
            language: 'pl',
            channels: 'email',
            read_token: newId(),
            read_at: null,
            acknowledged_at: null,
            created_at: '2025-01-01T09:00:00.000Z',
          })
          .execute();
        await t.db
          .insertInto('message_translations')
          .values({
            id: newId(),
            school_id: schoolId,
            message_id: id,
            language: 'pl',
            subject: 'Dożynki',
            body: 'Przynieś puszkę',
            source: 'machine',
            status: 'written',
            written_by: null,
            written_by_carer: null,
            checked_by: null,
            updated_at: '2025-01-01T09:00:00.000Z',
          })
          .execute();
        await enqueue(
          t.db,
          [{ channel: 'email', schoolId, key: `msg:${id}:${fx.carers.marta}`, ref: recipient, payload: { to: 'marta@example.test', subject: 'Dożynki', text: 'Przynieś puszkę' } }],
          new Date('2025-01-01T09:00:00.000Z'),
        );
      }
      return id;
    };
    ids.oldNewsletter = await message({ kind: 'newsletter', status: 'sent', sentAt: '2025-07-15T09:00:00.000Z' });
    ids.lastOfTheYear = await message({ kind: 'letter', status: 'sent', sentAt: '2025-08-31T22:30:00.000Z' }); // 23:30 on 31 August in London
    ids.firstOfTheYear = await message({ kind: 'newsletter', status: 'sent', sentAt: '2025-08-31T23:30:00.000Z' }); // 00:30 on 1 September: kept
    ids.scheduled = await message({ kind: 'newsletter', status: 'scheduled', sentAt: null });
    ids.draft = await message({ kind: 'letter', status: 'draft', sentAt: null });
    ids.praise = await message({ kind: 'praise', status: 'sent', sentAt: '2024-05-01T09:00:00.000Z' });
    ids.otherNewsletter = await message({ schoolId: fx.other.id, kind: 'newsletter', status: 'sent', sentAt: '2024-05-01T09:00:00.000Z' });
    const files = await t.db.selectFrom('complaints').select(['concern_id', 'public_complaint_id']).where('id', 'in', [ids.longClosed, ids.closedLateOn6Dec, ids.publicClosed]).execute();
    erasedConcerns.push(...files.map((f) => f.concern_id).filter((x): x is string => x !== null));
    erasedPublic.push(...files.map((f) => f.public_complaint_id).filter((x): x is string => x !== null));
  });
  afterAll(async () => t?.close());

  const due = (html: string, kind: string) => new RegExp(`id="due-${kind}">(\\d+)<`).exec(html)?.[1];
  const complaintIds = async () => (await t.db.selectFrom('complaints').select('id').execute()).map((r) => r.id);
  const messageIds = async () => (await t.db.selectFrom('messages').select('id').execute()).map((r) => r.id);
  const erasures = () => t.db.selectFrom('audit_log').selectAll().where('action', '=', 'retention.erased').orderBy('at').execute();

  it('only the head, senior leaders and the office reach the schedule and erasure', async () => {
    for (const who of ['teacher', 'dsl', 'senco', 'governor', 'family_liaison'] as const) {
      const person = await t.as('staff', t.fx.staff[who]);
      expect((await person.get('/settings/retention')).statusCode).toBe(404);
      expect((await person.get('/settings/retention/erase?kind=complaints')).statusCode).toBe(404);
      expect((await person.post('/settings/retention/erase', { kind: 'complaints', before: '2020-12-07' })).statusCode).toBe(404);
    }
    const carer = await t.as('carer', t.fx.carers.marta);
    expect((await carer.post('/settings/retention/erase', { kind: 'complaints', before: '2020-12-07' })).statusCode).not.toBe(303);
    expect(await complaintIds()).toContain(ids.longClosed);
    for (const who of ['head', 'senior_leader', 'office'] as const) expect((await (await t.as('staff', t.fx.staff[who])).get('/settings/retention')).statusCode).toBe(200);
  });

  it('lists every kind with how many are past their date today, the oldest, and the action', async () => {
    const page = (await (await t.as('staff', t.fx.staff.office)).get('/settings/retention')).body;
    expect(due(page, 'complaints')).toBe('5'); // with the one answered and the one declined in 2019; not the one closed on 7 December 2020, the one answered since, the open one, the safeguarding one, nor another school's
    expect(due(page, 'whole_school_messages')).toBe('2');
    expect(due(page, 'messages_about_a_child')).toBe('1');
    expect(page).toContain('oldest from 20 March 2019');
    expect(page).toContain('Review by the designated safeguarding lead (DSL) only');
    expect(page).toContain('href="/settings/retention/erase?kind=complaints"');
    expect(page).not.toContain('href="/settings/retention/erase?kind=concerns"'); // a kind to review has no erase link
  });

  it('says exactly what will go before erasing it', async () => {
    const office = await t.as('staff', t.fx.staff.office);
    const page = (await office.get('/settings/retention/erase?kind=complaints')).body;
    expect(page).toContain('Erase 5 complaint files closed before 7 December 2020');
    expect(page).toContain('name="before" value="2020-12-07"');
    expect((await office.get('/settings/retention/erase?kind=safeguarding_reports')).statusCode).toBe(404);
    expect(await complaintIds()).toContain(ids.longClosed); // looking erases nothing
  });

  it('never erases past the date the person was shown, nor past the server’s', async () => {
    const office = await t.as('staff', t.fx.staff.office);
    // A confirmation shown with an earlier date erases only what it said: the complaints closed or answered in 2019 and closed on 1 June 2020.
    expect((await office.post('/settings/retention/erase', { kind: 'complaints', before: '2020-06-02' })).headers.location).toBe('/settings/retention?erased=complaints&n=4&before=2020-06-02');
    expect(await complaintIds()).not.toContain(ids.answeredLongAgo);
    expect(await complaintIds()).not.toContain(ids.declinedLongAgo);
    expect(await complaintIds()).toContain(ids.answeredSinceCutOff);
    expect(await complaintIds()).not.toContain(ids.longClosed);
    expect(await complaintIds()).not.toContain(ids.publicClosed);
    expect(await complaintIds()).toContain(ids.closedLateOn6Dec);
    // A date in the future is held to the server's cut-off: the message of 1 September 2025 stays.
    expect((await office.post('/settings/retention/erase', { kind: 'whole_school_messages', before: '2030-01-01' })).headers.location).toBe(
      '/settings/retention?erased=whole_school_messages&n=2&before=2025-09-01',
    );
    const left = await messageIds();
    expect(left).not.toContain(ids.oldNewsletter);
    expect(left).not.toContain(ids.lastOfTheYear);
    for (const kept of [ids.firstOfTheYear, ids.scheduled, ids.draft, ids.praise, ids.otherNewsletter]) expect(left).toContain(kept);
    expect(await t.db.selectFrom('message_recipients').select('message_id').where('message_id', 'in', [ids.oldNewsletter!, ids.lastOfTheYear!]).execute()).toEqual([]);
    expect(await t.db.selectFrom('message_translations').select('message_id').where('message_id', 'in', [ids.oldNewsletter!, ids.lastOfTheYear!]).execute()).toEqual([]);
    expect(await t.db.selectFrom('outbox').select('id').where('idempotency_key', '=', `email:msg:${ids.oldNewsletter}:${t.fx.carers.marta}`).execute()).toEqual([]);
    expect(await t.db.selectFrom('outbox').select('id').where('idempotency_key', '=', `email:msg:${ids.firstOfTheYear}:${t.fx.carers.marta}`).execute()).toHaveLength(1);
  });

  it('erases every row of each complaint file past its date, writes one audit entry with no names, and then shows 0', async () => {
    const office = await t.as('staff', t.fx.staff.office);
    const gone = [ids.longClosed!, ids.closedLateOn6Dec!, ids.publicClosed!];
    const concerns = erasedConcerns;
    const publicIds = erasedPublic;
    expect(concerns).toHaveLength(2);
    expect(publicIds).toHaveLength(1);

    const erased = await office.post('/settings/retention/erase', { kind: 'complaints', before: '2020-12-07' });
    expect(erased.headers.location).toBe('/settings/retention?erased=complaints&n=1&before=2020-12-07');

    const left = await complaintIds();
    for (const id of gone) expect(left).not.toContain(id);
    for (const kept of [ids.closedOn7Dec, ids.answeredSinceCutOff, ids.stillOpen, ids.safeguarding, ids.otherSchool]) expect(left).toContain(kept);
    for (const table of ['complaint_events', 'complaint_letters', 'complaint_people'] as const) {
      expect(await t.db.selectFrom(table).select('id').where('complaint_id', 'in', gone).execute()).toEqual([]);
      expect(await t.db.selectFrom(table).select('id').where('complaint_id', '=', ids.closedOn7Dec!).execute()).toHaveLength(1);
    }
    expect(await t.db.selectFrom('concerns').select('id').where('id', 'in', concerns).execute()).toEqual([]);
    expect(await t.db.selectFrom('concern_entries').select('id').where('concern_id', 'in', concerns).execute()).toEqual([]);
    expect(await t.db.selectFrom('public_complaints').select('id').where('id', 'in', publicIds).execute()).toEqual([]);
    expect(await t.db.selectFrom('staff_alerts').select('id').where('link', '=', `/complaints/${ids.closedLateOn6Dec}`).execute()).toEqual([]);
    expect(await t.db.selectFrom('staff_alerts').select('id').where('link', '=', `/complaints/${ids.closedOn7Dec}`).execute()).toHaveLength(1);
    expect(await t.db.selectFrom('outbox').select('id').where('idempotency_key', 'like', `%${ids.closedLateOn6Dec}%`).execute()).toEqual([]);
    expect(await t.db.selectFrom('outbox').select('id').where('idempotency_key', 'like', `%${ids.closedOn7Dec}%`).execute()).toHaveLength(2);

    const entries = await erasures();
    expect(entries.map((e) => [e.entity, JSON.parse(e.after_json!)])).toEqual([
      ['complaints', { count: 4, before: '2020-06-02' }],
      ['whole_school_messages', { count: 2, before: '2025-09-01' }],
      ['complaints', { count: 1, before: '2020-12-07' }],
    ]);
    expect(JSON.stringify(entries)).not.toMatch(/Nowak|Marta|Neighbour|playground/);

    const page = (await office.get('/settings/retention?erased=complaints&n=1&before=2020-12-07')).body;
    expect(page).toContain('Erased: 1 complaint file closed before 7 December 2020.');
    expect(due(page, 'complaints')).toBe('0');
    expect(due(page, 'whole_school_messages')).toBe('0');
    expect(page).not.toContain('href="/settings/retention/erase?kind=complaints"');
  });

  it('a second click erases nothing more, and the audit log says so', async () => {
    const office = await t.as('staff', t.fx.staff.office);
    expect((await office.post('/settings/retention/erase', { kind: 'complaints', before: '2020-12-07' })).headers.location).toBe('/settings/retention?erased=complaints&n=0&before=2020-12-07');
    expect(await complaintIds()).toContain(ids.closedOn7Dec);
    expect((await erasures()).map((e) => JSON.parse(e.after_json!))).toContainEqual({ count: 0, before: '2020-12-07' });
    expect(await erasures()).toHaveLength(4);
    expect((await office.get('/settings/retention/erase?kind=complaints')).body).toContain('None is past its date today.');
  });

  it('refuses a kind Gatepost does not erase, or a date it cannot read, erasing nothing', async () => {
    const office = await t.as('staff', t.fx.staff.office);
    expect((await office.post('/settings/retention/erase', { kind: 'safeguarding_reports', before: '2020-12-07' })).statusCode).toBe(404);
    const unreadable = await office.post('/settings/retention/erase', { kind: 'complaints', before: 'yesterday' });
    expect(unreadable.statusCode).toBe(400);
    expect(unreadable.body).toContain('Gatepost could not read what this page showed');
    expect(unreadable.body).toContain('href="#erase"');
    expect(await erasures()).toHaveLength(4);
  });
});

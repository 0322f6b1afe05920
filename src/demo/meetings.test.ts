import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dialects, openTestDb, type TestDb } from '../../test/support/db.ts';
import type { Db, Dialect } from '../db/database.ts';
import { bookableChildren, clashBetween } from '../features/evenings/booking.ts';
import { familyRows } from '../features/evenings/booking-queries.ts';
import { acceptHold, pairValue, proposeAndHold } from '../features/evenings/holds.ts';
import { eveningStatus } from '../features/evenings/setup.ts';
import { eveningNeeds } from '../features/evenings/needs-overview.ts';
import { evidenceFor, periodFor } from '../features/agreements/measures.ts';
import { followUpsOf, overdueInSchool, schoolCalendar } from '../features/meetings/follow-ups-queries.ts';
import { familyFollowUpsOf } from '../features/meetings/family-follow-ups.ts';
import { reopenedByStaffOf } from '../features/meetings/carer-actions-queries.ts';
import { unseenAlerts } from '../platform/alerts/alerts.ts';
import { loadDemoSchool } from './demo-school.ts';
import { CARER_EMAILS } from './people.ts';
import { DEMO_TERMS } from './calendar.ts';
import { coming, weeksToMove } from './meetings-context.ts';

const NOW = new Date('2026-11-23T08:30:00.000Z');
const TODAY = '2026-11-23';

const carer = async (db: Db, email: string) => db.selectFrom('carers').selectAll().where('email', '=', email).executeTakeFirstOrThrow();
const staff = async (db: Db, family: string) => db.selectFrom('staff').selectAll().where('family_name', '=', family).executeTakeFirstOrThrow();
const pupil = async (db: Db, preferred: string) => db.selectFrom('pupils').selectAll().where('preferred_name', '=', preferred).executeTakeFirstOrThrow();
const evening = async (db: Db, name: string) => db.selectFrom('evenings').selectAll().where('name', '=', name).executeTakeFirstOrThrow();

function liveBookings(db: Db, eveningId: string) {
  return db.selectFrom('evening_bookings').selectAll().where('evening_id', '=', eveningId).where('cancelled_at', 'is', null).execute();
}

/** What a person would see of the demo's meetings: the same on every load. */
async function meetingFacts(db: Db) {
  const bookings = await db
    .selectFrom('evening_bookings')
    .innerJoin('evenings', 'evenings.id', 'evening_bookings.evening_id')
    .innerJoin('carers', 'carers.id', 'evening_bookings.carer_id')
    .innerJoin('pupils', 'pupils.id', 'evening_bookings.pupil_id')
    .innerJoin('staff', 'staff.id', 'evening_bookings.staff_id')
    .select([
      'evenings.name',
      'carers.given_name',
      'carers.family_name',
      'pupils.given_name as pupil',
      'staff.family_name as teacher',
      'evening_bookings.starts_at',
      'evening_bookings.mode',
      'evening_bookings.created_at',
    ])
    .execute();
  const meetings = await db.selectFrom('meetings').select(['kind', 'status', 'topic', 'starts_at', 'follow_up_on', 'outcome', 'created_at']).execute();
  return { bookings: bookings.map((b) => JSON.stringify(b)).sort(), meetings: meetings.map((m) => JSON.stringify(m)).sort() };
}

describe.each(dialects)("the demo school's meetings on %s", (dialect: Dialect) => {
  let t: TestDb;
  let db: Db;
  let schoolId: string;
  let closed = false;

  beforeAll(async () => {
    t = await openTestDb(dialect);
    db = t.db;
    const started = performance.now();
    schoolId = (await loadDemoSchool(db, { now: NOW })).schoolId;
    console.log(`demo school with its meetings loaded on ${dialect} in ${Math.round(performance.now() - started)} ms`);
  });
  afterAll(async () => {
    if (!closed) await t?.close();
  });

  it("has the autumn parents' evening, over, with about two thirds of the children booked", async () => {
    const autumn = await evening(db, "Autumn parents' evening");
    expect(eveningStatus(autumn, NOW)).toBe('closed');
    expect(autumn).toMatchObject({ modes: 'in_person,phone', separated_carers: 'own', travel_gap_minutes: 5 });
    const sessions = await db.selectFrom('evening_sessions').select(['date', 'starts', 'ends', 'slot_minutes']).where('evening_id', '=', autumn.id).orderBy('date').execute();
    expect(sessions).toEqual([
      { date: '2026-10-15', starts: '15:30', ends: '18:30', slot_minutes: 10 },
      { date: '2026-10-16', starts: '08:00', ends: '08:50', slot_minutes: 10 },
    ]);
    const rooms = await db.selectFrom('evening_teachers').select('room').where('evening_id', '=', autumn.id).execute();
    expect(rooms.length).toBe(8);
    expect(rooms.every((r) => r.room)).toBe(true);

    const bookings = await liveBookings(db, autumn.id);
    const pupils = (await db.selectFrom('pupils').select('id').execute()).length;
    const booked = new Set(bookings.map((b) => b.pupil_id)).size;
    expect(booked / pupils).toBeGreaterThan(0.55);
    expect(booked / pupils).toBeLessThan(0.8);
    for (const b of bookings) expect(b.created_at >= autumn.booking_opens_at && b.created_at < autumn.booking_closes_at).toBe(true);
    expect(bookings.some((b) => b.mode === 'phone')).toBe(true);
  });

  it('has Marta with Kuba’s and Ola’s teachers back to back, Tomasz’s own call about Kuba, and Faduma booked by the office', async () => {
    const autumn = await evening(db, "Autumn parents' evening");
    const [marta, tomasz] = [await carer(db, CARER_EMAILS.marta), await carer(db, CARER_EMAILS.tomasz)];
    const [kuba, ola, ayaan] = [await pupil(db, 'Kuba'), await pupil(db, 'Ola'), await db.selectFrom('pupils').selectAll().where('given_name', '=', 'Ayaan').executeTakeFirstOrThrow()];
    const bookings = await liveBookings(db, autumn.id);
    const mine = bookings.filter((b) => b.carer_id === marta.id).sort((a, b) => a.starts_at.localeCompare(b.starts_at));
    expect(mine.map((b) => [b.pupil_id, b.starts_at])).toEqual([
      [kuba.id, '2026-10-15T15:00:00.000Z'],
      [ola.id, '2026-10-15T15:20:00.000Z'],
    ]);
    expect(bookings.filter((b) => b.carer_id === tomasz.id).map((b) => [b.pupil_id, b.staff_id, b.mode])).toEqual([[kuba.id, (await staff(db, 'Okafor')).id, 'phone']]);
    const fadumas = bookings.filter((b) => b.pupil_id === ayaan.id);
    expect(fadumas).toHaveLength(1);
    expect(fadumas[0]).toMatchObject({ booked_by_kind: 'staff', booked_by_id: (await staff(db, 'Byrne')).id });
  });

  it('never gives Mark a booking for Lily, and he cannot book one', async () => {
    const mark = await carer(db, CARER_EMAILS.mark);
    const lily = await db.selectFrom('pupils').select('id').where('given_name', '=', 'Lily').where('family_name', '=', 'Dean').executeTakeFirstOrThrow();
    expect(await db.selectFrom('evening_bookings').select('id').where('carer_id', '=', mark.id).execute()).toEqual([]);
    expect(await db.selectFrom('evening_attendees').select('id').where('carer_id', '=', mark.id).execute()).toEqual([]);
    expect(await db.selectFrom('meeting_carers').select('meeting_id').where('carer_id', '=', mark.id).execute()).toEqual([]);
    const spring = await evening(db, "Spring parents' evening");
    expect(bookableChildren(await familyRows(db, { schoolId, eveningId: spring.id, carerId: mark.id, today: TODAY }))).toEqual([]);
    // Lily's own appointment was with her mother.
    const lilys = await db.selectFrom('evening_bookings').innerJoin('carers', 'carers.id', 'evening_bookings.carer_id').select('carers.given_name').where('pupil_id', '=', lily.id).execute();
    expect(lilys.map((l) => l.given_name)).toEqual(['Sarah']);
  });

  it('has no double bookings: one family per time, each on its teacher’s time, every carer with time to walk between', async () => {
    for (const e of await db.selectFrom('evenings').selectAll().execute()) {
      const bookings = await liveBookings(db, e.id);
      expect(new Set(bookings.map((b) => b.slot_id)).size).toBe(bookings.length);
      const slots = new Map((await db.selectFrom('evening_slots').selectAll().where('evening_id', '=', e.id).execute()).map((s) => [s.id, s]));
      for (const b of bookings) {
        const slot = slots.get(b.slot_id)!;
        expect([slot.staff_id, slot.starts_at, slot.unavailable]).toEqual([b.staff_id, b.starts_at, 0]);
      }
      const attendees = await db
        .selectFrom('evening_attendees')
        .innerJoin('evening_bookings', 'evening_bookings.id', 'evening_attendees.booking_id')
        .select(['evening_attendees.carer_id', 'evening_bookings.starts_at', 'evening_bookings.ends_at', 'evening_bookings.staff_id'])
        .where('evening_bookings.evening_id', '=', e.id)
        .where('evening_attendees.cancelled_at', 'is', null)
        .where('evening_bookings.cancelled_at', 'is', null)
        .execute();
      const byCarer = new Map<string, typeof attendees>();
      for (const a of attendees) byCarer.set(a.carer_id, [...(byCarer.get(a.carer_id) ?? []), a]);
      for (const list of byCarer.values()) {
        for (const [i, a] of list.entries()) {
          for (const b of list.slice(i + 1)) {
            expect(clashBetween({ starts: a.starts_at, ends: a.ends_at, staffId: a.staff_id }, { starts: b.starts_at, ends: b.ends_at, staffId: b.staff_id }, e.travel_gap_minutes)).toBeNull();
          }
        }
      }
    }
  });

  it("has the spring parents' evening open now, about fifteen families booked, two of Mr Okafor's times unavailable, and no Nowaks", async () => {
    const spring = await evening(db, "Spring parents' evening");
    expect(eveningStatus(spring, NOW)).toBe('open');
    expect(spring).toMatchObject({ modes: 'in_person,video', separated_carers: 'either', booking_opens_at: '2026-11-20T18:00:00.000Z', booking_closes_at: '2027-03-22T12:00:00.000Z' });
    const teachers = await db.selectFrom('evening_teachers').select(['room', 'video_link']).where('evening_id', '=', spring.id).execute();
    expect(teachers.every((x) => x.room && x.video_link?.startsWith('https://'))).toBe(true);
    const bookings = await liveBookings(db, spring.id);
    const families = new Set(bookings.map((b) => b.carer_id)).size;
    expect(families).toBeGreaterThanOrEqual(12);
    expect(families).toBeLessThanOrEqual(18);
    for (const b of bookings) expect(b.created_at >= spring.booking_opens_at && b.created_at < NOW.toISOString()).toBe(true);
    expect(bookings.some((b) => b.mode === 'video')).toBe(true);
    expect(bookings.some((b) => b.hold_id !== null && b.status === 'booked')).toBe(true);
    const joined = await db
      .selectFrom('evening_attendees')
      .innerJoin('evening_bookings', 'evening_bookings.id', 'evening_attendees.booking_id')
      .select('evening_attendees.id')
      .where('evening_bookings.evening_id', '=', spring.id)
      .where('joined', '=', 1)
      .execute();
    expect(joined.length).toBeGreaterThan(0);
    const okafor = await staff(db, 'Okafor');
    const unavailable = await db.selectFrom('evening_slots').select('starts_at').where('evening_id', '=', spring.id).where('unavailable', '=', 1).execute();
    expect(unavailable).toHaveLength(2);
    expect((await db.selectFrom('evening_slots').select('staff_id').where('evening_id', '=', spring.id).where('unavailable', '=', 1).execute()).every((s) => s.staff_id === okafor.id)).toBe(true);
    const nowaks = [(await carer(db, CARER_EMAILS.marta)).id, (await carer(db, CARER_EMAILS.tomasz)).id];
    const children = [(await pupil(db, 'Kuba')).id, (await pupil(db, 'Ola')).id];
    expect(bookings.filter((b) => nowaks.includes(b.carer_id) || children.includes(b.pupil_id))).toEqual([]);
  });

  it('has a family on the spring evening who needs an interpreter in their language, and one who asked for step-free access, on the office overview', async () => {
    const spring = await evening(db, "Spring parents' evening");
    const needs = await db
      .selectFrom('evening_needs')
      .innerJoin('carers', 'carers.id', 'evening_needs.carer_id')
      .select(['evening_needs.carer_id', 'evening_needs.interpreter_language', 'evening_needs.access_note', 'carers.preferred_language'])
      .where('evening_needs.evening_id', '=', spring.id)
      .execute();
    const interpreted = needs.find((n) => n.interpreter_language !== null);
    expect(interpreted?.interpreter_language).toBe(interpreted?.preferred_language);
    expect(interpreted?.interpreter_language).not.toBe('English');
    expect(needs.filter((n) => n.access_note?.includes('Step-free'))).toHaveLength(1);
    const booked = new Set((await liveBookings(db, spring.id)).map((b) => b.carer_id));
    for (const n of needs) expect(booked.has(n.carer_id)).toBe(true);
    const office = await staff(db, 'Byrne');
    const roles = (await db.selectFrom('staff_roles').select('role').where('staff_id', '=', office.id).execute()).map((r) => r.role);
    const user = { kind: 'staff' as const, id: office.id, schoolId, roles, name: 'Ms Byrne', email: office.email };
    const view = await eveningNeeds(db, user, { today: TODAY, teachersSeeAllPupils: false }, schoolId, spring.id, 'Europe/London');
    expect(view.languages.map((l) => l.language)).toEqual([interpreted!.interpreter_language]);
    expect(view.notes).toHaveLength(1);
  });

  it('has Mr Okafor’s appointment with Marta about Kuba written up, with actions, a follow-up and the summary sent', async () => {
    const marta = await carer(db, CARER_EMAILS.marta);
    const kuba = await pupil(db, 'Kuba');
    const okafor = await staff(db, 'Okafor');
    const meeting = await db
      .selectFrom('meetings')
      .innerJoin('evening_bookings', 'evening_bookings.id', 'meetings.evening_booking_id')
      .selectAll('meetings')
      .where('evening_bookings.carer_id', '=', marta.id)
      .where('meetings.pupil_id', '=', kuba.id)
      .executeTakeFirstOrThrow();
    expect(meeting).toMatchObject({ kind: 'parents_evening', status: 'held', follow_up_on: '2026-11-26' });
    expect(meeting.outcome).toMatch(/subtract/);
    expect(meeting.summary_sent_at! < NOW.toISOString()).toBe(true);
    const lead = await db.selectFrom('meeting_staff').select('staff_id').where('meeting_id', '=', meeting.id).where('role', '=', 'lead').executeTakeFirstOrThrow();
    expect(lead.staff_id).toBe(okafor.id);
    expect(await db.selectFrom('meeting_notes').select('id').where('meeting_id', '=', meeting.id).execute()).toHaveLength(1);
    const actions = await db.selectFrom('meeting_actions').selectAll().where('meeting_id', '=', meeting.id).execute();
    expect(actions.map((a) => [a.owner_kind, a.staff_id ?? a.carer_id]).sort()).toEqual([
      ['carer', marta.id],
      ['school', okafor.id],
    ]);
    const email = await db.selectFrom('outbox').select(['payload_json', 'status']).where('ref', '=', meeting.id).execute();
    expect(email.map((e) => [JSON.parse(e.payload_json).to, e.status])).toEqual([[CARER_EMAILS.marta, 'sent']]);
    expect(JSON.parse(email[0]!.payload_json).text).toMatch(/Thank you for meeting us/);
  });

  it('has an action Mr Nowak marked done himself, with his note, and one of Marta’s still open for her to tick', async () => {
    const [marta, tomasz] = [await carer(db, CARER_EMAILS.marta), await carer(db, CARER_EMAILS.tomasz)];
    const ticked = await db.selectFrom('meeting_actions').selectAll().where('carer_id', '=', tomasz.id).where('done_by_carer_id', '=', tomasz.id).execute();
    expect(ticked.map((a) => [a.what, a.carer_note])).toEqual([
      ['Play the subtraction games with Kuba at weekends', 'We played the number-line game on Saturday and Sunday. Kuba explained exchanging to me.'],
    ]);
    const audited = await db.selectFrom('audit_log').select(['actor_id']).where('action', '=', 'meeting_action.done_by_carer').where('entity_id', '=', ticked[0]!.id).execute();
    expect(audited).toEqual([{ actor_id: tomasz.id }]);
    const open = await db
      .selectFrom('meeting_actions')
      .innerJoin('meetings', 'meetings.id', 'meeting_actions.meeting_id')
      .select('meeting_actions.what')
      .where('meeting_actions.carer_id', '=', marta.id)
      .where('meeting_actions.done_at', 'is', null)
      .where('meetings.summary_sent_at', 'is not', null)
      .execute();
    expect(open.map((a) => a.what)).toContain('Read with Kuba for ten minutes, four evenings a week, and sign his reading record');
    // She had ticked that one by mistake, and Mr Okafor changed it back the next morning: her page says so.
    const reading = await db
      .selectFrom('meeting_actions')
      .select(['id', 'carer_note'])
      .where('what', '=', 'Read with Kuba for ten minutes, four evenings a week, and sign his reading record')
      .executeTakeFirstOrThrow();
    expect(reading.carer_note).toMatch(/^We read most evenings now/);
    expect([...(await reopenedByStaffOf(db, schoolId, [reading.id])).values()]).toEqual([{ by: 'Mr Okafor', at: '2026-11-20T08:35:00.000Z' }]);
  });

  it("shows the staff what families said they would do: one done with a note, one open with a note, overdue ones, and in the head's list", async () => {
    const calendar = await schoolCalendar(db, schoolId);
    const bennett = await familyFollowUpsOf(db, schoolId, (await staff(db, 'Bennett')).id, TODAY, calendar);
    expect(bennett.map((f) => [f.state, f.carerName, f.pupilName, f.doneAt?.slice(0, 10) ?? null])).toContainEqual(['done', 'Marta Nowak', 'Ola Nowak', '2026-11-21']);
    expect(bennett.find((f) => f.state === 'done')!.note).toMatch(/^We do three sounds every week at breakfast/);
    const okafor = await familyFollowUpsOf(db, schoolId, (await staff(db, 'Okafor')).id, TODAY, calendar);
    const states = okafor.map((f) => [f.state, f.carerName, f.what.split(' ').slice(0, 3).join(' ')]);
    expect(states).toContainEqual(['overdue', 'Sarah Dean', 'Share a bedtime']);
    expect(states).toContainEqual(['open', 'Marta Nowak', 'Read with Kuba']);
    expect(states).toContainEqual(['done', 'Tomasz Nowak', 'Play the subtraction']);
    expect(okafor.find((f) => f.carerName === 'Marta Nowak')!.note).toMatch(/^We read most evenings now/);
    const overdue = await overdueInSchool(db, schoolId, TODAY);
    const family = overdue.filter((f) => f.kind === 'family_action');
    expect(family.length).toBeGreaterThanOrEqual(3);
    expect(family.every((f) => f.dueOn < TODAY && !!f.family)).toBe(true);
  });

  it('has a difficult meeting with a safety plan that Mrs Patel was told about, and none of it in the father’s email', async () => {
    const [meeting, ...others] = await db.selectFrom('meetings').selectAll().where('possibly_difficult', '=', 1).execute();
    expect(others).toEqual([]);
    expect(meeting).toMatchObject({ status: 'scheduled', starts_at: '2026-11-26T15:45:00.000Z', place: 'Family room', mode: 'in_person' });
    const plan = await db.selectFrom('meeting_safety_plans').selectAll().where('meeting_id', '=', meeting!.id).executeTakeFirstOrThrow();
    expect(plan).toMatchObject({ colleague_id: (await staff(db, 'Green')).id, colleague_presence: 'within_earshot', room: 'Family room', clear_route_out: 1, neutral_and_private: 1 });
    expect(plan.head_told_at).not.toBeNull();
    const patel = await staff(db, 'Patel');
    const alerts = await unseenAlerts(db, schoolId, patel.id);
    expect(alerts.some((a) => a.kind === 'difficult_meeting' && a.link === `/meetings/${meeting!.id}`)).toBe(true);

    const [father] = await db.selectFrom('meeting_carers').innerJoin('carers', 'carers.id', 'meeting_carers.carer_id').selectAll('carers').where('meeting_id', '=', meeting!.id).execute();
    const child = await db.selectFrom('pupils').selectAll().where('id', '=', meeting!.pupil_id!).executeTakeFirstOrThrow();
    expect(child.year_group).toBe('3');
    expect(['Nowak', 'Dean']).not.toContain(child.family_name);
    const agenda = await db.selectFrom('meeting_agenda_items').select(['added_by_kind', 'added_by_id']).where('meeting_id', '=', meeting!.id).execute();
    expect(agenda.filter((a) => a.added_by_kind === 'staff').length).toBeGreaterThanOrEqual(2);
    expect(agenda.filter((a) => a.added_by_kind === 'carer').map((a) => a.added_by_id)).toEqual([father!.id]);
    const emails = await db.selectFrom('outbox').select('payload_json').where('channel', '=', 'email').execute();
    const his = emails.map((e) => JSON.parse(e.payload_json) as { to: string; text: string }).filter((e) => e.to === father!.email);
    expect(his.some((e) => e.text.includes('Family room'))).toBe(true);
    for (const e of his) expect(e.text).not.toMatch(/Mr Green|heated|raised his voice|earshot/);
  });

  it('has appointments asked for, offered and arranged, with agendas', async () => {
    const meetings = await db.selectFrom('meetings').selectAll().where('evening_booking_id', 'is', null).execute();
    const grace = await carer(db, CARER_EMAILS.grace);
    const hughes = await staff(db, 'Hughes');
    const graces = meetings.find((m) => m.requested_by_carer_id === grace.id)!;
    expect(graces).toMatchObject({ status: 'requested', urgent: 0 });
    expect(graces.topic).toMatch(/EHCP/);
    expect(await db.selectFrom('meeting_staff').select('role').where('meeting_id', '=', graces.id).where('staff_id', '=', hughes.id).execute()).toEqual([{ role: 'preparer' }]);
    expect((await unseenAlerts(db, schoolId, hughes.id)).some((a) => a.link === `/meetings/${graces.id}`)).toBe(true);

    const urgent = meetings.filter((m) => m.urgent === 1);
    expect(urgent).toHaveLength(1);
    expect(urgent[0]).toMatchObject({ status: 'requested' });
    for (const leader of ['Patel', 'Green']) expect((await unseenAlerts(db, schoolId, (await staff(db, leader)).id)).some((a) => a.kind === 'urgent_request')).toBe(true);

    const tomasz = await carer(db, CARER_EMAILS.tomasz);
    const offered = meetings.find((m) => m.requested_by_carer_id === tomasz.id)!;
    expect(offered.status).toBe('offered');
    const offers = await db.selectFrom('meeting_offers').select(['starts_at', 'chosen_at']).where('meeting_id', '=', offered.id).execute();
    expect(offers).toHaveLength(2);
    expect(offers.every((o) => o.chosen_at === null && o.starts_at > NOW.toISOString())).toBe(true);

    const visit = meetings.find((m) => m.kind === 'home_visit')!;
    expect(visit).toMatchObject({ status: 'scheduled', interpreter_language: 'Somali', starts_at: '2026-12-01T10:00:00.000Z' });
    const visitors = await db
      .selectFrom('meeting_staff')
      .innerJoin('staff', 'staff.id', 'meeting_staff.staff_id')
      .select(['staff.family_name', 'meeting_staff.role'])
      .where('meeting_id', '=', visit.id)
      .orderBy('role')
      .execute();
    expect(visitors).toEqual([
      { family_name: 'Lewis', role: 'colleague' },
      { family_name: 'Price', role: 'lead' },
    ]);
    expect((await db.selectFrom('meeting_agenda_items').select('id').where('meeting_id', '=', visit.id).execute()).length).toBeGreaterThanOrEqual(3);
  });

  it('has meetings held with what the school and the family will do, one referred to Mr Green and one follow-up kept', async () => {
    const held = await db.selectFrom('meetings').selectAll().where('status', '=', 'held').where('evening_booking_id', 'is', null).execute();
    expect(held.length).toBeGreaterThanOrEqual(3);
    for (const m of held) {
      expect(m.starts_at! >= '2026-10-01' && m.starts_at! < TODAY).toBe(true);
      expect(m.outcome).toBeTruthy();
      expect(m.summary_sent_at).not.toBeNull();
      const kinds = new Set((await db.selectFrom('meeting_actions').select('owner_kind').where('meeting_id', '=', m.id).execute()).map((a) => a.owner_kind));
      expect([...kinds].sort()).toEqual(['carer', 'school']);
    }
    const green = await staff(db, 'Green');
    expect(held.filter((m) => m.referred_to === green.id)).toHaveLength(1);
    expect(held.filter((m) => m.follow_up_done_at !== null)).toHaveLength(1);
  });

  it('shows the home-school agreement some agendas emailed two school days ahead by the daily run, and not all', async () => {
    const ctx = { schoolId, period: periodFor(DEMO_TERMS, TODAY), calendar: await schoolCalendar(db, schoolId), timeZone: 'Europe/London' };
    const e = await evidenceFor(db, 'agenda_ahead', ctx);
    expect(e.met).toBeGreaterThanOrEqual(2);
    expect(e.met).toBeLessThan(e.measured);
    expect(e.sentence).toMatch(/^\d+ of \d+ meetings in Autumn term 2026 had their agenda sent two school days ahead/);
  });

  it('puts overdue follow-ups on the head’s home page, and Mr Okafor’s overdue and due ones on his', async () => {
    const overdue = await overdueInSchool(db, schoolId, TODAY);
    expect(overdue.filter((f) => f.kind === 'follow_up').length).toBeGreaterThanOrEqual(2);
    expect(overdue.every((f) => f.dueOn < TODAY && f.state === 'overdue')).toBe(true);
    const okafors = await followUpsOf(db, schoolId, (await staff(db, 'Okafor')).id, TODAY, await schoolCalendar(db, schoolId));
    expect(okafors.map((f) => [f.state, f.dueOn, f.pupilName])).toEqual([
      ['overdue', '2026-11-20', 'Lily Dean'],
      ['due', '2026-11-26', 'Kuba Nowak'],
    ]);
    const thisWeek = await db.selectFrom('meetings').select('id').where('follow_up_on', '>=', TODAY).where('follow_up_on', '<=', '2026-11-27').where('follow_up_done_at', 'is', null).execute();
    expect(thisWeek.length).toBeGreaterThanOrEqual(1);
  });

  it('leaves nothing waiting to be sent, and only the last few days’ alerts unseen', async () => {
    const pending = await db.selectFrom('outbox').select('id').where('school_id', '=', schoolId).where('status', '=', 'pending').execute();
    expect(pending).toEqual([]);
    const unseen = await db.selectFrom('staff_alerts').select('created_at').where('seen_at', 'is', null).execute();
    expect(unseen.length).toBeGreaterThan(0);
    expect(unseen.every((a) => a.created_at >= '2026-11-19' && a.created_at < NOW.toISOString())).toBe(true);
    const loaded = await db.selectFrom('audit_log').select('after_json').where('action', '=', 'demo.meetings_loaded').execute();
    expect(loaded).toHaveLength(1);
  });

  it('has one report Ms Hall told the DSL about Leo, waiting unread for Mrs Adeyemi and Mr Green, with its words out of the audit log', async () => {
    const reports = await db.selectFrom('dsl_reports').innerJoin('pupils', 'pupils.id', 'dsl_reports.pupil_id').select(['dsl_reports.id', 'dsl_reports.written_by', 'pupils.given_name']).execute();
    expect(reports.map((r) => r.given_name)).toEqual(['Leo']);
    expect(reports[0]!.written_by).toBe((await staff(db, 'Hall')).id);
    const link = `/tell-the-dsl/${reports[0]!.id}`;
    const adeyemi = await staff(db, 'Adeyemi');
    expect((await unseenAlerts(db, schoolId, adeyemi.id)).map((a) => a.link)).toContain(link);
    const alerted = await db.selectFrom('staff_alerts').innerJoin('staff', 'staff.id', 'staff_alerts.staff_id').select('staff.family_name').where('link', '=', link).execute();
    expect(alerted.map((a) => a.family_name).sort()).toEqual(['Adeyemi', 'Green']);
    const made = await db.selectFrom('audit_log').select('after_json').where('action', '=', 'dsl_report.made').execute();
    expect(made).toHaveLength(1);
    expect(made[0]!.after_json).not.toContain('neck');
  });

  it('lets Marta book Kuba’s and Ola’s teachers for the spring with "book for me"', async () => {
    const spring = await evening(db, "Spring parents' evening");
    const marta = await carer(db, CARER_EMAILS.marta);
    const ctx = {
      schoolId,
      eveningId: spring.id,
      carerId: marta.id,
      actor: { kind: 'carer' as const, id: marta.id, schoolId },
      now: NOW,
      today: TODAY,
      timeZone: 'Europe/London',
      baseUrl: 'http://127.0.0.1:3000',
      dialect,
    };
    const family = bookableChildren(await familyRows(db, ctx));
    expect(family.map((c) => c.name).sort()).toEqual(['Kuba Nowak', 'Ola Nowak']);
    const pairs = family.flatMap((c) => c.teachers.map((x) => pairValue(c.pupilId, x.staffId)));
    const held = await proposeAndHold(db, ctx, { earliest: '2027-03-23T15:30:00.000Z', latest: '2027-03-23T18:30:00.000Z', mode: 'in_person', pairs });
    expect(held.ok).toBe(true);
    if (!held.ok) return;
    expect(await acceptHold(db, { ...ctx, now: new Date(NOW.getTime() + 30_000) }, held.holdId)).toEqual({ ok: true });
    const hers = (await liveBookings(db, spring.id)).filter((b) => b.carer_id === marta.id);
    expect(hers).toHaveLength(2);
  });

  // Last, because it closes this database first: a second PostgreSQL test schema opened beside
  // this one would not be migrated (see demo-school.test.ts).
  it('gives the same evenings, bookings and meetings every time', async () => {
    const first = await meetingFacts(db);
    await t.close();
    closed = true;
    const again = await openTestDb(dialect);
    try {
      await loadDemoSchool(again.db, { now: NOW });
      const second = await meetingFacts(again.db);
      // Marta's spring booking above was made by the test, not the demo.
      expect(second.bookings).toEqual(first.bookings.filter((b) => !(b.includes('Spring') && b.includes('"Marta"'))));
      expect(second.meetings).toEqual(first.meetings);
    } finally {
      await again.close();
    }
  });
});

describe('the demo started after 23 November', () => {
  it('moves the meetings still to come on by whole weeks, to after today, on the same weekday', () => {
    expect(weeksToMove(new Date('2026-11-23T08:30:00.000Z'), '2026-11-23')).toBe(0);
    expect(weeksToMove(new Date('2026-11-20T08:30:00.000Z'), '2026-11-23')).toBe(0);
    expect(weeksToMove(new Date('2026-11-24T08:30:00.000Z'), '2026-11-23')).toBe(1);
    expect(weeksToMove(new Date('2026-12-05T08:30:00.000Z'), '2026-11-23')).toBe(2);
    // Across the clocks going forward: still 3:45pm in school.
    expect(coming({ comingWeeks: 18 }, '2026-11-26', '15:45').toISOString()).toBe('2027-04-01T14:45:00.000Z');
  });
});

describe.each(dialects)('the demo school loaded on 5 December on %s', (dialect: Dialect) => {
  it('has the difficult meeting, the home visit and the offered times still to come', async () => {
    const t = await openTestDb(dialect);
    try {
      const later = new Date('2026-12-05T08:30:00.000Z');
      await loadDemoSchool(t.db, { now: later });
      const coming = await t.db.selectFrom('meetings').select(['kind', 'starts_at', 'possibly_difficult']).where('status', '=', 'scheduled').where('evening_booking_id', 'is', null).execute();
      expect(coming.find((m) => m.possibly_difficult === 1)?.starts_at).toBe('2026-12-10T15:45:00.000Z');
      expect(coming.find((m) => m.kind === 'home_visit')?.starts_at).toBe('2026-12-15T10:00:00.000Z');
      const offers = await t.db.selectFrom('meeting_offers').select('starts_at').where('chosen_at', 'is', null).where('starts_at', '>', later.toISOString()).execute();
      expect(offers.map((o) => o.starts_at).sort()).toEqual(['2026-12-09T08:20:00.000Z', '2026-12-11T08:20:00.000Z']);
    } finally {
      await t.close();
    }
    // Loading the whole demo school: ~3 s on a quiet machine, 30 s and more while the suite runs beside it.
  }, 120_000);
});

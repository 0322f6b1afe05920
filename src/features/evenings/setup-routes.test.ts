import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { plannerRowCount } from '../../db/statistics.ts';
import { dialects } from '../../../test/support/db.ts';
import { startTestApp, type TestApp } from '../../../test/support/app.ts';
import { book, eveningForm, makeEvening, slotsOfTeacher } from './setup-test-data.ts';

const NOW = new Date('2026-11-10T09:00:00Z');

describe.each(dialects)("setting up parents' evenings on %s", (dialect) => {
  let t: TestApp;
  let eveningId = '';
  beforeAll(async () => {
    t = await startTestApp(dialect, { clock: () => NOW });
  });
  afterAll(async () => t?.close());

  const auditOf = (action: string, entityId: string) => t.db.selectFrom('audit_log').selectAll().where('action', '=', action).where('entity_id', '=', entityId).execute();
  const form = () => ({ ...eveningForm, class_ids: [t.fx.classes.y3, t.fx.classes.y4, t.fx.classes.reception] });
  /** The form as a browser sends it: each date in GOV.UK's three boxes (2026-11-26 → 26, 11, 2026). */
  const inBoxes = (values: Record<string, string | string[]>): Record<string, string | string[]> =>
    Object.fromEntries(
      Object.entries(values).flatMap(([k, v]) => {
        const iso = typeof v === 'string' && k.endsWith('_date') ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(v) : null;
        return iso
          ? [
              [`${k}-day`, String(Number(iso[3]))],
              [`${k}-month`, String(Number(iso[2]))],
              [`${k}-year`, iso[1]!],
            ]
          : [[k, v]];
      }),
    );

  it('lets the head set up an evening: sessions, classes, teachers and every slot are made', async () => {
    const head = await t.as('staff', t.fx.staff.head);
    const page = await head.get('/evenings/new');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Year 3');
    expect(page.body).toContain('Reception Robins');
    expect(page.body).toContain('No class teacher'); // Nursery
    expect(page.body).toContain('value="5"'); // the travel gap's default
    for (const name of ['s1_date', 's2_date', 's3_date', 'opens_date', 'closes_date']) expect(page.body).toContain(`name="${name}-day"`);

    const made = await head.post('/evenings/new', inBoxes(form()));
    expect(made.statusCode).toBe(303);
    eveningId = String(made.headers.location).split('/')[2]!;
    expect(made.headers.location).toBe(`/evenings/${eveningId}/rooms?done=created`);

    const evening = await t.db.selectFrom('evenings').selectAll().where('id', '=', eveningId).executeTakeFirstOrThrow();
    expect(evening).toMatchObject({
      school_id: t.fx.school.id,
      modes: 'in_person,phone,video',
      travel_gap_minutes: 5,
      separated_carers: 'own',
      booking_opens_at: '2026-11-02T18:00:00.000Z',
      published_at: null,
      created_by: t.fx.staff.head,
    });
    const teachers = await t.db.selectFrom('evening_teachers').select('staff_id').where('evening_id', '=', eveningId).execute();
    expect(teachers.map((r) => r.staff_id).sort()).toEqual([t.fx.staff.teacher, t.fx.staff.teacher2, t.fx.staff.teacher3].sort());
    // 16 slots on Thursday (around the break) and 6 on Friday morning, for each of three teachers.
    expect(await t.db.selectFrom('evening_slots').select('id').where('evening_id', '=', eveningId).execute()).toHaveLength(66);
    const okafor = await slotsOfTeacher(t.db, eveningId, t.fx.staff.teacher);
    expect(okafor[0]).toMatchObject({ starts_at: '2026-11-26T15:30:00.000Z', ends_at: '2026-11-26T15:40:00.000Z', unavailable: 0 });
    expect(okafor.at(-1)).toMatchObject({ starts_at: '2026-11-27T08:50:00.000Z' });
    expect(await auditOf('evening.created', eveningId)).toHaveLength(1);

    const rooms = await head.get(`/evenings/${eveningId}/rooms?done=created`);
    expect(rooms.body).toContain('Mr Okafor');
    expect(rooms.body).toContain(`name="link_${t.fx.staff.teacher}"`);
  });

  it('publishes only once every teacher has a room and a video link', async () => {
    const office = await t.as('staff', t.fx.staff.office);
    const early = await office.post(`/evenings/${eveningId}/publish`);
    expect(early.statusCode).toBe(400);
    expect(early.body).toContain('Enter a room for <bdi>Mr Okafor</bdi>');
    expect(early.body).toContain('Enter a video link for <bdi>Ms Hall</bdi>');

    const places = { [`room_${t.fx.staff.teacher}`]: 'Room 3', [`link_${t.fx.staff.teacher}`]: 'meet.example.org/okafor', [`room_${t.fx.staff.teacher2}`]: 'Room 4' };
    const bad = await office.post(`/evenings/${eveningId}/rooms`, places);
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('Enter the video link for <bdi>Mr Okafor</bdi> as a full web address starting https://');
    expect(bad.body).toContain('value="meet.example.org/okafor"');
    expect(bad.body).toContain('value="Room 4"');

    const all = {
      ...places,
      [`link_${t.fx.staff.teacher}`]: 'https://meet.example.org/okafor',
      [`link_${t.fx.staff.teacher2}`]: 'https://meet.example.org/hall',
      [`room_${t.fx.staff.teacher3}`]: 'Reception classroom',
      [`link_${t.fx.staff.teacher3}`]: 'https://meet.example.org/bell',
    };
    expect((await office.post(`/evenings/${eveningId}/rooms`, all)).statusCode).toBe(303);
    const okafor = await t.db.selectFrom('evening_teachers').selectAll().where('evening_id', '=', eveningId).where('staff_id', '=', t.fx.staff.teacher).executeTakeFirstOrThrow();
    expect(okafor).toMatchObject({ room: 'Room 3', video_link: 'https://meet.example.org/okafor' });

    const slotCount = (await t.db.selectFrom('evening_slots').select('id').execute()).length;
    const published = await office.post(`/evenings/${eveningId}/publish`);
    expect(published.headers.location).toBe(`/evenings/${eveningId}?done=published`);
    // PostgreSQL plans the booking rush with the new slots counted (src/db/statistics.ts; SQLite keeps no count: null).
    expect([null, slotCount]).toContain(await plannerRowCount(t.db, 'evening_slots'));
    expect((await t.db.selectFrom('evenings').select('published_at').where('id', '=', eveningId).executeTakeFirstOrThrow()).published_at).toBe(NOW.toISOString());
    expect((await office.post(`/evenings/${eveningId}/publish`)).headers.location).toBe(`/evenings/${eveningId}?done=already`);
    expect(await auditOf('evening.published', eveningId)).toHaveLength(1);
    expect(await auditOf('evening.rooms_set', eveningId)).toHaveLength(1);

    const overview = await office.get(`/evenings/${eveningId}`);
    expect(overview.body).toContain('Open for booking');
    expect(overview.body).toContain('Open for booking from 2 November 2026 at 6:00pm to 25 November 2026 at midday');
    const list = await (await t.as('staff', t.fx.staff.teacher)).get('/evenings');
    expect(list.body).toContain(`href="/evenings/${eveningId}/schedule"`);
  });

  it('refuses bad input with a message beside each field, keeping what was typed', async () => {
    const head = await t.as('staff', t.fx.staff.head);
    const before = await t.db.selectFrom('evenings').select('id').execute();
    const res = await head.post('/evenings/new', {
      ...form(),
      s1_slot_minutes: '25',
      s2_date: '2026-11-26',
      s2_starts: '18:00',
      s2_ends: '19:00',
      travel_gap: '45',
    });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('There is a problem');
    expect(res.body).toContain('Session 1: 25-minute slots do not fit the 160 minutes of the session');
    expect(res.body).toContain('href="#s1_slot_minutes"');
    expect(res.body).toContain('The time between appointments must be from 0 to 30 minutes');
    expect(res.body).toContain('value="25"');
    expect(res.body).toContain('value="19:00"');
    expect(res.body).toMatch(new RegExp(`value="${t.fx.classes.y4}"[^>]*checked`));

    const sameDay = await head.post('/evenings/new', { ...form(), s2_date: '2026-11-26', s2_starts: '18:00', s2_ends: '19:00' });
    expect(sameDay.body).toContain('The sessions on 2026-11-26 overlap (15:30–18:30 and 18:00–19:00)');

    const people = await head.post('/evenings/new', { ...form(), class_ids: [t.fx.classes.y3, t.fx.classes.nursery], teacher_ids: [t.fx.staff.teacher, t.fx.staff.teacher2] });
    expect(people.statusCode).toBe(400);
    expect(people.body).toContain('Nursery has no class teacher');
    expect(people.body).toContain('Ms Hall teaches none of the chosen classes');

    const late = await head.post('/evenings/new', { ...form(), closes_date: '2026-11-26', closes_time: '18:30' });
    expect(late.body).toContain('Booking must close before the first session ends (26 November 2026 at 6:30pm)');
    const skipped = await head.post('/evenings/new', { ...form(), opens_date: '2026-03-29', opens_time: '01:30' });
    expect(skipped.body).toContain('The clocks go forward then, so that time does not exist');

    const boxes = await head.post('/evenings/new', { ...inBoxes(form()), 'opens_date-month': '13', 'closes_date-day': '', 's1_date-year': '26' });
    expect(boxes.statusCode).toBe(400);
    expect(boxes.body).toContain('The date booking opens must be a real date');
    expect(boxes.body).toContain('href="#opens_date-month"');
    expect(boxes.body).toContain('The date booking closes must include a day');
    expect(boxes.body).toContain('href="#closes_date-day"');
    expect(boxes.body).toContain('Year must include 4 numbers');
    expect(boxes.body).toContain('href="#s1_date-year"');
    expect(boxes.body).toMatch(/govuk-input--error" id="opens_date-month" name="opens_date-month" type="text" value="13"/);
    expect(boxes.body).not.toMatch(/govuk-input--error" id="opens_date-day"/);

    expect(await t.db.selectFrom('evenings').select('id').execute()).toHaveLength(before.length);
  });

  it('rebuilds slots when sessions change before anyone books, and refuses it after', async () => {
    const id = await makeEvening(t.db, t.fx, { classIds: [t.fx.classes.y3] });
    const head = await t.as('staff', t.fx.staff.head);
    const first = (await slotsOfTeacher(t.db, id, t.fx.staff.teacher))[0]!;
    await t.db.updateTable('evening_slots').set({ unavailable: 1 }).where('id', '=', first.id).execute();

    const edit = await head.get(`/evenings/${id}/edit`);
    expect(edit.statusCode).toBe(200);
    expect(edit.body).toContain('value="15:30"');
    // The saved opening date, 2 November 2026, back in its three boxes.
    expect(edit.body).toMatch(/id="opens_date-day" name="opens_date-day" type="text" value="2"/);
    expect(edit.body).toMatch(/id="opens_date-month" name="opens_date-month" type="text" value="11"/);
    expect(edit.body).toMatch(/id="opens_date-year" name="opens_date-year" type="text" value="2026"/);

    const changed = { ...eveningForm, s2_date: '', s2_starts: '', s2_ends: '', s2_slot_minutes: '', class_ids: [t.fx.classes.y3], s1_ends: '19:00' };
    expect((await head.post(`/evenings/${id}/edit`, changed)).headers.location).toBe(`/evenings/${id}?done=changed`);
    const after = await slotsOfTeacher(t.db, id, t.fx.staff.teacher);
    expect(after).toHaveLength(19);
    expect(after[0]).toMatchObject({ id: first.id, unavailable: 1 }); // kept, with its mark
    expect(await auditOf('evening.changed', id)).toHaveLength(1);

    await book(t.db, t.fx, after[3]!, { pupilId: t.fx.pupils.kuba, carerId: t.fx.carers.marta });
    const refused = await head.post(`/evenings/${id}/edit`, { ...changed, s1_ends: '18:30' });
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain('Families have booked appointments at this evening, so its dates and times cannot change');
    expect(await slotsOfTeacher(t.db, id, t.fx.staff.teacher)).toHaveLength(19);

    // Other details may still change.
    expect((await head.post(`/evenings/${id}/edit`, { ...changed, name: 'Autumn evening (moved rooms)' })).statusCode).toBe(303);
    expect((await t.db.selectFrom('evenings').select('name').where('id', '=', id).executeTakeFirstOrThrow()).name).toBe('Autumn evening (moved rooms)');

    // Once the appointment is cancelled the times may change again, but the cancelled one's time stays.
    await t.db.updateTable('evening_bookings').set({ cancelled_at: NOW.toISOString(), cancelled_by_kind: 'carer', cancelled_by_id: t.fx.carers.marta }).where('evening_id', '=', id).execute();
    const dropsIt = await head.post(`/evenings/${id}/edit`, { ...changed, s1_starts: '16:30' });
    expect(dropsIt.statusCode).toBe(400);
    expect(dropsIt.body).toContain('Some of these times had appointments that were later cancelled');
    expect((await head.post(`/evenings/${id}/edit`, { ...changed, s1_ends: '19:30' })).statusCode).toBe(303);
    expect(await slotsOfTeacher(t.db, id, t.fx.staff.teacher)).toHaveLength(22);
  });

  it('shows the office how full each teacher is and which families have not booked, with a way to book for them', async () => {
    const okafor = await slotsOfTeacher(t.db, eveningId, t.fx.staff.teacher);
    await book(t.db, t.fx, okafor[0]!, { pupilId: t.fx.pupils.kuba, carerId: t.fx.carers.marta });
    await book(t.db, t.fx, okafor[1]!, { pupilId: t.fx.pupils.lily, carerId: t.fx.carers.sarah, status: 'held', holdExpiresAt: '2026-11-10T09:02:00.000Z' });

    const office = await t.as('staff', t.fx.staff.office);
    const page = await office.get(`/evenings/${eveningId}`);
    expect(page.statusCode).toBe(200);
    const row = page.body.slice(page.body.indexOf(`id="teacher-${t.fx.staff.teacher}"`));
    expect(row.slice(0, row.indexOf('</tr>'))).toMatch(/>1 <span class="govuk-body-s">\(\+1 being booked\)<\/span><\/td>\s*<td[^>]*>20<\/td>/);
    const waiting = page.body.slice(page.body.indexOf('id="not-booked"'));
    expect(waiting).not.toContain('Jakub Nowak'); // booked
    expect(waiting).toContain('Lily Dean'); // only held
    expect(waiting).toContain('Sarah Dean');
    expect(waiting).not.toContain('Mark Dean'); // a court order keeps him from Lily's school life
    expect(waiting).toContain('Aleksandra Nowak');
    expect(waiting).toContain(`href="/evenings/${eveningId}/book-for/${t.fx.carers.sarah}"`);
    expect(waiting).not.toContain('Ayaan'); // Nursery is not in this evening
    // Who has booked, by group: the evening's four children; Jakub booked, Lily's time only held.
    expect(byGroup(page.body)).toEqual([
      ['All pupils', '4', '1', '25%'],
      ['Reception', '1', '0', '0%'],
      ['Year 3', '2', '1', '50%'],
      ['Year 4', '1', '0', '0%'],
      ['Home language: English', '2', '0', '0%'],
      ['Home language: Polish', '2', '1', '50%'],
      ['SEND (SEN support or EHCP)', '1', '0', '0%'],
      ['English as an additional language', '2', '1', '50%'],
    ]);

    // Mr Okafor sees only his own class's families, and no booking-for links.
    const teacher = await (await t.as('staff', t.fx.staff.teacher)).get(`/evenings/${eveningId}`);
    const his = teacher.body.slice(teacher.body.indexOf('id="not-booked"'));
    expect(his).toContain('Lily Dean');
    expect(his).not.toContain('Aleksandra Nowak');
    expect(his).not.toContain('/book-for/');
    expect(byGroup(teacher.body)).toEqual([
      ['All pupils', '2', '1', '50%'],
      ['Year 3', '2', '1', '50%'],
      ['Home language: English', '1', '0', '0%'],
      ['Home language: Polish', '1', '1', '100%'],
      ['English as an additional language', '1', '1', '100%'],
    ]);
  });

  it('lets the office with a parent on the phone find that family by name or class', async () => {
    const office = await t.as('staff', t.fx.staff.office);
    const notBooked = (body: string) => body.slice(body.indexOf('id="not-booked"'));
    // By a parent's name, any part of it, in any case: only that family is listed, with its link.
    const bySarah = notBooked((await office.get(`/evenings/${eveningId}?q=SARAH`)).body);
    expect(bySarah).toContain('1 child matching “SARAH”');
    expect(bySarah).toContain('Lily Dean');
    expect(bySarah).toContain(`href="/evenings/${eveningId}/book-for/${t.fx.carers.sarah}"`);
    expect(bySarah).not.toContain('Aleksandra Nowak');
    // By class: Reception only.
    const byClass = notBooked((await office.get(`/evenings/${eveningId}?class=${t.fx.classes.reception}`)).body);
    expect(byClass).toContain('Aleksandra Nowak');
    expect(byClass).not.toContain('Lily Dean');
    expect(byClass).toContain('Show every class');
    // Nobody by that name: said, not an empty table.
    const nobody = notBooked((await office.get(`/evenings/${eveningId}?q=Zebedee`)).body);
    expect(nobody).toContain('0 children matching “Zebedee”');
    expect(nobody).not.toContain('<table');
  });

  it('answers 404 to those who may not set up, to governors and carers, and for another school’s evening', async () => {
    const teacher = await t.as('staff', t.fx.staff.teacher);
    expect((await teacher.get('/evenings/new')).statusCode).toBe(404);
    expect((await teacher.post(`/evenings/${eveningId}/publish`)).statusCode).toBe(404);
    expect((await teacher.get(`/evenings/${eveningId}/edit`)).statusCode).toBe(404);
    const governor = await t.as('staff', t.fx.staff.governor);
    expect((await governor.get('/evenings')).statusCode).toBe(404);
    const carer = await t.as('carer', t.fx.carers.marta);
    expect((await carer.get(`/evenings/${eveningId}`)).statusCode).toBe(404);
    const otherHead = await t.as('staff', t.fx.staff.otherHead, t.fx.other.id);
    expect((await otherHead.get(`/evenings/${eveningId}`)).statusCode).toBe(404);
    expect((await otherHead.post(`/evenings/${eveningId}/rooms`, {})).statusCode).toBe(404);
    expect((await otherHead.get('/evenings')).body).not.toContain(eveningId);
    const head = await t.as('staff', t.fx.staff.head);
    expect((await head.get('/evenings/0190a000-0000-7000-8000-000000000000')).statusCode).toBe(404);
  });
});

/** The rows of "Who has booked, by group" on an evening's overview, as the cells' text. */
function byGroup(html: string): string[][] {
  const table = html.slice(html.indexOf('id="booked-by-group"'), html.indexOf('</table>', html.indexOf('id="booked-by-group"')));
  const body = table.slice(table.indexOf('<tbody'));
  return [...body.matchAll(/<tr[^>]*>([\s\S]*?)<\/tr>/g)].map((r) => [...r[1]!.matchAll(/<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/g)].map((c) => c[1]!.trim()));
}

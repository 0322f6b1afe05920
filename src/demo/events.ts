import type { Db } from '../db/database.ts';
import { auditMany } from '../platform/audit/audit.ts';
import { insertInChunks } from '../db/insert-in-chunks.ts';
import { newId } from '../platform/ids.ts';
import { addWalkIn, createEvent, publishEvent } from '../features/events/commands.ts';
import { eventById } from '../features/events/queries.ts';
import type { EventInput, SessionInput } from '../features/events/event.ts';
import { addOpportunity, approve, decline, offer, putOn } from '../features/volunteering/commands.ts';
import type { Plan } from './builder.ts';
import { askVolunteer, volunteerWrites } from '../features/messages/volunteer-translation-commands.ts';
import { translatorsFor } from '../features/volunteering/index.ts';
import { dialectOf } from './meetings-context.ts';
import type { JourneyIds } from './journeys.ts';

/**
 * A term of events (journey 11) and volunteers at each stage of approval.
 *
 * Events, sent through the events feature to every carer who may hear (never Mark Dean about Lily):
 * a welcome coffee morning in September, a Reception phonics workshop at 9:00 and 15:30 (a Nursery family came to
 * the afternoon as a walk-in, found at the door by their child's name, their first time), the November
 * coffee morning at 9:00 and again at 18:00 — the evening session brings families who had never come
 * before, Marta among them — a winter concert still to come with answers coming in, and a PTA meeting
 * in draft. Answers and registers are written in bulk (the demo has hundreds of families).
 *
 * Volunteering: Grace Mensah offers to be a reading partner and is approved after a risk assessment as
 * a supervised volunteer, and is put on Tuesday reading; Tomasz is an approved trip helper after an
 * enhanced DBS check with the barred list, his review due soon; Marta has offered to help with the PTA
 * (checks to do); Sarah's offer to be a parent governor was not taken up.
 */
const at = (date: string, time = '09:30') => new Date(`${date}T${time}:00.000Z`);
const session = (date: string, start: string, end: string): SessionInput => ({ startsAt: `${date}T${start}:00.000Z`, endsAt: `${date}T${end}:00.000Z` });

export async function addDemoEvents(db: Db, input: { schoolId: string; plan: Plan; journey: JourneyIds }): Promise<{ events: number }> {
  const { schoolId, plan, journey: j } = input;
  const staffOf = (key: string) => ({ kind: 'staff' as const, id: plan.staffIds[key]!, schoolId });
  const office = staffOf('office');
  const flo = staffOf('flo');
  const ctx = (date: string) => ({ baseUrl: 'http://localhost:3000', schoolName: 'Brookfield', timeZone: 'Europe/London', today: date, now: at(date, '08:00'), textsCanGo: false });
  const school = (kind: EventInput['kind'], title: string, description: string, place: string): EventInput => ({ kind, title, description, place, audience: { kind: 'school' } });

  async function held(inputEvent: EventInput, sessions: SessionInput[], sentOn: string, pick: (index: number, carerId: string) => { session: number; came: boolean; people: number } | 'no' | null) {
    const id = await createEvent(db, flo, inputEvent, sessions, at(sentOn, '08:00'));
    await publishEvent(db, flo, (await eventById(db, schoolId, id))!, ctx(sentOn));
    const [invitees, rows] = await Promise.all([
      db.selectFrom('event_invitees').select('carer_id').where('event_id', '=', id).orderBy('carer_id').execute(),
      db.selectFrom('event_sessions').select(['id', 'starts_at']).where('event_id', '=', id).orderBy('starts_at').execute(),
    ]);
    const rsvps: Parameters<typeof insertInChunks<'event_rsvps'>>[2][number][] = [];
    const register: Parameters<typeof insertInChunks<'event_attendance'>>[2][number][] = [];
    invitees.forEach(({ carer_id }, i) => {
      const choice = pick(i, carer_id);
      if (!choice) return;
      const updated = at(sentOn, '19:00').toISOString();
      if (choice === 'no') {
        rsvps.push({ id: newId(), school_id: schoolId, event_id: id, carer_id, answer: 'no', session_id: null, attending: 0, updated_at: updated });
        return;
      }
      const s = rows[Math.min(choice.session, rows.length - 1)]!;
      rsvps.push({ id: newId(), school_id: schoolId, event_id: id, carer_id, answer: 'yes', session_id: s.id, attending: choice.people, updated_at: updated });
      if (choice.came && s.starts_at < new Date().toISOString())
        register.push({ id: newId(), school_id: schoolId, event_id: id, session_id: s.id, carer_id, attended: 1, marked_by: office.id, marked_at: s.starts_at });
    });
    await insertInChunks(db, 'event_rsvps', rsvps);
    await insertInChunks(db, 'event_attendance', register);
    await auditMany(
      db,
      { kind: 'system' },
      [
        { schoolId, action: 'demo.event_answers', entity: 'event', entityId: id, after: { answers: rsvps.length } },
        { schoolId, action: 'demo.event_register', entity: 'event', entityId: id, after: { came: register.length } },
      ],
      at(sentOn, '20:00'),
    );
    return id;
  }

  const named = new Set([j.marta, j.tomasz, j.grace, j.faduma, j.sarah]);
  // September: a quarter of families say yes; most of them come. Grace and Faduma come; Marta and Tomasz do not.
  await held(
    school('coffee_morning', 'Welcome coffee morning', 'Meet the staff and other families over coffee. Younger brothers and sisters welcome.', 'The school hall'),
    [session('2026-09-17', '08:00', '09:30')],
    '2026-09-07',
    (i, c) =>
      c === j.grace || c === j.faduma ? { session: 0, came: true, people: 1 } : named.has(c) ? null : i % 4 === 0 ? { session: 0, came: i % 8 !== 4, people: 1 + (i % 2) } : i % 4 === 1 ? 'no' : null,
  );
  // October: the phonics workshop for Reception families, in the morning and after school.
  const phonics = await held(
    {
      kind: 'workshop',
      title: 'How we teach reading: phonics workshop',
      description: 'How we teach letters and sounds, and how to help at home. Ola’s class teacher leads it.',
      place: 'Reception classroom',
      audience: { kind: 'years', years: ['R'] },
    },
    [session('2026-10-08', '08:00', '09:00'), session('2026-10-08', '14:30', '15:30')],
    '2026-09-28',
    (i, c) => (c === j.marta || c === j.tomasz ? 'no' : i % 2 === 0 ? { session: i % 4 === 0 ? 0 : 1, came: true, people: 1 } : null),
  );
  // A walk-in: a Nursery family who was not asked (their child starts Reception next year) came to the
  // afternoon session; at the door Ms Byrne found them by the child's name and added them, first time.
  const afternoon = await db.selectFrom('event_sessions').select(['id', 'event_id']).where('event_id', '=', phonics).orderBy('starts_at', 'desc').executeTakeFirstOrThrow();
  const came = new Set((await db.selectFrom('event_attendance').select('carer_id').where('school_id', '=', schoolId).execute()).map((r) => r.carer_id));
  const nursery = new Set(plan.pupils.filter((p) => p.year_group === 'N' && !p.archived_at).map((p) => p.id));
  const current = new Set(plan.carers.filter((c) => !c.archived_at).map((c) => c.id));
  const restricted = new Set(plan.restrictions.map((r) => r.carer_id));
  const walkIn = plan.links.find(
    (l) =>
      nursery.has(l.pupil_id) &&
      l.may_receive_information === 1 &&
      l.lives_with_pupil === 1 &&
      current.has(l.carer_id) &&
      !restricted.has(l.carer_id) &&
      !named.has(l.carer_id) &&
      l.carer_id !== j.faduma &&
      !came.has(l.carer_id),
  );
  if (!walkIn) throw new Error('The demo school has no Nursery family who never came, for a walk-in');
  await addWalkIn(db, office, afternoon, walkIn.carer_id, at('2026-10-08', '14:40'));

  // November: the coffee morning at 9:00 and again at 18:00; the evening brings families who had never come, Marta among them.
  await held(
    school('coffee_morning', 'Coffee morning (and coffee evening)', 'The same coffee morning twice: at 9:00, and again at 18:00 for families who work in the day.', 'The school hall'),
    [session('2026-11-19', '09:00', '10:30'), session('2026-11-19', '18:00', '19:30')],
    '2026-11-09',
    (i, c) =>
      c === j.marta
        ? { session: 1, came: true, people: 2 }
        : c === j.grace
          ? { session: 0, came: true, people: 1 }
          : c === j.tomasz
            ? 'no'
            : named.has(c)
              ? null
              : i % 3 === 0
                ? { session: i % 2, came: i % 9 !== 0, people: 1 }
                : i % 3 === 1 && i % 2 === 0
                  ? 'no'
                  : null,
  );
  // December: the winter concert, still to come; answers coming in.
  const concert = await held(
    school('concert', 'Winter concert', 'Every class sings. Tickets are free; tell us how many are coming so that we can set out chairs.', 'The school hall'),
    [session('2026-12-16', '14:00', '15:00'), session('2026-12-16', '18:00', '19:00')],
    '2026-12-01',
    (i, c) => (c === j.marta ? { session: 1, came: false, people: 3 } : i % 2 === 0 ? { session: i % 3 === 0 ? 0 : 1, came: false, people: 1 + (i % 4) } : i % 5 === 1 ? 'no' : null),
  );
  await createEvent(
    db,
    office,
    school('pta_meeting', 'PTA meeting: summer fair', 'Planning the summer fair. Everyone welcome.', 'The staff room'),
    [session('2027-01-21', '18:30', '19:30')],
    at('2026-12-02'),
  );

  // Volunteering.
  const reading = await addOpportunity(
    db,
    office,
    { kind: 'reading_partner', title: 'Reading partner', description: 'Hear Year 2 and Year 3 children read, on Tuesday afternoons.', needsDbs: true },
    at('2026-09-10'),
  );
  const trips = await addOpportunity(
    db,
    office,
    { kind: 'trip_helper', title: 'Trip helper', description: 'Help on class trips: the Year 3 museum visit and the Year 4 farm trip.', needsDbs: true },
    at('2026-09-10'),
  );
  const pta = await addOpportunity(db, office, { kind: 'pta', title: 'PTA committee', description: 'Plan events with other families and staff.', needsDbs: false }, at('2026-09-10'));
  const governor = await addOpportunity(
    db,
    staffOf('head'),
    { kind: 'governor', title: 'Parent governor', description: 'A parent governor is elected for four years.', needsDbs: true },
    at('2026-09-10'),
  );
  const carer = (id: string) => ({ kind: 'carer' as const, id, schoolId });
  const volunteerOf = async (carerId: string, opportunityId: string) =>
    (await db.selectFrom('volunteers').select('id').where('school_id', '=', schoolId).where('carer_id', '=', carerId).where('opportunity_id', '=', opportunityId).executeTakeFirstOrThrow()).id;

  await offer(db, carer(j.grace), reading, 'I can come on Tuesdays after lunch.', at('2026-10-02', '20:10'));
  const grace = await volunteerOf(j.grace, reading);
  await approve(
    db,
    office,
    grace,
    {
      supervised: 1,
      dbsCertificate: null,
      dbsCheckedOn: null,
      barredListChecked: 0,
      riskAssessment:
        'Reads with children in the library corner, always within sight of the class teacher or a teaching assistant. Never alone with a child; does not take children to the toilet. Signs in and out at the office.',
      riskAssessedOn: '2026-10-09',
      reviewOn: '2027-10-09',
    },
    '2026-10-09',
    at('2026-10-09', '15:00'),
  );
  await putOn(db, office, grace, { eventId: null, activity: 'Reading with Year 2, Tuesday afternoons', onDate: '2026-10-13' }, '2026-10-09', at('2026-10-09', '15:05'));

  await offer(db, carer(j.tomasz), trips, null, at('2026-09-14', '21:00'));
  const tomasz = await volunteerOf(j.tomasz, trips);
  await approve(
    db,
    office,
    tomasz,
    { supervised: 0, dbsCertificate: '001234567890', dbsCheckedOn: '2026-01-15', barredListChecked: 1, riskAssessment: null, riskAssessedOn: null, reviewOn: '2026-12-20' },
    '2026-09-30',
    at('2026-09-30', '11:00'),
  );
  await putOn(db, office, tomasz, { eventId: concert, activity: 'Helping set out chairs', onDate: '2026-12-16' }, '2026-12-01', at('2026-12-01', '10:00'));

  await offer(db, carer(j.marta), pta, 'Mogę pomóc z tłumaczeniem na polski.', at('2026-11-20', '19:45'));
  // Marta translates the school's letters into Polish from home: approved as a translator (journey 2).
  const translating = await addOpportunity(
    db,
    office,
    {
      kind: 'translating',
      title: 'Translating for the school',
      description: 'Translate letters and newsletters that name no child into your language, at home. A member of staff checks each one.',
      needsDbs: false,
    },
    at('2026-11-02'),
  );
  await offer(db, carer(j.marta), translating, 'Chętnie przetłumaczę listy na polski.', at('2026-11-03', '20:15'));
  await approve(
    db,
    office,
    await volunteerOf(j.marta, translating),
    {
      supervised: 1,
      dbsCertificate: null,
      dbsCheckedOn: null,
      barredListChecked: 0,
      riskAssessment: 'Translates at home the English of letters that name no child; never sees who receives them. A member of staff checks each translation before it goes.',
      riskAssessedOn: '2026-11-05',
      reviewOn: '2027-11-05',
      languages: ['Polish'],
    },
    '2026-11-05',
    at('2026-11-05', '09:30'),
  );
  await addDemoVolunteerTranslation(db, input);
  await offer(db, carer(j.sarah), governor, null, at('2026-10-01', '12:00'));
  await decline(db, staffOf('head'), await volunteerOf(j.sarah, governor), at('2026-10-20', '16:00'));
  return { events: 5 };
}

/** The coming newsletter, as Mrs Patel drafted it: it names no child, so a volunteer may translate it. */
const WINTER_NEWSLETTER = {
  subject: 'Newsletter: winter coats and the library',
  body: 'Dear families,\n\nThe weather is getting colder. Please send your child to school with a warm coat, and write their name inside it.\n\nThe school library is open after school on Wednesdays until 4pm. Families are welcome to borrow books together.\n\nThank you for your support.\n\nMrs Patel, head teacher',
};
const WINTER_POLISH = {
  subject: 'Biuletyn: zimowe kurtki i biblioteka',
  body: 'Drodzy Rodzice,\n\nRobi się coraz zimniej. Prosimy, aby dzieci przychodziły do szkoły w ciepłej kurtce z imieniem wpisanym w środku.\n\nSzkolna biblioteka jest otwarta po lekcjach w środy do 16:00. Zapraszamy całe rodziny do wspólnego wypożyczania książek.\n\nDziękujemy za wsparcie.\n\nMrs Patel, dyrektorka szkoły',
};

/**
 * A draft newsletter whose Polish translation Marta wrote as a volunteer, waiting for a member of
 * staff to check it (journey 2): asked and written through the messages feature, with its email and
 * audit entries, so a new user finds it on the message's Translations page.
 */
async function addDemoVolunteerTranslation(db: Db, input: { schoolId: string; plan: Plan; journey: JourneyIds }): Promise<void> {
  const { schoolId, plan, journey: j } = input;
  const head = { kind: 'staff' as const, id: plan.staffIds.head!, schoolId };
  const written = at('2026-12-03', '16:10').toISOString();
  const messageId = newId();
  await db
    .insertInto('messages')
    .values({
      id: messageId,
      school_id: schoolId,
      kind: 'newsletter',
      tone: 'information',
      subject: WINTER_NEWSLETTER.subject,
      body: WINTER_NEWSLETTER.body,
      audience_json: JSON.stringify({ kind: 'school' }),
      asks_acknowledgement: 0,
      status: 'draft',
      scheduled_for: null,
      sent_at: null,
      created_by: head.id,
      created_at: written,
      updated_at: written,
    })
    .execute();
  const volunteer = await db
    .selectFrom('volunteers')
    .innerJoin('volunteer_opportunities as o', (jn) => jn.onRef('o.id', '=', 'volunteers.opportunity_id').onRef('o.school_id', '=', 'volunteers.school_id'))
    .select('volunteers.id')
    .where('volunteers.school_id', '=', schoolId)
    .where('volunteers.carer_id', '=', j.marta)
    .where('o.kind', '=', 'translating')
    .executeTakeFirstOrThrow();
  const dialect = dialectOf(db);
  const asked = await askVolunteer(
    db,
    dialect,
    head,
    { messageId, language: 'Polish', volunteerId: volunteer.id },
    { today: '2026-12-03', now: at('2026-12-03', '16:20'), baseUrl: 'http://localhost:3000', schoolName: 'Brookfield', translatorsFor },
  );
  if (!asked.ok) throw new Error(`The demo newsletter could not go to Marta: ${asked.problem}`);
  const state = await volunteerWrites(db, dialect, { kind: 'carer', id: j.marta, schoolId }, asked.requestId, WINTER_POLISH, '2026-12-04', at('2026-12-04', '20:40'), translatorsFor);
  if (state !== 'open') throw new Error(`Marta's demo translation was not saved: ${state}`);
}

import { DateTime } from 'luxon';
import type { MeetingMode, YearGroup } from '../db/schema.ts';
import { bookAppointments } from '../features/evenings/booking-commands.ts';
import type { BookingContext } from '../features/evenings/booking-context.ts';
import { joinAppointment } from '../features/evenings/booking-join.ts';
import { acceptHold, pairValue, proposeAndHold } from '../features/evenings/holds.ts';
import { setSlotAvailability } from '../features/evenings/schedule-queries.ts';
import { saveNeeds } from '../features/evenings/needs-queries.ts';
import { createEvening, publishEvening, setPlaces } from '../features/evenings/setup-commands.ts';
import type { EveningInput } from '../features/evenings/setup.ts';
import type { Actor } from '../platform/audit/audit.ts';
import { localDate } from '../platform/calendar/time.ts';
import { DEMO_STAFF } from './people.ts';
import { at, BASE_URL, eachOf, ZONE, type DemoMeetings } from './meetings-context.ts';
import { planTimes, type Planned, type SlotRow, type Want } from './meetings-plan.ts';
import { chance, int, shuffled } from './random.ts';

/**
 * The demo's two parents' evenings. Autumn (15–16 October) is over: about two thirds of families
 * booked in the week booking was open, most in the first half hour; the office booked for Mrs
 * Warsame when she rang; parents who live apart booked their own. Spring (23 and 25 March 2027)
 * opened on Friday 20 November: fifteen families have booked, a parent who lives apart joined the
 * other parent's appointment, one family used "book for me", and Mr Okafor has marked two times unavailable.
 * Two of those families asked for help at their appointments: the first who booked and reads a
 * language other than English needs an interpreter in it, and another asked for step-free access.
 * The Nowaks have not booked yet: the demo shows Marta doing it.
 */
export type DemoEvenings = {
  autumnId: string;
  springId: string;
  bookings: number;
};

const ROOMS: Partial<Record<YearGroup, string>> = {
  N: 'Nursery (Owls room)',
  R: 'Reception (Robins room)',
  '1': 'Room 1',
  '2': 'Room 2',
  '3': 'Room 5',
  '4': 'Room 6',
  '5': 'Room 8',
  '6': 'Room 9',
};

const AUTUMN: Omit<EveningInput, 'classIds'> = {
  name: "Autumn parents' evening",
  sessions: [
    { date: '2026-10-15', starts: '15:30', ends: '18:30', slotMinutes: 10, breaks: [{ starts: '17:00', ends: '17:20' }] },
    { date: '2026-10-16', starts: '08:00', ends: '08:50', slotMinutes: 10, breaks: [] },
  ],
  teacherIds: [],
  modes: ['in_person', 'phone'],
  travelGapMinutes: 5,
  separatedCarers: 'own',
  bookingOpens: { date: '2026-09-28', time: '18:00' },
  bookingCloses: { date: '2026-10-14', time: '12:00' },
};

const SPRING: Omit<EveningInput, 'classIds'> = {
  name: "Spring parents' evening",
  sessions: [
    { date: '2027-03-23', starts: '15:30', ends: '18:30', slotMinutes: 10, breaks: [] },
    { date: '2027-03-25', starts: '08:00', ends: '09:00', slotMinutes: 10, breaks: [] },
  ],
  teacherIds: [],
  modes: ['in_person', 'video'],
  travelGapMinutes: 5,
  // Journey 5: Tomasz books his own slot with Kuba's teacher; another father joins the mother's.
  separatedCarers: 'either',
  bookingOpens: { date: '2026-11-20', time: '18:00' },
  bookingCloses: { date: '2027-03-22', time: '12:00' },
};

export async function addDemoEvenings(demo: DemoMeetings): Promise<DemoEvenings> {
  const autumnId = await setUp(demo, AUTUMN, { created: at('2026-09-14', '09:10'), published: at('2026-09-21', '15:30'), video: false });
  const autumn = await bookAutumn(demo, autumnId);
  const springId = await setUp(demo, SPRING, { created: at('2026-11-09', '08:30'), published: at('2026-11-13', '15:00'), video: true });
  const spring = await bookSpring(demo, springId);
  return { autumnId, springId, bookings: autumn + spring };
}

/** Mrs Patel sets the evening up for every class, gives each teacher a room (and a video link), and publishes it. */
async function setUp(demo: DemoMeetings, input: Omit<EveningInput, 'classIds'>, when: { created: Date; published: Date; video: boolean }): Promise<string> {
  const head: Actor = { kind: 'staff', id: demo.staff('head'), schoolId: demo.schoolId };
  const classIds = [...demo.plan.classIdByYear.values()];
  const created = await createEvening(demo.db, head, demo.schoolId, { ...input, classIds }, when.created);
  if (!created.ok) throw new Error(`The demo's ${input.name} is not valid: ${JSON.stringify(created.errors)}`);
  const places = DEMO_STAFF.filter((s) => s.teaches).map((s) => ({
    staffId: demo.staff(s.key),
    room: ROOMS[s.teaches!.year] ?? 'Main hall',
    videoLink: when.video ? `https://meet.brookfield.example/${s.family.toLowerCase()}` : null,
  }));
  await setPlaces(demo.db, head, demo.schoolId, created.id, places, new Date(when.created.getTime() + 20 * 60_000));
  const published = await publishEvening(demo.db, head, demo.schoolId, created.id, when.published);
  if (published === 'missing' || !published.ok) throw new Error(`The demo's ${input.name} could not be published`);
  return created.id;
}

async function slotsOf(demo: DemoMeetings, eveningId: string): Promise<SlotRow[]> {
  const rows = await demo.db
    .selectFrom('evening_slots')
    .select(['id', 'staff_id', 'starts_at', 'ends_at', 'unavailable'])
    .where('evening_id', '=', eveningId)
    .orderBy('starts_at')
    .orderBy('staff_id')
    .execute();
  return rows.map((r) => ({ id: r.id, staffId: r.staff_id, starts: r.starts_at, ends: r.ends_at, unavailable: r.unavailable === 1 }));
}

/** A random moment between two, at a time of day people book (7am to 10pm). */
function during(demo: DemoMeetings, from: Date, to: Date): Date {
  for (;;) {
    const t = new Date(from.getTime() + Math.floor(demo.rng.next() * (to.getTime() - from.getTime())));
    const hour = DateTime.fromJSDate(t, { zone: ZONE }).hour;
    if (hour >= 7 && hour < 22) return t;
  }
}

/** Most book in the first half hour; the rest over the following days. */
function bookingMoment(demo: DemoMeetings, opens: Date, closes: Date, rush: number): Date {
  const r = demo.rng.next();
  if (r < rush) return new Date(opens.getTime() + int(demo.rng, 20, 30 * 60) * 1000);
  const fourDays = new Date(Math.min(opens.getTime() + 4 * 86_400_000, closes.getTime()));
  const inFirstDays = r < rush + (1 - rush) * 0.6 || fourDays.getTime() === closes.getTime();
  return inFirstDays ? during(demo, new Date(opens.getTime() + 30 * 60_000), fourDays) : during(demo, fourDays, closes);
}

async function book(demo: DemoMeetings, eveningId: string, p: Planned): Promise<number> {
  const ctx = contextFor(demo, eveningId, p.carerId, p.at, p.byOffice ? demo.staff('office') : null);
  const r = await bookAppointments(
    demo.db,
    ctx,
    p.choices.map((c) => ({ pupilId: c.pupilId, staffId: c.staffId, slotId: c.slotId, mode: c.mode })),
  );
  if (!r.ok) throw new Error(`A demo booking was refused: ${JSON.stringify(r)}`);
  return r.booked.length;
}

/** Booking as the carer, or by Ms Byrne in the office for a carer who rang. */
function contextFor(demo: DemoMeetings, eveningId: string, carerId: string, now: Date, officeId: string | null = null): BookingContext {
  return {
    schoolId: demo.schoolId,
    eveningId,
    carerId,
    actor: officeId ? { kind: 'staff', id: officeId, schoolId: demo.schoolId } : { kind: 'carer', id: carerId, schoolId: demo.schoolId },
    bookedByName: officeId ? 'Ms Byrne at the school office' : null,
    now,
    today: localDate(now, ZONE),
    timeZone: ZONE,
    baseUrl: BASE_URL,
    dialect: demo.dialect,
  };
}

function childrenOf(demo: DemoMeetings, pupilIds: string[]) {
  return pupilIds.map((pupilId) => ({ pupilId, staffId: demo.people.teacherOf(pupilId) }));
}

/** The families JOURNEYS.md names, and the ones who read nothing this term, are chosen by hand. */
function generatedFamilies(demo: DemoMeetings) {
  const j = demo.journey;
  const named = new Set([j.marta, j.sarah, j.grace, j.faduma]);
  return demo.people.families.filter((f) => !named.has(f.carerId) && !demo.silent.has(f.carerId));
}

async function bookAutumn(demo: DemoMeetings, eveningId: string): Promise<number> {
  const { journey: j, rng } = demo;
  const opens = at('2026-09-28', '18:00');
  const closes = at('2026-10-14', '11:30');
  const thursday = (time: string) => at('2026-10-15', time).toISOString();
  const wants: Want[] = [
    // Marta books Kuba's and Ola's teachers back to back, with time to walk between.
    {
      carerId: j.marta,
      children: childrenOf(demo, [j.kuba, j.ola]),
      at: new Date(opens.getTime() + 41_000),
      mode: 'in_person',
      prefer: 0,
      fixed: { [j.kuba]: thursday('16:00'), [j.ola]: thursday('16:20') },
    },
    { carerId: j.sarah, children: childrenOf(demo, [j.lily]), at: new Date(opens.getTime() + 4 * 60_000 + 12_000), mode: 'in_person', prefer: 0, fixed: { [j.lily]: thursday('15:40') } },
    // Tomasz books his own call about Kuba, after work.
    { carerId: j.tomasz, children: childrenOf(demo, [j.kuba]), at: at('2026-09-28', '21:14'), mode: 'phone', prefer: 0, fixed: { [j.kuba]: thursday('17:40') } },
    { carerId: j.grace, children: childrenOf(demo, [j.leo]), at: at('2026-09-29', '19:32'), mode: 'in_person', prefer: 0, fixed: { [j.leo]: thursday('16:30') } },
    // Faduma rang the office, as Ms Lewis had suggested.
    {
      carerId: j.faduma,
      children: childrenOf(demo, [j.ayaan]),
      at: at('2026-09-30', '10:20'),
      mode: 'in_person',
      prefer: 0,
      fixed: { [j.ayaan]: at('2026-10-16', '08:20').toISOString() },
      byOffice: true,
    },
  ];
  for (const f of generatedFamilies(demo)) {
    const mode: MeetingMode = chance(rng, 0.15) ? 'phone' : 'in_person';
    if (chance(rng, 0.68)) wants.push({ carerId: f.carerId, children: childrenOf(demo, f.pupilIds), at: bookingMoment(demo, opens, closes, 0.55), mode, prefer: rng.next() });
    for (const away of f.apart) {
      if (chance(rng, 0.35))
        wants.push({
          carerId: away.carerId,
          children: childrenOf(demo, away.pupilIds),
          at: bookingMoment(demo, opens, closes, 0.3),
          mode: chance(rng, 0.4) ? 'phone' : 'in_person',
          prefer: rng.next(),
        });
    }
  }
  let booked = 0;
  await eachOf(demo, planTimes(wants, await slotsOf(demo, eveningId), AUTUMN.travelGapMinutes, 1), async (p) => {
    booked += await book(demo, eveningId, p);
  });
  return booked;
}

async function bookSpring(demo: DemoMeetings, eveningId: string): Promise<number> {
  const { rng, db, schoolId } = demo;
  const okafor = demo.staff('y3');
  // Before booking opens, Mr Okafor keeps two times on the Tuesday free (he leaves early that week).
  const slots = await slotsOf(demo, eveningId);
  for (const time of ['18:10', '18:20']) {
    const slot = slots.find((s) => s.staffId === okafor && s.starts === at('2027-03-23', time).toISOString())!;
    const r = await setSlotAvailability(db, { kind: 'staff', id: okafor, schoolId }, schoolId, slot.id, true, at('2026-11-19', '16:05'));
    if (r !== 'done') throw new Error(`The demo could not mark Mr Okafor's ${time} unavailable (${r})`);
    slot.unavailable = true;
  }

  const opens = at('2026-11-20', '18:00');
  const soFar = at('2026-11-22', '21:00');
  const families = shuffled(rng, generatedFamilies(demo));
  // One family whose parents live apart (the father joins the mother's appointment), one with two
  // children who let "book for me" choose, and thirteen more.
  const apart = families.find((f) => f.apart.some((a) => a.pupilIds.length > 0))!;
  const forMe = families.find((f) => f !== apart && f.pupilIds.length >= 2)!;
  const others = families.filter((f) => f !== apart && f !== forMe).slice(0, 13);
  const wants: Want[] = [apart, ...others].map((f) => ({
    carerId: f.carerId,
    children: childrenOf(demo, f.pupilIds),
    at: bookingMoment(demo, opens, soFar, 0.6),
    mode: chance(rng, 0.3) ? 'video' : 'in_person',
    prefer: rng.next(),
  }));
  let booked = 0;
  await eachOf(demo, planTimes(wants, slots, SPRING.travelGapMinutes, 2), async (p) => {
    booked += await book(demo, eveningId, p);
  });

  // "Book for me", for the whole Tuesday session; accepted half a minute later.
  const asked = at('2026-11-21', '09:12');
  const ctx = contextFor(demo, eveningId, forMe.carerId, asked);
  const pairs = forMe.pupilIds.map((p) => pairValue(p, demo.people.teacherOf(p)));
  const held = await proposeAndHold(db, ctx, { earliest: at('2027-03-23', '15:30').toISOString(), latest: at('2027-03-23', '18:30').toISOString(), mode: 'in_person', pairs });
  if (!held.ok) throw new Error(`The demo's "book for me" found nothing: ${JSON.stringify(held)}`);
  const accepted = await acceptHold(db, { ...ctx, now: new Date(asked.getTime() + 35_000) }, held.holdId);
  if (!accepted.ok) throw new Error(`The demo's "book for me" could not be accepted: ${JSON.stringify(accepted)}`);
  booked += pairs.length;

  // The parent who lives apart joins the appointment the other booked.
  const father = apart.apart.find((a) => a.pupilIds.length > 0)!;
  const theirs = await db
    .selectFrom('evening_bookings')
    .select('id')
    .where('evening_id', '=', eveningId)
    .where('carer_id', '=', apart.carerId)
    .where('pupil_id', 'in', father.pupilIds)
    .where('cancelled_at', 'is', null)
    .orderBy('starts_at')
    .execute();
  for (const b of theirs) {
    const joined = await joinAppointment(db, contextFor(demo, eveningId, father.carerId, at('2026-11-21', '20:40')), b.id);
    if (!joined.ok) throw new Error(`The demo's joined appointment was refused: ${JSON.stringify(joined)}`);
  }
  await askForHelp(demo, eveningId);
  return booked;
}

/**
 * "Help at your appointments" on the spring evening, so the overview's "Interpreters needed" and the
 * teachers' schedules show something: the first carer to book who reads another language asks for an
 * interpreter in it, a minute after booking; the first other one asks for step-free access. Chosen
 * from what was booked (no random numbers drawn: the rest of the demo stays as it was).
 */
async function askForHelp(demo: DemoMeetings, eveningId: string): Promise<void> {
  const { db, schoolId } = demo;
  const bookers = await db
    .selectFrom('evening_bookings')
    .innerJoin('carers', 'carers.id', 'evening_bookings.carer_id')
    .select(['carers.id', 'carers.preferred_language', 'evening_bookings.created_at'])
    .where('evening_bookings.evening_id', '=', eveningId)
    .where('evening_bookings.school_id', '=', schoolId)
    .where('evening_bookings.status', '=', 'booked')
    .where('evening_bookings.cancelled_at', 'is', null)
    .orderBy('evening_bookings.created_at')
    .orderBy('carers.id')
    .execute();
  const interpreted = bookers.find((b) => b.preferred_language !== 'English');
  if (!interpreted) throw new Error('The demo has no family on the spring evening who reads a language other than English');
  const stepFree = bookers.find((b) => b.id !== interpreted.id);
  const asks = [
    { carerId: interpreted.id, at: interpreted.created_at, needs: { interpreterLanguage: interpreted.preferred_language, accessNote: null } },
    ...(stepFree ? [{ carerId: stepFree.id, at: stepFree.created_at, needs: { interpreterLanguage: null, accessNote: 'Step-free access, please: I use a wheelchair.' } }] : []),
  ];
  for (const a of asks) {
    const now = new Date(Date.parse(a.at) + 60_000);
    await saveNeeds(db, { kind: 'carer', id: a.carerId, schoolId }, { schoolId, eveningId, carerId: a.carerId }, a.needs, now);
  }
}

import type { Db } from '../db/database.ts';
import { skippingRowsInUse } from '../db/locks.ts';
import { audit } from '../platform/audit/audit.ts';
import { DEMO_SEED, type Plan } from './builder.ts';
import type { JourneyIds } from './journeys.ts';
import { dialectOf, weeksToMove, type DemoMeetings } from './meetings-context.ts';
import { DEMO_TODAY } from './term-letters.ts';
import { demoPeople, gateFather } from './meetings-families.ts';
import { addComingMeetings } from './meetings-appointments.ts';
import { addDemoEvenings } from './meetings-evenings.ts';
import { addHeldMeetings } from './meetings-held.ts';
import { seededRng } from './random.ts';
import { chooseTermPeople } from './term-people.ts';

/**
 * The demo school's meetings with families, written through the features' own functions at the time
 * each happened: the autumn parents' evening (booked, held, some appointments recorded), the spring
 * one open for booking, appointments asked for, offered and arranged (a difficult one with a safety
 * plan, a home visit), and meetings held with agreed actions and follow-ups, some overdue on the
 * demo's "today" (Monday 23 November 2026). Then, as messages.ts does, every email is marked
 * delivered at the time, so starting the server sends none of it, and alerts from before the last
 * few days are marked seen.
 */
export type MeetingsInput = { schoolId: string; plan: Plan; journey: JourneyIds; handMade: number; generatedEnd?: number; now: Date };
export type MeetingsSummary = { evenings: number; bookings: number; meetings: number };

/** Alerts raised before this were read by the people they were for. */
const ALERTS_SEEN_BEFORE = '2026-11-19T00:00:00.000Z';

/**
 * The demo's past, done at the time: every email delivered by the worker of the day (starting the
 * server now sends none of it), and alerts read within a couple of hours, except the last few days'.
 */
export async function deliveredAtTheTime(db: Db, schoolId: string): Promise<void> {
  // A worker already running (a test's, or a server's) may be claiming some of them at this moment: those are its to send.
  await db
    .updateTable('outbox')
    .set((eb) => ({ status: 'sent', sent_at: eb.ref('created_at'), attempts: 1 }))
    .where('id', 'in', skippingRowsInUse(db, db.selectFrom('outbox').select('id').where('school_id', '=', schoolId).where('status', '=', 'pending')))
    .where('status', '=', 'pending')
    .execute();
  const old = await db.selectFrom('staff_alerts').select(['id', 'created_at']).where('school_id', '=', schoolId).where('seen_at', 'is', null).where('created_at', '<', ALERTS_SEEN_BEFORE).execute();
  for (const a of old) {
    await db
      .updateTable('staff_alerts')
      .set({ seen_at: new Date(Date.parse(a.created_at) + 2 * 3_600_000).toISOString() })
      .where('id', '=', a.id)
      .execute();
  }
}

export async function addDemoMeetings(db: Db, input: MeetingsInput): Promise<MeetingsSummary> {
  const { schoolId, plan, journey } = input;
  // The same people messages.ts chose, from the same seed: its first draw.
  const term = chooseTermPeople(plan, journey, { from: input.handMade, to: input.generatedEnd }, seededRng(DEMO_SEED + 7));
  const gate = gateFather(plan, journey);
  const demo: DemoMeetings = {
    db,
    dialect: dialectOf(db),
    schoolId,
    plan,
    journey,
    people: demoPeople(plan),
    rng: seededRng(DEMO_SEED + 11),
    staff: (key) => {
      const id = plan.staffIds[key];
      if (!id) throw new Error(`The demo school has no member of staff "${key}"`);
      return id;
    },
    silent: term.silent,
    used: new Set([journey.kuba, journey.ola, journey.lily, journey.leo, journey.ayaan, gate.pupilId]),
    comingWeeks: weeksToMove(input.now, DEMO_TODAY),
  };

  const evenings = await addDemoEvenings(demo);
  await addHeldMeetings(demo, evenings);
  await addComingMeetings(demo, gate);

  return db.transaction().execute(async (trx) => {
    await deliveredAtTheTime(trx, schoolId);
    const meetings = await trx
      .selectFrom('meetings')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('school_id', '=', schoolId)
      .executeTakeFirstOrThrow();
    const summary: MeetingsSummary = { evenings: 2, bookings: evenings.bookings, meetings: Number(meetings.n) };
    await audit(trx, { kind: 'system' }, { schoolId, action: 'demo.meetings_loaded', entity: 'school', entityId: schoolId, after: summary }, input.now);
    return summary;
  });
}

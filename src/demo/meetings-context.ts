import { PostgresAdapter } from 'kysely';
import { DateTime } from 'luxon';
import type { Db, Dialect } from '../db/database.ts';
import type { LocalDate } from '../db/schema.ts';
import { schoolLocalInstant } from '../platform/calendar/time.ts';
import type { Plan } from './builder.ts';
import { DEMO_SCHOOL } from './calendar.ts';
import type { JourneyIds } from './journeys.ts';
import type { DemoPeople } from './meetings-families.ts';
import type { Rng } from './random.ts';

/** What the parts of the demo's meetings (meetings*.ts) share. */
export const BASE_URL = 'http://127.0.0.1:3000';
export const ZONE = DEMO_SCHOOL.time_zone;

export type DemoMeetings = {
  db: Db;
  dialect: Dialect;
  schoolId: string;
  plan: Plan;
  journey: JourneyIds;
  people: DemoPeople;
  rng: Rng;
  /** A member of staff by their key in people.ts (head, y3, senco…). */
  staff: (key: string) => string;
  /** Families who read nothing this term (messages.ts): they book nothing either. */
  silent: Set<string>;
  /** Children whose families a meeting is already about: the generated meetings pick others. */
  used: Set<string>;
  /** Whole weeks to move the meetings still to come, so they are still to come when the demo starts later. */
  comingWeeks: number;
};

/**
 * The demo is written as of Monday 23 November 2026. Started later, the meetings it has "still to
 * come" would already be past; they move on by whole weeks (same weekday and time) to after today.
 * What happened before 23 November keeps its dates.
 */
export function weeksToMove(now: Date, writtenFor: LocalDate): number {
  const today = DateTime.fromJSDate(now, { zone: ZONE }).startOf('day');
  const days = today.diff(DateTime.fromISO(writtenFor, { zone: ZONE }), 'days').days;
  return days > 0 ? Math.ceil(days / 7) : 0;
}

/** A time still to come on the demo's own calendar, moved on by `comingWeeks`. */
export function coming(demo: Pick<DemoMeetings, 'comingWeeks'>, date: LocalDate, time: string): Date {
  const moved = DateTime.fromISO(date, { zone: ZONE }).plus({ weeks: demo.comingWeeks }).toISODate()!;
  return at(moved, time);
}

/** A school-local date and wall-clock time as an instant. */
export function at(date: LocalDate, time: string): Date {
  const r = schoolLocalInstant(date, time, ZONE);
  if (!r.ok) throw new Error(`The demo meetings have an impossible time: ${date} ${time} (${r.reason})`);
  return new Date(r.instant);
}

export const minutes = (d: Date, n: number) => new Date(d.getTime() + n * 60_000);

export function dialectOf(db: Db): Dialect {
  return db.getExecutor().adapter instanceof PostgresAdapter ? 'postgres' : 'sqlite';
}

/**
 * Run `fn` over independent items (bookings of different families, different meetings): a few at a
 * time on PostgreSQL, whose pool has the connections for it; one after another on SQLite, which has
 * one. Each item's own steps still run in order.
 */
export async function eachOf<T>(demo: Pick<DemoMeetings, 'dialect'>, items: readonly T[], fn: (item: T) => Promise<void>): Promise<void> {
  const width = demo.dialect === 'postgres' ? 6 : 1;
  let next = 0;
  const worker = async () => {
    while (next < items.length) await fn(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(width, items.length) }, worker));
}

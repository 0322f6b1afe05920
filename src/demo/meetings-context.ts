import { PostgresAdapter } from 'kysely';
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
};

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

import { sql, type Kysely } from 'kysely';
import type { Database, MessageKind } from '../db/schema.ts';
import type { Plan } from './builder.ts';
import type { JourneyIds } from './journeys.ts';
import { READS_UNTIL } from './term-letters.ts';
import type { TermPeople } from './term-people.ts';
import { int, weighted, type Rng } from './random.ts';

/**
 * Who read what, and when. Each carer has a habit: Marta reads everything within two hours; most
 * read most messages the same day; some read only now and then; a few stopped emails and read
 * everything in the app in the evening; six families read a little in September and nothing since.
 * Everyone else read the closure notice of 12 November, so the six stand out on the "not reached" list.
 * Nobody reads a letter on paper or a text on Gatepost, so those stay unread.
 */
export type Habit = 'always' | 'keen' | 'steady' | 'patchy' | 'portal' | 'silent';

/** Chance of reading a message, and how long after it arrives (minutes). */
const HABITS: Record<Habit, { p: number; min: number; max: number }> = {
  always: { p: 1, min: 15, max: 120 },
  keen: { p: 0.95, min: 10, max: 240 },
  steady: { p: 0.85, min: 60, max: 900 },
  patchy: { p: 0.45, min: 180, max: 2880 },
  portal: { p: 0.98, min: 150, max: 420 },
  silent: { p: 0.35, min: 300, max: 4000 },
};

/** The silent families read nothing from here on. */
export const SILENT_FROM = '2026-10-01T00:00:00.000Z';

export function habitsOf(plan: Plan, journey: JourneyIds, people: TermPeople, rng: Rng): Map<string, Habit> {
  const fixed = new Map<string, Habit>([
    [journey.marta, 'always'],
    [journey.tomasz, 'keen'],
    [journey.sarah, 'keen'],
    [journey.grace, 'keen'],
    [journey.socialWorker, 'patchy'],
  ]);
  const portal = new Set(people.portalReaders);
  const habits = new Map<string, Habit>();
  for (const c of plan.carers) {
    // Drawn for everyone, so one person's habit never shifts another's.
    const drawn = weighted<Habit>(rng, [
      ['keen', 45],
      ['steady', 35],
      ['patchy', 20],
    ]);
    habits.set(c.id, fixed.get(c.id) ?? (people.silent.has(c.id) ? 'silent' : portal.has(c.id) ? 'portal' : drawn));
  }
  return habits;
}

export type Received = { id: string; carerId: string; channels: string; sentAt: string; kind: MessageKind; asksAck: boolean };
export type Stamp = { id: string; at: string };

/** When each received message was read and acknowledged; `rows` in a fixed order. */
export function readsOf(rows: Received[], habits: Map<string, Habit>, rng: Rng): { reads: Stamp[]; acks: Stamp[] } {
  const reads: Stamp[] = [];
  const acks: Stamp[] = [];
  for (const r of rows) {
    const habit = habits.get(r.carerId) ?? 'steady';
    const h = HABITS[habit];
    const roll = rng.next();
    const delay = r.kind === 'urgent' ? int(rng, 5, 60) : int(rng, h.min, h.max);
    const ackRoll = rng.next();
    const channels = r.channels.split(',');
    if (!channels.includes('app') && !channels.includes('email')) continue;
    // Everyone who reads at all read the closure notice; praise is read more than letters.
    const p = r.kind === 'urgent' && habit !== 'silent' ? 1 : r.kind === 'praise' ? Math.min(1, h.p + 0.1) : h.p;
    if (roll >= p) continue;
    const at = new Date(Date.parse(r.sentAt) + delay * 60_000).toISOString();
    if (at > READS_UNTIL) continue;
    if (habit === 'silent' && at >= SILENT_FROM) continue;
    reads.push({ id: r.id, at });
    if (r.asksAck && (habit === 'always' || ackRoll < 0.85)) acks.push({ id: r.id, at: new Date(Date.parse(at) + (1 + Math.floor(ackRoll * 9)) * 60_000).toISOString() });
  }
  return { reads, acks };
}

/** Sets one column on many rows in few statements: `case id when … then … end`, 100 rows at a time. */
export async function stamp(db: Kysely<Database>, column: 'read_at' | 'acknowledged_at', stamps: Stamp[]): Promise<void> {
  for (let i = 0; i < stamps.length; i += 100) {
    const chunk = stamps.slice(i, i + 100);
    const value = sql<string>`case ${sql.ref('id')} ${sql.join(
      chunk.map((s) => sql`when ${s.id} then ${s.at}`),
      sql` `,
    )} end`;
    const ids = chunk.map((s) => s.id);
    if (column === 'read_at') await db.updateTable('message_recipients').set({ read_at: value }).where('id', 'in', ids).execute();
    else await db.updateTable('message_recipients').set({ acknowledged_at: value }).where('id', 'in', ids).execute();
  }
}

import type { Db } from '../../db/database.ts';
import type { LocalDate } from '../../db/schema.ts';
import { audit, type Actor } from '../../platform/audit/audit.ts';
import { formatDate, localDate, startOfSchoolDay } from '../../platform/calendar/time.ts';
import { eraseClosedComplaints } from '../concerns/index.ts';
import { eraseWholeSchoolMessages } from '../messages/index.ts';
import { dueOf, type Before, type Due } from './queries.ts';
import { cutOff, eraseCutOff, SCHEDULE, type KindKey, type RecordKind } from './schedule.ts';

export type ErasableKey = 'complaints' | 'whole_school_messages';

const ERASERS: Record<ErasableKey, (trx: Db, schoolId: string, before: Before['instant']) => Promise<number>> = {
  complaints: eraseClosedComplaints,
  whole_school_messages: eraseWholeSchoolMessages,
};

/** What the confirmation and the done banner say will go (or went): "3 complaint files closed before 8 December 2020". */
export function erasureWords(kind: ErasableKey, count: number, before: LocalDate): string {
  const when = formatDate(before);
  if (kind === 'complaints') return `${count} complaint ${count === 1 ? 'file' : 'files'} closed before ${when}`;
  return `${count} ${count === 1 ? 'message' : 'messages'} to families (newsletters, letters, urgent messages) sent before ${when}`;
}

function before(kind: Pick<RecordKind, 'years' | 'countsFrom'>, today: LocalDate, timeZone: string, shown: LocalDate | null = null): Before {
  const date = eraseCutOff(cutOff(kind, today), shown);
  return { date, instant: startOfSchoolDay(date, timeZone) };
}

export type KindToday = RecordKind & { cutOff: LocalDate; due: Due };

/** Every kind in the schedule with how many of its records are past their date today (one count each). */
export async function scheduleToday(db: Db, schoolId: string, today: LocalDate, timeZone: string): Promise<KindToday[]> {
  return Promise.all(
    SCHEDULE.map(async (kind) => {
      const b = before(kind, today, timeZone);
      return { ...kind, cutOff: b.date, due: await dueOf(db, schoolId, kind.key, b, timeZone) };
    }),
  );
}

/** One erasable kind today: what the confirmation page offers. */
export async function erasableToday(db: Db, schoolId: string, key: ErasableKey, today: LocalDate, timeZone: string): Promise<KindToday> {
  const kind = SCHEDULE.find((k) => k.key === key)!;
  const b = before(kind, today, timeZone);
  return { ...kind, cutOff: b.date, due: await dueOf(db, schoolId, key, b, timeZone) };
}

/**
 * Erase one kind's records past their date, in one transaction, with one audit entry for the kind
 * (how many, and the cut-off: no personal words). The cut-off is the server's for this moment, or
 * the one the person was shown if earlier: nothing newer is ever touched.
 */
export async function eraseKind(db: Db, actor: Actor & { kind: 'staff' }, key: ErasableKey, shown: LocalDate | null, now: Date, timeZone: string): Promise<{ count: number; before: LocalDate }> {
  const kind = SCHEDULE.find((k) => k.key === key)!;
  const b = before(kind, localDate(now, timeZone), timeZone, shown);
  const count = await db.transaction().execute(async (trx) => {
    const n = await ERASERS[key](trx, actor.schoolId, b.instant);
    // Recorded even when nothing was past its date (a second click): the school can show when it applied its schedule.
    await audit(trx, actor, { schoolId: actor.schoolId, action: 'retention.erased', entity: key, entityId: null, after: { count: n, before: b.date } }, now);
    return n;
  });
  return { count, before: b.date };
}

export function isErasable(key: string): key is ErasableKey {
  return key in ERASERS;
}

export type { KindKey };

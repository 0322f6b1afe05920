import { DateTime } from 'luxon';
import type { LocalDate } from '../../db/schema.ts';
import { isSchoolDay, type SchoolCalendar } from '../../platform/calendar/school-days.ts';

/**
 * Follow-ups (a meeting's follow-up date, an agreed action's "by when") as plain rules:
 * overdue once the date has passed; due when it falls within the next 7 school days; later otherwise.
 */
export const DUE_WITHIN_SCHOOL_DAYS = 7;

export type FollowUpState = 'overdue' | 'due' | 'later' | 'kept';

/**
 * The last date counted as "due soon": `days` school days after `today`. Past the school's last
 * known term (next year's dates not entered yet) every weekday counts, so the answer never fails.
 */
export function dueWindowEnd(calendar: SchoolCalendar, today: LocalDate, days = DUE_WITHIN_SCHOOL_DAYS): LocalDate {
  const lastTermEnd = calendar.terms.reduce((max, t) => (t.ends_on > max ? t.ends_on : max), '');
  let d = DateTime.fromISO(today);
  let counted = 0;
  while (counted < days) {
    d = d.plus({ days: 1 });
    const iso = d.toISODate()!;
    const counts = iso > lastTermEnd ? d.weekday <= 5 : isSchoolDay(calendar, iso);
    if (counts) counted += 1;
  }
  return d.toISODate()!;
}

/** Where a follow-up stands today. `windowEnd` comes from dueWindowEnd (one per page, not per row). */
export function followUpState(dueOn: LocalDate, doneAt: string | null, today: LocalDate, windowEnd: LocalDate): FollowUpState {
  if (doneAt) return 'kept';
  if (dueOn < today) return 'overdue';
  if (dueOn <= windowEnd) return 'due';
  return 'later';
}

/** Whole days a follow-up is late (calendar days: "3 days overdue"). */
export function daysOverdue(dueOn: LocalDate, today: LocalDate): number {
  return Math.max(0, Math.round(DateTime.fromISO(today).diff(DateTime.fromISO(dueOn), 'days').days));
}

export type FollowUpItem = { dueOn: LocalDate; state: FollowUpState };

/** Overdue first (oldest first), then due soon (soonest first); kept and later ones left out. */
export function toChase<T extends FollowUpItem>(items: T[]): T[] {
  const rank = (s: FollowUpState) => (s === 'overdue' ? 0 : 1);
  return items.filter((i) => i.state === 'overdue' || i.state === 'due').sort((a, b) => rank(a.state) - rank(b.state) || a.dueOn.localeCompare(b.dueOn));
}

/**
 * A family's agreed action on its lead's follow-ups. The lead owns the meeting's follow-up, so they
 * see what the family said they would do: overdue, open (due within the window, or with a new word
 * from the family on how it is going), or done (ticked by the family). News from the family (a tick,
 * a note) stays on the list until the meeting's follow-up is kept, or for FAMILY_NEWS_DAYS when there
 * is no follow-up still to keep. A member of staff's own tick on a family's action is no news: left out.
 */
export const FAMILY_NEWS_DAYS = 14;

export type FamilyActionState = 'overdue' | 'open' | 'done';

export type FamilyActionFacts = {
  dueOn: LocalDate;
  doneAt: string | null;
  /** Ticked by the family themselves (done_by_carer_id), not by a member of staff. */
  doneByFamily: boolean;
  /** When the family last wrote how it is going (null: no note). */
  noteAt: string | null;
  /** The meeting has a follow-up date not yet kept. */
  followUpOpen: boolean;
};

/** Where a family's action stands on its lead's list today; null when it is not on the list. */
export function familyActionState(a: FamilyActionFacts, today: LocalDate, windowEnd: LocalDate): FamilyActionState | null {
  const newsSince = DateTime.fromISO(today).minus({ days: FAMILY_NEWS_DAYS }).toISODate()!;
  const recent = (at: string | null) => !!at && (a.followUpOpen || at.slice(0, 10) >= newsSince);
  if (a.doneAt) return a.doneByFamily && recent(a.doneAt) ? 'done' : null;
  if (a.dueOn < today) return 'overdue';
  if (a.dueOn <= windowEnd || recent(a.noteAt)) return 'open';
  return null;
}

/** Overdue first (oldest first), then open (soonest due first), then done (latest tick first). */
export function familyOrder<T extends { state: FamilyActionState; dueOn: LocalDate; doneAt: string | null }>(items: T[]): T[] {
  const rank = { overdue: 0, open: 1, done: 2 } as const;
  return [...items].sort((a, b) => rank[a.state] - rank[b.state] || (a.state === 'done' ? (b.doneAt ?? '').localeCompare(a.doneAt ?? '') : a.dueOn.localeCompare(b.dueOn)));
}

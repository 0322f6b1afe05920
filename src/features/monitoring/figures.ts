import { DateTime } from 'luxon';
import type { ConcernCategory, LocalDate } from '../../db/schema.ts';
import { isSchoolDay, type SchoolCalendar } from '../../platform/calendar/school-days.ts';

/**
 * The governors' monitoring of concerns and complaints (issue 14, point 10): per term and per year,
 * how many, of what kind, at which stage, how quickly they were taken on and answered against the
 * school's limits in school days, how they ended, the themes, and the number of formal complaints
 * last year (which a parent may ask for). Plain functions over rows the database has already counted
 * (queries.ts groups in SQL); no SQL, no HTTP here.
 *
 * Small numbers: outside the case team (governors included) a figure from 1 to 4 is shown as
 * "fewer than 5", and where one hidden figure could be worked out from a total, the next smallest is
 * hidden too.
 */

export const CATEGORIES: readonly ConcernCategory[] = ['learning', 'behaviour', 'bullying', 'send', 'attendance', 'staff_conduct', 'communication', 'other'];
export const CATEGORY_LABELS: Record<ConcernCategory | 'untriaged', string> = {
  learning: 'Learning',
  behaviour: 'Behaviour',
  bullying: 'Bullying',
  send: 'SEND',
  attendance: 'Attendance',
  staff_conduct: 'Staff conduct',
  communication: 'Communication',
  other: 'Other',
  untriaged: 'Not yet passed on',
};

/** The school's limits in school days (the complaints settings' defaults: acknowledge within 5, respond within 15). */
export type Limits = { acknowledge: number; respond: number };
export const DEFAULT_LIMITS: Limits = { acknowledge: 5, respond: 15 };

export const SMALL = 5;
export const FEWER_THAN = 'fewer than 5';
/** A figure of 5 or more hidden only so that a small one beside it cannot be worked out from the total. */
export const NOT_SHOWN = 'not shown';

/** Concerns as the database counted them: one row per distinct (category, status, dates), with how many. */
export type ConcernGroup = {
  category: ConcernCategory | null;
  status: 'new' | 'open' | 'closed' | 'resolved';
  reopened: boolean;
  raisedOn: LocalDate;
  /** The day it was passed to an owner (taken on); null while it waits. */
  takenOn: LocalDate | null;
  /** The day it was (last) closed; null while it is being dealt with. */
  closedOn: LocalDate | null;
  count: number;
};
export type ComplaintGroup = {
  stage: 'stage_1' | 'stage_2';
  late: boolean;
  closedAs: 'serial' | 'vexatious' | null;
  /** The outcome of the report (upheld, partly, not upheld); null until a report is issued. */
  outcome?: 'upheld' | 'partly' | 'not_upheld' | null;
  receivedOn: LocalDate;
  count: number;
};

export type Period = { label: string; startsOn: LocalDate; endsOn: LocalDate };

/** Academic year `year` (2025 = September 2025 to August 2026) and its terms as the calendar has them. */
export function academicYear(calendar: { terms: { starts_on: LocalDate; ends_on: LocalDate; name?: string }[] }, year: number): { year: Period; terms: Period[] } {
  const startsOn = `${year}-09-01`;
  const endsOn = `${year + 1}-08-31`;
  const terms = calendar.terms
    .filter((t) => t.starts_on >= startsOn && t.starts_on <= endsOn)
    .sort((a, b) => a.starts_on.localeCompare(b.starts_on))
    .map((t, i, all) => ({
      label: t.name ?? `Term ${i + 1}`,
      // A term's figures run to the day before the next term starts (a concern in the holidays belongs to the term just ended).
      startsOn: i === 0 ? startsOn : t.starts_on,
      endsOn:
        i + 1 < all.length
          ? DateTime.fromISO(all[i + 1]!.starts_on)
              .minus({ days: 1 })
              .toISODate()!
          : endsOn,
    }));
  return { year: { label: `${year} to ${year + 1}`, startsOn, endsOn }, terms };
}

/** The academic year a date falls in (September starts one). */
export function academicYearOf(date: LocalDate): number {
  const [y, m] = date.split('-').map(Number) as [number, number];
  return m >= 9 ? y : y - 1;
}

/**
 * School days from `from` to `to`: the school days after `from`, up to and including `to` (0 when
 * on the same day). Outside the terms the calendar knows, weekdays count (as schoolDaysBefore does).
 */
export function schoolDaysBetween(calendar: SchoolCalendar, from: LocalDate, to: LocalDate): number {
  if (to <= from) return 0;
  const starts = calendar.terms.map((t) => t.starts_on).sort();
  const ends = calendar.terms.map((t) => t.ends_on).sort();
  const [first, last] = [starts[0] ?? '', ends[ends.length - 1] ?? ''];
  let d = DateTime.fromISO(from);
  let counted = 0;
  for (;;) {
    d = d.plus({ days: 1 });
    const iso = d.toISODate()!;
    if (iso > to) return counted;
    const known = first !== '' && first <= iso && iso <= last;
    if (known ? isSchoolDay(calendar, iso) : d.weekday <= 5) counted += 1;
  }
}

/** Counts school days between two dates, as schoolDaysBetween does. */
export type DayCounter = (from: LocalDate, to: LocalDate) => number;

/**
 * schoolDaysBetween for many pairs of dates: each day from `first` to `last` is looked at once (a
 * running count of school days), so a pair inside that range is one subtraction. Outside it, the
 * day-by-day count.
 */
export function schoolDayCounter(calendar: SchoolCalendar, first: LocalDate, last: LocalDate): DayCounter {
  const starts = calendar.terms.map((t) => t.starts_on).sort();
  const ends = calendar.terms.map((t) => t.ends_on).sort();
  const [known0, known1] = [starts[0] ?? '', ends[ends.length - 1] ?? ''];
  // Only the terms and closures that touch the range are looked at, day by day.
  const touching = <T extends { starts_on: LocalDate; ends_on: LocalDate }>(list: T[]) => list.filter((x) => x.ends_on >= first && x.starts_on <= last);
  const [terms, closures] = [touching(calendar.terms), touching(calendar.closures)];
  const running = new Map<LocalDate, number>();
  let count = 0;
  const d = new Date(`${first}T00:00:00Z`);
  for (let iso = first; iso <= last; d.setUTCDate(d.getUTCDate() + 1), iso = d.toISOString().slice(0, 10)) {
    const weekday = d.getUTCDay() !== 0 && d.getUTCDay() !== 6;
    const known = known0 !== '' && known0 <= iso && iso <= known1;
    const school = weekday && (!known || (terms.some((t) => t.starts_on <= iso && iso <= t.ends_on) && !closures.some((c) => c.starts_on <= iso && iso <= c.ends_on)));
    if (school && iso !== first) count += 1;
    running.set(iso, count);
  }
  return (from, to) => {
    if (to <= from) return 0;
    const [a, b] = [running.get(from), running.get(to)];
    return a === undefined || b === undefined ? schoolDaysBetween(calendar, from, to) : b - a;
  };
}

export type Timeliness = { done: number; withinLimit: number; medianDays: number | null; waiting: number; waitingPastLimit: number };
export type PeriodFigures = {
  period: Period;
  concerns: number;
  byCategory: Record<ConcernCategory | 'untriaged', number>;
  outcomes: { resolved: number; closedAwaitingAnswer: number; beingDealtWith: number; waitingToBePassedOn: number; reopened: number };
  takenOn: Timeliness;
  answered: Timeliness;
  complaints: number;
  byStage: { stage_1: number; stage_2: number };
  complaintOutcomes: { open: number; closedSerial: number; closedVexatious: number; lateFlagged: number };
  /** How the investigations found: upheld, partly upheld, not upheld, or no outcome yet. */
  findings: { upheld: number; partly: number; notUpheld: number; noOutcome: number };
};

const within = (p: Period, d: LocalDate) => p.startsOn <= d && d <= p.endsOn;

function median(values: { days: number; count: number }[]): number | null {
  const all = values.flatMap((v) => Array.from({ length: v.count }, () => v.days)).sort((a, b) => a - b);
  if (all.length === 0) return null;
  const mid = Math.floor(all.length / 2);
  return all.length % 2 ? all[mid]! : (all[mid - 1]! + all[mid]!) / 2;
}

/** The figures for one period (a term, or the year). `today`: waiting ones past their limit are counted against it. */
export function periodFigures(
  period: Period,
  concerns: ConcernGroup[],
  complaints: ComplaintGroup[],
  calendar: SchoolCalendar,
  limits: Limits,
  today: LocalDate,
  between: DayCounter = (from, to) => schoolDaysBetween(calendar, from, to),
): PeriodFigures {
  const mine = concerns.filter((c) => within(period, c.raisedOn));
  const byCategory = Object.fromEntries([...CATEGORIES, 'untriaged'].map((k) => [k, 0])) as PeriodFigures['byCategory'];
  const outcomes = { resolved: 0, closedAwaitingAnswer: 0, beingDealtWith: 0, waitingToBePassedOn: 0, reopened: 0 };
  const takenDays: { days: number; count: number }[] = [];
  const answeredDays: { days: number; count: number }[] = [];
  const takenOn: Timeliness = { done: 0, withinLimit: 0, medianDays: null, waiting: 0, waitingPastLimit: 0 };
  const answered: Timeliness = { done: 0, withinLimit: 0, medianDays: null, waiting: 0, waitingPastLimit: 0 };
  const measure = (t: Timeliness, days: { days: number; count: number }[], from: LocalDate, to: LocalDate | null, limit: number, count: number) => {
    if (to) {
      const n = between(from, to);
      t.done += count;
      if (n <= limit) t.withinLimit += count;
      days.push({ days: n, count });
    } else {
      t.waiting += count;
      if (between(from, today) > limit) t.waitingPastLimit += count;
    }
  };
  for (const c of mine) {
    byCategory[c.category ?? 'untriaged'] += c.count;
    if (c.status === 'resolved') outcomes.resolved += c.count;
    else if (c.status === 'closed') outcomes.closedAwaitingAnswer += c.count;
    else if (c.status === 'open') outcomes.beingDealtWith += c.count;
    else outcomes.waitingToBePassedOn += c.count;
    if (c.reopened) outcomes.reopened += c.count;
    measure(takenOn, takenDays, c.raisedOn, c.takenOn, limits.acknowledge, c.count);
    measure(answered, answeredDays, c.raisedOn, c.closedOn, limits.respond, c.count);
  }
  takenOn.medianDays = median(takenDays);
  answered.medianDays = median(answeredDays);
  const theirs = complaints.filter((c) => within(period, c.receivedOn));
  const byStage = { stage_1: 0, stage_2: 0 };
  const complaintOutcomes = { open: 0, closedSerial: 0, closedVexatious: 0, lateFlagged: 0 };
  const findings = { upheld: 0, partly: 0, notUpheld: 0, noOutcome: 0 };
  for (const c of theirs) {
    if (c.outcome === 'upheld') findings.upheld += c.count;
    else if (c.outcome === 'partly') findings.partly += c.count;
    else if (c.outcome === 'not_upheld') findings.notUpheld += c.count;
    else findings.noOutcome += c.count;
    byStage[c.stage] += c.count;
    if (c.closedAs === 'serial') complaintOutcomes.closedSerial += c.count;
    else if (c.closedAs === 'vexatious') complaintOutcomes.closedVexatious += c.count;
    else complaintOutcomes.open += c.count;
    if (c.late) complaintOutcomes.lateFlagged += c.count;
  }
  return {
    period,
    concerns: mine.reduce((s, c) => s + c.count, 0),
    byCategory,
    outcomes,
    takenOn,
    answered,
    complaints: theirs.reduce((s, c) => s + c.count, 0),
    byStage,
    complaintOutcomes,
    findings,
  };
}

/** Themes: the categories raised most this year, with last year's number beside each (so a rise shows). */
export function themes(thisYear: Record<string, number>, lastYear: Record<string, number>, top = 3): { category: string; count: number; lastYear: number }[] {
  return CATEGORIES.map((category) => ({ category, count: thisYear[category] ?? 0, lastYear: lastYear[category] ?? 0 }))
    .filter((t) => t.count > 0)
    .sort((a, b) => b.count - a.count || a.category.localeCompare(b.category))
    .slice(0, top);
}

export type Shown = number | typeof FEWER_THAN | typeof NOT_SHOWN;

/** One figure as a person outside the case team may see it. */
export function shown(n: number, exact: boolean): Shown {
  return exact || n === 0 || n >= SMALL ? n : FEWER_THAN;
}

/**
 * A set of figures that add up to a total the reader also sees (categories of one term): small ones
 * hidden, and when exactly one is hidden, the smallest other non-zero one is "not shown" too, so the
 * total cannot give the hidden one away.
 */
export function shownCells<K extends string>(cells: Record<K, number>, exact: boolean): Record<K, Shown> {
  const out = {} as Record<K, Shown>;
  const keys = Object.keys(cells) as K[];
  for (const k of keys) out[k] = shown(cells[k], exact);
  if (exact) return out;
  const hidden = keys.filter((k) => out[k] === FEWER_THAN);
  if (hidden.length === 1) {
    const next = keys.filter((k) => out[k] !== FEWER_THAN && cells[k] > 0).sort((a, b) => cells[a] - cells[b])[0];
    if (next) out[next] = NOT_SHOWN;
  }
  return out;
}

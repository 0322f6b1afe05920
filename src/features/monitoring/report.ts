import { DateTime } from 'luxon';
import type { Db } from '../../db/database.ts';
import type { LocalDate } from '../../db/schema.ts';
import { academicYear, CATEGORIES, schoolDayCounter, CATEGORY_LABELS, DEFAULT_LIMITS, periodFigures, shown, shownCells, themes, type Limits, type PeriodFigures, type Shown } from './figures.ts';
import { calendarWithNames, complaintCount, complaintGroups, concernGroups, concernsByCategory } from './queries.ts';

/**
 * The monitoring page's figures for one academic year: one column per term and one for the year.
 * `exact`: the reader is in the case team (the head, senior leaders); anyone else (governors) sees
 * small figures as "fewer than 5".
 */
/** A cell: a count as it may be shown, or words ("12 of 14 (86%)", "–"). */
export type Cell = Shown | string;
/** The cell of a term that has not started yet. */
export const NOT_STARTED = '–';
/** `key` names the rows other pages quote (evidence.ts). */
export type Row = { label: string; cells: Cell[]; strong?: boolean; key?: 'takenOn' | 'answered' | 'complaints' | 'upheld' | 'partly' };
export type Report = {
  year: number;
  yearLabel: string;
  columns: string[];
  /** Terms (or the year) that have not started by today: their cells are "–", not 0. */
  notStarted: boolean[];
  sections: { title: string; rows: Row[] }[];
  themes: { label: string; count: Shown; lastYear: Shown }[];
  complaintsLastYear: Shown;
  lastYearLabel: string;
  limits: Limits;
  years: number[];
};

export async function monitoringReport(db: Db, schoolId: string, year: number, today: LocalDate, exact: boolean, limits: Limits = DEFAULT_LIMITS): Promise<Report> {
  const calendar = await calendarWithNames(db, schoolId);
  const { year: whole, terms } = academicYear(calendar, year);
  const { year: last } = academicYear(calendar, year - 1);
  const [concerns, complaints, lastCategories, lastComplaints] = await Promise.all([
    concernGroups(db, schoolId, whole),
    complaintGroups(db, schoolId, whole),
    concernsByCategory(db, schoolId, last),
    complaintCount(db, schoolId, last),
  ]);
  const periods = [...terms, whole];
  // Every date the figures count between: the year, and up to today or a term and a half past its end.
  const until = [today, DateTime.fromISO(whole.endsOn).plus({ days: 120 }).toISODate()!].sort()[1]!;
  const days = counterFor(schoolId, calendar, whole.startsOn, until);
  const figures = periods.map((p) => periodFigures(p, concerns, complaints, calendar, limits, today, days));
  const yearly = figures[figures.length - 1]!;
  const column = (f: PeriodFigures) => ({
    categories: shownCells({ ...f.byCategory }, exact),
    outcomes: shownCells({ ...f.outcomes, reopened: 0 }, exact),
    stages: shownCells({ ...f.byStage }, exact),
    complaintOutcomes: shownCells({ open: f.complaintOutcomes.open, closedSerial: f.complaintOutcomes.closedSerial, closedVexatious: f.complaintOutcomes.closedVexatious }, exact),
    findings: shownCells({ ...f.findings }, exact),
  });
  const cols = figures.map(column);
  const n = (pick: (f: PeriodFigures) => number) => figures.map((f) => shown(pick(f), exact));
  const share = (pick: (f: PeriodFigures) => { done: number; withinLimit: number }) =>
    figures.map((f): Cell => {
      const t = pick(f);
      const [done, inTime] = [shown(t.done, exact), shown(t.withinLimit, exact)];
      if (done === 0) return '–';
      return typeof done === 'number' && typeof inTime === 'number' ? `${inTime} of ${done} (${Math.round((inTime / done) * 100)}%)` : `${inTime} of ${done}`;
    });
  const medians = (pick: (f: PeriodFigures) => number | null) => figures.map((f): Cell => pick(f) ?? '–');
  const yearCategories = Object.fromEntries(CATEGORIES.map((c) => [c, yearly.byCategory[c]]));
  // A term that has not started has no figures yet: "–" (explained on the page), never a row of zeros.
  const notStarted = periods.map((p) => p.startsOn > today);
  const untilStarted = (rows: Row[]): Row[] => rows.map((r) => ({ ...r, cells: r.cells.map((c, i) => (notStarted[i] ? NOT_STARTED : c)) }));
  const years = [...new Set(calendar.terms.map((t) => Number(t.starts_on.slice(0, 4)) - (Number(t.starts_on.slice(5, 7)) >= 9 ? 0 : 1)))].sort((a, b) => b - a);
  return {
    year,
    yearLabel: whole.label,
    columns: [...terms.map((t) => t.label), `The year ${whole.label}`],
    notStarted,
    limits,
    years,
    sections: (
      [
        {
          title: 'Concerns raised',
          rows: [
            { label: 'All concerns', cells: n((f) => f.concerns), strong: true },
            ...[...CATEGORIES, 'untriaged' as const].map((c) => ({ label: CATEGORY_LABELS[c], cells: cols.map((col) => col.categories[c]) })),
          ],
        },
        {
          title: 'How they ended',
          rows: [
            { label: 'Resolved (the family said so)', cells: cols.map((c) => c.outcomes.resolved) },
            { label: 'Closed, waiting for the family’s answer', cells: cols.map((c) => c.outcomes.closedAwaitingAnswer) },
            { label: 'Still being dealt with', cells: cols.map((c) => c.outcomes.beingDealtWith) },
            { label: 'Waiting to be passed on', cells: cols.map((c) => c.outcomes.waitingToBePassedOn) },
            { label: 'Reopened by the family at least once', cells: n((f) => f.outcomes.reopened) },
          ],
        },
        {
          title: 'How quickly, in school days',
          rows: [
            { label: `Taken on within ${limits.acknowledge} school days`, cells: share((f) => f.takenOn), key: 'takenOn' },
            { label: 'Median school days to be taken on', cells: medians((f) => f.takenOn.medianDays) },
            { label: `Answered within ${limits.respond} school days`, cells: share((f) => f.answered), key: 'answered' },
            { label: 'Median school days to be answered', cells: medians((f) => f.answered.medianDays) },
            { label: `Still open after ${limits.respond} school days`, cells: n((f) => f.answered.waitingPastLimit) },
          ],
        },
        {
          title: 'Formal complaints',
          rows: [
            { label: 'All formal complaints', cells: n((f) => f.complaints), strong: true, key: 'complaints' },
            { label: 'Stage 1', cells: cols.map((c) => c.stages.stage_1) },
            { label: 'Stage 2 (panel)', cells: cols.map((c) => c.stages.stage_2) },
            { label: 'Open or answered', cells: cols.map((c) => c.complaintOutcomes.open) },
            { label: 'Closed as serial', cells: cols.map((c) => c.complaintOutcomes.closedSerial) },
            { label: 'Closed as vexatious', cells: cols.map((c) => c.complaintOutcomes.closedVexatious) },
            { label: 'Made more than 3 months after the last incident', cells: n((f) => f.complaintOutcomes.lateFlagged) },
          ],
        },
        {
          title: 'What the investigations found',
          rows: [
            { label: 'Upheld', cells: cols.map((c) => c.findings.upheld), key: 'upheld' },
            { label: 'Partly upheld', cells: cols.map((c) => c.findings.partly), key: 'partly' },
            { label: 'Not upheld', cells: cols.map((c) => c.findings.notUpheld) },
            { label: 'No outcome yet', cells: cols.map((c) => c.findings.noOutcome) },
          ],
        },
      ] satisfies { title: string; rows: Row[] }[]
    ).map((section) => ({ ...section, rows: untilStarted(section.rows) })),
    themes: themes(yearCategories, lastCategories).map((t) => ({
      label: CATEGORY_LABELS[t.category as keyof typeof CATEGORY_LABELS],
      count: shown(t.count, exact),
      lastYear: shown(t.lastYear, exact),
    })),
    complaintsLastYear: shown(lastComplaints, exact),
    lastYearLabel: last.label,
  };
}

/**
 * The running count of school days for a school's year is the same for every reader until the
 * calendar changes: kept for the last few (school, calendar, range) asked for.
 */
const counters = new Map<string, ReturnType<typeof schoolDayCounter>>();
function counterFor(schoolId: string, calendar: Awaited<ReturnType<typeof calendarWithNames>>, first: LocalDate, last: LocalDate) {
  const key = `${schoolId}|${first}|${last}|${calendar.terms.map((t) => `${t.starts_on}${t.ends_on}`).join()}|${calendar.closures.map((c) => `${c.starts_on}${c.ends_on}`).join()}`;
  let counter = counters.get(key);
  if (!counter) {
    counter = schoolDayCounter(calendar, first, last);
    if (counters.size >= 100) counters.delete(counters.keys().next().value!);
    counters.set(key, counter);
  }
  return counter;
}

import type { LocalDate } from '../../../db/schema.ts';
import { dueInSchoolDays, type SchoolCalendar } from '../../../platform/calendar/school-days.ts';
import { daysOverdue } from '../../meetings/index.ts';
import { panelTimeline, type ComplaintLimits } from '../complaint-timeline.ts';

/**
 * The date a complaint's current stage is waiting on, and how late it is. Stage 1 being investigated
 * waits on the written answer (respond_by); stage 2 with the panel waits on the panel being held
 * (panel_by) and, once the panel's date is set, on its decision (a number of school days after it
 * meets). Answered, closed and declined complaints wait on nothing. Days late are calendar days,
 * as every other "overdue" on the staff pages counts them (meetings' follow-ups, concerns).
 */
export type StageDeadline = { what: 'answer' | 'panel' | 'decision'; dueOn: LocalDate; daysOverdue: number };

export type StageFacts = {
  stage: 'stage_1' | 'stage_2';
  status: string;
  respond_by: LocalDate;
  panel_by: LocalDate | null;
  panel_on: LocalDate | null;
};

export function stageDeadline(c: StageFacts, calendar: SchoolCalendar, limits: ComplaintLimits, today: LocalDate): StageDeadline | null {
  const late = (what: StageDeadline['what'], dueOn: LocalDate): StageDeadline => ({ what, dueOn, daysOverdue: dueOn < today ? daysOverdue(dueOn, today) : 0 });
  if (c.stage === 'stage_1') return c.status === 'open' ? late('answer', c.respond_by) : null;
  if (c.status !== 'panel') return null;
  if (c.panel_on) {
    const { decisionBy } = panelTimeline(calendar, c.panel_on, c.panel_on, limits);
    // A panel set for after the date it should be held by is already late: the earlier date counts.
    return c.panel_by && c.panel_by < c.panel_on ? late('panel', c.panel_by) : late('decision', decisionBy!);
  }
  return c.panel_by ? late('panel', c.panel_by) : null;
}

/** "1 day overdue", "13 days overdue": for the red tag beside the date. */
export function overdueWords(days: number): string {
  return `${days} ${days === 1 ? 'day' : 'days'} overdue`;
}

/**
 * The list's "Next date" for a complaint: the date its current stage waits on with the red tag's
 * words once it has passed, or, for one waiting on nothing, the date it was last due (no tag).
 */
export function listedDue(c: StageFacts, calendar: SchoolCalendar, limits: ComplaintLimits, today: LocalDate): { what: string | null; dueOn: LocalDate | null; overdue: string | null } {
  const d = stageDeadline(c, calendar, limits, today);
  if (d) return { what: WAITING_ON[d.what], dueOn: d.dueOn, overdue: d.daysOverdue > 0 ? overdueWords(d.daysOverdue) : null };
  return { what: null, dueOn: c.stage === 'stage_2' ? c.panel_by : c.respond_by, overdue: null };
}

/** What the date is for, in the words of the case page's rows. */
const WAITING_ON: Record<StageDeadline['what'], string> = { answer: 'Answer by', panel: 'Panel held by', decision: 'Panel’s decision by' };

/** How many school days ahead a complaint's date shows on the home page of those working on it. */
export const DATES_AHEAD_SCHOOL_DAYS = 5;

/**
 * The complaint dates to put in front of the people working on them: each complaint whose current
 * stage is overdue or falls due within the next five school days, the most urgent first (the most
 * overdue, then the soonest due). Complaints waiting on nothing are left out.
 */
export function datesToWatch<C extends StageFacts>(complaints: C[], calendar: SchoolCalendar, limits: ComplaintLimits, today: LocalDate): (C & { deadline: StageDeadline; waitingOn: string })[] {
  const horizon = dueInSchoolDays(calendar, today, DATES_AHEAD_SCHOOL_DAYS);
  return complaints
    .flatMap((c) => {
      const deadline = stageDeadline(c, calendar, limits, today);
      return deadline && deadline.dueOn <= horizon ? [{ ...c, deadline, waitingOn: WAITING_ON[deadline.what] }] : [];
    })
    .sort((a, b) => (a.deadline.dueOn < b.deadline.dueOn ? -1 : a.deadline.dueOn > b.deadline.dueOn ? 1 : 0));
}

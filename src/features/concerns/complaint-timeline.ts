import { DateTime } from 'luxon';
import type { ConcernStatus, LocalDate, YearGroup } from '../../db/schema.ts';
import { isSchoolDay, schoolDaysBefore, type SchoolCalendar } from '../../platform/calendar/school-days.ts';

/**
 * Formal complaints as plain rules (issue 14, point 5; no tables or pages yet): the school's stages,
 * their time limits in school days, when a complaint counts from, the late and early-years flags,
 * and a deadline that slips. Used by the complaint pages when they are built; tested on their own.
 *
 * The DfE's model procedure: an informal stage (the concern), a formal stage 1 investigated and
 * answered in writing, and a stage 2 panel. A complaint received in a holiday counts from the first
 * school day after; one raised more than three months after the incident (or the last of a series)
 * is flagged for the head to accept, with a reason, or decline. Early-years complaints also have the
 * EYFS 28-calendar-day outcome clock.
 */
export type ComplaintStage = { key: string; label: string };
/** The DfE's common shape, the default for a school that has not set its own. */
export const DFE_STAGES: readonly ComplaintStage[] = [
  { key: 'informal', label: 'Informal: the concern' },
  { key: 'stage_1', label: 'Formal stage 1: investigated and answered in writing' },
  { key: 'stage_2', label: 'Formal stage 2: the governors’ panel' },
];

/** Time limits in school days: a school setting, with these defaults. */
export type ComplaintLimits = { acknowledge: number; respond: number; panelWithin: number; papersBefore: number; decisionAfter: number };
export const DEFAULT_LIMITS: ComplaintLimits = { acknowledge: 5, respond: 15, panelWithin: 20, papersBefore: 5, decisionAfter: 5 };

export const LATE_AFTER_MONTHS = 3;
export const EARLY_YEARS_OUTCOME_DAYS = 28;
const EARLY_YEARS: readonly YearGroup[] = ['N', 'R'];

/** Counting forwards, past the last term the school has entered weekdays count (next year's dates may not be in yet). */
function addDays(calendar: SchoolCalendar, from: LocalDate, days: number): LocalDate {
  const lastTermEnd = calendar.terms.reduce((max, t) => (t.ends_on > max ? t.ends_on : max), '');
  const counts = (d: DateTime) => (d.toISODate()! > lastTermEnd ? d.weekday <= 5 : isSchoolDay(calendar, d.toISODate()!));
  let d = DateTime.fromISO(from);
  for (let counted = 0; counted < days;) {
    d = d.plus({ days: 1 });
    if (counts(d)) counted += 1;
  }
  return d.toISODate()!;
}

/** The day a complaint counts from: the day it was received, or the first school day after when that is not one. */
export function countsFrom(calendar: SchoolCalendar, receivedOn: LocalDate): LocalDate {
  const lastTermEnd = calendar.terms.reduce((max, t) => (t.ends_on > max ? t.ends_on : max), '');
  if (receivedOn > lastTermEnd ? DateTime.fromISO(receivedOn).weekday <= 5 : isSchoolDay(calendar, receivedOn)) return receivedOn;
  return addDays(calendar, receivedOn, 1);
}

export type StageOneTimeline = {
  countsFrom: LocalDate;
  acknowledgeBy: LocalDate;
  respondBy: LocalDate;
  /** Raised more than three months after the (last) incident: the head decides, with a reason. */
  late: boolean;
  /** EYFS: the outcome within 28 calendar days of receiving it; null for older children. */
  earlyYearsOutcomeBy: LocalDate | null;
};

/** Made more than LATE_AFTER_MONTHS after the last incident: flagged for the lead to accept (with a reason) or decline. */
export function madeLate(receivedOn: LocalDate, lastIncidentOn: LocalDate): boolean {
  return receivedOn > DateTime.fromISO(lastIncidentOn).plus({ months: LATE_AFTER_MONTHS }).toISODate()!;
}

export function stageOneTimeline(
  calendar: SchoolCalendar,
  c: { receivedOn: LocalDate; lastIncidentOn: LocalDate; yearGroup: YearGroup | null },
  limits: ComplaintLimits = DEFAULT_LIMITS,
): StageOneTimeline {
  const from = countsFrom(calendar, c.receivedOn);
  return {
    countsFrom: from,
    acknowledgeBy: addDays(calendar, from, limits.acknowledge),
    respondBy: addDays(calendar, from, limits.respond),
    late: madeLate(c.receivedOn, c.lastIncidentOn),
    earlyYearsOutcomeBy: c.yearGroup && EARLY_YEARS.includes(c.yearGroup) ? DateTime.fromISO(c.receivedOn).plus({ days: EARLY_YEARS_OUTCOME_DAYS }).toISODate()! : null,
  };
}

/** Stage 2: the panel is held within `panelWithin` school days of the request; papers go out before it, the decision follows it. */
export function panelTimeline(calendar: SchoolCalendar, requestedOn: LocalDate, panelOn: LocalDate | null, limits: ComplaintLimits = DEFAULT_LIMITS) {
  const from = countsFrom(calendar, requestedOn);
  return {
    panelBy: addDays(calendar, from, limits.panelWithin),
    papersBy: panelOn ? schoolDaysBefore(calendar, panelOn, limits.papersBefore) : null,
    decisionBy: panelOn ? addDays(calendar, panelOn, limits.decisionAfter) : null,
  };
}

/** Every slip of a deadline needs a new, later date and a reason (which the complainant is told). */
export function slipDeadline(current: LocalDate, next: LocalDate, reason: string): { ok: true } | { ok: false; field: 'new_date' | 'reason'; message: string } {
  if (!reason.trim()) return { ok: false, field: 'reason', message: 'Say why the date has to move: the complainant is told' };
  if (next <= current) return { ok: false, field: 'new_date', message: 'The new date must be after the one it replaces' };
  return { ok: true };
}

/**
 * Who may escalate a concern to a formal complaint: the carer once it is closed and they have not
 * said it is resolved (or it is open again after "not yet"); staff (the head or a senior leader) at any time.
 */
export function mayEscalate(status: ConcernStatus, reopenedCount: number, by: 'carer' | 'staff'): boolean {
  if (by === 'staff') return status !== 'resolved';
  return status === 'closed' || (status === 'open' && reopenedCount > 0);
}

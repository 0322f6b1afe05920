import { DateTime } from 'luxon';
import { z } from 'zod';
import type { LocalDate } from '../../db/schema.ts';
import { dateField } from '../../platform/calendar/typed.ts';
import { formatDate } from '../../platform/calendar/time.ts';
import type { FieldErrors } from '../../platform/web/forms.ts';

/**
 * Term dates and the days the school is closed (INSET days, bank holidays in term, a snow day), as
 * plain rules. Every "school days" count in Gatepost (a complaint's deadlines, a concern's reply, an
 * agenda two school days before a meeting, three school days to read a message) reads them, and
 * families see them so that an INSET day is never a surprise.
 */
export type Term = { id: string; name: string; starts_on: LocalDate; ends_on: LocalDate };
export type Closure = { id: string; reason: string; starts_on: LocalDate; ends_on: LocalDate };

/** Roles that keep the term dates (the head, senior leaders and the office). */
export const TERM_DATE_KEEPERS = ['head', 'senior_leader', 'office'] as const;
/** A term longer than this (18 weeks) is a typing mistake: the longest English term is about 16 weeks. */
export const LONGEST_TERM_DAYS = 126;
/** A closure longer than this is a holiday, not a closure: the gap between two terms says it. */
export const LONGEST_CLOSURE_DAYS = 14;
/** The head and office are told this many days before the last term entered ends. */
export const RUNNING_OUT_DAYS = 42;

export const TermForm = z.object({
  name: z.string({ error: 'Enter the name of the term' }).trim().min(1, 'Enter the name of the term, for example Spring term 2027').max(60, 'The name must be 60 characters or fewer'),
  starts_on: dateField('the first day of term'),
  ends_on: dateField('the last day of term'),
});

export const ClosureForm = z.object({
  reason: z.string({ error: 'Say why the school is closed' }).trim().min(1, 'Say why the school is closed, for example INSET day').max(100, 'The reason must be 100 characters or fewer'),
  closed_from: dateField('the day the school is closed'),
  closed_to: dateField('the last day it is closed', { optional: true }),
});

const days = (from: LocalDate, to: LocalDate) => DateTime.fromISO(to).diff(DateTime.fromISO(from), 'days').days + 1;
const overlaps = (a: { starts_on: LocalDate; ends_on: LocalDate }, b: { starts_on: LocalDate; ends_on: LocalDate }) => a.starts_on <= b.ends_on && b.starts_on <= a.ends_on;
/** "2 September 2026 to 18 December 2026", or one day. */
export function dateRange(from: LocalDate, to: LocalDate): string {
  return from === to ? formatDate(from) : `${formatDate(from)} to ${formatDate(to)}`;
}

/** What is wrong with a new term beside the school's others, field by field. */
export function termProblems(term: Omit<Term, 'id'>, others: readonly Term[]): FieldErrors {
  if (term.ends_on < term.starts_on) return { ends_on: 'The last day of term must be the same as or after the first day' };
  if (days(term.starts_on, term.ends_on) > LONGEST_TERM_DAYS) return { ends_on: 'A term is at most 18 weeks long: check the dates' };
  const clash = others.find((o) => overlaps(o, term));
  if (clash) return { starts_on: `These dates overlap ${clash.name} (${dateRange(clash.starts_on, clash.ends_on)})` };
  if (others.some((o) => o.name.toLowerCase() === term.name.toLowerCase())) return { name: `There is already a term called ${term.name}: give this one its year` };
  return {};
}

/** What is wrong with a new closure beside the terms and the other closures. */
export function closureProblems(closure: Omit<Closure, 'id'>, terms: readonly Term[], others: readonly Closure[]): FieldErrors {
  if (closure.ends_on < closure.starts_on) return { closed_to: 'The last day closed must be the same as or after the first day' };
  if (days(closure.starts_on, closure.ends_on) > LONGEST_CLOSURE_DAYS) return { closed_to: 'A closure is at most two weeks: a holiday is the gap between two terms' };
  if (!terms.some((t) => overlaps(t, closure))) return { closed_from: 'No term includes these days, so the school is closed anyway: add the term first, or check the dates' };
  const clash = others.find((o) => overlaps(o, closure));
  if (clash) return { closed_from: `The school is already closed then: ${clash.reason} (${dateRange(clash.starts_on, clash.ends_on)})` };
  return {};
}

/** What families and staff are shown: the terms not yet over, and the closures still to come, in date order. */
export function stillToCome<T extends { starts_on: LocalDate; ends_on: LocalDate }>(rows: readonly T[], today: LocalDate): T[] {
  return rows.filter((r) => r.ends_on >= today).sort((a, b) => a.starts_on.localeCompare(b.starts_on));
}

/**
 * When the last term entered ends soon (or has ended), the date it ends: school-day deadlines cannot be
 * counted past it, so the people who keep the dates are asked to add the next terms. Null when fine.
 */
export function termsRunningOut(terms: readonly Pick<Term, 'ends_on'>[], today: LocalDate): LocalDate | null {
  const last = terms.reduce<LocalDate | null>((max, t) => (max === null || t.ends_on > max ? t.ends_on : max), null);
  if (last === null) return today;
  return days(today, last) - 1 <= RUNNING_OUT_DAYS ? last : null;
}

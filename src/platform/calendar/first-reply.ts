import type { LocalDate } from '../../db/schema.ts';
import { dueInSchoolDays, type SchoolCalendar } from './school-days.ts';

/**
 * The school's first reply to a family who raise a concern: someone gets in touch (a recorded contact,
 * or the outcome) within REPLY_SCHOOL_DAYS school days of the day it was raised. One rule for the two
 * features that use it: concerns (the date the family is told, and staff see) and agreements (the
 * home-school agreement's promise, and the measure that counts against it). It sits here, below both,
 * because each of those features' index.ts reaches the other's through its routes (an import cycle).
 */
export const REPLY_SCHOOL_DAYS = 5;

/** The date a family should have had a first reply by. */
export function replyBy(calendar: SchoolCalendar, raisedOn: LocalDate): LocalDate {
  return dueInSchoolDays(calendar, raisedOn, REPLY_SCHOOL_DAYS);
}

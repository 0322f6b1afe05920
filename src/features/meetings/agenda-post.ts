import { DateTime } from 'luxon';
import type { Db } from '../../db/database.ts';
import type { Instant, LocalDate } from '../../db/schema.ts';
import type { SchoolCalendar } from '../../platform/calendar/school-days.ts';
import { schoolDaysBefore } from '../../platform/calendar/school-days.ts';
import { formatInstant, localDate } from '../../platform/calendar/time.ts';
import { AGENDA_SCHOOL_DAYS_BEFORE, agendaEmailsStatement, agendaVersion } from './agenda.ts';

/**
 * Whether the family has had the agenda, for the staff meeting page: a teacher preparing a difficult
 * meeting needs to know that the father has it (and when it went), or on which day it will go, and
 * whether what he has is out of date since someone added to it.
 */
export type AgendaPost = { state: 'nobody' } | { state: 'due'; on: string; today: boolean } | { state: 'sent'; at: string; changedSince: boolean; nextOn: string | null; today: boolean };

const longDate = (d: LocalDate) => DateTime.fromISO(d).setLocale('en-GB').toFormat('cccc d MMMM yyyy');

/** The day the daily run emails the agenda: two school days before the meeting's school-local date. */
export function agendaGoesOn(calendar: SchoolCalendar, startsAt: Instant, timeZone: string): LocalDate {
  return schoolDaysBefore(calendar, localDate(new Date(startsAt), timeZone), AGENDA_SCHOOL_DAYS_BEFORE) as LocalDate;
}

export async function agendaPostOf(
  db: Db,
  meeting: { id: string; starts_at: Instant | null },
  agenda: { id: string }[],
  familyHasEmail: boolean,
  calendar: SchoolCalendar,
  timeZone: string,
  today: LocalDate,
): Promise<AgendaPost> {
  if (!familyHasEmail) return { state: 'nobody' };
  const sent = await agendaEmailsStatement(db, meeting.id).execute();
  const goes = meeting.starts_at ? agendaGoesOn(calendar, meeting.starts_at, timeZone) : null;
  const on = goes && goes > today ? goes : today;
  const last = sent[0];
  if (!last) return { state: 'due', on: longDate(on), today: on === today };
  const changedSince = !sent.some((r) => r.idempotency_key.startsWith(`email:agenda:${meeting.id}:${agendaVersion(agenda)}:`));
  return { state: 'sent', at: formatInstant(last.created_at, timeZone), changedSince, nextOn: changedSince ? longDate(on) : null, today: on === today };
}

import type { Kysely } from 'kysely';
import { DateTime } from 'luxon';
import type { Database, LocalDate } from '../../db/schema.ts';
import { restrictionStops } from '../../platform/access/hear.ts';
import type { Text } from '../../platform/i18n/catalog.ts';
import { instantIn } from '../../platform/i18n/dates.ts';
import { textForSchool } from '../../platform/i18n/plugin.ts';
import { formatTime } from '../../platform/calendar/time.ts';
import { askedForWords, childFor, whereForCarer } from './carer-words.ts';
import { emailCarers, emailStaff, familyToTell, meetingLines, type MailContext } from './meetings-notify.ts';
import { agendaOf, meetingStaffOf, pupilOf, staffName } from './meetings-queries.ts';
import { childName } from './meetings-rules.ts';
import { absoluteLink } from '../../platform/web/links.ts';

type Db = Kysely<Database>;

/** Where a family finds their parents' evening appointments in Gatepost (the calendar file is at …/calendar.ics). */
export const eveningPath = (eveningId: string) => `/parents-evenings/${eveningId}`;

/** Tomorrow in a school's zone, as a local date and the UTC instants it runs between (23 or 25 hours on clock-change days). */
export function tomorrowIn(now: Date, timeZone: string): { date: LocalDate; from: string; to: string } {
  const start = DateTime.fromJSDate(now, { zone: timeZone }).plus({ days: 1 }).startOf('day');
  return { date: start.toISODate()!, from: start.toUTC().toISO()!, to: start.plus({ days: 1 }).startOf('day').toUTC().toISO()! };
}

/**
 * Reminders the day before: for every arranged meeting and every booked parents' evening
 * appointment starting tomorrow (each school's own date), one email to each family member with an
 * email address, with the time in school time, where, and the calendar link; and a short one to the
 * staff (each member of staff on a meeting; each teacher once per evening, with how many appointments). Idempotent: the keys
 * (`reminder:meeting:<id>:<carer>`, `reminder:evening:<evening>:<date>:<carer>`) make a second run
 * send nothing (staff: `reminder:meeting-staff:<id>:<staff>`, `reminder:evening-staff:<evening>:<date>:<staff>`). Run by the scheduler; returns how many reminders it wrote (including repeats it skipped).
 */
export async function sendMeetingReminders(db: Db, now: Date, baseUrl: string): Promise<{ meetings: number; evenings: number }> {
  const schools = await db.selectFrom('schools').select(['id', 'name', 'time_zone']).execute();
  let meetings = 0;
  let evenings = 0;
  for (const school of schools) {
    const ctx: MailContext = { schoolId: school.id, schoolName: school.name, timeZone: school.time_zone, baseUrl, now };
    const day = tomorrowIn(now, school.time_zone);
    const today = DateTime.fromJSDate(now, { zone: school.time_zone }).toISODate()!;
    // Staff read their reminders in English, with the school's own words (its name for a parents' evening).
    const forStaff = await textForSchool(db, school.id, 'en', now);
    meetings += await remindMeetings(db, ctx, day, forStaff);
    evenings += await remindEvenings(db, ctx, day, today, forStaff);
  }
  return { meetings, evenings };
}

/**
 * The meetings (not parents' evening appointments: remindEvenings) starting in `day`. Found by the
 * school's start-time index; written with `evening_booking_id is null` in the statement, SQLite
 * without statistics took the unique (appointment, school) index instead and read every meeting that
 * is not an appointment, every ten minutes. The appointments among the day's few are left out here.
 */
export function dueMeetingsStatement(db: Db, schoolId: string, day: { from: string; to: string }) {
  return db.selectFrom('meetings').selectAll().where('school_id', '=', schoolId).where('status', '=', 'scheduled').where('starts_at', '>=', day.from).where('starts_at', '<', day.to);
}

async function remindMeetings(db: Db, ctx: MailContext, day: { from: string; to: string }, forStaff: Text): Promise<number> {
  const due = (await dueMeetingsStatement(db, ctx.schoolId, day).execute()).filter((m) => m.evening_booking_id === null);
  let sent = 0;
  for (const m of due) {
    // Only family members who may still hear about the child (a restriction made since stops reminders too).
    const [pupil, to, staff, agenda] = await Promise.all([pupilOf(db, ctx.schoolId, m.pupil_id), familyToTell(db, ctx, m), meetingStaffOf(db, m.id), agendaOf(db, m.id)]);
    const lead = staff.find((s) => s.role === 'lead');
    sent += await emailCarers(db, ctx, to, {
      key: `reminder:meeting:${m.id}`,
      build: (t) => ({
        subject: t('meetings.reminder.subject', { child: childFor(pupil, t), when: instantIn(t.code, m.starts_at, ctx.timeZone) }),
        lines: [
          t('meetings.reminder.intro', { child: childFor(pupil, t), topic: m.topic }),
          '',
          ...meetingLines(m, lead?.name ?? null, ctx.timeZone, t),
          ...(agenda.length ? ['', t('meetings.email.agenda'), ...agenda.map((a) => `- ${a.text}`)] : []),
          '',
          t('meetings.email.calendar', { link: absoluteLink(ctx.baseUrl, `/my-meetings/${m.id}/calendar.ics`) }),
          t('meetings.reminder.cannotCome'),
        ],
      }),
      path: `/my-meetings/${m.id}`,
    });
    // The staff meeting the family (lead, colleague, family liaison officer, whoever helped them prepare).
    await emailStaff(
      db,
      ctx,
      staff.map((s) => s.id),
      {
        key: `reminder:meeting-staff:${m.id}`,
        subject: forStaff('meetings.staffReminder.meeting', { topic: m.topic, child: childName(pupil), time: formatTime(m.starts_at!, ctx.timeZone) }),
        path: `/meetings/${m.id}`,
      },
    );
  }
  return sent;
}

/**
 * Tomorrow's parents' evening appointments with each family member coming. (Without statistics
 * SQLite reads every booking the school has had, by the school's index: 41 ms at 40,000 bookings, per
 * school every ten minutes. An index on school and start time would find them directly, but on
 * SQLite without statistics it ties with the carer's and evening's indexes on the booking pages'
 * statements and won some of those ties, so it is left for the booking work.) With what each carer
 * asked for at the evening (evening_needs, features/evenings "Help at your appointments"), said back
 * in their reminder.
 */
export function dueAppointmentsStatement(db: Db, schoolId: string, day: { from: string; to: string }) {
  return db
    .selectFrom('evening_bookings as b')
    .innerJoin('evening_attendees as a', 'a.booking_id', 'b.id')
    .innerJoin('evenings as e', 'e.id', 'b.evening_id')
    .innerJoin('staff as s', 's.id', 'b.staff_id')
    .innerJoin('pupils as p', 'p.id', 'b.pupil_id')
    .innerJoin('carers as c', 'c.id', 'a.carer_id')
    .leftJoin('evening_teachers as t', (j) => j.onRef('t.evening_id', '=', 'b.evening_id').onRef('t.staff_id', '=', 'b.staff_id'))
    .leftJoin('evening_needs as n', (j) => j.onRef('n.evening_id', '=', 'b.evening_id').onRef('n.carer_id', '=', 'a.carer_id').onRef('n.school_id', '=', 'b.school_id'))
    .select([
      'b.id',
      'b.evening_id',
      'b.staff_id',
      'b.pupil_id',
      'b.starts_at',
      'b.mode',
      'e.name as evening_name',
      's.title',
      's.family_name',
      'p.given_name as pupil_given_name',
      'p.preferred_name as pupil_preferred_name',
      'c.id as carer_id',
      'c.given_name as carer_given_name',
      'c.email',
      'c.preferred_language',
      't.room',
      't.video_link',
      'n.interpreter_language as needs_interpreter_language',
      'n.access_note as needs_access_note',
    ])
    .where('b.school_id', '=', schoolId)
    .where('b.status', '=', 'booked')
    .where('b.cancelled_at', 'is', null)
    .where('a.cancelled_at', 'is', null)
    .where('c.archived_at', 'is', null)
    .where('b.starts_at', '>=', day.from)
    .where('b.starts_at', '<', day.to)
    .orderBy('b.starts_at');
}

async function remindEvenings(db: Db, ctx: MailContext, day: { date: LocalDate; from: string; to: string }, today: LocalDate, forStaff: Text): Promise<number> {
  const rows = await dueAppointmentsStatement(db, ctx.schoolId, day).execute();
  if (rows.length === 0) return 0;
  const stopped = await db
    .selectFrom('restrictions')
    .select(['pupil_id', 'carer_id'])
    .where('school_id', '=', ctx.schoolId)
    .where('pupil_id', 'in', [...new Set(rows.map((r) => r.pupil_id))])
    .where((eb) => restrictionStops(eb, 'booking', today))
    .execute();
  const blocked = new Set(stopped.map((r) => `${r.pupil_id}:${r.carer_id}`));
  const perCarer = new Map<string, typeof rows>();
  for (const r of rows) {
    if (blocked.has(`${r.pupil_id}:${r.carer_id}`)) continue;
    const key = `${r.evening_id}:${r.carer_id}`;
    perCarer.set(key, [...(perCarer.get(key) ?? []), r]);
  }
  let sent = 0;
  for (const appointments of perCarer.values()) {
    const first = appointments[0]!;
    // What they asked for at the evening (an interpreter, the note), when they asked for something.
    const needs = { interpreterLanguage: first.needs_interpreter_language, accessNote: first.needs_access_note };
    const asked = (t: Text) => {
      const lines = askedForWords(needs, t);
      return lines.length ? ['', ...lines] : [];
    };
    sent += await emailCarers(db, ctx, [{ id: first.carer_id, given_name: first.carer_given_name, email: first.email, preferred_language: first.preferred_language }], {
      key: `reminder:evening:${first.evening_id}:${day.date}`,
      build: (t) => ({
        subject: t('meetings.reminder.eveningSubject', { evening: first.evening_name }),
        lines: [
          t('meetings.reminder.eveningIntro', { evening: first.evening_name, count: appointments.length }),
          ...appointments.map(
            (a) =>
              `- ${t('meetings.reminder.eveningLine', {
                when: instantIn(t.code, a.starts_at, ctx.timeZone),
                teacher: staffName(a),
                pupil: a.pupil_preferred_name ?? a.pupil_given_name,
                where: whereForCarer({ mode: a.mode, place: a.room, video_link: a.video_link }, t),
              })}`,
          ),
          ...asked(t),
          '',
          t('meetings.reminder.eveningCalendar', { link: absoluteLink(ctx.baseUrl, `${eveningPath(first.evening_id)}/calendar.ics`) }),
          t('meetings.reminder.eveningCannotCome'),
        ],
      }),
      path: eveningPath(first.evening_id),
    });
  }
  // Each teacher with appointments tomorrow: how many, and their schedule.
  const perTeacher = new Map<string, typeof rows>();
  for (const r of rows) {
    const key = `${r.evening_id}:${r.staff_id}`;
    if (!perTeacher.get(key)?.some((o) => o.id === r.id)) perTeacher.set(key, [...(perTeacher.get(key) ?? []), r]);
  }
  for (const appointments of perTeacher.values()) {
    const first = appointments[0]!;
    await emailStaff(db, ctx, [first.staff_id], {
      key: `reminder:evening-staff:${first.evening_id}:${day.date}`,
      subject: forStaff('meetings.staffReminder.evening', { evening: first.evening_name, count: appointments.length, time: formatTime(first.starts_at, ctx.timeZone) }),
      path: `/evenings/${first.evening_id}/schedule`,
    });
  }
  return sent;
}

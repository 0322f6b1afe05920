import type { Db } from '../../db/database.ts';
import type { Instant } from '../../db/schema.ts';
import type { User } from '../../platform/access/roles.ts';
import { pupilsVisibleTo, type ScopeContext } from '../../platform/access/scope.ts';
import { carerMayHear } from '../../platform/access/hear.ts';
import { formatInstantDate, formatTime } from '../../platform/calendar/time.ts';

/**
 * "Interpreters needed" on the evening's overview (setup-routes.ts): each language with how many
 * appointments, and a table per language of when, teacher, child and carer, so the office can book one
 * interpreter per language for a block of time; and the access notes. Only appointments about pupils
 * the viewer may see (the same rule as "Families who have not booked"), and only carers who may still
 * book for that child: a carer a restriction keeps from the child is never listed for them.
 */

export type NeedRow = { bookingId: string; startsAt: Instant; day: string; time: string; teacher: string; pupil: string; carer: string };
export type LanguageNeeds = { language: string; count: number; rows: NeedRow[]; blocks: string[] };
export type EveningNeedsView = { languages: LanguageNeeds[]; notes: (NeedRow & { note: string })[] };

export async function eveningNeeds(db: Db, user: User, scope: ScopeContext, schoolId: string, eveningId: string, timeZone: string): Promise<EveningNeedsView> {
  const rows = await db
    .selectFrom('evening_bookings')
    .innerJoin('evening_attendees', (j) => j.onRef('evening_attendees.booking_id', '=', 'evening_bookings.id').on('evening_attendees.cancelled_at', 'is', null))
    .innerJoin('evening_needs', (j) =>
      j
        .onRef('evening_needs.carer_id', '=', 'evening_attendees.carer_id')
        .onRef('evening_needs.evening_id', '=', 'evening_bookings.evening_id')
        .onRef('evening_needs.school_id', '=', 'evening_bookings.school_id'),
    )
    .innerJoin('pupils', 'pupils.id', 'evening_bookings.pupil_id')
    .innerJoin('carers', 'carers.id', 'evening_attendees.carer_id')
    .innerJoin('staff', 'staff.id', 'evening_bookings.staff_id')
    .innerJoin('carer_pupils', (j) => j.onRef('carer_pupils.carer_id', '=', 'evening_attendees.carer_id').onRef('carer_pupils.pupil_id', '=', 'evening_bookings.pupil_id'))
    .select([
      'evening_bookings.id as booking_id',
      'evening_bookings.starts_at',
      'evening_bookings.ends_at',
      'staff.title',
      'staff.family_name as staff_family',
      'pupils.given_name as pupil_given',
      'pupils.preferred_name as pupil_preferred',
      'pupils.family_name as pupil_family',
      'carers.given_name as carer_given',
      'carers.family_name as carer_family',
      'evening_needs.interpreter_language',
      'evening_needs.access_note',
    ])
    .where('evening_bookings.school_id', '=', schoolId)
    .where('evening_bookings.evening_id', '=', eveningId)
    .where('evening_bookings.status', '=', 'booked')
    .where('evening_bookings.cancelled_at', 'is', null)
    .where('carer_pupils.school_id', '=', schoolId)
    .where(pupilsVisibleTo(user, scope.today, scope.teachersSeeAllPupils))
    .where((eb) => carerMayHear(eb, 'booking', scope.today))
    .where((eb) => eb.or([eb('evening_needs.interpreter_language', 'is not', null), eb('evening_needs.access_note', 'is not', null)]))
    .orderBy('evening_bookings.starts_at')
    .orderBy('staff.family_name')
    .orderBy('carers.family_name')
    .execute();

  const byLanguage = new Map<string, LanguageNeeds>();
  const notes: EveningNeedsView['notes'] = [];
  const spans = new Map<string, Map<string, { from: Instant; to: Instant }>>();
  for (const r of rows) {
    const row: NeedRow = {
      bookingId: r.booking_id,
      startsAt: r.starts_at,
      day: formatInstantDate(r.starts_at, timeZone),
      time: `${formatTime(r.starts_at, timeZone)} to ${formatTime(r.ends_at, timeZone)}`,
      teacher: `${r.title} ${r.staff_family}`,
      pupil: `${r.pupil_preferred ?? r.pupil_given} ${r.pupil_family}`,
      carer: `${r.carer_given} ${r.carer_family}`,
    };
    if (r.interpreter_language) {
      const language = byLanguage.get(r.interpreter_language) ?? { language: r.interpreter_language, count: 0, rows: [], blocks: [] };
      // One appointment counts once, even when both parents coming asked for the same language.
      if (!language.rows.some((x) => x.bookingId === row.bookingId)) language.count += 1;
      language.rows.push(row);
      byLanguage.set(r.interpreter_language, language);
      const days = spans.get(r.interpreter_language) ?? new Map<string, { from: Instant; to: Instant }>();
      const span = days.get(row.day);
      days.set(row.day, { from: span && span.from < r.starts_at ? span.from : r.starts_at, to: span && span.to > r.ends_at ? span.to : r.ends_at });
      spans.set(r.interpreter_language, days);
    }
    if (r.access_note) notes.push({ ...row, note: r.access_note });
  }
  for (const [name, language] of byLanguage) {
    language.blocks = [...(spans.get(name) ?? new Map<string, { from: Instant; to: Instant }>()).entries()].map(
      ([day, s]) => `${formatTime(s.from, timeZone)} to ${formatTime(s.to, timeZone)} on ${day}`,
    );
  }
  const languages = [...byLanguage.values()].sort((a, b) => b.count - a.count || a.language.localeCompare(b.language));
  return { languages, notes };
}

import type { Kysely } from 'kysely';
import type { Database, LocalDate } from '../../db/schema.ts';
import { restrictionStops } from '../../platform/access/hear.ts';

/**
 * Reads across a school's parents' evenings (the carer's list of evenings and their appointments at
 * them, the office's evenings still to come), apart from booking-queries.ts, which reads one evening
 * for its booking page. Every query is scoped by school.
 */
type Db = Kysely<Database>;

/** Published evenings whose classes include one of these children, soonest first. */
export async function publishedEveningsFor(db: Db, q: { schoolId: string; classIds: string[] }) {
  if (q.classIds.length === 0) return [];
  return db
    .selectFrom('evenings as e')
    .select(['e.id', 'e.name', 'e.booking_opens_at', 'e.booking_closes_at'])
    .select((eb) => [
      eb
        .selectFrom('evening_sessions')
        .select((s) => s.fn.min('evening_sessions.date').as('d'))
        .whereRef('evening_sessions.evening_id', '=', 'e.id')
        .as('first_date'),
      eb
        .selectFrom('evening_sessions')
        .select((s) => s.fn.max('evening_sessions.date').as('d'))
        .whereRef('evening_sessions.evening_id', '=', 'e.id')
        .as('last_date'),
    ])
    .where('e.school_id', '=', q.schoolId)
    .where('e.published_at', 'is not', null)
    .where((eb) => eb.exists(eb.selectFrom('evening_classes as ec').select('ec.class_id').whereRef('ec.evening_id', '=', 'e.id').where('ec.class_id', 'in', q.classIds)))
    .orderBy('e.booking_opens_at')
    .execute();
}

/** A carer's children's classes (those they may book for: the rule of bookableChildren, for the list page). */
export async function bookableClassesOf(db: Db, q: { schoolId: string; carerId: string; today: LocalDate }) {
  const rows = await db
    .selectFrom('carer_pupils as cp')
    .innerJoin('pupils as p', 'p.id', 'cp.pupil_id')
    .select('p.class_id')
    .distinct()
    .where('cp.carer_id', '=', q.carerId)
    .where('cp.school_id', '=', q.schoolId)
    .where('cp.may_receive_information', '=', 1)
    .where('p.archived_at', 'is', null)
    .where('p.class_id', 'is not', null)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('restrictions')
            .select('restrictions.id')
            .whereRef('restrictions.pupil_id', '=', 'p.id')
            .where('restrictions.carer_id', '=', q.carerId)
            .where((r) => restrictionStops(r, 'booking', q.today)),
        ),
      ),
    )
    .execute();
  return rows.map((r) => r.class_id!);
}

/** A carer's appointments at these evenings; none about a child a restriction now keeps them from. */
export async function carerAppointmentsAt(db: Db, q: { schoolId: string; carerId: string; eveningIds: string[]; today: LocalDate }) {
  if (q.eveningIds.length === 0) return [];
  return db
    .selectFrom('evening_attendees as a')
    .innerJoin('evening_bookings as b', 'b.id', 'a.booking_id')
    .innerJoin('pupils as p', 'p.id', 'b.pupil_id')
    .innerJoin('staff as s', 's.id', 'b.staff_id')
    .leftJoin('evening_teachers as et', (j) => j.onRef('et.evening_id', '=', 'b.evening_id').onRef('et.staff_id', '=', 'b.staff_id'))
    .select([
      'b.id',
      'b.evening_id',
      'b.starts_at',
      'b.ends_at',
      'b.mode',
      'b.moves',
      'b.status',
      'b.cancelled_at',
      'b.cancel_reason',
      'b.cancelled_by_kind',
      'a.cancelled_at as left_at',
      'a.joined',
      'p.given_name',
      'p.preferred_name',
      'p.family_name as pupil_family_name',
      's.title',
      's.family_name as staff_family_name',
      'et.room',
      'et.video_link',
    ])
    .where('a.carer_id', '=', q.carerId)
    .where('a.school_id', '=', q.schoolId)
    .where('b.evening_id', 'in', q.eveningIds)
    .where('b.status', '=', 'booked')
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('restrictions')
            .select('restrictions.id')
            .whereRef('restrictions.pupil_id', '=', 'b.pupil_id')
            .where('restrictions.carer_id', '=', q.carerId)
            .where((r) => restrictionStops(r, 'booking', q.today)),
        ),
      ),
    )
    .orderBy('b.starts_at')
    .execute();
}

/** Published evenings not yet over (a session today or later): the office can book a family who phones into these. */
export async function eveningsStillToCome(db: Db, schoolId: string, today: LocalDate): Promise<{ id: string; name: string }[]> {
  return db
    .selectFrom('evenings')
    .select(['evenings.id', 'evenings.name'])
    .where('evenings.school_id', '=', schoolId)
    .where('evenings.published_at', 'is not', null)
    .where(({ exists, selectFrom }) =>
      exists(selectFrom('evening_sessions').select('evening_sessions.id').whereRef('evening_sessions.evening_id', '=', 'evenings.id').where('evening_sessions.date', '>=', today)),
    )
    .orderBy('evenings.created_at')
    .execute();
}

import type { Db } from '../../db/database.ts';
import type { SchoolCalendar } from './school-days.ts';

/** A school's terms and closures, for school-day arithmetic. */
export async function schoolCalendar(db: Db, schoolId: string): Promise<SchoolCalendar> {
  const [terms, closures] = await Promise.all([
    db.selectFrom('school_terms').select(['starts_on', 'ends_on']).where('school_id', '=', schoolId).execute(),
    db.selectFrom('school_closures').select(['starts_on', 'ends_on']).where('school_id', '=', schoolId).execute(),
  ]);
  return { terms, closures };
}

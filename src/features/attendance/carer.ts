import type { Kysely } from 'kysely';
import type { Database, LocalDate } from '../../db/schema.ts';
import { prepared } from '../../db/prepared.ts';
import { carerMayHear, pupilsCarerMayHearAbout } from '../../platform/access/hear.ts';
import { bandOf, percentShare, percentTenths, type AttendanceBand } from './figures.ts';
import { newestFigureOf } from './queries.ts';

export type CarerAttendance = { share: number; asOf: LocalDate; band: AttendanceBand };

/**
 * A child's attendance as their carer reads it, or null: only when the carer may hear about the child
 * on their pages (platform/access, purpose 'portal': never a child a restriction keeps from them), and
 * only when the school has imported a figure for the child.
 */
export async function attendanceForCarer(db: Kysely<Database>, q: { schoolId: string; carerId: string; pupilId: string; today: LocalDate }): Promise<CarerAttendance | null> {
  const may = await pupilsCarerMayHearAbout(db, { schoolId: q.schoolId, carerId: q.carerId, pupilIds: [q.pupilId], purpose: 'portal', today: q.today });
  if (!may.has(q.pupilId)) return null;
  const figure = await newestFigureOf(db, q.schoolId, q.pupilId);
  if (!figure) return null;
  const tenths = percentTenths(figure.sessions_attended, figure.sessions_possible);
  return { share: percentShare(tenths), asOf: figure.as_of, band: bandOf(tenths) };
}

/** A child's line on their carer's home page: the figure, and whom to talk to (their class teacher, when recorded). */
export type HomeAttendance = CarerAttendance & { teacher: string | null };

/**
 * Each of a carer's children's latest attendance, for their home page, in one query for all of them:
 * only children the carer may hear about on their pages (platform/access `carerMayHear`, purpose
 * 'portal': a restriction in force keeps the figure from them), with a class teacher's name for the
 * kind line (the first by name, so the same each time). Children with no saved figure are not in the map.
 */
export async function attendanceOfCarersChildren(db: Kysely<Database>, q: { schoolId: string; carerId: string; today: LocalDate }): Promise<Map<string, HomeAttendance>> {
  const rows = await carersChildrenSelect(db, { schoolId: q.schoolId, carerId: q.carerId, today: q.today });
  const byChild = new Map<string, HomeAttendance>();
  for (const r of rows) {
    if (byChild.has(r.pupil_id)) continue; // the newest figure (and first teacher) came first
    const tenths = percentTenths(r.sessions_attended, r.sessions_possible);
    byChild.set(r.pupil_id, { share: percentShare(tenths), asOf: r.as_of, band: bandOf(tenths), teacher: r.family_name ? `${r.title} ${r.family_name}` : null });
  }
  return byChild;
}
// Every carer's home page reads it: compiled once, and a kept plan on PostgreSQL (src/db/kept-plans.ts), as the page's other reads by carer are.
const carersChildrenSelect = prepared(
  ['schoolId', 'carerId', 'today'],
  (db, q) =>
    db
      .selectFrom('carer_pupils')
      .innerJoin('pupils', (j) => j.onRef('pupils.id', '=', 'carer_pupils.pupil_id').onRef('pupils.school_id', '=', 'carer_pupils.school_id'))
      .innerJoin('attendance_figures', (j) => j.onRef('attendance_figures.pupil_id', '=', 'carer_pupils.pupil_id').onRef('attendance_figures.school_id', '=', 'carer_pupils.school_id'))
      .innerJoin('attendance_imports', (j) => j.onRef('attendance_imports.id', '=', 'attendance_figures.import_id').onRef('attendance_imports.school_id', '=', 'attendance_figures.school_id'))
      .leftJoin('class_teachers', (j) => j.onRef('class_teachers.class_id', '=', 'pupils.class_id').onRef('class_teachers.school_id', '=', 'pupils.school_id'))
      .leftJoin('staff', (j) => j.onRef('staff.id', '=', 'class_teachers.staff_id').onRef('staff.school_id', '=', 'class_teachers.school_id'))
      .select(['attendance_figures.pupil_id', 'attendance_figures.as_of', 'attendance_figures.sessions_possible', 'attendance_figures.sessions_attended'])
      .select(['staff.title', 'staff.family_name'])
      .where('carer_pupils.carer_id', '=', q.carerId)
      .where('carer_pupils.school_id', '=', q.schoolId)
      .where('pupils.archived_at', 'is', null)
      .where('attendance_imports.applied_at', 'is not', null)
      .where((eb) => carerMayHear(eb, 'portal', q.today as LocalDate))
      .orderBy('attendance_figures.pupil_id')
      .orderBy('attendance_figures.as_of', 'desc')
      .orderBy('attendance_imports.applied_at', 'desc')
      .orderBy('staff.family_name')
      .orderBy('staff.id'),
  { keepPlan: true },
);

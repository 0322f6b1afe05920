import type { Kysely } from 'kysely';
import type { Database, LocalDate } from '../../db/schema.ts';
import { pupilsVisibleTo, type ScopeContext } from '../../platform/access/scope.ts';
import type { User } from '../../platform/access/roles.ts';
import type { PupilsByUpn } from './read-file.ts';

/** Kysely queries for the attendance tables; every one is scoped by school. */

const pupilName = (p: { given_name: string; preferred_name: string | null; family_name: string }) => `${p.preferred_name || p.given_name} ${p.family_name}`;

/** The school's pupils by UPN (archived pupils too: an export may still list a leaver). */
export async function pupilsByUpn(db: Kysely<Database>, schoolId: string): Promise<PupilsByUpn> {
  const rows = await db.selectFrom('pupils').select(['id', 'upn', 'given_name', 'preferred_name', 'family_name']).where('school_id', '=', schoolId).execute();
  return new Map(rows.map((p) => [p.upn, { id: p.id, name: pupilName(p) }]));
}

export type AttendanceImport = Database['attendance_imports'];

export async function findImport(db: Kysely<Database>, schoolId: string, id: string) {
  return db.selectFrom('attendance_imports').selectAll().where('school_id', '=', schoolId).where('id', '=', id).executeTakeFirst();
}

/** The saved imports, newest "as of" first: the first is the one the staff list and carers' pages use. */
export async function savedImports(db: Kysely<Database>, schoolId: string, limit = 10) {
  return db
    .selectFrom('attendance_imports')
    .innerJoin('staff', (j) => j.onRef('staff.id', '=', 'attendance_imports.created_by').onRef('staff.school_id', '=', 'attendance_imports.school_id'))
    .select([
      'attendance_imports.id',
      'attendance_imports.as_of',
      'attendance_imports.file_name',
      'attendance_imports.row_count',
      'attendance_imports.applied_at',
      'attendance_imports.families_told_at',
    ])
    .select(['staff.given_name', 'staff.family_name'])
    .where('attendance_imports.school_id', '=', schoolId)
    .where('attendance_imports.applied_at', 'is not', null)
    .orderBy('attendance_imports.as_of', 'desc')
    .orderBy('attendance_imports.applied_at', 'desc')
    .limit(limit)
    .execute();
}

export async function latestImport(db: Kysely<Database>, schoolId: string) {
  return (await savedImports(db, schoolId, 1))[0] ?? null;
}

/** One saved import's figures for the pupils this member of staff may see. */
export async function figuresSeenBy(db: Kysely<Database>, user: User, scope: ScopeContext, importId: string) {
  return db
    .selectFrom('attendance_figures')
    .innerJoin('pupils', (j) => j.onRef('pupils.id', '=', 'attendance_figures.pupil_id').onRef('pupils.school_id', '=', 'attendance_figures.school_id'))
    .leftJoin('classes', (j) => j.onRef('classes.id', '=', 'pupils.class_id').onRef('classes.school_id', '=', 'pupils.school_id'))
    .select(['attendance_figures.pupil_id', 'attendance_figures.sessions_possible', 'attendance_figures.sessions_attended', 'attendance_figures.as_of'])
    .select(['pupils.given_name', 'pupils.preferred_name', 'pupils.family_name', 'pupils.year_group', 'classes.name as class_name'])
    .where('attendance_figures.school_id', '=', user.schoolId)
    .where('attendance_figures.import_id', '=', importId)
    .where('pupils.archived_at', 'is', null)
    .where(pupilsVisibleTo(user, scope.today, scope.teachersSeeAllPupils))
    .execute();
}

/** A pupil's newest figure (by "as of" date, then the latest saved), or null. */
export async function newestFigureOf(db: Kysely<Database>, schoolId: string, pupilId: string) {
  return (
    (await db
      .selectFrom('attendance_figures')
      .innerJoin('attendance_imports', (j) => j.onRef('attendance_imports.id', '=', 'attendance_figures.import_id').onRef('attendance_imports.school_id', '=', 'attendance_figures.school_id'))
      .select(['attendance_figures.as_of', 'attendance_figures.sessions_possible', 'attendance_figures.sessions_attended'])
      .where('attendance_figures.school_id', '=', schoolId)
      .where('attendance_figures.pupil_id', '=', pupilId)
      .where('attendance_imports.applied_at', 'is not', null)
      .orderBy('attendance_figures.as_of', 'desc')
      .orderBy('attendance_imports.applied_at', 'desc')
      .limit(1)
      .executeTakeFirst()) ?? null
  );
}

/** One pupil's figures over time, oldest first (one per "as of" date: the latest saved wins). */
export async function historyOf(db: Kysely<Database>, schoolId: string, pupilId: string): Promise<{ as_of: LocalDate; sessions_possible: number; sessions_attended: number }[]> {
  const rows = await db
    .selectFrom('attendance_figures')
    .innerJoin('attendance_imports', (j) => j.onRef('attendance_imports.id', '=', 'attendance_figures.import_id').onRef('attendance_imports.school_id', '=', 'attendance_figures.school_id'))
    .select(['attendance_figures.as_of', 'attendance_figures.sessions_possible', 'attendance_figures.sessions_attended', 'attendance_imports.applied_at'])
    .where('attendance_figures.school_id', '=', schoolId)
    .where('attendance_figures.pupil_id', '=', pupilId)
    .where('attendance_imports.applied_at', 'is not', null)
    .orderBy('attendance_figures.as_of')
    .orderBy('attendance_imports.applied_at')
    .execute();
  const byDate = new Map<string, (typeof rows)[number]>();
  for (const r of rows) byDate.set(r.as_of, r);
  return [...byDate.values()];
}

/** A pupil of the school, by id, with the name staff know them by. */
export async function pupilNamed(db: Kysely<Database>, schoolId: string, pupilId: string): Promise<{ id: string; name: string } | null> {
  const p = await db.selectFrom('pupils').select(['id', 'given_name', 'preferred_name', 'family_name']).where('school_id', '=', schoolId).where('id', '=', pupilId).executeTakeFirst();
  return p ? { id: p.id, name: pupilName(p) } : null;
}

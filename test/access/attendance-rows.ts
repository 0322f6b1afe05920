import { newId } from '../../src/platform/ids.ts';
import { pupilRow } from '../support/fixture.ts';
import type { TestApp } from '../support/app.ts';
import { mine, perPerson, type FeatureRows, type Who } from './types.ts';

/**
 * Attendance (features/attendance): the head, senior leaders and the office import the records
 * system's figures (a checked file, then saved once); they, family liaison and teachers (their own
 * classes) read the list of pupils at or below 90%. Setup gives both schools a pupil with the same
 * UPN, so one file is a good file for Brookfield and for the other school alike, and makes a checked
 * file for each importer to save.
 */
const IMPORTERS: Who[] = ['head', 'senior_leader', 'office'];
const READERS: Who[] = ['head', 'senior_leader', 'office', 'family_liaison', 'teacher'];
const UPN = 'T823999000017';
const CSV = `UPN,Sessions Possible,Sessions Attended\n${UPN},120,100\n`;

export const attendanceRows: FeatureRows = {
  rows: {
    'GET /attendance': { allowed: READERS, url: () => '/attendance' },
    'GET /attendance/import': { allowed: IMPORTERS, url: () => '/attendance/import' },
    // Kuba is in Mr Okafor's class: the teacher sees his figures over the year too.
    'GET /attendance/pupils/:pupilId': { allowed: READERS, url: (f) => `/attendance/pupils/${f.pupils.kuba}` },
    'POST /attendance/import': {
      allowed: IMPORTERS,
      url: () => '/attendance/import',
      form: () => ({ as_of: '27/11/2025' }),
      file: { field: 'file', name: 'attendance.csv', content: CSV },
    },
    'GET /attendance/import/:attendanceImportId': { allowed: IMPORTERS, url: (_f, ids) => `/attendance/import/${ids.attendanceImport}` },
    // Each importer tells the families of a saved import of their own (Kuba's figure: Marta and Tomasz are sent it).
    'POST /attendance/import/:attendanceImportId/tell-families': {
      allowed: IMPORTERS,
      url: (_f, ids, who) => `/attendance/import/${mine(ids, 'savedImport', who)}/tell-families`,
      form: () => ({}),
    },
    'POST /attendance/import/:attendanceImportId/save': {
      allowed: IMPORTERS,
      url: (_f, ids, who) => `/attendance/import/${mine(ids, 'attendanceImport', who)}/save`,
      form: () => ({}),
    },
  },
  setup: async (t: TestApp) => {
    const at = new Date().toISOString();
    for (const [schoolId, classId] of [
      [t.fx.school.id, t.fx.classes.y3],
      [t.fx.other.id, t.fx.classes.other],
    ] as const) {
      await t.db
        .insertInto('pupils')
        .values(pupilRow(at, { school_id: schoolId, upn: UPN, given_name: 'Tess', family_name: 'Matrix', date_of_birth: '2019-04-01', year_group: '3', class_id: classId }))
        .execute();
    }
    const saved = await perPerson('savedImport', IMPORTERS, async () => {
      const id = newId();
      await t.db
        .insertInto('attendance_imports')
        .values({
          id,
          school_id: t.fx.school.id,
          as_of: '2025-11-20',
          file_name: 'attendance.csv',
          csv_text: CSV,
          row_count: 1,
          created_by: t.fx.staff.office,
          created_at: at,
          applied_at: at,
          families_told_at: null,
        })
        .execute();
      await t.db
        .insertInto('attendance_figures')
        .values({
          id: newId(),
          school_id: t.fx.school.id,
          import_id: id,
          pupil_id: t.fx.pupils.kuba,
          as_of: '2025-11-20',
          sessions_possible: 120,
          sessions_attended: 100,
          authorised_absences: null,
          unauthorised_absences: null,
          created_at: at,
        })
        .execute();
      return id;
    });
    const unsaved = await perPerson('attendanceImport', IMPORTERS, async () => {
      const id = newId();
      await t.db
        .insertInto('attendance_imports')
        .values({
          id,
          school_id: t.fx.school.id,
          as_of: '2025-11-27',
          file_name: 'attendance.csv',
          csv_text: CSV,
          row_count: 1,
          created_by: t.fx.staff.office,
          created_at: at,
          applied_at: null,
          families_told_at: null,
        })
        .execute();
      return id;
    });
    return { ...saved, ...unsaved };
  },
};

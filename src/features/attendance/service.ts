import type { Kysely } from 'kysely';
import type { Database, LocalDate } from '../../db/schema.ts';
import { insertInChunks } from '../../db/insert-in-chunks.ts';
import { auditMany, audit, type Actor } from '../../platform/audit/audit.ts';
import { newId } from '../../platform/ids.ts';
import { decodeUpload } from '../people/index.ts';
import { findImport, pupilsByUpn } from './queries.ts';
import { readAttendanceFile, type AttendanceFile } from './read-file.ts';

/**
 * An attendance file goes in two steps, as the pupils import does: the upload is checked, and only a
 * file with no bad rows is kept as a dry run (nothing about any pupil is saved: the page lists every
 * bad row by line instead); pressing "Save" then writes every pupil's figure, all or nothing, once.
 */
export type Stored = { ok: true; importId: string } | { ok: false; message: string } | { ok: false; file: AttendanceFile & { ok: true } };

export async function checkAndStore(db: Kysely<Database>, q: { schoolId: string; asOf: LocalDate; fileName: string; bytes: Uint8Array; actor: Actor & { kind: 'staff' }; now: Date }): Promise<Stored> {
  const decoded = decodeUpload(q.bytes);
  if (!decoded.ok) return decoded;
  const file = readAttendanceFile(decoded.text, await pupilsByUpn(db, q.schoolId));
  if (!file.ok) return file;
  if (file.rejects.length > 0) return { ok: false, file };
  const importId = newId();
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('attendance_imports')
      .values({
        id: importId,
        school_id: q.schoolId,
        as_of: q.asOf,
        file_name: q.fileName,
        csv_text: decoded.text,
        row_count: file.rows.length,
        created_by: q.actor.id,
        created_at: q.now.toISOString(),
        applied_at: null,
        families_told_at: null,
      })
      .execute();
    await audit(
      trx,
      q.actor,
      { schoolId: q.schoolId, action: 'attendance.checked', entity: 'attendance_import', entityId: importId, after: { as_of: q.asOf, file_name: q.fileName, rows: file.rows.length } },
      q.now,
    );
  });
  return { ok: true, importId };
}

/** The stored file read again against the school's pupils as they are now. */
export async function readStored(db: Kysely<Database>, schoolId: string, csvText: string): Promise<AttendanceFile> {
  return readAttendanceFile(csvText, await pupilsByUpn(db, schoolId));
}

export type Applied = { status: 'applied'; count: number } | { status: 'already_applied' } | { status: 'file_problem'; message: string };

/** Save every pupil's figure from a checked file, in one transaction; a second press saves nothing. */
export async function applyImport(db: Kysely<Database>, q: { schoolId: string; importId: string; actor: Actor & { kind: 'staff' }; now: Date }): Promise<Applied> {
  return db.transaction().execute(async (trx): Promise<Applied> => {
    const stored = await findImport(trx, q.schoolId, q.importId);
    if (!stored || stored.applied_at) return { status: 'already_applied' };
    const file = await readStored(trx, q.schoolId, stored.csv_text);
    if (!file.ok) return { status: 'file_problem', message: file.message };
    if (file.rejects.length > 0) {
      // A pupil named in the file has gone since the check (their record was changed): say so and save nothing.
      const first = file.rejects[0]!;
      return { status: 'file_problem', message: `Line ${first.line}: ${first.problems.join('; ')}. Nothing has been saved: upload the file again.` };
    }
    const claimed = await trx
      .updateTable('attendance_imports')
      .set({ applied_at: q.now.toISOString() })
      .where('school_id', '=', q.schoolId)
      .where('id', '=', q.importId)
      .where('applied_at', 'is', null)
      .executeTakeFirst();
    if (Number(claimed.numUpdatedRows) !== 1) return { status: 'already_applied' };
    const at = q.now.toISOString();
    const figures = file.rows.map((r) => ({
      id: newId(),
      school_id: q.schoolId,
      import_id: q.importId,
      pupil_id: r.pupilId,
      as_of: stored.as_of,
      sessions_possible: r.possible,
      sessions_attended: r.attended,
      authorised_absences: r.authorised,
      unauthorised_absences: r.unauthorised,
      created_at: at,
      told_message_id: null,
    }));
    await insertInChunks(trx, 'attendance_figures', figures);
    await auditMany(
      trx,
      q.actor,
      [
        { schoolId: q.schoolId, action: 'attendance.imported', entity: 'attendance_import', entityId: q.importId, after: { as_of: stored.as_of, pupils: figures.length } },
        ...figures.map((f) => ({
          schoolId: q.schoolId,
          action: 'attendance.figure_added',
          entity: 'pupil',
          entityId: f.pupil_id,
          after: { import_id: q.importId, as_of: f.as_of, sessions_possible: f.sessions_possible, sessions_attended: f.sessions_attended },
        })),
      ],
      q.now,
    );
    return { status: 'applied', count: figures.length };
  });
}

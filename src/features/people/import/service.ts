import type { Kysely } from 'kysely';
import { isUniqueViolation, type Dialect } from '../../../db/database.ts';
import { lockRows } from '../../../db/locks.ts';
import type { Database } from '../../../db/schema.ts';
import { audit, type Actor } from '../../../platform/audit/audit.ts';
import { newId } from '../../../platform/ids.ts';
import { writeContactPlan, writePupilPlan, type Summary } from './apply.ts';
import { planContacts, type ContactPlan, type ContactSnapshot } from './plan-contacts.ts';
import { planPupils, type PupilPlan, type PupilSnapshot } from './plan-pupils.ts';
import { claimBatch, insertBatch, loadContactSnapshot, loadPupilSnapshot, pendingPupilsCsv, type Batch } from './queries.ts';
import { readFile, upnsInPupilsFile } from './read-file.ts';
import type { FileProblem, ImportKind } from './types.ts';
import { decodeUpload } from './csv.ts';

/**
 * The import's steps, each over the database: check and store an upload, plan a stored batch (the
 * dry run), and apply it in one transaction. The plan is always recomputed from the stored text
 * and the school's records as they are now, so what is applied is what the rules say at that moment.
 */
type Db = Kysely<Database>;
export type Plan = PupilPlan | ContactPlan;
export type Planned = { ok: true; kind: 'pupils'; plan: PupilPlan; snapshot: PupilSnapshot } | { ok: true; kind: 'contacts'; plan: ContactPlan; snapshot: ContactSnapshot };

/** Check an upload is a readable file with the right columns, then store it as a batch (and audit that). */
export async function storeUpload(
  db: Db,
  upload: { schoolId: string; kind: ImportKind; fileName: string; bytes: Uint8Array; actor: Actor & { kind: 'staff' }; now: Date; today: string },
): Promise<{ ok: true; batchId: string } | FileProblem> {
  const decoded = decodeUpload(upload.bytes);
  if (!decoded.ok) return decoded;
  const read = readFile(upload.kind, decoded.text, upload.today);
  if (!read.ok) return read;
  const id = newId();
  await db.transaction().execute(async (trx) => {
    await insertBatch(trx, {
      id,
      school_id: upload.schoolId,
      kind: upload.kind,
      file_name: upload.fileName,
      csv_text: decoded.text,
      created_by: upload.actor.id,
      created_at: upload.now.toISOString(),
      applied_at: null,
    });
    const after = { kind: upload.kind, file_name: upload.fileName, rows: read.results.length };
    await audit(trx, upload.actor, { schoolId: upload.schoolId, action: 'import.uploaded', entity: 'import_batch', entityId: id, after }, upload.now);
  });
  return { ok: true, batchId: id };
}

/** The dry run: what applying this batch would do now. */
export async function planBatch(db: Db, batch: Pick<Batch, 'school_id' | 'kind' | 'csv_text'>, today: string): Promise<Planned | FileProblem> {
  const read = readFile(batch.kind, batch.csv_text, today);
  if (!read.ok) return read;
  if (read.kind === 'pupils') {
    const snapshot = await loadPupilSnapshot(db, batch.school_id);
    return { ok: true, kind: 'pupils', plan: planPupils(read.results, snapshot, read.columns.unused), snapshot };
  }
  const pending = await pendingPupilsCsv(db, batch.school_id);
  const snapshot = await loadContactSnapshot(db, batch.school_id, pending ? upnsInPupilsFile(pending) : new Set());
  return { ok: true, kind: 'contacts', plan: planContacts(read.results, snapshot, read.columns.header.pupil_upn, read.columns.unused), snapshot };
}

export type Applied = { status: 'applied'; summary: Summary } | { status: 'already_applied' } | { status: 'conflict' } | { status: 'file_problem'; message: string };

class Rollback extends Error {
  constructor(readonly outcome: Exclude<Applied, { status: 'applied' }>) {
    super(outcome.status);
  }
}

/**
 * Apply a batch: all or nothing, in one transaction. The batch is claimed first (compare-and-set on
 * applied_at), so a second apply, a double click or a retry is refused; on PostgreSQL the school's
 * row is locked too, so two imports for one school never plan from the same stale records.
 */
export async function applyBatch(db: Db, dialect: Dialect, input: { schoolId: string; batchId: string; actor: Actor; now: Date; today: string }): Promise<Applied> {
  try {
    return await db.transaction().execute(async (trx) => {
      await lockRows(trx, dialect, 'schools', [input.schoolId]);
      if (!(await claimBatch(trx, input.schoolId, input.batchId, input.now.toISOString()))) throw new Rollback({ status: 'already_applied' });
      const batch = await trx.selectFrom('import_batches').select(['school_id', 'kind', 'csv_text']).where('id', '=', input.batchId).executeTakeFirstOrThrow();
      const planned = await planBatch(trx, batch, input.today);
      if (!planned.ok) throw new Rollback({ status: 'file_problem', message: planned.message });
      const ctx = { schoolId: input.schoolId, batchId: input.batchId, actor: input.actor, now: input.now };
      const summary = planned.kind === 'pupils' ? await writePupilPlan(trx, planned.plan, planned.snapshot, ctx) : await writeContactPlan(trx, planned.plan, planned.snapshot, ctx);
      await audit(trx, input.actor, { schoolId: input.schoolId, action: 'import.applied', entity: 'import_batch', entityId: input.batchId, after: { kind: batch.kind, summary } }, input.now);
      return { status: 'applied', summary } as const;
    });
  } catch (error) {
    if (error instanceof Rollback) return error.outcome;
    if (isUniqueViolation(error)) return { status: 'conflict' };
    throw error;
  }
}

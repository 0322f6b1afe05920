import type { Kysely } from 'kysely';
import { z } from 'zod';
import { isUniqueViolation, type Dialect } from '../../../db/database.ts';
import { lockRows } from '../../../db/locks.ts';
import type { Database } from '../../../db/schema.ts';
import { audit, type Actor } from '../../../platform/audit/audit.ts';
import { newId } from '../../../platform/ids.ts';
import { writeContactPlan, writePupilPlan, type Summary } from './apply.ts';
import { planContacts, type ContactPlan, type ContactSnapshot, type TurnedDown } from './plan-contacts.ts';
import { planPupils, type ClassChoices, type PupilPlan, type PupilSnapshot } from './plan-pupils.ts';
import { claimBatch, insertBatch, latestPupilsFiles, loadContactSnapshot, loadPupilSnapshot, openClasses, type Batch } from './queries.ts';
import { pupilsFileFacts, readFile } from './read-file.ts';
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

/**
 * A dry run not imported within this time expires: it is deleted (and that is audited). Each contacts
 * dry run reads the newest pupils file still waiting, so a big file left unimported would otherwise
 * slow every later dry run, for good.
 */
export const DRY_RUN_MINUTES = 60;

/** Delete this school's dry runs older than DRY_RUN_MINUTES that were never imported. */
export async function expireDryRuns(db: Db, schoolId: string, now: Date): Promise<number> {
  const cutoff = new Date(now.getTime() - DRY_RUN_MINUTES * 60_000).toISOString();
  const old = await db
    .selectFrom('import_batches')
    .select(['id', 'kind', 'file_name', 'created_at'])
    .where('school_id', '=', schoolId)
    .where('applied_at', 'is', null)
    .where('created_at', '<', cutoff)
    .execute();
  if (old.length === 0) return 0;
  return db.transaction().execute(async (trx) => {
    let deleted = 0;
    for (const b of old) {
      // Not one that is being imported at this moment (applying sets applied_at first).
      const r = await trx.deleteFrom('import_batches').where('id', '=', b.id).where('school_id', '=', schoolId).where('applied_at', 'is', null).executeTakeFirst();
      if (Number(r.numDeletedRows) !== 1) continue;
      deleted++;
      const before = { kind: b.kind, file_name: b.file_name, created_at: b.created_at };
      await audit(trx, { kind: 'system' }, { schoolId, action: 'import.expired', entity: 'import_batch', entityId: b.id, before }, now);
    }
    return deleted;
  });
}

/** Whether this id was a dry run of the school's that expired (so the page can say so, not just "not found"). */
export async function dryRunExpired(db: Db, schoolId: string, batchId: string): Promise<boolean> {
  const row = await db
    .selectFrom('audit_log')
    .select('id')
    .where('school_id', '=', schoolId)
    .where('entity', '=', 'import_batch')
    .where('entity_id', '=', batchId)
    .where('action', '=', 'import.expired')
    .executeTakeFirst();
  return !!row;
}

/** The dry run: what applying this batch would do now. */
export async function planBatch(db: Db, batch: Pick<Batch, 'school_id' | 'kind' | 'csv_text' | 'class_choices_json'>, today: string): Promise<Planned | FileProblem> {
  const read = readFile(batch.kind, batch.csv_text, today);
  if (!read.ok) return read;
  if (read.kind === 'pupils') {
    const snapshot = await loadPupilSnapshot(db, batch.school_id);
    return { ok: true, kind: 'pupils', plan: planPupils(read.results, snapshot, read.columns.unused, classChoicesOf(batch)), snapshot };
  }
  const snapshot = await loadContactSnapshot(db, batch.school_id, today, await pupilsFilesFacts(db, batch.school_id, today));
  return { ok: true, kind: 'contacts', plan: planContacts(read.results, snapshot, read.columns.header.pupil_upn, read.columns.unused), snapshot };
}

const StoredChoices = z.record(z.string(), z.string());

/** The classes chosen on a pupils dry run, as stored with the batch (checked: the column is JSON). */
function classChoicesOf(batch: Pick<Batch, 'class_choices_json'>): ClassChoices {
  if (!batch.class_choices_json) return {};
  const parsed = StoredChoices.safeParse(JSON.parse(batch.class_choices_json));
  return parsed.success ? parsed.data : {};
}

/**
 * Match classes in a pupils file to classes the school has (or back to "create it"), as chosen on
 * the dry run: only classes the file names and the school does not, each to a class of this school.
 * Stored with the batch, so the dry run and the import both use it; audited.
 */
export async function chooseClasses(
  db: Db,
  input: { batch: Batch; actor: Actor & { kind: 'staff' }; today: string; now: Date; choices: { fileClass: string; classId: string | null }[] },
): Promise<'saved' | 'already_applied' | 'unknown_class'> {
  const planned = await planBatch(db, input.batch, input.today);
  if (!planned.ok || planned.kind !== 'pupils') return 'unknown_class';
  const unknown = new Set(planned.plan.unknownClasses.map((c) => c.key));
  const classes = new Set((await openClasses(db, input.batch.school_id)).map((c) => c.id));
  const next: Record<string, string> = { ...classChoicesOf(input.batch) };
  for (const { fileClass, classId } of input.choices) {
    const key = fileClass.toLowerCase();
    if (!unknown.has(key) || (classId !== null && !classes.has(classId))) return 'unknown_class';
    if (classId === null) delete next[key];
    else next[key] = classId;
  }
  return db.transaction().execute(async (trx) => {
    const result = await trx
      .updateTable('import_batches')
      .set({ class_choices_json: JSON.stringify(next) })
      .where('id', '=', input.batch.id)
      .where('school_id', '=', input.batch.school_id)
      .where('applied_at', 'is', null)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) !== 1) return 'already_applied';
    const after = { class_choices: next };
    await audit(trx, input.actor, { schoolId: input.batch.school_id, action: 'import.classes_chosen', entity: 'import_batch', entityId: input.batch.id, after }, input.now);
    return 'saved';
  });
}

/** The UPNs of the pupils file waiting to be imported, and the pupils the newest files turned down (the waiting file's word last). */
async function pupilsFilesFacts(db: Db, schoolId: string, today: string): Promise<Pick<ContactSnapshot, 'pendingUpns' | 'turnedDown'>> {
  const files = await latestPupilsFiles(db, schoolId);
  const pendingUpns = new Set<string>();
  const turnedDown = new Map<string, TurnedDown>();
  for (const [file, imported] of [
    [files.imported, true],
    [files.pending, false],
  ] as const) {
    if (!file) continue;
    const facts = pupilsFileFacts(file.csv_text, today);
    for (const upn of facts.good) {
      if (!imported) pendingUpns.add(upn);
      turnedDown.delete(upn);
    }
    for (const [upn, row] of facts.turnedDown) turnedDown.set(upn, { ...row, fileName: file.file_name, imported });
  }
  return { pendingUpns, turnedDown };
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
export async function applyBatch(db: Db, dialect: Dialect, input: { schoolId: string; batchId: string; actor: Actor; now: Date; today: string; baseUrl: string }): Promise<Applied> {
  try {
    return await db.transaction().execute(async (trx) => {
      await lockRows(trx, dialect, 'schools', [input.schoolId]);
      if (!(await claimBatch(trx, input.schoolId, input.batchId, input.now.toISOString()))) throw new Rollback({ status: 'already_applied' });
      const batch = await trx.selectFrom('import_batches').select(['school_id', 'kind', 'csv_text', 'class_choices_json']).where('id', '=', input.batchId).executeTakeFirstOrThrow();
      const planned = await planBatch(trx, batch, input.today);
      if (!planned.ok) throw new Rollback({ status: 'file_problem', message: planned.message });
      const ctx = { schoolId: input.schoolId, batchId: input.batchId, actor: input.actor, now: input.now, today: input.today, baseUrl: input.baseUrl };
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

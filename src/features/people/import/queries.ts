import type { Insertable, Kysely, Selectable } from 'kysely';
import type { Database, ImportBatchTable } from '../../../db/schema.ts';
import { restrictedPairs } from '../../../platform/access/hear.ts';
import type { ContactSnapshot } from './plan-contacts.ts';
import type { PupilSnapshot } from './plan-pupils.ts';

/** Kysely queries for the import: batches, the school's people in one read each, and chunked writes. */
type Db = Kysely<Database>;
export type Batch = Selectable<ImportBatchTable>;

export async function insertBatch(db: Db, batch: Insertable<ImportBatchTable>): Promise<void> {
  await db.insertInto('import_batches').values(batch).execute();
}

/** A batch of this school, or undefined (another school's batch is as good as missing). */
export async function findBatch(db: Db, schoolId: string, id: string): Promise<Batch | undefined> {
  return db.selectFrom('import_batches').selectAll().where('id', '=', id).where('school_id', '=', schoolId).executeTakeFirst();
}

export async function recentBatches(db: Db, schoolId: string, limit = 10) {
  return db
    .selectFrom('import_batches')
    .leftJoin('staff', 'staff.id', 'import_batches.created_by')
    .select(['import_batches.id', 'import_batches.kind', 'import_batches.file_name', 'import_batches.created_at', 'import_batches.applied_at', 'staff.given_name', 'staff.family_name'])
    .where('import_batches.school_id', '=', schoolId)
    .orderBy('import_batches.created_at', 'desc')
    .orderBy('import_batches.id', 'desc')
    .limit(limit)
    .execute();
}

export async function staffName(db: Db, staffId: string): Promise<string> {
  const row = await db.selectFrom('staff').select(['given_name', 'family_name']).where('id', '=', staffId).executeTakeFirst();
  return row ? `${row.given_name} ${row.family_name}` : 'someone';
}

/** Compare-and-set: mark the batch applied only if nobody has. False when it already was. */
export async function claimBatch(db: Db, schoolId: string, id: string, at: string): Promise<boolean> {
  const result = await db.updateTable('import_batches').set({ applied_at: at }).where('id', '=', id).where('school_id', '=', schoolId).where('applied_at', 'is', null).executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/**
 * The newest pupils file imported (contacts whose pupil it turned down are told so) and the newest
 * one not imported yet, when it came after that (contacts may name its pupils, and are told to wait
 * for it; one uploaded before the last import is left behind by it).
 */
export async function latestPupilsFiles(db: Db, schoolId: string) {
  const newest = (applied: boolean) =>
    db
      .selectFrom('import_batches')
      .select(['file_name', 'csv_text', 'created_at'])
      .where('school_id', '=', schoolId)
      .where('kind', '=', 'pupils')
      .where('applied_at', applied ? 'is not' : 'is', null)
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirst();
  const [pending, imported] = await Promise.all([newest(false), newest(true)]);
  return { pending: pending && (!imported || pending.created_at > imported.created_at) ? pending : undefined, imported };
}

/** The school's classes in use (not archived), by name: what a class in a pupils file can be matched to. */
export async function openClasses(db: Db, schoolId: string) {
  return db.selectFrom('classes').select(['id', 'name', 'year_group']).where('school_id', '=', schoolId).where('archived_at', 'is', null).orderBy('name').execute();
}

export async function loadPupilSnapshot(db: Db, schoolId: string): Promise<PupilSnapshot> {
  const [pupils, classes] = await Promise.all([
    db
      .selectFrom('pupils')
      .select(['id', 'upn', 'given_name', 'family_name', 'preferred_name', 'date_of_birth', 'year_group', 'class_id', 'send_status', 'eal', 'home_language', 'archived_at'])
      .where('school_id', '=', schoolId)
      .execute(),
    db.selectFrom('classes').select(['id', 'name', 'year_group']).where('school_id', '=', schoolId).execute(),
  ]);
  return { pupils, classes };
}

export async function loadContactSnapshot(db: Db, schoolId: string, today: string, pupilsFiles: Pick<ContactSnapshot, 'pendingUpns' | 'turnedDown'>): Promise<ContactSnapshot> {
  const [pupils, carers, links, restrictions] = await Promise.all([
    db.selectFrom('pupils').select(['id', 'upn', 'given_name', 'family_name']).where('school_id', '=', schoolId).execute(),
    db
      .selectFrom('carers')
      .select(['id', 'title', 'given_name', 'family_name', 'email', 'mobile', 'address_line1', 'address_line2', 'town', 'postcode', 'preferred_language', 'interpreter_needed'])
      .where('school_id', '=', schoolId)
      .where('archived_at', 'is', null)
      .orderBy('created_at')
      .orderBy('id')
      .execute(),
    db
      .selectFrom('carer_pupils')
      .select(['id', 'carer_id', 'pupil_id', 'relationship', 'parental_responsibility', 'lives_with_pupil', 'contact_priority', 'may_receive_information', 'wants_copies'])
      .where('school_id', '=', schoolId)
      .execute(),
    // Already kept from the portal (a restriction in force that stops information): one rule, platform/access.
    restrictedPairs(db, { schoolId, purpose: 'portal', today }),
  ]);
  return { pupils, ...pupilsFiles, carers, links, restricted: new Set(restrictions.map((r) => `${r.carerId}|${r.pupilId}`)) };
}

/** The counts recorded when the batch was applied (its audit entry), for the success panel. */
export async function appliedSummary(db: Db, schoolId: string, batchId: string): Promise<Record<string, number> | null> {
  const row = await db
    .selectFrom('audit_log')
    .select('after_json')
    .where('school_id', '=', schoolId)
    .where('entity', '=', 'import_batch')
    .where('entity_id', '=', batchId)
    .where('action', '=', 'import.applied')
    .executeTakeFirst();
  return row?.after_json ? (JSON.parse(row.after_json) as { summary: Record<string, number> }).summary : null;
}

import type { Kysely } from 'kysely';
import type { Database, PupilTable, CarerTable, CarerPupilTable } from '../../db/schema.ts';
import { audit, changedFields, type Actor } from '../../platform/audit/audit.ts';
import { AppError } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';

type Db = Kysely<Database>;

/**
 * Changes to people, each in one transaction with its audit entry. Updates are compare-and-set on
 * updated_at, so two people editing the same record cannot silently overwrite each other.
 */
export type PupilChanges = Pick<PupilTable, 'given_name' | 'family_name' | 'preferred_name' | 'date_of_birth' | 'year_group' | 'class_id' | 'send_status' | 'eal' | 'home_language'>;

export async function updatePupil(db: Db, actor: Actor, schoolId: string, pupilId: string, expectedUpdatedAt: string, changes: PupilChanges, now: Date): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const before = await trx.selectFrom('pupils').selectAll().where('id', '=', pupilId).where('school_id', '=', schoolId).executeTakeFirstOrThrow();
    const result = await trx
      .updateTable('pupils')
      .set({ ...changes, updated_at: now.toISOString() })
      .where('id', '=', pupilId)
      .where('school_id', '=', schoolId)
      .where('updated_at', '=', expectedUpdatedAt)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) !== 1) throw staleEdit();
    const diff = changedFields(before, changes);
    await audit(trx, actor, { schoolId, action: 'pupil.updated', entity: 'pupil', entityId: pupilId, ...diff }, now);
  });
}

export type CarerChanges = Pick<
  CarerTable,
  | 'title'
  | 'given_name'
  | 'family_name'
  | 'email'
  | 'mobile'
  | 'address_line1'
  | 'address_line2'
  | 'town'
  | 'postcode'
  | 'preferred_language'
  | 'interpreter_needed'
  | 'channel_email'
  | 'channel_sms'
  | 'channel_app'
  | 'paper_copies'
  | 'access_needs'
>;

export async function updateCarer(db: Db, actor: Actor, schoolId: string, carerId: string, expectedUpdatedAt: string, changes: CarerChanges, now: Date): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const before = await trx.selectFrom('carers').selectAll().where('id', '=', carerId).where('school_id', '=', schoolId).executeTakeFirstOrThrow();
    const result = await trx
      .updateTable('carers')
      .set({ ...changes, updated_at: now.toISOString() })
      .where('id', '=', carerId)
      .where('school_id', '=', schoolId)
      .where('updated_at', '=', expectedUpdatedAt)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) !== 1) throw staleEdit();
    const { password_hash: _ignored, ...safeBefore } = before;
    const diff = changedFields(safeBefore, changes);
    await audit(trx, actor, { schoolId, action: 'carer.updated', entity: 'carer', entityId: carerId, ...diff }, now);
  });
}

export type LinkChanges = Pick<CarerPupilTable, 'relationship' | 'parental_responsibility' | 'lives_with_pupil' | 'contact_priority' | 'may_receive_information' | 'wants_copies'>;

export async function updateLink(db: Db, actor: Actor, schoolId: string, linkId: string, changes: LinkChanges, now: Date): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const before = await trx.selectFrom('carer_pupils').selectAll().where('id', '=', linkId).where('school_id', '=', schoolId).executeTakeFirstOrThrow();
    await trx.updateTable('carer_pupils').set(changes).where('id', '=', linkId).where('school_id', '=', schoolId).execute();
    await audit(trx, actor, { schoolId, action: 'carer_link.updated', entity: 'carer_pupil', entityId: linkId, ...changedFields(before, changes) }, now);
  });
}

export type NewRestriction = {
  pupilId: string;
  carerId: string;
  kind: 'court_order' | 'agreed_arrangement';
  stops_information: 0 | 1;
  stops_collection: 0 | 1;
  stops_contact: 0 | 1;
  details: string;
  starts_on: string;
  ends_on: string | null;
};

export async function addRestriction(db: Db, actor: Actor & { kind: 'staff' }, schoolId: string, r: NewRestriction, now: Date): Promise<string> {
  const id = newId();
  await db.transaction().execute(async (trx) => {
    const linked = await trx.selectFrom('carer_pupils').select('id').where('carer_id', '=', r.carerId).where('pupil_id', '=', r.pupilId).where('school_id', '=', schoolId).executeTakeFirst();
    if (!linked) throw new AppError('bad_request', 'That person is not linked to this pupil');
    const row = {
      id,
      school_id: schoolId,
      pupil_id: r.pupilId,
      carer_id: r.carerId,
      kind: r.kind,
      stops_information: r.stops_information,
      stops_collection: r.stops_collection,
      stops_contact: r.stops_contact,
      details: r.details,
      starts_on: r.starts_on,
      ends_on: r.ends_on,
      lifted_at: null,
      created_by: actor.id,
      created_at: now.toISOString(),
    };
    await trx.insertInto('restrictions').values(row).execute();
    // The audit keeps what it stops, not the court order's wording (details stay with head and DSL).
    await audit(trx, actor, { schoolId, action: 'restriction.added', entity: 'restriction', entityId: id, after: { ...row, details: '(recorded)' } }, now);
  });
  return id;
}

export type RestrictionDetails = Omit<NewRestriction, 'pupilId' | 'carerId'>;

/**
 * The head or DSL completes a restriction an import recorded: what it is, what it stops, what the
 * order says and its dates. Compare-and-set on details_pending, so it is completed once; lifted
 * restrictions are left alone.
 */
export async function completeRestriction(db: Db, actor: Actor & { kind: 'staff' }, schoolId: string, pupilId: string, restrictionId: string, r: RestrictionDetails, now: Date): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const before = await trx
      .selectFrom('restrictions')
      .select(['kind', 'stops_information', 'stops_collection', 'stops_contact', 'starts_on', 'ends_on'])
      .where('id', '=', restrictionId)
      .where('pupil_id', '=', pupilId)
      .where('school_id', '=', schoolId)
      .executeTakeFirst();
    const result = await trx
      .updateTable('restrictions')
      .set({ ...r, details_pending: 0 })
      .where('id', '=', restrictionId)
      .where('pupil_id', '=', pupilId)
      .where('school_id', '=', schoolId)
      .where('details_pending', '=', 1)
      .where('lifted_at', 'is', null)
      .executeTakeFirst();
    if (!before || Number(result.numUpdatedRows) !== 1) throw new AppError('conflict', 'This restriction has already been completed or lifted. Go back to the pupil’s page to see it as it is now.');
    const { details: _details, ...after } = r;
    const diff = changedFields(before, after);
    await audit(trx, actor, { schoolId, action: 'restriction.completed', entity: 'restriction', entityId: restrictionId, before: diff.before, after: { ...diff.after, details: '(recorded)' } }, now);
  });
}

export async function liftRestriction(db: Db, actor: Actor, schoolId: string, restrictionId: string, pupilId: string, now: Date): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const result = await trx
      .updateTable('restrictions')
      .set({ lifted_at: now.toISOString() })
      .where('id', '=', restrictionId)
      .where('pupil_id', '=', pupilId)
      .where('school_id', '=', schoolId)
      .where('lifted_at', 'is', null)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) !== 1) throw new AppError('conflict', 'This restriction has already been lifted.');
    await audit(trx, actor, { schoolId, action: 'restriction.lifted', entity: 'restriction', entityId: restrictionId, after: { lifted_at: now.toISOString() } }, now);
  });
}

function staleEdit(): AppError {
  return new AppError('conflict', 'Someone else changed this record while you were editing it. Go back, refresh the page and make your change again.');
}

import type { Db } from '../../db/database.ts';
import { isUniqueViolation } from '../../db/database.ts';
import { audit, type Actor } from '../../platform/audit/audit.ts';
import { newId } from '../../platform/ids.ts';

/** Custom groups of carers (PTA, reading partners): the office keeps them; messages go to them. */

export async function listGroups(db: Db, schoolId: string) {
  const rows = await db
    .selectFrom('carer_groups')
    .leftJoin('carer_group_members', 'carer_group_members.group_id', 'carer_groups.id')
    .select(['carer_groups.id', 'carer_groups.name', (eb) => eb.fn.count<number>('carer_group_members.carer_id').as('members')])
    .where('carer_groups.school_id', '=', schoolId)
    .groupBy(['carer_groups.id', 'carer_groups.name'])
    .orderBy('carer_groups.name')
    .execute();
  return rows.map((r) => ({ ...r, members: Number(r.members) }));
}

export async function getGroup(db: Db, schoolId: string, groupId: string) {
  return db.selectFrom('carer_groups').select(['id', 'name']).where('id', '=', groupId).where('school_id', '=', schoolId).executeTakeFirst();
}

export async function membersOf(db: Db, schoolId: string, groupId: string) {
  return db
    .selectFrom('carer_group_members')
    .innerJoin('carers', 'carers.id', 'carer_group_members.carer_id')
    .select(['carers.id', 'carers.given_name', 'carers.family_name', 'carers.email', 'carers.mobile', 'carers.archived_at'])
    .where('carer_group_members.group_id', '=', groupId)
    .where('carer_group_members.school_id', '=', schoolId)
    .orderBy('carers.family_name')
    .orderBy('carers.given_name')
    .orderBy('carers.id')
    .execute();
}

/** A new group; 'taken' when the school already has a group of that name (any case). */
export async function createGroup(db: Db, actor: Actor, schoolId: string, name: string, now: Date): Promise<{ ok: true; id: string } | { ok: false; existing: string }> {
  const rows = await db.selectFrom('carer_groups').select('name').where('school_id', '=', schoolId).execute();
  const same = rows.find((r) => r.name.toLowerCase() === name.toLowerCase());
  if (same) return { ok: false, existing: same.name };
  const id = newId();
  try {
    await db.transaction().execute(async (trx) => {
      await trx.insertInto('carer_groups').values({ id, school_id: schoolId, name }).execute();
      await audit(trx, actor, { schoolId, action: 'group.created', entity: 'carer_group', entityId: id, after: { name } }, now);
    });
  } catch (error) {
    if (isUniqueViolation(error)) return { ok: false, existing: name };
    throw error;
  }
  return { ok: true, id };
}

/** Add a carer of the same school; 'added', 'already' (a member already) or 'missing' (no such carer here). */
export async function addMember(db: Db, actor: Actor, schoolId: string, groupId: string, carerId: string, now: Date): Promise<'added' | 'already' | 'missing'> {
  const carer = await db.selectFrom('carers').select('id').where('id', '=', carerId).where('school_id', '=', schoolId).where('archived_at', 'is', null).executeTakeFirst();
  if (!carer) return 'missing';
  return db.transaction().execute(async (trx) => {
    const r = await trx
      .insertInto('carer_group_members')
      .values({ group_id: groupId, carer_id: carerId, school_id: schoolId })
      .onConflict((oc) => oc.columns(['group_id', 'carer_id']).doNothing())
      .executeTakeFirst();
    if (Number(r.numInsertedOrUpdatedRows ?? 0n) === 0) return 'already' as const;
    await audit(trx, actor, { schoolId, action: 'group.member_added', entity: 'carer_group', entityId: groupId, after: { carerId } }, now);
    return 'added' as const;
  });
}

/** Remove a membership (it is not a record of the person); false when there was none. */
export async function removeMember(db: Db, actor: Actor, schoolId: string, groupId: string, carerId: string, now: Date): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const r = await trx.deleteFrom('carer_group_members').where('group_id', '=', groupId).where('carer_id', '=', carerId).where('school_id', '=', schoolId).executeTakeFirst();
    if (Number(r.numDeletedRows) === 0) return false;
    await audit(trx, actor, { schoolId, action: 'group.member_removed', entity: 'carer_group', entityId: groupId, before: { carerId } }, now);
    return true;
  });
}

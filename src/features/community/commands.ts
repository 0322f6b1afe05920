import type { Db } from '../../db/database.ts';
import type { LocalDate, SupportKind, WelcomeStep } from '../../db/schema.ts';
import { audit, type Actor } from '../../platform/audit/audit.ts';
import { newId } from '../../platform/ids.ts';
import { carerOf, staffChoices } from './queries.ts';

/**
 * Changes in the community feature: key workers, the support directory and welcome steps (the buddy
 * scheme's are in buddy-commands.ts). Each writes its audit entry in the same transaction (facts and
 * ids, never the words typed about a family).
 */
export type By = { staffId: string; schoolId: string; ip?: string | null };
export type CarerBy = { carerId: string; schoolId: string; ip?: string | null };
export type Done = { ok: true; id: string } | { ok: false; field: string; message: string };

export const staffActor = (by: By): Actor => ({ kind: 'staff', id: by.staffId, schoolId: by.schoolId, ip: by.ip ?? null });
export const carerActor = (by: CarerBy): Actor => ({ kind: 'carer', id: by.carerId, schoolId: by.schoolId, ip: by.ip ?? null });

/** A family's key worker: replaces one in force (ended in the same transaction). */
export async function setKeyWorker(db: Db, by: By, carerId: string, input: { staffId: string; reason: string }, now: Date): Promise<Done> {
  const choices = await staffChoices(db, by.schoolId);
  if (!choices.some((s) => s.id === input.staffId)) return { ok: false, field: 'key_worker', message: 'Choose someone on the staff from the list' };
  const carer = await carerOf(db, by.schoolId, carerId);
  if (!carer || carer.archived_at) return { ok: false, field: 'key_worker', message: 'This parent or carer is no longer on the school’s records' };
  const id = newId();
  const at = now.toISOString();
  await db.transaction().execute(async (trx) => {
    const previous = await endKeyWorkerInForce(trx, by, carerId, at);
    await trx
      .insertInto('key_workers')
      .values({ id, school_id: by.schoolId, carer_id: carerId, staff_id: input.staffId, reason: input.reason, set_by: by.staffId, ended_at: null, ended_by: null, created_at: at })
      .execute();
    await audit(
      trx,
      staffActor(by),
      {
        schoolId: by.schoolId,
        action: 'community.key_worker_set',
        entity: 'carer',
        entityId: carerId,
        before: previous ? { staff_id: previous.staff_id } : null,
        after: { key_worker_id: id, staff_id: input.staffId },
      },
      now,
    );
  });
  return { ok: true, id };
}

/** The family no longer needs a key worker: the arrangement ends (kept, with who ended it and when); their messages go to the usual people again. */
export async function endKeyWorker(db: Db, by: By, carerId: string, now: Date): Promise<Done> {
  return db.transaction().execute(async (trx) => {
    const current = await endKeyWorkerInForce(trx, by, carerId, now.toISOString());
    if (!current) return { ok: false as const, field: 'key_worker', message: 'This family has no key worker to end' };
    await audit(
      trx,
      staffActor(by),
      { schoolId: by.schoolId, action: 'community.key_worker_ended', entity: 'carer', entityId: carerId, before: { key_worker_id: current.id, staff_id: current.staff_id }, after: null },
      now,
    );
    return { ok: true as const, id: current.id };
  });
}

/** Ends the family's key worker arrangement in force, if any, and says which it was. */
async function endKeyWorkerInForce(trx: Db, by: By, carerId: string, at: string): Promise<{ id: string; staff_id: string } | undefined> {
  const current = await trx.selectFrom('key_workers').select(['id', 'staff_id']).where('school_id', '=', by.schoolId).where('carer_id', '=', carerId).where('ended_at', 'is', null).executeTakeFirst();
  if (current) await trx.updateTable('key_workers').set({ ended_at: at, ended_by: by.staffId }).where('id', '=', current.id).where('ended_at', 'is', null).execute();
  return current;
}

export type SupportInput = { name: string; kind: SupportKind; description: string; opening_times: string; languages: string; contact: string; tags: string };

/** Adds an entry to the support directory, or changes one (entryId). */
export async function saveSupport(db: Db, by: By, entryId: string | null, input: SupportInput, now: Date): Promise<Done> {
  const at = now.toISOString();
  const id = entryId ?? newId();
  await db.transaction().execute(async (trx) => {
    if (entryId)
      await trx
        .updateTable('support_entries')
        .set({ ...input, updated_at: at })
        .where('school_id', '=', by.schoolId)
        .where('id', '=', entryId)
        .execute();
    else
      await trx
        .insertInto('support_entries')
        .values({ id, school_id: by.schoolId, ...input, archived_at: null, created_by: by.staffId, created_at: at, updated_at: at })
        .execute();
    await audit(
      trx,
      staffActor(by),
      { schoolId: by.schoolId, action: entryId ? 'community.support_changed' : 'community.support_added', entity: 'support_entry', entityId: id, after: { name: input.name, kind: input.kind } },
      now,
    );
  });
  return { ok: true, id };
}

export async function archiveSupport(db: Db, by: By, entryId: string, now: Date): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const changed = await trx
      .updateTable('support_entries')
      .set({ archived_at: now.toISOString() })
      .where('school_id', '=', by.schoolId)
      .where('id', '=', entryId)
      .where('archived_at', 'is', null)
      .executeTakeFirst();
    if (Number(changed.numUpdatedRows) > 0) await audit(trx, staffActor(by), { schoolId: by.schoolId, action: 'community.support_archived', entity: 'support_entry', entityId: entryId }, now);
  });
}

/** Records (or corrects) one step of a family's welcome checklist: when, and who helped. */
export async function recordWelcomeStep(
  db: Db,
  by: By,
  carerId: string,
  input: { step: WelcomeStep; done_on: LocalDate; helped_by: string; note: string },
  ctx: { today: LocalDate; now: Date },
): Promise<Done> {
  if (input.done_on > ctx.today) return { ok: false, field: 'done_on', message: 'The date it was done must be today or before' };
  const helpedBy = input.helped_by || null;
  if (helpedBy && !(await staffChoices(db, by.schoolId)).some((s) => s.id === helpedBy)) return { ok: false, field: 'helped_by', message: 'Choose someone on the staff from the list' };
  const at = ctx.now.toISOString();
  return db.transaction().execute(async (trx) => {
    const existing = await trx
      .selectFrom('welcome_steps')
      .select(['id', 'done_on'])
      .where('school_id', '=', by.schoolId)
      .where('carer_id', '=', carerId)
      .where('step', '=', input.step)
      .executeTakeFirst();
    const values = { done_on: input.done_on, helped_by: helpedBy, note: input.note || null, recorded_by: by.staffId };
    const id = existing?.id ?? newId();
    if (existing) await trx.updateTable('welcome_steps').set(values).where('id', '=', existing.id).execute();
    else
      await trx
        .insertInto('welcome_steps')
        .values({ id, school_id: by.schoolId, carer_id: carerId, step: input.step, ...values, created_at: at })
        .execute();
    await audit(
      trx,
      staffActor(by),
      {
        schoolId: by.schoolId,
        action: 'community.welcome_step',
        entity: 'carer',
        entityId: carerId,
        before: existing ? { done_on: existing.done_on } : null,
        after: { step: input.step, done_on: input.done_on, helped_by: helpedBy },
      },
      ctx.now,
    );
    return { ok: true as const, id };
  });
}

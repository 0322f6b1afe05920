import type { Insertable, Kysely } from 'kysely';
import type { CarerPupilTable, CarerTable, ClassTable, Database, PupilTable, RestrictionTable } from '../../../db/schema.ts';
import { alertStaff, staffWithRoles } from '../../../platform/alerts/alerts.ts';
import { CAPABILITIES } from '../../../platform/access/roles.ts';
import { RESTRICTIONS_TO_COMPLETE } from '../restrictions.ts';
import { changedFields, type Actor, type AuditEntry } from '../../../platform/audit/audit.ts';
import { newId } from '../../../platform/ids.ts';
import type { ContactPlan, ContactSnapshot, RestrictionAdd } from './plan-contacts.ts';
import type { PupilPlan, PupilRecord, PupilSnapshot } from './plan-pupils.ts';
import { insertInChunks } from '../../../db/insert-in-chunks.ts';
import { auditMany } from '../../../platform/audit/audit.ts';

/**
 * Writing a plan: run inside the caller's transaction, with the snapshot the plan was made from
 * (read in that same transaction). Inserts go in chunks; every created or changed record gets an
 * audit entry naming the batch, written in the same transaction.
 */
export type WriteContext = { schoolId: string; batchId: string; actor: Actor; now: Date; today: string; baseUrl: string };
export type Summary = Record<string, number>;
type Db = Kysely<Database>;

export async function writePupilPlan(db: Db, plan: PupilPlan, snapshot: PupilSnapshot, ctx: WriteContext): Promise<Summary> {
  const at = ctx.now.toISOString();
  const audits: AuditEntry[] = [];
  const entry = (action: string, entity: string, entityId: string, before?: unknown, after?: unknown): AuditEntry => ({
    schoolId: ctx.schoolId,
    action,
    entity,
    entityId,
    before,
    after: { ...(after as object), import_batch: ctx.batchId },
  });

  const classIds = new Map(snapshot.classes.map((c) => [c.name.toLowerCase(), c.id]));
  const classRows: Insertable<ClassTable>[] = plan.newClasses.map((c) => ({ id: newId(), school_id: ctx.schoolId, name: c.name, year_group: c.year_group, archived_at: null }));
  for (const c of classRows) {
    classIds.set(c.name.toLowerCase(), c.id);
    audits.push(entry('class.created', 'class', c.id, undefined, { name: c.name, year_group: c.year_group }));
  }
  await insertInChunks(db, 'classes', classRows);

  const classId = (name: string | null) => (name ? (classIds.get(name.toLowerCase()) ?? null) : null);
  const pupilRows: Insertable<PupilTable>[] = plan.adds.map(({ upn, values: { class_name, ...v } }) => ({
    id: newId(),
    school_id: ctx.schoolId,
    upn,
    ...v,
    class_id: classId(class_name),
    archived_at: null,
    created_at: at,
    updated_at: at,
  }));
  for (const p of pupilRows)
    audits.push(entry('pupil.created', 'pupil', p.id!, undefined, { upn: p.upn, given_name: p.given_name, family_name: p.family_name, year_group: p.year_group, class_id: p.class_id }));
  await insertInChunks(db, 'pupils', pupilRows);

  const byId = new Map(snapshot.pupils.map((p) => [p.id, p]));
  const className = new Map(snapshot.classes.map((c) => [c.id, c.name]));
  for (const change of plan.changes) {
    const { class_name, ...fields } = change.set;
    const set: Partial<PupilTable> = { ...fields };
    if (class_name !== undefined) set.class_id = classId(class_name);
    await db
      .updateTable('pupils')
      .set({ ...set, updated_at: at })
      .where('id', '=', change.id)
      .where('school_id', '=', ctx.schoolId)
      .execute();
    const old = byId.get(change.id)!;
    const before: PupilRecord = { ...old, class_name: old.class_id ? (className.get(old.class_id) ?? null) : null };
    const diff = changedFields(before, change.set);
    audits.push(entry('pupil.updated', 'pupil', change.id, diff.before, diff.after));
  }
  await auditMany(db, ctx.actor, audits, ctx.now);
  return { added: plan.adds.length, changed: plan.changes.length, unchanged: plan.unchanged, rejected: plan.rejects.length, classesCreated: classRows.length };
}

export async function writeContactPlan(db: Db, plan: ContactPlan, snapshot: ContactSnapshot, ctx: WriteContext): Promise<Summary> {
  const at = ctx.now.toISOString();
  const audits: AuditEntry[] = [];
  const entry = (action: string, entity: string, entityId: string, before?: unknown, after?: unknown): AuditEntry => ({
    schoolId: ctx.schoolId,
    action,
    entity,
    entityId,
    before,
    after: { ...(after as object), import_batch: ctx.batchId },
  });

  const newCarerIds = new Map<string, string>();
  const carerRows: Insertable<CarerTable>[] = plan.carerAdds.map(({ key, values, restricted }) => {
    const id = newId();
    newCarerIds.set(key, id);
    // A contact the file restricts for every child gets no channel: nothing is sent to them.
    const channels = restricted
      ? ({ channel_email: 0, channel_sms: 0, channel_app: 0, paper_copies: 0 } as const)
      : ({ channel_email: values.email ? 1 : 0, channel_sms: values.mobile ? 1 : 0, channel_app: 1, paper_copies: values.email || values.mobile ? 0 : 1 } as const);
    audits.push(entry('carer.created', 'carer', id, undefined, { ...values, ...channels }));
    return {
      id,
      school_id: ctx.schoolId,
      ...values,
      ...channels,
      access_needs: null,
      password_hash: null,
      archived_at: null,
      created_at: at,
      updated_at: at,
    };
  });
  await insertInChunks(db, 'carers', carerRows);

  const carerById = new Map(snapshot.carers.map((c) => [c.id, c]));
  for (const change of plan.carerChanges) {
    await db
      .updateTable('carers')
      .set({ ...change.set, updated_at: at })
      .where('id', '=', change.id)
      .where('school_id', '=', ctx.schoolId)
      .execute();
    const diff = changedFields(carerById.get(change.id)!, change.set);
    audits.push(entry('carer.updated', 'carer', change.id, diff.before, diff.after));
  }

  const linkRows: Insertable<CarerPupilTable>[] = plan.linkAdds.map((link) => {
    const carerId = link.carer.kind === 'existing' ? link.carer.id : newCarerIds.get(link.carer.key)!;
    const row = { id: newId(), school_id: ctx.schoolId, carer_id: carerId, pupil_id: link.pupilId, ...link.values };
    audits.push(entry('carer_pupil.created', 'carer_pupil', row.id, undefined, { carer_id: carerId, pupil_id: link.pupilId, ...link.values }));
    return row;
  });
  await insertInChunks(db, 'carer_pupils', linkRows);

  const linkById = new Map(snapshot.links.map((l) => [l.id, l]));
  for (const change of plan.linkChanges) {
    await db.updateTable('carer_pupils').set(change.set).where('id', '=', change.id).where('school_id', '=', ctx.schoolId).execute();
    const diff = changedFields(linkById.get(change.id)!, change.set);
    audits.push(entry('carer_pupil.updated', 'carer_pupil', change.id, diff.before, diff.after));
  }
  const restrictionRows = plan.restrictionAdds.map((r) => {
    const row = importedRestriction(r, r.carer.kind === 'existing' ? r.carer.id : newCarerIds.get(r.carer.key)!, ctx);
    // As when staff record one: the audit keeps what it stops, not what the records system says.
    audits.push(entry('restriction.added', 'restriction', row.id, undefined, { ...row, details: '(recorded)' }));
    return row;
  });
  await insertInChunks(db, 'restrictions', restrictionRows);
  if (restrictionRows.length > 0) await alertRestrictionsToComplete(db, restrictionRows.length, ctx);

  await auditMany(db, ctx.actor, audits, ctx.now);
  return {
    restrictionsRecorded: restrictionRows.length,
    carersAdded: plan.carerAdds.length,
    carersChanged: plan.carerChanges.length,
    linksAdded: plan.linkAdds.length,
    linksChanged: plan.linkChanges.length,
    unchanged: plan.unchanged,
    rejected: plan.rejects.length,
  };
}

/** A restriction the records system names: a court order in force from today, stopping information and contact, its details to complete. */
function importedRestriction(r: RestrictionAdd, carerId: string, ctx: WriteContext): Insertable<RestrictionTable> & { id: string } {
  const said = r.said.map((s) => (s.says ? `${s.column}: "${s.says}"` : `${s.column}: yes`)).join('; ');
  return {
    id: newId(),
    school_id: ctx.schoolId,
    pupil_id: r.pupilId,
    carer_id: carerId,
    kind: 'court_order',
    stops_information: 1,
    stops_collection: 0,
    stops_contact: 1,
    details: `From the records system (line ${r.line} of the contacts file): ${said}. Add what the order says.`,
    starts_on: ctx.today,
    ends_on: null,
    lifted_at: null,
    created_by: ctx.actor.kind === 'staff' ? ctx.actor.id : null,
    created_at: ctx.now.toISOString(),
    details_pending: 1,
  };
}

/** The head and the DSL are told (home page and email, through the outbox) that restrictions wait for their details. */
async function alertRestrictionsToComplete(db: Db, count: number, ctx: WriteContext): Promise<void> {
  const staffIds = await staffWithRoles(db, ctx.schoolId, CAPABILITIES.manageRestrictions);
  const title = `The records system import recorded ${count === 1 ? 'a court order' : `${count} court orders`} to complete`;
  await alertStaff(db, { schoolId: ctx.schoolId, staffIds, kind: 'safeguarding', title, link: RESTRICTIONS_TO_COMPLETE, key: `import-restrictions:${ctx.batchId}` }, ctx.now, ctx.baseUrl);
}

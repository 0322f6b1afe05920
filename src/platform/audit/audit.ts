import type { Insertable, Kysely } from 'kysely';
import type { AuditLogTable, Database } from '../../db/schema.ts';
import { insertInChunks } from '../../db/insert-in-chunks.ts';
import { newId } from '../ids.ts';

/** Who did it: a signed-in person, or the system (imports at start, the demo loader, workers). */
export type Actor = { kind: 'staff' | 'carer'; id: string; schoolId: string; ip?: string | null } | { kind: 'system' };

export type AuditEntry = {
  schoolId: string | null;
  action: string; // e.g. 'pupil.updated', 'carer.signed_in', 'restriction.viewed'
  entity: string; // the table or thing, e.g. 'pupil'
  entityId: string | null;
  before?: unknown;
  after?: unknown;
};

/**
 * Append one audit entry. Call it with the same transaction as the change it records, so the
 * change and its entry commit together. Nothing in the app updates or deletes audit rows.
 */
export async function audit(db: Kysely<Database>, actor: Actor, entry: AuditEntry, at: Date = new Date()): Promise<void> {
  await db
    .insertInto('audit_log')
    .values(auditRow(actor, entry, at))
    .execute();
}

/** Many entries in a few statements (an import writes thousands), in the caller's transaction. */
export async function auditMany(db: Kysely<Database>, actor: Actor, entries: AuditEntry[], at: Date): Promise<void> {
  await insertInChunks(
    db,
    'audit_log',
    entries.map((entry) => auditRow(actor, entry, at)),
  );
}

/** The rows auditMany writes, for a caller that writes them with other rows (insertTogether). */
export function auditRows(actor: Actor, entries: AuditEntry[], at: Date): Insertable<AuditLogTable>[] {
  return entries.map((entry) => auditRow(actor, entry, at));
}

function auditRow(actor: Actor, entry: AuditEntry, at: Date): Insertable<AuditLogTable> {
  return {
    id: newId(),
    school_id: entry.schoolId,
    at: at.toISOString(),
    actor_kind: actor.kind,
    actor_id: actor.kind === 'system' ? null : actor.id,
    action: entry.action,
    entity: entry.entity,
    entity_id: entry.entityId,
    before_json: entry.before === undefined ? null : JSON.stringify(entry.before),
    after_json: entry.after === undefined ? null : JSON.stringify(entry.after),
    ip: actor.kind === 'system' ? null : (actor.ip ?? null),
  };
}

/** Only the fields that changed, for compact before/after entries. */
export function changedFields<T extends Record<string, unknown>>(before: T, after: Partial<T>): { before: Partial<T>; after: Partial<T> } {
  const b: Partial<T> = {};
  const a: Partial<T> = {};
  for (const key of Object.keys(after) as (keyof T)[]) {
    if (before[key] !== after[key]) {
      b[key] = before[key];
      a[key] = after[key];
    }
  }
  return { before: b, after: a };
}

import type { Kysely } from 'kysely';
import type { Database, StaffRole } from '../../db/schema.ts';
import { alertStaff, staffWithRoles } from '../alerts/alerts.ts';
import { auditMany, type Actor } from '../audit/audit.ts';

type Db = Kysely<Database>;

/**
 * Safeguarding first, one mechanism for everything typed in Gatepost (a meeting note, anything in a
 * concern): a record marked as a safeguarding concern reaches the DSL and deputies at once (in the
 * app and by email), nobody else reads its words, and every reading by the DSL or a deputy is
 * audited. The email says a concern was recorded and where to look: never the words, never the
 * child's name. Each feature keeps the flag on its own rows and asks here for the rest.
 */

/** Roles that read safeguarding records (and the only ones who do). */
export const SAFEGUARDING_ROLES: readonly StaffRole[] = ['dsl', 'deputy_dsl'];

export function readsSafeguarding(roles: readonly StaffRole[]): boolean {
  return roles.some((r) => SAFEGUARDING_ROLES.includes(r));
}

/** Which record was marked, where to look, and who marked it (not alerted about their own). */
export type SafeguardingMark = { schoolId: string; title: string; link: string; key: string; markedBy: string | null };

/** Alert the DSL and deputies, in the caller's transaction (the record and the alert commit together). */
export async function alertSafeguardingLeads(trx: Db, mark: SafeguardingMark, now: Date, baseUrl: string): Promise<string[]> {
  const leads = (await staffWithRoles(trx, mark.schoolId, SAFEGUARDING_ROLES)).filter((id) => id !== mark.markedBy);
  await alertStaff(trx, { schoolId: mark.schoolId, staffIds: leads, kind: 'safeguarding', title: mark.title, link: mark.link, key: mark.key }, now, baseUrl);
  return leads;
}

/** The audit shows who saw each safeguarding record, and when: `<entity>.viewed`, one entry per record per reading. */
export async function auditSafeguardingViews(db: Db, actor: Actor, schoolId: string, entity: string, ids: string[], after: Record<string, unknown>, now: Date): Promise<void> {
  if (ids.length === 0) return;
  await auditMany(
    db,
    actor,
    ids.map((id) => ({ schoolId, action: `${entity}.viewed`, entity, entityId: id, after })),
    now,
  );
}

export type SafeguardingReading = { name: string; times: number; lastAt: string | null };

/** Who has read each of these safeguarding records, how often and when last (from the audit). */
export async function safeguardingReadings(db: Db, schoolId: string, entity: string, ids: string[]): Promise<Record<string, SafeguardingReading[]>> {
  const byId: Record<string, SafeguardingReading[]> = {};
  if (ids.length === 0) return byId;
  const rows = await db
    .selectFrom('audit_log as a')
    .innerJoin('staff as s', (j) => j.onRef('s.id', '=', 'a.actor_id').onRef('s.school_id', '=', 'a.school_id'))
    .select(['a.entity_id as record_id', 's.title', 's.family_name'])
    .select((eb) => [eb.fn.countAll<number | string>().as('times'), eb.fn.max('a.at').as('last_at')])
    .where('a.school_id', '=', schoolId)
    .where('a.entity', '=', entity)
    .where('a.entity_id', 'in', ids)
    .where('a.action', '=', `${entity}.viewed`)
    .where('a.actor_kind', '=', 'staff')
    .groupBy(['a.entity_id', 's.id', 's.title', 's.family_name'])
    .orderBy('last_at', 'desc')
    .orderBy('s.family_name')
    .execute();
  for (const r of rows) (byId[r.record_id!] ??= []).push({ name: `${r.title ?? ''} ${r.family_name}`.trim(), times: Number(r.times), lastAt: r.last_at });
  return byId;
}

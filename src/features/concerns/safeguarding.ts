import type { Db } from '../../db/database.ts';
import type { Actor } from '../../platform/audit/audit.ts';
import { alertSafeguardingLeads, auditSafeguardingViews } from '../../platform/safeguarding/safeguarding.ts';

/**
 * Concerns use the one safeguarding mechanism (platform/safeguarding), as meeting notes do: an entry
 * marked as safeguarding alerts the DSL and deputies at once, leaves everyone else's view, and each
 * reading by the DSL or a deputy is audited as `concern_entry.viewed`.
 */
export const CONCERN_SAFEGUARDING_TITLE = 'A safeguarding concern was recorded in a concern from a family';

export const concernLink = (concernId: string) => `/concerns/${concernId}`;

export async function alertLeadsAbout(trx: Db, schoolId: string, concernId: string, entryId: string, markedBy: string | null, ctx: { now: Date; baseUrl: string }): Promise<string[]> {
  return alertSafeguardingLeads(trx, { schoolId, title: CONCERN_SAFEGUARDING_TITLE, link: concernLink(concernId), key: `safeguarding-concern-entry:${entryId}`, markedBy }, ctx.now, ctx.baseUrl);
}

export async function auditEntryViews(db: Db, actor: Actor, schoolId: string, concernId: string, entryIds: string[], now: Date): Promise<void> {
  await auditSafeguardingViews(db, actor, schoolId, 'concern_entry', entryIds, { concern_id: concernId }, now);
}

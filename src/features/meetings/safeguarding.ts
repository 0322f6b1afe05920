import type { Db } from '../../db/database.ts';
import type { Actor } from '../../platform/audit/audit.ts';
import { alertSafeguardingLeads as alertLeads, auditSafeguardingViews } from '../../platform/safeguarding/safeguarding.ts';

/**
 * Safeguarding first (the rule and its mechanism: platform/safeguarding): a note marked as a
 * concern reaches the DSL and deputies at once and nobody else reads its words; every reading by
 * the DSL or a deputy is audited.
 */
export const SAFEGUARDING_ALERT_TITLE = 'A safeguarding concern was recorded in a meeting note';

export const recordLink = (meetingId: string) => `/meetings/${meetingId}/record`;

/** Alert the DSL and deputies, in the caller's transaction. A DSL or deputy who marked it themselves is not alerted about their own note. */
export async function alertSafeguardingLeads(trx: Db, schoolId: string, meetingId: string, noteId: string, markedBy: string, now: Date, baseUrl: string): Promise<string[]> {
  return alertLeads(trx, { schoolId, title: SAFEGUARDING_ALERT_TITLE, link: recordLink(meetingId), key: `safeguarding-note:${noteId}`, markedBy }, now, baseUrl);
}

/** The audit shows who saw each safeguarding note, and when: one entry per note per reading. */
export async function auditNoteViews(db: Db, actor: Actor, schoolId: string, meetingId: string, noteIds: string[], now: Date): Promise<void> {
  await auditSafeguardingViews(db, actor, schoolId, 'meeting_note', noteIds, { meeting_id: meetingId }, now);
}

/** The outcome and the referral to a senior leader: marked as a concern on their form or afterwards (migration 0050). */
export type MarkedPart = 'outcome' | 'referral';
export const PART_ALERT_TITLES: Record<MarkedPart, string> = {
  outcome: 'A safeguarding concern was recorded in a meeting’s outcome',
  referral: 'A safeguarding concern was recorded in a referral to a senior leader',
};

/** Alert the DSL and deputies that a meeting's outcome or referral was marked, in the caller's transaction (once a marking). */
export async function alertLeadsAboutPart(trx: Db, schoolId: string, meetingId: string, part: MarkedPart, markedBy: string, now: Date, baseUrl: string): Promise<string[]> {
  return alertLeads(trx, { schoolId, title: PART_ALERT_TITLES[part], link: recordLink(meetingId), key: `safeguarding-${part}:${meetingId}:${now.toISOString()}`, markedBy }, now, baseUrl);
}

/** The audit shows who read a marked outcome or referral, and when: `meeting_outcome.viewed`, `meeting_referral.viewed`. */
export async function auditPartViews(db: Db, actor: Actor, schoolId: string, meetingId: string, parts: MarkedPart[], now: Date): Promise<void> {
  for (const part of parts) await auditSafeguardingViews(db, actor, schoolId, `meeting_${part}`, [meetingId], {}, now);
}

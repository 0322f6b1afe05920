import type { Db } from '../../../db/database.ts';
import type { StaffRole } from '../../../db/schema.ts';
import { audit, type Actor } from '../../../platform/audit/audit.ts';
import { alertSafeguardingLeads, auditSafeguardingViews, readsSafeguarding } from '../../../platform/safeguarding/safeguarding.ts';
import { caseRole } from './case-team.ts';
import type { PublicComplaint } from './public.ts';
import type { ComplaintSettings } from './settings.ts';

/**
 * Who deals with a complaint from the public form, and the safeguarding rule on its words.
 *
 * Routing is the carers' rule (case-team.ts, issue 14 point 6): a complaint about the head is triaged
 * and led by whoever the settings name (the chair of governors), anything else by the head. So the
 * head never triages, nor hears of, a public complaint about themselves.
 *
 * Safeguarding is the one mechanism (platform/safeguarding), as for meeting notes and concerns: the
 * complainant's words (what happened, what would put it right) marked as safeguarding alert the DSL and
 * deputies at once, leave everyone else's view (the triage page, the case, the panel papers), and each
 * reading by the DSL or a deputy is audited as `public_complaint_words.viewed`.
 */
export const PUBLIC_SAFEGUARDING_TITLE = 'A safeguarding concern was recorded in a complaint made on the public form';
export const PUBLIC_WORDS = 'public_complaint_words';
export const publicComplaintLink = (id: string) => `/complaints/public/${id}`;

type Reader = { id: string; roles: readonly StaffRole[] };

/** Whether this member of staff triages (and, taken on, leads) the public complaint: the routing the settings set. */
export function triages(reader: Reader, complaint: Pick<PublicComplaint, 'about_head'>, settings: ComplaintSettings): boolean {
  return (
    caseRole(reader, {
      about: complaint.about_head ? 'head' : 'matter',
      officerId: null,
      panel: [],
      named: [],
      clerkId: settings.clerkId,
      headComplaintsTo: settings.headComplaintsTo,
      governorComplaintsTo: settings.governorComplaintsTo,
    }) === 'lead'
  );
}

/** Who is told a public complaint has come in: the head, or for one about the head whoever the settings name. */
export function triagers(aboutHead: boolean, settings: ComplaintSettings, heads: string[]): string[] {
  return aboutHead ? [settings.headComplaintsTo].filter((s): s is string => !!s) : heads;
}

/** What this reader may do with the public complaint's page: triage it, read its safeguarding words (DSL), or nothing (404). */
export function readerOf(reader: Reader, complaint: Pick<PublicComplaint, 'about_head' | 'safeguarding'>, settings: ComplaintSettings): 'triager' | 'dsl' | null {
  if (triages(reader, complaint, settings)) return 'triager';
  if (complaint.safeguarding && readsSafeguarding(reader.roles)) return 'dsl';
  return null;
}

/** Whether this reader reads the complainant's words: always, unless they are marked as safeguarding (then the DSL and deputies only). */
export function readsWords(reader: Reader, complaint: Pick<PublicComplaint, 'safeguarding'>): boolean {
  return !complaint.safeguarding || readsSafeguarding(reader.roles);
}

export type StaffBy = { staffId: string; schoolId: string; ip?: string | null };

/** Mark the complainant's words as safeguarding (once, compare-and-set): the DSL is alerted in the same transaction. */
export async function markPublicWords(db: Db, by: StaffBy, complaint: PublicComplaint, ctx: { now: Date; baseUrl: string }): Promise<'marked' | 'already'> {
  return db.transaction().execute(async (trx) => {
    const changed = await trx
      .updateTable('public_complaints')
      .set({ safeguarding: 1, updated_at: ctx.now.toISOString() })
      .where('id', '=', complaint.id)
      .where('school_id', '=', complaint.school_id)
      .where('safeguarding', '=', 0)
      .executeTakeFirst();
    if (Number(changed.numUpdatedRows) !== 1) return 'already';
    await audit(
      trx,
      { kind: 'staff', id: by.staffId, schoolId: by.schoolId, ip: by.ip ?? null },
      { schoolId: complaint.school_id, action: 'public_complaint.marked_safeguarding', entity: 'public_complaint', entityId: complaint.id, before: { safeguarding: 0 }, after: { safeguarding: 1 } },
      ctx.now,
    );
    await alertSafeguardingLeads(
      trx,
      { schoolId: complaint.school_id, title: PUBLIC_SAFEGUARDING_TITLE, link: publicComplaintLink(complaint.id), key: `safeguarding-public-complaint:${complaint.id}`, markedBy: by.staffId },
      ctx.now,
      ctx.baseUrl,
    );
    return 'marked';
  });
}

/** A reading of marked words by the DSL or a deputy: one audit entry per reading. */
export async function auditWordsRead(db: Db, actor: Actor, complaint: Pick<PublicComplaint, 'id' | 'school_id'>, now: Date): Promise<void> {
  await auditSafeguardingViews(db, actor, complaint.school_id, PUBLIC_WORDS, [complaint.id], { public_complaint_id: complaint.id }, now);
}

import type { Db } from '../../db/database.ts';
import type { DslQuoteSource, Instant } from '../../db/schema.ts';
import type { StaffUser } from '../access/roles.ts';
import type { ScopeContext } from '../access/scope.ts';

/**
 * Words on a staff page that can hold a safeguarding concern, for "Pass this to the DSL"
 * (features/safeguarding): a family's (a question before a meeting, how their action is going) or a
 * member of staff's own (a safety plan's notes, a buddy check-in, what a carer did, a staff-only
 * profile note, a volunteer's risk assessment). The feature that owns the page finds them for a
 * member of staff by that page's own access rule, reading them from the record (never from a URL):
 * undefined when this person may not open the page (the caller answers 404), 'gone' when they may
 * but the words have since been taken away.
 */
export type PassedWords = {
  source: DslQuoteSource;
  recordId: string;
  /** The meeting the words belong to, where there is one. */
  meetingId: string | null;
  /** The child the report is about unless the writer chooses otherwise; null where the page is about an adult. */
  pupilId: string | null;
  words: string;
  /** Who wrote them: a parent or carer, or a member of staff; a carer's id is null when nobody knows which (an anonymous survey). */
  by: { kind: 'carer'; id: string | null; name: string } | { kind: 'staff'; id: string; name: string };
  writtenAt: Instant | null;
  /** The staff page the words are on, for the DSL to go and look. */
  link: string;
  /** Where every reading of the page is itself audited (a carer's conduct), the entry the form's reading makes too. */
  readAudit?: { action: string; entity: string; entityId: string };
};

export type WordsFinder = (db: Db, user: StaffUser, scope: ScopeContext, id: string) => Promise<PassedWords | 'gone' | undefined>;

/** A member of staff as the school's pages name them: "Mr Okafor". */
export const staffWriterName = (s: { title: string | null; family_name: string | null }) => `${s.title ?? ''} ${s.family_name ?? ''}`.trim() || 'A member of staff';

/**
 * "You passed this to the DSL on …" beside words this member of staff has already passed on, instead
 * of the link again: their own reports only, made from beside these same words (the record, and the
 * words as they are now; words changed since are offered again). Never anyone else's: a teacher may
 * not learn from a page that a colleague has told the DSL something. Record id → when, the latest.
 */
export async function passedByMe(db: Db, user: StaffUser, source: DslQuoteSource, records: readonly { id: string; words: string | null }[]): Promise<Record<string, Instant>> {
  const ids = records.filter((r) => r.words).map((r) => r.id);
  if (ids.length === 0) return {};
  const rows = await db
    .selectFrom('dsl_reports')
    .select(['quote_record_id', 'quote', 'created_at'])
    .where('school_id', '=', user.schoolId)
    .where('written_by', '=', user.id)
    .where('quote_source', '=', source)
    .where('quote_record_id', 'in', ids)
    .execute();
  const now = new Map(records.map((r) => [r.id, r.words]));
  const passed: Record<string, Instant> = {};
  for (const r of rows) {
    if (!r.quote_record_id || now.get(r.quote_record_id) !== r.quote) continue;
    const seen = passed[r.quote_record_id];
    if (!seen || r.created_at > seen) passed[r.quote_record_id] = r.created_at;
  }
  return passed;
}

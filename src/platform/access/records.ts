import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';

/**
 * Tenancy by construction: every route parameter (and query parameter) that names a record is
 * looked up here, inside the signed-in person's school, before any handler runs (guard.ts). A
 * record of another school, or no record at all, answers 404: a handler's own query can forget
 * `school_id` and still never reach another school's row.
 *
 * A new `:param` in a route must be added to RECORD_PARAMS (or, when it names no record, to
 * NOT_RECORDS with the reason): the app refuses to start otherwise (guard.ts), and
 * test/tenancy.test.ts checks the query parameters handlers read the same way.
 */
/**
 * `removable`: rows that are deleted outright (glossary words a person removes, import dry runs that
 * expire). An id found in no school at all is let through, so that removing twice (a double click)
 * ends as the first removal did and an expired dry run can say it expired (410); an id of another
 * school's row is still refused.
 */
type Lookup = { table: keyof Database & string; column: string; removable?: boolean };

const byId = (table: keyof Database & string): Lookup => ({ table, column: 'id' });

/** Route parameters that name a school's record: `:name` → the table (and column) that holds it. */
export const RECORD_PARAMS = {
  pupilId: byId('pupils'),
  carerId: byId('carers'),
  staffId: byId('staff'),
  linkId: byId('carer_pupils'),
  restrictionId: byId('restrictions'),
  batchId: { table: 'import_batches', column: 'id', removable: true },
  messageId: byId('messages'),
  groupId: byId('carer_groups'),
  termId: { table: 'glossary', column: 'id', removable: true },
  schoolTermId: { table: 'school_terms', column: 'id', removable: true },
  schoolClosureId: { table: 'school_closures', column: 'id', removable: true },
  eveningId: byId('evenings'),
  slotId: byId('evening_slots'),
  bookingId: byId('evening_bookings'),
  holdId: { table: 'evening_bookings', column: 'hold_id' },
  meetingId: byId('meetings'),
  noteId: byId('meeting_notes'),
  contactId: byId('contact_log'),
  actionId: byId('meeting_actions'),
  concernId: byId('concerns'),
  entryId: byId('concern_entries'),
  complaintId: byId('complaints'),
  eventId: byId('complaint_events'),
  arrangementId: byId('conduct_arrangements'),
  closureId: byId('complaint_closures'),
  publicId: byId('public_complaints'),
  surveyId: byId('surveys'),
  questionId: byId('survey_questions'),
  answerId: byId('survey_answers'),
  versionId: byId('agreement_versions'),
  policyId: byId('policies'),
  consultationId: byId('consultations'),
  commentId: byId('consultation_comments'),
  themeId: byId('consultation_themes'),
  schoolEventId: byId('events'),
  eventSessionId: byId('event_sessions'),
  opportunityId: byId('volunteer_opportunities'),
  volunteerId: byId('volunteers'),
  translationRequestId: byId('translation_requests'),
  proposalId: byId('profile_proposals'),
  matchId: byId('buddy_matches'),
  supportId: byId('support_entries'),
  reportId: byId('dsl_reports'),
  agendaItemId: byId('meeting_agenda_items'),
  accessRequestId: byId('access_requests'),
  incidentId: byId('conduct_incidents'),
  attendanceImportId: byId('attendance_imports'),
} satisfies Record<string, Lookup>;

/** Query parameters that name a school's record (`/messages/new?pupil=…`), checked the same way. */
export const RECORD_QUERY_PARAMS = {
  pupil: byId('pupils'),
  class: byId('classes'),
} satisfies Record<string, Lookup>;

/** Route and query parameters that name no school record, and why. */
export const NOT_RECORDS: Record<string, string> = {
  token: 'a secret token (sign-in link, message read link), resolved by its own handler before anyone is signed in',
  language: 'a language name',
  version: "a profile's version number, read inside the pupil's profile (the pupil is looked up in the school)",
  urn: "a school's public reference number, naming the school on the public complaint form before anyone is signed in: resolved by its handler",
  code: 'a language code from platform/i18n/languages.ts (pl, ur, …), checked by the handler',
  outbox: "a provider's delivery receipt: the handler checks the provider's signature; no person is signed in",
  q: 'a search text',
  page: 'a page number',
  year: 'a year group',
  done: 'which confirmation to show',
  saved: 'which confirmation to show',
  sent: 'which confirmation to show',
  message: 'the praise just sent, said back to the teacher who sent it: its handler reads it only in their school and only if they wrote it',
  recorded: 'which confirmation to show',
  tried: 'which confirmation to show',
  safeguarding: 'which confirmation to show (a contact passed to the DSL)',
  passed: 'the report just passed to the DSL, said back to its writer: its handler finds it only among the reports they wrote',
  welcome: 'which confirmation to show',
  classes: 'which confirmation to show',
  next: 'a same-site path to go to after signing in',
  kind: 'a kind of message; a kind of record in the retention schedule',
  weeks: 'a number of weeks',
  entity: 'a kind of record in the audit log',
  before: 'a position in the audit log; a retention cut-off date, said back after an erasure',
  erased: 'which confirmation to show (a kind of record just erased)',
  n: 'how many records were just erased, said back in the confirmation',
  show: 'which list to show (open or all)',
  who: "which families an event's register shows (everyone, said yes, not ticked yet, first time): a fixed word, anything else shows everyone",
  academic: 'an academic year, by the calendar year it starts in (2025 for 2025 to 2026)',
  topic: 'a suggested topic for a new meeting (words the form shows to change), not a record',
  purpose: 'what a new meeting is for ("attendance", from the attendance list; anything else is ignored), not a record',
};

export type RecordParam = keyof typeof RECORD_PARAMS;
export type RecordQueryParam = keyof typeof RECORD_QUERY_PARAMS;

/** The `:name`s in a route pattern such as '/pupils/:pupilId/links/:linkId/edit'. */
export function paramsOf(url: string): string[] {
  return [...url.matchAll(/:([A-Za-z]+)/g)].map((m) => m[1]!);
}

/** The values of query parameters that name records (one or several: `?pupil=a&pupil=b`), blanks ignored. */
function valuesOf(value: unknown): string[] {
  return [value]
    .flat()
    .filter((v) => v !== undefined && v !== '')
    .map((v) => (typeof v === 'string' ? v : '\u0000'));
}

/** Ids are short printable text; anything else names nothing (and never reaches the database). */
function plausible(id: string): boolean {
  return id.length > 0 && id.length <= 100 && /^[\x21-\x7e]+$/.test(id);
}

async function inSchool(db: Kysely<Database>, lookup: Lookup, schoolId: string, id: string): Promise<boolean> {
  if (!plausible(id)) return false;
  const byKey = lookup.column === 'id';
  const key = `${lookup.table}:${id}`;
  const known = byKey ? schoolsOf(db).get(key) : undefined;
  if (known !== undefined) return known === schoolId;
  const rows = await (db as unknown as Kysely<Record<string, Record<string, string>>>).selectFrom(lookup.table).select('school_id').where(lookup.column, '=', id).limit(2).execute();
  if (rows.length === 0) return lookup.removable === true;
  if (byKey) remember(db, key, rows[0]!.school_id!);
  return rows.every((row) => row.school_id === schoolId);
}

/**
 * The school of records already looked up by id, per database: a record never moves to another
 * school and ids are never used again, so the answer cannot change (a record deleted since is
 * still 404 from its handler). Every booking page and submit names its evening: on PostgreSQL this
 * saves a round trip for each. Only found records are remembered; bounded like remembered.ts.
 */
const KNOWN_LIMIT = 20_000;
const knownSchools = new WeakMap<Kysely<Database>, Map<string, string>>();
function schoolsOf(db: Kysely<Database>): Map<string, string> {
  let known = knownSchools.get(db);
  if (!known) knownSchools.set(db, (known = new Map()));
  return known;
}
function remember(db: Kysely<Database>, key: string, schoolId: string): void {
  const known = schoolsOf(db);
  if (known.size >= KNOWN_LIMIT) known.clear();
  known.set(key, schoolId);
}

/**
 * True when every record the request names (route and query parameters in the registries) is a
 * record of this school. With no school (nobody signed in), a request naming a record reaches nothing.
 */
export async function recordsAreInSchool(db: Kysely<Database>, schoolId: string | null, params: Record<string, unknown>, query: Record<string, unknown>): Promise<boolean> {
  const wanted: Array<[Lookup, string]> = [];
  for (const [name, lookup] of Object.entries(RECORD_PARAMS)) {
    const value = params[name];
    if (value !== undefined) wanted.push([lookup, typeof value === 'string' ? value : '\u0000']);
  }
  for (const [name, lookup] of Object.entries(RECORD_QUERY_PARAMS)) {
    for (const value of valuesOf(query[name])) wanted.push([lookup, value]);
  }
  if (wanted.length === 0) return true;
  if (!schoolId) return false;
  for (const [lookup, id] of wanted.slice(0, 100)) {
    if (!(await inSchool(db, lookup, schoolId, id))) return false;
  }
  return wanted.length <= 100;
}

import type { Db } from '../../db/database.ts';
import type { DslQuoteSource, Instant, LocalDate } from '../../db/schema.ts';
import { pupilReach, type StaffUser } from '../../platform/access/roles.ts';
import { pupilsVisibleTo, type ScopeContext } from '../../platform/access/scope.ts';
import { audit, type Actor } from '../../platform/audit/audit.ts';
import { alertSafeguardingLeads, auditSafeguardingViews, safeguardingReadings, type SafeguardingReading } from '../../platform/safeguarding/safeguarding.ts';
import { staffWriterName, type PassedWords } from '../../platform/safeguarding/words.ts';
import { SOMEONE_ELSE, type TellInput } from './tell.ts';

/**
 * "Tell the DSL" reports: saved with the alert to the DSL and deputies in one transaction (the one
 * mechanism, platform/safeguarding), read by them only (each reading audited), and traced for their
 * writer by date alone. The words never go into the audit log, an alert or an email.
 */
export const REPORT_ALERT_TITLE = 'A member of staff told the DSL about a safeguarding concern';
export const reportLink = (reportId: string) => `/tell-the-dsl/${reportId}`;

const personName = (p: { given_name: string; family_name: string; preferred_name: string | null }) => `${p.preferred_name || p.given_name} ${p.family_name}`;
const staffName = (s: { title: string | null; family_name: string }) => `${s.title ?? ''} ${s.family_name}`.trim();

/**
 * The pupils this member of staff may see, for the form's list (a governor sees none), and the child
 * of the record whose words they pass on (`alsoId`): someone on a meeting may see that child's
 * meeting without the child being in their classes.
 */
export async function pupilsToChoose(db: Db, user: StaffUser, scope: ScopeContext, alsoId: string | null = null) {
  const seen = pupilReach(user, scope.teachersSeeAllPupils) === 'none' ? [] : await visiblePupils(db, user, scope);
  if (!alsoId || seen.some((p) => p.id === alsoId)) return seen;
  const also = await db
    .selectFrom('pupils')
    .leftJoin('classes', 'classes.id', 'pupils.class_id')
    .select(['pupils.id', 'pupils.given_name', 'pupils.preferred_name', 'pupils.family_name', 'classes.name as class_name'])
    .where('pupils.id', '=', alsoId)
    .where('pupils.school_id', '=', user.schoolId)
    .executeTakeFirst();
  return also ? [{ id: also.id, name: personName(also), className: also.class_name }, ...seen] : seen;
}

async function visiblePupils(db: Db, user: StaffUser, scope: ScopeContext) {
  const rows = await db
    .selectFrom('pupils')
    .leftJoin('classes', 'classes.id', 'pupils.class_id')
    .select(['pupils.id', 'pupils.given_name', 'pupils.preferred_name', 'pupils.family_name', 'classes.name as class_name'])
    .where(pupilsVisibleTo(user, scope.today, scope.teachersSeeAllPupils))
    .where('pupils.archived_at', 'is', null)
    .orderBy('pupils.family_name')
    .orderBy('pupils.given_name')
    .execute();
  return rows.map((p) => ({ id: p.id, name: personName(p), className: p.class_name }));
}

export type MadeReport = { ok: true; id: string } | { ok: false; field: 'pupil' | 'form_id'; message: string };

/** What the report keeps of the words passed on with it ("Pass this to the DSL"): a family's or a member of staff's. */
const quoteColumns = (quote: PassedWords | undefined) => ({
  quote: quote?.words ?? null,
  quote_source: quote?.source ?? null,
  quote_record_id: quote?.recordId ?? null,
  quote_meeting_id: quote?.meetingId ?? null,
  quote_carer_id: quote?.by.kind === 'carer' ? quote.by.id : null,
  quote_staff_id: quote?.by.kind === 'staff' ? quote.by.id : null,
  quote_written_at: quote?.writtenAt ?? null,
  quote_link: quote?.link ?? null,
});

/**
 * Save a report and alert the DSL and deputies at once (a DSL or deputy who writes one is not alerted
 * about their own). The pupil must be one the writer may see, or the child of the record whose words
 * it quotes (`quote`, found by the caller under that record's own access rule). The form's id is the
 * report's: the same form sent twice saves once and alerts once.
 */
export async function makeReport(
  db: Db,
  actor: Actor & { kind: 'staff' },
  user: StaffUser,
  scope: ScopeContext,
  input: TellInput,
  ctx: { now: Date; baseUrl: string },
  quote?: PassedWords,
): Promise<MadeReport> {
  let pupilId: string | null = null;
  if (quote?.pupilId && input.pupil === quote.pupilId) pupilId = quote.pupilId;
  else if (input.pupil !== SOMEONE_ELSE) {
    const seen =
      pupilReach(user, scope.teachersSeeAllPupils) !== 'none' &&
      (await db
        .selectFrom('pupils')
        .select('pupils.id')
        .where('pupils.id', '=', input.pupil)
        .where(pupilsVisibleTo(user, scope.today, scope.teachersSeeAllPupils))
        .executeTakeFirst());
    if (!seen) return { ok: false, field: 'pupil', message: 'Choose a pupil from the list, or “Someone else, or I do not know their name”' };
    pupilId = seen.id;
  }
  return db.transaction().execute(async (trx) => {
    const inserted = await trx
      .insertInto('dsl_reports')
      .values({
        id: input.form_id,
        school_id: actor.schoolId,
        pupil_id: pupilId,
        other_name: pupilId ? null : input.other_name,
        what: input.what,
        happened_on: input.happened_on,
        written_by: actor.id,
        created_at: ctx.now.toISOString(),
        ...quoteColumns(quote),
      })
      .onConflict((oc) => oc.column('id').doNothing())
      .executeTakeFirst();
    if (Number(inserted.numInsertedOrUpdatedRows ?? 0) === 0) {
      const same = await trx.selectFrom('dsl_reports').select('id').where('id', '=', input.form_id).where('school_id', '=', actor.schoolId).where('written_by', '=', actor.id).executeTakeFirst();
      if (!same) return { ok: false as const, field: 'form_id' as const, message: 'This form has expired. Go back, refresh the page and try again.' };
      return { ok: true as const, id: same.id };
    }
    await audit(
      trx,
      actor,
      {
        schoolId: actor.schoolId,
        action: 'dsl_report.made',
        entity: 'dsl_report',
        entityId: input.form_id,
        // Where quoted words came from, never the words.
        after: {
          pupil_id: pupilId,
          someone_else: pupilId === null,
          happened_on: input.happened_on,
          ...(quote
            ? { quoted: { source: quote.source, record_id: quote.recordId, meeting_id: quote.meetingId, ...(quote.by.kind === 'carer' ? { carer_id: quote.by.id } : { staff_id: quote.by.id }) } }
            : {}),
        },
      },
      ctx.now,
    );
    await alertSafeguardingLeads(
      trx,
      { schoolId: actor.schoolId, title: REPORT_ALERT_TITLE, link: reportLink(input.form_id), key: `safeguarding-report:${input.form_id}`, markedBy: actor.id },
      ctx.now,
      ctx.baseUrl,
    );
    return { ok: true as const, id: input.form_id };
  });
}

/** What the writer keeps of the reports they made: about whom and when passed on, never the words. Newest first. */
export type Trace = { id: string; about: string | null; passedAt: string };
export async function tracesOf(db: Db, schoolId: string, staffId: string): Promise<Trace[]> {
  const rows = await db
    .selectFrom('dsl_reports as r')
    .leftJoin('pupils as p', (j) => j.onRef('p.id', '=', 'r.pupil_id').onRef('p.school_id', '=', 'r.school_id'))
    .select(['r.id', 'r.created_at', 'p.given_name', 'p.preferred_name', 'p.family_name'])
    .where('r.school_id', '=', schoolId)
    .where('r.written_by', '=', staffId)
    .orderBy('r.created_at', 'desc')
    .orderBy('r.id', 'desc')
    .limit(50)
    .execute();
  return rows.map((r) => ({ id: r.id, about: r.given_name ? personName({ given_name: r.given_name, preferred_name: r.preferred_name, family_name: r.family_name! }) : null, passedAt: r.created_at }));
}

/** For the DSL and deputies: every report, newest first, without the words (each is read on its own page). */
export type ReportLine = { id: string; about: string; writer: string; happenedOn: LocalDate; passedAt: string; readByMe: boolean; quotesFamily: boolean; quotedFrom: string | null };
export async function reportsForLeads(db: Db, schoolId: string, readerId: string): Promise<ReportLine[]> {
  const rows = await db
    .selectFrom('dsl_reports as r')
    .innerJoin('staff as s', (j) => j.onRef('s.id', '=', 'r.written_by').onRef('s.school_id', '=', 'r.school_id'))
    .leftJoin('pupils as p', (j) => j.onRef('p.id', '=', 'r.pupil_id').onRef('p.school_id', '=', 'r.school_id'))
    .select([
      'r.id',
      'r.other_name',
      'r.happened_on',
      'r.created_at',
      'r.quote_source',
      'r.quote_carer_id',
      's.title',
      's.family_name as staff_family_name',
      'p.given_name',
      'p.preferred_name',
      'p.family_name',
    ])
    .select((eb) =>
      eb
        .exists(
          eb
            .selectFrom('audit_log as a')
            .select('a.id')
            .whereRef('a.entity_id', '=', 'r.id')
            .where('a.school_id', '=', schoolId)
            .where('a.action', '=', 'dsl_report.viewed')
            .where('a.actor_id', '=', readerId),
        )
        .as('read_by_me'),
    )
    .where('r.school_id', '=', schoolId)
    .orderBy('r.created_at', 'desc')
    .orderBy('r.id', 'desc')
    .limit(200)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    about: r.given_name
      ? personName({ given_name: r.given_name, preferred_name: r.preferred_name, family_name: r.family_name! })
      : r.other_name
        ? `Someone else: ${r.other_name}`
        : 'Someone else, name not known',
    writer: staffName({ title: r.title, family_name: r.staff_family_name }),
    happenedOn: r.happened_on,
    passedAt: r.created_at,
    readByMe: Boolean(Number(r.read_by_me)),
    quotesFamily: r.quote_carer_id !== null || r.quote_source === 'survey_answer',
    quotedFrom: r.quote_source ? QUOTE_KIND[r.quote_source] : null,
  }));
}

export type FullReport = {
  id: string;
  pupil: { id: string; name: string; className: string | null } | null;
  otherName: string | null;
  what: string;
  happenedOn: LocalDate;
  writer: string;
  passedAt: string;
  quote: Quote | null;
};

/** Words passed on with a report: the words, where they were, who wrote them (a parent or carer, or staff) and when. */
export type Quote = { words: string; source: DslQuoteSource; where: string; link: string; writerName: string; byStaff: boolean; writtenAt: Instant | null };

/** Where a parent's or carer's words were, as the form beside them says it ("Marta Nowak, in a question sent ahead of a meeting"). */
export const QUOTE_BY_FAMILY: Partial<Record<DslQuoteSource, string>> = {
  agenda_question: 'in a question sent ahead of a meeting',
  family_progress: 'on how their action after a meeting is going',
  consultation_comment: 'in a comment on a policy the school consulted families about',
  survey_answer: 'in an answer to a survey (the survey does not tell staff who wrote it)',
};
export const QUOTE_WHERE: Record<DslQuoteSource, string> = {
  agenda_question: 'A question the family sent ahead of a meeting',
  family_progress: 'How the family said their action after a meeting is going',
  safety_plan: 'The notes on a difficult meeting’s safety plan',
  buddy_check_in: 'The check-in on a buddy match between two families',
  conduct_incident: 'An incident in a carer’s behaviour towards staff',
  conduct_arrangement: 'Why an arrangement about a carer’s behaviour towards staff was made',
  profile_staff_note: 'A staff-only note on a pupil’s profile',
  volunteer_risk_assessment: 'A volunteer’s written risk assessment',
  consultation_comment: 'A comment on a policy the school consulted families about',
  survey_answer: 'What a family wrote in answer to a survey question',
};
/** The kind of record, in the DSL's list: where the words were, never the words. */
const QUOTE_KIND: Record<DslQuoteSource, string> = {
  agenda_question: 'Family’s question before a meeting',
  family_progress: 'Family’s note on their action',
  safety_plan: 'Safety plan notes',
  buddy_check_in: 'Buddy match check-in',
  conduct_incident: 'Conduct incident',
  conduct_arrangement: 'Conduct arrangement',
  profile_staff_note: 'Profile staff note',
  volunteer_risk_assessment: 'Volunteer risk assessment',
  consultation_comment: 'Consultation comment',
  survey_answer: 'Survey answer',
};
/** Where the words were: kept with the report since 0055; before it, a meeting's pages. */
function quoteLink(source: DslQuoteSource, link: string | null, meetingId: string, recordId: string): string {
  if (link) return link;
  return source === 'agenda_question' ? `/meetings/${meetingId}#agenda` : `/meetings/${meetingId}/record#action-${recordId}`;
}

/** One report with its words, for the DSL or a deputy only: the reading is audited, and who has read it is listed. */
export async function readReport(db: Db, reader: Actor & { kind: 'staff' }, reportId: string, now: Date): Promise<{ report: FullReport; readings: SafeguardingReading[] } | undefined> {
  const r = await db
    .selectFrom('dsl_reports as r')
    .innerJoin('staff as s', (j) => j.onRef('s.id', '=', 'r.written_by').onRef('s.school_id', '=', 'r.school_id'))
    .leftJoin('pupils as p', (j) => j.onRef('p.id', '=', 'r.pupil_id').onRef('p.school_id', '=', 'r.school_id'))
    .leftJoin('classes as c', 'c.id', 'p.class_id')
    .leftJoin('carers as qc', (j) => j.onRef('qc.id', '=', 'r.quote_carer_id').onRef('qc.school_id', '=', 'r.school_id'))
    .leftJoin('staff as qs', (j) => j.onRef('qs.id', '=', 'r.quote_staff_id').onRef('qs.school_id', '=', 'r.school_id'))
    .select([
      'r.quote_staff_id',
      'r.quote_link',
      'qs.title as quote_staff_title',
      'qs.family_name as quote_staff_family_name',
      'r.quote',
      'r.quote_source',
      'r.quote_record_id',
      'r.quote_meeting_id',
      'r.quote_written_at',
      'qc.given_name as quote_given_name',
      'qc.family_name as quote_family_name',
      'r.id',
      'r.pupil_id',
      'r.other_name',
      'r.what',
      'r.happened_on',
      'r.created_at',
      's.title',
      's.family_name as staff_family_name',
      'p.given_name',
      'p.preferred_name',
      'p.family_name',
      'c.name as class_name',
    ])
    .where('r.id', '=', reportId)
    .where('r.school_id', '=', reader.schoolId)
    .executeTakeFirst();
  if (!r) return undefined;
  await auditSafeguardingViews(db, reader, reader.schoolId, 'dsl_report', [r.id], {}, now);
  const readings = (await safeguardingReadings(db, reader.schoolId, 'dsl_report', [r.id]))[r.id] ?? [];
  return {
    report: {
      id: r.id,
      pupil:
        r.pupil_id && r.given_name ? { id: r.pupil_id, name: personName({ given_name: r.given_name, preferred_name: r.preferred_name, family_name: r.family_name! }), className: r.class_name } : null,
      otherName: r.other_name,
      what: r.what,
      happenedOn: r.happened_on,
      writer: staffName({ title: r.title, family_name: r.staff_family_name }),
      passedAt: r.created_at,
      quote:
        r.quote !== null && r.quote_source
          ? {
              words: r.quote,
              source: r.quote_source,
              where: QUOTE_WHERE[r.quote_source],
              link: quoteLink(r.quote_source, r.quote_link, r.quote_meeting_id ?? '', r.quote_record_id ?? ''),
              writerName: r.quote_staff_id
                ? staffWriterName({ title: r.quote_staff_title, family_name: r.quote_staff_family_name })
                : `${r.quote_given_name ?? ''} ${r.quote_family_name ?? ''}`.trim() || 'A parent or carer',
              byStaff: r.quote_staff_id !== null,
              writtenAt: r.quote_written_at,
            }
          : null,
    },
    readings,
  };
}

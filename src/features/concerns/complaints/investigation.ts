import { z } from 'zod';
import type { Db } from '../../../db/database.ts';
import type { ComplaintOutcome } from '../../../db/schema.ts';
import { audit } from '../../../platform/audit/audit.ts';
import { newId } from '../../../platform/ids.ts';
import { text } from '../../../platform/web/forms.ts';
import { checkUpload } from '../../../platform/web/uploads.ts';
import { staffNameOf } from '../queries.ts';
import { complainantOf } from './complainant.ts';
import type { PreparedLetter } from '../notify.ts';
import { outcomeLetter, outcomeLetterIn, type LetterFacts } from './letter.ts';
import { letterOf, type OpenedComplaint } from './queries.ts';
import { readReport, unanswered, type Report } from './report.ts';
import { letterToComplainant, record, type By, type Ctx } from './tell.ts';

/**
 * The investigation (issue 14, point 7): interviews recorded in writing and documents attached as
 * files, seen by the case team only; the report on its checklist, issued only when every point is
 * answered; the outcome letter generated from it, edited, then sent through the outbox or printed.
 */
export const InterviewForm = z.object({ with_whom: text('who was interviewed', 200), account: text('what they said', 10_000) });
export async function addInterview(db: Db, by: By, c: OpenedComplaint, input: z.output<typeof InterviewForm>, now: Date) {
  await db.transaction().execute(async (trx) => {
    await record(trx, by, c.complaint, { kind: 'interview', body: `Interview with ${input.with_whom}: ${input.account}` }, 'complaint.interview_recorded', { with_whom: input.with_whom }, now);
  });
}

export const ALLOWED_TYPES: Record<string, string> = {
  pdf: 'application/pdf',
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  txt: 'text/plain',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
};
export const MAX_DOCUMENT_BYTES = 2_000_000;
/** A document for the case: a name Gatepost knows the type of, and not empty (platform/web/uploads.ts). */
export function checkDocument(name: string | null, bytes: Buffer | null): { ok: true; type: string } | { ok: false; message: string } {
  return checkUpload(name, bytes, { types: ALLOWED_TYPES, maxBytes: MAX_DOCUMENT_BYTES, kinds: 'a PDF, Word document, picture (PNG or JPEG) or text file', choose: 'Choose a file to attach' });
}
export async function addDocument(db: Db, by: By, c: OpenedComplaint, file: { name: string; type: string; bytes: Buffer }, description: string, now: Date) {
  await db.transaction().execute(async (trx) => {
    await record(
      trx,
      by,
      c.complaint,
      { kind: 'document', body: description || file.name, file: { name: file.name, type: file.type, base64: file.bytes.toString('base64') } },
      'complaint.document_attached',
      { file_name: file.name, bytes: file.bytes.length },
      now,
    );
  });
}

/** Saving the report part-done; issuing it needs every checklist point answered and an outcome. */
export async function saveReport(db: Db, by: By, c: OpenedComplaint, report: Report, issue: boolean, now: Date): Promise<{ ok: true } | { ok: false; errors: Record<string, string> }> {
  const { complaint } = c;
  if (complaint.report_issued_at) return { ok: false, errors: { outcome: 'The report has been issued' } };
  if (issue) {
    const errors = unanswered(report);
    if (Object.keys(errors).length) return { ok: false, errors };
  }
  const json = JSON.stringify(report);
  await db.transaction().execute(async (trx) => {
    await trx.updateTable('complaints').set({ report_json: json, updated_at: now.toISOString() }).where('id', '=', complaint.id).where('school_id', '=', complaint.school_id).execute();
    if (!issue) {
      await audit(
        trx,
        { kind: 'staff', id: by.staffId, schoolId: by.schoolId, ip: by.ip ?? null },
        { schoolId: complaint.school_id, action: 'complaint.report_saved', entity: 'complaint', entityId: complaint.id },
        now,
      );
      return;
    }
    await trx
      .updateTable('complaints')
      .set({ report_issued_at: now.toISOString(), outcome: report.outcome || null })
      .where('id', '=', complaint.id)
      .where('school_id', '=', complaint.school_id)
      .execute();
    await record(
      trx,
      by,
      complaint,
      { kind: 'report_issued', body: 'The investigating officer issued the report (every checklist point answered)' },
      'complaint.report_issued',
      { outcome: report.outcome },
      now,
    );
  });
  if (issue) await draftLetter(db, by, { ...c, complaint: { ...complaint, report_json: json } }, report, now);
  return { ok: true };
}

/** What the outcome letter says of a case, from the case and its report. */
async function letterFacts(db: Db, c: OpenedComplaint, report: Report, outcome: ComplaintOutcome): Promise<LetterFacts> {
  const { complaint, settings } = c;
  const [school, who, officer] = await Promise.all([
    db.selectFrom('schools').select(['name', 'time_zone']).where('id', '=', complaint.school_id).executeTakeFirstOrThrow(),
    complainantOf(db, complaint),
    staffNameOf(db, complaint.school_id, complaint.officer_id),
  ]);
  const panelStage = settings.stages.find((s) => s.key === 'stage_2');
  return {
    carerName: who.name,
    childName: who.pupil?.childName ?? null,
    schoolName: school.name,
    receivedOn: complaint.received_on,
    stage: complaint.stage,
    outcome,
    report,
    officerName: officer ?? 'The investigating officer',
    schoolType: settings.schoolType,
    earlyYears: !!complaint.early_years_outcome_by,
    panelStageLabel: complaint.stage === 'stage_1' && panelStage ? panelStage.label : null,
    escalateWithinDays: 10,
  };
}

/** The outcome letter, generated from the report for the lead to edit. */
export async function draftLetter(db: Db, by: By, c: OpenedComplaint, report: Report, now: Date) {
  const { complaint } = c;
  if (!report.outcome) return;
  const body = outcomeLetter(await letterFacts(db, c, report, report.outcome));
  const at = now.toISOString();
  const existing = await letterOf(db, complaint.school_id, complaint.id, complaint.stage);
  if (existing) return;
  await db
    .insertInto('complaint_letters')
    .values({
      id: newId(),
      school_id: complaint.school_id,
      complaint_id: complaint.id,
      stage: complaint.stage,
      outcome: report.outcome,
      body,
      status: 'draft',
      updated_by: by.staffId,
      created_at: at,
      updated_at: at,
    })
    .execute();
}

export const LetterForm = z.object({ body: text('the letter', 20_000), send: z.enum(['save', 'send', 'print'], { error: 'Choose what to do with the letter' }) });
/** Editing the draft; sending it through the outbox (the stage is then answered) or recording it was printed and posted. */
export async function finishLetter(db: Db, by: By, c: OpenedComplaint, input: z.output<typeof LetterForm>, ctx: Ctx) {
  const { complaint } = c;
  const letter = await letterOf(db, complaint.school_id, complaint.id, complaint.stage);
  if (!letter) return { ok: false as const, field: 'body', message: 'The letter is made when the report is issued' };
  if (letter.status !== 'draft') return { ok: false as const, field: 'body', message: 'This letter has been sent' };
  const at = ctx.now.toISOString();
  // A browser sends a textarea's line ends as CRLF: paragraphs are split on blank lines either way.
  const body = input.body.replace(/\r\n?/g, '\n');
  let prepared: PreparedLetter | undefined;
  if (input.send === 'send') {
    // The fixed parts in the carer's language, the rest in the school's own words (notify.ts).
    const report = readReport(complaint.report_json);
    const facts = await letterFacts(db, c, report, letter.outcome);
    prepared = await letterToComplainant(db, complaint, ctx, `complaint-outcome:${complaint.id}:${complaint.stage}`, outcomeLetterIn(facts, body, facts.schoolName));
  }
  await db.transaction().execute(async (trx) => {
    await trx.updateTable('complaint_letters').set({ body, updated_by: by.staffId, updated_at: at }).where('id', '=', letter.id).where('school_id', '=', complaint.school_id).execute();
    if (input.send === 'save') {
      await audit(
        trx,
        { kind: 'staff', id: by.staffId, schoolId: by.schoolId, ip: by.ip ?? null },
        { schoolId: complaint.school_id, action: 'complaint.letter_edited', entity: 'complaint_letter', entityId: letter.id },
        ctx.now,
      );
      return;
    }
    const status = input.send === 'send' ? ('sent' as const) : ('printed' as const);
    const changed = await trx.updateTable('complaint_letters').set({ status, sent_at: at }).where('id', '=', letter.id).where('status', '=', 'draft').executeTakeFirst();
    if (Number(changed.numUpdatedRows) !== 1) return;
    const next = complaint.stage === 'stage_1' ? { status: 'answered' as const } : { status: 'closed' as const, closed_at: at };
    await trx.updateTable('complaints').set(next).where('id', '=', complaint.id).where('school_id', '=', complaint.school_id).execute();
    await record(
      trx,
      by,
      complaint,
      {
        kind: status === 'sent' ? 'letter_sent' : 'letter_printed',
        body: status === 'sent' ? 'Outcome letter sent to the complainant' : 'Outcome letter printed and given or posted to the complainant',
      },
      'complaint.outcome_letter',
      { letter: status, ...next },
      ctx.now,
      prepared,
    );
  });
  return { ok: true as const };
}

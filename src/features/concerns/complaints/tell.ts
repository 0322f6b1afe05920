import type { Db } from '../../../db/database.ts';
import { localDate } from '../../../platform/calendar/time.ts';
import { audit } from '../../../platform/audit/audit.ts';
import { newId } from '../../../platform/ids.ts';
import { prepareLetter, sendLetter, type NotifyContext, type PreparedLetter } from '../notify.ts';
import type { ComplaintEventKind } from '../../../db/schema.ts';
import { carerComplaintLink } from './links.ts';
import { complainantOf, letterToPublicComplainant } from './complainant.ts';
import type { Complaint } from './queries.ts';
import type { Text } from '../../../platform/i18n/catalog.ts';
import type { SchoolWords } from '../concerns.ts';

/** Who does something on a case, as the audit log records them. */
export type By = { staffId: string; schoolId: string; ip?: string | null };
export type Ctx = Omit<NotifyContext, 'today'>;

/**
 * The complainant's letter for a change to their case, prepared before the transaction (it may be
 * translated): written with the words it is given, so its fixed parts are in the carer's language;
 * what a person at the school wrote goes as SchoolWords. The text message is its subject and a pointer to Gatepost.
 * A member of the public (a complaint taken on from the public form) is emailed at the address they gave.
 */
export async function letterToComplainant(db: Db, complaint: Complaint, ctx: Ctx, key: string, write: (t: Text) => { subject: string; lines: (string | SchoolWords)[] }): Promise<PreparedLetter> {
  const school = await db.selectFrom('schools').select(['name', 'time_zone']).where('id', '=', complaint.school_id).executeTakeFirstOrThrow();
  if (complaint.public_complaint_id) {
    const who = await complainantOf(db, complaint);
    return letterToPublicComplainant(complaint, { name: who.name, email: who.email! }, school.name, key, write);
  }
  return prepareLetter(
    db,
    { ...ctx, today: localDate(ctx.now, school.time_zone) },
    {
      schoolId: complaint.school_id,
      schoolName: school.name,
      concernId: complaint.concern_id!,
      carerId: complaint.carer_id!,
      pupilId: complaint.pupil_id,
      key,
      path: carerComplaintLink(complaint.id),
    },
    (t) => {
      const letter = write(t);
      return { sms: t('concerns.letter.sms', { school: school.name, subject: letter.subject }), ...letter };
    },
  );
}

/** One step on a case: its timeline event, its audit entry and (when there is one) the complainant's letter, together. */
export async function record(
  trx: Db,
  by: By,
  complaint: Complaint,
  step: { kind: ComplaintEventKind; body: string; staffId?: string | null; onDate?: string | null; file?: { name: string; type: string; base64: string } },
  action: string,
  after: unknown,
  now: Date,
  letter?: PreparedLetter,
): Promise<string> {
  const id = newId();
  await trx
    .insertInto('complaint_events')
    .values({
      id,
      school_id: complaint.school_id,
      complaint_id: complaint.id,
      kind: step.kind,
      body: step.body,
      staff_id: step.staffId ?? null,
      on_date: step.onDate ?? null,
      file_name: step.file?.name ?? null,
      file_type: step.file?.type ?? null,
      file_base64: step.file?.base64 ?? null,
      created_by_kind: 'staff',
      created_by: by.staffId,
      created_at: now.toISOString(),
    })
    .execute();
  await audit(
    trx,
    { kind: 'staff', id: by.staffId, schoolId: by.schoolId, ip: by.ip ?? null },
    { schoolId: complaint.school_id, action, entity: 'complaint', entityId: complaint.id, after: { ...(after as object), told: letter?.channel } },
    now,
  );
  if (letter) await sendLetter(trx, letter, now);
  await trx.updateTable('complaints').set({ updated_at: now.toISOString() }).where('id', '=', complaint.id).where('school_id', '=', complaint.school_id).execute();
  return id;
}

import type { Db } from '../../db/database.ts';
import type { LocalDate } from '../../db/schema.ts';
import { audit, type Actor } from '../../platform/audit/audit.ts';
import type { SchoolCalendar } from '../../platform/calendar/school-days.ts';
import { extendedDueDate } from './due-dates.ts';
import type { DetailsInput } from './forms.ts';
import { choicesAreTheSchools, detailsRow, dueOrErrors, type Changed } from './queries.ts';

/** The details a correction may change, as the audit names them (never the words typed). */
const FIELDS = ['kind', 'requester_carer_id', 'requester_name', 'requester_contact', 'about', 'pupil_id', 'about_other', 'received_on'] as const;

/** Why a sent or refused request cannot be corrected: said on its page, and if a correction is sent anyway. */
export const closedWords = (status: string) => `This request is ${status === 'sent' ? 'sent' : 'refused'}: its details cannot be corrected. The audit log keeps it as it was.`;

/**
 * Correct an open request's details (a wrong pupil, a mistyped date received, the wrong kind): the
 * due date is worked out again from the corrected kind and date (still three months from receipt once
 * extended), in one compare-and-set on an open request. The audit names the fields that changed and
 * the due date before and after, not what was typed. Nothing changed: nothing written.
 */
export async function correctRequest(
  db: Db,
  actor: Actor & { kind: 'staff' },
  id: string,
  input: DetailsInput,
  calendar: SchoolCalendar,
  today: LocalDate,
  now: Date,
): Promise<Changed & { changed?: string[] }> {
  return db.transaction().execute(async (trx) => {
    const current = await trx.selectFrom('access_requests').selectAll().where('school_id', '=', actor.schoolId).where('id', '=', id).executeTakeFirst();
    if (!current) return { ok: false as const, missing: true as const };
    if (current.status !== 'open') return { ok: false as const, errors: { _form: closedWords(current.status) } };
    if (current.extended_reason !== null && input.kind === 'education_record') {
      return { ok: false as const, errors: { kind: 'This request was extended as a complex subject access request, so it cannot become an education record request' } };
    }
    if (input.received_on > today) return { ok: false as const, errors: { received_on: 'The date the request was received must be today or in the past' } };
    // Once extended, still three calendar months from (the corrected) receipt.
    const due =
      current.extended_reason !== null ? { ok: true as const, dueOn: extendedDueDate(input.received_on) } : dueOrErrors(input.kind, input.received_on, calendar, today, 'correct the request');
    if (!due.ok) return due;
    const row = detailsRow(input);
    const wrong = await choicesAreTheSchools(trx, actor.schoolId, row);
    if (wrong) return { ok: false as const, errors: wrong };
    const changed = FIELDS.filter((f) => row[f] !== current[f]);
    if (changed.length === 0) return { ok: true as const, changed };
    const done = await trx
      .updateTable('access_requests')
      .set({ ...row, due_on: due.dueOn })
      .where('school_id', '=', actor.schoolId)
      .where('id', '=', id)
      .where('status', '=', 'open')
      .executeTakeFirst();
    if (Number(done.numUpdatedRows) !== 1) return { ok: false as const, errors: { _form: 'Someone else changed this request at the same moment: look again' } };
    await audit(
      trx,
      actor,
      { schoolId: actor.schoolId, action: 'access_request.corrected', entity: 'access_request', entityId: id, before: { due_on: current.due_on }, after: { changed, due_on: due.dueOn } },
      now,
    );
    return { ok: true as const, changed };
  });
}

import { sql } from 'kysely';
import { z } from 'zod';
import type { Db } from '../../db/database.ts';
import type { LocalDate } from '../../db/schema.ts';
import { pupilsCarerMayHearAbout } from '../../platform/access/hear.ts';
import { audit } from '../../platform/audit/audit.ts';
import { optionalText, text } from '../../platform/web/forms.ts';
import { emailStaff, mailContext } from './meetings-notify.ts';
import type { SendOptions } from './meetings-schedule.ts';
import type { CarerActor } from './requests.ts';

/**
 * A parent or carer keeps track of what they agreed to do at a meeting: they mark their own action
 * done, with a short note on how it is going, or say it is not done yet. Only their own action (the
 * family's, not the school's), from a meeting whose summary they were sent, while they may still hear
 * about the child for that summary (platform/access/hear.ts). Each change is compare-and-set with its
 * audit entry; the first time an action is marked done its meeting's lead is emailed (without the note).
 */
export const CARER_NOTE_MAX = 500;

export const CarerActionForm = z.object({ note: optionalText('your note', CARER_NOTE_MAX) });
/** "Save how it is going" without marking it done: then the words are the point, so they are needed. */
export const CarerProgressForm = z.object({ note: text('how it is going', CARER_NOTE_MAX) });

/** One of the carer's own agreed actions, as its page shows it. */
export type OwnAction = {
  id: string;
  meeting_id: string;
  what: string;
  due_on: LocalDate;
  done_at: string | null;
  done_by_carer_id: string | null;
  carer_note: string | null;
  carer_note_at: string | null;
};

/**
 * The carer's own actions from this meeting they may mark: none before the summary was sent (the
 * actions are the school's draft till then), none for a cancelled meeting, none once a restriction
 * stops the meeting's summary reaching them. The caller has checked the carer may open the meeting.
 */
export async function ownActionsOf(
  db: Db,
  actor: Pick<CarerActor, 'id' | 'schoolId'>,
  meeting: { id: string; pupil_id: string | null; status: string; summary_sent_at: string | null },
  today: LocalDate,
): Promise<OwnAction[]> {
  if (!meeting.summary_sent_at || meeting.status === 'cancelled') return [];
  if (meeting.pupil_id) {
    const may = await pupilsCarerMayHearAbout(db, { schoolId: actor.schoolId, carerId: actor.id, pupilIds: [meeting.pupil_id], purpose: 'meeting_summary', today });
    if (!may.has(meeting.pupil_id)) return [];
  }
  return db
    .selectFrom('meeting_actions')
    .select(['id', 'meeting_id', 'what', 'due_on', 'done_at', 'done_by_carer_id', 'carer_note', 'carer_note_at'])
    .where('school_id', '=', actor.schoolId)
    .where('meeting_id', '=', meeting.id)
    .where('owner_kind', '=', 'carer')
    .where('carer_id', '=', actor.id)
    .orderBy('due_on')
    .orderBy('created_at')
    .execute();
}

/** Mark it done with an optional note; 'already' when it was done before (a second press). */
export async function markOwnActionDone(db: Db, actor: CarerActor, action: OwnAction, note: string | null, opts: SendOptions): Promise<'done' | 'already'> {
  const at = opts.now.toISOString();
  const ctx = await mailContext(db, actor.schoolId, opts.baseUrl, opts.now);
  return db.transaction().execute(async (trx) => {
    const r = await trx
      .updateTable('meeting_actions')
      // Words saved before and sent again unchanged keep the date they were written.
      .set({ done_at: at, done_by_carer_id: actor.id, carer_note: note, carer_note_at: note ? (note === action.carer_note ? (action.carer_note_at ?? at) : at) : null })
      .where('id', '=', action.id)
      .where('school_id', '=', actor.schoolId)
      .where('owner_kind', '=', 'carer')
      .where('carer_id', '=', actor.id)
      .where('done_at', 'is', null)
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) === 0) return 'already' as const;
    await audit(
      trx,
      actor,
      { schoolId: actor.schoolId, action: 'meeting_action.done_by_carer', entity: 'meeting_action', entityId: action.id, after: { meeting_id: action.meeting_id, done_at: at, note } },
      opts.now,
    );
    // The lead hears once per action (the key), not at every change of mind: the record shows where it stands.
    const [me, lead, pupil] = await Promise.all([
      trx.selectFrom('carers').select(['given_name', 'family_name']).where('id', '=', actor.id).executeTakeFirstOrThrow(),
      trx.selectFrom('meeting_staff').select('staff_id').where('meeting_id', '=', action.meeting_id).where('role', '=', 'lead').executeTakeFirst(),
      trx
        .selectFrom('meetings')
        .innerJoin('pupils', 'pupils.id', 'meetings.pupil_id')
        .select(['pupils.given_name', 'pupils.preferred_name'])
        .where('meetings.id', '=', action.meeting_id)
        .executeTakeFirst(),
    ]);
    if (lead) {
      const about = pupil ? (pupil.preferred_name ?? pupil.given_name) : 'their child';
      await emailStaff(trx, ctx, [lead.staff_id], {
        key: `carer_action_done:${action.id}`,
        subject: `${me.given_name} ${me.family_name} marked something they agreed to do at the meeting about ${about} as done`,
        path: `/meetings/${action.meeting_id}/record#action-${action.id}`,
      });
    }
    return 'done' as const;
  });
}

/**
 * "Not done yet": undoes the carer's own marking (never one a member of staff made); 'already' when not
 * marked by them. Their words stay, as their latest on how it is going (as when a member of staff
 * changes their tick back, carer-actions-staff.ts): the box shows them to change or keep, and the audit
 * keeps every version. A note from before 0044 was written when they ticked it: that is its date.
 */
export async function undoOwnAction(db: Db, actor: CarerActor, action: OwnAction, now: Date): Promise<'undone' | 'already'> {
  return db.transaction().execute(async (trx) => {
    const r = await trx
      .updateTable('meeting_actions')
      .set({ done_at: null, done_by_carer_id: null, carer_note_at: sql<string | null>`case when carer_note is null then null else coalesce(carer_note_at, done_at) end` })
      .where('id', '=', action.id)
      .where('school_id', '=', actor.schoolId)
      .where('carer_id', '=', actor.id)
      .where('done_by_carer_id', '=', actor.id)
      .where('done_at', 'is not', null)
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) === 0) return 'already' as const;
    await audit(
      trx,
      actor,
      {
        schoolId: actor.schoolId,
        action: 'meeting_action.undone_by_carer',
        entity: 'meeting_action',
        entityId: action.id,
        before: { meeting_id: action.meeting_id, done_at: action.done_at, note: action.carer_note },
      },
      now,
    );
    return 'undone' as const;
  });
}

/**
 * "How is it going", saved without marking the action done: the carer's latest words and when, shown
 * on the staff record and the lead's follow-ups. Only while it is open (once done, "not done yet"
 * first); 'unchanged' when the same words were saved already (a second press), 'done' when it is done.
 * Nobody is emailed: the record and the lead's home page show it.
 */
export async function saveOwnProgress(db: Db, actor: CarerActor, action: OwnAction, note: string, now: Date): Promise<'saved' | 'unchanged' | 'done'> {
  const at = now.toISOString();
  return db.transaction().execute(async (trx) => {
    const r = await trx
      .updateTable('meeting_actions')
      .set({ carer_note: note, carer_note_at: at })
      .where('id', '=', action.id)
      .where('school_id', '=', actor.schoolId)
      .where('owner_kind', '=', 'carer')
      .where('carer_id', '=', actor.id)
      .where('done_at', 'is', null)
      .where((eb) => eb.or([eb('carer_note', 'is', null), eb('carer_note', '!=', note)]))
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) === 0) {
      const now = await trx.selectFrom('meeting_actions').select('done_at').where('id', '=', action.id).executeTakeFirst();
      return now?.done_at ? ('done' as const) : ('unchanged' as const);
    }
    await audit(
      trx,
      actor,
      {
        schoolId: actor.schoolId,
        action: 'meeting_action.progress_by_carer',
        entity: 'meeting_action',
        entityId: action.id,
        before: { note: action.carer_note },
        after: { meeting_id: action.meeting_id, note },
      },
      now,
    );
    return 'saved' as const;
  });
}

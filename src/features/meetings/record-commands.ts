import type { Db } from '../../db/database.ts';
import type { Flag, MeetingStatus } from '../../db/schema.ts';
import { alertStaff } from '../../platform/alerts/alerts.ts';
import { audit, type Actor } from '../../platform/audit/audit.ts';
import { newId } from '../../platform/ids.ts';
import { leadersOf, staffNameOf } from './record-queries.ts';
import type { ActionInput, OutcomeInput, ReferInput } from './record.ts';
import { alertLeadsAboutPart, recordLink, type MarkedPart } from './safeguarding.ts';
import { notStartedYet } from './record-timing.ts';

/**
 * Changes to a meeting's record: agreed actions, the outcome and follow-up date, the follow-up
 * kept, a referral to a senior leader. Each is one transaction with its audit entry; state changes
 * are compare-and-set. They trust the caller to have checked the person may open the record
 * (the routes do; the demo loader calls them directly).
 */
export type RecordBy = { staffId: string; schoolId: string; ip?: string | null };
export type Failure<F extends string> = { ok: false; field: F; message: string };

export function actorOf(by: RecordBy): Actor {
  return { kind: 'staff', id: by.staffId, schoolId: by.schoolId, ip: by.ip ?? null };
}

/** An agreed action: a school person (any current member of staff) or one of the meeting's carers, what, by when. */
export async function addAction(db: Db, by: RecordBy, meetingId: string, input: ActionInput, now: Date): Promise<{ ok: true; id: string } | Failure<'owner'>> {
  const owner = input.owner;
  const found =
    owner.kind === 'school'
      ? await db.selectFrom('staff').select('id').where('id', '=', owner.staffId).where('school_id', '=', by.schoolId).where('archived_at', 'is', null).executeTakeFirst()
      : await db
          .selectFrom('meeting_carers')
          .select('carer_id as id')
          .where('meeting_id', '=', meetingId)
          .where('carer_id', '=', owner.carerId)
          .where('school_id', '=', by.schoolId)
          .executeTakeFirst();
  if (!found) return { ok: false, field: 'owner', message: 'Choose who will do it: a member of staff, or a parent or carer who was at the meeting' };
  const row = {
    id: input.action_id ?? newId(),
    school_id: by.schoolId,
    meeting_id: meetingId,
    owner_kind: owner.kind,
    staff_id: owner.kind === 'school' ? owner.staffId : null,
    carer_id: owner.kind === 'carer' ? owner.carerId : null,
    what: input.what,
    due_on: input.due_on,
    done_at: null,
    created_at: now.toISOString(),
  };
  return db.transaction().execute(async (trx) => {
    const insert = () =>
      trx
        .insertInto('meeting_actions')
        .values(row)
        .onConflict((oc) => oc.column('id').doNothing())
        .executeTakeFirst();
    if (Number((await insert()).numInsertedOrUpdatedRows ?? 0) === 0) {
      const earlier = await trx.selectFrom('meeting_actions').select(['meeting_id', 'what', 'due_on', 'staff_id', 'carer_id']).where('id', '=', row.id).executeTakeFirstOrThrow();
      // The same form sent again: added the first time.
      if (earlier.meeting_id === meetingId && earlier.what === row.what && earlier.due_on === row.due_on && earlier.staff_id === row.staff_id && earlier.carer_id === row.carer_id)
        return { ok: true as const, id: row.id };
      // An old form's id with another action (a page restored from history): a new action, never lost.
      row.id = newId();
      await insert();
    }
    await audit(
      trx,
      actorOf(by),
      {
        schoolId: by.schoolId,
        action: 'meeting_action.added',
        entity: 'meeting_action',
        entityId: row.id,
        after: { meeting_id: meetingId, owner_kind: row.owner_kind, staff_id: row.staff_id, carer_id: row.carer_id, what: row.what, due_on: row.due_on },
      },
      now,
    );
    return { ok: true as const, id: row.id };
  });
}

/** Mark an action done, once. */
export async function markActionDone(db: Db, by: RecordBy, meetingId: string, actionId: string, now: Date): Promise<'done' | 'already' | 'missing'> {
  return db.transaction().execute(async (trx) => {
    const r = await trx
      .updateTable('meeting_actions')
      .set({ done_at: now.toISOString() })
      .where('id', '=', actionId)
      .where('meeting_id', '=', meetingId)
      .where('school_id', '=', by.schoolId)
      .where('done_at', 'is', null)
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) === 0) {
      const exists = await trx.selectFrom('meeting_actions').select('id').where('id', '=', actionId).where('meeting_id', '=', meetingId).where('school_id', '=', by.schoolId).executeTakeFirst();
      return exists ? 'already' : 'missing';
    }
    await audit(
      trx,
      actorOf(by),
      { schoolId: by.schoolId, action: 'meeting_action.done', entity: 'meeting_action', entityId: actionId, after: { meeting_id: meetingId, done_at: now.toISOString() } },
      now,
    );
    return 'done';
  });
}

const NOT_HELD: Partial<Record<MeetingStatus, string>> = {
  requested: 'This meeting has not been arranged yet, so it has no outcome to record',
  offered: 'This meeting has not been arranged yet, so it has no outcome to record',
  cancelled: 'This meeting was cancelled, so it has no outcome to record',
};

/**
 * The outcome in plain words and the follow-up date, once the meeting has started. A scheduled meeting becomes 'held'
 * (compare-and-set from 'scheduled'); a held one keeps its status. A new follow-up date is a new
 * follow-up: it is no longer marked kept. Marked "This is a safeguarding concern" (then, or before:
 * a marked outcome stays marked), the DSL and deputies are alerted once, and from then on only they
 * read it; it never goes to the family. The words never go into the audit log (the head reads it).
 * `ctx.baseUrl` is for the alert's link; the caller checks that a marked outcome is changed only by
 * the DSL or a deputy (the routes do).
 */
export type OutcomeChange = Omit<OutcomeInput, 'safeguarding'> & { safeguarding?: Flag };
export async function setOutcome(
  db: Db,
  by: RecordBy,
  meetingId: string,
  input: OutcomeChange,
  now: Date,
  ctx: { baseUrl: string } = { baseUrl: '' },
): Promise<{ ok: true; passedOn: boolean } | Failure<'outcome'>> {
  const meeting = await db
    .selectFrom('meetings')
    .innerJoin('schools', 'schools.id', 'meetings.school_id')
    .select(['meetings.status', 'meetings.outcome', 'meetings.outcome_safeguarding', 'meetings.follow_up_on', 'meetings.follow_up_done_at', 'meetings.starts_at', 'schools.time_zone'])
    .where('meetings.id', '=', meetingId)
    .where('meetings.school_id', '=', by.schoolId)
    .executeTakeFirst();
  if (!meeting) return { ok: false, field: 'outcome', message: 'This meeting could not be found' };
  const refused = NOT_HELD[meeting.status] ?? notStartedYet(meeting.starts_at, now, meeting.time_zone, 'outcome');
  if (refused) return { ok: false, field: 'outcome', message: refused };
  const from = meeting.status;
  const followUpChanged = meeting.follow_up_on !== input.follow_up_on;
  const wasMarked = Number(meeting.outcome_safeguarding) === 1;
  const passedOn = !wasMarked && input.safeguarding === 1;
  return db.transaction().execute(async (trx) => {
    const r = await trx
      .updateTable('meetings')
      .set({
        status: 'held',
        outcome: input.outcome,
        follow_up_on: input.follow_up_on,
        follow_up_done_at: followUpChanged ? null : meeting.follow_up_done_at,
        updated_at: now.toISOString(),
        ...(passedOn ? { outcome_safeguarding: 1 as const, outcome_marked_by: by.staffId, outcome_marked_at: now.toISOString() } : {}),
      })
      .where('id', '=', meetingId)
      .where('school_id', '=', by.schoolId)
      .where('status', '=', from)
      .where('outcome_safeguarding', '=', wasMarked ? 1 : 0)
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) === 0) return { ok: false as const, field: 'outcome' as const, message: 'Someone changed this meeting at the same moment. Check the record and save again' };
    const marked = wasMarked || passedOn ? 1 : 0;
    await audit(
      trx,
      actorOf(by),
      {
        schoolId: by.schoolId,
        action: 'meeting.outcome_recorded',
        entity: 'meeting',
        entityId: meetingId,
        before: { status: from, had_outcome: meeting.outcome !== null, follow_up_on: meeting.follow_up_on, outcome_safeguarding: wasMarked ? 1 : 0 },
        after: { status: 'held', outcome_changed: meeting.outcome !== input.outcome, follow_up_on: input.follow_up_on, outcome_safeguarding: marked },
      },
      now,
    );
    if (passedOn) await alertLeadsAboutPart(trx, by.schoolId, meetingId, 'outcome', by.staffId, now, ctx.baseUrl);
    return { ok: true as const, passedOn };
  });
}

/** The follow-up has happened: kept once, and only when there is one. */
export async function markFollowUpKept(db: Db, by: RecordBy, meetingId: string, now: Date): Promise<'kept' | 'already' | 'none'> {
  return db.transaction().execute(async (trx) => {
    const r = await trx
      .updateTable('meetings')
      .set({ follow_up_done_at: now.toISOString(), updated_at: now.toISOString() })
      .where('id', '=', meetingId)
      .where('school_id', '=', by.schoolId)
      .where('follow_up_on', 'is not', null)
      .where('follow_up_done_at', 'is', null)
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) === 0) {
      const m = await trx.selectFrom('meetings').select(['follow_up_on']).where('id', '=', meetingId).where('school_id', '=', by.schoolId).executeTakeFirst();
      return m?.follow_up_on ? 'already' : 'none';
    }
    await audit(trx, actorOf(by), { schoolId: by.schoolId, action: 'meeting.follow_up_kept', entity: 'meeting', entityId: meetingId, after: { follow_up_done_at: now.toISOString() } }, now);
    return 'kept';
  });
}

/**
 * Refer an unresolved matter to the head or a senior leader: they are alerted (in the app and by
 * email, which carries the link to the record, not the note) and may open the record. Marked "This is
 * a safeguarding concern", the DSL and deputies are alerted too and only they read the note (the
 * leader is told a meeting was referred to them, and reads that the note went to the DSL). A referral
 * already marked is replaced only by the DSL or a deputy (the routes check). The note's words never
 * go into the audit log.
 */
export type ReferChange = Omit<ReferInput, 'safeguarding'> & { safeguarding?: Flag };
export async function referMeeting(
  db: Db,
  by: RecordBy,
  meetingId: string,
  input: ReferChange,
  ctx: { now: Date; baseUrl: string },
): Promise<{ ok: true; passedOn: boolean } | Failure<'referred_to'>> {
  const leaders = await leadersOf(db, by.schoolId);
  if (!leaders.some((l) => l.id === input.referred_to)) return { ok: false, field: 'referred_to', message: 'Choose the head or a senior leader to refer it to' };
  const byName = (await staffNameOf(db, by.schoolId, by.staffId)) ?? 'A member of staff';
  const at = ctx.now.toISOString();
  const marked = input.safeguarding === 1;
  await db.transaction().execute(async (trx) => {
    const before = await trx.selectFrom('meetings').select(['referred_to', 'referral_safeguarding']).where('id', '=', meetingId).where('school_id', '=', by.schoolId).executeTakeFirstOrThrow();
    await trx
      .updateTable('meetings')
      .set({
        referred_to: input.referred_to,
        referred_at: at,
        referral_note: input.referral_note,
        referral_safeguarding: marked ? 1 : 0,
        referral_marked_by: marked ? by.staffId : null,
        referral_marked_at: marked ? at : null,
        updated_at: at,
      })
      .where('id', '=', meetingId)
      .where('school_id', '=', by.schoolId)
      .execute();
    await audit(
      trx,
      actorOf(by),
      {
        schoolId: by.schoolId,
        action: 'meeting.referred',
        entity: 'meeting',
        entityId: meetingId,
        before: { referred_to: before.referred_to, referral_safeguarding: Number(before.referral_safeguarding) },
        after: { referred_to: input.referred_to, referral_safeguarding: marked ? 1 : 0 },
      },
      ctx.now,
    );
    await alertStaff(
      trx,
      {
        schoolId: by.schoolId,
        staffIds: [input.referred_to],
        kind: 'referral',
        title: `${byName} referred a meeting to you: please read its record`,
        link: recordLink(meetingId),
        key: `referral:${meetingId}:${at}`,
      },
      ctx.now,
      ctx.baseUrl,
    );
    if (marked) await alertLeadsAboutPart(trx, by.schoolId, meetingId, 'referral', by.staffId, ctx.now, ctx.baseUrl);
  });
  return { ok: true, passedOn: marked };
}

/**
 * Mark a meeting's outcome or referral, already saved, as a safeguarding concern (compare-and-set:
 * once only), with the same alert as when it is ticked on its form. 'missing' when there is nothing
 * written to mark.
 */
export async function markPartSafeguarding(db: Db, by: RecordBy, meetingId: string, part: MarkedPart, ctx: { now: Date; baseUrl: string }): Promise<'marked' | 'already' | 'missing'> {
  const at = ctx.now.toISOString();
  return db.transaction().execute(async (trx) => {
    const q = trx.updateTable('meetings').where('id', '=', meetingId).where('school_id', '=', by.schoolId);
    const r =
      part === 'outcome'
        ? await q.set({ outcome_safeguarding: 1, outcome_marked_by: by.staffId, outcome_marked_at: at }).where('outcome_safeguarding', '=', 0).where('outcome', 'is not', null).executeTakeFirst()
        : await q
            .set({ referral_safeguarding: 1, referral_marked_by: by.staffId, referral_marked_at: at })
            .where('referral_safeguarding', '=', 0)
            .where('referral_note', 'is not', null)
            .executeTakeFirst();
    if (Number(r.numUpdatedRows) === 0) {
      const m = await trx.selectFrom('meetings').select(['outcome', 'referral_note']).where('id', '=', meetingId).where('school_id', '=', by.schoolId).executeTakeFirst();
      const written = part === 'outcome' ? m?.outcome : m?.referral_note;
      return written ? 'already' : 'missing';
    }
    await audit(
      trx,
      actorOf(by),
      { schoolId: by.schoolId, action: `meeting.${part}_marked_safeguarding`, entity: 'meeting', entityId: meetingId, before: { [`${part}_safeguarding`]: 0 }, after: { [`${part}_safeguarding`]: 1 } },
      ctx.now,
    );
    await alertLeadsAboutPart(trx, by.schoolId, meetingId, part, by.staffId, ctx.now, ctx.baseUrl);
    return 'marked';
  });
}

import type { CarerTable, LocalDate } from '../db/schema.ts';
import { markOwnActionDone, saveOwnProgress, type OwnAction } from '../features/meetings/carer-actions.ts';
import { reopenFamilyTick } from '../features/meetings/carer-actions-staff.ts';
import { addAction, markActionDone, markFollowUpKept, referMeeting, setOutcome, type RecordBy } from '../features/meetings/record-commands.ts';
import { recordNote } from '../features/meetings/record-notes.ts';
import { sendSummary } from '../features/meetings/record-summary.ts';
import { auditNoteViews, recordLink } from '../features/meetings/safeguarding.ts';
import { markAlertsSeen } from '../platform/alerts/alerts.ts';
import { BASE_URL, type DemoMeetings } from './meetings-context.ts';

/**
 * Writing up a meeting the demo says has happened, through the record's own functions, each at the
 * time it was done: the note typed just after, the agreed actions (what the school will do, what the
 * family will do), the outcome and follow-up date, the thank-you and summary sent the next day, then
 * whatever was done since (actions ticked off, a follow-up kept, a referral to a senior leader).
 */
export type ActionSpec = {
  /** 'carer': the family member at the meeting; otherwise a staff key from people.ts. */
  who: 'carer' | string;
  what: string;
  due: LocalDate;
  done?: Date;
  /** The family member marked it done themselves, from their meeting page, with how it is going. */
  doneByCarer?: { at: Date; note: string | null };
  /** The family member saved how it is going, without marking it done (yet). */
  progressByCarer?: { at: Date; note: string };
  /** Before that, the family member marked it done by mistake, and the meeting's lead changed it back. */
  mistakenTick?: { at: Date; changedBackAt: Date };
};

export type RecordSpec = {
  written: Date;
  note: string;
  actions: ActionSpec[];
  outcome: string;
  followUp: LocalDate | null;
  summary: Date;
  kept?: Date;
  refer?: { to: string; note: string; at: Date };
  /** A second note, marked as a safeguarding concern, and the DSL or deputies who have read it since. */
  concern?: { note: string; at: Date; readBy: { who: string; at: Date }[] };
};

/** "Mrs Begum", or the given name when the school has no title for them. */
export function carerName(c: CarerTable | undefined): string {
  if (!c) return 'the family';
  return `${c.title ?? c.given_name} ${c.family_name}`;
}

export async function writeRecord(demo: DemoMeetings, meetingId: string, leadId: string, carerId: string, spec: RecordSpec): Promise<void> {
  const { db, schoolId } = demo;
  const by: RecordBy = { staffId: leadId, schoolId };
  await recordNote(db, by, meetingId, { body: spec.note, safeguarding: 0 }, { now: spec.written, baseUrl: BASE_URL });
  if (spec.concern) {
    const concern = await recordNote(db, by, meetingId, { body: spec.concern.note, safeguarding: 1 }, { now: spec.concern.at, baseUrl: BASE_URL });
    for (const r of spec.concern.readBy) {
      const readerId = demo.staff(r.who);
      await auditNoteViews(db, { kind: 'staff', id: readerId, schoolId }, schoolId, meetingId, [concern.id], r.at);
      await markAlertsSeen(db, schoolId, readerId, recordLink(meetingId), r.at);
    }
  }
  const later: { id: string; done: Date }[] = [];
  const byFamily: { id: string; what: string; due: LocalDate; at: Date; note: string | null; done: boolean }[] = [];
  const mistaken: { id: string; what: string; due: LocalDate; at: Date; changedBackAt: Date }[] = [];
  for (const a of spec.actions) {
    const owner = a.who === 'carer' ? { kind: 'carer' as const, carerId } : { kind: 'school' as const, staffId: demo.staff(a.who) };
    const added = await addAction(db, by, meetingId, { owner, what: a.what, due_on: a.due }, spec.written);
    if (!added.ok) throw new Error(`A demo action was refused: ${added.message}`);
    if (a.done) later.push({ id: added.id, done: a.done });
    if (a.doneByCarer && a.who === 'carer') byFamily.push({ id: added.id, what: a.what, due: a.due, ...a.doneByCarer, done: true });
    if (a.progressByCarer && a.who === 'carer') byFamily.push({ id: added.id, what: a.what, due: a.due, ...a.progressByCarer, done: false });
    if (a.mistakenTick && a.who === 'carer') mistaken.push({ id: added.id, what: a.what, due: a.due, ...a.mistakenTick });
  }
  const outcome = await setOutcome(db, by, meetingId, { outcome: spec.outcome, follow_up_on: spec.followUp }, spec.written);
  if (!outcome.ok) throw new Error(`A demo outcome was refused: ${outcome.message}`);
  const sent = await sendSummary(db, by, meetingId, { now: spec.summary, baseUrl: BASE_URL, translator: null });
  if (!sent.ok) throw new Error(`A demo summary was refused: ${sent.message}`);
  if (spec.refer) {
    const referred = await referMeeting(db, by, meetingId, { referred_to: demo.staff(spec.refer.to), referral_note: spec.refer.note }, { now: spec.refer.at, baseUrl: BASE_URL });
    if (!referred.ok) throw new Error(`A demo referral was refused: ${referred.message}`);
  }
  for (const a of later.sort((x, y) => x.done.getTime() - y.done.getTime())) await markActionDone(db, by, meetingId, a.id, a.done);
  if (spec.kept) await markFollowUpKept(db, by, meetingId, spec.kept);
  const carer = { kind: 'carer' as const, id: carerId, schoolId };
  const fresh = (a: { id: string; what: string; due: LocalDate }): OwnAction => ({
    id: a.id,
    meeting_id: meetingId,
    what: a.what,
    due_on: a.due,
    done_at: null,
    done_by_carer_id: null,
    carer_note: null,
    carer_note_at: null,
  });
  for (const a of mistaken) {
    await markOwnActionDone(db, carer, fresh(a), null, { now: a.at, baseUrl: BASE_URL });
    if ((await reopenFamilyTick(db, by, meetingId, a.id, a.changedBackAt)) !== 'reopened') throw new Error('A demo tick could not be changed back');
  }
  for (const a of byFamily) {
    const action = fresh(a);
    if (a.done) await markOwnActionDone(db, carer, action, a.note, { now: a.at, baseUrl: BASE_URL });
    else await saveOwnProgress(db, carer, action, a.note!, a.at);
  }
}

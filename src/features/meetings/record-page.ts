import type { FastifyReply, FastifyRequest } from 'fastify';
import { DateTime } from 'luxon';
import { newId } from '../../platform/ids.ts';
import { UUID } from './meetings-forms.ts';
import type { Db } from '../../db/database.ts';
import { markAlertsSeen } from '../../platform/alerts/alerts.ts';
import type { StaffUser } from '../../platform/access/roles.ts';
import type { FieldErrors } from '../../platform/web/forms.ts';
import { followUpState } from './follow-ups.ts';
import { notStartedYet } from './record-timing.ts';
import { actionsOf, carersOf, leadersOf, noteReadings, notesFor, notesPassedOnBy, pupilOf, schoolPeople, staffNameOf, staffOf, type RecordMeeting } from './record-queries.ts';
import { readsSafeguarding, summaryText } from './record.ts';
import { summaryDraft } from './record-summary.ts';
import { auditNoteViews, auditPartViews, recordLink, type MarkedPart } from './safeguarding.ts';
import { safeguardingReadings } from '../../platform/safeguarding/safeguarding.ts';
import { OUTCOME_NOT_SENT } from './record-summary.ts';
import { absoluteLink } from '../../platform/web/links.ts';
import { supportSuggestionsFor } from '../community/index.ts';
import { passedByMe } from '../../platform/safeguarding/words.ts';

const V = 'features/meetings/views';

const formIdOr = (sent: unknown) => (typeof sent === 'string' && UUID.test(sent) ? sent : newId());

/** 2026-12-14 → 14/12/2026, the way the form asks for dates. */
const ukDate = (d: string) => `${d.slice(8, 10)}/${d.slice(5, 7)}/${d.slice(0, 4)}`;

/** `confirmFollowUp`: a follow-up date that drew a warning, offered for the person to confirm. */
export type PageExtra = { errors?: FieldErrors; values?: Record<string, unknown>; done?: string; confirmFollowUp?: string };

const KIND_LABELS: Record<RecordMeeting['kind'], string> = {
  appointment: 'Appointment',
  induction: 'Induction meeting',
  home_visit: 'Home visit',
  meet_the_teacher: 'Meet the teacher',
  progress: 'Progress meeting',
  parents_evening: 'Parents’ evening appointment',
};

/**
 * The record page. Reading it marks the reader's alerts for it seen; when the DSL or a deputy reads
 * it, each safeguarding note shown is audited as seen by them (on every reading, errors included),
 * and under each one they see who has read it, how often and when last.
 */
export type PageDeps = { db: Db; baseUrl: string; canTranslate: boolean };

export async function renderRecord({ db, baseUrl, canTranslate }: PageDeps, request: FastifyRequest, reply: FastifyReply, meeting: RecordMeeting, now: Date, extra: PageExtra = {}) {
  const user = request.user as StaffUser;
  const dsl = readsSafeguarding(user.roles);
  const today = request.scope.today;
  const [pupil, carers, staff, notes, actions, people, leaders, draft, referredTo, passedOn] = await Promise.all([
    pupilOf(db, meeting),
    carersOf(db, meeting),
    staffOf(db, meeting),
    notesFor(db, meeting, dsl),
    actionsOf(db, meeting),
    schoolPeople(db, meeting.school_id),
    leadersOf(db, meeting.school_id),
    summaryDraft(db, meeting.school_id, meeting.id, today),
    staffNameOf(db, meeting.school_id, meeting.referred_to),
    dsl ? [] : notesPassedOnBy(db, meeting, user.id),
  ]);
  const seen = notes.filter((n) => n.safeguarding === 1).map((n) => n.id);
  // The outcome and the referral marked as a safeguarding concern (0050): words for the DSL and deputies only.
  const marked = { outcome: Number(meeting.outcome_safeguarding) === 1, referral: Number(meeting.referral_safeguarding) === 1 && !!meeting.referral_note };
  const partsSeen = dsl ? (['outcome', 'referral'] as MarkedPart[]).filter((p) => marked[p]) : [];
  const actor = { kind: 'staff' as const, id: user.id, schoolId: user.schoolId, ip: request.ip };
  await Promise.all([
    markAlertsSeen(db, meeting.school_id, user.id, recordLink(meeting.id), now),
    auditNoteViews(db, actor, meeting.school_id, meeting.id, seen, now),
    auditPartViews(db, actor, meeting.school_id, meeting.id, partsSeen, now),
  ]);
  // Read after this reading is audited, so the list includes the person looking at it.
  const readings = await noteReadings(db, meeting.school_id, seen);
  const partReadings = Object.fromEntries(
    await Promise.all(partsSeen.map(async (p) => [p, (await safeguardingReadings(db, meeting.school_id, `meeting_${p}`, [meeting.id]))[meeting.id] ?? []] as const)),
  );
  // What someone who is not the DSL or a deputy sees of a marked part: who passed it on and when, never the words.
  const passedPart = (p: MarkedPart) =>
    marked[p] && !dsl
      ? { byMe: (p === 'outcome' ? meeting.outcome_marked_by : meeting.referral_marked_by) === user.id, at: p === 'outcome' ? meeting.outcome_marked_at : meeting.referral_marked_at }
      : null;
  const shown = { ...meeting, outcome: marked.outcome && !dsl ? null : meeting.outcome, referral_note: marked.referral && !dsl ? null : meeting.referral_note };
  // Local support the school keeps (features/community) whose words an agreed action mentions ("housing", "English classes").
  const support = await supportSuggestionsFor(
    db,
    meeting.school_id,
    actions.map((a) => a.what),
  );

  // A family's words on their action this member of staff has already passed to the DSL: when, instead of the link again (their own only).
  const progressPassed = await passedByMe(
    db,
    user,
    'family_progress',
    actions.filter((a) => a.owner_kind === 'carer').map((a) => ({ id: a.id, words: a.carer_note })),
  );
  const first = draft?.carers[0];
  const preview =
    draft && first && meeting.outcome && !marked.outcome
      ? summaryText(draft.summary, draft.actions, { id: first.id, name: first.name }, draft.school.name, absoluteLink(baseUrl, `/my-meetings/${meeting.id}`))
      : null;
  const summaryChanged = !!meeting.summary_version && !!draft && draft.version !== meeting.summary_version;
  const followUp = meeting.follow_up_on ? followUpState(meeting.follow_up_on, meeting.follow_up_done_at, today, today) : null;
  const outcomeValues = { outcome: shown.outcome ?? '', follow_up_on: meeting.follow_up_on ? ukDate(meeting.follow_up_on) : '' };
  // Before the meeting starts there is no outcome to record and no thank-you to send (record-timing.ts).
  const notStarted = notStartedYet(meeting.starts_at, now, request.school?.time_zone ?? 'Europe/London', 'outcome');

  return reply.code(extra.errors ? 400 : 200).page(`${V}/record-page.njk`, {
    title: `Record: ${meeting.topic}`,
    meeting: shown,
    marked,
    partReadings,
    outcomePassed: passedPart('outcome'),
    referralPassed: passedPart('referral'),
    outcomeNotSent: marked.outcome ? OUTCOME_NOT_SENT : null,
    kindLabel: KIND_LABELS[meeting.kind],
    // Each form's id: kept when the form comes back with an error, so a second press still saves once.
    noteId: formIdOr(extra.values?.note_id),
    actionId: formIdOr(extra.values?.action_id),
    // A date two weeks on, as the form's example: never one already past.
    exampleDate: ukDate(DateTime.fromISO(today).plus({ days: 14 }).toISODate()!),
    pupil,
    carers,
    staff,
    notes,
    readings,
    passedOn,
    dsl,
    // What the family said in a safeguarding note went through one of their own: the DSL is told to hear them again.
    heardThroughFamily: dsl && meeting.interpreter_by === 'family' && seen.length > 0 ? meeting.interpreter_language : null,
    actions: actions.map((a) => ({ ...a, state: followUpState(a.due_on, a.done_at, today, today) })),
    progressPassed,
    support,
    people,
    leaders: leaders.filter((l) => l.id !== user.id),
    referredTo,
    readers: draft?.carers ?? [],
    preview,
    summaryChanged,
    followUp,
    canTranslate,
    today,
    errors: extra.errors,
    values: { ...outcomeValues, ...(extra.values ?? {}) },
    done: extra.done,
    confirmFollowUp: extra.confirmFollowUp,
    notStarted,
  });
}

import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Db } from '../../db/database.ts';
import type { FeatureDeps } from '../../platform/deps.ts';
import type { CarerUser, StaffUser } from '../../platform/access/roles.ts';
import { staffWithRoles } from '../../platform/alerts/alerts.ts';
import { notFound } from '../../platform/errors.ts';
import type { FieldErrors } from '../../platform/web/forms.ts';
import { agendaOf, meetingCarersOf, meetingForCarer, meetingForStaff, meetingStaffChoices, meetingStaffOf, offersOf, prepHelpersFor, pupilOf, safetyPlanOf, type Meeting } from './meetings-queries.ts';
import { canAddToAgenda, canCancel, canOffer, INTERPRETER_BY_LABELS, KIND_LABELS, LENGTHS, MODE_LABELS, PRESENCE_LABELS, STAFF_ROLE_LABELS, STATUS_LABELS, whereText } from './meetings-rules.ts';
import type { SendOptions, StaffActor } from './meetings-schedule.ts';
import type { CarerActor } from './requests.ts';
import { actionsOf } from './record-queries.ts';
import { carerError, carerErrors, carerLabels, childFor, whereForCarer } from './carer-words.ts';
import { languageName } from '../../platform/i18n/names.ts';
import { schoolCalendar } from '../../platform/calendar/calendar-queries.ts';
import { agendaPostOf } from './agenda-post.ts';
import { CARER_NOTE_MAX, ownActionsOf } from './carer-actions.ts';
import { reopenedByStaffOf } from './carer-actions-queries.ts';
import { localDate } from '../../platform/calendar/time.ts';
import { bannedFromPremises } from '../conduct/index.ts';
import { passedByMe } from '../../platform/safeguarding/words.ts';

export const V = 'features/meetings/views';

/** Now, and the address links in emails start with (always the configured one, never the request's Host). */
export function sendOptions(deps: FeatureDeps, _request: FastifyRequest): SendOptions {
  return { now: deps.clock(), baseUrl: deps.config.baseUrl };
}

export function staffActor(request: FastifyRequest): StaffActor {
  const user = request.user as StaffUser;
  return { kind: 'staff', id: user.id, schoolId: user.schoolId, ip: request.ip };
}

export function carerActor(request: FastifyRequest): CarerActor {
  const user = request.user as CarerUser;
  return { kind: 'carer', id: user.id, schoolId: user.schoolId, ip: request.ip };
}

/** The meeting in the URL, when this member of staff may see it; 404 otherwise (never 403). */
export async function staffMeeting(db: Db, request: FastifyRequest): Promise<Meeting> {
  const { meetingId } = request.params as { meetingId: string };
  const meeting = await meetingForStaff(db, request.user as StaffUser, request.scope, meetingId);
  if (!meeting) throw notFound();
  return meeting;
}

/** The meeting in the URL, when this carer is on it and may still hear about its child; 404 otherwise. */
export async function carerMeeting(db: Db, request: FastifyRequest): Promise<Meeting> {
  const { meetingId } = request.params as { meetingId: string };
  const meeting = await meetingForCarer(db, request.user as CarerUser, request.scope, meetingId);
  if (!meeting) throw notFound();
  return meeting;
}

export type FormState = { errors?: FieldErrors; values?: Record<string, unknown>; problem?: string; done?: string };

const labels = { kinds: KIND_LABELS, modes: MODE_LABELS, statuses: STATUS_LABELS, roles: STAFF_ROLE_LABELS, presence: PRESENCE_LABELS, interpreters: INTERPRETER_BY_LABELS };

/** The staff meeting page: details, who is coming, agenda and questions, times, safety-plan status. */
export async function renderStaffMeeting(db: Db, request: FastifyRequest, reply: FastifyReply, meeting: Meeting, state: FormState = {}) {
  const user = request.user as StaffUser;
  const [pupil, staff, carers, agenda, offers, plan, choices, liaisonOfficers] = await Promise.all([
    pupilOf(db, user.schoolId, meeting.pupil_id),
    meetingStaffOf(db, meeting.id),
    meetingCarersOf(db, meeting.id),
    agendaOf(db, meeting.id),
    offersOf(db, meeting.id),
    safetyPlanOf(db, meeting.id),
    meetingStaffChoices(db, user.schoolId),
    staffWithRoles(db, user.schoolId, ['family_liaison']),
  ]);
  const timeZone = request.school?.time_zone ?? 'Europe/London';
  const agendaPost = canAddToAgenda(meeting.status)
    ? await agendaPostOf(
        db,
        meeting,
        agenda,
        carers.some((c) => c.email),
        await schoolCalendar(db, user.schoolId),
        timeZone,
        request.scope.today,
      )
    : null;
  // Offering times: family members banned from the premises today (features/conduct) are named beside the form.
  const banned = canOffer(meeting.status)
    ? await bannedFromPremises(
        db,
        user.schoolId,
        carers.map((c) => c.id),
        request.scope.today,
      )
    : new Set<string>();
  // Words this member of staff has already passed to the DSL from here: when, instead of the link again (their own only).
  const questions = agenda.filter((a) => a.kind === 'carer');
  const passed = await passedByMe(
    db,
    user,
    'agenda_question',
    questions.map((q) => ({ id: q.id, words: q.text })),
  );
  const lead = staff.find((s) => s.role === 'lead');
  const values = { lead_id: lead?.id ?? user.id, minutes: '30', mode: meeting.mode, place: meeting.place ?? '', video_link: meeting.video_link ?? '', ...state.values };
  return reply.code(state.errors || state.problem ? (state.problem ? 409 : 400) : 200).page(`${V}/meeting.njk`, {
    title: `${KIND_LABELS[meeting.kind]}: ${pupil ? `${pupil.given_name} ${pupil.family_name}` : meeting.topic}`,
    meeting,
    pupil,
    staff,
    carers,
    items: agenda.filter((a) => a.kind === 'staff'),
    questions,
    passed,
    agendaPost,
    offers,
    plan,
    where: whereText(meeting),
    choices,
    lengths: LENGTHS,
    // Offer to invite the family liaison officer while one of them is not part of it yet.
    bannedNames: carers.filter((c) => banned.has(c.id)).map((c) => `${c.given_name} ${c.family_name}`),
    // A ban starting by an offered day (not yet today) is found at the submit: the box to confirm is offered then too.
    banRefused: Boolean(state.errors?.mode?.includes('banned from the school premises')),
    canInviteLiaison: liaisonOfficers.some((id) => !staff.some((s) => s.id === id)),
    can: { offer: canOffer(meeting.status), agenda: canAddToAgenda(meeting.status), cancel: canCancel(meeting.status), record: meeting.status === 'scheduled' || meeting.status === 'held' },
    labels,
    errors: state.errors,
    values,
    problem: state.problem,
    done: state.done ?? (request.query as { done?: string }).done,
    backLink: '/meetings',
  });
}

/** The family's meeting page: never the safety plan, never a note; the summary once it is sent. */
export async function renderCarerMeeting(db: Db, request: FastifyRequest, reply: FastifyReply, meeting: Meeting, state: FormState = {}) {
  const user = request.user as CarerUser;
  const [pupil, staff, carers, agenda, offers, helpers, actions, mine] = await Promise.all([
    pupilOf(db, user.schoolId, meeting.pupil_id),
    meetingStaffOf(db, meeting.id),
    meetingCarersOf(db, meeting.id),
    agendaOf(db, meeting.id),
    offersOf(db, meeting.id),
    prepHelpersFor(db, user.schoolId, meeting.pupil_id),
    meeting.summary_sent_at ? actionsOf(db, meeting) : Promise.resolve([]),
    // Their own actions, to mark done or not done yet (carer-actions.ts): none while a restriction stops the summary.
    ownActionsOf(db, user, meeting, request.scope.today),
  ]);
  const markable = new Set(mine.map((a) => a.id));
  // An open one a member of staff changed back from the family's tick says who and when, till they tick it again.
  const reopened = await reopenedByStaffOf(
    db,
    user.schoolId,
    mine.filter((a) => !a.done_at).map((a) => a.id),
  );
  const timeZone = request.school?.time_zone ?? 'Europe/London';
  const me = carers.find((c) => c.id === user.id);
  // Families see who leads, the family liaison officer and whoever helps them prepare; not who else is on standby.
  const withThem = staff.filter((s) => s.role === 'lead' || s.role === 'liaison' || s.role === 'preparer').map((s) => ({ name: s.name, role: s.role }));
  const t = request.text;
  const reopenedNote = (id: string) => {
    const r = reopened.get(id);
    return r ? { by: r.by ?? t('meetings.theSchool'), on: localDate(new Date(r.at), timeZone) } : null;
  };
  return reply.code(state.errors || state.problem ? (state.problem ? 409 : 400) : 200).page(`${V}/my-meeting.njk`, {
    title: t('meetings.page.title', { child: childFor(pupil, t) }),
    meeting: {
      id: meeting.id,
      kind: meeting.kind,
      status: meeting.status,
      topic: meeting.topic,
      mode: meeting.mode,
      starts_at: meeting.starts_at,
      ends_at: meeting.ends_at,
      interpreter_language: meeting.interpreter_language ? languageName(t.code, meeting.interpreter_language) : null,
      preferred_times: meeting.preferred_times,
      // An outcome marked as a safeguarding concern is never the family's to read, even if a summary went before it was marked.
      outcome: meeting.summary_sent_at && Number(meeting.outcome_safeguarding) !== 1 ? meeting.outcome : null,
      follow_up_on: meeting.summary_sent_at ? meeting.follow_up_on : null,
      summary_sent_at: meeting.summary_sent_at,
    },
    child: childFor(pupil, t),
    where: whereForCarer(meeting, t),
    withThem,
    agenda: agenda.map((a) => ({ text: a.text, mine: a.kind === 'carer' && a.addedById === user.id, by: a.kind === 'carer' ? a.by : t('meetings.theSchool') })),
    offers: meeting.status === 'offered' ? offers : [],
    helpers: helpers.map((h) => ({
      id: h.id,
      name: h.name,
      // Why they are offered, drawn with tNamed in the page: the child's name is isolated.
      why: { key: h.why === 'class_teacher' ? 'meetings.helper.classTeacher' : h.why === 'senco' ? 'meetings.helper.senco' : 'meetings.role.liaison', child: h.child ?? '' },
    })),
    helper: me?.helper_name ?? null,
    // "You" for the carer's own actions; an action of someone no longer on the staff is the school's.
    // Their own actions are in "What you said you would do" below the table, each with its form.
    actions: actions
      .filter((a) => !markable.has(a.id))
      .map((a) => ({
        who: a.owner_kind === 'carer' && a.carer_id === user.id ? t('meetings.you') : a.owner_kind === 'school' && !a.staff_family_name ? t('meetings.theSchool') : a.ownerName,
        what: a.what,
        due_on: a.due_on,
        // Kept or not: a family sees what has been done, and a date that has passed.
        state: a.done_at ? ('done' as const) : a.due_on < request.scope.today ? ('late' as const) : null,
      })),
    mine: mine.map((a) => ({
      id: a.id,
      what: a.what,
      due_on: a.due_on,
      late: !a.done_at && a.due_on < request.scope.today,
      done_at: a.done_at,
      // Only their own marking can be undone here; one the school made stays.
      doneByMe: !!a.done_at && a.done_by_carer_id === user.id,
      note: a.carer_note,
      // Their latest words on how it is going, and when (a note from before 0044 is dated by its tick).
      noteAt: a.carer_note ? (a.carer_note_at ?? a.done_at) : null,
      reopened: reopenedNote(a.id),
    })),
    noteMax: CARER_NOTE_MAX,
    can: {
      agenda: canAddToAgenda(meeting.status),
      prepare: canAddToAgenda(meeting.status) && !me?.helper_name && helpers.length > 0,
      calendar: !!meeting.starts_at && meeting.status !== 'requested' && meeting.status !== 'offered',
    },
    labels: carerLabels(t),
    errors: carerErrors(state.errors, t),
    values: state.values ?? {},
    problem: state.problem && carerError(state.problem, t),
    done: state.done ?? (request.query as { done?: string }).done,
    backLink: '/my-meetings',
  });
}

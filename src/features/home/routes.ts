import type { FastifyInstance } from 'fastify';
import type { FeatureDeps } from '../../platform/deps.ts';
import { anyone } from '../../platform/access/policy.ts';
import { pupilsCarerMayHearAbout } from '../../platform/access/hear.ts';
import { can, hasAnyRole, pupilReach, type CarerUser, type StaffUser } from '../../platform/access/roles.ts';
import { unseenAlerts } from '../../platform/alerts/alerts.ts';
import { childrenOfCarer, classesTaughtBy, contactDetailsOf } from '../people/index.ts';
import { languageName } from '../../platform/i18n/names.ts';
import { dateIn, weekdayInstantIn } from '../../platform/i18n/dates.ts';
import { carerActionsOf, familyFollowUpsOf, followUpsOf, overdueInSchool, schoolCalendar } from '../meetings/index.ts';
import { localDate } from '../../platform/calendar/time.ts';
import { notReachedCount } from '../messages/index.ts';
import { complaintDatesFor, concernsForCarerHome, earlyWarningsFor } from '../concerns/index.ts';
import { TERM_DATE_KEEPERS, termsRunningOut } from '../term-dates/index.ts';
import { reviewsDue as conductReviewsDue } from '../conduct/index.ts';
import { agreementReviewReminder } from '../agreements/index.ts';
import { belongingToDo, COMMUNITY_LEADS, keyWorkerOf } from '../community/index.ts';
import { openConsultationsForCarer, policyReviewsDue } from '../consultations/index.ts';
import { requestsDue } from '../subject-access/index.ts';
import { appointmentsOf, schoolFigures, unreadMessages } from './queries.ts';
import { passedByMe } from '../../platform/safeguarding/words.ts';
import { attendanceOfCarersChildren } from '../attendance/index.ts';

const V = 'features/home/views';

/** Home: signed-out people go to sign in; staff see their day; carers see their children. */
export function homeRoutes(app: FastifyInstance, deps: FeatureDeps): void {
  const { db, clock } = deps;

  app.get('/', { config: { policy: anyone } }, async (request, reply) => {
    const user = request.user;
    if (!user) return reply.redirect('/sign-in', 303);
    const today = request.scope.today;
    if (user.kind === 'carer') {
      const carer: CarerUser = user;
      const [children, me, unread, appointments, concerns, consultations, keyWorker, actions, attendance] = await Promise.all([
        childrenOfCarer(db, carer, request.scope, carer.id),
        // Read with the session when signed in (platform/auth/sessions.ts): no second read of the carer.
        carer.contact ?? contactDetailsOf(db, carer.schoolId, carer.id),
        unreadMessages(db, carer.id),
        appointmentsOf(db, carer.id, carer.schoolId, clock(), today),
        concernsForCarerHome(db, carer, today),
        openConsultationsForCarer(db, carer, today),
        // Who the family's key worker is (features/community), so they know who to turn to.
        keyWorkerOf(db, carer.schoolId, carer.id),
        // What the carer agreed to do at a meeting (features/meetings), still open.
        carerActionsOf(db, carer.schoolId, carer.id),
        // Each child's latest attendance, one query for them all, only where the carer may hear about the child (features/attendance).
        attendanceOfCarersChildren(db, { schoolId: carer.schoolId, carerId: carer.id, today }),
      ]);
      // Nothing about a child this carer may not hear about (platform/access/hear.ts): meetings about their
      // children (portal), parents' evening appointments only while they may book for the child (booking).
      const childName = new Map(children.map((c) => [c.id, c.preferred_name || c.given_name]));
      const eveningPupils = appointments.filter((a) => a.kind === 'evening' && a.pupil_id).map((a) => a.pupil_id!);
      const actionPupils = [...new Set(actions.flatMap((a) => (a.pupil_id ? [a.pupil_id] : [])))];
      const [mayBook, maySee] = await Promise.all([
        pupilsCarerMayHearAbout(db, { schoolId: carer.schoolId, carerId: carer.id, pupilIds: eveningPupils, purpose: 'booking', today }),
        // Their own actions are part of the meeting's summary: shown while they may still hear it.
        actionPupils.length > 0 ? pupilsCarerMayHearAbout(db, { schoolId: carer.schoolId, carerId: carer.id, pupilIds: actionPupils, purpose: 'meeting_summary', today }) : new Set<string>(),
      ]);
      const shown = (a: (typeof appointments)[number]) => !a.pupil_id || (childName.has(a.pupil_id) && (a.kind !== 'evening' || mayBook.has(a.pupil_id)));
      return reply.page(`${V}/carer-home.njk`, {
        title: request.text('home.title'),
        children: children.map((c) => {
          const a = attendance.get(c.id);
          return { ...c, attendance: a ? { share: a.share, asOf: dateIn(request.text.code, a.asOf), low: a.band !== 'ok', teacher: a.teacher } : null };
        }),
        me,
        languageShown: languageName(request.text.code, me?.preferred_language),
        unread,
        concerns,
        consultations,
        keyWorker: keyWorker ? { name: keyWorker.name } : null,
        // A parents' evening may run over two days: its time says the weekday, as its emails do.
        // A held meeting is here for its follow-up date: under its own heading, not among the appointments.
        ...appointmentsAndFollowUps(
          appointments.filter(shown).map((a) => ({
            ...a,
            child: a.pupil_id ? childName.get(a.pupil_id) : null,
            when: a.kind === 'evening' ? weekdayInstantIn(request.text.code, a.starts_at, request.school?.time_zone ?? 'Europe/London') : null,
          })),
        ),
        actions: actions
          .filter((a) => !a.pupil_id || (childName.has(a.pupil_id) && maySee.has(a.pupil_id)))
          .map((a) => ({ id: a.id, meetingId: a.meeting_id, what: a.what, due_on: a.due_on, late: a.due_on < today, child: a.pupil_id ? childName.get(a.pupil_id) : null })),
        today,
      });
    }
    const staffUser: StaffUser = user;
    const reach = pupilReach(staffUser, request.scope.teachersSeeAllPupils);
    const isHead = staffUser.roles.includes('head');
    const [classes, figures, alerts, calendar, schoolOverdue, notReached, warnings, reviewsDue, agreementReview, conductReviews, belonging] = await Promise.all([
      classesTaughtBy(db, staffUser.id),
      reach === 'school' ? schoolFigures(db, staffUser.schoolId) : null,
      unseenAlerts(db, staffUser.schoolId, staffUser.id),
      schoolCalendar(db, staffUser.schoolId),
      isHead ? overdueInSchool(db, staffUser.schoolId, today) : null,
      // The family liaison officer (and others who reach families) sees how many are waiting for them.
      can(staffUser, 'readReach') ? notReachedCount(db, staffUser.schoolId, { now: clock(), today, timeZone: request.school?.time_zone ?? 'Europe/London' }) : null,
      // Before a concern becomes a complaint: the head's early warning (features/concerns).
      isHead ? earlyWarningsFor(db, staffUser.schoolId, today) : null,
      // Policy reviews this person owns, due soon or overdue (statutory yearly ones first).
      policyReviewsDue(db, staffUser, today),
      // The governors' yearly review of the home-school agreement, when due (features/agreements).
      isHead ? agreementReviewReminder(db, staffUser.schoolId, today) : null,
      // Arrangements about a carer's behaviour (and closed complaints) to review by their date (features/conduct).
      isHead ? conductReviewsDue(db, staffUser.schoolId, today) : null,
      // Buddy check-ins due and newcomers waiting for a buddy family, for those who lead belonging (features/community).
      staffUser.roles.some((r) => COMMUNITY_LEADS.includes(r)) ? belongingToDo(db, staffUser.schoolId, today) : null,
    ]);
    const [followUps, family, complaintDates, accessRequests] = await Promise.all([
      followUpsOf(db, staffUser.schoolId, staffUser.id, today, calendar),
      // What the families of the meetings they lead said they would do: overdue, open, or done (features/meetings).
      familyFollowUpsOf(db, staffUser.schoolId, staffUser.id, today, calendar),
      // Formal complaints they work on whose date has passed or comes within five school days (features/concerns).
      complaintDatesFor(db, staffUser, today),
      // Subject access and education record requests overdue or due within the week: the head's and the office's (features/subject-access).
      hasAnyRole(staffUser, ['head', 'office']) ? requestsDue(db, staffUser.schoolId, today) : null,
    ]);
    // "Done — marked by Marta Nowak on 12 November": the school's date of the tick and of the note.
    const timeZone = request.school?.time_zone ?? 'Europe/London';
    const onDay = (at: string | null) => (at ? localDate(new Date(at), timeZone) : null);
    const familyFollowUps = family.map((f) => ({ ...f, doneOn: onDay(f.doneAt), noteOn: onDay(f.noteAt) }));
    // A family's words this member of staff has already passed to the DSL: when, instead of the link again (their own only).
    const progressPassed = await passedByMe(db, staffUser, 'family_progress', [
      ...family.map((f) => ({ id: f.actionId, words: f.note })),
      ...(schoolOverdue ?? []).flatMap((f) => (f.family ? [{ id: f.family.actionId, words: f.family.note }] : [])),
    ]);
    return reply.page(`${V}/staff-home.njk`, {
      title: 'Home',
      classes,
      figures,
      reach,
      agreementReview,
      alerts,
      followUps,
      familyFollowUps,
      progressPassed,
      today,
      schoolOverdue: schoolOverdue?.map((f) => (f.family ? { ...f, family: { ...f.family, noteOn: onDay(f.family.noteAt) } } : f)),
      notReached,
      warnings,
      complaintDates,
      accessRequests: accessRequests && accessRequests.overdue + accessRequests.thisWeek > 0 ? accessRequests : null,
      // The last term entered ends within six weeks (or none is entered): school-day deadlines stop there (features/term-dates).
      termsRunOutOn: hasAnyRole(staffUser, TERM_DATE_KEEPERS) ? termsRunningOut(calendar.terms, today) : null,
      reviewsDue,
      conductReviews,
      belonging,
      canImport: can(staffUser, 'importRecords'),
      canAudit: can(staffUser, 'readAudit'),
      canMonitor: request.mayOpen('/monitoring'),
    });
  });
}

/** Appointments to come, and held meetings whose follow-up date is still to come (their own heading on the page). */
function appointmentsAndFollowUps<A extends { kind: string; status: string }>(all: A[]): { appointments: A[]; followUps: A[] } {
  const isFollowUp = (a: A) => a.kind === 'meeting' && a.status === 'held';
  return { appointments: all.filter((a) => !isFollowUp(a)), followUps: all.filter(isFollowUp) };
}

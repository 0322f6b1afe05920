// The concerns feature's public face: what other features may use.
import type { Db } from '../../db/database.ts';
import type { LocalDate } from '../../db/schema.ts';
import { overdueInSchool, schoolCalendar } from '../meetings/index.ts';
import { childrenOfCarers, currentTerm, earlyWarnings, warningConcerns, type EarlyWarnings } from './early-warning.ts';
import { complaintsForStaff, settingsFor } from './complaints/queries.ts';
import { datesToWatch } from './complaints/overdue.ts';
import type { StaffRole } from '../../db/schema.ts';
import { concernsOfCarer, fullName } from './queries.ts';

export { concernRoutes } from './routes.ts';
export { carerConcernRoutes } from './carer-routes.ts';
export { complaintRoutes } from './complaints/routes.ts';
export { carerComplaintRoutes } from './complaints/carer-routes.ts';
export { publicComplaintRoutes } from './complaints/public-routes.ts';
export type { EarlyWarnings } from './early-warning.ts';
// Letters about a carer themselves in their language (the conduct feature's, wired in src/app.ts).
export { lettersAboutCarer } from './notify.ts';

/** The head's early warning: repeated concerns this term, concerns past their due date or their first reply's, families with an overdue follow-up too. */
export async function earlyWarningsFor(db: Db, schoolId: string, today: LocalDate): Promise<EarlyWarnings> {
  const calendar = await schoolCalendar(db, schoolId);
  const term = currentTerm(calendar, today);
  const [concerns, followUps] = await Promise.all([warningConcerns(db, schoolId, term?.starts_on ?? null, calendar), overdueInSchool(db, schoolId, today)]);
  // The school's own lateness only: a family's overdue action is not a follow-up the school owes them.
  const meetingFollowUps = followUps.filter((f) => f.kind !== 'family_action');
  const families = meetingFollowUps.length
    ? await childrenOfCarers(
        db,
        schoolId,
        concerns.map((c) => c.carerId),
      )
    : new Map<string, Set<string>>();
  return earlyWarnings(concerns, meetingFollowUps, families, term, today);
}

/** A carer's concerns for their home page (only about children they may hear about). */
export async function concernsForCarerHome(db: Db, carer: { id: string; schoolId: string }, today: LocalDate) {
  return (await concernsOfCarer(db, carer, today)).slice(0, 10);
}

/** The school's own time limits in school days, from its complaints procedure (for the governors' figures). */
export async function complaintLimitsFor(db: Db, schoolId: string): Promise<{ acknowledge: number; respond: number }> {
  const { limits } = await settingsFor(db, schoolId);
  return { acknowledge: limits.acknowledge, respond: limits.respond };
}

/**
 * For a member of staff's home page: the dates of the formal complaints they work on (as lead,
 * investigating officer, panel or clerk; the head sees every one they may open) that are overdue or
 * due within five school days, the most urgent first.
 */
export async function complaintDatesFor(db: Db, user: { id: string; schoolId: string; roles: readonly StaffRole[] }, today: LocalDate) {
  const [complaints, settings, calendar] = await Promise.all([complaintsForStaff(db, user), settingsFor(db, user.schoolId), schoolCalendar(db, user.schoolId)]);
  return datesToWatch(complaints, calendar, settings.limits, today).map((c) => ({
    id: c.id,
    about: c.given_name ? fullName({ given_name: c.given_name, preferred_name: c.preferred_name, family_name: c.family_name! }) : null,
    from: c.public_name,
    stage: c.stage,
    waitingOn: c.waitingOn,
    dueOn: c.deadline.dueOn,
    daysOverdue: c.deadline.daysOverdue,
  }));
}

// Retention (features/retention): complaint files closed before a cut-off, counted and erased.
export { closedComplaintsDue, eraseClosedComplaints } from './complaints/erase.ts';

import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Db } from '../../../db/database.ts';
import type { StaffUser } from '../../../platform/access/roles.ts';
import { audit } from '../../../platform/audit/audit.ts';
import { markAlertsSeen } from '../../../platform/alerts/alerts.ts';
import type { PageErrors } from '../../../platform/web/forms.ts';
import { staffNameOf } from '../queries.ts';
import { caseTitle, complainantOf } from './complainant.ts';
import { SLIPPABLE } from './case.ts';
import type { CaseRole } from './case-team.ts';
import { panelGaps } from './independence.ts';
import { papersDueBy, papersOf } from './papers.ts';
import { overdueWords, stageDeadline } from './overdue.ts';
import { schoolCalendar } from '../../../platform/calendar/calendar-queries.ts';
import { ENTRY_LABELS, RAISED_HOW } from '../concerns.ts';
import { complaintLink } from './links.ts';
import { eventsOf, letterOf, staffChoices, type OpenedComplaint } from './queries.ts';
import { OUTCOME_LABELS, readReport, REPORT_POINTS } from './report.ts';
import { WHO_MAY_COMPLAIN } from './settings.ts';

const V = 'features/concerns/complaints/views';
export type PageExtra = { errors?: PageErrors; values?: Record<string, unknown>; done?: string; form?: string };
export const STATUS_LABELS = {
  open: 'Being investigated',
  declined: 'Declined (made too late)',
  answered: 'Answered at stage 1',
  panel: 'With the governors’ panel',
  closed: 'Closed: the procedure has finished',
};
/** A person's part in the case, in the words the rest of the complaints pages use. */
export const ROLE_LABELS: Record<CaseRole, string> = {
  lead: 'Leading the complaint (you appoint the case team and send the letters)',
  officer: 'Investigating officer',
  panel: 'Panel member',
  clerk: 'Clerk to the governors',
};
export const EVENT_LABELS = {
  refused: 'Refused by Gatepost',
  appointed: 'Appointed',
  named: 'Named in the complaint',
  slip: 'A date moved',
  late_accepted: 'Accepted although late',
  late_declined: 'Declined as late',
  interview: 'Interview',
  document: 'Document',
  stage_2: 'Stage 2',
  report_issued: 'Report issued',
  letter_sent: 'Letter sent',
  letter_printed: 'Letter printed',
  interest: 'Interest declared',
  taken_on: 'Taken on from the public form',
};

/** Everything the case team needs, for one of them; every viewing is audited. */
export async function caseData(db: Db, request: FastifyRequest, opened: OpenedComplaint, now: Date, action: string) {
  const user = request.user as StaffUser;
  const { complaint, settings, people } = opened;
  const s = complaint.school_id;
  const [who, officer, loggedBy, events, letter, staff, papers, papersDue, calendar] = await Promise.all([
    complainantOf(db, complaint),
    staffNameOf(db, s, complaint.officer_id),
    complaint.made_by_kind === 'staff' ? staffNameOf(db, s, complaint.made_by_staff) : Promise.resolve(null),
    eventsOf(db, s, complaint.id),
    letterOf(db, s, complaint.id, complaint.stage),
    staffChoices(db, s),
    papersOf(db, s, complaint.id),
    complaint.stage === 'stage_2' ? papersDueBy(db, opened) : Promise.resolve(null),
    schoolCalendar(db, s),
  ]);
  const due = stageDeadline(complaint, calendar, settings.limits, request.scope.today);
  await audit(db, { kind: 'staff', id: user.id, schoolId: user.schoolId, ip: request.ip }, { schoolId: s, action, entity: 'complaint', entityId: complaint.id, after: { role: opened.role } }, now);
  await markAlertsSeen(db, s, user.id, complaintLink(complaint.id), now);
  const panel = people.filter((p) => p.role === 'panel');
  return {
    complaint,
    role: opened.role,
    roleLabel: ROLE_LABELS[opened.role],
    settings,
    whoMayComplain: WHO_MAY_COMPLAIN[settings.schoolType],
    pupil: who.pupil,
    caseTitle: caseTitle(who),
    complainantName: who.name,
    fromPublic: who.kind === 'public',
    // Who made it, in the concern page's words (views/raised-by.njk): on Gatepost, or logged by staff; the public form's taken on by the head.
    madeBy:
      who.kind === 'public'
        ? { name: who.name, email: who.email, how: 'on the public form' }
        : { name: who.name, how: complaint.made_by_kind === 'carer' ? RAISED_HOW.portal : null, loggedBy, startedAsConcern: complaint.direct !== 1 },
    officer,
    named: people.filter((p) => p.role === 'named'),
    panel,
    panelGaps:
      complaint.stage === 'stage_2'
        ? panelGaps(
            panel.map((p) => ({ id: p.staff_id, independent: p.independent === 1 })),
            settings.schoolType,
          )
        : [],
    entries: who.words,
    entryLabels: ENTRY_LABELS,
    /** The date the current stage waits on, with a red tag's words when it has passed. */
    stageDue: due ? { ...due, overdue: due.daysOverdue > 0 ? overdueWords(due.daysOverdue) : null } : null,
    wordsMarked: who.wordsMarked,
    events,
    letter,
    staff,
    papers,
    papersDue,
    report: readReport(complaint.report_json),
    points: REPORT_POINTS,
    outcomes: OUTCOME_LABELS,
    statusLabels: STATUS_LABELS,
    eventLabels: EVENT_LABELS,
    slippable: Object.entries(SLIPPABLE),
  };
}

export async function renderComplaint(db: Db, request: FastifyRequest, reply: FastifyReply, opened: OpenedComplaint, now: Date, extra: PageExtra = {}) {
  const data = await caseData(db, request, opened, now, 'complaint.viewed');
  const lead = opened.role === 'lead';
  const investigator = opened.role === 'officer' || lead;
  return reply.code(extra.errors ? 400 : 200).page(`${V}/complaint.njk`, {
    title: data.pupil ? `Formal complaint about ${data.pupil.name}` : `Formal complaint from ${data.caseTitle}`,
    backLink: '/complaints',
    ...data,
    lead,
    investigator,
    today: request.scope.today,
    errors: extra.errors,
    values: { ...(extra.form === 'report' ? {} : data.report), ...(extra.values ?? {}) },
    form: extra.form,
    done: extra.done,
  });
}

import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Db } from '../../db/database.ts';
import { markAlertsSeen } from '../../platform/alerts/alerts.ts';
import type { StaffUser } from '../../platform/access/roles.ts';
import { safeguardingReadings } from '../../platform/safeguarding/safeguarding.ts';
import type { FieldErrors } from '../../platform/web/forms.ts';
import { CATEGORY_LABELS, CONTACT_BY_LABELS, CONTACT_HOW_LABELS, ENTRY_LABELS, MAX_DUE_SCHOOL_DAYS, RAISED_HOW, replyBy, replyState, STATUS_LABELS } from './concerns.ts';
import { schoolCalendar } from '../../platform/calendar/calendar-queries.ts';
import { carerOf, entriesOf, fullName, hasReplied, possibleOwners, pupilOf, safeguardingCount, staffNameOf, type OpenedConcern } from './queries.ts';
import { auditEntryViews, concernLink } from './safeguarding.ts';
import { complaintOf } from './escalate.ts';
import { mayEscalate } from './complaint-timeline.ts';
import { complaintForStaff } from './complaints/queries.ts';

const V = 'features/concerns/views';

export type PageExtra = { errors?: FieldErrors; values?: Record<string, unknown>; done?: string; form?: string };

/**
 * A concern, for the staff who may open it. Reading it marks the reader's alerts for it seen; the
 * DSL and deputies see the safeguarding entries, each reading audited, with who has read each;
 * everyone else sees that some words were passed to the DSL, never the words.
 */
export async function renderConcern(db: Db, request: FastifyRequest, reply: FastifyReply, opened: OpenedConcern, now: Date, extra: PageExtra = {}) {
  const user = request.user as StaffUser;
  const { concern, dsl } = opened;
  const [pupil, carer, ownerName, loggedBy, entries, hidden, owners, complaint, calendar, replied] = await Promise.all([
    pupilOf(db, concern.school_id, concern.pupil_id),
    carerOf(db, concern.school_id, concern.carer_id),
    staffNameOf(db, concern.school_id, concern.owner_id),
    staffNameOf(db, concern.school_id, concern.logged_by),
    entriesOf(db, concern, dsl),
    dsl ? 0 : safeguardingCount(db, concern),
    opened.mayTriage ? possibleOwners(db, concern.school_id) : [],
    opened.mayTriage ? complaintOf(db, concern) : undefined,
    schoolCalendar(db, concern.school_id),
    hasReplied(db, concern),
  ]);
  const firstReplyBy = replyBy(calendar, concern.raised_on);
  // The complaint itself is for its case team only (complaints/case-team.ts): others see that one was made.
  const caseTeam = complaint ? !!(await complaintForStaff(db, user, complaint.id)) : false;
  const seen = entries.filter((e) => e.safeguarding === 1).map((e) => e.id);
  await Promise.all([
    markAlertsSeen(db, concern.school_id, user.id, concernLink(concern.id), now),
    auditEntryViews(db, { kind: 'staff', id: user.id, schoolId: user.schoolId, ip: request.ip }, concern.school_id, concern.id, seen, now),
  ]);
  const readings = await safeguardingReadings(db, concern.school_id, 'concern_entry', seen);
  const values = { owner: concern.owner_id ?? '', category: concern.category ?? '', school_days: '', ...(extra.values ?? {}) };
  return reply.code(extra.errors ? 400 : 200).page(`${V}/concern.njk`, {
    title: `Concern about ${fullName(pupil)}`,
    backLink: '/concerns',
    concern,
    pupil: { ...pupil, name: fullName(pupil) },
    carerName: carer ? `${carer.given_name} ${carer.family_name}` : 'A parent or carer',
    ownerName,
    loggedBy,
    // The two promises to the family: the first reply (REPLY_SCHOOL_DAYS after it was raised) and the aim to resolve it (due_on).
    firstReply: { by: firstReplyBy, state: replyState(firstReplyBy, replied, concern.status, request.scope.today) },
    entries,
    hidden,
    readings,
    owners,
    dsl,
    mayWork: opened.mayWork && (concern.status === 'open' || concern.status === 'new'),
    mayTriage: opened.mayTriage && (concern.status === 'open' || concern.status === 'new'),
    labels: { category: CATEGORY_LABELS, status: STATUS_LABELS, raisedHow: RAISED_HOW, contactBy: CONTACT_BY_LABELS, how: CONTACT_HOW_LABELS, entry: ENTRY_LABELS },
    maxDays: MAX_DUE_SCHOOL_DAYS,
    // The complaint is for the head and senior leaders (the case team), not the concern's owner.
    complaint,
    caseTeam,
    mayEscalate: opened.mayTriage && !complaint && mayEscalate(concern.status, concern.reopened_count, 'staff'),
    today: request.scope.today,
    errors: extra.errors,
    values,
    form: extra.form,
    done: extra.done,
  });
}

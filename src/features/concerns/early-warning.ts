import { DateTime } from 'luxon';
import type { Db } from '../../db/database.ts';
import type { ConcernStatus, LocalDate } from '../../db/schema.ts';
import type { SchoolCalendar } from '../../platform/calendar/school-days.ts';
import { replyBy, replyState } from './concerns.ts';
import { directComplaintOf, fullName, replyEntries, staffName, truthy } from './queries.ts';

/**
 * Early warning for the head, before a concern becomes a complaint:
 * - a child with two or more concerns raised this term;
 * - a concern past its due date and not closed;
 * - concerns whose first reply to the family is late (replyState: none recorded by its date);
 * - a family with a concern (not yet resolved) and a meeting follow-up that is overdue, about the
 *   same child or a brother or sister (a child who shares a carer with the one who raised it).
 */
export const REPEATED_IN_A_TERM = 2;

export type WarningConcern = {
  id: string;
  pupilId: string;
  pupilName: string;
  carerId: string;
  status: ConcernStatus;
  raisedOn: LocalDate;
  dueOn: LocalDate;
  ownerName: string | null;
  /** The first reply's date (replyBy), and whether one has been given. */
  replyBy: LocalDate;
  replied: boolean;
};
export type OverdueFollowUp = { meetingId: string; pupilId: string | null; topic: string; dueOn: LocalDate };
export type EarlyWarnings = {
  repeated: { pupilId: string; pupilName: string; count: number; latestId: string }[];
  overdue: (WarningConcern & { daysLate: number })[];
  /** How many concerns still wait for a first reply past its date (the list marks each one). */
  replyLate: number;
  /** One line per family: its concerns not yet resolved, and each overdue follow-up once, oldest first. */
  followUps: { concernId: string; pupilName: string; concerns: number; late: { meetingId: string; topic: string; dueOn: LocalDate }[] }[];
  total: number;
};

/** The term today falls in, or else the last one that started before today (the holidays after it). */
export function currentTerm(calendar: SchoolCalendar, today: LocalDate): { starts_on: LocalDate; ends_on: LocalDate } | null {
  const started = calendar.terms.filter((t) => t.starts_on <= today).sort((a, b) => b.starts_on.localeCompare(a.starts_on));
  return started[0] ?? null;
}

export function earlyWarnings(
  concerns: WarningConcern[],
  followUps: OverdueFollowUp[],
  familyOf: ReadonlyMap<string, ReadonlySet<string>>,
  term: { starts_on: LocalDate; ends_on: LocalDate } | null,
  today: LocalDate,
): EarlyWarnings {
  const inTerm = term ? concerns.filter((c) => c.raisedOn >= term.starts_on && c.raisedOn <= term.ends_on) : [];
  const byPupil = new Map<string, WarningConcern[]>();
  for (const c of inTerm) byPupil.set(c.pupilId, [...(byPupil.get(c.pupilId) ?? []), c]);
  const repeated = [...byPupil.values()]
    .filter((list) => list.length >= REPEATED_IN_A_TERM)
    .map((list) => {
      const latest = [...list].sort((a, b) => b.raisedOn.localeCompare(a.raisedOn))[0]!;
      return { pupilId: latest.pupilId, pupilName: latest.pupilName, count: list.length, latestId: latest.id };
    })
    .sort((a, b) => b.count - a.count || a.pupilName.localeCompare(b.pupilName));

  const overdue = concerns
    .filter((c) => (c.status === 'new' || c.status === 'open') && c.dueOn < today)
    .map((c) => ({ ...c, daysLate: Math.round(DateTime.fromISO(today).diff(DateTime.fromISO(c.dueOn), 'days').days) }))
    .sort((a, b) => a.dueOn.localeCompare(b.dueOn));

  const replyLate = concerns.filter((c) => replyState(c.replyBy, c.replied, c.status, today) === 'late').length;

  // A family is the children of the carer who raised the concern: two concerns and two overdue
  // follow-ups about the Nowak children are one warning, not four.
  const families = new Map<string, { concerns: WarningConcern[]; late: Map<string, OverdueFollowUp> }>();
  for (const c of concerns.filter((c) => c.status !== 'resolved')) {
    const children = familyOf.get(c.carerId) ?? new Set([c.pupilId]);
    const late = followUps.filter((f) => f.pupilId && (f.pupilId === c.pupilId || children.has(f.pupilId)));
    if (late.length === 0) continue;
    const key = [...children].sort().join(' ');
    const family = families.get(key) ?? { concerns: [] as WarningConcern[], late: new Map<string, OverdueFollowUp>() };
    family.concerns.push(c);
    for (const f of late) family.late.set(f.meetingId, f);
    families.set(key, family);
  }
  const followUpWarnings = [...families.values()]
    .map((family) => {
      const latest = [...family.concerns].sort((a, b) => b.raisedOn.localeCompare(a.raisedOn))[0]!;
      const late = [...family.late.values()].sort((a, b) => a.dueOn.localeCompare(b.dueOn)).map((f) => ({ meetingId: f.meetingId, topic: f.topic, dueOn: f.dueOn }));
      return { concernId: latest.id, pupilName: latest.pupilName, concerns: family.concerns.length, late };
    })
    .sort((a, b) => a.late[0]!.dueOn.localeCompare(b.late[0]!.dueOn));
  return { repeated, overdue, replyLate, followUps: followUpWarnings, total: repeated.length + overdue.length + (replyLate > 0 ? 1 : 0) + followUpWarnings.length };
}

/** The concerns the warnings look at (those the staff list shows): raised this term, or not yet resolved. */
export async function warningConcerns(db: Db, schoolId: string, termStart: LocalDate | null, calendar: SchoolCalendar): Promise<WarningConcern[]> {
  const rows = await db
    .selectFrom('concerns as c')
    .innerJoin('pupils as p', 'p.id', 'c.pupil_id')
    .leftJoin('staff as o', 'o.id', 'c.owner_id')
    .select(['c.id', 'c.pupil_id', 'c.carer_id', 'c.status', 'c.raised_on', 'c.due_on', 'p.given_name', 'p.preferred_name', 'p.family_name', 'o.title', 'o.family_name as owner_family_name'])
    .select((eb) => eb.exists(replyEntries(db, eb.ref('c.id'))).as('replied'))
    .where('c.school_id', '=', schoolId)
    // A complaint made directly keeps its words as a concern record: not a concern (the complaints list
    // flags its dates), and its concern page is closed to all but the DSL (a link from here would not open).
    .where((eb) => eb.not(eb.exists(directComplaintOf(db, eb.ref('c.id')))))
    .where((eb) => (termStart ? eb.or([eb('c.status', '!=', 'resolved'), eb('c.raised_on', '>=', termStart)]) : eb('c.status', '!=', 'resolved')))
    .orderBy('c.raised_on')
    .limit(2_000)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    pupilId: r.pupil_id,
    pupilName: fullName(r),
    carerId: r.carer_id,
    status: r.status,
    raisedOn: r.raised_on,
    dueOn: r.due_on,
    ownerName: r.owner_family_name ? staffName({ title: r.title, family_name: r.owner_family_name }) : null,
    replyBy: replyBy(calendar, r.raised_on),
    replied: truthy(r.replied),
  }));
}

/** Each carer's children (the family a follow-up may be about). */
export async function childrenOfCarers(db: Db, schoolId: string, carerIds: string[]): Promise<Map<string, Set<string>>> {
  const families = new Map<string, Set<string>>();
  if (carerIds.length === 0) return families;
  const rows = await db
    .selectFrom('carer_pupils')
    .select(['carer_id', 'pupil_id'])
    .where('school_id', '=', schoolId)
    .where('carer_id', 'in', [...new Set(carerIds)].slice(0, 900))
    .execute();
  for (const r of rows) families.set(r.carer_id, (families.get(r.carer_id) ?? new Set()).add(r.pupil_id));
  return families;
}

import { DateTime } from 'luxon';
import type { LocalDate, StaffRole } from '../../../db/schema.ts';

/**
 * Independence, enforced (issue 14, point 6). The investigating officer (a senior leader, governor or
 * trustee) and each panel member must be unconnected with the matter. Gatepost refuses, with the
 * reason shown: anyone named in the complaint, anyone who took part in a meeting, note, concern,
 * safety plan or earlier stage about the child in the last year, the teacher of the child's class,
 * anyone who declares an interest, and — for a complaint about the head — the head. Plain rules over
 * typed values: the facts are gathered by queries (people.ts), the decision is made here.
 */
export type Involvement = { staffId: string; what: 'meeting' | 'meeting note' | 'concern' | 'safety plan' | 'earlier stage'; on: LocalDate };
export type CaseFacts = {
  /** Staff named in the complaint. */
  named: readonly string[];
  /** Teachers of the child's class. */
  classTeachers: readonly string[];
  involvement: readonly Involvement[];
  aboutHead: boolean;
  today: LocalDate;
};
export type Candidate = { id: string; name: string; roles: readonly StaffRole[]; declaredInterest: string | null };
export type Appointment = 'officer' | 'panel';

/** Who may be an investigating officer or sit on a panel: senior leaders (the head among them), governors and trustees. */
export const MAY_INVESTIGATE: readonly StaffRole[] = ['head', 'senior_leader', 'governor'];
export const MAY_SIT_ON_PANEL: readonly StaffRole[] = ['governor'];
export const LOOK_BACK_MONTHS = 12;

const WHAT: Record<Involvement['what'], string> = {
  meeting: 'took part in a meeting about the child',
  'meeting note': 'wrote a meeting note about the child',
  concern: 'worked on a concern about the child',
  'safety plan': 'made a safety plan for a meeting about the child',
  'earlier stage': 'took part in an earlier stage of this complaint',
};

/**
 * A reason in plain words with the candidate's name kept apart: the words around each name, as a template
 * literal gives them, so a page can isolate the name (namedWords) and the record can keep the plain text (reasonText).
 */
export type Reason = { words: readonly string[]; names: readonly string[] };
/** The name, then the words after it (and any before it). */
const about = (name: string, after: string, before = ''): Reason => ({ words: [before, after], names: [name] });
export function reasonText(reason: Reason): string {
  return reason.words.map((w, i) => w + (reason.names[i] ?? '')).join('');
}

/** Every reason this person may not be appointed; none means they may. */
export function refusalReasons(candidate: Candidate, facts: CaseFacts, as: Appointment): Reason[] {
  const reasons: Reason[] = [];
  const { name } = candidate;
  const allowed = as === 'officer' ? MAY_INVESTIGATE : MAY_SIT_ON_PANEL;
  if (!candidate.roles.some((r) => allowed.includes(r))) {
    reasons.push(about(name, as === 'officer' ? ' is not a senior leader, governor or trustee' : ' is not a governor or trustee'));
  }
  if (facts.aboutHead && candidate.roles.includes('head')) reasons.push(about(name, ' cannot judge it', 'The complaint is about the head: '));
  if (facts.named.includes(candidate.id)) reasons.push(about(name, ' is named in the complaint'));
  if (facts.classTeachers.includes(candidate.id)) reasons.push(about(name, ' teaches the child’s class'));
  const since = DateTime.fromISO(facts.today).minus({ months: LOOK_BACK_MONTHS }).toISODate()!;
  const seen = new Set<string>();
  for (const i of facts.involvement) {
    if (i.staffId !== candidate.id || i.on < since || seen.has(i.what)) continue;
    seen.add(i.what);
    reasons.push(about(name, ` ${WHAT[i.what]} (${DateTime.fromISO(i.on).toFormat('d LLLL yyyy')})`));
  }
  if (candidate.declaredInterest) reasons.push(about(name, ` declared an interest: ${candidate.declaredInterest}`));
  return reasons;
}

/** The same reasons in plain words. */
export function refusals(candidate: Candidate, facts: CaseFacts, as: Appointment): string[] {
  return refusalReasons(candidate, facts, as).map(reasonText);
}

export type PanelMember = { id: string; independent: boolean };
export const PANEL_SIZE = 3;

/** What a panel still lacks before it may sit: three people, and for an academy one independent of the school's management. */
export function panelGaps(members: readonly PanelMember[], schoolType: 'maintained' | 'academy'): string[] {
  const gaps: string[] = [];
  if (members.length < PANEL_SIZE) gaps.push(`The panel needs at least ${PANEL_SIZE} people (it has ${members.length})`);
  if (schoolType === 'academy' && !members.some((m) => m.independent)) gaps.push('An academy’s panel needs one member independent of the school’s management');
  return gaps;
}

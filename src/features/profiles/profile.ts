import { DateTime } from 'luxon';
import { z } from 'zod';
import type { LocalDate, ProfileProposalTable, ProfileVersionTable, StaffRole } from '../../db/schema.ts';
import { requiredDate } from '../../platform/calendar/typed.ts';

/**
 * A pupil's one-page profile as plain rules over typed values (no HTTP, no SQL):
 * - the three headings, the pupil's voice, and a staff-only note under each heading that never
 *   reaches carers;
 * - a proposal changes some sections (null: left as it is); accepting it makes the next version;
 * - what changed since the last review, heading by heading, before and after;
 * - when the next review is due (termly, or at transition) and whether it is due now.
 */

/** The sections carers see, in the order of the page. */
export const SHARED = ['admire', 'important', 'support', 'pupil_voice'] as const;
/** Staff-only notes, one under each heading. */
export const STAFF_ONLY = ['admire_staff', 'important_staff', 'support_staff'] as const;
export const SECTIONS = [...SHARED, ...STAFF_ONLY] as const;
export type Section = (typeof SECTIONS)[number];
export type Sections = Record<Section, string>;

/** Staff pages: the headings in the school's words. Carer pages use the catalog (profiles.heading.*). */
export const HEADINGS: Record<Section, string> = {
  admire: 'What people like and admire about me',
  important: 'What is important to me',
  support: 'How best to support me',
  pupil_voice: 'In my own words',
  admire_staff: 'What people like and admire about me: staff only',
  important_staff: 'What is important to me: staff only',
  support_staff: 'How best to support me: staff only',
};

export const EMPTY: Sections = { admire: '', important: '', support: '', pupil_voice: '', admire_staff: '', important_staff: '', support_staff: '' };

export function sectionsOf(v: Pick<ProfileVersionTable, Section> | null | undefined): Sections {
  if (!v) return { ...EMPTY };
  return Object.fromEntries(SECTIONS.map((s) => [s, v[s]])) as Sections;
}

/** What a carer may see of a version: the shared sections only. */
export function forCarers(v: Sections): Record<(typeof SHARED)[number], string> {
  return { admire: v.admire, important: v.important, support: v.support, pupil_voice: v.pupil_voice };
}

/** The proposal's changes against the version it started from: only sections that differ (null: unchanged). */
export function changesFrom(base: Sections, proposed: Partial<Sections>): Partial<Record<Section, string | null>> {
  return Object.fromEntries(SECTIONS.map((s) => [s, proposed[s] === undefined || proposed[s] === base[s] ? null : proposed[s]])) as Partial<Record<Section, string | null>>;
}

/** The next version: the current one with the proposal's changed sections. */
export function applyProposal(current: Sections, proposal: Pick<ProfileProposalTable, Section>): Sections {
  return Object.fromEntries(SECTIONS.map((s) => [s, proposal[s] ?? current[s]])) as Sections;
}

/** Whether a proposal changes anything at all (sections or the carer's words). */
export function changesSomething(changes: Partial<Record<Section, string | null>>, words: string | null, currentWords: string | null): boolean {
  return Object.values(changes).some((v) => v !== null && v !== undefined) || (words !== null && words !== (currentWords ?? ''));
}

export type HeadingChange = { section: Section; heading: string; before: string; after: string; changed: boolean };

/** Heading by heading, before and after (staff-only notes only when asked for). */
export function compare(before: Sections, after: Sections, { staffOnly }: { staffOnly: boolean }): HeadingChange[] {
  return SECTIONS.filter((s) => staffOnly || !(STAFF_ONLY as readonly string[]).includes(s)).map((section) => ({
    section,
    heading: HEADINGS[section],
    before: before[section],
    after: after[section],
    changed: before[section].trim() !== after[section].trim(),
  }));
}

/** Lines of a section before and after, each marked when it was taken out (before) or added (after), for a side-by-side view. */
export function markedLines(before: string, after: string): { before: { text: string; changed: boolean }[]; after: { text: string; changed: boolean }[] } {
  const split = (t: string) =>
    t
      .split(/\r?\n/)
      .map((l) => l.trim())
      .filter((l) => l !== '');
  const b = split(before);
  const a = split(after);
  return { before: b.map((text) => ({ text, changed: !a.includes(text) })), after: a.map((text) => ({ text, changed: !b.includes(text) })) };
}

export type ReviewKind = 'termly' | 'transition';
export type ReviewState = { state: 'none' } | { state: 'due' | 'soon' | 'later'; dueOn: LocalDate; kind: ReviewKind | null };

/** Due now (on or after the date), soon (within two weeks), or later. */
export function reviewState(dueOn: LocalDate | null, kind: ReviewKind | null, today: LocalDate): ReviewState {
  if (!dueOn) return { state: 'none' };
  if (dueOn <= today) return { state: 'due', dueOn, kind };
  const soon = DateTime.fromISO(today).plus({ days: 14 }).toISODate()!;
  return { state: dueOn <= soon ? 'soon' : 'later', dueOn, kind };
}

/** A termly review: the first school day of the next term after today, else about a term (12 weeks) on. */
export function nextTermly(today: LocalDate, terms: readonly { starts_on: LocalDate }[]): LocalDate {
  const next = terms
    .map((t) => t.starts_on)
    .filter((d) => d > today)
    .sort()[0];
  return next ?? DateTime.fromISO(today).plus({ weeks: 12 }).toISODate()!;
}

const section = (tooLong: string, max = 4000) =>
  z
    .string({ error: tooLong })
    .optional()
    .transform((v) => (v ?? '').replace(/\r\n?/g, '\n').trim())
    .pipe(z.string().max(max, tooLong));
const long = (label: string) => section(`${label} must be 4,000 characters or fewer`);
const note = section('Your note must be 1,000 characters or fewer', 1000);

/** Staff propose every section (staff-only notes included). */
export const StaffProposalForm = z.object({
  admire: long('What people like and admire'),
  important: long('What is important'),
  support: long('How best to support'),
  pupil_voice: long('The pupil’s own words'),
  admire_staff: long('The staff-only note'),
  important_staff: long('The staff-only note'),
  support_staff: long('The staff-only note'),
  note,
});
export type StaffProposalInput = z.output<typeof StaffProposalForm>;

/** Carers propose the shared sections and their own words; messages are catalog keys. */
export const CarerProposalForm = z.object({
  admire: section('profiles.error.long'),
  important: section('profiles.error.long'),
  support: section('profiles.error.long'),
  pupil_voice: section('profiles.error.long'),
  words: section('profiles.error.long'),
  note: section('profiles.error.long', 1000),
});
export type CarerProposalInput = z.output<typeof CarerProposalForm>;

export const DecisionForm = z.object({
  decision: z.enum(['accept', 'reject'], { error: 'Choose whether to accept or reject the change' }),
  decision_note: note,
});

export const ReviewForm = z.object({
  reviewed_on: requiredDate('Enter the date of the review'),
  next_kind: z.enum(['termly', 'transition'], { error: 'Choose when the next review is' }),
  next_due_on: requiredDate('Enter the date of the next review'),
  note,
});
export type ReviewInput = z.output<typeof ReviewForm>;

export const ConsentForm = z.object({
  carer: z.string({ error: 'Choose who gave consent' }).trim().min(1, 'Choose who gave consent').max(64, 'Choose who gave consent'),
  given_on: requiredDate('Enter the date consent was given'),
  shared_with: z.string({ error: 'Enter who the profile is shared with' }).trim().min(1, 'Enter who the profile is shared with').max(200, 'Who it is shared with must be 200 characters or fewer'),
  purpose: z.string({ error: 'Enter why it is shared' }).trim().min(1, 'Enter why it is shared').max(500, 'Why it is shared must be 500 characters or fewer'),
});
export type ConsentInput = z.output<typeof ConsentForm>;

/** The SENCO, or the pupil's class teacher, accepts or rejects changes, records reviews and consent. */
export function mayDecide(user: { id: string; roles: readonly string[] }, classTeacherIds: readonly string[]): boolean {
  return user.roles.includes('senco') || (user.roles.includes('teacher') && classTeacherIds.includes(user.id));
}

/** Who may do what with profiles (the access matrix rows in test/access/profile-rows.ts say the same, by hand). */
export const PROFILE_ROLES = {
  /** Staff who work with the child: a class teacher sees their class's profiles (so a new teacher sees it at transition). */
  read: ['head', 'senior_leader', 'teacher', 'senco', 'dsl', 'deputy_dsl', 'family_liaison'],
  /** The SENCO or the class teacher (checked per pupil: mayDecide). */
  decide: ['senco', 'teacher'],
} as const satisfies Record<string, readonly StaffRole[]>;

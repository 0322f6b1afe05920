import { DateTime } from 'luxon';
import { z } from 'zod';
import type { LocalDate, StaffRole, SupportKind, WelcomeStep, YearGroup } from '../../db/schema.ts';
import { requiredDate } from '../../platform/calendar/typed.ts';
import { text } from '../../platform/web/forms.ts';

/**
 * Belonging (issue 16, points 7–10; seed 003 "key worker", "buddy system", "help with forms"): plain
 * rules over typed values — no SQL, no HTTP — so tests call them directly.
 */

/** Who sets a family's key worker and records buddy matches: the SENCO and the family liaison officer (and the head). */
export const COMMUNITY_LEADS: readonly StaffRole[] = ['head', 'senco', 'family_liaison'];
/** Who keeps the support directory and the welcome checklists. */
export const COMMUNITY_KEEPERS: readonly StaffRole[] = ['head', 'senior_leader', 'office', 'senco', 'family_liaison'];

/** A buddy match is checked on this many days after it is recorded. */
export const CHECK_IN_DAYS = 28;

export const KIND_LABELS: Record<SupportKind, string> = { group: 'Group', service: 'Service', language_class: 'Language class' };
export const STEP_LABELS: Record<WelcomeStep | 'agreement_signed', string> = {
  induction_visit: 'Induction visit',
  forms_done: 'Forms done (with help if needed)',
  met_teacher: 'Met the teacher',
  buddy_offered: 'Buddy family offered',
  agreement_signed: 'Signed the home-school agreement',
};
export const WELCOME_STEPS: readonly WelcomeStep[] = ['induction_visit', 'forms_done', 'met_teacher', 'buddy_offered'];

/** The outward code of a UK postcode ("BF1 2AB" → "BF1"): the postcode district, all Gatepost compares. */
export function postcodeDistrict(postcode: string | null | undefined): string | null {
  const compact = (postcode ?? '').replace(/\s+/g, '').toUpperCase();
  if (!/^[A-Z]{1,2}[0-9][A-Z0-9]?[0-9][A-Z]{2}$/.test(compact)) return null;
  return compact.slice(0, -3);
}

export type BuddyFamily = {
  carerId: string;
  name: string;
  language: string;
  district: string | null;
  /** Every child the carer is linked to, whether or not they may hear about them. */
  children: { pupilId: string; yearGroup: YearGroup; homeLanguage: string | null }[];
  /** Children this carer has a restriction in force against. */
  restrictedFrom: string[];
};

export type BuddySuggestion = { newcomer: BuddyFamily; buddy: BuddyFamily; years: YearGroup[]; language: string | null; sameDistrict: boolean; score: number };

const languagesOf = (f: BuddyFamily) => new Set([f.language, ...f.children.map((c) => c.homeLanguage)].filter((l): l is string => !!l && l !== 'English').map((l) => l.toLowerCase()));

/**
 * Whether two families may ever be paired: not the same family (a shared child), and no carer of
 * either family has a restriction in force against a child of either family — so never across a
 * restriction, and never with a family restricted from either child.
 */
export function mayPair(a: BuddyFamily, b: BuddyFamily): boolean {
  if (a.carerId === b.carerId) return false;
  const childrenA = new Set(a.children.map((c) => c.pupilId));
  const childrenB = b.children.map((c) => c.pupilId);
  if (childrenB.some((id) => childrenA.has(id))) return false;
  const all = new Set([...childrenA, ...childrenB]);
  return ![...a.restrictedFrom, ...b.restrictedFrom].some((id) => all.has(id));
}

/** One newcomer's possible buddies: a child in the same year group is needed; the same home language, then the same postcode district, rank higher. */
export function suggestBuddies(newcomer: BuddyFamily, candidates: readonly BuddyFamily[]): BuddySuggestion[] {
  const years = new Set(newcomer.children.map((c) => c.yearGroup));
  const langs = languagesOf(newcomer);
  const out: BuddySuggestion[] = [];
  for (const buddy of candidates) {
    if (!mayPair(newcomer, buddy)) continue;
    const shared = [...new Set(buddy.children.map((c) => c.yearGroup).filter((y) => years.has(y)))];
    if (shared.length === 0) continue;
    const theirs = languagesOf(buddy);
    const language = [...langs].find((l) => theirs.has(l)) ?? null;
    const sameDistrict = !!newcomer.district && newcomer.district === buddy.district;
    const shownLanguage = language ? ([newcomer.language, ...newcomer.children.map((c) => c.homeLanguage)].find((l) => l?.toLowerCase() === language) ?? language) : null;
    out.push({ newcomer, buddy, years: shared, language: shownLanguage, sameDistrict, score: (language ? 2 : 0) + (sameDistrict ? 1 : 0) });
  }
  return out.sort((a, b) => b.score - a.score || a.buddy.name.localeCompare(b.buddy.name));
}

export type MatchConsent = { newcomer_consent_at: string | null; buddy_consent_at: string | null; declined_at: string | null; withdrawn_by?: string | null; ended_by_carer?: string | null };

/** Contact details are shown to either family only once both have agreed (and neither has said no). */
export function contactsShared(m: MatchConsent): boolean {
  return !!m.newcomer_consent_at && !!m.buddy_consent_at && !m.declined_at;
}

/** withdrawn: by a lead; ended: a family stopped sharing its details after saying yes. */
export type MatchState = 'waiting' | 'agreed' | 'declined' | 'withdrawn' | 'ended';
export function matchState(m: MatchConsent): MatchState {
  if (m.declined_at) return m.withdrawn_by ? 'withdrawn' : m.ended_by_carer ? 'ended' : 'declined';
  return contactsShared(m) ? 'agreed' : 'waiting';
}

export function checkInOn(recordedOn: LocalDate): LocalDate {
  return DateTime.fromISO(recordedOn).plus({ days: CHECK_IN_DAYS }).toISODate()!;
}

/** Words of a directory entry's tags ("housing, food bank") in lower case. */
export function tagsOf(tags: string): string[] {
  return tags
    .split(/[,;\n]/)
    .map((t) => t.trim().toLowerCase())
    .filter(Boolean);
}

/** Directory entries whose tags appear, as whole words, in any of these texts (a meeting's actions). */
export function suggestSupport<E extends { tags: string }>(entries: readonly E[], texts: readonly string[]): { entry: E; matched: string[] }[] {
  const haystack = ` ${texts
    .join(' ')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')} `;
  const out: { entry: E; matched: string[] }[] = [];
  for (const entry of entries) {
    const matched = tagsOf(entry.tags).filter((tag) => {
      const words = tag.replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
      return words.length > 0 && haystack.includes(` ${words} `);
    });
    if (matched.length) out.push({ entry, matched });
  }
  return out;
}

export type ChecklistItem = { step: WelcomeStep | 'agreement_signed'; label: string; done: boolean; doneOn: LocalDate | null; helpedBy: string | null; note: string | null };

/** The welcome checklist: the four recorded steps, then the agreement as the agreements feature says. */
export function welcomeChecklist(recorded: readonly { step: WelcomeStep; done_on: LocalDate; helpedBy: string | null; note: string | null }[], agreementSignedOn: LocalDate | null): ChecklistItem[] {
  const items: ChecklistItem[] = WELCOME_STEPS.map((step) => {
    const r = recorded.find((x) => x.step === step);
    return { step, label: STEP_LABELS[step], done: !!r, doneOn: r?.done_on ?? null, helpedBy: r?.helpedBy ?? null, note: r?.note ?? null };
  });
  items.push({ step: 'agreement_signed', label: STEP_LABELS.agreement_signed, done: !!agreementSignedOn, doneOn: agreementSignedOn, helpedBy: null, note: null });
  return items;
}

const optional = (max: number) => z.string().trim().max(max, `Use ${max} characters or fewer`).optional().default('');

export const KeyWorkerForm = z.object({
  key_worker: z.string({ error: 'Choose the key worker' }).min(1, 'Choose the key worker'),
  key_worker_reason: text('why the family needs a key worker', 2_000),
});
export const WelcomeStepForm = z.object({
  step: z.enum(WELCOME_STEPS as [WelcomeStep, ...WelcomeStep[]], { error: 'Choose the step' }),
  done_on: requiredDate('Enter the date it was done'),
  helped_by: z.string().trim().optional().default(''),
  note: optional(1_000),
});
export const SupportForm = z.object({
  name: text('the name', 200),
  kind: z.enum(['group', 'service', 'language_class'], { error: 'Choose what kind of support it is' }),
  description: text('what it offers', 2_000),
  opening_times: text('the opening times', 500),
  languages: text('the languages spoken', 300),
  contact: text('how to get in touch', 500),
  tags: text('the words it helps with (for suggestions)', 500),
});
export const MatchForm = z.object({
  newcomer: z.string({ error: 'Choose the new family' }).min(1, 'Choose the new family'),
  buddy: z.string({ error: 'Choose the buddy family' }).min(1, 'Choose the buddy family'),
});
export const CheckInForm = z.object({ check_in_note: text('how it is going', 2_000) });
export const WithdrawMatchForm = z.object({ withdraw_reason: text('why the match is being withdrawn', 2_000) });
export const OptInForm = z.object({ wants: z.enum(['newcomer', 'buddy', 'none'], { error: 'community.error.wants' }) });
export const ConsentForm = z.object({ answer: z.enum(['yes', 'no'], { error: 'community.error.answer' }) });

import { DateTime } from 'luxon';
import { z } from 'zod';
import type { ConcernCategory, ConcernContactBy, ConcernContactHow, ConcernEntryKind, ConcernReceivedVia, ConcernStatus, LocalDate, StaffRole } from '../../db/schema.ts';
import { dueInSchoolDays, type SchoolCalendar } from '../../platform/calendar/school-days.ts';
import { readsSafeguarding } from '../../platform/safeguarding/safeguarding.ts';
import type { Text } from '../../platform/i18n/catalog.ts';
import { dateIn } from '../../platform/i18n/dates.ts';
import { checkbox, text } from '../../platform/web/forms.ts';

/**
 * Concerns as plain rules: who may open one, what the forms accept, when it is due (school days),
 * and the words a carer receives. No HTTP, no SQL.
 */

/** The head and senior leaders triage every concern and open every one. */
export const TRIAGERS: readonly StaffRole[] = ['head', 'senior_leader'];
/** Everyone on the staff but governors may log a concern for a carer (a phone call, a word at the gate). */
export const LOGGERS: readonly StaffRole[] = ['head', 'senior_leader', 'teacher', 'office', 'dsl', 'deputy_dsl', 'senco', 'family_liaison'];

/**
 * Two promises to a family who raise a concern, each counted in school days from the day it was
 * raised, and each told to them in its own words:
 * - the first reply: someone from the school gets in touch (a recorded contact, or the outcome)
 *   within REPLY_SCHOOL_DAYS (platform/calendar/first-reply.ts: the home-school agreement's promise
 *   and its measure read the same rule);
 * - when the school aims to have it resolved: the concern's due date, RESOLVE_SCHOOL_DAYS until
 *   whoever passes it on sets another number.
 */
export { REPLY_SCHOOL_DAYS, replyBy } from '../../platform/calendar/first-reply.ts';
export const RESOLVE_SCHOOL_DAYS = 10;
/** The most a triage may give: a concern is meant to be settled quickly. */
export const MAX_DUE_SCHOOL_DAYS = 40;

export const CATEGORY_LABELS: Record<ConcernCategory, string> = {
  learning: 'Learning',
  behaviour: 'Behaviour',
  bullying: 'Bullying',
  send: 'Special educational needs (SEND)',
  attendance: 'Attendance',
  staff_conduct: 'Staff conduct',
  communication: 'Communication',
  other: 'Other',
};
export const STATUS_LABELS: Record<ConcernStatus, string> = { new: 'Waiting to be passed on', open: 'Being dealt with', closed: 'Closed: waiting for the family’s answer', resolved: 'Resolved' };
export const RECEIVED_LABELS: Record<ConcernReceivedVia, string> = { portal: 'On Gatepost', phone: 'A phone call', email: 'An email', in_person: 'In person (at the gate, at the office)' };
/** How a concern came in, as a phrase after the person's name ("Marta Nowak on Gatepost", "Marta Nowak by phone"). */
export const RAISED_HOW: Record<ConcernReceivedVia, string> = { portal: 'on Gatepost', phone: 'by phone', email: 'by email', in_person: 'in person' };
export const CONTACT_BY_LABELS: Record<ConcernContactBy, string> = { email: 'By email', phone: 'By phone', text: 'By text message', meeting: 'In a meeting', letter: 'By letter' };
export const CONTACT_HOW_LABELS: Record<ConcernContactHow, string> = { phone: 'Phone call', email: 'Email', meeting: 'Meeting', in_person: 'In person', letter: 'Letter' };
export const ENTRY_LABELS: Record<ConcernEntryKind, string> = {
  what_happened: 'What happened',
  would_like: 'What they would like to happen',
  contact: 'Contact',
  note: 'Note',
  outcome: 'Outcome (sent to the family)',
  not_yet: 'The family says it is not resolved yet',
  escalated: 'Made a formal complaint: what is still unresolved',
};

const choice = <T extends string>(labels: Record<T, string>, message: string) => z.enum(Object.keys(labels) as [T, ...T[]], { error: message });

/** What a carer types on Gatepost. */
export const CarerConcernForm = z.object({
  pupil: z.string({ error: 'Choose which child it is about' }).trim().min(1, 'Choose which child it is about'),
  what_happened: text('what happened', 5_000),
  would_like: text('what you would like to happen', 2_000),
  contact_by: choice(CONTACT_BY_LABELS, 'Choose how you would like us to contact you'),
});
export type CarerConcernInput = z.output<typeof CarerConcernForm>;

/** What a member of staff types for a carer who phoned, emailed or spoke to them. */
export const StaffConcernForm = z.object({
  carer: z.string({ error: 'Choose who raised it' }).trim().min(1, 'Choose who raised it'),
  received_via: choice({ phone: '', email: '', in_person: '' } as Record<Exclude<ConcernReceivedVia, 'portal'>, string>, 'Choose how it reached the school'),
  what_happened: text('what happened, in their words', 5_000),
  would_like: text('what they would like to happen', 2_000),
  contact_by: choice(CONTACT_BY_LABELS, 'Choose how they would like to be contacted'),
  safeguarding: checkbox,
});
export type StaffConcernInput = z.output<typeof StaffConcernForm>;

export const TriageForm = z.object({
  owner: z.string({ error: 'Choose who will deal with it' }).trim().min(1, 'Choose who will deal with it'),
  category: choice(CATEGORY_LABELS, 'Choose what it is about'),
  school_days: z
    .string({ error: 'Enter how many school days it should take' })
    .trim()
    .regex(/^\d{1,3}$/, 'Enter the number of school days as a whole number, like 5')
    .transform(Number)
    .refine((n) => n >= 1 && n <= MAX_DUE_SCHOOL_DAYS, `Enter a number of school days from 1 to ${MAX_DUE_SCHOOL_DAYS}`),
});
export type TriageInput = z.output<typeof TriageForm>;

/** Field names differ between the two forms on one page, so an error shows beside the right one. */
export const ContactForm = z.object({
  contact_how: choice(CONTACT_HOW_LABELS, 'Choose how you were in touch'),
  contact_body: text('what was said', 5_000),
  contact_safeguarding: checkbox,
});
export const NoteForm = z.object({ note_body: text('the note', 5_000), note_safeguarding: checkbox });
export type EntryInput = { kind: 'contact' | 'note'; body: string; contactHow: ConcernContactHow | null; safeguarding: 0 | 1 };

export const CloseForm = z.object({ outcome: text('what was done, for the family', 3_000) });
export type CloseInput = z.output<typeof CloseForm>;

export const AnswerForm = z.object({ answer: z.enum(['yes', 'not_yet'], { error: 'Choose yes or not yet' }), why: z.string().trim().max(2_000, 'Say why in 2000 characters or fewer').optional() });
export type AnswerInput = z.output<typeof AnswerForm>;

/**
 * The due date: `days` school days after the day it counts from. A concern raised in the holidays
 * or at a weekend counts from the next school day (as a complaint does). Past the last term the
 * school has entered, weekdays count, so the answer never fails for want of next year's dates.
 */
export function dueOn(calendar: SchoolCalendar, from: LocalDate, days: number): LocalDate {
  return dueInSchoolDays(calendar, from, days);
}

/**
 * Where the first reply stands for staff: given (a contact recorded or the outcome sent), late (its
 * date has passed without one, while the concern is still with the school), or still due.
 */
export function replyState(by: LocalDate, replied: boolean, status: ConcernStatus, today: LocalDate): 'replied' | 'late' | 'due' {
  if (replied || status === 'closed' || status === 'resolved') return 'replied';
  return by < today ? 'late' : 'due';
}

/** Facts about one member of staff and one concern, for mayOpenConcern. */
export type ConcernFacts = { roles: readonly StaffRole[]; isOwner: boolean; loggedIt: boolean; hasSafeguarding: boolean };

/**
 * Who may open a concern: the head and senior leaders, its owner, whoever logged it, and the DSL
 * and deputies once anything in it is marked as safeguarding. Not governors, not the child's
 * teacher as such (a concern may be about them), never another carer.
 */
export function mayOpenConcern(f: ConcernFacts): boolean {
  const roles = f.roles.filter((r) => r !== 'governor');
  if (roles.length === 0) return false;
  if (roles.some((r) => TRIAGERS.includes(r))) return true;
  if (f.hasSafeguarding && readsSafeguarding(roles)) return true;
  return f.isOwner || f.loggedIt;
}

/** The owner and the head or senior leaders record contacts and close it. */
export function mayWorkOn(f: Pick<ConcernFacts, 'roles' | 'isOwner'>): boolean {
  return f.isOwner || f.roles.some((r) => TRIAGERS.includes(r));
}

/** "Friday 18 December 2026" */
export function longDate(d: LocalDate): string {
  return DateTime.fromISO(d).setLocale('en-GB').toFormat('cccc d MMMM yyyy');
}

// What the carer hears. Never the words of a note, a contact or anything marked as safeguarding.

/**
 * Words a person at the school wrote (an outcome, a reason, what an investigation found): sent as
 * written, never put through the catalog. In a letter in another language they go as English letters
 * do (notify.ts): machine translated and marked so when that can be done, otherwise in English with
 * the help line in the carer's language.
 */
export type SchoolWords = { schoolWrote: string };
export type CarerLetter = { subject: string; lines: (string | SchoolWords)[]; sms: string };
/** A letter to a carer, written in whatever words it is given (their language, then English beneath). */
export type CarerLetterIn = (t: Text) => CarerLetter;

/**
 * "Thursday 10 December 2026" in English; "10 grudnia 2026" in Polish: a date in a letter, in the
 * reader's language (without the weekday, which would need its own grammatical case after "by").
 */
export function longDateIn(code: string, d: LocalDate): string {
  return code === 'en' ? longDate(d) : dateIn(code, d);
}

/** Both promises, each with its date: the first reply (`replyBy`) and the aim to resolve it (`dueOn`). */
export function acknowledgement(p: { childName: string; dealtWithBy: string | null; replyBy: LocalDate; dueOn: LocalDate; schoolName: string }): CarerLetterIn {
  return (t) => {
    const v = { child: p.childName, name: p.dealtWithBy ?? t('concerns.page.head'), replyDate: longDateIn(t.code, p.replyBy), date: longDateIn(t.code, p.dueOn), school: p.schoolName };
    return { subject: t('concerns.ack.subject', v), lines: [t('concerns.ack.thanks', v), t('concerns.ack.who', v), t('concerns.ack.office')], sms: t('concerns.ack.sms', v) };
  };
}

export function passedOn(p: { childName: string; ownerName: string; dueOn: LocalDate; schoolName: string }): CarerLetterIn {
  return (t) => {
    const v = { child: p.childName, owner: p.ownerName, date: longDateIn(t.code, p.dueOn), school: p.schoolName };
    return { subject: t('concerns.passed.subject', v), lines: [t('concerns.passed.line', v), t('concerns.passed.resolve', v)], sms: t('concerns.passed.sms', v) };
  };
}

/** The outcome is the school's own words, as written. */
export function closingSummary(p: { childName: string; ownerName: string | null; outcome: string; schoolName: string }): CarerLetterIn {
  return (t) => {
    const v = { child: p.childName, owner: p.ownerName ?? t('concerns.email.school'), school: p.schoolName };
    return { subject: t('concerns.closed.subject', v), lines: [t('concerns.closed.line', v), { schoolWrote: p.outcome.trim() }, t('concerns.closed.ask')], sms: t('concerns.closed.sms', v) };
  };
}

export function complaintReceived(p: {
  childName: string;
  schoolName: string;
  acknowledgeBy: LocalDate;
  respondBy: LocalDate;
  countsFrom: LocalDate;
  earlyYearsOutcomeBy: LocalDate | null;
}): CarerLetterIn {
  return (t) => {
    const d = (x: LocalDate) => longDateIn(t.code, x);
    const v = { child: p.childName, school: p.schoolName };
    return {
      subject: t('concerns.complaint.subject', v),
      lines: [
        t('concerns.complaint.lookedInto', v),
        t('concerns.complaint.dates', { acknowledgeBy: d(p.acknowledgeBy), answerBy: d(p.respondBy), from: d(p.countsFrom) }),
        ...(p.earlyYearsOutcomeBy ? [t('concerns.complaint.earlyYears', { ...v, date: d(p.earlyYearsOutcomeBy) })] : []),
        t('concerns.complaint.move'),
      ],
      sms: t('concerns.complaint.sms', { ...v, date: d(p.respondBy) }),
    };
  };
}

/** The carer's own view of an entry: their words and the outcome, never staff notes, never safeguarding. */
export function carerSees(e: { kind: ConcernEntryKind; safeguarding: number; written_by_kind: 'staff' | 'carer' }): boolean {
  if (e.safeguarding !== 0) return false;
  if (e.kind === 'escalated') return e.written_by_kind === 'carer';
  return e.kind === 'what_happened' || e.kind === 'would_like' || e.kind === 'outcome' || e.kind === 'not_yet';
}

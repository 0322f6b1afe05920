import { DateTime } from 'luxon';
import { z } from 'zod';
import type { LocalDate, StaffRole } from '../../db/schema.ts';
import { dateField, requiredDate } from '../../platform/calendar/typed.ts';
import type { Text } from '../../platform/i18n/catalog.ts';
import { text } from '../../platform/web/forms.ts';
import { dateIn } from '../../platform/i18n/dates.ts';

/**
 * Unreasonable behaviour (DOMAIN.md, seed 002 "Dealing with conflict"; the DfE's model policy on
 * unreasonable complainants): incidents written down; a single point of contact; a ban from the
 * premises where safety is threatened; serial or vexatious complaints closed with the reason and the
 * route to the DfE. Every arrangement has a review date. Plain rules here; no SQL, no HTTP.
 */

/** Who reads a carer's conduct record and writes incidents down: the head and senior leaders. */
export const CONDUCT_READERS: readonly StaffRole[] = ['head', 'senior_leader'];
/** Who decides (a single point of contact, a ban, closing a complaint, a review): the head. */
export const CONDUCT_DECIDERS: readonly StaffRole[] = ['head'];

/** How far ahead a review may be set: a restriction on a family is meant to be looked at again soon. */
export const MAX_REVIEW_MONTHS = 12;
/** The head's home page lists reviews due within this many days (and every one past due). */
export const REVIEW_NOTICE_DAYS = 14;

export const KIND_LABELS = { single_contact: 'Single point of contact', premises_ban: 'Ban from the school premises' } as const;
export const GROUNDS_LABELS = { serial: 'Serial complaint (the same matter again, after the procedure was finished)', vexatious: 'Vexatious complaint' } as const;

/** What the complainant is told they can do next (DfE: "Best practice guidance for school complaints procedures"). */
export const DFE_ROUTE =
  'If you believe the school did not follow its complaints procedure, or acted unlawfully or unreasonably, you can ask the Department for Education to look at it: use the "Contact the Department for Education" form at www.gov.uk/contact-dfe, or write to the Department for Education, Piccadilly Gate, Store Street, Manchester M1 2WD. The Department looks at whether the school followed its procedure; it does not re-investigate the complaint.';

const date = (what: string) => requiredDate(`Enter ${what}`);

export const IncidentForm = z.object({ happened_on: date('the date it happened'), what: text('what happened', 5_000) });
export const ContactForm = z.object({
  contact: z.string({ error: 'Choose who will be their single point of contact' }).min(1, 'Choose who will be their single point of contact'),
  contact_reason: text('why a single point of contact is needed', 2_000),
  contact_review_on: date('the date to review it by'),
});
export const BanForm = z.object({
  ban_reason: text('what happened that threatened safety', 2_000),
  starts_on: date('the date the ban starts'),
  ban_review_on: date('the date to review it by'),
  letter: text('the letter', 10_000),
});
export const ReviewForm = z.object({
  decision: z.enum(['continue', 'end'], { error: 'Choose whether it continues or ends' }),
  review_on: dateField('the date of the next review', { optional: true }),
});
export const ClosureForm = z.object({
  complaint: z.string({ error: 'Choose the complaint' }).min(1, 'Choose the complaint'),
  grounds: z.enum(['serial', 'vexatious'], { error: 'Choose why the complaint is being closed' }),
  closure_reason: text('the reason, as the complainant will read it', 5_000),
  dfe_route: text('how they can go to the Department for Education', 2_000),
  closure_review_on: date('the date to review it by'),
});

/** A review date must be after today and within MAX_REVIEW_MONTHS; null when it is fine. */
export function reviewProblem(reviewOn: LocalDate, today: LocalDate): string | null {
  if (reviewOn <= today) return 'The review date must be after today';
  const latest = DateTime.fromISO(today).plus({ months: MAX_REVIEW_MONTHS }).toISODate()!;
  if (reviewOn > latest) return `Review it within ${MAX_REVIEW_MONTHS} months (by ${longDate(latest)} at the latest)`;
  return null;
}

export type ReviewState = 'overdue' | 'due_soon' | 'later';
/** Where a review date stands today: past, within REVIEW_NOTICE_DAYS, or later. */
export function reviewState(reviewOn: LocalDate, today: LocalDate): ReviewState {
  if (reviewOn < today) return 'overdue';
  const soon = DateTime.fromISO(today).plus({ days: REVIEW_NOTICE_DAYS }).toISODate()!;
  return reviewOn <= soon ? 'due_soon' : 'later';
}

export function longDate(d: LocalDate): string {
  return DateTime.fromISO(d).setLocale('en-GB').toFormat('cccc d MMMM yyyy');
}

/** A letter to a carer, written in whatever words it is given: the shape of concerns' CarerLetterIn (what the head wrote as { schoolWrote }). */
export type CarerLetterIn = (t: Text) => { subject: string; lines: (string | { schoolWrote: string })[]; sms: string };

/** A date in a letter, in the reader's language. */
const longDateIn = (code: string, d: LocalDate) => (code === 'en' ? longDate(d) : dateIn(code, d));

/**
 * The ban letter's first draft, which the head edits before it is sent. It has no "Dear …": every letter
 * to a carer opens with that in their language (concerns' prepareLetter).
 */
export function draftBanLetter(p: { schoolName: string; headName: string; startsOn: LocalDate; reviewOn: LocalDate }): string {
  return [
    `I am writing about your behaviour towards staff at ${p.schoolName}, which put the safety of our staff at risk.`,
    '',
    `From ${longDate(p.startsOn)} you may not come onto the school premises. This includes the playground and the school gate at drop-off and pick-up. If you come onto the premises, we may ask the police to remove you.`,
    '',
    'You can still contact the school in writing about your children, and they will continue to be taught and cared for as before. Please arrange for another adult to bring and collect them.',
    '',
    `I will review this decision by ${longDate(p.reviewOn)}. If you would like to tell me anything before then, please write to me.`,
    '',
    'Yours sincerely,',
    '',
    p.headName,
    'Head teacher',
  ].join('\n');
}

/*
 * The letters to a carer, written with the words they are given (the carer's language from
 * ./i18n, then the English beneath): the fixed parts from the catalogue, what the head wrote as
 * SchoolWords (machine translated where that can be done, marked so; otherwise in English with the help line).
 */
const signOff = (t: Text, headName: string) => [t('conduct.letter.yours'), headName ? `${headName}\n${t('conduct.letter.head')}` : t('conduct.letter.head')];
const smsOf = (t: Text, school: string, subject: string) => t('conduct.letter.sms', { school, subject });

/** The letter telling a complainant their complaint is closed as serial or vexatious. The DfE route, when the head left it as drafted, is in their language. */
export function closureLetter(p: { schoolName: string; headName: string; grounds: 'serial' | 'vexatious'; reason: string; dfeRoute: string; receivedOn: LocalDate }): CarerLetterIn {
  return (t) => {
    const subject = t('conduct.closure.subject', { school: p.schoolName });
    const dfe = p.dfeRoute.trim() === DFE_ROUTE ? t('conduct.closure.dfe') : { schoolWrote: p.dfeRoute.trim() };
    return {
      subject,
      lines: [t('conduct.closure.line', { grounds: p.grounds, date: longDateIn(t.code, p.receivedOn) }), { schoolWrote: p.reason.trim() }, dfe, ...signOff(t, p.headName)],
      sms: smsOf(t, p.schoolName, subject),
    };
  };
}

/** The letter telling a carer who their single point of contact is. */
export function contactLetter(p: { schoolName: string; headName: string; contactName: string; reviewOn: LocalDate }): CarerLetterIn {
  return (t) => {
    const subject = t('conduct.contact.subject', { school: p.schoolName });
    return {
      subject,
      lines: [t('conduct.contact.line', { contact: p.contactName, school: p.schoolName }), t('conduct.contact.review', { date: longDateIn(t.code, p.reviewOn) }), ...signOff(t, p.headName)],
      sms: smsOf(t, p.schoolName, subject),
    };
  };
}

/** The ban letter: what it means in their language, then the head's own letter as written. */
export function banLetter(p: { schoolName: string; startsOn: LocalDate; letter: string }): CarerLetterIn {
  return (t) => {
    const subject = t('conduct.ban.subject', { school: p.schoolName });
    return { subject, lines: [t('conduct.ban.line', { date: longDateIn(t.code, p.startsOn) }), { schoolWrote: p.letter.trim() }], sms: smsOf(t, p.schoolName, subject) };
  };
}

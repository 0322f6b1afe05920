import { createHash } from 'node:crypto';
import { DateTime } from 'luxon';
import { english, type Text } from '../../platform/i18n/catalog.ts';
import { instantDateIn } from '../../platform/i18n/dates.ts';
import { z } from 'zod';
import type { LocalDate, StaffRole } from '../../db/schema.ts';
import { dateField } from '../../platform/calendar/typed.ts';
import { checkbox, text } from '../../platform/web/forms.ts';
import { readsSafeguarding, SAFEGUARDING_ROLES } from '../../platform/safeguarding/safeguarding.ts';
import { formId } from './meetings-forms.ts';

/**
 * The record of a meeting as plain rules: who may open it, what its forms accept, and the
 * thank-you and summary a family receives. No HTTP, no SQL.
 */

/** Roles that read safeguarding notes (and the only ones who do): platform/safeguarding. */
export { SAFEGUARDING_ROLES, readsSafeguarding };
/** Roles that open every meeting's record, and to whom unresolved matters are referred. */
export const LEADERS: readonly StaffRole[] = ['head', 'senior_leader'];

export type RecordFacts = {
  roles: readonly StaffRole[];
  /** On meeting_staff (lead, colleague, liaison, preparer). */
  onMeeting: boolean;
  /** Owns one of the school's agreed actions from it. */
  ownsAction: boolean;
  /** The meeting is about a pupil within their reach (pupilsVisibleTo). */
  seesPupil: boolean;
  /** A note in it is marked as a safeguarding concern. */
  hasSafeguardingNote: boolean;
  /** The meeting was referred to them. */
  referredToThem: boolean;
};

/** Who may open a meeting's record. Governors never; carers never reach this (staff-only routes). */
export function maySeeRecord(f: RecordFacts): boolean {
  const roles = f.roles.filter((r) => r !== 'governor');
  if (roles.length === 0) return false;
  if (roles.some((r) => LEADERS.includes(r))) return true;
  if (f.hasSafeguardingNote && roles.some((r) => SAFEGUARDING_ROLES.includes(r))) return true;
  return f.onMeeting || f.ownsAction || f.seesPupil || f.referredToThem;
}

/** A required date that is real and not before today. */
function dateFrom(today: LocalDate, what: string) {
  return dateField(what).refine((date) => date >= today, `${capitalise(what)} must be today or later`);
}

export const NoteForm = z.object({
  /** Drawn with the form: a second press of "Save note" saves it once. */
  note_id: formId.optional(),
  body: text('the note', 10_000),
  safeguarding: checkbox,
});
export type NoteInput = z.output<typeof NoteForm>;

export type Owner = { kind: 'school'; staffId: string } | { kind: 'carer'; carerId: string };

/** Who will do it: `staff:<id>` or `carer:<id>` from the form's list. */
export function parseOwner(value: string): Owner | null {
  const [kind, id] = value.split(':');
  if (!id) return null;
  if (kind === 'staff') return { kind: 'school', staffId: id };
  if (kind === 'carer') return { kind: 'carer', carerId: id };
  return null;
}

export function actionForm(today: LocalDate) {
  return z.object({
    /** Drawn with the form: a second press of "Add action" adds it once. */
    action_id: formId.optional(),
    owner: z
      .string({ error: 'Choose who will do it' })
      .trim()
      .transform((v, ctx) => {
        const owner = parseOwner(v);
        if (!owner) {
          ctx.addIssue({ code: 'custom', message: 'Choose who will do it' });
          return z.NEVER;
        }
        return owner;
      }),
    what: text('what will be done', 500),
    due_on: dateFrom(today, 'the date it will be done by'),
  });
}
export type ActionInput = z.output<ReturnType<typeof actionForm>>;

/** The follow-up date may stay as it was even once it has passed; a new one must be today or later. */
export function outcomeForm(today: LocalDate, currentFollowUp: LocalDate | null) {
  return z.object({
    outcome: text('what was agreed, in plain words', 5_000),
    follow_up_on: dateField('the follow-up date', { optional: true }).refine((date) => date === null || date >= today || date === currentFollowUp, 'The follow-up date must be today or later'),
    /** The follow-up date the person confirmed after a warning (record-timing.ts), as 2026-12-28. */
    confirm_follow_up: z.string().trim().max(10).optional(),
    /** "This is a safeguarding concern": the DSL and deputies are told, only they read it, and it never goes to the family. */
    safeguarding: checkbox,
  });
}
export type OutcomeInput = z.output<ReturnType<typeof outcomeForm>>;

export const ReferForm = z.object({
  referred_to: z.string({ error: 'Choose the senior leader to refer it to' }).trim().min(1, 'Choose the senior leader to refer it to'),
  referral_note: text('what is unresolved and what you need from them', 2_000),
  /** "This is a safeguarding concern": the DSL and deputies are told as well, and only they read the note. */
  safeguarding: checkbox,
});
export type ReferInput = z.output<typeof ReferForm>;

// The summary a family receives.

export type SummaryMeeting = {
  id: string;
  topic: string;
  /** "24 November 2026", in school time; null when no time was set. */
  heldOn: string | null;
  /** When it was held and the school's zone: the date in another language's words. */
  heldAt?: string | null;
  timeZone?: string;
  pupilName: string | null;
  outcome: string;
  followUpOn: LocalDate | null;
  leadName: string | null;
};
export type SummaryAction = { ownerKind: 'school' | 'carer'; carerId: string | null; ownerName: string; what: string; dueOn: LocalDate; done: boolean };
export type SummaryReader = { id: string; name: string };

/**
 * A fingerprint of what the summary says (outcome, follow-up, actions). Sending the same summary
 * twice (a double click) is one email per carer; sending after a change is a new one.
 */
export function summaryVersion(meeting: Pick<SummaryMeeting, 'outcome' | 'followUpOn'>, actions: SummaryAction[]): string {
  const facts = {
    outcome: meeting.outcome,
    followUpOn: meeting.followUpOn,
    actions: actions.map((a) => [a.ownerKind, a.carerId, a.ownerName, a.what, a.dueOn, a.done]).sort((x, y) => JSON.stringify(x).localeCompare(JSON.stringify(y))),
  };
  return createHash('sha256').update(JSON.stringify(facts)).digest('hex').slice(0, 16);
}

function longDate(d: LocalDate, t: Text = english): string {
  if (t.code !== 'en') return new Intl.DateTimeFormat(t.code, { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${d}T12:00:00Z`));
  return DateTime.fromISO(d).setLocale('en-GB').toFormat('cccc d MMMM yyyy');
}

export function summarySubject(meeting: Pick<SummaryMeeting, 'pupilName'>, t: Text = english): string {
  return meeting.pupilName ? t('meetings.summary.subjectAbout', { pupil: meeting.pupilName }) : t('meetings.summary.subject');
}

/**
 * The thank-you and summary for one carer: thanks, outcome, who does what by when, follow-up, come
 * back any time. The fixed words are the reader's (`t`); what the school wrote is given as it is to be shown.
 */
export function summaryText(meeting: SummaryMeeting, actions: SummaryAction[], reader: SummaryReader, schoolName: string, link: string, t: Text = english): string {
  const lines: string[] = [t('meetings.email.dear', { name: reader.name }), ''];
  const heldOn = t.code !== 'en' && meeting.heldAt ? instantDateIn(t.code, meeting.heldAt, meeting.timeZone ?? 'Europe/London') : meeting.heldOn;
  lines.push(t('meetings.summary.thanks', { on: heldOn ?? '', about: meeting.pupilName ?? '', topic: meeting.topic, held: heldOn ? 'yes' : 'no', named: meeting.pupilName ? 'yes' : 'no' }), '');
  lines.push(t('meetings.summary.agreed'), meeting.outcome.trim(), '');
  const item = (a: SummaryAction) => `- ${t('meetings.summary.item', { what: a.what.trim(), due: longDate(a.dueOn, t), done: a.done ? 'yes' : 'no' })}`;
  const school = actions.filter((a) => a.ownerKind === 'school');
  if (school.length) lines.push(t('meetings.summary.school'), ...school.map((a) => `${item(a)} (${a.ownerName})`), '');
  const yours = actions.filter((a) => a.ownerKind === 'carer' && a.carerId === reader.id);
  if (yours.length) lines.push(t('meetings.summary.yours'), ...yours.map(item), '');
  const others = new Map<string, SummaryAction[]>();
  for (const a of actions.filter((x) => x.ownerKind === 'carer' && x.carerId !== reader.id)) others.set(a.ownerName, [...(others.get(a.ownerName) ?? []), a]);
  for (const [name, list] of others) lines.push(t('meetings.summary.theirs', { name }), ...list.map(item), '');
  if (meeting.followUpOn) lines.push(t('meetings.summary.followUp', { on: longDate(meeting.followUpOn, t) }), '');
  lines.push(t('meetings.summary.comeBack'));
  lines.push(t('meetings.summary.see', { link }), '');
  lines.push(meeting.leadName ? `${meeting.leadName}, ${schoolName}` : schoolName);
  return lines.join('\n');
}

/** The email a carer receives: in their language when a machine translation was made (marked so, English below), else English with a help line. */
export function summaryEmail(english: string, translation: { language: string; text: string } | null, help: string | null): string {
  if (translation) {
    return [translation.text, '', `(Machine translated into ${translation.language}: the school has not checked this translation. The English is below.)`, '', '---', '', english].join('\n');
  }
  return help ? [help, '', english].join('\n') : english;
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

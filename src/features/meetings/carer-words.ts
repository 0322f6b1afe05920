import type { MeetingMode } from '../../db/schema.ts';
import { english, type Text } from '../../platform/i18n/catalog.ts';
import { languageName } from '../../platform/i18n/names.ts';
import { KIND_LABELS, MODE_LABELS, STAFF_ROLE_LABELS, STATUS_LABELS, TIME_OF_DAY_LABELS } from './meetings-rules.ts';

/**
 * What a carer reads about meetings, in their words: the kinds, states, ways to meet and roles
 * (staff pages keep the English labels in meetings-rules.ts; the English catalog says the same).
 */
function inWords<K extends string>(labels: Record<K, string>, prefix: string, t: Text): Record<K, string> {
  return Object.fromEntries(Object.keys(labels).map((k) => [k, t(`${prefix}.${k}`)])) as Record<K, string>;
}

export function carerLabels(t: Text = english) {
  return {
    kinds: inWords(KIND_LABELS, 'meetings.kind', t),
    statuses: inWords(STATUS_LABELS, 'meetings.status', t),
    modes: inWords(MODE_LABELS, 'meetings.mode', t),
    roles: inWords(STAFF_ROLE_LABELS, 'meetings.role', t),
    times: inWords(TIME_OF_DAY_LABELS, 'meetings.timeOfDay', t),
  };
}

/** Where, for the family: "By video call: https://…", "By phone: the school will call you", the place, or "At school". */
export function whereForCarer(m: { mode: MeetingMode; place: string | null; video_link: string | null }, t: Text = english): string {
  if (m.mode === 'video') return m.video_link ? t('meetings.where.video', { link: m.video_link }) : t('meetings.where.videoLater');
  if (m.mode === 'phone') return t('meetings.where.phone');
  return m.place ?? t('meetings.where.school');
}

/** The child's name, or "your child" in the carer's words. */
export function childFor(p: { given_name: string; preferred_name: string | null } | null | undefined, t: Text = english): string {
  return p ? (p.preferred_name ?? p.given_name) : t('meetings.yourChild');
}

/**
 * A carer's form errors in their words. The forms and rules keep one English message each (staff
 * read the same); here each message a carer can meet is a key of the catalog, and "… must be N
 * characters or fewer" is one message with the number in it.
 */
const CARER_ERRORS: Record<string, string> = {
  'This form has expired. Go back, refresh the page and try again.': 'meetings.error.expired',
  'Choose which child the meeting is about': 'meetings.error.pupil',
  'Enter what you would like to talk about': 'meetings.error.topic',
  'Enter a short outline': 'meetings.error.outline',
  'Tell us when you could meet: tick a time of day, or write when suits you': 'meetings.error.times',
  'Choose times of day from the list': 'meetings.error.times',
  'Choose how you would like to meet': 'meetings.error.mode',
  'Say whether you would like an interpreter': 'meetings.error.interpreter',
  'Enter the language the interpreter should speak': 'meetings.error.interpreterLanguage',
  'Say whether it is urgent': 'meetings.error.urgent',
  'Choose a time': 'meetings.error.offer',
  'Those times have changed. Choose one of the times shown.': 'meetings.error.offerChanged',
  'That time has passed. Choose another, or tell the school none of them suits you.': 'meetings.error.offerPassed',
  'This meeting is no longer waiting for you to choose a time.': 'meetings.error.offerGone',
  'Enter your question': 'meetings.error.question',
  'Choose who you would like to help you': 'meetings.error.helper',
  'Choose someone from the list': 'meetings.error.helper',
  'This meeting is not coming up, so there is nothing to prepare.': 'meetings.error.over',
  'This meeting was cancelled.': 'meetings.error.over',
  'This meeting has already happened.': 'meetings.error.over',
  'You have already asked someone to help you prepare.': 'meetings.error.alreadyAsked',
  'Enter how it is going': 'meetings.error.progress',
};

export function carerError(message: string, t: Text): string {
  const key = CARER_ERRORS[message];
  if (key) return t(key);
  const tooLong = /(\d+) characters or fewer/.exec(message);
  if (tooLong) return t('meetings.error.tooLong', { max: Number(tooLong[1]) });
  return message;
}

export function carerErrors(errors: Record<string, string> | undefined, t: Text): Record<string, string> | undefined {
  return errors && Object.fromEntries(Object.entries(errors).map(([field, message]) => [field, carerError(message, t)]));
}

/**
 * What a carer asked for at a parents' evening (features/evenings "Help at your appointments"), said
 * back to them in their words: "You asked for an interpreter in Polish.", and their note. In the
 * booking confirmation (evenings) and the reminder the day before (reminders.ts), so nothing comes as
 * a surprise. Nothing when they asked for nothing.
 */
export function askedForWords(asked: { interpreterLanguage: string | null; accessNote: string | null } | null | undefined, t: Text): string[] {
  if (!asked) return [];
  return [
    asked.interpreterLanguage ? t('meetings.email.asked.interpreter', { language: languageName(t.code, asked.interpreterLanguage, { inSentence: true }) }) : null,
    asked.accessNote ? t('meetings.email.asked.note', { note: asked.accessNote }) : null,
  ].filter((l): l is string => l !== null);
}

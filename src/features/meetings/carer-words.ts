import type { MeetingMode } from '../../db/schema.ts';
import { english, type Text } from '../../platform/i18n/catalog.ts';
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

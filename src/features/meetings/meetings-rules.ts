import type { Instant, InterpreterBy, MeetingKind, MeetingMode, MeetingStaffTable, MeetingStatus, MeetingSafetyPlanTable } from '../../db/schema.ts';
import { readDate, readTime } from '../../platform/calendar/typed.ts';
import { formatDate, schoolLocalInstant } from '../../platform/calendar/time.ts';
import type { Text } from '../../platform/i18n/catalog.ts';
import { languageName } from '../../platform/i18n/names.ts';

/**
 * Meetings with families as plain rules: the words for kinds, ways and times of day; when a
 * meeting's time is acceptable; who must be there. No HTTP, no SQL: the routes and commands call these.
 */

export const KIND_LABELS: Record<MeetingKind, string> = {
  appointment: 'Appointment',
  induction: 'Induction meeting',
  home_visit: 'Home visit',
  meet_the_teacher: 'Meet the teacher',
  progress: 'Progress meeting',
  parents_evening: 'Parents’ evening appointment',
};

/** The kinds a member of staff arranges from the "new meeting" form (parents' evenings are booked). */
export const SCHEDULABLE_KINDS = ['appointment', 'induction', 'home_visit', 'meet_the_teacher', 'progress'] as const satisfies readonly MeetingKind[];
export type SchedulableKind = (typeof SCHEDULABLE_KINDS)[number];

export const MODES = ['in_person', 'phone', 'video'] as const satisfies readonly MeetingMode[];
export const MODE_LABELS: Record<MeetingMode, string> = { in_person: 'In person', phone: 'By phone', video: 'By video call' };

export const STATUS_LABELS: Record<MeetingStatus, string> = {
  requested: 'Asked for',
  offered: 'Times offered',
  scheduled: 'Arranged',
  held: 'Held',
  cancelled: 'Cancelled',
};

export const STAFF_ROLE_LABELS: Record<MeetingStaffTable['role'], string> = {
  lead: 'Leads the meeting',
  colleague: 'Colleague',
  liaison: 'Family liaison officer',
  preparer: 'Helping the family prepare',
};

export const TIMES_OF_DAY = ['before_school', 'school_day', 'after_school', 'evening'] as const;
export type TimeOfDay = (typeof TIMES_OF_DAY)[number];
export const TIME_OF_DAY_LABELS: Record<TimeOfDay, string> = {
  before_school: 'Before school',
  school_day: 'During the school day',
  after_school: 'After school',
  evening: 'In the evening',
};

export const PRESENCE_LABELS: Record<MeetingSafetyPlanTable['colleague_presence'], string> = {
  in_room: 'In the room',
  within_earshot: 'Within earshot',
  on_standby: 'On standby',
};

export const LENGTHS = [15, 20, 30, 45, 60, 90] as const;

const ATTENDING_ROLE: Record<MeetingStaffTable['role'], string | null> = {
  lead: 'leading the meeting',
  colleague: null,
  liaison: 'family liaison officer',
  preparer: 'helping you prepare',
};

/** "Mr Okafor (leading the meeting), Ms Lewis (family liaison officer), Marta Nowak and an interpreter for Polish" */
export function whoWillBeThere(staff: { name: string; role: MeetingStaffTable['role'] }[], family: string[], interpreterLanguage: string | null, t?: Text): string {
  if (t) {
    // In the reader's words, joined as their language joins a list ("i", "و", "và").
    const people = [...staff.map((s) => (ATTENDING_ROLE[s.role] ? t('meetings.attending.withRole', { name: s.name, role: s.role }) : s.name)), ...family];
    if (interpreterLanguage) people.push(t('meetings.attending.interpreter', { language: languageName(t.code, interpreterLanguage, { inSentence: true }) }));
    return new Intl.ListFormat(t.code === 'en' ? 'en-GB' : t.code, { type: 'conjunction' }).format(people);
  }
  const people = [...staff.map((s) => (ATTENDING_ROLE[s.role] ? `${s.name} (${ATTENDING_ROLE[s.role]})` : s.name)), ...family];
  if (interpreterLanguage) people.push(`an interpreter for ${interpreterLanguage}`);
  return people.length <= 1 ? (people[0] ?? '') : `${people.slice(0, -1).join(', ')} and ${people[people.length - 1]}`;
}

/** How long an outline may be, and a topic. */
export const TOPIC_MAX = 100;
export const OUTLINE_MAX = 2000;
export const AGENDA_ITEM_MAX = 500;

/** "Before school, after school. Thursdays after 5 are best": what the carer ticked, then their words. */
export function preferredTimesText(times: readonly TimeOfDay[], words: string | null): string | null {
  const ticked = TIMES_OF_DAY.filter((t) => times.includes(t)).map((t, i) => (i === 0 ? TIME_OF_DAY_LABELS[t] : TIME_OF_DAY_LABELS[t].toLowerCase()));
  const parts = [ticked.length ? ticked.join(', ') : null, words?.trim() || null].filter((p): p is string => !!p);
  return parts.length ? parts.join('. ') : null;
}

export type TimeResult = { ok: true; startsAt: Instant; endsAt: Instant } | { ok: false; field: 'date' | 'time'; error: string };

/**
 * A meeting's start and end from a school-local date, time and length. Refuses a time that is not
 * real, one the clocks skip or repeat (a person cannot tell which they meant), and one in the past.
 */
export function meetingTime(typedDate: string, typedTime: string, minutes: number, timeZone: string, now: Date): TimeResult {
  const day = readDate(typedDate);
  if (!day.ok) return { ok: false, field: 'date', error: day.problem };
  const clock = readTime(typedTime);
  if (!clock.ok) return { ok: false, field: 'time', error: clock.problem };
  const [date, time] = [day.date, clock.time];
  const r = schoolLocalInstant(date, time, timeZone);
  if (!r.ok) {
    if (r.reason === 'skipped') return { ok: false, field: 'time', error: `The clocks go forward on ${formatDate(date)}, so ${time} does not exist that day: choose another time` };
    if (r.reason === 'twice') return { ok: false, field: 'time', error: `The clocks go back on ${formatDate(date)}, so ${time} happens twice that day: choose another time` };
    return { ok: false, field: 'date', error: 'Enter a real date, like 9/12/2026 or 9 December 2026' };
  }
  if (r.instant <= now.toISOString()) return { ok: false, field: 'date', error: 'The meeting must be in the future' };
  return { ok: true, startsAt: r.instant, endsAt: new Date(Date.parse(r.instant) + minutes * 60_000).toISOString() };
}

/** Who must be there: a home visit needs two members of staff (a lead and a different colleague). */
export function staffingProblem(kind: MeetingKind, leadId: string, colleagueId: string | null): string | null {
  if (colleagueId && colleagueId === leadId) return 'Choose a colleague who is not the person leading the meeting';
  if (kind === 'home_visit' && !colleagueId) return 'A home visit needs two members of staff';
  return null;
}

export const INTERPRETER_BY: readonly InterpreterBy[] = ['professional', 'staff', 'family'];
export const INTERPRETER_BY_LABELS: Record<InterpreterBy, string> = {
  professional: 'A professional interpreter',
  staff: 'A member of staff who speaks the language',
  family: 'A family member or friend of the family',
};

/**
 * Who interprets (DOMAIN: safeguarding records). A child never interprets, so there is no such choice.
 * A family member or friend never interprets in a safeguarding conversation: a meeting the Designated
 * Safeguarding Lead or a deputy attends (leading it or as the colleague) counts as one. With a
 * language, someone must be chosen; without one, nobody interprets.
 */
export function interpreterProblem(language: string | null, by: InterpreterBy | null, safeguardingLeadAttends: boolean): string | null {
  if (!language) return null;
  if (!by) return 'Choose who will interpret';
  if (by === 'family' && safeguardingLeadAttends) {
    return `A family member or friend must never interpret when the Designated Safeguarding Lead meets the family: book a professional interpreter, or a member of staff who speaks ${language}`;
  }
  return null;
}

/** Where it happens: a place to meet in person, a link for a video call; a phone call needs neither. */
export function placeProblem(mode: MeetingMode, place: string | null, videoLink: string | null): { field: 'place' | 'video_link'; error: string } | null {
  if (mode === 'in_person' && !place) return { field: 'place', error: 'Enter where you will meet, for example Room 3 or the family’s address' };
  if (mode === 'video' && !videoLink) return { field: 'video_link', error: 'Enter the link to the video call' };
  if (mode === 'video' && videoLink && !/^https:\/\/[^\s]+$/.test(videoLink)) return { field: 'video_link', error: 'Enter the video call link starting with https://' };
  return null;
}

/** Which statuses allow which change. */
export const canOffer = (s: MeetingStatus) => s === 'requested' || s === 'offered';
export const canCancel = (s: MeetingStatus) => s === 'requested' || s === 'offered' || s === 'scheduled';
export const canAddToAgenda = (s: MeetingStatus) => s === 'requested' || s === 'offered' || s === 'scheduled';

/** Where and how, in words for a family: "Room 3", "By video call: https://…", "By phone". */
export function whereText(m: { mode: MeetingMode; place: string | null; video_link: string | null }): string {
  if (m.mode === 'video') return m.video_link ? `By video call: ${m.video_link}` : 'By video call (the link will follow)';
  if (m.mode === 'phone') return 'By phone: the school will call you';
  return m.place ?? 'At school';
}

/** The part of the day, for sorting a carer's meetings into what is coming and what has been. */
export function isUpcoming(m: { status: MeetingStatus; starts_at: Instant | null }, now: Date): boolean {
  return m.status === 'scheduled' && !!m.starts_at && m.starts_at >= now.toISOString();
}

/** "Kuba" for a family; the preferred name when there is one. */
export function childName(p: { given_name: string; preferred_name: string | null } | null | undefined): string {
  return p ? (p.preferred_name ?? p.given_name) : 'your child';
}

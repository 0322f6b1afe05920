import { DateTime } from 'luxon';
import type { Instant, LocalDate, MeetingMode, SeparatedCarers } from '../../db/schema.ts';
import { formatInstant, schoolLocalInstant } from '../../platform/calendar/time.ts';
import type { FieldErrors, PageErrors } from '../../platform/web/forms.ts';
import { named } from '../../platform/web/nunjucks.ts';
import { overlappingSessions, sessionProblem, slotsOf, type Session } from './slots.ts';

/** How parents who live apart book, in the order the set-up form offers them. */
export const SEPARATED_CARERS: readonly SeparatedCarers[] = ['own', 'join', 'either'];

/**
 * Setting up a parents' evening, as plain rules over typed values: what the leader entered, whether
 * it makes sense (sessions, booking window, teachers), which slots it makes, and when it may be
 * published. Errors are keyed by the form's field names, so a page can show each beside its field.
 */

export const MODES: readonly MeetingMode[] = ['in_person', 'phone', 'video'];
export const MODE_LABELS: Record<MeetingMode, string> = { in_person: 'In person', phone: 'By phone', video: 'By video call' };
export const MAX_SESSIONS = 3;
export const DEFAULT_TRAVEL_GAP = 5;

export type LocalTime = { date: LocalDate; time: string };

/** What a leader asks for: the form's fields as typed values (also what the demo data passes). */
export type EveningInput = {
  name: string;
  sessions: Session[];
  classIds: string[];
  /** The teachers who meet families; empty means every class teacher of the chosen classes. */
  teacherIds: string[];
  modes: MeetingMode[];
  travelGapMinutes: number;
  separatedCarers: SeparatedCarers;
  bookingOpens: LocalTime;
  bookingCloses: LocalTime;
};

/** A checked evening, ready to save: teachers resolved, booking window as instants. */
export type EveningPlan = Omit<EveningInput, 'bookingOpens' | 'bookingCloses'> & { bookingOpensAt: Instant; bookingClosesAt: Instant };

/** The school as setting-up sees it: its classes with their teachers, and the names of its staff. */
export type SchoolClasses = { classes: { id: string; name: string; teacherIds: string[] }[]; staffNames: Map<string, string> };

export type Checked<T> = { ok: true; value: T } | { ok: false; errors: PageErrors };

/** The field of session n (1-based): s1_date, s2_slot_minutes… */
export const sessionField = (n: number, field: 'date' | 'starts' | 'ends' | 'slot_minutes' | 'break_starts' | 'break_ends') => `s${n}_${field}`;

const minutesOf = (t: string) => Number(t.slice(0, 2)) * 60 + Number(t.slice(3, 5));

/** What is wrong with each session, beside the field it concerns; then any two that overlap. */
export function sessionErrors(sessions: Session[], timeZone: string): FieldErrors {
  const errors: FieldErrors = {};
  if (sessions.length === 0) errors[sessionField(1, 'date')] = 'Enter the date and times of the evening';
  if (sessions.length > MAX_SESSIONS) errors[sessionField(1, 'date')] = `An evening has at most ${MAX_SESSIONS} sessions`;
  sessions.forEach((s, i) => {
    const problem = sessionProblem(s) ?? clockChangeProblem(s, timeZone);
    if (!problem) return;
    const n = i + 1;
    const field = /real date/.test(problem)
      ? 'date'
      : /start and end times|clocks/.test(problem)
        ? 'starts'
        : /end after/.test(problem)
          ? 'ends'
          : /break/i.test(problem)
            ? 'break_starts'
            : 'slot_minutes';
    errors[sessionField(n, field)] = sessions.length > 1 ? `Session ${n}: ${lowerFirst(problem)}` : problem;
  });
  if (Object.keys(errors).length > 0) return errors;
  for (let j = 1; j < sessions.length; j++) {
    for (let i = 0; i < j; i++) {
      const clash = overlappingSessions([sessions[i]!, sessions[j]!]);
      if (clash) {
        errors[sessionField(j + 1, 'starts')] ??= `${clash}: give each session its own time of day`;
      }
    }
  }
  return errors;
}

/**
 * A session whose start or end the clocks skip or repeat, or that the clocks change during, has
 * slots nobody can name for sure (the hour after 01:00 on the last Sundays of March and October).
 */
export function clockChangeProblem(s: Session, timeZone: string): string | null {
  const start = schoolLocalInstant(s.date, s.starts, timeZone);
  const end = schoolLocalInstant(s.date, s.ends, timeZone);
  const words = 'The clocks change during this session: choose times before 1am or after 2am';
  if (!start.ok || !end.ok) return words;
  const elapsed = (Date.parse(end.instant) - Date.parse(start.instant)) / 60_000;
  return elapsed === minutesOf(s.ends) - minutesOf(s.starts) ? null : words;
}

const WINDOW_WORDS = {
  skipped: 'The clocks go forward then, so that time does not exist: choose another time',
  twice: 'The clocks go back then, so that time happens twice: choose another time',
};

/**
 * What to write beside a booking time the clocks skip or repeat. The form's date boxes and time box
 * say themselves what is wrong with a date or time (setup-form.ts), and only a real date and an
 * HH:MM time get here; anything else is a caller's mistake, not a person's.
 */
function windowProblem(at: LocalTime, reason: 'invalid' | 'skipped' | 'twice'): string {
  if (reason === 'invalid') throw new Error(`A booking time needs a real date and an HH:MM time, not "${at.date} ${at.time}"`);
  return WINDOW_WORDS[reason];
}

/** The first session's end as an instant (sessions already checked). */
export function firstSessionEnd(sessions: Session[], timeZone: string): Instant | null {
  const first = [...sessions].sort((a, b) => (a.date + a.starts).localeCompare(b.date + b.starts))[0];
  if (!first) return null;
  return DateTime.fromISO(`${first.date}T${first.ends}`, { zone: timeZone }).toUTC().toISO();
}

/** Booking opens and closes at school times; it closes after it opens and before the first session ends. */
export function bookingWindow(opens: LocalTime, closes: LocalTime, sessions: Session[], timeZone: string): Checked<{ opensAt: Instant; closesAt: Instant }> {
  const errors: FieldErrors = {};
  const o = schoolLocalInstant(opens.date, opens.time, timeZone);
  const c = schoolLocalInstant(closes.date, closes.time, timeZone);
  if (!o.ok) errors.opens_date = windowProblem(opens, o.reason);
  if (!c.ok) errors.closes_date = windowProblem(closes, c.reason);
  if (!o.ok || !c.ok) return { ok: false, errors };
  if (c.instant <= o.instant) return { ok: false, errors: { closes_date: 'Booking must close after it opens' } };
  const end = firstSessionEnd(sessions, timeZone);
  if (end && c.instant >= end) {
    return { ok: false, errors: { closes_date: `Booking must close before the first session ends (${formatInstant(end, timeZone)})` } };
  }
  return { ok: true, value: { opensAt: o.instant, closesAt: c.instant } };
}

/** "Nursery", "Nursery and 5 Smith", "A, B and C" */
function listWords(items: string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}

/**
 * The teachers who meet families: those chosen, or every class teacher of the chosen classes.
 * A chosen class with no teacher, a chosen teacher who teaches none of the chosen classes, and a
 * chosen class none of whose teachers was chosen each get a clear message.
 */
export function resolveTeachers(classIds: string[], teacherIds: string[], school: SchoolClasses): Checked<string[]> {
  const byId = new Map(school.classes.map((c) => [c.id, c]));
  const chosen = [...new Set(classIds)].map((id) => byId.get(id));
  if (chosen.length === 0) return { ok: false, errors: { class_ids: 'Choose at least one class' } };
  if (chosen.some((c) => !c)) return { ok: false, errors: { class_ids: 'Choose classes from the list' } };
  const classes = chosen as NonNullable<(typeof chosen)[number]>[];
  const errors: FieldErrors = {};
  const untaught = classes.filter((c) => c.teacherIds.length === 0).map((c) => c.name);
  if (untaught.length > 0) {
    errors.class_ids = `${listWords(untaught)} ${untaught.length === 1 ? 'has' : 'have'} no class teacher: give ${untaught.length === 1 ? 'it one' : 'each one'} in the school's records first, or leave ${untaught.length === 1 ? 'it' : 'them'} out`;
  }
  const picked = [...new Set(teacherIds)];
  if (picked.some((id) => !school.staffNames.has(id))) return { ok: false, errors: { ...errors, teacher_ids: 'Choose teachers from the list' } };
  const teaching = new Set(classes.flatMap((c) => c.teacherIds));
  const idle = picked.filter((id) => !teaching.has(id)).map((id) => school.staffNames.get(id)!);
  if (idle.length > 0) {
    errors.teacher_ids = `${listWords(idle)} ${idle.length === 1 ? 'teaches' : 'teach'} none of the chosen classes: choose their classes too, or untick them`;
  } else if (picked.length > 0) {
    const uncovered = classes.filter((c) => c.teacherIds.length > 0 && !c.teacherIds.some((id) => picked.includes(id))).map((c) => c.name);
    if (uncovered.length > 0)
      errors.teacher_ids = `Nobody chosen teaches ${listWords(uncovered)}: choose ${uncovered.length === 1 ? 'its teacher' : 'their teachers'}, or leave ${uncovered.length === 1 ? 'the class' : 'those classes'} out`;
  }
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, value: picked.length > 0 ? picked : [...teaching] };
}

/** Everything about an evening a leader entered, checked together. */
export function checkEvening(input: EveningInput, school: SchoolClasses, timeZone: string): Checked<EveningPlan> {
  const errors: FieldErrors = {};
  if (!input.name.trim()) errors.name = 'Enter a name for the parents’ evening';
  Object.assign(errors, sessionErrors(input.sessions, timeZone));
  const teachers = resolveTeachers(input.classIds, input.teacherIds, school);
  if (!teachers.ok) Object.assign(errors, teachers.errors);
  const modes = MODES.filter((m) => input.modes.includes(m));
  if (modes.length === 0) errors.modes = 'Choose at least one way to meet';
  if (!Number.isInteger(input.travelGapMinutes) || input.travelGapMinutes < 0 || input.travelGapMinutes > 30) errors.travel_gap = 'The time between appointments must be from 0 to 30 minutes';
  if (!SEPARATED_CARERS.includes(input.separatedCarers)) errors.separated_carers = 'Choose how parents who live apart book';
  // With a session wrong, the window is still checked, but not against the first session's end.
  const sessionsWrong = Object.keys(errors).some((k) => /^s\d_/.test(k));
  const window = bookingWindow(input.bookingOpens, input.bookingCloses, sessionsWrong ? [] : input.sessions, timeZone);
  if (!window.ok) Object.assign(errors, window.errors);
  if (Object.keys(errors).length > 0 || !teachers.ok || !window.ok) return { ok: false, errors };
  const sessions = [...input.sessions].sort((a, b) => (a.date + a.starts).localeCompare(b.date + b.starts));
  return {
    ok: true,
    value: {
      name: input.name.trim(),
      sessions,
      classIds: [...new Set(input.classIds)],
      teacherIds: teachers.value,
      modes,
      travelGapMinutes: input.travelGapMinutes,
      separatedCarers: input.separatedCarers,
      bookingOpensAt: window.value.opensAt,
      bookingClosesAt: window.value.closesAt,
    },
  };
}

/** Sessions are the same when every date, time, slot length and break is. */
export function sameSessions(a: Session[], b: Session[]): boolean {
  const key = (s: Session) => JSON.stringify([s.date, s.starts, s.ends, s.slotMinutes, s.breaks.map((x) => [x.starts, x.ends])]);
  return a.length === b.length && a.every((s, i) => key(s) === key(b[i]!));
}

export type PlannedSlot = { sessionIndex: number; staffId: string; startsAt: Instant; endsAt: Instant };

/** One slot per teacher per slot time of every session. */
export function plannedSlots(sessions: Session[], teacherIds: string[], timeZone: string): PlannedSlot[] {
  const times = sessions.flatMap((s, sessionIndex) => slotsOf(s, timeZone).map((slot) => ({ sessionIndex, startsAt: slot.starts, endsAt: slot.ends })));
  return teacherIds.flatMap((staffId) => times.map((t) => ({ ...t, staffId })));
}

export type ExistingSlot = { id: string; staffId: string; startsAt: Instant; endsAt: Instant };

/**
 * From the slots an evening has to the slots it should have: a slot at the same time with the same
 * teacher is kept (with its unavailable mark); the others are added or removed.
 */
export function diffSlots(existing: ExistingSlot[], planned: PlannedSlot[]): { keep: { id: string; sessionIndex: number }[]; add: PlannedSlot[]; remove: string[] } {
  const key = (staffId: string, startsAt: string, endsAt: string) => `${staffId}|${startsAt}|${endsAt}`;
  const have = new Map(existing.map((s) => [key(s.staffId, s.startsAt, s.endsAt), s]));
  const keep: { id: string; sessionIndex: number }[] = [];
  const add: PlannedSlot[] = [];
  for (const p of planned) {
    const found = have.get(key(p.staffId, p.startsAt, p.endsAt));
    if (found) {
      keep.push({ id: found.id, sessionIndex: p.sessionIndex });
      have.delete(key(p.staffId, p.startsAt, p.endsAt));
    } else add.push(p);
  }
  return { keep, add, remove: [...have.values()].map((s) => s.id) };
}

export type TeacherPlace = { staffId: string; name: string; room: string | null; videoLink: string | null };

/** Before families see it: every teacher has a room when families may come in person, and a link when they may meet by video. */
export function publishProblems(modes: MeetingMode[], teachers: TeacherPlace[]): PageErrors {
  const errors: PageErrors = {};
  if (teachers.length === 0) errors._form = 'The evening has no teachers: choose its classes first';
  for (const t of teachers) {
    if (modes.includes('in_person') && !t.room) errors[`room_${t.staffId}`] = named`Enter a room for ${t.name}`;
    if (modes.includes('video') && !t.videoLink) errors[`link_${t.staffId}`] = named`Enter a video link for ${t.name}`;
  }
  return errors;
}

/** Rooms and video links as typed on the second step: a room is short text; a link starts https://. */
export function readPlaces(
  body: Record<string, unknown>,
  teachers: { staffId: string; name: string }[],
  video: boolean,
): Checked<{ staffId: string; room: string | null; videoLink: string | null }[]> {
  const errors: PageErrors = {};
  const places = teachers.map((t) => {
    const room = String(body[`room_${t.staffId}`] ?? '')
      .trim()
      .replace(/\s+/g, ' ');
    const link = video ? String(body[`link_${t.staffId}`] ?? '').trim() : '';
    if (room.length > 60) errors[`room_${t.staffId}`] = named`The room for ${t.name} must be 60 characters or fewer`;
    if (link && !isHttpsLink(link)) errors[`link_${t.staffId}`] = named`Enter the video link for ${t.name} as a full web address starting https://`;
    return { staffId: t.staffId, room: room || null, videoLink: link || null };
  });
  return Object.keys(errors).length > 0 ? { ok: false, errors } : { ok: true, value: places };
}

function isHttpsLink(s: string): boolean {
  if (s.length > 500 || /\s/.test(s)) return false;
  try {
    const u = new URL(s);
    return u.protocol === 'https:' && u.hostname.includes('.');
  } catch {
    return false;
  }
}

export type EveningStatus = 'draft' | 'upcoming' | 'open' | 'closed';

/** Draft until published; then waiting for booking to open, open, and closed. */
export function eveningStatus(e: { published_at: Instant | null; booking_opens_at: Instant; booking_closes_at: Instant }, now: Date): EveningStatus {
  if (!e.published_at) return 'draft';
  const at = now.toISOString();
  if (at < e.booking_opens_at) return 'upcoming';
  if (at < e.booking_closes_at) return 'open';
  return 'closed';
}

export function parseModes(modes: string): MeetingMode[] {
  const listed = modes.split(',');
  return MODES.filter((m) => listed.includes(m));
}

/** "Thursday 26 November 2026, 3:30pm to 6:30pm (break 5pm to 5:15pm)" lines for an evening's sessions. */
export function sessionLines(sessions: Session[]): string[] {
  return sessions.map((s) => {
    const day = DateTime.fromISO(s.date).setLocale('en-GB').toFormat('cccc d MMMM yyyy');
    const breaks = s.breaks.map((b) => ` (break ${clockWords(b.starts)} to ${clockWords(b.ends)})`).join('');
    return `${day}, ${clockWords(s.starts)} to ${clockWords(s.ends)}${breaks}, ${s.slotMinutes}-minute appointments`;
  });
}

/** "5:30pm" for a wall-clock 'HH:mm'. */
export function clockWords(time: string): string {
  const h = Number(time.slice(0, 2));
  const m = time.slice(3, 5);
  return `${h % 12 === 0 ? 12 : h % 12}:${m}${h < 12 ? 'am' : 'pm'}`;
}

function lowerFirst(s: string): string {
  return s.charAt(0).toLowerCase() + s.slice(1);
}

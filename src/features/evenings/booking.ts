import type { Instant, MeetingMode, SeparatedCarers } from '../../db/schema.ts';
import { formatTime } from '../../platform/calendar/time.ts';
import { remembered } from '../../platform/remembered.ts';
import { english, type Text } from '../../platform/i18n/catalog.ts';
import { namedHtml, type Html } from '../../platform/web/nunjucks.ts';
import { instantIn, timeIn, weekdayInstantDateIn, weekdayInstantIn } from '../../platform/i18n/dates.ts';

/**
 * Booking a parents' evening, as plain rules over typed values (no HTTP, no SQL): which children and
 * teachers a carer may book, when two appointments clash, "book for me" (the most compact schedule
 * that fits), the nearest free times to a wanted one, and the booking window in words.
 * Times are UTC instants throughout, so an evening on the day the clocks change is no different.
 */

export type Interval = { starts: Instant; ends: Instant };
/** One of the carer's appointments (booked, joined or held for them), or one they want. */
export type Appointment = Interval & { staffId: string; label?: string };
/** A teacher's slot nobody has taken. */
export type FreeTime = Interval & { slotId: string; staffId: string };

const MINUTE = 60_000;
const ms = (at: Instant) => Date.parse(at);

// ---------------------------------------------------------------------------------------------
// Who may be booked

/** A carer's child with one of the child's class teachers, as read from the database. */
export type FamilyRow = {
  pupilId: string;
  pupilName: string;
  /** The child's class takes part in this evening. */
  classInEvening: boolean;
  /** The carer is linked and may receive information about the child. */
  mayReceiveInformation: boolean;
  /** A restriction (court order, agreed arrangement) in force between this carer and child. */
  restricted: boolean;
  staffId: string | null;
  teacherName: string | null;
  /** The teacher is seeing families at this evening. */
  teacherInEvening: boolean;
  room: string | null;
  videoLink: string | null;
  /** What the carer asked for at this evening ("Help at your appointments"; null: nothing), the same on every row. */
  needs?: { interpreterLanguage: string | null; accessNote: string | null } | null;
};
export type Teacher = { staffId: string; name: string; room: string | null; videoLink: string | null };
export type BookableChild = { pupilId: string; name: string; teachers: Teacher[] };

/** Every teacher of the family's children, by id (the free times a booking page lists). */
export function familyTeacherIds(family: BookableChild[]): string[] {
  return family.flatMap((c) => c.teachers.map((t) => t.staffId));
}

/**
 * The children a carer may book for at this evening, each with the teachers they may book: the
 * child's class is in the evening, the carer may receive information and no restriction is in force,
 * and the teacher teaches the child's class and is seeing families that evening. Order is kept.
 */
export function bookableChildren(rows: FamilyRow[]): BookableChild[] {
  const children = new Map<string, BookableChild>();
  for (const r of rows) {
    if (!r.classInEvening || !r.mayReceiveInformation || r.restricted) continue;
    let child = children.get(r.pupilId);
    if (!child) children.set(r.pupilId, (child = { pupilId: r.pupilId, name: r.pupilName, teachers: [] }));
    if (r.staffId && r.teacherName && r.teacherInEvening && !child.teachers.some((t) => t.staffId === r.staffId)) {
      child.teachers.push({ staffId: r.staffId, name: r.teacherName, room: r.room, videoLink: r.videoLink });
    }
  }
  return [...children.values()].filter((c) => c.teachers.length > 0);
}

/** The key that makes one live appointment per child per teacher (per carer when separated carers may book their own). */
export function bookingKey(pupilId: string, carerId: string, separatedCarers: SeparatedCarers): string {
  return separatedCarers === 'join' ? pupilId : `${pupilId}:${carerId}`;
}

/** May a carer join the appointment another of the child's carers booked? */
export const mayJoin = (separatedCarers: SeparatedCarers) => separatedCarers !== 'own';
/** May a carer book their own appointment when another carer already has one with that teacher? */
export const mayBookOwn = (separatedCarers: SeparatedCarers) => separatedCarers !== 'join';

/** The ways to meet an evening offers, in the order the school listed them. */
export function modesOf(modes: string): MeetingMode[] {
  const all: MeetingMode[] = ['in_person', 'phone', 'video'];
  const listed = modes
    .split(',')
    .map((m) => m.trim())
    .filter((m): m is MeetingMode => (all as string[]).includes(m));
  return listed.length > 0 ? listed : ['in_person'];
}

export const MODE_WORDS: Record<MeetingMode, string> = { in_person: 'In person', phone: 'Phone call', video: 'Video call' };

/** A way to meet in the reader's words ("In person", "Osobiście"). */
export function modeWords(mode: MeetingMode, t: Text = english): string {
  return t(`evenings.mode.${mode}`);
}

// ---------------------------------------------------------------------------------------------
// Clashes and the travel gap

/**
 * Whether two of a carer's appointments clash: they overlap, or there are fewer than `gapMinutes`
 * between one ending and the other starting. Two appointments with the same teacher need no travel.
 */
export function clashBetween(a: Appointment, b: Appointment, gapMinutes: number): 'overlap' | 'gap' | null {
  if (ms(a.starts) < ms(b.ends) && ms(b.starts) < ms(a.ends)) return 'overlap';
  const gap = a.staffId === b.staffId ? 0 : gapMinutes * MINUTE;
  const between = ms(a.starts) >= ms(b.ends) ? ms(a.starts) - ms(b.ends) : ms(b.starts) - ms(a.ends);
  return between < gap ? 'gap' : null;
}

export type Clash<T extends Appointment> = { wanted: T; other: Appointment; kind: 'overlap' | 'gap' };

/**
 * The first clash among the wanted appointments, checked against the carer's existing ones and each
 * other (in the order given: the later of two wanted ones is the one reported). Null when all fit.
 */
export function firstClash<T extends Appointment>(wanted: T[], existing: Appointment[], gapMinutes: number): Clash<T> | null {
  const placed: Appointment[] = [...existing];
  for (const w of wanted) {
    for (const other of placed) {
      const kind = clashBetween(w, other, gapMinutes);
      if (kind) return { wanted: w, other, kind };
    }
    placed.push(w);
  }
  return null;
}

/** A clash in words for the carer, e.g. "This is at the same time as your appointment with Ms Bell at 4:00pm". */
export function clashWords(clash: { other: Appointment; kind: 'overlap' | 'gap' }, gapMinutes: number, timeZone: string, t: Text = english): Html {
  return namedHtml(t, 'evenings.error.chooseAnother', { problem: clashProblem(clash, gapMinutes, timeZone, t) });
}

/** The clash alone, without "Choose another time" (joining another carer's appointment says it its own way). */
export function clashProblem(clash: { other: Appointment; kind: 'overlap' | 'gap' }, gapMinutes: number, timeZone: string, t: Text = english): Html {
  const values = { teacher: clash.other.label ?? '', time: timeOf(clash.other.starts, timeZone, t), minutes: gapMinutes };
  const key = `evenings.error.${clash.kind}${clash.other.label ? 'With' : ''}`;
  return namedHtml(t, key, values);
}

// ---------------------------------------------------------------------------------------------
// Book for me

export type Wanted = { key: string; staffId: string; free: FreeTime[] };
export type Proposal =
  { ok: true; picks: { key: string; slot: FreeTime }[] } | { ok: false; reason: 'nothing_to_book' } | { ok: false; reason: 'no_free_time'; key: string } | { ok: false; reason: 'no_fit' };

/**
 * "Book for me": one free time with each wanted teacher, all inside [earliest, latest], clash-free
 * with each other and with the carer's existing appointments (travel gap included), choosing the
 * smallest span from the first start to the last end, then the earliest start.
 *
 * For each order of the teachers and each first time, taking the earliest time that fits for every
 * next teacher gives the earliest possible last end (a later end never opens a better choice), so
 * trying every order and first time finds the best schedule. Families have a handful of teachers;
 * past seven, the orders are too many and the next teacher is the one free soonest instead.
 */
export function bookForMe(input: { wanted: Wanted[]; existing: Appointment[]; earliest: Instant; latest: Instant; gapMinutes: number }): Proposal {
  const { existing, gapMinutes } = input;
  if (input.wanted.length === 0) return { ok: false, reason: 'nothing_to_book' };
  const from = ms(input.earliest);
  const to = ms(input.latest);
  const fits = (s: FreeTime) => ms(s.starts) >= from && ms(s.ends) <= to && !existing.some((e) => clashBetween(asAppointment(s), e, gapMinutes));
  const wanted = input.wanted.map((w) => ({ ...w, free: w.free.filter(fits).sort((a, b) => ms(a.starts) - ms(b.starts)) }));
  const empty = wanted.find((w) => w.free.length === 0);
  if (empty) return { ok: false, reason: 'no_free_time', key: empty.key };

  let best: { span: number; start: number; picks: { key: string; slot: FreeTime }[] } | null = null;
  const consider = (picks: { key: string; slot: FreeTime }[]) => {
    const start = ms(picks[0]!.slot.starts);
    const span = ms(picks[picks.length - 1]!.slot.ends) - start;
    if (!best || span < best.span || (span === best.span && start < best.start)) best = { span, start, picks };
  };
  const next = (w: Wanted, after: FreeTime, chosen: FreeTime[]) =>
    w.free.find(
      (s) =>
        ms(s.starts) >= ms(after.ends) + (after.staffId === s.staffId ? 0 : gapMinutes * MINUTE) &&
        !chosen.some((c) => c.slotId === s.slotId || clashBetween(asAppointment(s), asAppointment(c), gapMinutes)),
    );

  if (wanted.length <= 7) {
    for (const order of permutations(wanted)) {
      for (const first of order[0]!.free) {
        const picks = [{ key: order[0]!.key, slot: first }];
        for (const w of order.slice(1)) {
          const slot = next(
            w,
            picks[picks.length - 1]!.slot,
            picks.map((p) => p.slot),
          );
          if (!slot) break;
          picks.push({ key: w.key, slot });
        }
        if (picks.length === order.length) consider(picks);
      }
    }
  } else {
    for (const firstTeacher of wanted) {
      for (const first of firstTeacher.free) {
        const picks = [{ key: firstTeacher.key, slot: first }];
        const left = wanted.filter((w) => w !== firstTeacher);
        while (left.length > 0) {
          const options = left
            .map((w) => ({
              w,
              slot: next(
                w,
                picks[picks.length - 1]!.slot,
                picks.map((p) => p.slot),
              ),
            }))
            .filter((o) => o.slot);
          if (options.length === 0) break;
          options.sort((a, b) => ms(a.slot!.starts) - ms(b.slot!.starts));
          picks.push({ key: options[0]!.w.key, slot: options[0]!.slot! });
          left.splice(left.indexOf(options[0]!.w), 1);
        }
        if (left.length === 0) consider(picks);
      }
    }
  }
  const found = best as { picks: { key: string; slot: FreeTime }[] } | null;
  return found ? { ok: true, picks: found.picks } : { ok: false, reason: 'no_fit' };
}

function asAppointment(s: FreeTime): Appointment {
  return { starts: s.starts, ends: s.ends, staffId: s.staffId };
}

function* permutations<T>(items: T[]): Generator<T[]> {
  if (items.length <= 1) {
    yield items;
    return;
  }
  for (let i = 0; i < items.length; i++) {
    const rest = [...items.slice(0, i), ...items.slice(i + 1)];
    for (const p of permutations(rest)) yield [items[i]!, ...p];
  }
}

// ---------------------------------------------------------------------------------------------
// Nearest free times, the window, and times in words

/** Up to `count` free times closest to the wanted time (earlier first on a tie), in time order. */
export function nearestFreeTimes<T extends Interval>(free: T[], wanted: Instant, count = 3): T[] {
  const at = ms(wanted);
  return [...free]
    .sort((a, b) => Math.abs(ms(a.starts) - at) - Math.abs(ms(b.starts) - at) || ms(a.starts) - ms(b.starts))
    .slice(0, count)
    .sort((a, b) => ms(a.starts) - ms(b.starts));
}

/**
 * Why booking is not open now, in words, or null when it is. Staff booking for a carer who phones in
 * may book after booking closes (not before it opens: that would jump the queue).
 */
export function windowProblem(evening: { booking_opens_at: Instant; booking_closes_at: Instant }, now: Date, byStaff: boolean, timeZone: string, t: Text = english): string | null {
  const closes = () => instantIn(t.code, evening.booking_closes_at, timeZone);
  if (now.getTime() < ms(evening.booking_opens_at)) return t('evenings.window.notYet', { opens: instantIn(t.code, evening.booking_opens_at, timeZone), closes: closes() });
  if (!byStaff && now.getTime() >= ms(evening.booking_closes_at)) return t('evenings.window.closed', { closes: closes() });
  return null;
}

/** "4:00pm" in the school's zone ("16:00" in Polish). */
export function timeOf(at: Instant, timeZone: string, t: Text = english): string {
  if (t.code !== 'en') return timeIn(t.code, at, timeZone);
  return formatTime(at, timeZone);
}

/** "Thursday 26 November 2026" in the school's zone: an evening over more than one day is planned around the weekday. */
export function dayOf(at: Instant, timeZone: string, t: Text = english): string {
  return weekdayInstantDateIn(t.code, at, timeZone);
}

/** "4:00pm", or "Thursday 26 November 2026 at 4:00pm" when the evening runs over more than one day. */
export function slotWords(at: Instant, timeZone: string, manyDays: boolean, t: Text = english): string {
  return slotWordsKnown(`${t.code}|${timeZone}|${manyDays ? 1 : 0}|${at}`, () => (manyDays ? weekdayInstantIn(t.code, at, timeZone) : timeOf(at, timeZone, t)));
}
/** Every carer's booking page lists the same few hundred slot times: their words are worked out once. */
const slotWordsKnown = remembered<string>(20_000);

/** "In person, in Room 3" from "in person, in Room 3" (for a line of its own). */
export function upperFirst(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** A list in words: "4:00pm, 4:10pm and 4:20pm". */
export function listWords(items: string[], t: Text = english): string {
  if (items.length <= 1) return items[0] ?? '';
  if (t.code !== 'en') return new Intl.ListFormat(t.code, { type: 'conjunction' }).format(items);
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

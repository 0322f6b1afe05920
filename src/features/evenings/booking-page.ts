import { DateTime } from 'luxon';
import { clockWords } from '../../platform/calendar/time.ts';
import { remembered } from '../../platform/remembered.ts';
import { english, type Text } from '../../platform/i18n/catalog.ts';
import nunjucks from 'nunjucks';
import type { Db } from '../../db/database.ts';
import { prepared } from '../../db/prepared.ts';
import type { LocalDate } from '../../db/schema.ts';
import { bookableChildren, clashBetween, mayBookOwn, mayJoin, familyTeacherIds, dayOf, modesOf, modeWords, slotWords, timeOf, upperFirst, windowProblem, type Appointment } from './booking.ts';
import { contactForCarer } from '../conduct/index.ts';
import { remoteModes } from './premises.ts';
import { daysBannedFromPremises } from '../conduct/index.ts';
import { modeField, slotField, otherField, OTHER_TIME, asAppointments, type Nearest, type Seen } from './booking-context.ts';
import { whereWords } from './booking-emails.ts';
import { supportPrompts } from '../profiles/index.ts';
import { childrensAppointments, eveningWithSessions, writtenUp, familyRows, freeTimesOf, myAppointments, waitingOf, type Evening } from './booking-queries.ts';
import { needsClosed } from './needs.ts';

/**
 * What the booking page shows a carer (or the office booking for them): each child with each of
 * their teachers, and for each teacher either the appointment already made, one another carer made
 * that they may join, a choice of free times that fit their other appointments, or "full" with the
 * waiting list. One page for all their children, so siblings are booked in one go.
 */
export type PageQuery = { schoolId: string; eveningId: string; carerId: string; now: Date; today: LocalDate; timeZone: string; byStaff: boolean; text?: Text };

export async function sessionsOf(db: Db, schoolId: string, eveningId: string) {
  return sessionsSelect(db, { schoolId, eveningId });
}
const sessionsSelect = prepared(
  ['schoolId', 'eveningId'],
  (db, q) => db.selectFrom('evening_sessions').select(['date', 'starts', 'ends']).where('school_id', '=', q.schoolId).where('evening_id', '=', q.eveningId).orderBy('date').orderBy('starts'),
  { keepPlan: true }, // a kept plan on PostgreSQL (src/db/kept-plans.ts): every booking page reads it
);

/** Nunjucks' own HTML escaping (the same the templates use; its types leave it out). */
const escape = (nunjucks as unknown as { lib: { escape(s: string): string } }).lib.escape;

const clock12 = (hhmm: string) => {
  const [h = 0, m = 0] = hhmm.split(':').map(Number);
  return clockWords(h % 12, String(m).padStart(2, '0'), h < 12 ? 'am' : 'pm');
};

/** "Thursday 26 November 2026, 3:30pm to 6:30pm" for each session (remembered: every carer's page shows them). */
const sessionWordsKnown = remembered<string>(1000);
export function sessionWords(sessions: { date: string; starts: string; ends: string }[], t: Text = english): string[] {
  if (t.code !== 'en') {
    const day = new Intl.DateTimeFormat(t.code, { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
    const time = new Intl.DateTimeFormat(t.code, { hour: 'numeric', minute: '2-digit', timeZone: 'UTC' });
    const at = (date: string, hhmm: string) => time.format(new Date(`${date}T${hhmm.slice(0, 5)}:00Z`));
    return sessions.map((s) =>
      sessionWordsKnown(`${t.code} ${s.date} ${s.starts} ${s.ends}`, () =>
        t('evenings.page.session', { day: day.format(new Date(`${s.date}T12:00:00Z`)), from: at(s.date, s.starts), to: at(s.date, s.ends) }),
      ),
    );
  }
  return sessions.map((s) =>
    sessionWordsKnown(`${s.date} ${s.starts} ${s.ends}`, () => `${DateTime.fromISO(s.date).setLocale('en-GB').toFormat('cccc d MMMM yyyy')}, ${clock12(s.starts)} to ${clock12(s.ends)}`),
  );
}

/**
 * The <option>s of a teacher's time list, escaped, as one string. A booking page lists up to a few
 * hundred times, and a Nunjucks loop over them (it sets seven loop variables a time) was about a
 * tenth of the page's CPU in a booking rush.
 */
export function optionsHtml(times: { value: string; text: string }[], chosen: string, t: Text = english): string {
  let html = `<option value="">${escape(t('evenings.page.chooseTime'))}</option>`;
  for (const time of times) html += `<option value="${escape(time.value)}"${time.value === chosen ? ' selected' : ''}>${escape(time.text)}</option>`;
  return html;
}

/** `seen`: what a booking that lost a race has just read (the evening, family, appointments and free times). */
/** `form.prompts`: also each child's "how best to support" link (features/profiles), read beside the page's other reads. */
/** `form.nearest`: beside a time just taken, the nearest free times, offered as choices of their own (radios). */
export async function bookingPage(db: Db, q: PageQuery, form: { values?: Record<string, unknown>; clear?: string[]; prompts?: boolean; nearest?: Nearest } = {}, seen?: Seen) {
  // The evening and the family side by side: on PostgreSQL each read is a round trip.
  // The evening comes with its sessions (one read), unless a booking that lost a race has just read it.
  const [{ evening, sessions: sessionsRead }, family] = await Promise.all([
    seen?.evening ? { evening: seen.evening, sessions: null } : eveningWithSessions(db, q.schoolId, q.eveningId),
    seen?.family ?? familyRows(db, q).then(bookableChildren),
  ]);
  if (!evening?.published_at) return null;
  if (family.length === 0) return null;
  // The waiting list is read below, only when a teacher has no free time left (it is shown only then).
  const [mine, free, sessions, theirs, prompts] = await Promise.all([
    seen?.mine ?? myAppointments(db, q),
    seen?.free ?? freeTimesOf(db, { ...q, staffIds: familyTeacherIds(family) }),
    sessionsRead ?? sessionsOf(db, q.schoolId, q.eveningId),
    mayJoin(evening.separated_carers) ? childrensAppointments(db, { ...q, pupilIds: family.map((c) => c.pupilId) }) : Promise.resolve([]),
    form.prompts ? supportPrompts(db, { schoolId: q.schoolId, carerId: q.carerId, pupilIds: family.map((c) => c.pupilId), today: q.today }) : Promise.resolve([]),
  ]);
  // Appointments the teacher met early and wrote up have happened: they can no longer be cancelled.
  const booked = mine.filter((m) => m.status === 'booked').map((m) => m.bookingId);
  const metEarly = new Set(await writtenUp(db, q.schoolId, booked));
  const tz = q.timeZone;
  const t = q.text ?? english;
  const manyDays = sessions.length > 1 && new Set(sessions.map((s) => s.date)).size > 1;
  const existing: Appointment[] = asAppointments(mine, family);
  // Banned from the premises (features/conduct) by the evening's last day: in person is not offered (premises.ts).
  const lastDay = sessions.at(-1)?.date;
  const banned = lastDay ? (await daysBannedFromPremises(db, q.schoolId, q.carerId, [lastDay])).size > 0 : false;
  const allModes = modesOf(evening.modes);
  const modes = banned ? remoteModes(allModes) : allModes;
  const banContact = banned ? await contactForCarer(db, q.schoolId, q.carerId) : null;
  const values = form.values ?? {};
  const clear = new Set(form.clear ?? []);

  const children = family.map((child) => ({
    pupilId: child.pupilId,
    name: child.name,
    teachers: child.teachers.map((tr) => {
      const field = slotField(child.pupilId, tr.staffId);
      const own = mine.find((m) => m.pupilId === child.pupilId && m.staffId === tr.staffId);
      const other = own ? undefined : theirs.find((b) => b.pupil_id === child.pupilId && b.staff_id === tr.staffId);
      const fits = free.filter((f) => f.staffId === tr.staffId && !existing.some((e) => clashBetween(f, e, evening.travel_gap_minutes)));
      const otherName = otherField(child.pupilId, tr.staffId);
      const picked = String(values[field] ?? '');
      const chosen = clear.has(field) ? '' : String((picked === OTHER_TIME || picked === '' ? values[otherName] : picked) ?? '');
      const nearest = (form.nearest?.[field] ?? []).flatMap((id) => fits.filter((f) => f.slotId === id)).map((f) => ({ value: f.slotId, text: slotWords(f.starts, tz, manyDays, t) }));
      return {
        staffId: tr.staffId,
        name: tr.name,
        room: tr.room,
        field,
        otherField: otherName,
        /** After a time was just taken: the nearest free times, as radios (with "another time" and the list). */
        nearest,
        modeField: modeField(child.pupilId, tr.staffId),
        mode: String(values[modeField(child.pupilId, tr.staffId)] ?? modes[0]),
        own: own
          ? { bookingId: own.bookingId, status: own.status, words: slotWords(own.starts, tz, manyDays, t), joined: own.joined, where: whereWords({ ...tr, teacherName: tr.name, mode: own.mode }, t) }
          : null,
        joinable: other ? { bookingId: other.id, words: slotWords(other.starts_at, tz, manyDays, t), where: whereWords({ ...tr, teacherName: tr.name, mode: other.mode }, t) } : null,
        // 'either': a carer may join the other carer's appointment or book one of their own.
        mayBookOwn: mayBookOwn(evening.separated_carers),
        optionsHtml: optionsHtml(
          fits.map((f) => ({ value: f.slotId, text: slotWords(f.starts, tz, manyDays, t) })),
          chosen,
          t,
        ),
        full: fits.length === 0,
        /** On the waiting list for this teacher (read only for a teacher who is full: see below). */
        waiting: false,
      };
    }),
  }));
  // "You are on the waiting list" (or "tell me when a time is free") is said only beside a teacher
  // with no free time left; while times are free (a booking rush) the list is not read at all.
  const full = children.flatMap((c) => c.teachers.filter((tr) => tr.full).map((tr) => ({ pupilId: c.pupilId, tr })));
  if (full.length > 0) {
    const waiting = await waitingOf(db, q);
    for (const { pupilId, tr } of full) tr.waiting = waiting.some((w) => w.pupil_id === pupilId && w.staff_id === tr.staffId);
  }
  const open = windowProblem(evening, q.now, q.byStaff, tz, t);
  const hold = mine.find((m) => m.status === 'held');
  const toBook = children.flatMap((c) => c.teachers).filter((c) => !c.own && (!c.joinable || c.mayBookOwn) && !c.full);

  return {
    evening: { id: evening.id, name: evening.name, gap: evening.travel_gap_minutes, separated: evening.separated_carers },
    sessions: sessionWords(sessions, t),
    manyDays,
    window: open,
    modes: modes.map((m) => ({ value: m, text: modeWords(m, t) })),
    children,
    // Only about children the carer may still hear about (a restriction made since hides the appointment).
    appointments: mine
      .filter((m) => m.status === 'booked' && family.some((c) => c.pupilId === m.pupilId))
      .map((m) => {
        const child = family.find((c) => c.pupilId === m.pupilId);
        const teacher = child?.teachers.find((c) => c.staffId === m.staffId);
        return {
          bookingId: m.bookingId,
          when: `${manyDays ? `${dayOf(m.starts, tz, t)}, ` : ''}${t('evenings.page.fromTo', { from: timeOf(m.starts, tz, t), to: timeOf(m.ends, tz, t) })}`,
          pupilName: child?.name ?? '',
          teacherName: teacher?.name ?? '',
          where: upperFirst(whereWords({ mode: m.mode, room: teacher?.room ?? null, videoLink: teacher?.videoLink ?? null, teacherName: teacher?.name ?? t('evenings.page.theTeacher') }, t)),
          joined: m.joined,
          started: Date.parse(m.starts) <= q.now.getTime() || metEarly.has(m.bookingId),
        };
      }),
    hold: hold ? { holdId: hold.holdId, until: timeOf(hold.holdExpiresAt!, tz, t) } : null,
    canBook: open === null && toBook.length > 0 && modes.length > 0,
    /** The evening has taken place: "Help at your appointments" can no longer be changed (needs.ts needsClosed). */
    over: needsClosed(sessions, q.today),
    /** Banned from the premises: what the page says (whether phone or video is offered, whom to contact). */
    premisesBan: banned ? { remote: modes.length > 0, contact: banContact } : null,
    values,
    // Before the evening (not once its last day has gone): each child's profile says how best to support them, to bring questions.
    supportPrompts: (sessions.at(-1)?.date ?? '') >= q.today ? prompts.map((p) => ({ ...p, name: family.find((c) => c.pupilId === p.pupilId)?.name ?? '' })) : [],
  };
}
export type BookingPage = NonNullable<Awaited<ReturnType<typeof bookingPage>>>;
export type { Evening };

import { z } from 'zod';
import type { EventKind, SendStatus, YearGroup } from '../../db/schema.ts';
import { isEmptyDate, readDateField, readTime } from '../../platform/calendar/typed.ts';
import { withDateParts } from '../../platform/web/forms.ts';
import { schoolLocalInstant } from '../../platform/calendar/time.ts';
import { audienceFromForm, type Audience } from '../messages/index.ts';
import { YEAR_GROUP_LABELS, yearOrder } from '../people/index.ts';
import { GROUP_MINIMUM, hiddenGroups, SURVEY_MINIMUM, type HiddenBecause } from '../surveys/index.ts';

/**
 * Events for families, as plain rules over typed values: what a school writes (kind, words, place,
 * who it is for, one or more sessions at different times of day), a carer's answer, the register,
 * and who came — by group of families, and who came for the first time.
 */
export const EVENT_KIND_LABELS: Record<EventKind, string> = {
  open_evening: 'Open evening',
  coffee_morning: 'Coffee morning',
  workshop: 'Workshop',
  concert: 'Concert',
  trip: 'Trip',
  pta_meeting: 'PTA meeting',
};
export const EVENT_KINDS = Object.keys(EVENT_KIND_LABELS) as EventKind[];

/**
 * Whether an event of this kind is held on the school premises, where a carer banned from the premises
 * (features/conduct) may not come: every kind but a trip, which goes elsewhere. The banned carer is
 * still sent the event (the ban is about the site, not about hearing what their child does).
 */
export function heldAtSchool(kind: EventKind): boolean {
  return kind !== 'trip';
}
/** Sessions a form offers: the coffee morning at 9:00 and again at 18:00, and room for one more. */
export const SESSION_SLOTS = 3;
export const MAX_ATTENDING = 10;

const list = z
  .union([z.string(), z.array(z.string())])
  .optional()
  .transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]));
const words = (missing: string, max: number, label: string) => z.string({ error: missing }).trim().min(1, missing).max(max, `${label} must be ${max} characters or fewer`);

export type SessionInput = { startsAt: string; endsAt: string };

/**
 * The sessions typed on a form (session_N_date, _start, _end), as instants in the school's zone. A
 * row left empty is skipped; a row half filled, a time the clocks skip or an end before its start is
 * an error beside that row; at least one session.
 */
export function readSessions(v: Record<string, unknown>, timeZone: string): { sessions: SessionInput[]; errors: Record<string, string> } {
  const sessions: SessionInput[] = [];
  const errors: Record<string, string> = {};
  const folded = withDateParts(v); // the date in GOV.UK's three boxes (`session_1_date-day`…) or one text
  for (let i = 1; i <= SESSION_SLOTS; i++) {
    const date = folded[`session_${i}_date`];
    const [start, end] = ['start', 'end'].map((f) => String(v[`session_${i}_${f}`] ?? '').trim());
    if (isEmptyDate(date) && !start && !end) continue;
    const d = readDateField(date, 'the date of the session');
    if (!d.ok) {
      errors[`session_${i}_date`] = d.problem;
      continue;
    }
    const s = readTime(start!);
    if (!s.ok) {
      errors[`session_${i}_start`] = start ? s.problem : 'Enter the time it starts, like 9am or 18:00';
      continue;
    }
    const e = readTime(end!);
    if (!e.ok) {
      errors[`session_${i}_end`] = end ? e.problem : 'Enter the time it ends, like 10:30am or 19:30';
      continue;
    }
    const from = schoolLocalInstant(d.date, s.time, timeZone);
    const to = schoolLocalInstant(d.date, e.time, timeZone);
    if (!from.ok || !to.ok) {
      errors[`session_${i}_start`] = 'The clocks change at that time: choose a time outside 1am to 2am';
      continue;
    }
    if (to.instant <= from.instant) {
      errors[`session_${i}_end`] = 'The end must be after the start';
      continue;
    }
    if (sessions.some((x) => x.startsAt === from.instant)) {
      errors[`session_${i}_start`] = 'Another session starts at the same time';
      continue;
    }
    sessions.push({ startsAt: from.instant, endsAt: to.instant });
  }
  if (sessions.length === 0 && Object.keys(errors).length === 0) errors.session_1_date = 'Enter the date and times of at least one session';
  return { sessions: sessions.sort((a, b) => a.startsAt.localeCompare(b.startsAt)), errors };
}

/** The event's words and audience; the sessions are read with readSessions (they need the school's time zone). */
export const EventForm = z
  .object({
    kind: z.enum(EVENT_KINDS as [EventKind, ...EventKind[]], { error: 'Select what kind of event it is' }),
    title: words('Enter a title', 150, 'The title'),
    description: z.string().trim().max(3000, 'The description must be 3,000 characters or fewer').default(''),
    place: words('Enter where it is, like the school hall', 200, 'The place'),
    audience_kind: z.enum(['school', 'years', 'classes', 'group'], { error: 'Select who it is for' }),
    years: list,
    class_ids: list,
    group_id: z.string().optional(),
  })
  .passthrough()
  .transform((v, ctx) => {
    const audience = audienceFromForm(v);
    if (!audience.success) {
      ctx.addIssue({ code: 'custom', path: ['audience_kind'], message: audience.error.issues[0]?.message ?? 'Select who it is for' });
      return z.NEVER;
    }
    return { kind: v.kind, title: v.title, description: v.description, place: v.place, audience: audience.data as Audience };
  });
export type EventInput = z.output<typeof EventForm>;

/** A carer's answer: a session ("yes, at 18:00") with how many are coming, or "no". */
export type RsvpInput = { answer: 'yes'; sessionId: string; attending: number } | { answer: 'no' };
export type RsvpProblem = 'choice' | 'attending';

export function readRsvp(body: Record<string, unknown>, sessionIds: string[]): { ok: true; rsvp: RsvpInput } | { ok: false; field: 'choice' | 'attending'; problem: RsvpProblem } {
  const choice = String(body.choice ?? '');
  if (choice === 'no') return { ok: true, rsvp: { answer: 'no' } };
  if (!sessionIds.includes(choice)) return { ok: false, field: 'choice', problem: 'choice' };
  const n = Number(String(body.attending ?? '').trim());
  if (!Number.isInteger(n) || n < 1 || n > MAX_ATTENDING) return { ok: false, field: 'attending', problem: 'attending' };
  return { ok: true, rsvp: { answer: 'yes', sessionId: choice, attending: n } };
}

/** The register form: the carers ticked as having come (the rest are not). */
export function ticked(body: Record<string, unknown>, expected: Set<string>): string[] {
  return [body.came ?? []]
    .flat()
    .map(String)
    .filter((id) => expected.has(id));
}

export type Attendance = { carerId: string; sessionId: string; startsAt: string };

/**
 * Who came for the first time: for each carer, their earliest attended session of all (at this
 * school) is where they came for the first time. Answers `sessionId:carerId` keys.
 */
export function firstTimes(attended: readonly Attendance[]): Set<string> {
  const first = new Map<string, Attendance>();
  for (const a of attended) {
    const seen = first.get(a.carerId);
    if (!seen || a.startsAt < seen.startsAt) first.set(a.carerId, a);
  }
  return new Set([...first.values()].map((a) => `${a.sessionId}:${a.carerId}`));
}

/** A family as the breakdown sees it: the carer's language and their children in the audience. */
export type FamilyFacts = { carerId: string; language: string; children: { yearGroup: YearGroup; send: SendStatus; eal: boolean }[] };

export type GroupKind = 'all' | 'year' | 'language' | 'send' | 'eal';
export type GroupRow = { group: string; kind: GroupKind; invited: number; said: number; came: number; firstTime: number; share: number | null };

/**
 * Attendance by group of families ("who never comes?"): for each year group, home language, SEND,
 * EAL and first-timers, how many families were asked, said yes, came, and came for the first time. A
 * family counts in each group one of its children (or its own language) is in.
 */
export function groupBreakdown(families: readonly FamilyFacts[], saidYes: ReadonlySet<string>, came: ReadonlySet<string>, firstTime: ReadonlySet<string>): GroupRow[] {
  const groups = new Map<string, { kind: GroupKind; order: string; members: Set<string> }>();
  const add = (kind: GroupKind, group: string, order: string, carerId: string) => {
    const g = groups.get(group) ?? { kind, order, members: new Set<string>() };
    g.members.add(carerId);
    groups.set(group, g);
  };
  for (const f of families) {
    for (const c of f.children) add('year', YEAR_GROUP_LABELS[c.yearGroup], `1:${String(yearOrder(c.yearGroup)).padStart(2, '0')}`, f.carerId);
    add('language', `Speaks ${f.language}`, `2:${f.language === 'English' ? '' : f.language}`, f.carerId);
    if (f.children.some((c) => c.send !== 'none')) add('send', 'SEND (SEN support or EHCP)', '3', f.carerId);
    if (f.children.some((c) => c.eal)) add('eal', 'English as an additional language', '4', f.carerId);
  }
  const rows = [...groups.entries()]
    .sort((a, b) => a[1].order.localeCompare(b[1].order))
    .map(([group, g]) => {
      const ids = [...g.members];
      const cameCount = ids.filter((id) => came.has(id)).length;
      return {
        group,
        kind: g.kind,
        invited: ids.length,
        said: ids.filter((id) => saidYes.has(id)).length,
        came: cameCount,
        firstTime: ids.filter((id) => firstTime.has(id)).length,
        share: ids.length ? Math.round((cameCount / ids.length) * 100) : null,
      };
    });
  const all = families.map((f) => f.carerId);
  const everyone = all.filter((id) => came.has(id)).length;
  rows.unshift({
    group: 'All families',
    kind: 'all',
    invited: all.length,
    said: all.filter((id) => saidYes.has(id)).length,
    came: everyone,
    firstTime: all.filter((id) => firstTime.has(id)).length,
    share: all.length ? Math.round((everyone / all.length) * 100) : null,
  });
  return rows;
}

/** Why a group's figures are not shown, in the words the events pages use. */
export const HIDDEN_WORDS: Record<HiddenBecause, string> = {
  'survey-too-small': `Not shown: fewer than ${SURVEY_MINIMUM} families were asked`,
  'group-too-small': `Not shown: fewer than ${GROUP_MINIMUM} families`,
  'could-be-worked-out': 'Not shown: it could be worked out from the other figures',
};

/**
 * The breakdown with small groups hidden by the surveys' rule (features/surveys), so that a group
 * of two or three families is not singled out on one page and hidden on another: nothing by group
 * when fewer than SURVEY_MINIMUM families were asked; a group of fewer than GROUP_MINIMUM families
 * hidden; and, among languages (each family speaks one, so they add up to all families), one more
 * hidden where the hidden one could be worked out from the total. All families is always shown.
 */
export function hideSmallGroups(rows: readonly GroupRow[]): (GroupRow & { hidden: string | null })[] {
  const everyone = rows.find((r) => r.kind === 'all')?.invited ?? 0;
  const languages = hiddenGroups(rows.filter((r) => r.kind === 'language').map((r) => ({ key: r.group, responses: r.invited })));
  return rows.map((r) => {
    let why: HiddenBecause | null = null;
    if (r.kind !== 'all' && everyone < SURVEY_MINIMUM) why = 'survey-too-small';
    else if (r.kind === 'language') why = languages.get(r.group) ?? null;
    else if (r.kind !== 'all' && r.invited > 0 && r.invited < GROUP_MINIMUM) why = 'group-too-small';
    return { ...r, hidden: why ? HIDDEN_WORDS[why] : null };
  });
}

/** Families invited to events that have happened who never came to any: the "who never comes?" list. */
export function neverCame(invitedTo: ReadonlyMap<string, number>, cameEver: ReadonlySet<string>): { carerId: string; invitations: number }[] {
  return [...invitedTo.entries()]
    .filter(([carerId]) => !cameEver.has(carerId))
    .map(([carerId, invitations]) => ({ carerId, invitations }))
    .sort((a, b) => b.invitations - a.invitations);
}

/**
 * The sessions on the change form, slot by slot (slot N stands for the Nth session as it was, soonest
 * first): null where the row is left empty. Each row is read as readSessions reads it.
 */
export function readSessionSlots(v: Record<string, unknown>, timeZone: string): { slots: (SessionInput | null)[]; errors: Record<string, string> } {
  const slots: (SessionInput | null)[] = [];
  const errors: Record<string, string> = {};
  for (let i = 1; i <= SESSION_SLOTS; i++) {
    const row = Object.fromEntries(Object.entries(v).filter(([k]) => k.startsWith(`session_${i}_`)));
    if (Object.values(row).every((x) => String(x ?? '').trim() === '')) {
      slots.push(null);
      continue;
    }
    const read = readSessions(row, timeZone);
    Object.assign(errors, read.errors);
    const s = read.sessions[0] ?? null;
    if (s && slots.some((x) => x?.startsAt === s.startsAt)) errors[`session_${i}_start`] = 'Another session starts at the same time';
    slots.push(s);
  }
  if (slots.every((s) => s === null) && Object.keys(errors).length === 0) errors.session_1_date = 'Enter the date and times of at least one session';
  return { slots, errors };
}

/** What carers who answered must hear of: a new place or a session at a new time (words alone are not news). */
export function changeIsNews(before: { place: string; sessions: SessionInput[] }, after: { place: string; sessions: SessionInput[] }): boolean {
  const times = (s: SessionInput[]) =>
    s
      .map((x) => `${x.startsAt}/${x.endsAt}`)
      .sort()
      .join(',');
  return before.place.trim() !== after.place.trim() || times(before.sessions) !== times(after.sessions);
}

/**
 * The staff list of events in two parts: those still to come (or without dates yet, as drafts are),
 * soonest first, and those whose last session has ended, most recent first.
 */
export function comingAndPast<E extends { created_at: string; sessions: readonly { starts_at: string; ends_at: string }[] }>(events: readonly E[], now: Date): { coming: E[]; past: E[] } {
  const at = now.toISOString();
  const first = (e: E) => e.sessions.reduce((m, s) => (s.starts_at < m ? s.starts_at : m), '9999');
  const last = (e: E) => e.sessions.reduce((m, s) => (s.ends_at > m ? s.ends_at : m), '');
  const past = events.filter((e) => e.sessions.length > 0 && last(e) <= at);
  const coming = events.filter((e) => !past.includes(e));
  return {
    coming: coming.sort((a, b) => first(a).localeCompare(first(b)) || b.created_at.localeCompare(a.created_at)),
    past: past.sort((a, b) => last(b).localeCompare(last(a))),
  };
}

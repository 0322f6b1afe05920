import { z } from 'zod';
import type { MeetingMode, SeparatedCarers } from '../../db/schema.ts';
import { isEmptyDate, readDateField, readTime } from '../../platform/calendar/typed.ts';
import { withDateParts, type FieldErrors, type FormResult } from '../../platform/web/forms.ts';
import type { Session } from './slots.ts';
import { DEFAULT_TRAVEL_GAP, MAX_SESSIONS, MODES, SEPARATED_CARERS, sessionErrors, sessionField, type EveningInput } from './setup.ts';

/**
 * The set-up form's fields → an EveningInput. Every field is checked at once, so the page shows
 * all its problems together; the rules that need the school (teachers, the booking window in its
 * time zone) are checked by checkEvening when the evening is saved.
 */

const str = (v: unknown) => (typeof v === 'string' ? v.trim() : '');
const list = (v: unknown) => [v ?? []].flat().filter((x): x is string => typeof x === 'string' && x.length > 0);

/** A typed time read by the one shared reader; an empty box gets `empty`, a bad one what to write. */
function readInto(text: string, empty: string, errors: FieldErrors, field: string): string {
  if (!text) {
    errors[field] = empty;
    return '';
  }
  const typed = readTime(text);
  if (!typed.ok) {
    errors[field] = typed.problem;
    return '';
  }
  return typed.time;
}

/** A date in GOV.UK's three boxes (or one text), with GOV.UK's messages after `label` ("Enter the date booking opens"). */
function readDateInto(value: unknown, label: string, errors: FieldErrors, field: string): string {
  const typed = readDateField(value, label);
  if (typed.ok) return typed.date;
  errors[field] = typed.problem;
  return '';
}

const Name = z.string().trim().min(1, 'Enter a name for the parents’ evening').max(80, 'The name must be 80 characters or fewer');
const Gap = z
  .string()
  .trim()
  .regex(/^\d{1,2}$/, 'Enter the minutes between appointments as a number from 0 to 30')
  .transform(Number)
  .refine((n) => n <= 30, 'The time between appointments must be from 0 to 30 minutes');

function readSession(n: number, values: Record<string, unknown>, errors: FieldErrors): Session | null {
  const f = (name: Parameters<typeof sessionField>[1]) => str(values[sessionField(n, name)]);
  const typedDate = values[sessionField(n, 'date')]; // the three boxes, folded by withDateParts
  const typed = { starts: f('starts'), ends: f('ends'), slot: f('slot_minutes'), breakStarts: f('break_starts'), breakEnds: f('break_ends') };
  if (n > 1 && isEmptyDate(typedDate) && Object.values(typed).every((v) => !v)) return null;
  const before = Object.keys(errors).length;
  const of = n === 1 ? '' : ` of session ${n}`;
  const date = readDateInto(typedDate, `the date${of || ' of the evening'}`, errors, sessionField(n, 'date'));
  const starts = readInto(typed.starts, `Enter the start time${of}, like 15:30`, errors, sessionField(n, 'starts'));
  const ends = readInto(typed.ends, `Enter the end time${of}, like 18:30`, errors, sessionField(n, 'ends'));
  const slot = typed.slot;
  if (!/^\d{1,2}$/.test(slot)) errors[sessionField(n, 'slot_minutes')] = `Enter the length of each appointment${of} in minutes, like 10`;
  let breakStarts = '';
  let breakEnds = '';
  if (typed.breakStarts || typed.breakEnds) {
    const both = 'Enter both the start and the end of the break, like 17:00 and 17:15, or leave both empty';
    breakStarts = readInto(typed.breakStarts, both, errors, sessionField(n, 'break_starts'));
    breakEnds = readInto(typed.breakEnds, both, errors, sessionField(n, 'break_ends'));
  }
  if (Object.keys(errors).length > before) return null;
  return { date, starts, ends, slotMinutes: Number(slot), breaks: breakStarts ? [{ starts: breakStarts, ends: breakEnds }] : [] };
}

export function readEveningForm(body: unknown, timeZone: string): FormResult<EveningInput> {
  const values = (body && typeof body === 'object' ? { ...(body as Record<string, unknown>) } : {}) as Record<string, unknown>;
  delete values._csrf;
  const errors: FieldErrors = {};
  const dated = withDateParts(values); // the dates in GOV.UK's three boxes (`s1_date-day`…) or one text

  const name = Name.safeParse(str(values.name));
  if (!name.success) errors.name = name.error.issues[0]!.message;

  const sessions: Session[] = [];
  const filled: number[] = [];
  for (let n = 1; n <= MAX_SESSIONS; n++) {
    const before = Object.keys(errors).length;
    const s = readSession(n, dated, errors);
    if (s) {
      sessions.push(s);
      filled.push(n);
    } else if (Object.keys(errors).length > before) filled.push(n);
  }
  if (filled.some((n, i) => n !== i + 1)) errors[sessionField(2, 'date')] ??= 'Fill in session 2 before session 3';
  // Session rules (slot fit, breaks, overlaps) once every session's fields are readable.
  if (!Object.keys(errors).some((k) => /^s\d_/.test(k))) Object.assign(errors, sessionErrors(sessions, timeZone));

  const classIds = list(values.class_ids);
  if (classIds.length === 0) errors.class_ids = 'Choose at least one class';
  const teacherIds = list(values.teacher_ids);
  const modes = list(values.modes);
  if (modes.length === 0) errors.modes = 'Choose at least one way to meet';
  else if (modes.some((m) => !MODES.includes(m as MeetingMode))) errors.modes = 'Choose ways to meet from the list';

  const gap = Gap.safeParse(str(values.travel_gap));
  if (!gap.success) errors.travel_gap = gap.error.issues[0]!.message;
  const separated = str(values.separated_carers);
  if (!(SEPARATED_CARERS as readonly string[]).includes(separated)) errors.separated_carers = 'Choose how parents who live apart book';

  const at = (prefix: 'opens' | 'closes', exampleTime: string) => ({
    date: readDateInto(dated[`${prefix}_date`], `the date booking ${prefix}`, errors, `${prefix}_date`),
    time: readInto(str(values[`${prefix}_time`]), `Enter the time booking ${prefix}, like ${exampleTime}`, errors, `${prefix}_time`),
  });
  const opens = at('opens', '18:00');
  const closes = at('closes', '12:00');

  if (Object.keys(errors).length > 0) return { ok: false, errors, values };
  return {
    ok: true,
    data: {
      name: name.data!,
      sessions,
      classIds,
      teacherIds,
      modes: modes as MeetingMode[],
      travelGapMinutes: gap.data!,
      separatedCarers: separated as SeparatedCarers,
      bookingOpens: opens,
      bookingCloses: closes,
    },
  };
}

/** The form's values for an evening as saved (to change it), or the defaults for a new one. */
export function formValuesOf(input: EveningInput | null): Record<string, unknown> {
  if (!input) return { travel_gap: String(DEFAULT_TRAVEL_GAP), separated_carers: 'own', modes: ['in_person'], s1_slot_minutes: '10', class_ids: [], teacher_ids: [] };
  const values: Record<string, unknown> = {
    name: input.name,
    class_ids: input.classIds,
    teacher_ids: input.teacherIds,
    modes: input.modes,
    travel_gap: String(input.travelGapMinutes),
    separated_carers: input.separatedCarers,
    opens_date: input.bookingOpens.date,
    opens_time: input.bookingOpens.time,
    closes_date: input.bookingCloses.date,
    closes_time: input.bookingCloses.time,
  };
  input.sessions.forEach((s, i) => {
    const n = i + 1;
    values[sessionField(n, 'date')] = s.date;
    values[sessionField(n, 'starts')] = s.starts;
    values[sessionField(n, 'ends')] = s.ends;
    values[sessionField(n, 'slot_minutes')] = String(s.slotMinutes);
    values[sessionField(n, 'break_starts')] = s.breaks[0]?.starts ?? '';
    values[sessionField(n, 'break_ends')] = s.breaks[0]?.ends ?? '';
  });
  return values;
}

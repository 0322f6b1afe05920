import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { MeetingMode } from '../../db/schema.ts';
import type { FeatureDeps } from '../../platform/deps.ts';
import type { CarerUser, StaffUser } from '../../platform/access/roles.ts';
import { OTHER_TIME, type BookingContext, type Choice } from './booking-context.ts';
import type { Text } from '../../platform/i18n/catalog.ts';
import type { FieldErrors } from '../../platform/web/forms.ts';

/**
 * The booking form: one select per child and teacher named `slot_<pupilId>_<staffId>` (its value a
 * slot id; empty means "not this one"), and, when the evening offers more than one way to meet,
 * radios named `mode_<pupilId>_<staffId>` (in_person, phone, video; missing means the first way).
 * Where a time was just taken, `slot_<pupilId>_<staffId>` is radios instead (the nearest free times,
 * and `other`), and the select of every time is named `other_<pupilId>_<staffId>`: it counts when
 * `other` is chosen, or no radio is.
 */
const FIELD = /^slot_([^_]{1,64})_([^_]{1,64})$/;
const OTHER = /^other_([^_]{1,64})_([^_]{1,64})$/;
const Body = z.record(z.string(), z.union([z.string().max(200), z.array(z.string().max(200)).max(20)]));

export function choicesFrom(body: unknown): Choice[] {
  const parsed = Body.safeParse(body ?? {});
  if (!parsed.success) return [];
  const form = parsed.data;
  const choices: Choice[] = [];
  for (const [name, raw] of Object.entries(form)) {
    const first = (v: unknown) => (Array.isArray(v) ? v[0] : typeof v === 'string' ? v : undefined)?.trim();
    const other = OTHER.exec(name);
    const m = FIELD.exec(name) ?? other;
    const slotId = first(raw);
    if (!m || !slotId) continue;
    if (!other && slotId === OTHER_TIME) continue;
    if (other && ![undefined, '', OTHER_TIME].includes(first(form[`slot_${m[1]}_${m[2]}`]))) continue;
    const mode = form[`mode_${m[1]}_${m[2]}`];
    choices.push({ pupilId: m[1]!, staffId: m[2]!, slotId, mode: typeof mode === 'string' && mode ? (mode as MeetingMode) : null });
  }
  return choices.slice(0, 40);
}

/** A form's errors in the reader's words: the schemas' messages are catalog keys ("evenings.hold.chooseEarliest"). */
export function inWords(errors: FieldErrors, t: Text): FieldErrors {
  return Object.fromEntries(Object.entries(errors).map(([field, key]) => [field, t(key)]));
}

/** What the person typed, to keep on the page (without the CSRF token). */
export function valuesOf(body: unknown): Record<string, unknown> {
  const values = body && typeof body === 'object' ? { ...(body as Record<string, unknown>) } : {};
  delete values._csrf;
  return values;
}

export function eveningIdOf(request: FastifyRequest): string {
  return (request.params as { eveningId: string }).eveningId;
}

/** A signed-in carer booking for themselves. */
export function carerContext(request: FastifyRequest, deps: FeatureDeps): BookingContext {
  const user = request.user as CarerUser;
  return {
    schoolId: user.schoolId,
    eveningId: eveningIdOf(request),
    carerId: user.id,
    actor: { kind: 'carer', id: user.id, schoolId: user.schoolId, ip: request.ip },
    now: deps.clock(),
    today: request.scope.today,
    timeZone: request.school?.time_zone ?? 'Europe/London',
    baseUrl: deps.config.baseUrl,
    dialect: deps.dialect,
    carer: { name: user.name, email: user.email, language: user.language ?? null },
    text: request.text,
  };
}

/** A member of staff booking for a carer who phoned in. */
export function staffContext(request: FastifyRequest, deps: FeatureDeps, carerId: string): BookingContext {
  const user = request.user as StaffUser;
  return {
    schoolId: user.schoolId,
    eveningId: eveningIdOf(request),
    carerId,
    actor: { kind: 'staff', id: user.id, schoolId: user.schoolId, ip: request.ip },
    bookedByName: `${user.name} at ${request.school?.name ?? 'the school'}`,
    now: deps.clock(),
    today: request.scope.today,
    timeZone: request.school?.time_zone ?? 'Europe/London',
    baseUrl: deps.config.baseUrl,
    dialect: deps.dialect,
  };
}

import type { FastifyRequest } from 'fastify';
import type { StaffRole } from '../../db/schema.ts';
import type { FeatureDeps } from '../../platform/deps.ts';
import type { StaffUser } from '../../platform/access/roles.ts';
import type { Actor } from '../../platform/audit/audit.ts';
import { formatInstant } from '../../platform/calendar/time.ts';
import { textsCanGo } from '../../platform/channels/sms.ts';
import { notFound } from '../../platform/errors.ts';
import { eventById, type SchoolEvent } from './queries.ts';

/** Who may do what with events (test/access/event-rows.ts says the same, by hand). */
export const EVENT_ROLES = {
  read: ['head', 'senior_leader', 'office', 'family_liaison', 'teacher'],
  manage: ['head', 'senior_leader', 'office', 'family_liaison'],
  register: ['head', 'senior_leader', 'office', 'family_liaison', 'teacher'],
} as const satisfies Record<string, readonly StaffRole[]>;

/** The member of staff making a change, for the audit. */
export function actorOf(request: FastifyRequest): Actor & { kind: 'staff' } {
  const user = request.user as StaffUser;
  return { kind: 'staff', id: user.id, schoolId: user.schoolId, ip: request.ip };
}

/** What the staff event pages share: the school's time zone, the event named in the address, and what a send needs. */
export function staffEventHelpers({ db, clock, config }: FeatureDeps) {
  const zone = (request: FastifyRequest) => request.school?.time_zone ?? 'Europe/London';
  async function eventHere(request: FastifyRequest): Promise<SchoolEvent> {
    const user = request.user as StaffUser;
    const e = await eventById(db, user.schoolId, (request.params as { schoolEventId: string }).schoolEventId);
    if (!e) throw notFound();
    return e;
  }
  const sendContext = (request: FastifyRequest) => ({
    baseUrl: config.baseUrl,
    schoolName: request.school?.name ?? 'The school',
    timeZone: zone(request),
    today: request.scope.today,
    now: clock(),
    textsCanGo: textsCanGo(config),
  });
  /** A session's times in the school's zone: "Thursday 19 November 2026 at 6pm to 7:30pm". */
  const when = (request: FastifyRequest) => (s: { starts_at: string; ends_at: string }) =>
    `${formatInstant(s.starts_at, zone(request))} to ${formatInstant(s.ends_at, zone(request)).split(' at ').pop()}`;
  return { zone, eventHere, sendContext, when };
}

import type { FastifyRequest } from 'fastify';
import type { FeatureDeps } from '../../platform/deps.ts';
import type { StaffUser } from '../../platform/access/roles.ts';
import { textsCanGo } from '../../platform/channels/sms.ts';
import { notFound } from '../../platform/errors.ts';
import { eventById, type SchoolEvent } from './queries.ts';

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
  return { zone, eventHere, sendContext };
}

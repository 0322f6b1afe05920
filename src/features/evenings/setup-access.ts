import type { FastifyRequest } from 'fastify';
import type { StaffRole } from '../../db/schema.ts';
import type { StaffUser } from '../../platform/access/roles.ts';
import type { Actor } from '../../platform/audit/audit.ts';
import type { FeatureDeps } from '../../platform/deps.ts';
import { notFound } from '../../platform/errors.ts';
import { getEvening, type EveningDetail } from './setup-queries.ts';

/** Who sets up, changes and publishes parents' evenings, and marks any teacher's slots. */
export { EVENING_LEADERS } from '../../platform/access/roles.ts';
/** Staff who see pupils see the evenings (not governors). */
export const EVENING_VIEWERS: readonly StaffRole[] = ['head', 'senior_leader', 'teacher', 'office', 'dsl', 'deputy_dsl', 'senco', 'family_liaison'];

export function actorOf(request: FastifyRequest): Actor {
  const user = request.user as StaffUser;
  return { kind: 'staff', id: user.id, schoolId: user.schoolId, ip: request.ip };
}

/** The evening named in the URL, in the user's school; 404 otherwise. */
export async function eveningFrom(deps: FeatureDeps, request: FastifyRequest): Promise<EveningDetail> {
  const user = request.user as StaffUser;
  const { eveningId } = request.params as { eveningId: string };
  const detail = await getEvening(deps.db, user.schoolId, eveningId);
  if (!detail) throw notFound();
  return detail;
}

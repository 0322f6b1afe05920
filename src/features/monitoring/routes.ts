import type { FastifyInstance } from 'fastify';
import type { FeatureDeps } from '../../platform/deps.ts';
import { staff } from '../../platform/access/policy.ts';
import type { StaffUser } from '../../platform/access/roles.ts';
import type { StaffRole } from '../../db/schema.ts';
import { academicYearOf, FEWER_THAN, NOT_SHOWN } from './figures.ts';
import { monitoringReport } from './report.ts';
import { complaintLimitsFor } from '../concerns/index.ts';

const V = 'features/monitoring/views';
/** The case team for these figures: they see every number as it is. */
export const EXACT: readonly StaffRole[] = ['head', 'senior_leader'];
/** Governors monitor concerns and complaints: they see the figures with small numbers hidden. */
const readers = staff([...EXACT, 'governor']);

/** Concerns and complaints in figures, per term and year, for the head and governors. */
export function monitoringRoutes(app: FastifyInstance, deps: FeatureDeps): void {
  const { db } = deps;
  app.get('/monitoring/complaints', { config: { policy: readers } }, async (request, reply) => {
    const user = request.user as StaffUser;
    const today = request.scope.today;
    const { academic } = request.query as { academic?: unknown };
    const asked = typeof academic === 'string' && /^\d{4}$/.test(academic) ? Number(academic) : null;
    const year = asked ?? academicYearOf(today);
    const exact = user.roles.some((r) => EXACT.includes(r));
    // The school's own time limits (its complaints procedure), not fixed ones.
    const report = await monitoringReport(db, user.schoolId, year, today, exact, await complaintLimitsFor(db, user.schoolId));
    return reply.page(`${V}/report.njk`, { title: 'Concerns and complaints in figures', report, exact, FEWER_THAN, NOT_SHOWN });
  });
}

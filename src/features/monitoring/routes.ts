import type { FastifyInstance } from 'fastify';
import type { FeatureDeps } from '../../platform/deps.ts';
import { staff } from '../../platform/access/policy.ts';
import type { StaffUser } from '../../platform/access/roles.ts';
import type { StaffRole } from '../../db/schema.ts';
import { academicYear, academicYearOf, FEWER_THAN, NOT_SHOWN } from './figures.ts';
import { monitoringReport, type Report, type Row } from './report.ts';
import { complaintLimitsFor } from '../concerns/index.ts';
import { calendarWithNames } from './queries.ts';
import { evidenceCounts, eveningPupilsBooked } from './evidence-queries.ts';
import { evidenceSections, eveningsByGroup, type ConcernFigures } from './evidence.ts';

const V = 'features/monitoring/views';
/** The case team for these figures: they see every number as it is. */
export const EXACT: readonly StaffRole[] = ['head', 'senior_leader'];
/** Governors monitor concerns and complaints: they see the figures with small numbers hidden. */
const readers = staff([...EXACT, 'governor']);

/** Concerns and complaints in figures, per term and year, and how well the school works with families, for the head and governors. */
export function monitoringRoutes(app: FastifyInstance, deps: FeatureDeps): void {
  const { db } = deps;
  app.get('/monitoring', { config: { policy: readers } }, async (request, reply) => {
    const user = request.user as StaffUser;
    const today = request.scope.today;
    const year = yearAsked(request.query, today);
    const exact = user.roles.some((r) => EXACT.includes(r));
    const calendar = await calendarWithNames(db, user.schoolId);
    const limits = await complaintLimitsFor(db, user.schoolId);
    // The year asked for beside the one before it, so governors see the change.
    const shownYears = [year - 1, year].map((y) => academicYear(calendar, y).year);
    const columns = await Promise.all(
      shownYears.map(async (period, i) => {
        const [counts, report] = await Promise.all([
          evidenceCounts(db, user.schoolId, { from: period.startsOn, to: period.endsOn }, today),
          monitoringReport(db, user.schoolId, year - 1 + i, today, exact, limits),
        ]);
        return { counts, concerns: concernFigures(report), years: report.years };
      }),
    );
    const sections = evidenceSections(columns, exact).map((s) => ({ ...s, links: s.links.filter((l) => request.mayOpen(l.route)) }));
    const whole = shownYears[1]!;
    const byGroup = eveningsByGroup(await eveningPupilsBooked(db, user.schoolId, { from: whole.startsOn, to: whole.endsOn }, today), exact);
    return reply.page(`${V}/evidence.njk`, {
      title: 'How well we work with families',
      yearLabel: whole.label,
      year,
      years: columns[1]!.years,
      columns: shownYears.map((p) => `${p.label}${p.startsOn <= today && today <= p.endsOn ? ', so far' : ''}`),
      soFar: whole.startsOn <= today && today <= whole.endsOn,
      started: whole.startsOn <= today,
      sections,
      byGroup,
      exact,
      FEWER_THAN,
    });
  });
  app.get('/monitoring/complaints', { config: { policy: readers } }, async (request, reply) => {
    const user = request.user as StaffUser;
    const today = request.scope.today;
    const year = yearAsked(request.query, today);
    const exact = user.roles.some((r) => EXACT.includes(r));
    // The school's own time limits (its complaints procedure), not fixed ones.
    const report = await monitoringReport(db, user.schoolId, year, today, exact, await complaintLimitsFor(db, user.schoolId));
    return reply.page(`${V}/report.njk`, { title: 'Concerns and complaints in figures', report, exact, FEWER_THAN, NOT_SHOWN });
  });
}

/** The school year asked for (?academic=2025 is September 2025 to August 2026), or the current one. */
function yearAsked(query: unknown, today: string): number {
  const { academic } = query as { academic?: unknown };
  return typeof academic === 'string' && /^\d{4}$/.test(academic) ? Number(academic) : academicYearOf(today);
}

/** The year's figures for concerns and complaints, exactly as "Concerns and complaints in figures" shows them. */
function concernFigures(report: Report): ConcernFigures {
  const yearCell = (key: NonNullable<Row['key']>) => {
    const row = report.sections.flatMap((s) => s.rows).find((r) => r.key === key);
    if (!row) throw new Error(`The monitoring report has no row ${key}`);
    return String(row.cells[row.cells.length - 1]);
  };
  return {
    takenOnInTime: yearCell('takenOn'),
    answeredInTime: yearCell('answered'),
    acknowledgeDays: report.limits.acknowledge,
    respondDays: report.limits.respond,
    complaints: yearCell('complaints'),
    upheld: yearCell('upheld'),
    partlyUpheld: yearCell('partly'),
  };
}

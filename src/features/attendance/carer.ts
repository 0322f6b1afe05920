import type { Kysely } from 'kysely';
import type { Database, LocalDate } from '../../db/schema.ts';
import { pupilsCarerMayHearAbout } from '../../platform/access/hear.ts';
import { bandOf, percentShare, percentTenths, type AttendanceBand } from './figures.ts';
import { newestFigureOf } from './queries.ts';

export type CarerAttendance = { share: number; asOf: LocalDate; band: AttendanceBand };

/**
 * A child's attendance as their carer reads it, or null: only when the carer may hear about the child
 * on their pages (platform/access, purpose 'portal': never a child a restriction keeps from them), and
 * only when the school has imported a figure for the child.
 */
export async function attendanceForCarer(db: Kysely<Database>, q: { schoolId: string; carerId: string; pupilId: string; today: LocalDate }): Promise<CarerAttendance | null> {
  const may = await pupilsCarerMayHearAbout(db, { schoolId: q.schoolId, carerId: q.carerId, pupilIds: [q.pupilId], purpose: 'portal', today: q.today });
  if (!may.has(q.pupilId)) return null;
  const figure = await newestFigureOf(db, q.schoolId, q.pupilId);
  if (!figure) return null;
  const tenths = percentTenths(figure.sessions_attended, figure.sessions_possible);
  return { share: percentShare(tenths), asOf: figure.as_of, band: bandOf(tenths) };
}

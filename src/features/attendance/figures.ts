/**
 * Attendance figures as the DfE counts them: the share of possible sessions (mornings and afternoons)
 * a pupil attended. Persistent absence is attendance of 90% or below (missing 10% or more); severe
 * absence is 50% or below. Plain functions over whole numbers: no floating point decides a band.
 *
 * The percentage is shown to one decimal place, rounded half up (88.25 → 88.3). The band is read
 * from that shown figure, so a pupil shown as 90.0% is always counted as persistent absence and no
 * page ever shows "90.0%" beside "not persistent" (a pupil at 90.04% is counted too: support first).
 */

export type AttendanceBand = 'severe' | 'persistent' | 'ok';

/** Tenths of a percent, rounded half up: 44 of 50 sessions → 880 (88.0%). Sessions possible must be at least 1. */
export function percentTenths(attended: number, possible: number): number {
  if (!Number.isInteger(attended) || !Number.isInteger(possible) || possible < 1 || attended < 0 || attended > possible) {
    throw new RangeError(`attendance: ${attended} of ${possible} sessions is not a figure`);
  }
  // attended / possible × 1000, rounded half up, in integers: floor((2 × attended × 1000 + possible) / (2 × possible)).
  return Math.floor((2000 * attended + possible) / (2 * possible));
}

/** 90% or below (as shown, to one decimal place) is persistent absence; 50% or below is severe absence. */
export const PERSISTENT_TENTHS = 900;
export const SEVERE_TENTHS = 500;

export function bandOf(tenths: number): AttendanceBand {
  if (tenths <= SEVERE_TENTHS) return 'severe';
  if (tenths <= PERSISTENT_TENTHS) return 'persistent';
  return 'ok';
}

/** 880 → "88.0%", for staff pages. */
export function percentText(tenths: number): string {
  return `${Math.floor(tenths / 10)}.${tenths % 10}%`;
}

/** 880 → 0.88, for a carer's page, where each language writes the percentage its own way. */
export function percentShare(tenths: number): number {
  return tenths / 1000;
}

export type Figure = { pupilId: string; attended: number; possible: number };
export type Banded<T extends Figure> = T & { tenths: number; band: AttendanceBand };

/** The pupils at or below 90%, severe absence first, then lowest attendance first (ties by `tie`). */
export function belowThreshold<T extends Figure>(figures: readonly T[], tie: (a: T, b: T) => number = () => 0): Banded<T>[] {
  return figures
    .map((f) => {
      const tenths = percentTenths(f.attended, f.possible);
      return { ...f, tenths, band: bandOf(tenths) };
    })
    .filter((f) => f.band !== 'ok')
    .sort((a, b) => (a.band === b.band ? 0 : a.band === 'severe' ? -1 : 1) || a.tenths - b.tenths || tie(a, b));
}

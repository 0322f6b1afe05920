import type { FeatureRows } from './types.ts';

/** Parents' evenings, booking (carers, and the office on a carer's behalf): every route, who may use it. */
export const eveningBookingRows: FeatureRows = { rows: {} };

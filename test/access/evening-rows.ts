import type { FeatureRows } from './types.ts';

/** Parents' evenings: every route, who may use it. */
export const eveningRows: FeatureRows = { rows: {} };

import type { FeatureRows } from './types.ts';

/** Meetings (appointments, agendas, safety plans, records, follow-ups): every route, who may use it. */
export const meetingRows: FeatureRows = { rows: {} };

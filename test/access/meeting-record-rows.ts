import type { FeatureRows } from './types.ts';

/** Meetings, the record (notes, safeguarding, actions, follow-ups, summary): every route, who may use it. */
export const meetingRecordRows: FeatureRows = { rows: {} };

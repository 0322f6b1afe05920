import { z } from 'zod';
import type { StaffRole, SurveyAudienceKind } from '../../db/schema.ts';
import { STAFF_ROLES } from '../../platform/access/roles.ts';
import { Audience } from '../messages/index.ts';

/** Who a survey asks: carers chosen exactly as a message's audience, or staff by role. */
export const StaffAudience = z.object({ roles: z.array(z.enum(STAFF_ROLES as [StaffRole, ...StaffRole[]])).min(1, 'Select at least one staff role') });
export type StaffAudience = z.infer<typeof StaffAudience>;
export type SurveyAudience = { kind: 'carers'; audience: Audience } | { kind: 'staff'; audience: StaffAudience };

export function audienceOf(row: { audience_kind: SurveyAudienceKind; audience_json: string }): SurveyAudience {
  const json: unknown = JSON.parse(row.audience_json);
  return row.audience_kind === 'staff' ? { kind: 'staff', audience: StaffAudience.parse(json) } : { kind: 'carers', audience: Audience.parse(json) };
}

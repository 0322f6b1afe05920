import { z } from 'zod';
import type { ComplaintSettingsTable } from '../../../db/schema.ts';
import { DEFAULT_LIMITS, DFE_STAGES, type ComplaintLimits, type ComplaintStage } from '../complaint-timeline.ts';

/**
 * A school's complaints procedure (issue 14, point 5): its stages (the DfE's common shape by
 * default), time limits in school days, who may complain (an academy's procedure covers parents of
 * pupils; a maintained school hears anyone), and where a complaint about the head or a governor goes.
 */
export type ComplaintSettings = {
  schoolType: 'maintained' | 'academy';
  stages: ComplaintStage[];
  limits: ComplaintLimits;
  headComplaintsTo: string | null;
  governorComplaintsTo: string | null;
  clerkId: string | null;
};

export const DEFAULT_SETTINGS: ComplaintSettings = { schoolType: 'maintained', stages: [...DFE_STAGES], limits: DEFAULT_LIMITS, headComplaintsTo: null, governorComplaintsTo: null, clerkId: null };

export function settingsOf(row: ComplaintSettingsTable | undefined): ComplaintSettings {
  if (!row) return DEFAULT_SETTINGS;
  const stages = z.array(z.object({ key: z.string(), label: z.string() })).safeParse(JSON.parse(row.stages_json));
  return {
    schoolType: row.school_type,
    stages: stages.success && stages.data.length ? stages.data : [...DFE_STAGES],
    limits: {
      acknowledge: row.acknowledge_days,
      respond: row.respond_days,
      panelWithin: row.panel_within_days,
      papersBefore: row.papers_before_days,
      decisionAfter: row.decision_after_days,
    },
    headComplaintsTo: row.head_complaints_to,
    governorComplaintsTo: row.governor_complaints_to,
    clerkId: row.clerk_id,
  };
}

/** Who may make a formal complaint: a maintained school hears anyone; an academy, parents of its pupils. */
export const WHO_MAY_COMPLAIN: Record<ComplaintSettings['schoolType'], string> = {
  maintained: 'Anyone (a maintained school must hear complaints from anyone)',
  academy: 'Parents and carers of pupils at the school (an academy’s procedure)',
};

const days = (label: string) =>
  z
    .string({ error: `Enter ${label}` })
    .trim()
    .min(1, `Enter ${label}`)
    .regex(/^\d{1,2}$/, `${label[0]!.toUpperCase()}${label.slice(1)} must be a whole number of school days from 1 to 60`)
    .transform(Number)
    .refine((n) => n >= 1 && n <= 60, `${label[0]!.toUpperCase()}${label.slice(1)} must be from 1 to 60 school days`);
const staffChoice = z
  .string()
  .trim()
  .optional()
  .transform((v) => (v ? v : null));

export const SettingsForm = z.object({
  school_type: z.enum(['maintained', 'academy'], { error: 'Choose whether the school is maintained or an academy' }),
  stage_names: z
    .string({ error: 'Enter the stages, one a line' })
    .trim()
    .min(1, 'Enter the stages, one a line')
    .max(1_000, 'The stages must be 1,000 characters or fewer')
    .transform((v) =>
      v
        .split(/\r?\n/)
        .map((s) => s.trim())
        .filter(Boolean),
    )
    .refine((v) => v.length >= 2 && v.length <= 4, 'Give from 2 to 4 stages: the informal stage, then one or two formal ones'),
  acknowledge: days('days to acknowledge'),
  respond: days('days to respond'),
  panel_within: days('days to hold the panel'),
  papers_before: days('days papers go before the panel'),
  decision_after: days('days for the panel’s decision'),
  head_complaints_to: staffChoice,
  governor_complaints_to: staffChoice,
  clerk: staffChoice,
});
export type SettingsInput = z.output<typeof SettingsForm>;

/** The stages as saved: the first is the informal stage, then stage 1, then the panel. */
export function stagesFrom(names: string[]): ComplaintStage[] {
  const keys = ['informal', 'stage_1', 'stage_2', 'stage_3'];
  return names.map((label, i) => ({ key: keys[i]!, label }));
}

import { z } from 'zod';
import type { StaffRole } from '../../db/schema.ts';
import { STAFF_ROLES } from '../../platform/access/roles.ts';
import { audienceFromForm } from '../messages/index.ts';
import { StaffAudience, type SurveyAudience } from './audience.ts';
import { TEMPLATES } from './templates.ts';

const list = z
  .union([z.string(), z.array(z.string())])
  .optional()
  .transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]));

/** The "new survey" form: title, who it asks (as a message's audience, or staff roles), anonymous or named, a template, a baseline. */
export const NewSurveyForm = z
  .object({
    title: z.string({ error: 'Enter a title' }).trim().min(1, 'Enter a title').max(150, 'The title must be 150 characters or fewer'),
    intro: z.string().trim().max(2000, 'The introduction must be 2,000 characters or fewer').default(''),
    template: z
      .string()
      .default('')
      .refine((v) => v === '' || TEMPLATES.some((t) => t.key === v), 'Select a template from the list'),
    anonymous: z.enum(['yes', 'no'], { error: 'Select whether answers are anonymous' }),
    audience_kind: z.enum(['school', 'years', 'classes', 'group', 'pupils', 'staff'], { error: 'Select who it is for' }),
    years: list,
    class_ids: list,
    group_id: z.string().optional(),
    pupil_ids: list,
    roles: list,
    baseline_id: z.string().default(''),
  })
  .transform((v, ctx) => {
    let audience: SurveyAudience | null = null;
    if (v.audience_kind === 'staff') {
      const parsed = StaffAudience.safeParse({ roles: v.roles.filter((r): r is StaffRole => (STAFF_ROLES as string[]).includes(r)) });
      if (parsed.success) audience = { kind: 'staff', audience: parsed.data };
      else ctx.addIssue({ code: 'custom', path: ['audience_kind'], message: parsed.error.issues[0]!.message });
    } else {
      const parsed = audienceFromForm(v);
      if (parsed.success) audience = { kind: 'carers', audience: parsed.data };
      else ctx.addIssue({ code: 'custom', path: ['audience_kind'], message: parsed.error.issues[0]!.message });
    }
    const template = TEMPLATES.find((t) => t.key === v.template);
    if (template && audience && template.audience !== audience.kind)
      ctx.addIssue({
        code: 'custom',
        path: ['template'],
        message: template.audience === 'staff' ? 'This template is for staff: choose staff as who it is for' : 'This template is for parents and carers: choose families as who it is for',
      });
    return { title: v.title, intro: v.intro, template: v.template || null, anonymous: v.anonymous === 'yes', audience: audience!, baselineId: v.baseline_id || null };
  });

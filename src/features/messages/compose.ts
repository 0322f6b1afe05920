import { z } from 'zod';
import type { MessageKind, MessageTone } from '../../db/schema.ts';
import { hasAnyRole, type StaffUser } from '../../platform/access/roles.ts';
import { dateField } from '../../platform/calendar/typed.ts';
import { checkbox } from '../../platform/web/forms.ts';
import { audienceFits, audienceFromForm, KIND_LABELS, type Audience } from './audience.ts';

/** The compose form, checked at the edge; then who may send what to whom. */
const list = z
  .union([z.string(), z.array(z.string())])
  .optional()
  .transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]));

export const ComposeForm = z
  .object({
    kind: z.enum(Object.keys(KIND_LABELS) as [MessageKind, ...MessageKind[]], { error: 'Select what kind of message it is' }),
    tone: z.enum(['information', 'good_news', 'concern'] satisfies MessageTone[], { error: 'Select whether it is news, good news or a concern' }).default('information'),
    subject: z.string({ error: 'Enter a subject' }).trim().min(1, 'Enter a subject').max(150, 'Subject must be 150 characters or fewer'),
    body: z.string({ error: 'Enter the message' }).trim().min(1, 'Enter the message').max(20_000, 'The message must be 20,000 characters or fewer'),
    audience_kind: z.enum(['school', 'years', 'classes', 'group', 'pupils'], { error: 'Select who it is for' }),
    years: list,
    class_ids: list,
    group_id: z.string().optional(),
    pupil_ids: list,
    asks_acknowledgement: checkbox,
    send_date: dateField('the date to send it', { optional: true }), // GOV.UK's three boxes (`send_date-day`…)
    send_time: z.string().trim().optional(),
  })
  .transform((v, ctx) => {
    const audience = audienceFromForm(v);
    if (!audience.success) {
      ctx.addIssue({ code: 'custom', path: ['audience_kind'], message: audience.error.issues[0]?.message ?? 'Select who it is for' });
      return z.NEVER;
    }
    const misfit = audienceFits(v.kind, audience.data);
    if (misfit) {
      ctx.addIssue({ code: 'custom', path: ['audience_kind'], message: misfit });
      return z.NEVER;
    }
    if ((v.send_date && !v.send_time) || (!v.send_date && v.send_time)) {
      ctx.addIssue({ code: 'custom', path: [v.send_date ? 'send_time' : 'send_date'], message: 'Enter both a date and a time to send it later, or neither' });
      return z.NEVER;
    }
    return { ...v, audience: audience.data };
  });
export type Compose = z.output<typeof ComposeForm>;

/** Urgent notices and whole-school or year-group letters come from leaders and the office. */
const WHOLE_SCHOOL_SENDERS = ['head', 'senior_leader', 'office'] as const;
export const COMPOSERS = ['head', 'senior_leader', 'office', 'teacher', 'senco', 'family_liaison', 'dsl', 'deputy_dsl'] as const;

export function mayAddress(user: StaffUser, kind: MessageKind, audience: Audience, reach: { taughtClassIds: string[]; visiblePupilIds: Set<string> }): string | null {
  const leader = hasAnyRole(user, WHOLE_SCHOOL_SENDERS);
  if (kind === 'urgent' && !leader) return 'Urgent notices are sent by the head, senior leaders or the office';
  if (leader) return null;
  if (audience.kind === 'school' || audience.kind === 'years') return 'Letters to the whole school or a year group are sent by the head, senior leaders or the office';
  if (audience.kind === 'group') return hasAnyRole(user, ['family_liaison']) ? null : 'Messages to a group are sent by the office or the family liaison officer';
  if (audience.kind === 'classes' && audience.classIds.some((id) => !reach.taughtClassIds.includes(id))) return 'You can write to the classes you teach';
  if (audience.kind === 'pupils' && audience.pupilIds.some((id) => !reach.visiblePupilIds.has(id))) return 'You can write to the families of pupils you teach';
  return null;
}

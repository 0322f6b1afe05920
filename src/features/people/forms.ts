import { z } from 'zod';
import { checkbox, optionalText } from '../../platform/web/forms.ts';
import type { Relationship, SendStatus, YearGroup } from '../../db/schema.ts';
import { dateOfBirth, optionalEmail, optionalName, optionalPhone, personName, RELATIONSHIP_LABELS, SEND_LABELS, YEAR_GROUPS } from './validation.ts';
import { dateField } from '../../platform/calendar/typed.ts';

/** Edit forms for pupils, carers, their links and restrictions: Zod at the edge. */
export const pupilForm = (today: string) =>
  z.object({
    given_name: personName('first name'),
    family_name: personName('last name'),
    preferred_name: optionalName('preferred name'),
    date_of_birth: dateOfBirth(today),
    year_group: z.enum(YEAR_GROUPS as [YearGroup, ...YearGroup[]], { error: 'Select a year group' }),
    class_id: z
      .string()
      .trim()
      .optional()
      .transform((v) => (v ? v : null)),
    send_status: z.enum(Object.keys(SEND_LABELS) as [SendStatus, ...SendStatus[]], { error: 'Select a SEND status' }),
    eal: checkbox,
    home_language: optionalText('home language', 60),
    updated_at: z.string(),
  });

export const carerForm = z
  .object({
    title: optionalText('title', 20),
    given_name: personName('first name'),
    family_name: personName('last name'),
    email: optionalEmail,
    mobile: optionalPhone,
    address_line1: optionalText('address line 1', 100),
    address_line2: optionalText('address line 2', 100),
    town: optionalText('town', 60),
    postcode: optionalText('postcode', 10),
    preferred_language: z.string().trim().min(1, 'Enter the language they prefer').max(60, 'Language must be 60 characters or fewer'),
    interpreter_needed: checkbox,
    channel_email: checkbox,
    channel_sms: checkbox,
    channel_app: checkbox,
    paper_copies: checkbox,
    access_needs: optionalText('access needs', 500),
    updated_at: z.string(),
  })
  .superRefine((v, ctx) => {
    if (v.channel_email && !v.email) ctx.addIssue({ code: 'custom', path: ['email'], message: 'Enter an email address, or untick email' });
    if (v.channel_sms && !v.mobile) ctx.addIssue({ code: 'custom', path: ['mobile'], message: 'Enter a mobile number, or untick text messages' });
  });

export const linkForm = z.object({
  relationship: z.enum(Object.keys(RELATIONSHIP_LABELS) as [Relationship, ...Relationship[]], { error: 'Select who they are to the pupil' }),
  parental_responsibility: checkbox,
  lives_with_pupil: checkbox,
  contact_priority: z.coerce.number({ error: 'Enter a number from 1 to 9' }).int('Enter a whole number from 1 to 9').min(1, 'Enter a number from 1 to 9').max(9, 'Enter a number from 1 to 9'),
  may_receive_information: checkbox,
  wants_copies: checkbox,
});

/** What a restriction says: shared by recording one and by completing one an import recorded. */
const restrictionFields = {
  kind: z.enum(['court_order', 'agreed_arrangement'], { error: 'Select what kind of restriction it is' }),
  stops: z.union([z.string(), z.array(z.string())], { error: 'Select at least one thing it stops' }).transform((v) => (Array.isArray(v) ? v : [v])),
  details: z.string().trim().min(1, 'Enter what the order or arrangement says').max(2000, 'Details must be 2,000 characters or fewer'),
  starts_on: dateField('the start date'),
  ends_on: dateField('the end date', { optional: true }),
};

function endsAfterStart(v: { starts_on: string; ends_on: string | null }, ctx: z.RefinementCtx): void {
  if (v.ends_on && v.ends_on < v.starts_on) ctx.addIssue({ code: 'custom', path: ['ends_on'], message: 'The end date must be after the start date' });
}

export const restrictionForm = z
  .object({
    carer_id: z.string({ error: 'Select the person the restriction is about' }).min(1, 'Select the person the restriction is about'),
    ...restrictionFields,
  })
  .superRefine(endsAfterStart);

export const restrictionDetailsForm = z.object(restrictionFields).superRefine(endsAfterStart);

import { z } from 'zod';
import { dateField } from '../../platform/calendar/typed.ts';
import { optionalText } from '../../platform/web/forms.ts';

/** Who may record and work on subject access and education record requests: the head, senior leaders and the office. */
export const REQUEST_KEEPERS = ['head', 'senior_leader', 'office'] as const;

export const KIND_WORDS = {
  subject_access: 'Subject access request (UK GDPR)',
  education_record: 'Education record request',
} as const;

/** The form's own id, made when the form is drawn: a double click or a resend records the request once. */
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const EXPIRED = 'This form has expired. Go back, refresh the page and try again.';

const choice = <const T extends readonly [string, ...string[]]>(values: T, missing: string) => z.enum(values, { error: missing });

/** What the form records about a request: what kind, who asked, about whom, and when it came. */
const details = {
  kind: choice(['subject_access', 'education_record'], 'Say what kind of request it is'),
  requester: choice(['carer', 'outside'], 'Say who asked: a parent or carer of the school, or someone else'),
  carer_id: z.string().trim().max(100).optional(),
  requester_name: optionalText('their name', 120),
  requester_contact: optionalText('how to reach them', 300),
  about: choice(['pupil', 'requester', 'other'], 'Say whose information they asked for'),
  pupil_id: z.string().trim().max(100).optional(),
  about_other: optionalText('whose information it is', 120),
  received_on: dateField('the date the request was received'),
};

/**
 * Which fields are needed depends on the answers: a carer of the school is chosen from the list,
 * someone outside is named with how to reach them; a pupil is chosen from the list, someone else is
 * named. An education record is always a pupil's.
 */
function detailsNeeded(f: z.infer<z.ZodObject<typeof details>>, ctx: z.RefinementCtx) {
  const need = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
  if (f.requester === 'carer' && !f.carer_id) need('carer_id', 'Choose the parent or carer who asked');
  if (f.requester === 'outside' && !f.requester_name) need('requester_name', 'Enter the name of the person who asked');
  if (f.requester === 'outside' && !f.requester_contact) need('requester_contact', 'Enter how to reach them: an address, an email or a phone number');
  if (f.about === 'pupil' && !f.pupil_id) need('pupil_id', 'Choose the pupil');
  if (f.about === 'other' && !f.about_other) need('about_other', 'Enter whose information they asked for');
  if (f.kind === 'education_record' && f.about !== 'pupil') need('about', 'An education record is a pupil’s: choose the pupil, or record a subject access request');
}

/** A new request, as the form sends it: the details, whether who asked has been checked, and the form's own id. */
export const RequestForm = z
  .object({
    form_id: z.string({ error: EXPIRED }).regex(UUID, EXPIRED),
    ...details,
    identity_checked: choice(['yes', 'no'], 'Say whether you have checked who they are'),
  })
  .superRefine(detailsNeeded);
export type RequestInput = z.infer<typeof RequestForm>;

/** A correction of an open request's details (identity has its own button; it is never unticked here). */
export const CorrectForm = z.object(details).superRefine(detailsNeeded);
export type DetailsInput = z.infer<typeof CorrectForm>;

const reason = (missing: string) => z.string({ error: missing }).trim().min(1, missing).max(1000, 'Keep it to 1000 characters or fewer');

export const ExtendForm = z.object({ complex_reason: reason('Say why the request is complex') });
export const SentForm = z.object({ sent_on: dateField('the date it was sent') });
export const RefuseForm = z.object({ refused_reason: reason('Say why the request is refused') });

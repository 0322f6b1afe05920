import { z } from 'zod';
import { staff } from '../../platform/access/policy.ts';
import { MEETING_STAFF_ROLES } from './meetings-queries.ts';
import { LENGTHS } from './meetings-rules.ts';

/** Shared by the meeting routes: the staff policy and form fields used on several forms. */

/** Everyone on the staff but governors; each route then checks this person may see the meeting. */
export const meetingStaff = staff(MEETING_STAFF_ROLES);

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const EXPIRED = 'This form has expired. Go back, refresh the page and try again.';

/** Made when a form is drawn and used as the new record's id, so a second press saves once. */
export const formId = z.string({ error: EXPIRED }).regex(UUID, EXPIRED);

/** Checkboxes: none, one (a string) or several (an array) → an array. */
export const list = z
  .union([z.string(), z.array(z.string())])
  .optional()
  .transform((v) => (v === undefined ? [] : [v].flat().filter(Boolean)));

export const minutes = z.enum(LENGTHS.map(String) as [string, ...string[]], { error: 'Choose how long it will last' }).transform(Number);

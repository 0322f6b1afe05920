import { z } from 'zod';
import type { LocalDate } from '../../db/schema.ts';
import { dateField } from '../../platform/calendar/typed.ts';
import { optionalText } from '../../platform/web/forms.ts';

/**
 * "Tell the DSL" as plain rules: what the form accepts. No HTTP, no SQL.
 *
 * Safeguarding first: whatever page a member of staff is on, what they saw or heard about a child
 * reaches the Designated Safeguarding Lead and deputies at once (platform/safeguarding). It is not a
 * concern from a family (features/concerns): a concern needs a parent or carer, and tells them it was
 * received — the one thing a safeguarding report must never do.
 */
export const WHAT_MAX = 5_000;
export const OTHER_NAME_MAX = 200;
/** The choice for a child who is not on the list, or whose name the writer does not know. */
export const SOMEONE_ELSE = 'someone-else';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * `quoting`: the form beside a parent's or carer's words ("Pass this to the DSL"). Their words go
 * with it, so what the member of staff adds (what they noticed) may be left empty: nothing should
 * stand between a disclosure and the DSL.
 */
export function tellForm(today: LocalDate, opts: { quoting?: boolean } = {}) {
  const what = z
    .string({ error: 'Enter what you saw or heard' })
    .trim()
    .max(WHAT_MAX, `What you saw or heard must be ${WHAT_MAX.toLocaleString('en-GB')} characters or fewer`);
  return z.object({
    /** Made when the form is drawn and kept as the report's id: a second press saves it once. */
    form_id: z.string({ error: 'This form has expired. Go back, refresh the page and try again.' }).regex(UUID, 'This form has expired. Go back, refresh the page and try again.'),
    pupil: z
      .string({ error: 'Choose the pupil, or “Someone else, or I do not know their name”' })
      .trim()
      .min(1, 'Choose the pupil, or “Someone else, or I do not know their name”')
      .refine((v) => v === SOMEONE_ELSE || UUID.test(v), 'Choose the pupil, or “Someone else, or I do not know their name”'),
    other_name: optionalText('what you know of who it is', OTHER_NAME_MAX),
    what: opts.quoting ? z.preprocess((v) => v ?? '', what) : what.min(1, 'Enter what you saw or heard'),
    happened_on: dateField('the date you saw or heard it').refine((d) => d <= today, 'The date you saw or heard it must be today or earlier'),
  });
}
export type TellInput = z.output<ReturnType<typeof tellForm>>;

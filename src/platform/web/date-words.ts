import { readDateField, type DateBox } from '../calendar/typed.ts';
import type { Text } from '../i18n/catalog.ts';
import { withDateParts } from './forms.ts';

/**
 * A date field's error in the reader's language. dateField (platform/calendar/typed.ts) words GOV.UK's
 * date input messages in English for staff; a carer's page passes what was posted and the field's
 * name in the carer's words ("the date of the last thing that happened", from the feature's catalog),
 * and gets the same message from the catalogues (`common.date.error.*` in platform/web/i18n), English
 * where a language lacks it.
 *
 * Null when the date itself reads: the error is then about something else (a date still to come),
 * which the caller words from its own catalog.
 */
export function dateErrorIn(t: Text, values: Record<string, unknown> | undefined, field: string, label: string): string | null {
  const typed = readDateField(withDateParts(values ?? {})[field], label);
  if (typed.ok) return null;
  const words = { label, Label: label.charAt(0).toLocaleUpperCase(t.code) + label.slice(1) };
  if (typed.why === 'include') return t('common.date.error.include', { ...words, missing: missingKey(typed.missing) });
  return t(`common.date.error.${typed.why}`, words);
}

/** The boxes left empty as one select key: "day", "dayMonth", "monthYear"… */
function missingKey(missing: DateBox[]): string {
  return missing.map((b, i) => (i === 0 ? b : b.charAt(0).toUpperCase() + b.slice(1))).join('');
}

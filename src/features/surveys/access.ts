import type { StaffRole } from '../../db/schema.ts';

/** Who works on surveys. Results are aggregates for everyone; free text in anonymous surveys is the head's alone (results.ts). */
export const SURVEY_MANAGERS: readonly StaffRole[] = ['head', 'senior_leader', 'office'];
/** Governors read results and before → after comparisons. */
export const SURVEY_READERS: readonly StaffRole[] = ['head', 'senior_leader', 'office', 'governor'];
/** Translations: as messages, the people who write and check them (a family liaison officer often reads the language). */
export const SURVEY_TRANSLATORS: readonly StaffRole[] = ['head', 'senior_leader', 'office', 'family_liaison'];

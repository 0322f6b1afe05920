import { requiredDate } from '../../platform/calendar/typed.ts';
import { z } from 'zod';
import type { Relationship, SendStatus, YearGroup } from '../../db/schema.ts';

/**
 * Field rules for people, shared by the edit forms and the records-system import.
 * Names in any script are kept exactly as typed (Zoë, Łukasz, محمد, O'Brien-Smith); only markup
 * characters and control characters are refused.
 */
export const NAME_MAX = 100;

export const personName = (label: string) =>
  z
    .string({ error: `Enter ${label}` })
    .trim()
    .min(1, `Enter ${label}`)
    .max(NAME_MAX, `${cap(label)} must be ${NAME_MAX} characters or fewer`)
    .refine((v) => !/[<>{}\\]/.test(v), `${cap(label)} must not contain < > { } or \\`)
    .refine((v) => !/\p{Cc}/u.test(v), `${cap(label)} must not contain control characters`)
    .transform((v) => v.normalize('NFC'));

export const optionalName = (label: string) =>
  z
    .string()
    .trim()
    .optional()
    .transform((v) => (v ? v : undefined))
    .pipe(personName(label).optional())
    .transform((v) => v ?? null);

export const emailAddress = z
  .string()
  .trim()
  .max(254, 'Email address must be 254 characters or fewer')
  .email('Enter an email address in the correct format, like name@example.com')
  .transform((v) => v.toLowerCase());

export const optionalEmail = z
  .string()
  .trim()
  .optional()
  .transform((v) => (v ? v : undefined))
  .pipe(emailAddress.optional())
  .transform((v) => v ?? null);

/** UK phone numbers, stored as digits with a leading 0 or +: '07700 900 123' → '07700900123'. */
export function normalisePhone(raw: string): string {
  const trimmed = raw.trim();
  const plus = trimmed.startsWith('+');
  const digits = trimmed.replace(/\D/g, '');
  if (plus && digits.startsWith('44')) return `0${digits.slice(2)}`;
  return plus ? `+${digits}` : digits;
}

export const optionalPhone = z
  .string()
  .trim()
  .optional()
  .transform((v) => (v ? normalisePhone(v) : null))
  .refine((v) => v === null || /^(0\d{9,10}|\+\d{8,15})$/.test(v), 'Enter a phone number, like 07700 900 982');

export const dateOfBirth = (today: string) =>
  requiredDate('Enter a date of birth')
    .refine((v) => v <= today, 'Date of birth must be in the past')
    .refine((v) => v >= '1990-01-01', 'Date of birth must be after 1 January 1990');

/** Year groups in school order: Nursery, Reception, Year 1 … Year 13. */
export const YEAR_GROUPS: readonly YearGroup[] = ['N', 'R', '1', '2', '3', '4', '5', '6', '7', '8', '9', '10', '11', '12', '13'];

/**
 * A year group's place in the school (Nursery 0, Reception 1, Year 1 2 …), for sorting in school
 * order: sorting names or codes alphabetically puts Nursery and Reception after Year 6. No year
 * group (a pupil without a class) comes last.
 */
export function yearOrder(year: YearGroup | null | undefined): number {
  const i = year ? YEAR_GROUPS.indexOf(year) : -1;
  return i === -1 ? YEAR_GROUPS.length : i;
}
export const YEAR_GROUP_LABELS: Record<YearGroup, string> = {
  N: 'Nursery',
  R: 'Reception',
  '1': 'Year 1',
  '2': 'Year 2',
  '3': 'Year 3',
  '4': 'Year 4',
  '5': 'Year 5',
  '6': 'Year 6',
  '7': 'Year 7',
  '8': 'Year 8',
  '9': 'Year 9',
  '10': 'Year 10',
  '11': 'Year 11',
  '12': 'Year 12',
  '13': 'Year 13',
};

/** 'Year 3', 'Y3', '3', 'R', 'Reception', 'N1', 'N2', 'Nursery' → a year group; null if unknown. */
export function parseYearGroup(raw: string): YearGroup | null {
  const s = raw.trim().toUpperCase().replace(/\s+/g, ' ');
  if (s === 'N' || s === 'N1' || s === 'N2' || s === 'NURSERY' || s === 'NUR') return 'N';
  if (s === 'R' || s === 'REC' || s === 'RECEPTION' || s === 'YR' || s === 'YEAR R') return 'R';
  const m = /^(?:YEAR ?|Y|NC YEAR ?)?(\d{1,2})$/.exec(s);
  if (m && Number(m[1]) >= 1 && Number(m[1]) <= 13) return String(Number(m[1])) as YearGroup;
  return null;
}

export const SEND_LABELS: Record<SendStatus, string> = { none: 'None', sen_support: 'SEN support', ehcp: 'EHCP' };

/** SEN codes from the school census (N none, K SEN support, E EHC plan, S statement) and plain words. */
export function parseSendStatus(raw: string): SendStatus | null {
  const s = raw.trim().toUpperCase();
  if (s === '' || s === 'N' || s === 'NONE' || s === 'NO') return 'none';
  if (s === 'K' || s === 'SEN SUPPORT' || s === 'SEN_SUPPORT' || s === 'SUPPORT') return 'sen_support';
  if (s === 'E' || s === 'S' || s === 'EHCP' || s === 'EHC PLAN' || s === 'STATEMENT') return 'ehcp';
  return null;
}

export const RELATIONSHIP_LABELS: Record<Relationship, string> = {
  mother: 'Mother',
  father: 'Father',
  step_parent: 'Step-parent',
  foster_carer: 'Foster carer',
  grandparent: 'Grandparent',
  other_relative: 'Other relative',
  family_friend: 'Family friend',
  social_worker: 'Social worker',
  other: 'Other',
};

/** 'Mother', 'MUM', 'Step Father', 'Foster Carer', 'Grandmother', 'Aunt', 'Social Worker' → a relationship. */
export function parseRelationship(raw: string): Relationship | null {
  const s = raw.trim().toLowerCase().replace(/[-_]/g, ' ').replace(/\s+/g, ' ');
  const table: Record<string, Relationship> = {
    mother: 'mother',
    mum: 'mother',
    mom: 'mother',
    'parent (mother)': 'mother',
    father: 'father',
    dad: 'father',
    'parent (father)': 'father',
    'step mother': 'step_parent',
    'step father': 'step_parent',
    'step parent': 'step_parent',
    stepmother: 'step_parent',
    stepfather: 'step_parent',
    'foster carer': 'foster_carer',
    'foster mother': 'foster_carer',
    'foster father': 'foster_carer',
    'foster parent': 'foster_carer',
    grandparent: 'grandparent',
    grandmother: 'grandparent',
    grandfather: 'grandparent',
    gran: 'grandparent',
    grandad: 'grandparent',
    aunt: 'other_relative',
    uncle: 'other_relative',
    sister: 'other_relative',
    brother: 'other_relative',
    'other relative': 'other_relative',
    relative: 'other_relative',
    'family friend': 'family_friend',
    friend: 'family_friend',
    'social worker': 'social_worker',
    other: 'other',
    carer: 'other',
    'other contact': 'other',
    parent: 'other',
  };
  return table[s] ?? null;
}

/** Y/N, Yes/No, True/False, 1/0 → 1/0; empty uses the default; anything else is null (an error). */
export function parseYesNo(raw: string | undefined, fallback: 0 | 1): 0 | 1 | null {
  const s = (raw ?? '').trim().toLowerCase();
  if (s === '') return fallback;
  if (['y', 'yes', 'true', '1', 't'].includes(s)) return 1;
  if (['n', 'no', 'false', '0', 'f'].includes(s)) return 0;
  return null;
}

/**
 * Languages the demo school's families use, with the name a family would recognise. British Sign
 * Language is one a carer may need an interpreter for (parents' evenings); it has no written form,
 * so it is no machine-translation target (platform/channels/translate.ts LANGUAGE_CODES leaves it out)
 * and its readers get English.
 */
export const COMMON_LANGUAGES = [
  'English',
  'Polish',
  'Urdu',
  'Somali',
  'Romanian',
  'Arabic',
  'Bengali',
  'Portuguese',
  'Punjabi',
  'Turkish',
  'Lithuanian',
  'Tigrinya',
  'Ukrainian',
  'Spanish',
  'French',
  'British Sign Language',
];

function cap(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

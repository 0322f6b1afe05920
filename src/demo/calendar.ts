import type { LocalDate, YearGroup } from '../db/schema.ts';
import { int, type Rng } from './random.ts';

/** The demo school itself, and its 2026–27 year in England. */
export const DEMO_SCHOOL = {
  name: 'Brookfield Primary School',
  urn: '139482',
  phase: 'primary',
  time_zone: 'Europe/London',
  colour: '#00703c',
  teachers_see_all_pupils: 0,
} as const;

/** The local authority and DfE establishment numbers, used to make UPNs look like Brookfield's. */
export const DEMO_LA = '881';
export const DEMO_ESTABLISHMENT = '2431';

/** The autumn term's year: the academic year 2026–27. */
export const ACADEMIC_YEAR = 2026;

export const DEMO_TERMS: { name: string; starts_on: LocalDate; ends_on: LocalDate }[] = [
  { name: 'Autumn term 2026', starts_on: '2026-09-02', ends_on: '2026-12-18' },
  { name: 'Spring term 2027', starts_on: '2027-01-05', ends_on: '2027-03-26' },
  { name: 'Summer term 2027', starts_on: '2027-04-12', ends_on: '2027-07-22' },
];

/** Days inside a term when pupils are not in school. */
export const DEMO_CLOSURES: { starts_on: LocalDate; ends_on: LocalDate; reason: string }[] = [
  { starts_on: '2026-09-02', ends_on: '2026-09-02', reason: 'INSET day (staff training)' },
  { starts_on: '2026-10-26', ends_on: '2026-10-30', reason: 'Autumn half term' },
  { starts_on: '2027-01-05', ends_on: '2027-01-05', reason: 'INSET day (staff training)' },
  { starts_on: '2027-02-15', ends_on: '2027-02-19', reason: 'Spring half term' },
  { starts_on: '2027-02-22', ends_on: '2027-02-22', reason: 'INSET day (staff training)' },
  { starts_on: '2027-03-26', ends_on: '2027-03-26', reason: 'Good Friday (bank holiday)' },
  { starts_on: '2027-04-12', ends_on: '2027-04-12', reason: 'INSET day (staff training)' },
  { starts_on: '2027-05-03', ends_on: '2027-05-03', reason: 'Early May bank holiday' },
  { starts_on: '2027-05-31', ends_on: '2027-06-04', reason: 'Summer half term' },
  { starts_on: '2027-07-22', ends_on: '2027-07-22', reason: 'INSET day (staff training)' },
];

/** The primary year groups, youngest first. */
export const PRIMARY_YEARS: readonly YearGroup[] = ['N', 'R', '1', '2', '3', '4', '5', '6'];

/** Years after Reception: Nursery -1, Reception 0, Year 3 is 3. */
function yearIndex(year: YearGroup): number {
  if (year === 'N') return -1;
  if (year === 'R') return 0;
  return Number(year);
}

/**
 * Children in a year group were born from 1 September to 31 August: in 2026–27 Reception was born
 * September 2021 – August 2022, Year 3 September 2018 – August 2019.
 */
export function birthRange(year: YearGroup): { from: LocalDate; to: LocalDate } {
  const start = ACADEMIC_YEAR - 5 - yearIndex(year);
  return { from: `${start}-09-01`, to: `${start + 1}-08-31` };
}

/** A date of birth that puts a child in the given year group. */
export function randomBirthDate(rng: Rng, year: YearGroup): LocalDate {
  const { from, to } = birthRange(year);
  const start = Date.parse(`${from}T00:00:00Z`);
  const days = Math.round((Date.parse(`${to}T00:00:00Z`) - start) / 86_400_000);
  return new Date(start + int(rng, 0, days) * 86_400_000).toISOString().slice(0, 10);
}

/** The calendar year a child first joined a school (Nursery at three): the year their UPN was made. */
export function entryYear(year: YearGroup): number {
  return ACADEMIC_YEAR - 1 - yearIndex(year);
}

import type { Flag } from '../../../db/schema.ts';
import { dateOfBirth, optionalName, parseSendStatus, parseYearGroup, parseYesNo, personName } from '../validation.ts';
import { cell, PUPIL_COLUMNS, type ColumnMap, type PupilColumn } from './columns.ts';
import { clip, RowReader } from './fields.ts';
import type { CsvRow, PupilInput, RowResult } from './types.ts';

/** A UPN: a check letter, 11 digits, then a digit (or a letter for a temporary UPN). */
export const UPN_PATTERN = /^[A-Z]\d{11}[0-9A-Z]$/;

/** ' a123 4567 89012 ' → 'A123456789012' (records systems and spreadsheets add spaces and lower case). */
export function normaliseUpn(raw: string): string {
  return raw.replace(/\s+/g, '').toUpperCase();
}

/** 'English' / 'Other than English' (as the school census words it) or yes/no. */
export function parseEal(raw: string): Flag | null {
  const s = raw.trim().toLowerCase().replace(/\s+/g, ' ');
  if (s === 'english' || s === 'believed to be english') return 0;
  if (s === 'other than english' || s === 'believed to be other than english') return 1;
  return parseYesNo(s, 0);
}

// Field rules are built once, not per row: building a Zod schema costs far more than using it.
const RULES = { forename: personName('forename'), surname: personName('surname'), preferred: optionalName('preferred forename') };
let born: { today: string; rule: ReturnType<typeof dateOfBirth> } | undefined;
function dateOfBirthRule(today: string) {
  if (born?.today !== today) born = { today, rule: dateOfBirth(today) };
  return born.rule;
}

/** One pupils row → what it says, or every problem with it (each naming its column). */
export function readPupilRow(row: CsvRow, columns: ColumnMap<PupilColumn>, today: string): RowResult<PupilInput> {
  const r = new RowReader();
  const get = (key: PupilColumn) => cell(row.cells, columns, key);
  const h = (key: PupilColumn) => columns.header[key] ?? PUPIL_COLUMNS.find((c) => c.key === key)!.label;

  const upnRaw = get('upn') ?? '';
  const upn = normaliseUpn(upnRaw);
  if (upn === '') r.missing(h('upn'), 'Enter the UPN');
  else if (!UPN_PATTERN.test(upn)) r.missing(h('upn'), `UPN "${clip(upnRaw)}" must be 13 characters: a letter, 11 digits, then a digit or letter, like A123456789012`);

  const given = r.zod(h('given_name'), RULES.forename, get('given_name'));
  const family = r.zod(h('family_name'), RULES.surname, get('family_name'));
  const preferredRaw = get('preferred_name');
  const preferred = preferredRaw === undefined ? undefined : r.zod(h('preferred_name'), RULES.preferred, preferredRaw);
  const dob = r.zod(h('date_of_birth'), dateOfBirthRule(today), get('date_of_birth'));

  const yearRaw = get('year_group') ?? '';
  let year: PupilInput['year_group'] | undefined;
  if (yearRaw === '') r.missing(h('year_group'), 'Enter the year group');
  else year = r.choice(h('year_group'), yearRaw, parseYearGroup, 'N (Nursery), R (Reception) or 1 to 13, like "Year 3"');

  const className = r.text(h('class_name'), get('class_name'), 50);
  const sendRaw = get('send_status');
  const send = sendRaw === undefined ? undefined : r.choice(h('send_status'), sendRaw, parseSendStatus, 'N (none), K (SEN support) or E (EHC plan)');
  const ealRaw = get('eal');
  const eal = ealRaw === undefined || ealRaw === '' ? undefined : r.choice(h('eal'), ealRaw, parseEal, 'Y or N, or "English" or "Other than English"');
  const homeLanguage = r.text(h('home_language'), get('home_language'), 60);

  if (r.problems.length > 0 || !given || !family || !dob || !year) {
    const who = [get('given_name'), get('family_name')].filter(Boolean).join(' ') + (upn ? ` (${upn})` : '');
    return { ok: false, reject: { line: row.line, who: who.trim(), ...(upn ? { key: upn } : {}), problems: r.problems } };
  }
  const value: PupilInput = { line: row.line, upn, given_name: given, family_name: family, date_of_birth: dob, year_group: year };
  if (preferred !== undefined) value.preferred_name = preferred === given ? null : preferred;
  if (className !== undefined) value.class_name = className;
  if (send !== undefined) value.send_status = send;
  if (eal !== undefined) value.eal = eal;
  if (homeLanguage !== undefined) value.home_language = homeLanguage;
  return { ok: true, value };
}

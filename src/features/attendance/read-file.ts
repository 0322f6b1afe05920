import { clip, normaliseHeader, normaliseUpn, readCsv, UPN_PATTERN } from '../people/index.ts';
import { percentTenths } from './figures.ts';

/**
 * An attendance export from the records system: one row per pupil, with the pupil's UPN, sessions
 * possible and sessions attended (authorised and unauthorised absences if the file has them). Column
 * names are compared as the pupils import compares them (capitals, spaces and punctuation ignored).
 * Every row's problems are found and reported with the row's line; one bad row stops the whole file
 * (the routes save nothing), since a figure half-imported would tell a family the wrong thing.
 */
export const ATTENDANCE_COLUMNS = [
  { key: 'upn', label: 'UPN', variants: ['UPN', 'Pupil UPN', 'Unique Pupil Number'], required: true, note: 'The pupil’s UPN, as in the pupils file.' },
  {
    key: 'possible',
    label: 'Sessions Possible',
    variants: ['Sessions Possible', 'Possible Sessions', 'Possible', 'Poss', 'Sessions Poss'],
    required: true,
    note: 'Whole number: the morning and afternoon sessions the pupil could have attended this school year.',
  },
  {
    key: 'attended',
    label: 'Sessions Attended',
    variants: ['Sessions Attended', 'Attended Sessions', 'Attended', 'Sessions Present', 'Present', 'Present Sessions', 'Attendances'],
    required: true,
    note: 'Whole number, no more than sessions possible (approved educational activity counts as attended).',
  },
  { key: 'authorised', label: 'Authorised Absences', variants: ['Authorised Absences', 'Authorised Absence', 'Authorised', 'Auth Absences'], required: false, note: 'Optional, whole number.' },
  {
    key: 'unauthorised',
    label: 'Unauthorised Absences',
    variants: ['Unauthorised Absences', 'Unauthorised Absence', 'Unauthorised', 'Unauth Absences'],
    required: false,
    note: 'Optional, whole number.',
  },
] as const;
type Key = (typeof ATTENDANCE_COLUMNS)[number]['key'];

/** More sessions than any school year has (190 days × 2), with room for a long year; a bigger number is a mistake. */
export const MAX_SESSIONS = 1_000;

export type AttendanceRow = {
  line: number;
  upn: string;
  pupilId: string;
  pupilName: string;
  possible: number;
  attended: number;
  authorised: number | null;
  unauthorised: number | null;
  tenths: number;
};
export type RowProblem = { line: number; who: string; problems: string[] };
export type AttendanceFile = { ok: true; rows: AttendanceRow[]; rejects: RowProblem[]; unused: string[] } | { ok: false; message: string };

/** The school's pupils by UPN: the only pupils a file may name. */
export type PupilsByUpn = ReadonlyMap<string, { id: string; name: string }>;

export function readAttendanceFile(text: string, pupils: PupilsByUpn): AttendanceFile {
  const csv = readCsv(text);
  if (!csv.ok) return csv;
  const header = csv.table.header;
  const normalised = header.map(normaliseHeader);
  const index: Partial<Record<Key, number>> = {};
  const names: Partial<Record<Key, string>> = {};
  const used = new Set<number>();
  for (const def of ATTENDANCE_COLUMNS) {
    for (const variant of def.variants) {
      const at = normalised.findIndex((h, i) => h === normaliseHeader(variant) && !used.has(i));
      if (at >= 0) {
        index[def.key] = at;
        names[def.key] = header[at]!;
        used.add(at);
        break;
      }
    }
  }
  const missing = ATTENDANCE_COLUMNS.filter((d) => d.required && index[d.key] === undefined);
  if (missing.length > 0) {
    const found =
      header
        .filter((h) => h !== '')
        .slice(0, 12)
        .map((h) => `"${clip(h)}"`)
        .join(', ') || 'none';
    return {
      ok: false,
      message: `The attendance file is missing ${missing.length === 1 ? 'a required column' : 'required columns'}: ${missing.map((d) => `"${d.label}"`).join(', ')}. The first line of the file must name the columns; it has ${found}.`,
    };
  }
  const get = (cells: string[], key: Key) => (index[key] === undefined ? undefined : (cells[index[key]] ?? '').trim());
  const col = (key: Key) => names[key] ?? ATTENDANCE_COLUMNS.find((d) => d.key === key)!.label;

  const rows: AttendanceRow[] = [];
  const rejects: RowProblem[] = [];
  const seen = new Map<string, number>();
  for (const { line, cells } of csv.table.rows) {
    const problems: string[] = [];
    const upnRaw = get(cells, 'upn') ?? '';
    const upn = normaliseUpn(upnRaw);
    const pupil = pupils.get(upn);
    // Matched as the school holds it: a UPN the pupils import took is good here too.
    if (upn === '') problems.push(`${col('upn')}: Enter the pupil’s UPN`);
    else if (!pupil && !UPN_PATTERN.test(upn)) problems.push(`${col('upn')} "${clip(upnRaw)}" must be 13 characters: a letter, 11 digits, then a digit or letter, like A123456789012`);
    else if (!pupil) problems.push(`${col('upn')}: No pupil with UPN ${upn} is in the school. Import the pupils file first`);
    else if (seen.has(upn)) problems.push(`${col('upn')}: UPN ${upn} is already on line ${seen.get(upn)} of this file. Each pupil must be on one row`);

    const whole = (key: Key, required: boolean): number | null | undefined => {
      const raw = get(cells, key);
      if (raw === undefined || raw === '') {
        if (required) problems.push(`${col(key)}: Enter the number of sessions`);
        return raw === undefined ? undefined : null;
      }
      if (!/^\d{1,7}$/.test(raw)) {
        problems.push(`${col(key)} "${clip(raw)}" must be a whole number of sessions, like 120`);
        return undefined;
      }
      const n = Number(raw);
      if (n > MAX_SESSIONS) {
        problems.push(`${col(key)} ${n} is more sessions than a school year has (up to ${MAX_SESSIONS.toLocaleString('en-GB')})`);
        return undefined;
      }
      return n;
    };
    const possible = whole('possible', true);
    const attended = whole('attended', true);
    const authorised = whole('authorised', false);
    const unauthorised = whole('unauthorised', false);
    if (possible === 0) problems.push(`${col('possible')}: Sessions possible must be at least 1 (a pupil with no sessions yet has no attendance to show: leave them out of the file)`);
    if (typeof possible === 'number' && possible > 0 && typeof attended === 'number' && attended > possible) {
      problems.push(`${col('attended')}: ${attended} sessions attended is more than the ${possible} possible`);
    }
    if (typeof possible === 'number' && typeof attended === 'number' && attended <= possible) {
      const absent = (authorised ?? 0) + (unauthorised ?? 0);
      if (attended + absent > possible) {
        problems.push(`Sessions attended (${attended}) and absences (${absent}) add up to more than the ${possible} sessions possible`);
      }
    }

    const who = pupil ? `${pupil.name} (${upn})` : clip(upnRaw);
    if (problems.length > 0 || !pupil || typeof possible !== 'number' || typeof attended !== 'number' || possible < 1) {
      rejects.push({ line, who, problems });
      continue;
    }
    seen.set(upn, line);
    rows.push({
      line,
      upn,
      pupilId: pupil.id,
      pupilName: pupil.name,
      possible,
      attended,
      authorised: authorised ?? null,
      unauthorised: unauthorised ?? null,
      tenths: percentTenths(attended, possible),
    });
  }
  const unused = header.filter((h, i) => h !== '' && !used.has(i));
  return { ok: true, rows, rejects, unused };
}

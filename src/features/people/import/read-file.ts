import { mapColumns, type ColumnMap, type ContactColumn, type PupilColumn } from './columns.ts';
import { readContactRow } from './contact-rows.ts';
import { readCsv } from './csv.ts';
import { problemText } from './fields.ts';
import { readPupilRow } from './pupil-rows.ts';
import { rejectDuplicateUpns } from './plan-pupils.ts';
import type { ContactInput, FileProblem, ImportKind, PupilInput, RowResult } from './types.ts';

/** A whole file read: every row's result, and where the columns are. A file problem stops it all. */
export type PupilsFile = { ok: true; kind: 'pupils'; results: RowResult<PupilInput>[]; columns: ColumnMap<PupilColumn> };
export type ContactsFile = { ok: true; kind: 'contacts'; results: RowResult<ContactInput>[]; columns: ColumnMap<ContactColumn> };

export function readPupilsFile(text: string, today: string): PupilsFile | FileProblem {
  const csv = readCsv(text);
  if (!csv.ok) return csv;
  const mapped = mapColumns<PupilColumn>('pupils', csv.table.header);
  if (!mapped.ok) return mapped;
  const results = csv.table.rows.map((row) => readPupilRow(row, mapped.columns, today));
  return { ok: true, kind: 'pupils', results: rejectDuplicateUpns(results, mapped.columns.header.upn ?? 'UPN'), columns: mapped.columns };
}

export function readContactsFile(text: string): ContactsFile | FileProblem {
  const csv = readCsv(text);
  if (!csv.ok) return csv;
  const mapped = mapColumns<ContactColumn>('contacts', csv.table.header);
  if (!mapped.ok) return mapped;
  return { ok: true, kind: 'contacts', results: csv.table.rows.map((row) => readContactRow(row, mapped.columns)), columns: mapped.columns };
}

export function readFile(kind: ImportKind, text: string, today: string): PupilsFile | ContactsFile | FileProblem {
  return kind === 'pupils' ? readPupilsFile(text, today) : readContactsFile(text);
}

/** What a pupils file says about each UPN: the rows it would import, and the rows it turns down (with why). */
export type PupilsFileFacts = { good: Set<string>; turnedDown: Map<string, { line: number; problems: string }> };

export function pupilsFileFacts(text: string, today: string): PupilsFileFacts {
  const facts: PupilsFileFacts = { good: new Set(), turnedDown: new Map() };
  const file = readPupilsFile(text, today);
  if (!file.ok) return facts;
  for (const r of file.results) {
    if (r.ok) facts.good.add(r.value.upn);
    else if (r.reject.key && !facts.turnedDown.has(r.reject.key)) facts.turnedDown.set(r.reject.key, { line: r.reject.line, problems: r.reject.problems.map(problemText).join('; ') });
  }
  for (const upn of facts.good) facts.turnedDown.delete(upn);
  return facts;
}

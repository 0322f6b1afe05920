import { mapColumns, type ColumnMap, type ContactColumn, type PupilColumn } from './columns.ts';
import { readContactRow } from './contact-rows.ts';
import { readCsv } from './csv.ts';
import { normaliseUpn, readPupilRow } from './pupil-rows.ts';
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

/** The UPNs a pupils file names (valid rows or not): contacts for them wait for that file. */
export function upnsInPupilsFile(text: string): Set<string> {
  const csv = readCsv(text);
  if (!csv.ok) return new Set();
  const mapped = mapColumns<PupilColumn>('pupils', csv.table.header);
  const at = mapped.ok ? mapped.columns.index.upn : undefined;
  if (at === undefined) return new Set();
  return new Set(csv.table.rows.map((row) => normaliseUpn(row.cells[at] ?? '')).filter((upn) => upn !== ''));
}

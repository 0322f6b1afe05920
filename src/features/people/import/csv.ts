import { parse } from 'csv-parse/sync';
import type { CsvTable, FileProblem } from './types.ts';

/**
 * Reading the records system's export: bytes → UTF-8 text → header and rows, each row with the line
 * it starts on, so every message can point at the line a person sees in a text editor or Excel.
 */

/**
 * More than any school's pupils or contacts (a secondary school of 2,000 pupils exports about 8,000
 * contact rows, about 1.5 MB); a bigger file is a mistake, or an attack on the dry run, which reads
 * the whole file each time it is shown.
 */
export const MAX_ROWS = 20_000;
export const MAX_FILE_BYTES = 5 * 1024 * 1024;
export const TOO_LARGE = `The file is larger than 5 MB, the most Gatepost reads at a time. Export fewer rows (for example one year group at a time) and upload each file.`;

const SAVE_AS_UTF8 = 'In Excel, choose File, Save a copy, and the type "CSV UTF-8 (Comma delimited)", then upload that file.';

/** The uploaded bytes as text, or a problem when they are not a UTF-8 CSV file. */
export function decodeUpload(bytes: Uint8Array): { ok: true; text: string } | FileProblem {
  if (bytes.length === 0) return { ok: false, message: 'The file is empty' };
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    return { ok: false, message: `The file is saved as UTF-16 ("Unicode text"), not UTF-8. ${SAVE_AS_UTF8}` };
  }
  if (bytes.includes(0)) return { ok: false, message: 'The file is not a CSV file: it looks like a spreadsheet or other binary file. Export or save it as CSV.' };
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes); // a leading BOM is dropped here
  } catch {
    return { ok: false, message: `The file is not saved as UTF-8, so names with accents would be garbled. ${SAVE_AS_UTF8}` };
  }
  // eslint-disable-next-line no-control-regex -- looking for control characters is the point
  if (/[\u0001-\u0008\u000e-\u001f]/.test(text)) {
    return { ok: false, message: 'The file is not a CSV file: it contains control characters. Export or save it as CSV.' };
  }
  return { ok: true, text };
}

type CsvError = Error & { code?: string; lines?: number };
type Parsed = { record: string[]; info: { lines: number } };

/** The header and the non-blank rows of a CSV text (with or without BOM, CRLF or LF, quoted fields). */
export function readCsv(input: string): { ok: true; table: CsvTable } | FileProblem {
  const text = input.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  if (text.trim() === '') return { ok: false, message: 'The file is empty' };
  let parsed: Parsed[];
  try {
    parsed = parse(text, { relax_column_count: true, skip_empty_lines: true, info: true }) as unknown as Parsed[];
  } catch (error) {
    return { ok: false, message: describeCsvError(error as CsvError, text) };
  }
  const rows = parsed
    .map(({ record, info }) => ({
      // csv-parse counts the line a record ends on; a quoted field may span several lines.
      line: info.lines - record.reduce((n, cell) => n + countNewlines(cell), 0),
      cells: record,
    }))
    .filter((row) => row.cells.some((cell) => cell.trim() !== ''));
  const [header, ...data] = rows;
  if (!header) return { ok: false, message: 'The file is empty' };
  if (data.length === 0) return { ok: false, message: 'The file has column names but no rows' };
  if (data.length > MAX_ROWS)
    return {
      ok: false,
      message: `The file has ${data.length.toLocaleString('en-GB')} rows; Gatepost reads up to ${MAX_ROWS.toLocaleString('en-GB')} at a time. Split it into smaller files (for example one year group at a time).`,
    };
  return { ok: true, table: { header: header.cells.map((h) => h.trim()), rows: data } };
}

function describeCsvError(error: CsvError, text: string): string {
  const fix = 'Check the file in a text editor, or export it again from the records system.';
  if (error.code === 'CSV_QUOTE_NOT_CLOSED') {
    return `Line ${unclosedQuoteLine(text) ?? error.lines ?? '?'}: a quoted value is never closed (a " has no matching "). Nothing in this file has been read. ${fix}`;
  }
  if (error.code === 'INVALID_OPENING_QUOTE' || error.code === 'CSV_INVALID_CLOSING_QUOTE') {
    return `Line ${error.lines ?? '?'}: a " is in the wrong place (quotes inside a value must be doubled, like ""). Nothing in this file has been read. ${fix}`;
  }
  return `The file could not be read as CSV${error.lines ? ` (line ${error.lines})` : ''}. Nothing in this file has been read. ${fix}`;
}

/** The line where a quoted field opens and never closes, following the CSV quoting rules. */
export function unclosedQuoteLine(text: string): number | null {
  let line = 1;
  let inQuotes = false;
  let openedAt = 0;
  let fieldStart = true;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inQuotes) {
      if (c === '"') {
        if (text[i + 1] === '"') i++;
        else inQuotes = false;
      } else if (c === '\n') line++;
      continue;
    }
    if (c === '"' && fieldStart) {
      inQuotes = true;
      openedAt = line;
    }
    fieldStart = c === ',' || c === '\n';
    if (c === '\n') line++;
  }
  return inQuotes ? openedAt : null;
}

function countNewlines(s: string): number {
  let n = 0;
  for (let i = s.indexOf('\n'); i >= 0; i = s.indexOf('\n', i + 1)) n++;
  return n;
}

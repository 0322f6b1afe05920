import type { FastifyReply } from 'fastify';

/**
 * CSV downloads for spreadsheets: UTF-8 with a byte-order mark (so Excel reads Zoë and Łukasz as
 * written), CRLF line ends, every cell quoted when it must be (commas, quotes, line breaks), and no
 * cell a spreadsheet would run as a formula: one starting with = + - @, a tab or a carriage return is
 * prefixed with a single quote (OWASP's advice on CSV injection). Numbers are written as numbers.
 */
export type CsvValue = string | number | null | undefined;

const FORMULA_START = /^[=+\-@\t\r]/;

/** A cell as text a spreadsheet shows and never runs. */
export function neutralise(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
}

export function csvCell(value: CsvValue): string {
  if (value === null || value === undefined) return '';
  const text = typeof value === 'number' ? String(value) : neutralise(value);
  return /[",\r\n]|^\s|\s$/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function toCsv(header: readonly string[], rows: readonly (readonly CsvValue[])[]): string {
  return `\uFEFF${[header, ...rows].map((row) => row.map(csvCell).join(',')).join('\r\n')}\r\n`;
}

/** "Pupils 3 Okafor" → "pupils-3-okafor": a file name with nothing a browser or a disk could misread. */
export function fileNameOf(words: string): string {
  const name = words
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80);
  return name || 'export';
}

/** Send rows as a CSV download named `<fileName>.csv`, never cached (it holds people's details). */
export function sendCsv(reply: FastifyReply, fileName: string, header: readonly string[], rows: readonly (readonly CsvValue[])[]): FastifyReply {
  return reply
    .type('text/csv; charset=utf-8')
    .header('Content-Disposition', `attachment; filename="${fileNameOf(fileName)}.csv"`)
    .header('Cache-Control', 'no-store')
    .send(toCsv(header, rows));
}

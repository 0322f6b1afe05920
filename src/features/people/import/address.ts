/**
 * Addresses as records systems export them: four columns (line 1, line 2, town, postcode), a third
 * line, or one "Address" column holding the whole address on several lines (or, on one line, split
 * by commas). Gatepost keeps two address lines, a town and a postcode.
 */

export type AddressParts = { address_line1: string | null; address_line2: string | null; town: string | null; postcode: string | null };

/** A UK postcode, alone or at the end of a line ("Brookfield BF1 3CD"). */
const POSTCODE_AT_END = /(?:^|\s)([A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2})$/i;

/** The lines of a cell: split at line breaks, each trimmed, blank ones dropped. */
export function linesOf(raw: string): string[] {
  return raw
    .split(/\r\n|\r|\n/)
    .map((l) => l.trim().replace(/\s+/g, ' '))
    .filter((l) => l !== '');
}

/** A cell that should be one line (an address line, a town): its lines joined with commas. */
export function oneLine(raw: string | undefined): string | undefined {
  return raw === undefined ? undefined : linesOf(raw).join(', ');
}

/**
 * One "Address" cell → address lines, town and postcode. Lines come from line breaks, or from
 * commas when the cell is on one line. The postcode is taken from the end when it looks like one,
 * and the last line is the town when it has no digits ("Brookfield", not "Flat 2"). The first line
 * is address line 1; any others are joined into address line 2. `keep` says which parts the file
 * states in their own columns, so they are not taken from this cell.
 */
export function splitAddress(raw: string, keep: { town: boolean; postcode: boolean }): AddressParts {
  let parts = linesOf(raw);
  if (parts.length === 1)
    parts = parts[0]!
      .split(',')
      .map((p) => p.trim())
      .filter((p) => p !== '');
  let postcode: string | null = null;
  const last = parts.at(-1);
  const found = last && !keep.postcode ? POSTCODE_AT_END.exec(last) : null;
  if (found) {
    postcode = found[1]!.toUpperCase().replace(/\s+/g, ' ');
    const rest = last!.slice(0, found.index).trim().replace(/,$/, '').trim();
    parts = rest ? [...parts.slice(0, -1), rest] : parts.slice(0, -1);
  }
  let town: string | null = null;
  if (!keep.town && parts.length >= 2 && !/\d/.test(parts.at(-1)!)) town = parts.pop()!;
  return { address_line1: parts[0] ?? null, address_line2: parts.length > 1 ? parts.slice(1).join(', ') : null, town, postcode };
}

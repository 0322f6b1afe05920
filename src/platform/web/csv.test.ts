import { describe, expect, it } from 'vitest';
import { csvCell, fileNameOf, toCsv } from './csv.ts';

describe('CSV for spreadsheets', () => {
  it('never writes a cell a spreadsheet would run as a formula', () => {
    expect(['=1+1', '+44 7700 900123', '-2+3', '@SUM(A1)', '\tx', '\rx', '=HYPERLINK("http://evil.example","Click")'].map(csvCell)).toEqual([
      "'=1+1",
      "'+44 7700 900123",
      "'-2+3",
      "'@SUM(A1)",
      "'\tx",
      `"'\rx"`,
      `"'=HYPERLINK(""http://evil.example"",""Click"")"`,
    ]);
    expect(csvCell('Zoë = top of the class')).toBe('Zoë = top of the class');
    expect(csvCell(-3)).toBe('-3'); // a number is a number
  });

  it('quotes commas, quotes and line breaks, and starts with a byte-order mark for Excel', () => {
    expect(
      toCsv(
        ['Name', 'Address'],
        [
          ["O'Brien-Smith, Aoife", '12 Mill Lane\nFlat 2'],
          ['Łukasz "Luke"', null],
        ],
      ),
    ).toBe('\uFEFFName,Address\r\n"O\'Brien-Smith, Aoife","12 Mill Lane\nFlat 2"\r\n"Łukasz ""Luke""",\r\n');
  });

  it('makes a safe file name', () => {
    expect(fileNameOf('Pupils: 3 Okafor / Zoë')).toBe('pupils-3-okafor-zoe');
    expect(fileNameOf('"; rm -rf')).toBe('rm-rf');
    expect(fileNameOf('محمد')).toBe('export');
  });
});

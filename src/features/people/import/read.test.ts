import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { mapColumns, normaliseHeader } from './columns.ts';
import { decodeUpload, readCsv } from './csv.ts';
import { problemText } from './fields.ts';
import { readContactsFile, readPupilsFile } from './read-file.ts';
import type { ContactInput, PupilInput, Reject, RowResult } from './types.ts';

const TODAY = '2026-11-23';
const fixtures = path.resolve(import.meta.dirname, '../../../../test/fixtures/import');
const PUPIL_HEADER = 'UPN,Legal Forename,Legal Surname,Date of Birth,Year Group';

function pupils(text: string): RowResult<PupilInput>[] {
  const file = readPupilsFile(text, TODAY);
  if (!file.ok) throw new Error(file.message);
  return file.results;
}
const rejects = (results: RowResult<unknown>[]): Reject[] => results.flatMap((r) => (r.ok ? [] : [r.reject]));
const goods = <T>(results: RowResult<T>[]): T[] => results.flatMap((r) => (r.ok ? [r.value] : []));
const problem = (results: RowResult<unknown>[], line: number) =>
  rejects(results)
    .find((r) => r.line === line)
    ?.problems.map(problemText)
    .join(' | ');

describe('reading the CSV text', () => {
  it("reads a BOM, CRLF line ends and quoted fields with commas, quotes and newlines, keeping each row's line number", () => {
    const text = '\uFEFFUPN,Name\r\n"A1","Smith, Jo"\r\n\r\nB2,"two\r\nlines"\r\nC3,"say ""hi"""\r\n';
    const csv = readCsv(text);
    expect(csv.ok && csv.table).toEqual({
      header: ['UPN', 'Name'],
      rows: [
        { line: 2, cells: ['A1', 'Smith, Jo'] },
        { line: 4, cells: ['B2', 'two\nlines'] },
        { line: 6, cells: ['C3', 'say "hi"'] },
      ],
    });
  });

  it('refuses an unclosed quote, naming the line where the quote opens', () => {
    const csv = readCsv('UPN,Name\nA1,Jo\nB2,"Sam\nC3,Kit\n');
    expect(csv.ok).toBe(false);
    expect(!csv.ok && csv.message).toMatch(/^Line 3: a quoted value is never closed/);
  });

  it('refuses an empty file and a file with only column names', () => {
    expect(readCsv('')).toEqual({ ok: false, message: 'The file is empty' });
    expect(readCsv('\uFEFF\r\n  \r\n')).toEqual({ ok: false, message: 'The file is empty' });
    expect(readCsv(`${PUPIL_HEADER}\r\n`)).toEqual({ ok: false, message: 'The file has column names but no rows' });
  });

  it('accepts UTF-8 with or without a BOM and refuses other encodings and binary files clearly', () => {
    expect(decodeUpload(Buffer.from('\uFEFFUPN\nZoë', 'utf8'))).toEqual({ ok: true, text: 'UPN\nZoë' });
    expect(decodeUpload(Buffer.from('UPN\nZoë', 'utf8'))).toEqual({ ok: true, text: 'UPN\nZoë' });
    const latin1 = decodeUpload(Buffer.from('UPN\nZo\xeb', 'latin1'));
    expect(!latin1.ok && latin1.message).toMatch(/not saved as UTF-8/);
    const utf16 = decodeUpload(Buffer.from('\uFEFFUPN', 'utf16le'));
    expect(!utf16.ok && utf16.message).toMatch(/UTF-16/);
    const zip = decodeUpload(Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x00, 0x00, 0x08]));
    expect(!zip.ok && zip.message).toMatch(/not a CSV file/);
    expect(decodeUpload(new Uint8Array())).toEqual({ ok: false, message: 'The file is empty' });
  });
});

describe('column headers', () => {
  it('ignores case, spaces and punctuation', () => {
    expect(['Date of Birth', 'DATE_OF_BIRTH', 'date-of-birth', ' D.O.B. '].map(normaliseHeader)).toEqual(['dateofbirth', 'dateofbirth', 'dateofbirth', 'dob']);
  });

  it('accepts the spellings records systems use', () => {
    const variants = [
      ['UPN', 'Legal Forename', 'Legal Surname', 'DOB', 'Year'],
      ['Unique Pupil Number', 'Forename', 'Surname', 'Date of Birth', 'NC Year'],
      ['upn', 'First Name', 'Last Name', 'date_of_birth', 'Year Taught In'],
      ['U.P.N.', 'FORENAME', 'SURNAME', 'Date Of Birth', 'Year Group'],
    ];
    for (const header of variants) {
      const mapped = mapColumns('pupils', [...header, 'Reg Group', 'SEN Provision', 'EAL', 'First Language', 'Preferred Name']);
      expect(mapped.ok, header.join()).toBe(true);
      if (mapped.ok)
        expect(Object.keys(mapped.columns.index).sort()).toEqual([
          'class_name',
          'date_of_birth',
          'eal',
          'family_name',
          'given_name',
          'home_language',
          'preferred_name',
          'send_status',
          'upn',
          'year_group',
        ]);
    }
    const contacts = mapColumns('contacts', [
      'UPN',
      'Forename',
      'Surname',
      'Relationship',
      'Resides With Pupil',
      'Contact Priority',
      'Email Address',
      'Telephone',
      'Language',
      'May Receive Information',
      'Copy Correspondence',
    ]);
    expect(contacts.ok && Object.keys(contacts.columns.index).length).toBe(11);
  });

  it('prefers the legal forename when a file has both Legal Forename and Forename, and lists unused columns', () => {
    const mapped = mapColumns('pupils', ['Forename', 'Legal Forename', 'Surname', 'UPN', 'DOB', 'Year', 'Gender']);
    expect(mapped.ok && mapped.columns.index.given_name).toBe(1);
    expect(mapped.ok && mapped.columns.unused).toEqual(['Forename', 'Gender']);
  });

  it('names every missing required column, and spots the other kind of file', () => {
    const mapped = mapColumns('pupils', ['UPN', 'Forename', 'Surname']);
    expect(!mapped.ok && mapped.message).toMatch(/missing required columns: "Date of Birth", "Year Group"/);
    const swapped = mapColumns('contacts', ['UPN', 'Forename', 'Surname', 'DOB', 'Year']);
    expect(!swapped.ok && swapped.message).toMatch(/"Relationship".*looks like a pupils file/);
  });
});

describe('pupil rows', () => {
  it('reads the sample export: names in any script are kept exactly', () => {
    const results = pupils(fs.readFileSync(path.join(fixtures, 'pupils.csv'), 'utf8'));
    expect(rejects(results)).toEqual([]);
    const rows = goods(results);
    expect(rows.map((r) => `${r.given_name} ${r.family_name}`)).toEqual(['Łukasz Kowalski', 'Zoë Brown', 'محمد Hassan', "Aoife O'Brien-Smith", 'Zofia Kowalski']);
    expect(rows[0]).toMatchObject({ line: 2, upn: 'H801200001001', date_of_birth: '2019-02-14', year_group: '2', class_name: '2 Maple', preferred_name: null, eal: 1, send_status: 'none' });
    expect(rows[2]).toMatchObject({ preferred_name: 'Mo', year_group: 'R', home_language: 'Arabic' });
    expect(rows[4]).toMatchObject({ year_group: 'N', line: 6 });
  });

  it('rejects each bad field with its line and a message naming the column', () => {
    const text = [
      'UPN,First Name,Surname,DOB,Year,Reg Group,SEN',
      'H801200001001,Amy,Jones,01/02/2019,3,3A,N',
      'H801200001002,Ben,Jones,01/02/2099,3,3A,N',
      `H801200001003,${'x'.repeat(101)},Jones,01/02/2019,3,3A,N`,
      'H801200001004,<b>Cat</b>,Jones,01/02/2019,3,3A,N',
      'H801200001005,Dan,Jones,01/02/2019,Year 14,3A,N',
      'H801200001006,Eve,Jones,31/02/2019,3,3A,Q',
      'H80120000100,Fay,Jones,01/02/2019,3,3A,N',
      'H801200001008,,Jones,01/02/2019,,3A,N',
    ].join('\n');
    const results = pupils(text);
    expect(goods(results).map((r) => r.line)).toEqual([2]);
    expect(problem(results, 3)).toBe('DOB: Date of birth must be in the past');
    expect(problem(results, 4)).toBe('First Name: Forename must be 100 characters or fewer');
    expect(problem(results, 5)).toBe('First Name: Forename must not contain < > { } or \\');
    expect(problem(results, 6)).toBe('Year "Year 14" is not one we recognise: use N (Nursery), R (Reception) or 1 to 13, like "Year 3"');
    expect(problem(results, 7)).toBe(
      'DOB: There is no 31 February 2019: write a real date, like 9/12/2026 or 9 December 2026 | SEN "Q" is not one we recognise: use N (none), K (SEN support) or E (EHC plan)',
    );
    expect(problem(results, 8)).toMatch(/^UPN "H80120000100" must be 13 characters/);
    expect(problem(results, 9)).toBe('First Name: Enter forename | Year: Enter the year group');
  });

  it('keeps the first row of a UPN that appears twice and turns down the later one, naming both lines', () => {
    const results = pupils(`${PUPIL_HEADER}\nH801200001001,Amy,Jones,01/02/2019,3\nH801200001002,Ben,Jones,01/02/2019,3\nh801200001001,Amy,Jones,01/02/2019,3\n`);
    expect(goods(results).map((r) => r.line)).toEqual([2, 3]);
    expect(problem(results, 4)).toBe('UPN H801200001001 is already on line 2 of this file. Each pupil must be on one row: line 2 is the one read, and this row is turned down');
  });
});

describe('contact rows', () => {
  const read = (text: string): RowResult<ContactInput>[] => {
    const file = readContactsFile(text);
    if (!file.ok) throw new Error(file.message);
    return file.results;
  };

  it('reads the sample export (BOM, CRLF, quoted commas) into carers and links', () => {
    const results = read(fs.readFileSync(path.join(fixtures, 'contacts.csv'), 'utf8'));
    expect(rejects(results)).toEqual([]);
    const [first, , , rachel] = goods(results);
    expect(first).toMatchObject({
      line: 2,
      pupil_upn: 'H801200001001',
      carer: {
        title: 'Mrs',
        given_name: 'Agnieszka',
        family_name: 'Kowalska',
        email: 'agnieszka@families.test',
        mobile: '07700900101',
        address_line1: '12 Mill Lane, Flat 2',
        address_line2: null,
        postcode: 'BF1 3CD',
        preferred_language: 'Polish',
        interpreter_needed: 1,
      },
      link: { relationship: 'mother', parental_responsibility: 1, lives_with_pupil: 1, contact_priority: 1, may_receive_information: 1, wants_copies: 0 },
    });
    expect(rachel!.carer.preferred_language).toBeUndefined(); // blank: not stated
    expect(rachel!.link.wants_copies).toBeUndefined();
  });

  it('rejects a bad email, phone, relationship, yes/no or priority with the column named', () => {
    const header = 'UPN,Forename,Surname,Relationship,Email,Mobile,Parental Responsibility,Priority';
    const results = read([header, 'A1,Jo,Bloggs,Mum,not-an-email,123,maybe,first', 'A1,Sam,Bloggs,Cousin twice removed,,,,', ',Kit,Bloggs,Dad,,,,'].join('\r\n'));
    expect(problem(results, 2)).toBe(
      'Email: Enter an email address in the correct format, like name@example.com | Mobile: Enter a phone number, like 07700 900 982 | Parental Responsibility must be Y or N (Yes or No), not "maybe" | Priority must be a whole number from 1 to 99, not "first"',
    );
    expect(problem(results, 3)).toMatch(/^Relationship "Cousin twice removed" is not one we recognise/);
    expect(problem(results, 4)).toBe("UPN: Enter the pupil's UPN");
  });
});
